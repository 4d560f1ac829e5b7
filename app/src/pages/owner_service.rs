//! The owner centre's service visits (保养/维修预约): per car, choose a store, a day and a slot
//! (the test drives' slot picker), the kind of work and a note, checked as typed with the
//! server's rules (`shared::service`); then 我的服务预约, each open one with 改约 (another slot
//! of its store) and 取消. A slot taken meanwhile offers the nearest free ones.

use leptos::prelude::*;
use shared::booking::{Slot, SlotFull};
use shared::date::Date;
use shared::owner::OwnerCar;
use shared::service::{self, BookService, ServiceBooking, ServiceWork, NOTE_MAX_CHARS};

use super::booking_moves::{booking_moves, Words};
use crate::components::field_error::FieldError;
use crate::components::slot_picker::{FreeSlots, SlotPicker};
use crate::{api, use_dealer, use_toast};

/// A store's service slots, or nothing while no store is chosen.
type Slots = LocalResource<Result<Option<Vec<Slot>>, api::Error>>;

fn store_slots(store: Signal<Option<i64>>) -> Slots {
    let dealer = use_dealer();
    LocalResource::new(move || {
        let (slug, store) = (dealer.slug.get(), store.get());
        async move {
            match store {
                Some(id) => api::service_slots(&slug, id).await.map(|l| Some(l.slots)),
                None => Ok(None),
            }
        }
    })
}

/// The picker for a store's slots: a placeholder while they load, the error, or the chips.
fn slot_area(
    slots: Slots,
    day: RwSignal<Option<Date>>,
    chosen: RwSignal<Option<i64>>,
) -> impl Fn() -> AnyView {
    move || match slots.get() {
        None | Some(Ok(None)) => view! { <div class="ph-slots" aria-busy="true"></div> }.into_any(),
        Some(Err(e)) => view! { <p class="notice" role="alert">{e.message()}</p> }.into_any(),
        Some(Ok(Some(list))) => {
            view! { <SlotPicker slots=list today=crate::today() day chosen /> }.into_any()
        }
    }
}

/// The owner's cars' booking forms, then their service bookings.
#[component]
pub fn OwnerService(cars: Vec<OwnerCar>, bookings: Vec<ServiceBooking>) -> impl IntoView {
    let dealer = use_dealer();
    let list = RwSignal::new(bookings);
    let stores = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::service_stores(&slug).await }
    });
    let mine = move || {
        let all = list.get();
        if all.is_empty() {
            return view! { <p class="muted" data-test="service-empty">"暂无服务预约"</p> }
                .into_any();
        }
        view! {
            <ul class="list">
                {all.into_iter().map(|b| view! { <ServiceItem booking=b list /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {cars
            .into_iter()
            .map(|car| view! { <ServiceForm car stores list /> })
            .collect_view()}
        <section class="owner-service-list" data-test="my-service">
            <h2>"我的服务预约"</h2>
            {mine}
        </section>
    }
}

/// 预约保养/维修 for one car.
#[component]
fn ServiceForm(
    car: OwnerCar,
    stores: LocalResource<Result<shared::service::ServiceStores, api::Error>>,
    list: RwSignal<Vec<ServiceBooking>>,
) -> impl IntoView {
    let dealer = use_dealer();
    let toast = use_toast();
    let car_id = car.id;
    let open = RwSignal::new(false);
    let store = RwSignal::new(None::<i64>);
    let day = RwSignal::new(None::<Date>);
    let slot = RwSignal::new(None::<i64>);
    let work = RwSignal::new(ServiceWork::Maintenance);
    let note = RwSignal::new(String::new());
    let full = RwSignal::new(None::<SlotFull>);
    let error = RwSignal::new(None::<(String, String)>);
    // The first store is chosen once the list is there.
    Effect::new(move |_| {
        if store.get_untracked().is_none() {
            if let Some(Ok(s)) = stores.get() {
                store.set(s.stores.first().map(|s| s.id));
            }
        }
    });
    let slots = store_slots(store.into());
    let send = Action::new_unsync(move |request: &BookService| {
        let (slug, request) = (dealer.slug.get_untracked(), request.clone());
        async move { api::book_service(&slug, car_id, &request).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(b)) => {
            list.update(|l| l.insert(0, b));
            slot.set(None);
            note.set(String::new());
            full.set(None);
            open.set(false);
            slots.refetch();
            toast.show("已预约，请按时到店");
        }
        Some(Err(api::Error::SlotFull(offer))) => {
            slot.set(None);
            full.set(Some(offer));
            slots.refetch();
        }
        Some(Err(api::Error::Api(e))) => {
            error.set(Some((e.field.unwrap_or_default(), e.message)));
        }
        Some(Err(e)) => error.set(Some((String::new(), e.message()))),
        None => {}
    });
    let note_error = Signal::derive(move || {
        note.with(|n| service::validate_note(n).err().map(|e| e.message))
            .or_else(|| error.get().filter(|(f, _)| f == "note").map(|(_, m)| m))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let Some(slot_id) = slot.get_untracked() else {
            error.set(Some(("slot".into(), "请选择预约时段".into())));
            return;
        };
        let request = BookService {
            slot_id,
            work: work.get_untracked().as_str().into(),
            note: note.get_untracked(),
        };
        match request.validate() {
            Ok(_) if !send.pending().get_untracked() => {
                send.dispatch(request);
            }
            Ok(_) => {}
            Err(e) => error.set(Some((e.field.unwrap_or_default(), e.message))),
        }
    };
    let store_chips = move || {
        match stores.get() {
        None => view! { <div class="ph-slots" aria-busy="true"></div> }.into_any(),
        Some(Err(e)) => view! { <p class="notice" role="alert">{e.message()}</p> }.into_any(),
        Some(Ok(s)) if s.stores.is_empty() => view! {
            <p class="notice" data-test="no-service-store">"暂无可在线预约的门店，请致电服务顾问。"</p>
        }
        .into_any(),
        Some(Ok(s)) => view! {
            <div class="chips wrap" role="group" aria-label="门店">
                {s.stores
                    .into_iter()
                    .map(|st| {
                        let id = st.id;
                        let on = move || store.get() == Some(id);
                        view! {
                            <button type="button" class="chip" class:on=on
                                aria-pressed=move || on().to_string()
                                data-test="service-store" data-id=id
                                on:click=move |_| {
                                    slot.set(None);
                                    day.set(None);
                                    full.set(None);
                                    store.set(Some(id));
                                }
                            >
                                {st.name}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        }
        .into_any(),
    }
    };
    let work_chips = move || {
        ServiceWork::ALL
            .into_iter()
            .map(|w| {
                let on = move || work.get() == w;
                view! {
                    <button type="button" class="chip" class:on=on
                        aria-pressed=move || on().to_string()
                        data-test="service-work" data-work=w.as_str()
                        on:click=move |_| work.set(w)
                    >
                        {w.label()}
                    </button>
                }
            })
            .collect_view()
    };
    let pick = Callback::new(move |s: Slot| {
        full.set(None);
        day.set(Some(s.date));
        slot.set(Some(s.id));
    });
    let form = move || {
        open.get().then(|| view! {
            <form class="service-form" on:submit=submit novalidate>
                <div class="field">
                    <span class="label">"门店"</span>
                    {store_chips}
                </div>
                <div class="field">
                    <span class="label">"日期和时段"</span>
                    {move || full.get().map(|offer| view! {
                        <FreeSlots message=offer.error.message slots=offer.free_slots on_pick=pick />
                    })}
                    <div class="slot-area">{slot_area(slots, day, slot)}</div>
                    <FieldError
                        message=Signal::derive(move || error.get().filter(|(f, _)| f == "slot").map(|(_, m)| m))
                        id="service-slot-error"
                    />
                </div>
                <div class="field">
                    <span class="label">"服务项目"</span>
                    <div class="chips wrap" role="group" aria-label="服务项目">{work_chips()}</div>
                </div>
                <div class="field">
                    <label for=format!("service-note-{car_id}")>
                        "备注（选填）" <small class="muted">{move || format!("{}/{NOTE_MAX_CHARS}", note.with(|n| n.trim().chars().count()))}</small>
                    </label>
                    <textarea id=format!("service-note-{car_id}") rows="3" data-test="service-note"
                        placeholder="如：左前轮异响、需要更换雨刮"
                        aria-invalid=move || note_error.get().is_some().to_string()
                        aria-describedby="service-note-error"
                        prop:value=note on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                    <FieldError message=note_error id="service-note-error" />
                </div>
                {move || error.get().filter(|(f, _)| !matches!(f.as_str(), "note" | "slot")).map(|(_, m)| view! {
                    <p class="notice" role="alert" data-test="service-error">{m}</p>
                })}
                <button class="btn btn-primary btn-block" type="submit" data-test="service-submit"
                    disabled=move || send.pending().get()
                >
                    {move || if send.pending().get() { "正在预约…" } else { "提交预约" }}
                </button>
            </form>
        })
    };
    view! {
        <section class="card owner-service" data-test="service-booking" data-car=car_id>
            <div class="mb-head">
                <h2>"预约保养/维修"</h2>
                <span class="muted">{car.plate}</span>
            </div>
            <button type="button" class="btn btn-line btn-block" data-test="service-open"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if open.get() { "收起" } else { "选择门店和时间" }}
            </button>
            {form}
        </section>
    }
}

const WORDS: Words = Words {
    move_label: "改约",
    moving: "正在改约…",
    moved: "已改约",
    cancel_label: "取消",
    confirm: "确定取消这次服务预约吗？",
    cancelled: "服务预约已取消",
    tests: [
        "service-reschedule",
        "service-cancel",
        "service-reschedule-panel",
        "service-booking-error",
    ],
};

/// One of my service bookings, with 改约 and 取消 while it is open and to come.
#[component]
fn ServiceItem(booking: ServiceBooking, list: RwSignal<Vec<ServiceBooking>>) -> impl IntoView {
    let code = booking.code.clone();
    let store_id = booking.store.id;
    let code_now = code.clone();
    let current =
        Signal::derive(move || list.with(|l| l.iter().find(|b| b.code == code_now).cloned()));
    let replace = move |b: ServiceBooking| {
        list.update(|l| {
            if let Some(x) = l.iter_mut().find(|x| x.code == b.code) {
                *x = b;
            }
        });
    };
    let moves = booking_moves(
        code.clone(),
        &WORDS,
        Signal::derive(move || {
            current.with(|b| b.as_ref().filter(|b| b.status.is_open()).map(|b| b.slot.id))
        }),
        move |slug: String| async move { api::service_slots(&slug, store_id).await.map(|l| l.slots) },
        |slug, code| async move { api::cancel_service(&slug, &code).await },
        |slug, code, slot| async move { api::reschedule_service(&slug, &code, slot).await },
        Callback::new(replace),
    );
    let card = move || {
        let b = current.get()?;
        let open = b.status.is_open();
        let km =
            b.km.map(|km| view! { <p class="muted">"到店里程 " {km} " 公里"</p> });
        let note =
            (!b.note.is_empty()).then(|| view! { <p class="muted">"备注：" {b.note.clone()}</p> });
        Some(view! {
            <div class="mb-head">
                <h2>{b.work.label()} " · " {b.plate.clone()}</h2>
                <span class="status" class:open=open data-test="service-status">{b.status.label()}</span>
            </div>
            <p data-test="service-slot">{b.slot.label()}</p>
            <p class="muted">{b.store.name.clone()} " · " {b.store.address.clone()}</p>
            {note}
            {km}
            <p class="muted small">"预约码 " {b.code.clone()}</p>
        })
    };
    view! {
        <li class="card my-booking" data-test="my-service-booking" data-code=code>
            {card}
            {moves}
        </li>
    }
}
