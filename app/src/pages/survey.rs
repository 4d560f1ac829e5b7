//! 服务评价: the one-screen survey after a completed test drive (on 我的预约) or service (on the
//! owner page) — a score from 0 to 10, a few tags, an optional comment — checked as typed with
//! `shared::survey`'s rules and sent once per visit; an answered visit shows its score.

use leptos::prelude::*;
use shared::survey::{SurveyAnswer, SurveyVisit, VisitKind, MAX_COMMENT, MAX_SCORE, TAGS};

use crate::components::field_error::FieldError;
use crate::{api, use_dealer};

/// The person's completed visits of `kind`, each with its survey or its score.
#[component]
pub fn Surveys(kind: VisitKind) -> impl IntoView {
    let dealer = use_dealer();
    let visits = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::surveys(&slug).await }
    });
    move || {
        let list: Vec<SurveyVisit> = match visits.get() {
            Some(Ok(v)) => v.visits.into_iter().filter(|v| v.kind == kind).collect(),
            _ => Vec::new(),
        };
        list.into_iter()
            .map(|visit| view! { <SurveyCard visit /> })
            .collect_view()
    }
}

#[component]
fn SurveyCard(visit: SurveyVisit) -> impl IntoView {
    let dealer = use_dealer();
    let score = RwSignal::new(None::<i64>);
    let tags = RwSignal::new(Vec::<String>::new());
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<(Option<String>, String)>);
    let answered = RwSignal::new(visit.answered);
    let earned = RwSignal::new(0);
    let (kind, code) = (visit.kind, visit.code.clone());
    let send = Action::new_unsync(move |answer: &SurveyAnswer| {
        let (slug, answer) = (dealer.slug.get_untracked(), answer.clone());
        async move { api::answer_survey(&slug, &answer).await }
    });
    let points_earned = use_context::<super::owner_points::PointsEarned>();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(thanks)) => {
            earned.set(thanks.points);
            answered.set(score.get_untracked());
            if let Some(p) = points_earned.filter(|_| thanks.points > 0) {
                p.0.update(|n| *n += 1);
            }
        }
        Some(Err(e)) => error.set(Some((
            match &e {
                api::Error::Api(a) => a.field.clone(),
                _ => None,
            },
            e.message(),
        ))),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(value) = score.get_untracked() else {
            error.set(Some((Some("score".into()), "请打0到10分".into())));
            return;
        };
        let answer = SurveyAnswer {
            kind,
            code: code.clone(),
            score: value,
            tags: tags.get_untracked(),
            comment: comment.get_untracked(),
        };
        match answer.validate() {
            Err(e) => error.set(Some((e.field, e.message))),
            Ok(_) if !send.pending().get_untracked() => {
                error.set(None);
                send.dispatch(answer);
            }
            Ok(_) => {}
        }
    };
    let error_of = move |name: &'static str| {
        Signal::derive(move || {
            error
                .get()
                .filter(|(field, _)| field.as_deref() == Some(name))
                .map(|(_, message)| message)
        })
    };
    let scores = (0..=MAX_SCORE)
        .map(|n| {
            view! {
                <button type="button" class="score" data-test="survey-score"
                    class:on=move || score.get() == Some(n)
                    aria-pressed=move || (score.get() == Some(n)).to_string()
                    on:click=move |_| score.set(Some(n))>
                    {n.to_string()}
                </button>
            }
        })
        .collect_view();
    let chips = TAGS
        .iter()
        .map(|tag| {
            let tag = *tag;
            let on = move || tags.with(|t| t.iter().any(|x| x == tag));
            view! {
                <button type="button" class="chip" data-test="survey-tag" class:on=on
                    aria-pressed=move || on().to_string()
                    on:click=move |_| tags.update(|t| {
                        if let Some(i) = t.iter().position(|x| x == tag) {
                            t.remove(i);
                        } else {
                            t.push(tag.to_string());
                        }
                    })>
                    {tag}
                </button>
            }
        })
        .collect_view();
    let form = view! {
        <form class="survey" on:submit=on_submit novalidate>
            <p class="survey-q" id="survey-score-label">"您愿意向朋友推荐我们吗？（0–10分）"</p>
            <div class="scores" role="group" aria-labelledby="survey-score-label">{scores}</div>
            <FieldError message=error_of("score") id="survey-score-error" />
            <div class="chips" role="group" aria-label="印象标签">{chips}</div>
            <FieldError message=error_of("tags") id="survey-tags-error" />
            <label for=format!("survey-comment-{}", visit.code)>"想对我们说（选填）"</label>
            <textarea id=format!("survey-comment-{}", visit.code) rows="2" data-test="survey-comment"
                maxlength=MAX_COMMENT.to_string()
                prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            <FieldError message=error_of("comment") id="survey-comment-error" />
            <FieldError message=error_of("code") id="survey-code-error" />
            <button class="btn btn-primary btn-block" type="submit" data-test="survey-submit" disabled=send.pending()>
                "提交评价"
            </button>
        </form>
    };
    let form = StoredValue::new_local(Some(form));
    view! {
        <section class="card loyalty-card" data-test="survey">
            <h2>"服务评价"</h2>
            <p class="hint">{format!("{} · {}", visit.title, visit.day)}</p>
            {move || match answered.get() {
                Some(n) => {
                    let points = earned.get();
                    let extra = if points > 0 { format!("，获得{points}积分") } else { String::new() };
                    view! { <p data-test="survey-done">{format!("已评价：{n}分。感谢您的反馈{extra}")}</p> }.into_any()
                }
                None => form.try_update_value(Option::take).flatten().into_any(),
            }}
        </section>
    }
}
