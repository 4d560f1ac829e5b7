//! 服务预约 on the 今日 page, for service advisors, managers and admins: the service visits of
//! their stores and cars, by day (last week's still unmarked first, then today and the days
//! to come); an open visit whose day has come is marked 已完成 with the odometer read at the
//! workshop (never below the car's last reading) or 未到店, in place.

use leptos::prelude::*;
use shared::date::Date;
use shared::service::{ServiceStatus, ServiceUpdate, StaffService};

use super::format::dialable;
use super::{api, use_session};
use crate::components::status::{LoadError, Loading};

/// `今天`, `明天`, else `12月3日 周四`.
fn day_heading(date: Date, today: Date) -> String {
    match date.unix_days() - today.unix_days() {
        0 => "今天".into(),
        1 => "明天".into(),
        d if d < 0 => format!(
            "{}月{}日 {}（待处理）",
            date.month,
            date.day,
            date.weekday_zh()
        ),
        _ => format!("{}月{}日 {}", date.month, date.day, date.weekday_zh()),
    }
}

/// The visits grouped by day, in the order the server lists them.
fn by_day(list: Vec<StaffService>) -> Vec<(Date, Vec<StaffService>)> {
    let mut days: Vec<(Date, Vec<StaffService>)> = Vec::new();
    for visit in list {
        match days.last_mut() {
            Some((day, visits)) if *day == visit.slot.date => visits.push(visit),
            _ => days.push((visit.slot.date, vec![visit])),
        }
    }
    days
}

#[component]
pub fn ServiceDesk() -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || async move { session.check(api::service_desk().await) });
    let today = crate::today();
    let content = move || match list.get() {
        None => view! { <Loading count=2 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="c-none" data-test="service-none">"近两周暂无服务预约"</p> }.into_any()
        }
        Some(Ok(list)) => by_day(list)
            .into_iter()
            .map(|(day, visits)| {
                view! {
                    <h3 class="c-store-name">{day_heading(day, today)}</h3>
                    <ul class="c-list">
                        {visits
                            .into_iter()
                            .map(|visit| view! { <ServiceRow visit today /> })
                            .collect_view()}
                    </ul>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <section class="c-section" data-test="service-desk">
            <h2>"服务预约"</h2>
            {content}
        </section>
    }
}

#[component]
fn ServiceRow(visit: StaffService, today: Date) -> impl IntoView {
    let session = use_session();
    let code = visit.code.clone();
    let current = RwSignal::new(visit);
    let km = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let record = Action::new_unsync(move |update: &ServiceUpdate| {
        let (code, update) = (current.with_untracked(|v| v.code.clone()), update.clone());
        async move { session.check(api::record_service(&code, &update).await) }
    });
    Effect::new(move |_| match record.value().get() {
        Some(Ok(v)) => {
            error.set(None);
            current.set(v);
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let send = move |update: ServiceUpdate| {
        if record.pending().get_untracked() {
            return;
        }
        match update.validate() {
            Ok(_) => {
                error.set(None);
                record.dispatch(update);
            }
            Err(e) => error.set(Some(e.message)),
        }
    };
    let complete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(read) = km.with_untracked(|km| shared::money::parse_amount(km)) else {
            error.set(Some("请填写到店时的里程（整数公里）".into()));
            return;
        };
        send(ServiceUpdate {
            status: ServiceStatus::Completed,
            km: Some(read),
        });
    };
    let no_show = move |_| {
        let sure = window()
            .confirm_with_message("确定标记为未到店吗？")
            .unwrap_or(false);
        if sure {
            send(ServiceUpdate {
                status: ServiceStatus::NoShow,
                km: None,
            });
        }
    };
    let head = move || {
        current.with(|v| {
            let status = v.status;
            view! {
                <span class="c-time">{format!("{}-{}", v.slot.start, v.slot.end)}</span>
                <span class="c-kind c-kind-confirm">{v.work.label()}</span>
                <span class=format!("c-status c-b-{}", status.as_str()) data-test="service-status">
                    {status.label()}
                </span>
            }
        })
    };
    let who = move || {
        current.with(|v| {
            let name = v.owner_name.clone().unwrap_or_else(|| "车主".into());
            let phone = v.owner_phone.clone().map(|p| {
                if dialable(&p) {
                    let tel = format!("tel:{p}");
                    view! { <a class="c-tel" href=tel>{p}</a> }.into_any()
                } else {
                    view! { <span class="c-phone">{p}</span> }.into_any()
                }
            });
            view! { <span class="c-name">{name}</span> {phone} }
        })
    };
    let car = move || {
        current.with(|v| {
            let mut text = format!(
                "{} · {} · 上次里程 {} 公里",
                v.plate, v.model, v.odometer_km
            );
            if let Some(advisor) = &v.advisor {
                text.push_str(&format!(" · 顾问 {advisor}"));
            }
            text.push_str(&format!(" · {}", v.store_name));
            text
        })
    };
    let note = move || {
        current.with(|v| {
            let mut lines = Vec::new();
            if !v.note.is_empty() {
                lines.push(format!("备注：{}", v.note));
            }
            if let Some(read) = v.km {
                lines.push(format!("到店里程 {read} 公里"));
            }
            lines.join(" · ")
        })
    };
    let actions = move || {
        let (open, due) = current.with(|v| (v.status.is_open(), v.slot.date <= today));
        (open && due).then(|| {
            view! {
                <form class="c-service-done" on:submit=complete>
                    <input
                        type="number"
                        inputmode="numeric"
                        min="0"
                        placeholder="到店里程（公里）"
                        aria-label="到店里程（公里）"
                        data-test="service-km"
                        prop:value=km
                        on:input=move |ev| km.set(event_target_value(&ev))
                    />
                    <button type="submit" class="btn btn-primary btn-small" data-test="service-complete"
                        disabled=move || record.pending().get()
                    >
                        "完成"
                    </button>
                    <button type="button" class="btn btn-line btn-small c-quiet" data-test="service-no-show"
                        disabled=move || record.pending().get()
                        on:click=no_show
                    >
                        "未到店"
                    </button>
                </form>
            }
        })
    };
    view! {
        <li class="c-booking" data-test="service-row" data-code=code>
            <div class="c-row-head">{head}</div>
            <div class="c-who">{who}</div>
            <div class="c-sub">{car}</div>
            <div class="c-sub">{note}</div>
            {actions}
            <p class="c-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_headed_by_how_far_they_are() {
        let today = Date::new(2026, 12, 1);
        for (date, heading) in [
            (today, "今天"),
            (Date::new(2026, 12, 2), "明天"),
            (Date::new(2026, 12, 3), "12月3日 周四"),
            (Date::new(2026, 11, 30), "11月30日 周一（待处理）"),
        ] {
            assert_eq!(day_heading(date, today), heading);
        }
    }
}
