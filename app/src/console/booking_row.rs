//! One test-drive booking as staff work it: when, who (a tel: link when the number is not
//! masked), which car, its status, and the moves `booking_can_move` allows (确认, 已到店,
//! 已完成, 未到店, 取消), each a `PUT` whose answer replaces the row in place.

use leptos::prelude::*;
use shared::booking::BookingStatus;
use shared::console::{booking_can_move, StaffBooking};

use super::format::dialable;
use super::{api, lead_href, use_session};

/// The buttons, in the order a visit goes.
const MOVES: [(BookingStatus, &str); 5] = [
    (BookingStatus::Confirmed, "确认"),
    (BookingStatus::Arrived, "已到店"),
    (BookingStatus::Completed, "已完成"),
    (BookingStatus::NoShow, "未到店"),
    (BookingStatus::Cancelled, "取消"),
];

/// `dated` shows the slot's day too (a lead's bookings, stranded ones), not just its hours.
#[component]
pub fn BookingRow(booking: StaffBooking, #[prop(optional)] dated: bool) -> impl IntoView {
    let session = use_session();
    let code = booking.code.clone();
    let current = RwSignal::new(booking);
    let error = RwSignal::new(None::<String>);
    let update = Action::new_unsync(move |to: &BookingStatus| {
        let (code, to) = (current.with_untracked(|b| b.code.clone()), *to);
        async move { session.check(api::move_booking(&code, to).await) }
    });
    Effect::new(move |_| match update.value().get() {
        Some(Ok(b)) => {
            error.set(None);
            current.set(b);
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let press = move |to: BookingStatus| {
        if update.pending().get_untracked() {
            return;
        }
        if to == BookingStatus::Cancelled {
            let sure = window()
                .confirm_with_message("确定取消这个试驾预约吗？")
                .unwrap_or(false);
            if !sure {
                return;
            }
        }
        update.dispatch(to);
    };

    let when = move || {
        current.with(|b| {
            if dated {
                b.slot.label()
            } else {
                format!("{}-{}", b.slot.start, b.slot.end)
            }
        })
    };
    let who = move || {
        current.with(|b| {
            let name = if b.name.is_empty() {
                "已删除".to_string()
            } else {
                b.name.clone()
            };
            let name = match b.lead_id {
                Some(id) => view! { <a class="c-name" href=lead_href(id)>{name}</a> }.into_any(),
                None => view! { <span class="c-name">{name}</span> }.into_any(),
            };
            let phone = if dialable(&b.phone) {
                let tel = format!("tel:{}", b.phone);
                view! { <a class="c-tel" href=tel>{b.phone.clone()}</a> }.into_any()
            } else {
                view! { <span class="c-phone">{b.phone.clone()}</span> }.into_any()
            };
            view! { {name} {phone} }
        })
    };
    let car = move || {
        current.with(|b| {
            let mut car = b.series_name.clone();
            if let Some(trim) = &b.trim_name {
                car.push(' ');
                car.push_str(trim);
            }
            if let Some(consultant) = &b.consultant {
                car.push_str(" · 顾问 ");
                car.push_str(consultant);
            }
            car
        })
    };
    let status = move || current.with(|b| b.status);
    let buttons = move || {
        let from = status();
        MOVES
            .into_iter()
            .filter(|(to, _)| booking_can_move(from, *to))
            .map(|(to, label)| {
                let class = if to == BookingStatus::Cancelled || to == BookingStatus::NoShow {
                    "btn btn-line btn-small c-quiet"
                } else {
                    "btn btn-line btn-small"
                };
                view! {
                    <button
                        type="button"
                        class=class
                        data-test=format!("booking-{}", to.as_str())
                        disabled=move || update.pending().get()
                        on:click=move |_| press(to)
                    >
                        {label}
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <li class="c-booking" data-test="booking-row" data-code=code>
            <div class="c-row-head">
                <span class="c-time">{when}</span>
                <span
                    class=move || format!("c-status c-b-{}", status().as_str())
                    data-test="booking-status"
                >
                    {move || status().label()}
                </span>
            </div>
            <div class="c-who">{who}</div>
            <div class="c-sub">{car}</div>
            <div class="c-actions">{buttons}</div>
            <p class="c-error" role="alert">{move || error.get()}</p>
        </li>
    }
}
