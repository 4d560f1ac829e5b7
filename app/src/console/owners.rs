//! 车主 (`/console/owners`): delivered cars with search by plate, VIN tail or phone tail, and a
//! car's page (`/console/owners/{id}`): its bindings, readings, reminders, service visits,
//! survey answers and the owner's points (`car_history.rs`), the waiting code's QR, and a new
//! code for a lost phone (the car's service advisor, managers and admins). VINs and
//! phones come masked from the server unless the viewer serves the car. Managers and admins
//! also see every owner's referrals (`referrals.rs`).

use leptos::prelude::*;

use super::car_history::CarHistory;
use super::delivery::BindingCard;
use super::format::short_time;
use super::inspection::InspectionCard;
use super::reminder_tasks::CarReminderHistory;
use super::{api, use_session, OWNERS};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn Owners() -> impl IntoView {
    super::set_title("车主");
    let session = use_session();
    let q = RwSignal::new(String::new());
    let cars = LocalResource::new(move || {
        let q = q.get();
        async move { session.check(api::cars(&q).await) }
    });
    let list = move || {
        match cars.get() {
        None => view! { <Loading count=3 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(cars)) if cars.is_empty() => view! { <p class="c-sub" data-test="cars-empty">"没有车辆"</p> }.into_any(),
        Some(Ok(cars)) => view! { <div class="c-list">{cars
            .into_iter()
            .map(|c| view! {
                <a class="c-card c-row" href=format!("{OWNERS}/{}", c.id) data-test="car-row">
                    <strong>{c.plate}</strong> " " {c.model}
                    <p class="c-sub">{format!("{} · {} · {}", c.owner_name.unwrap_or_default(), c.owner_phone.unwrap_or_default(), c.vin)}</p>
                    <p class="c-sub">{format!("交车 {} · 服务顾问 {} · {}", c.delivered_on, c.advisor.unwrap_or_default(), if c.bound { "已绑定" } else { "未绑定" })}</p>
                </a>
            })
            .collect_view()}</div> }.into_any(),
    }
    };
    view! {
        <main class="c-page">
            <h1 class="c-title">"车主"</h1>
            <input class="c-search-box" type="search" aria-label="搜索车辆" placeholder="车牌、车架号后几位或手机尾号" data-test="cars-search"
                on:change=move |ev| q.set(event_target_value(&ev)) />
            {list}
            <Show when=move || session.manages()>
                <super::referrals::Referrals />
            </Show>
        </main>
    }
}

#[component]
pub fn Car(id: i64) -> impl IntoView {
    super::set_title("车辆详情");
    let session = use_session();
    let version = RwSignal::new(0);
    let detail = LocalResource::new(move || {
        version.track();
        async move { session.check(api::car(id).await) }
    });
    let issue =
        Action::new_unsync(move |_: &()| async move { session.check(api::new_binding(id).await) });
    Effect::new(move || {
        if let Some(Ok(_)) = issue.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let content = move || match detail.get() {
        None => view! { <Loading count=3 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(d)) => {
            let c = d.car.clone();
            let plate_kind =
                shared::plate::kind_of(&c.plate).map_or("—", shared::plate::PlateKind::label);
            view! {
                <section class="c-card" data-test="car-detail">
                    <h1 class="c-car-plate">{c.plate}</h1>
                    <p class="c-sub">{c.model}</p>
                    <dl class="c-facts">
                        <dt>"号牌"</dt><dd data-test="car-plate-kind">{plate_kind}</dd>
                        <dt>"车架号"</dt><dd data-test="car-vin">{c.vin}</dd>
                        <dt>"车主"</dt><dd data-test="car-phone">{format!("{} {}", c.owner_name.unwrap_or_default(), c.owner_phone.unwrap_or_default())}</dd>
                        <dt>"交车 / 上牌"</dt><dd>{format!("{} / {}", c.delivered_on, d.registered_on)}</dd>
                        <dt>"里程"</dt><dd>{format!("{}公里", d.odometer_km)}</dd>
                        <dt>"保险到期"</dt><dd>{d.insurance_ends_on.map_or("未登记".into(), |x| x.to_string())}</dd>
                    </dl>
                </section>
                {d.waiting.map(|code| view! { <BindingCard code /> })}
                <section class="c-card">
                    <h2>"绑定记录"</h2>
                    {d.bindings.into_iter().map(|b| view! {
                        <p class="c-sub" data-test="binding-row">{format!("{} · {}生成（{}）", b.state.label(), short_time(b.issued_at), b.issued_by.unwrap_or_default())}</p>
                    }).collect_view()}
                    <button type="button" class="btn btn-line" data-test="new-code"
                        disabled=move || issue.pending().get()
                        on:click=move |_| { issue.dispatch(()); }>"生成新绑定码（原绑定将解除）"</button>
                    <p class="c-error" role="alert">{move || issue.value().get().and_then(Result::err).map(|e| e.message())}</p>
                </section>
                <InspectionCard car=id facts=d.inspection_facts due=d.inspection version />
                <CarReminderHistory reminders=d.reminders />
                <CarHistory service=d.service surveys=d.surveys points=d.points />
                <section class="c-card">
                    <h2>"里程记录"</h2>
                    {d.readings.into_iter().map(|r| view! {
                        <p class="c-sub">{format!("{} · {}公里 · {}{}", r.day, r.km, r.by, if r.plausible { "" } else { " · 日均超过1000公里，请核实" })}</p>
                    }).collect_view()}
                </section>
            }
            .into_any()
        }
    };
    view! {
        <main class="c-page">
            <a class="c-back" href=OWNERS>"‹ 车主"</a>
            {content}
        </main>
    }
}
