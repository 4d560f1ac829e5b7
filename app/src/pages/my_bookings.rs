//! `/{dealer}/me/bookings`: my test-drive bookings at this dealer (from my own cookie's
//! `/me`: what this browser made, and after 验证手机号查看全部 everything tied to the proven
//! phone), in the order the server lists them. An open booking can be cancelled
//! (after a confirm) or moved to another slot of its store; a slot taken meanwhile offers the
//! nearest free ones.

use leptos::prelude::*;
use shared::booking::Booking;
use shared::page::{FirstPaint, Page};

use super::booking_moves::{booking_moves, Words};
use crate::components::status::{LoadError, Loading};
use crate::{api, use_dealer};

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

const WORDS: Words = Words {
    move_label: "改期",
    moving: "正在改期…",
    moved: "已改期",
    cancel_label: "取消预约",
    confirm: "确定取消这次试驾预约吗？",
    cancelled: "预约已取消",
    tests: [
        "reschedule",
        "cancel-booking",
        "reschedule-panel",
        "booking-error",
    ],
};

#[component]
fn BookingItem(booking: Booking) -> impl IntoView {
    let dealer = use_dealer();
    let code = booking.code.clone();
    let current = RwSignal::new(booking);
    // The store's slots for this booking's series.
    let store_slots = move |slug: String| {
        let (store, series) = current.with(|b| (b.store.id, b.series_id.clone()));
        async move { api::slots(&slug, store, &series).await.map(|l| l.slots) }
    };
    let moves = booking_moves(
        code.clone(),
        &WORDS,
        Signal::derive(move || current.with(|b| b.status.is_open().then_some(b.slot.id))),
        store_slots,
        |slug, code| async move { api::cancel_booking(&slug, &code).await },
        |slug, code, slot| async move { api::reschedule(&slug, &code, slot).await },
        Callback::new(move |b| current.set(b)),
    );
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
        }
    };

    view! {
        <li class="card my-booking" data-test="my-booking" data-code=code>
            {card}
            {moves}
        </li>
    }
}
