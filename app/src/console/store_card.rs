//! One store's setup on a card: opening hours per weekday, closures, test-drive and service
//! slot templates and test-drive cars, checked as the manager edits and saved with one `PUT`;
//! then 已保存, and the bookings the new rules strand, to move or cancel from here.

use leptos::prelude::*;
use shared::console::{StaffBooking, StoreSetup, StoreView};
use shared::slots::SlotKind;

use super::booking_row::BookingRow;
use super::store_fields::{Cars, Catalogue, Closures, Hours, Templates};
use super::store_form::StoreDraft;
use super::{api, use_session};

#[component]
pub fn StoreCard(view: StoreView, catalogue: Signal<Catalogue>) -> impl IntoView {
    let session = use_session();
    let StoreView { store, setup } = view;
    let store_id = store.id;
    let never_set_up = setup.hours.is_empty();
    let draft = RwSignal::new(StoreDraft::from_setup(&setup));
    // The form as last saved: 已保存 shows while nothing changed since.
    let saved = RwSignal::new(None::<StoreDraft>);
    let stranded = RwSignal::new(Vec::<StaffBooking>::new());
    let error = RwSignal::new(None::<String>);

    let save = Action::new_unsync(move |setup: &StoreSetup| {
        let setup = setup.clone();
        async move { session.check(api::save_store(store_id, &setup).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(answer)) => {
            let form = StoreDraft::from_setup(&answer.view.setup);
            draft.set(form.clone());
            saved.set(Some(form));
            stranded.set(answer.stranded);
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let on_save = move |_| match draft.with_untracked(StoreDraft::to_setup) {
        Err(e) => error.set(Some(e.message)),
        Ok(setup) => {
            if !save.pending().get_untracked() {
                error.set(None);
                save.dispatch(setup);
            }
        }
    };
    let is_saved = move || saved.with(|s| s.as_ref().is_some_and(|s| draft.with(|d| d == s)));

    let stranded_list = move || {
        let list = stranded.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="c-stranded" data-test="stranded" role="alert">
                    <p class="notice">"以下预约不在新的营业时间内，请联系客户改期或取消"</p>
                    <ul class="c-list">
                        {list
                            .into_iter()
                            .map(|booking| view! { <BookingRow booking dated=true /> })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    };

    view! {
        <section class="c-card c-store" data-test="store-card" data-id=store_id.to_string()>
            <h2>{store.name}</h2>
            <p class="c-sub">{store.address}</p>
            {never_set_up.then(|| view! {
                <p class="notice" data-test="store-new">"新门店：营业时间和试驾时段已按常见设置预填，选好试驾车型、核对后点保存才生效"</p>
            })}
            <Hours draft />
            <Closures draft />
            <Templates draft kind=SlotKind::TestDrive />
            <Templates draft kind=SlotKind::Service />
            <Cars draft catalogue />
            <div class="c-save">
                <button
                    type="button"
                    class="btn btn-primary"
                    data-test="save-store"
                    disabled=move || save.pending().get()
                    on:click=on_save
                >
                    {move || if save.pending().get() { "保存中…" } else { "保存" }}
                </button>
                <Show when=is_saved>
                    <span class="c-ok" role="status" data-test="store-saved">"已保存"</span>
                </Show>
            </div>
            <p class="c-error" role="alert" data-test="store-error">{move || error.get()}</p>
            {stranded_list}
        </section>
    }
}
