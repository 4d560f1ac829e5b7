//! `/console/`: my tasks (leads waiting for a first call, with a clock that ticks each
//! minute; tomorrow's bookings to confirm; 战败 waiting for approval; customers handed over), the reminders to follow
//! up, then today's bookings by store and time, each workable in place; managers also see low
//! survey scores to call back. A new dealer's admin first sees what is left to set up. Service advisors see the service visits (`service_desk.rs`)
//! first; managers and admins after the test drives.

use std::time::Duration;

use leptos::prelude::*;
use shared::console::{FirstSteps, Role, Task, TaskKind};

use super::booking_row::BookingRow;
use super::format::{by_store, waited};
use super::reminder_tasks::ReminderTasks;
use super::service_desk::ServiceDesk;
use super::{api, lead_href, use_session, CATALOG, STAFF, STORES, WECHAT};
use crate::components::status::{LoadError, Loading};

/// The task's tag and the class that colours it.
fn kind_tag(kind: TaskKind) -> (&'static str, &'static str) {
    match kind {
        TaskKind::CallBack => ("待回电", "c-kind c-kind-call"),
        TaskKind::ConfirmBooking => ("明日待确认", "c-kind c-kind-confirm"),
        TaskKind::ApproveLost => ("战败待审批", "c-kind c-kind-lost"),
        TaskKind::HandedOver => ("交接客户", "c-kind c-kind-handed"),
    }
}

#[component]
pub fn Today() -> impl IntoView {
    super::set_title("今日");
    let session = use_session();
    let today = LocalResource::new(move || async move { session.check(api::today().await) });
    // The first-response clocks read this; it moves on every minute.
    let now = RwSignal::new(js_sys::Date::now() as i64);
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(js_sys::Date::now() as i64),
        Duration::from_secs(60),
    ) {
        on_cleanup(move || handle.clear());
    }
    let content = move || match today.get() {
        None => view! { <Loading count=3 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(today)) => {
            let tasks = if today.tasks.is_empty() {
                view! { <p class="c-none">"暂无待办"</p> }.into_any()
            } else {
                view! {
                    <ul class="c-list">
                        {today
                            .tasks
                            .into_iter()
                            .map(|task| view! { <TaskItem task now /> })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            };
            let bookings = if today.bookings.is_empty() {
                view! { <p class="c-none">"今日暂无预约"</p> }.into_any()
            } else {
                by_store(today.bookings)
                    .into_iter()
                    .map(|(store, list)| {
                        view! {
                            <h3 class="c-store-name">{store}</h3>
                            <ul class="c-list">
                                {list
                                    .into_iter()
                                    .map(|booking| view! { <BookingRow booking /> })
                                    .collect_view()}
                            </ul>
                        }
                    })
                    .collect_view()
                    .into_any()
            };
            view! {
                {today.first_steps.map(|steps| view! { <FirstStepsCard steps /> })}
                <section class="c-section">
                    <h2>"我的待办"</h2>
                    {tasks}
                </section>
                <ReminderTasks />
                <super::follow_ups::FollowUps follow_ups=today.follow_ups />
                <section class="c-section">
                    <h2>"今日预约"</h2>
                    {bookings}
                </section>
            }
            .into_any()
        }
    };
    let role = move || session.me().map(|me| me.staff.role);
    let advises = move || role() == Some(Role::ServiceAdvisor);
    let manages = move || role().is_some_and(Role::manages);
    view! {
        <main class="c-page">
            <h1 class="c-title">"今日"</h1>
            {move || advises().then(|| view! { <ServiceDesk /> })}
            {content}
            {move || manages().then(|| view! { <ServiceDesk /> })}
        </main>
    }
}

#[component]
fn TaskItem(task: Task, now: RwSignal<i64>) -> impl IntoView {
    let Task {
        kind,
        lead_id,
        title,
        since,
        ..
    } = task;
    let clock = (kind == TaskKind::CallBack)
        .then(|| view! { <span class="c-clock">{move || waited(since, now.get())}</span> });
    let (tag, class) = kind_tag(kind);
    let inner = view! {
        <span class=class>{tag}</span>
        <span class="c-task-title">{title}</span>
        {clock}
    };
    match lead_id {
        Some(id) => view! {
            <li><a class="c-task" href=lead_href(id) data-test="task">{inner}</a></li>
        }
        .into_any(),
        None => view! { <li class="c-task" data-test="task">{inner}</li> }.into_any(),
    }
}

/// A new dealer's admin's 开始使用: each step of the set-up, done or where to do it.
#[component]
fn FirstStepsCard(steps: FirstSteps) -> impl IntoView {
    let items = [
        (
            steps.stores > 0,
            "添加门店",
            "地址、营业时间和试驾时段，顾客才能预约",
            STORES,
        ),
        (
            steps.series_on_sale > 0,
            "上架车型",
            "从平台车型库选出本店在售的车系",
            CATALOG,
        ),
        (
            steps.colleagues > 0,
            "添加员工",
            "销售顾问、服务顾问各用自己的账号和专属链接",
            STAFF,
        ),
        (
            steps.wechat,
            "接入微信公众号",
            "分享卡片带上门店名称和图片",
            WECHAT,
        ),
    ];
    view! {
        <section class="c-section c-first-steps" data-test="first-steps">
            <h2>"开始使用"</h2>
            <ol class="c-steps">
                {items
                    .into_iter()
                    .map(|(done, title, what, href)| {
                        let class = if done { "c-step c-step-done" } else { "c-step" };
                        view! {
                            <li class=class>
                                <a href=href>
                                    <strong>{title}</strong>
                                    <span>{if done { "已完成" } else { what }}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
