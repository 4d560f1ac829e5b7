//! `/{dealer}/select`: smart selection (智能选车). Five questions on one compact screen, the
//! answers posted to the ranking, and the ranked trims with why each fits.

use leptos::prelude::*;
use shared::filter::PRICE_BANDS;
use shared::money;
use shared::page::Page;
use shared::select::{Answers, Priority, Recommendation, Usage};

use crate::components::field_error::FieldError;
use crate::components::status::{sells_nothing, NothingOnSale};
use crate::components::trim_actions::CompareToggle;
use crate::{api, use_dealer};

const FAMILY: [(i64, &str); 4] = [(2, "1-2人"), (4, "3-4人"), (5, "5人"), (7, "6-7人")];

/// One question as a row of radio chips.
fn question<T: Copy + PartialEq + Send + Sync + 'static>(
    name: &'static str,
    legend: &'static str,
    options: Vec<(T, String)>,
    value: RwSignal<T>,
) -> impl IntoView {
    view! {
        <fieldset class="question" data-test=format!("q-{name}")>
            <legend>{legend}</legend>
            <div class="chips wrap">
                {options
                    .into_iter()
                    .enumerate()
                    .map(|(i, (v, label))| {
                        view! {
                            <label class="chip radio" class:on=move || value.get() == v>
                                <input
                                    type="radio"
                                    name=name
                                    value=i.to_string()
                                    prop:checked=move || value.get() == v
                                    on:change=move |_| value.set(v)
                                />
                                {label}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

#[component]
pub fn Select() -> impl IntoView {
    crate::set_title("智能选车");
    let dealer = use_dealer();
    let budget = RwSignal::new(2_usize);
    let usage = RwSignal::new(Usage::Family);
    let family = RwSignal::new(4_i64);
    let home_charging = RwSignal::new(true);
    let priority = RwSignal::new(Priority::Range);
    let error = RwSignal::new(None::<String>);

    let action = Action::new_unsync(move |answers: &Answers| {
        let answers = answers.clone();
        let slug = dealer.slug.get_untracked();
        async move { api::recommendations(&slug, &answers).await }
    });
    let results_ref = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if action.value().with(Option::is_some) {
            if let Some(section) = results_ref.get() {
                section.scroll_into_view();
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (_, min, max) = PRICE_BANDS[budget.get_untracked().min(PRICE_BANDS.len() - 1)];
        let answers = Answers {
            budget_min: min,
            budget_max: max,
            usage: usage.get_untracked(),
            family_size: family.get_untracked(),
            home_charging: home_charging.get_untracked(),
            priority: priority.get_untracked(),
        };
        match answers.validate() {
            Ok(()) => {
                error.set(None);
                action.dispatch(answers);
            }
            Err(e) => error.set(Some(e.message)),
        }
    };

    let results = move || {
        action.value().get().map(|r| match r {
            Err(e) => view! { <p class="notice" role="alert">{e.message()}</p> }.into_any(),
            Ok(list) if list.is_empty() && sells_nothing() => {
                view! { <NothingOnSale /> }.into_any()
            }
            Ok(list) if list.is_empty() => view! {
                <div class="empty" data-test="no-recommendations">
                    <p>"暂时没有完全符合的车型，试试放宽预算或人数。"</p>
                </div>
            }
            .into_any(),
            Ok(list) => list
                .into_iter()
                .enumerate()
                .map(|(i, r)| view! { <RecommendationCard rank=i + 1 rec=r /> })
                .collect_view()
                .into_any(),
        })
    };

    view! {
        <main class="page select">
            <h1>"智能选车"</h1>
            <p class="muted">"回答5个问题，按本店在售车型为您排序推荐。"</p>
            <form class="card select-form" on:submit=submit>
                {question(
                    "budget",
                    "1. 预算多少？",
                    PRICE_BANDS.iter().enumerate().map(|(i, b)| (i, b.0.to_string())).collect(),
                    budget,
                )}
                {question(
                    "usage",
                    "2. 主要用途？",
                    Usage::ALL.iter().map(|u| (*u, u.label().to_string())).collect(),
                    usage,
                )}
                {question(
                    "family",
                    "3. 常坐几个人？",
                    FAMILY.iter().map(|(n, l)| (*n, l.to_string())).collect(),
                    family,
                )}
                {question(
                    "charging",
                    "4. 家里能装充电桩吗？",
                    vec![(true, "能装".to_string()), (false, "不能装".to_string())],
                    home_charging,
                )}
                {question(
                    "priority",
                    "5. 最看重什么？",
                    Priority::ALL.iter().map(|p| (*p, p.label().to_string())).collect(),
                    priority,
                )}
                <FieldError message=error id="select-error" />
                <button type="submit" class="btn btn-primary btn-block" data-test="select-submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "正在推荐…" } else { "为我推荐" }}
                </button>
            </form>
            <section class="list results" node_ref=results_ref aria-live="polite" data-test="recommendations">
                {results}
            </section>
        </main>
    }
}

#[component]
fn RecommendationCard(rank: usize, rec: Recommendation) -> impl IntoView {
    let dealer = use_dealer();
    let slug = dealer.slug.get_untracked();
    let t = rec.trim;
    let price = t
        .dealer_price
        .or(t.guide_price)
        .map(money::yuan)
        .unwrap_or_else(|| "—".into());
    let price_label = if t.dealer_price.is_some() {
        "本店价"
    } else {
        "指导价"
    };
    view! {
        <article class="card rec" data-test="recommendation" data-id=t.id.clone()>
            <div class="rec-head">
                <span class="rank"><span class="sr-only">"第"</span>{rank}<span class="sr-only">"名"</span></span>
                <h3>{t.name.clone()}</h3>
            </div>
            <p class="price-tag">
                <span class="deal">{price_label} " " {price}</span>
            </p>
            <ul class="reasons">
                {rec.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
            </ul>
            <div class="trim-actions">
                <CompareToggle id=t.id.clone() />
                <a class="btn btn-line btn-small" href=Page::Series(t.series_id.clone()).href(&slug)>"查看车型"</a>
                <a class="btn btn-line btn-small" href=format!("{}?trim={}", Page::Calculator.href(&slug), api::encode(&t.id))>"算落地价"</a>
            </div>
        </article>
    }
}
