//! `/console/leads/{id}/delivery` (交车): the car handed over — trim, VIN, plate, delivery,
//! registration and manufacture dates (出厂日期 decides the annual-inspection cycle), odometer, insurance end and service advisor, each checked as
//! typed by the rules the server applies (`shared::owner::Deliver::validate`) — then the
//! one-time binding QR and link to print or show the owner (7 days, usable once).

use leptos::prelude::*;
use shared::owner::{BindingCode, Deliver, DeliveryForm};

use super::{api, lead_href, use_session};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn Delivery(id: i64) -> impl IntoView {
    super::set_title("交车");
    let session = use_session();
    let form =
        LocalResource::new(move || async move { session.check(api::delivery_form(id).await) });
    let content = move || match form.get() {
        None => view! { <Loading count=2 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(f)) => view! { <DeliveryFields lead=id form=f /> }.into_any(),
    };
    view! {
        <main class="c-page">
            <a class="c-back" href=lead_href(id)>"‹ 线索"</a>
            <h1 class="c-title">"交车"</h1>
            {content}
        </main>
    }
}

/// The binding code as printed: its QR (the server's SVG) and the link under it.
#[component]
pub fn BindingCard(code: BindingCode) -> impl IntoView {
    let expires = super::format::short_time(code.expires_at);
    view! {
        <section class="c-card" data-test="binding">
            <h2>"请车主用微信扫码绑定车辆"</h2>
            <div class="c-qr" inner_html=code.qr_svg></div>
            <p class="c-sub"><a href=code.url.clone() data-test="binding-link">{code.url.clone()}</a></p>
            <p class="c-sub">{format!("一次有效，{expires}前可用")}</p>
        </section>
    }
}

#[component]
fn DeliveryFields(lead: i64, form: DeliveryForm) -> impl IntoView {
    let session = use_session();
    let today = form.today.to_string();
    let value = RwSignal::new(Deliver {
        trim_id: form.trims.first().map(|t| t.id.clone()).unwrap_or_default(),
        delivered_on: today.clone(),
        registered_on: today,
        advisor_id: form.advisors.first().map_or(0, |a| a.id),
        ..Deliver::default()
    });
    // The odometer as typed: a number field's text, read into the form on submit.
    let odometer = RwSignal::new("0".to_string());
    let error = RwSignal::new(None::<(Option<String>, String)>);
    let save = Action::new_unsync(move |d: &Deliver| {
        let d = d.clone();
        async move { session.check(api::deliver(lead, &d).await) }
    });
    let done = move || save.value().get().and_then(Result::ok);
    Effect::new(move || {
        if let Some(Err(e)) = save.value().get() {
            error.set(Some((e.field().map(str::to_string), e.message())));
        }
    });
    let today = form.today;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut d = value.get_untracked();
        d.odometer_km = odometer
            .with_untracked(|km| shared::money::parse_amount(km))
            .unwrap_or(-1);
        match d.validate(today) {
            Err(e) => error.set(Some((e.field, e.message))),
            Ok(_) => {
                error.set(None);
                save.dispatch(d);
            }
        }
    };
    let error_of = move |field: &'static str| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|(f, _)| f.as_deref() == Some(field))
                    .map(|(_, m)| m.clone())
            })
        }
    };
    type Set = fn(&mut Deliver, String);
    let text = move |name: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     get: fn(&Deliver) -> String,
                     set: Set| {
        let id = format!("c-delivery-{name}");
        view! {
            <div class="c-field">
                <label for=id.clone()>{label}</label>
                <input id=id type=kind data-test=format!("delivery-{name}")
                    prop:value=move || value.with(get)
                    on:input=move |ev| value.update(|d| set(d, event_target_value(&ev))) />
                <p class="c-error" role="alert" data-test=format!("delivery-{name}-error")>{error_of(name)}</p>
            </div>
        }
    };
    let trims = form.trims.clone();
    let advisors = form.advisors.clone();
    move || {
        if let Some(done) = done() {
            return view! { <BindingCard code=done.binding /> }.into_any();
        }
        view! {
            <form class="c-card c-form" on:submit=on_submit novalidate data-test="delivery-form">
                <div class="c-field">
                    <label for="c-delivery-trim">"车型"</label>
                    <select id="c-delivery-trim" data-test="delivery-trim"
                        on:change=move |ev| value.update(|d| d.trim_id = event_target_value(&ev))>
                        {trims.iter().map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> }).collect_view()}
                    </select>
                    <p class="c-error" role="alert">{error_of("trim_id")}</p>
                </div>
                {text("vin", "车架号（VIN）", "text", |d| d.vin.clone(), |d, v| d.vin = v)}
                {text("plate", "车牌号", "text", |d| d.plate.clone(), |d, v| d.plate = v)}
                {text("delivered_on", "交车日期", "date", |d| d.delivered_on.clone(), |d, v| d.delivered_on = v)}
                {text("registered_on", "上牌日期", "date", |d| d.registered_on.clone(), |d, v| d.registered_on = v)}
                {text("manufactured_on", "出厂日期（见合格证，选填）", "date", |d| d.manufactured_on.clone(), |d, v| d.manufactured_on = v)}
                <p class="c-sub">"出厂超过4年才上牌的车不享受6年免检，按每2年上线检验"</p>
                <div class="c-field">
                    <label for="c-delivery-odometer">"交车里程（公里）"</label>
                    <input id="c-delivery-odometer" type="number" inputmode="numeric" data-test="delivery-odometer_km"
                        prop:value=odometer on:input=move |ev| odometer.set(event_target_value(&ev)) />
                    <p class="c-error" role="alert">{error_of("odometer_km")}</p>
                </div>
                {text("insurance_ends_on", "保险到期日（选填）", "date", |d| d.insurance_ends_on.clone(), |d, v| d.insurance_ends_on = v)}
                <div class="c-field">
                    <label for="c-delivery-advisor">"服务顾问"</label>
                    <select id="c-delivery-advisor" data-test="delivery-advisor"
                        on:change=move |ev| value.update(|d| d.advisor_id = event_target_value(&ev).parse().unwrap_or(0))>
                        {advisors.iter().map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> }).collect_view()}
                    </select>
                    <p class="c-error" role="alert">{error_of("advisor_id")}</p>
                </div>
                <p class="c-error" role="alert" data-test="delivery-error">
                    {move || error.with(|e| e.as_ref().filter(|(f, _)| f.is_none() || f.as_deref() == Some("lead")).map(|(_, m)| m.clone()))}
                </p>
                <button type="submit" class="btn btn-primary btn-block" data-test="deliver" disabled=move || save.pending().get()>
                    "确认交车并生成绑定码"
                </button>
            </form>
        }
        .into_any()
    }
}
