//! 新增门店 on `/console/stores` (admins): a new store's name, city, address, phone and
//! opening hours, checked in the browser by the rule the server applies; once added its card
//! appears below to set hours and slots.

use leptos::prelude::*;
use shared::console::NewStore;

use super::{api, use_session};

#[component]
pub fn NewStoreForm(on_added: Callback<()>) -> impl IntoView {
    let session = use_session();
    let open = RwSignal::new(false);
    let form = RwSignal::new(NewStore {
        opening_hours: "09:00-18:00".into(),
        ..NewStore::default()
    });
    let error = RwSignal::new(None::<(Option<String>, String)>);
    let add = Action::new_unsync(move |new: &NewStore| {
        let new = new.clone();
        async move { session.check(api::add_store(&new).await) }
    });
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            open.set(false);
            form.set(NewStore {
                opening_hours: "09:00-18:00".into(),
                ..NewStore::default()
            });
            on_added.run(());
        }
        Some(Err(e)) => error.set(Some((e.field().map(str::to_owned), e.message()))),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.get_untracked().validate() {
            Err(e) => error.set(Some((e.field, e.message))),
            Ok(new) if !add.pending().get_untracked() => {
                error.set(None);
                add.dispatch(new);
            }
            Ok(_) => {}
        }
    };
    let field = move |key: &'static str,
                      label: &'static str,
                      placeholder: &'static str,
                      get: fn(&NewStore) -> String,
                      set: fn(&mut NewStore, String)| {
        let id = format!("c-new-store-{key}");
        view! {
            <div class="c-field">
                <label for=id.clone()>{label}</label>
                <input
                    id=id
                    type="text"
                    placeholder=placeholder
                    data-test=format!("new-store-{key}")
                    aria-invalid=move || {
                        error.with(|e| e.as_ref().is_some_and(|(f, _)| f.as_deref() == Some(key))).to_string()
                    }
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                />
            </div>
        }
    };
    view! {
        <section class="c-section">
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" class="btn btn-line btn-block" data-test="add-store" on:click=move |_| open.set(true)>
                        "新增门店"
                    </button>
                }
            >
                <form class="c-card c-form" on:submit=on_submit novalidate data-test="new-store-form">
                    <h2>"新增门店"</h2>
                    {field("name", "门店名称", "如 城西旗舰店", |f| f.name.clone(), |f, v| f.name = v)}
                    {field("city", "城市", "如 杭州", |f| f.city.clone(), |f, v| f.city = v)}
                    {field("address", "地址", "区、街道和门牌号", |f| f.address.clone(), |f, v| f.address = v)}
                    {field("phone", "门店电话", "手机号或带区号的座机", |f| f.phone.clone(), |f, v| f.phone = v)}
                    {field("opening_hours", "营业时间（向顾客展示）", "09:00-18:00", |f| f.opening_hours.clone(), |f, v| f.opening_hours = v)}
                    <p class="c-error" role="alert" data-test="new-store-error">{move || error.get().map(|(_, m)| m)}</p>
                    <button type="submit" class="btn btn-primary btn-block" data-test="save-new-store" disabled=move || add.pending().get()>
                        "添加门店"
                    </button>
                    <button type="button" class="btn btn-line btn-block" on:click=move |_| open.set(false)>"取消"</button>
                </form>
            </Show>
        </section>
    }
}
