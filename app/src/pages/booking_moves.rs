//! 改期/改约 and 取消 for one booking a person holds, the same for a test drive (我的预约) and
//! an owner's service visit (我的服务预约): the two buttons while it is open, the panel with
//! the store's slots (fetched when it opens, again after a full slot), the nearest free slots
//! when the one picked was taken meanwhile, and the error under the card.

use std::future::Future;

use leptos::prelude::*;
use shared::booking::{Slot, SlotFull};
use shared::date::Date;

use crate::components::slot_picker::{FreeSlots, SlotPicker};
use crate::{api, use_dealer, use_toast};

/// What the buttons, panel and messages say, and their `data-test` names.
pub struct Words {
    /// The button that opens the panel: 改期 or 改约.
    pub move_label: &'static str,
    pub moving: &'static str,
    pub moved: &'static str,
    pub cancel_label: &'static str,
    pub confirm: &'static str,
    pub cancelled: &'static str,
    /// `data-test` of the move button, the cancel button, the panel and the error.
    pub tests: [&'static str; 4],
}

/// The buttons, the panel and the error for the booking `code` while it is open and holds
/// the slot `held` (`None`: not open, no buttons). `store_slots` fetches the slots it may move to (for a dealer's slug; it may
/// read signals, and is fetched again when they change); `cancel` and `reschedule` call the
/// API; `changed` gets the booking as the server answered.
pub fn booking_moves<B, SF, CF, RF>(
    code: String,
    words: &'static Words,
    held: Signal<Option<i64>>,
    store_slots: impl Fn(String) -> SF + 'static,
    cancel: impl Fn(String, String) -> CF + 'static,
    reschedule: impl Fn(String, String, i64) -> RF + 'static,
    changed: Callback<B>,
) -> impl IntoView
where
    B: Clone + Send + Sync + 'static,
    SF: Future<Output = Result<Vec<Slot>, api::Error>> + 'static,
    CF: Future<Output = Result<B, api::Error>> + 'static,
    RF: Future<Output = Result<B, api::Error>> + 'static,
{
    let dealer = use_dealer();
    let toast = use_toast();
    let moving = RwSignal::new(false);
    let full = RwSignal::new(None::<SlotFull>);
    let error = RwSignal::new(None::<String>);
    let day = RwSignal::new(None::<Date>);
    let slot = RwSignal::new(None::<i64>);
    let [move_test, cancel_test, panel_test, error_test] = words.tests;

    let cancel =
        Action::new_unsync(move |code: &String| cancel(dealer.slug.get_untracked(), code.clone()));
    let reschedule = Action::new_unsync(move |(code, slot_id): &(String, i64)| {
        reschedule(dealer.slug.get_untracked(), code.clone(), *slot_id)
    });
    let (cancelling, moving_now) = (cancel.pending(), reschedule.pending());
    let slots = LocalResource::new(move || {
        let fetch = moving.get().then(|| store_slots(dealer.slug.get()));
        async move {
            match fetch {
                Some(fetch) => fetch.await.map(Some),
                None => Ok(None),
            }
        }
    });
    Effect::new(move |_| match cancel.value().get() {
        Some(Ok(b)) => {
            moving.set(false);
            changed.run(b);
            toast.show(words.cancelled);
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    Effect::new(move |_| match reschedule.value().get() {
        Some(Ok(b)) => {
            moving.set(false);
            full.set(None);
            changed.run(b);
            toast.show(words.moved);
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
    let on_cancel = move |_| {
        let sure = window()
            .confirm_with_message(words.confirm)
            .unwrap_or(false);
        if sure && !cancelling.get_untracked() {
            error.set(None);
            cancel.dispatch(code.clone());
        }
    };
    let buttons = move || {
        held.with(Option::is_some).then(|| {
            view! {
                <div class="trim-actions">
                    <button
                        type="button"
                        class="btn btn-line btn-small"
                        aria-expanded=move || moving.get().to_string()
                        data-test=move_test
                        on:click=move |_| {
                            error.set(None);
                            moving.update(|m| *m = !*m);
                        }
                    >
                        {move || if moving.get() { "收起" } else { words.move_label }}
                    </button>
                    <button
                        type="button"
                        class="btn btn-line btn-small"
                        data-test=cancel_test
                        disabled=move || cancelling.get()
                        on:click=on_cancel.clone()
                    >
                        {words.cancel_label}
                    </button>
                </div>
            }
        })
    };
    let picker = move || {
        let held = held.get()?;
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
                    current=held
                    on_pick=move_to
                />
            }
            .into_any(),
        };
        moving.get().then(|| {
            view! {
                <div class="reschedule" data-test=panel_test>
                    <p class="muted">
                        {move || if moving_now.get() { words.moving } else { "选一个新的时间：" }}
                    </p>
                    {move || full.get().map(|offer| view! {
                        <FreeSlots message=offer.error.message slots=offer.free_slots on_pick=move_to />
                    })}
                    <div class="slot-area">{choose}</div>
                </div>
            }
        })
    };
    view! {
        {buttons}
        {picker}
        {move || error.get().map(|m| view! { <p class="notice" role="alert" data-test=error_test>{m}</p> })}
    }
}
