//! The reminders staff follow up: on 今日, the open ones of the viewer's cars (an advisor's
//! own, every car for managers), each linking to its car and marked 已跟进 in place; on a
//! car's page, its whole reminder history.

use leptos::prelude::*;
use shared::reminder::ReminderTask;

use super::format::short_time;
use super::{api, use_session};
use crate::components::status::LoadError;

/// How a reminder stands, in a word.
fn state(task: &ReminderTask) -> String {
    match (task.followed_up_at, task.sent_at, &task.last_error) {
        (Some(at), _, _) => format!("已跟进 {}", short_time(at)),
        (None, Some(at), _) => format!("已发微信 {}", short_time(at)),
        (None, None, Some(_)) => "微信发送失败，稍后重试".into(),
        (None, None, None) => "待跟进".into(),
    }
}

/// 今日's 提醒跟进: nothing shown when there is none.
#[component]
pub fn ReminderTasks() -> impl IntoView {
    let session = use_session();
    let tasks =
        LocalResource::new(move || async move { session.check(api::reminder_tasks().await) });
    move || match tasks.get() {
        None => None,
        Some(Err(e)) => Some(view! { <LoadError message=e.message() /> }.into_any()),
        Some(Ok(list)) if list.is_empty() => None,
        Some(Ok(list)) => Some(
            view! {
                <section class="c-section" data-test="reminder-tasks">
                    <h2>"提醒跟进"</h2>
                    <ul class="c-list">
                        {list.into_iter().map(|task| view! { <TaskRow task /> }).collect_view()}
                    </ul>
                </section>
            }
            .into_any(),
        ),
    }
}

#[component]
fn TaskRow(task: ReminderTask) -> impl IntoView {
    let session = use_session();
    let id = task.id;
    let done = Action::new_unsync(move |_: &()| async move {
        session.check(api::follow_up_reminder(id).await)
    });
    let finished = move || matches!(done.value().get(), Some(Ok(())));
    let href = format!("{}/{}", super::OWNERS, task.car_id);
    let who = task.owner_name.clone().unwrap_or_default();
    let line = format!("{} {} · {}", task.plate, who, task.detail);
    let status = state(&task);
    view! {
        <li class="c-task" data-test="reminder-task">
            <span class="c-kind c-kind-confirm">{task.kind.label()}</span>
            <a class="c-task-title" href=href>{line}</a>
            <span class="c-sub">{move || if finished() { "已跟进".to_string() } else { status.clone() }}</span>
            <button type="button" class="btn btn-line" data-test="reminder-done"
                disabled=move || done.pending().get() || finished()
                on:click=move |_| { done.dispatch(()); }>"已跟进"</button>
            <p class="c-error" role="alert">{move || done.value().get().and_then(Result::err).map(|e| e.message())}</p>
        </li>
    }
}

/// A car's reminders, newest first, for its page.
#[component]
pub fn CarReminderHistory(reminders: Vec<ReminderTask>) -> impl IntoView {
    view! {
        <section class="c-card" data-test="car-reminders">
            <h2>"提醒记录"</h2>
            {if reminders.is_empty() {
                view! { <p class="c-none">"暂无提醒"</p> }.into_any()
            } else {
                reminders
                    .into_iter()
                    .map(|r| view! {
                        <p class="c-sub" data-test="car-reminder">
                            {format!("{} · {} · {} · {}", r.kind.label(), r.due_on, r.detail, state(&r))}
                        </p>
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}
