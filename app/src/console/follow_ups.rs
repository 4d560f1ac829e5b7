//! 低分回访 on 今日 (managers and admins): each survey scored 6 or lower with who answered,
//! their phone to call, the tags and comment, and 已回访 to mark it done.

use leptos::prelude::*;
use shared::survey::SurveyFollowUp;

use super::format::short_time;
use super::{api, use_session};

#[component]
pub fn FollowUps(follow_ups: Vec<SurveyFollowUp>) -> impl IntoView {
    if follow_ups.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="c-section" data-test="follow-ups">
            <h2>"低分回访"</h2>
            <ul class="c-list">
                {follow_ups
                    .into_iter()
                    .map(|f| view! { <FollowUpItem follow=f /> })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn FollowUpItem(follow: SurveyFollowUp) -> impl IntoView {
    let session = use_session();
    let id = follow.id;
    let done =
        Action::new_unsync(move |_: &()| async move { session.check(api::follow_up(id).await) });
    let error = move || match done.value().get() {
        Some(Err(e)) => Some(e.message()),
        _ => None,
    };
    let finished = move || matches!(done.value().get(), Some(Ok(())));
    let tags = follow.tags.join("、");
    let detail = [tags, follow.comment.clone()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("；");
    view! {
        <li class="c-card c-follow" data-test="follow-up">
            <p>
                <span class="c-kind c-kind-lost">{format!("{}分", follow.score)}</span>
                " " <strong>{follow.name.clone()}</strong> " "
                <a href=format!("tel:{}", follow.phone)>{follow.phone.clone()}</a>
            </p>
            <p class="c-sub">{format!("{} {} · {}", follow.kind.label(), follow.code, short_time(follow.created_at))}</p>
            <p class="c-sub">{detail}</p>
            <p class="c-error" role="alert">{error}</p>
            <button
                type="button"
                class="btn btn-line"
                data-test="follow-up-done"
                disabled=move || done.pending().get() || finished()
                on:click=move |_| {
                    done.dispatch(());
                }
            >
                {move || if finished() { "已回访" } else { "标记已回访" }}
            </button>
        </li>
    }
}
