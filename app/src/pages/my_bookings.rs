//! `/{dealer}/me/bookings`: my test-drive bookings at this dealer (from my own cookie's
//! `/me`: what this browser made, and after 验证手机号查看全部 everything tied to the proven
//! phone), in the order the server lists them. An open booking can be cancelled
//! (after a confirm) or moved to another slot of its store; a slot taken meanwhile offers the
//! nearest free ones.

use leptos::prelude::*;
use shared::booking::{Booking, Slot, SlotFull};
use shared::date::Date;
use shared::page::{FirstPaint, Page};

use crate::components::slot_picker::{FreeSlots, SlotPicker};
use crate::components::status::{LoadError, Loading};
use crate::{api, use_dealer, use_toast};

#[component]
pub fn MyBookings() -> impl IntoView {
    // The words the server painted before the app ran, in the same place.
    let FirstPaint { heading, lede } = Page::MyBookings.first_paint().unwrap_or_default();
    crate::set_title(&heading);
    let dealer = use_dealer();
    let me = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::me(&slug).await }
    });
    let content = move || {
        match me.get() {
        None => view! { <Loading count=2 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(me)) if me.bookings.is_empty() => view! {
            <div class="empty" data-test="bookings-empty">
                <p>"您还没有试驾预约"</p>
                <a class="btn btn-primary" href=dealer.link(&Page::TestDrive) data-test="book-test-drive">
                    "预约试驾"
                </a>
            </div>
        }
        .into_any(),
        Some(Ok(me)) => view! {
            <ul class="list">
                {me.bookings.into_iter().map(|b| view! { <BookingItem booking=b /> }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    let proof = move || {
        me.get().and_then(Result::ok).map(|m| {
            super::phone_proof::status(
                m,
                Callback::new(move |_| me.refetch()),
                "该手机号的全部预约",
            )
        })
    };
    view! {
        <main class="page my-bookings">
            <h1>{heading}</h1>
            <p class="lede">{lede}</p>
            {content}
            {proof}
            <super::survey::Surveys kind=shared::survey::VisitKind::TestDrive />
            <p class="page-foot">
                <a href=dealer.link(&Page::Me) data-test="to-me">"我的信息 ›"</a>
            </p>
        </main>
    }
}

#[component]
fn BookingItem(booking: Booking) -> impl IntoView {
    let dealer = use_dealer();
    let toast = use_toast();
    let code = booking.code.clone();
    let current = RwSignal::new(booking);
    let moving = RwSignal::new(false);
    let full = RwSignal::new(None::<SlotFull>);
    let error = RwSignal::new(None::<String>);
    let day = RwSignal::new(None::<Date>);
    let slot = RwSignal::new(None::<i64>);

    let cancel = Action::new_unsync(move |code: &String| {
        let (slug, code) = (dealer.slug.get_untracked(), code.clone());
        async move { api::cancel_booking(&slug, &code).await }
    });
    let reschedule = Action::new_unsync(move |(code, slot_id): &(String, i64)| {
        let (slug, code, slot_id) = (dealer.slug.get_untracked(), code.clone(), *slot_id);
        async move { api::reschedule(&slug, &code, slot_id).await }
    });
    let (cancelling, moving_now) = (cancel.pending(), reschedule.pending());
    // The store's slots for this car, fetched when 改期 opens (and again after a full slot).
    let slots = LocalResource::new(move || {
        let open = moving.get();
        let slug = dealer.slug.get();
        let (store, series) = current.with(|b| (b.store.id, b.series_id.clone()));
        async move {
            if open {
                api::slots(&slug, store, &series)
                    .await
                    .map(|l| Some(l.slots))
            } else {
                Ok(None)
            }
        }
    });
    Effect::new(move |_| match cancel.value().get() {
        Some(Ok(b)) => {
            moving.set(false);
            current.set(b);
            toast.show("预约已取消");
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    Effect::new(move |_| match reschedule.value().get() {
        Some(Ok(b)) => {
            moving.set(false);
            full.set(None);
            current.set(b);
            toast.show("已改期");
        }
        Some(Err(api::Error::SlotFull(offer))) => {
            slot.set(None);
            full.set(Some(offer));
            slots.refetch();
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });

    let move_to = {
        let code = code.clone();
        Callback::new(move |s: Slot| {
            error.set(None);
            full.set(None);
            if !moving_now.get_untracked() {
                reschedule.dispatch((code.clone(), s.id));
            }
        })
    };
    let on_cancel = {
        let code = code.clone();
        move |_| {
            let sure = window()
                .confirm_with_message("确定取消这次试驾预约吗？")
                .unwrap_or(false);
            if sure && !cancelling.get_untracked() {
                error.set(None);
                cancel.dispatch(code.clone());
            }
        }
    };
    let picker = move || {
        if !moving.get() {
            return None;
        }
        let current_slot = current.with_untracked(|b| b.slot.id);
        let choose = move || match slots.get() {
            None | Some(Ok(None)) => {
                view! { <div class="ph-slots" aria-busy="true"></div> }.into_any()
            }
            Some(Err(e)) => view! { <p class="notice" role="alert">{e.message()}</p> }.into_any(),
            Some(Ok(Some(list))) => view! {
                <SlotPicker
                    slots=list
                    today=crate::today()
                    day
                    chosen=slot
                    current=current_slot
                    on_pick=move_to
                />
            }
            .into_any(),
        };
        Some(view! {
            <div class="reschedule" data-test="reschedule-panel">
                <p class="muted">
                    {move || if moving_now.get() { "正在改期…" } else { "选一个新的时间：" }}
                </p>
                {move || full.get().map(|offer| view! {
                    <FreeSlots message=offer.error.message slots=offer.free_slots on_pick=move_to />
                })}
                <div class="slot-area">{choose}</div>
            </div>
        })
    };

    let card = move || {
        let b = current.get();
        let slug = dealer.slug.get_untracked();
        let open = b.status.is_open();
        view! {
            <div class="mb-head">
                <h2>{b.series_name.clone()} {b.trim_name.clone().map(|t| view! { <span class="muted">" " {t}</span> })}</h2>
                <span class="status" class:open=open data-test="booking-status">{b.status.label()}</span>
            </div>
            <p data-test="booking-slot">{b.slot.label()}</p>
            <p class="muted" data-test="booking-store">{b.store.name.clone()} " · " {b.store.address.clone()}</p>
            <a class="small" href=Page::Booking(b.code.clone()).href(&slug) data-test="booking-link">
                "预约码 " {b.code.clone()} " ›"
            </a>
            {open.then(|| view! {
                <div class="trim-actions">
                    <button
                        type="button"
                        class="btn btn-line btn-small"
                        aria-expanded=move || moving.get().to_string()
                        data-test="reschedule"
                        on:click=move |_| {
                            error.set(None);
                            moving.update(|m| *m = !*m);
                        }
                    >
                        {move || if moving.get() { "收起" } else { "改期" }}
                    </button>
                    <button
                        type="button"
                        class="btn btn-line btn-small"
                        data-test="cancel-booking"
                        disabled=move || cancelling.get()
                        on:click=on_cancel.clone()
                    >
                        "取消预约"
                    </button>
                </div>
            })}
        }
    };

    view! {
        <li class="card my-booking" data-test="my-booking" data-code=code>
            {card}
            {picker}
            {move || error.get().map(|m| view! { <p class="notice" role="alert" data-test="booking-error">{m}</p> })}
        </li>
    }
}
