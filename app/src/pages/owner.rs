//! `/{dealer}/owner` (车主服务): my cars and what is due — maintenance (distance or time,
//! whichever first), the annual inspection and its window, insurance, warranty — with the
//! odometer to update, and its service visits to book (`owner_service.rs`); and
//! `/{dealer}/owner/bind/{code}`, which binds the car of a delivery's code to this phone and
//! goes on to the cars, or says in Chinese why it cannot. Reminders and the WeChat switch are
//! `owner_reminders`'; below the cars: service surveys (`survey.rs`), points and the referral
//! link (`owner_points.rs`).

use leptos::prelude::*;
use shared::owner::OwnerCar;
use shared::page::{FirstPaint, Page};
use shared::survey::VisitKind;

use super::owner_points::OwnerPointsCard;
use super::owner_service::OwnerService;
use super::survey::Surveys;
use crate::components::field_error::FieldError;
use crate::components::status::{LoadError, Loading};
use crate::nav::{use_nav, Entry};
use crate::pages::owner_reminders::{CarReminders, WeChatSwitch};
use crate::{api, use_dealer};

#[component]
pub fn Owner() -> impl IntoView {
    // The words the server painted before the app ran, in the same place.
    let FirstPaint { heading, lede } = Page::Owner.first_paint().unwrap_or_default();
    crate::set_title(&heading);
    let dealer = use_dealer();
    provide_context(super::owner_points::PointsEarned(RwSignal::new(0)));
    let code = match crate::current_page() {
        Some(Page::OwnerBind(code)) => Some(code),
        _ => None,
    };
    let binding = code.is_some();
    let nav = use_nav();
    let cars = LocalResource::new(move || {
        let slug = dealer.slug.get();
        let code = code.clone();
        async move {
            match code {
                Some(code) => api::bind_car(&slug, &code).await,
                None => api::owner_home(&slug).await,
            }
        }
    });
    // Bound: the page's own address, so a reload does not spend the code again.
    Effect::new(move || {
        if binding && matches!(cars.get(), Some(Ok(_))) {
            nav.open(&dealer.link(&Page::Owner), Entry::Replace);
        }
    });
    let content = move || match cars.get() {
        None => view! { <Loading count=2 /> }.into_any(),
        Some(Err(e)) if binding => view! {
            <div class="empty" role="alert" data-test="bind-error">
                <p>{e.message()}</p>
                <a class="btn btn-line" href=dealer.link(&Page::Home)>"返回首页"</a>
            </div>
        }
        .into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(home)) if home.cars.is_empty() => view! {
            <div class="empty" data-test="owner-empty">
                <p>"还没有绑定车辆。提车时请扫描服务顾问提供的二维码。"</p>
            </div>
        }
        .into_any(),
        Some(Ok(home)) => view! {
            {home.cars.iter().cloned().map(|car| view! { <CarCard car /> }).collect_view()}
            <OwnerService cars=home.cars bookings=home.service />
            <Surveys kind=VisitKind::Service />
            <OwnerPointsCard />
            <WeChatSwitch state=home.wechat_reminders />
        }
        .into_any(),
    };
    view! {
        <main class="page">
            <h1>{heading}</h1>
            <p class="lede">{lede}</p>
            {content}
        </main>
    }
}

/// One car: what it is, what is due, and its odometer to update.
#[component]
fn CarCard(car: OwnerCar) -> impl IntoView {
    let dealer = use_dealer();
    let (car, set_car) = signal(car);
    let (km, set_km) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let save = Action::new_unsync(move |km: &i64| {
        let (slug, id, km) = (dealer.slug.get_untracked(), car.get_untracked().id, *km);
        async move { api::add_reading(&slug, id, km).await }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(updated)) => {
            set_car.set(updated);
            set_km.set(String::new());
            set_error.set(None);
        }
        Some(Err(e)) => set_error.set(Some(e.message())),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match km.with_untracked(|km| shared::money::parse_amount(km)) {
            // Never below the last reading: the server's rule and words, at once.
            Some(km) if km < car.with_untracked(|c| c.odometer_km) => {
                let last = car.with_untracked(|c| c.odometer_km);
                set_error.set(Some(shared::maintenance::mileage_decreased(last).message));
            }
            Some(km) => {
                save.dispatch(km);
            }
            None => set_error.set(Some("请输入整数公里数".into())),
        }
    };
    let fact = |label: &'static str, value: String, test: &'static str| {
        view! {
            <div>
                <dt>{label}</dt>
                <dd data-test=test>{whole_dates(value)}</dd>
            </div>
        }
    };
    move || {
        let c = car.get();
        let maintenance = match c.maintenance {
            Some(m) => format!("{}前或{}公里，先到为准", m.due, m.due_km),
            None => "—".into(),
        };
        let note = if c.plan_demo {
            format!("演示保养计划，{}", shared::maintenance::MANUAL_NOTE)
        } else {
            shared::maintenance::MANUAL_NOTE.to_string()
        };
        let i = c.inspection;
        let inspection = format!(
            "{}，有效期至{}，{}起可办理{}",
            i.kind.label(),
            i.due,
            i.window_opens,
            i.exception.map_or(String::new(), |e| format!(
                "（{}，不适用6年免检，每2年上线检验，6年后每年）",
                e.label()
            ))
        );
        let warranty = match c.warranty {
            Some(w) if w.expired => "已过保".to_string(),
            Some(w) => match w.km_left {
                Some(km) => format!("至{}或剩{}公里", w.until, km),
                None => format!("至{}", w.until),
            },
            None => "—".into(),
        };
        let insurance = c
            .insurance_ends_on
            .map_or("未登记".into(), |d| d.to_string());
        let advisor = c.advisor.clone();
        // The plate as it reads on the car, its kind a tag in the plate's own colour (green
        // for new energy, blue otherwise), not words in brackets pushing it onto two lines.
        let plate_kind = shared::plate::kind_of(&c.plate).map(|kind| {
            let green = kind != shared::plate::PlateKind::Ordinary;
            view! {
                <span class="plate-kind" class:green=green data-test="car-plate-kind">{kind.label()}</span>
            }
        });
        view! {
            <section class="card" data-test="owner-car">
                <h2 data-test="car-model">{c.model.clone()}</h2>
                <CarReminders reminders=c.reminders.clone() />
                <dl class="facts">
                    <div>
                        <dt>"车牌"</dt>
                        <dd>
                            <span data-test="car-plate">{c.plate.clone()}</span>
                            {plate_kind}
                        </dd>
                    </div>
                    {fact("车架号", c.vin.clone(), "car-vin")}
                    {fact("交车日期", c.delivered_on.to_string(), "car-delivered")}
                    {fact("当前里程", format!("{}公里", c.odometer_km), "car-odometer")}
                    {fact("下次保养", maintenance, "car-maintenance")}
                    {fact("年检", inspection, "car-inspection")}
                    {fact("保险到期", insurance, "car-insurance")}
                    {fact("整车质保", warranty, "car-warranty")}
                </dl>
                <p class="hint">{note}</p>
                <form class="field km-form" on:submit=submit>
                    <label for="km">"更新我的里程（公里）"</label>
                    <div class="inline-field">
                        <input id="km" type="number" inputmode="numeric" data-test="km-input"
                            aria-describedby="km-error" placeholder=c.odometer_km.to_string()
                            prop:value=km on:input=move |ev| set_km.set(event_target_value(&ev)) />
                        <button class="btn btn-primary" type="submit" data-test="km-save" disabled=save.pending()>"更新"</button>
                    </div>
                    <FieldError message=error id="km-error" />
                </form>
                {advisor.map(|a| {
                    let initial = a.name.chars().next().map(String::from).unwrap_or_default();
                    view! {
                        <div class="advisor-card" data-test="car-advisor">
                            <span class="advisor-initial" aria-hidden="true">{initial}</span>
                            <div>
                                <p>"服务顾问 " <strong>{a.name}</strong></p>
                                {a.wechat.map(|w| view! { <p class="hint" data-test="advisor-wechat">"微信号 " {w}</p> })}
                            </div>
                            <a class="btn btn-line" href=format!("tel:{}", a.phone)>"拨打电话"</a>
                        </div>
                    }
                })}
            </section>
        }
    }
}

/// `text` with each date in it (`2028-10-01`) kept on one line: a narrow screen would break
/// it after a hyphen ("2028-" / "10-01").
fn whole_dates(text: String) -> impl IntoView {
    let mut parts = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = date_at(rest) {
        parts.push(rest[..at].to_string().into_any());
        let date = rest[at..at + 10].to_string();
        parts.push(view! { <span class="nowrap">{date}</span> }.into_any());
        rest = &rest[at + 10..];
    }
    parts.push(rest.to_string().into_any());
    parts
}

/// Where the first `YYYY-MM-DD` in `text` starts (an ASCII run, so a char boundary).
fn date_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(9)).find(|&i| {
        bytes[i..i + 10].iter().enumerate().all(|(j, b)| match j {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    })
}
