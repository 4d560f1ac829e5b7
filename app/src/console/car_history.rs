//! A car's after-sales history on its console page: the service visits (work, slot, status and
//! the km read), the answers to their surveys, and the points ledger of the owner it is bound to.

use leptos::prelude::*;
use shared::loyalty::PointsEntry;
use shared::service::ServiceBooking;
use shared::survey::CarSurvey;

use super::format::short_time;

#[component]
pub fn CarHistory(
    service: Vec<ServiceBooking>,
    surveys: Vec<CarSurvey>,
    points: Vec<PointsEntry>,
) -> impl IntoView {
    let none = |text: &'static str| view! { <p class="c-none">{text}</p> }.into_any();
    let visits = if service.is_empty() {
        none("暂无服务记录")
    } else {
        service
            .into_iter()
            .map(|b| {
                let km = b.km.map(|km| format!(" · {km}公里")).unwrap_or_default();
                view! {
                    <p class="c-sub" data-test="car-service">
                        {format!("{} · {} · {}{km}", b.slot.label(), b.work.label(), b.status.label())}
                    </p>
                }
            })
            .collect_view()
            .into_any()
    };
    let answers = if surveys.is_empty() {
        none("暂无评价")
    } else {
        surveys
            .into_iter()
            .map(|s| {
                let score = format!("{}分", s.score);
                let tags = s.tags.join("、");
                let when = short_time(s.created_at);
                let line = [
                    score.as_str(),
                    tags.as_str(),
                    s.comment.as_str(),
                    when.as_str(),
                ]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
                view! { <p class="c-sub" data-test="car-survey">{line}</p> }
            })
            .collect_view()
            .into_any()
    };
    let total: i64 = points.iter().map(|p| p.points).sum();
    let ledger = if points.is_empty() {
        none("暂无积分")
    } else {
        points
            .into_iter()
            .map(|p| {
                view! {
                    <p class="c-sub" data-test="car-points">
                        {format!("+{} · {} · {} · {}", p.points, p.reason.label(), p.detail, short_time(p.created_at))}
                    </p>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="c-card" data-test="car-service-history">
            <h2>"服务记录"</h2>
            {visits}
        </section>
        <section class="c-card" data-test="car-surveys">
            <h2>"服务评价"</h2>
            {answers}
        </section>
        <section class="c-card" data-test="car-ledger">
            <h2>{format!("车主积分（共{total}分）")}</h2>
            {ledger}
        </section>
    }
}
