//! `/console/leads`: the leads I may see, filtered by status, consultant (managers), origin
//! page, arrival date and a name/phone search. The filters live in the URL's query, so a
//! lead opened from the list comes back to the same list.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::nav::{use_nav, Entry};
use crate::timer::Timeout;
use leptos::prelude::*;
use shared::console::{LeadStatus, LeadSummary};

use super::api::{self, LeadFilter};
use super::format::short_time;
use super::{lead_href, use_session, LEADS};
use crate::components::status::{LoadError, Loading};

/// The filter a `?status=…&q=…` query asks for (`get` reads one of its values); values that
/// do not parse are ignored.
fn filter_from(get: impl Fn(&str) -> Option<String>) -> LeadFilter {
    let text = |key: &str| get(key).unwrap_or_default();
    LeadFilter {
        status: get("status").as_deref().and_then(LeadStatus::parse),
        consultant: get("consultant").and_then(|c| c.parse().ok()),
        origin: get("origin").filter(|o| !o.is_empty()),
        from: text("from"),
        to: text("to"),
        q: text("q"),
    }
}

/// How long typing pauses before the search runs.
const SEARCH_PAUSE: Duration = Duration::from_millis(300);

#[component]
pub fn Leads() -> impl IntoView {
    super::set_title("线索");
    let session = use_session();
    let nav = use_nav();
    let query = nav.query();
    let filter =
        Memo::new(move |_| query.with(|q| filter_from(|key| q.get(key).map(str::to_string))));
    let apply = move |change: &dyn Fn(&mut LeadFilter)| {
        let mut next = filter.get_untracked();
        change(&mut next);
        nav.open(&format!("{LEADS}{}", next.query()), Entry::Replace);
    };

    let leads = LocalResource::new(move || {
        let filter = filter.get();
        async move { session.check(api::leads(&filter).await) }
    });
    let staff = LocalResource::new(move || {
        let manages = session.manages();
        async move {
            if manages {
                session.check(api::consultants().await)
            } else {
                Ok(Vec::new())
            }
        }
    });
    // The origin pages seen so far, so filtering by one does not hide the others.
    let origins = RwSignal::new(BTreeSet::<String>::new());
    Effect::new(move |_| {
        let seen: Vec<String> = leads.with(|l| match l {
            Some(Ok(list)) => list.iter().map(|l| l.origin_page.clone()).collect(),
            _ => Vec::new(),
        });
        let chosen = filter.with(|f| f.origin.clone());
        origins.update(|o| o.extend(seen.into_iter().chain(chosen)));
    });

    // The search box runs after a pause in typing, or at once on Enter; a search still
    // waiting when the page goes (a lead or a tab tapped) never runs.
    let search = RwSignal::new(filter.get_untracked().q);
    let pause = Timeout::new();
    let run_search = {
        move || {
            let q = search.get_untracked();
            if filter.with_untracked(|f| f.q != q) {
                apply(&|f| f.q = q.clone());
            }
        }
    };
    let on_search_input = {
        move |ev| {
            search.set(event_target_value(&ev));
            pause.start(SEARCH_PAUSE, run_search);
        }
    };
    let on_search_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pause.cancel();
        run_search();
    };

    let status_chip = {
        move |status: Option<LeadStatus>| {
            let on = move || filter.with(|f| f.status == status);
            let (test, label) = match status {
                Some(s) => (format!("filter-status-{}", s.as_str()), s.label()),
                None => ("filter-status-all".to_string(), "全部"),
            };
            view! {
                <button
                    type="button"
                    class="c-chip"
                    class:on=on
                    aria-pressed=move || on().to_string()
                    data-test=test
                    on:click=move |_| apply(&|f| f.status = status)
                >
                    {label}
                </button>
            }
        }
    };
    let chips = std::iter::once(None)
        .chain(LeadStatus::ALL.into_iter().map(Some))
        .map(status_chip)
        .collect_view();

    let consultant_select = {
        move || {
            session.manages().then(|| {
                let options = move || {
                    staff
                        .get()
                        .and_then(Result::ok)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|s| {
                            let selected = filter.with(|f| f.consultant == Some(s.id));
                            view! { <option value=s.id.to_string() selected=selected>{s.name}</option> }
                        })
                        .collect_view()
                };
                view! {
                    <label class="c-filter">
                        <span>"顾问"</span>
                        <select
                            data-test="filter-consultant"
                            on:change=move |ev| {
                                let id = event_target_value(&ev).parse().ok();
                                apply(&|f| f.consultant = id);
                            }
                        >
                            <option value="" selected=move || filter.with(|f| f.consultant.is_none())>
                                "全部顾问"
                            </option>
                            {options}
                        </select>
                    </label>
                }
            })
        }
    };
    let origin_options = move || {
        origins
            .get()
            .into_iter()
            .map(|page| {
                let current = page.clone();
                let selected =
                    move || filter.with(|f| f.origin.as_deref() == Some(current.as_str()));
                let value = page.clone();
                view! { <option value=value selected=selected>{shared::booking::origin_page_label(&page)}</option> }
            })
            .collect_view()
    };
    let date_input = {
        move |label: &'static str, test: &'static str, to: bool| {
            let value = move || filter.with(|f| if to { f.to.clone() } else { f.from.clone() });
            view! {
                <label class="c-filter">
                    <span>{label}</span>
                    <input
                        type="date"
                        data-test=test
                        prop:value=value
                        on:change=move |ev| {
                            let date = event_target_value(&ev);
                            apply(&|f| if to { f.to = date.clone() } else { f.from = date.clone() });
                        }
                    />
                </label>
            }
        }
    };

    let list = move || match leads.get() {
        None => view! { <Loading count=4 class="c-ph-row" /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="c-none" data-test="leads-empty">"没有符合条件的线索"</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <p class="c-count">{format!("共 {} 条", list.len())}</p>
            <ul class="c-list">
                {list.into_iter().map(|lead| view! { <LeadRow lead /> }).collect_view()}
            </ul>
        }
        .into_any(),
    };

    view! {
        <main class="c-page">
            <h1 class="c-title">"线索"</h1>
            <form class="c-search" role="search" on:submit=on_search_submit>
                <input
                    type="search"
                    placeholder="搜索姓名或手机号"
                    aria-label="搜索姓名或手机号"
                    enterkeyhint="search"
                    data-test="search"
                    prop:value=search
                    on:input=on_search_input
                />
            </form>
            <div class="c-chips c-status-chips" role="group" aria-label="状态" data-test="status-chips">{chips}</div>
            <div class="c-filters">
                {consultant_select}
                <label class="c-filter">
                    <span>"来源"</span>
                    <select
                        data-test="filter-origin"
                        on:change=move |ev| {
                            let page = Some(event_target_value(&ev)).filter(|p| !p.is_empty());
                            apply(&|f| f.origin = page.clone());
                        }
                    >
                        <option value="" selected=move || filter.with(|f| f.origin.is_none())>
                            "全部来源"
                        </option>
                        {origin_options}
                    </select>
                </label>
                {date_input("从", "filter-from", false)}
                {date_input("到", "filter-to", true)}
            </div>
            {list}
        </main>
    }
}

#[component]
fn LeadRow(lead: LeadSummary) -> impl IntoView {
    let name = if lead.name.is_empty() {
        "已删除".to_string()
    } else {
        lead.name
    };
    let claim = lead
        .lost_claim
        .is_some()
        .then(|| view! { <span class="c-badge" data-test="lost-claim-badge">"待审批"</span> });
    let mut sub = vec![short_time(lead.created_at)];
    sub.extend(lead.series_name);
    sub.push(
        lead.consultant
            .map_or_else(|| "未分配".to_string(), |c| c.name),
    );
    view! {
        <li>
            <a class="c-lead" href=lead_href(lead.id) data-test="lead-row" data-id=lead.id.to_string()>
                <div class="c-row-head">
                    <span class="c-name">{name}</span>
                    <span class="c-phone">{lead.phone}</span>
                    {claim}
                    <span class=format!("c-status c-l-{}", lead.status.as_str())>{lead.status.label()}</span>
                </div>
                <div class="c-sub">{sub.join(" · ")}</div>
            </a>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_says_what_is_filtered() {
        let query = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            filter_from(query(&[
                ("status", "test_driven"),
                ("consultant", "7"),
                ("origin", "车型页"),
                ("from", "2026-12-01"),
                ("q", "张"),
            ])),
            LeadFilter {
                status: Some(LeadStatus::TestDriven),
                consultant: Some(7),
                origin: Some("车型页".into()),
                from: "2026-12-01".into(),
                to: String::new(),
                q: "张".into(),
            }
        );
        let junk = query(&[("status", "won"), ("consultant", "x"), ("origin", "")]);
        assert_eq!(filter_from(junk), LeadFilter::default());
    }
}
