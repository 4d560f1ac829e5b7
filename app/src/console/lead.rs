//! `/console/leads/{id}`: one lead. Who and how to reach them (tapping the number records a
//! call), where they came from, the pipeline moves `can_move_to` allows (战败 with a
//! reason, which a consultant's makes a claim for a manager), a manager's reassignment and
//! verdict on a claim, its share tree (`share_tree.rs`), follow-up notes, the timeline newest first, and the lead's bookings.

use leptos::prelude::*;
use shared::console::{LeadDetail, LeadStatus, Note, StatusChange, NOTE_MAX_CHARS};

use super::booking_row::BookingRow;
use super::format::{dialable, short_time};
use super::lead_href;
use super::share_tree::ShareTreeSection;
use super::{api, use_session, LEADS};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn Lead(id: i64) -> impl IntoView {
    super::set_title("线索详情");
    let session = use_session();
    let loaded = LocalResource::new(move || async move { session.check(api::lead(id).await) });
    let content = move || match loaded.get() {
        None => view! { <Loading count=3 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(detail)) => view! { <LeadView detail /> }.into_any(),
    };
    view! {
        <main class="c-page">
            <a class="c-back" href=LEADS>"‹ 线索"</a>
            {content}
        </main>
    }
}

/// What a button asked the server for, to know which form to clear or mark.
#[derive(Clone, Debug)]
enum Change {
    Call,
    Status(StatusChange),
    Note(Note),
    Reassign(i64),
    Decide(bool),
}

#[component]
fn LeadView(detail: LeadDetail) -> impl IntoView {
    let session = use_session();
    let id = detail.lead.id;
    let detail = RwSignal::new(detail);
    let lead = move || detail.with(|d| d.lead.clone());
    let error = RwSignal::new(None::<String>);
    let losing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<String>);

    let change = Action::new_unsync(move |change: &Change| {
        let change = change.clone();
        async move {
            let result = match &change {
                Change::Call => api::record_call(id).await,
                Change::Status(c) => api::change_status(id, c).await,
                Change::Note(n) => api::add_note(id, n).await,
                Change::Reassign(to) => api::reassign(id, *to).await,
                Change::Decide(approve) => api::decide_lost(id, *approve).await,
            };
            (change, session.check(result))
        }
    });
    Effect::new(move |_| {
        let Some((done, result)) = change.value().get() else {
            return;
        };
        match result {
            Ok(d) => {
                error.set(None);
                detail.set(d);
                match done {
                    Change::Status(_) => {
                        losing.set(false);
                        reason.set(String::new());
                        reason_error.set(None);
                    }
                    Change::Note(_) => {
                        note.set(String::new());
                        note_error.set(None);
                    }
                    _ => {}
                }
            }
            Err(e) => match (done, e.field()) {
                (Change::Status(_), Some("lost_reason")) => reason_error.set(Some(e.message())),
                (Change::Note(_), Some("text")) => note_error.set(Some(e.message())),
                _ => error.set(Some(e.message())),
            },
        }
    });
    let busy = move || change.pending().get();
    let send = move |c: Change| {
        if !change.pending().get_untracked() {
            error.set(None);
            change.dispatch(c);
        }
    };

    let header = move || {
        let lead = lead();
        let name = if lead.name.is_empty() {
            "已删除".to_string()
        } else {
            lead.name.clone()
        };
        let phone = if dialable(&lead.phone) {
            let tel = format!("tel:{}", lead.phone);
            // The call goes through the phone app; the console only notes that it was made.
            view! {
                <a class="c-tel" href=tel data-test="lead-phone" on:click=move |_| send(Change::Call)>
                    {lead.phone.clone()}
                </a>
            }
            .into_any()
        } else {
            view! { <span class="c-phone" data-test="lead-phone">{lead.phone.clone()}</span> }
                .into_any()
        };
        // A virtual-operator or data-card number: a reward-fraud signal to check, never a refusal.
        let risk = detail.with(|d| d.phone_risk.clone());
        let origin = shared::booking::origin_label(
            &lead.origin_page,
            &lead.origin_button,
            lead.origin_channel.as_deref(),
        );
        let claim = lead.lost_claim.clone().map(|why| {
            view! {
                <p class="notice" role="status" data-test="lost-claim">
                    "战败申请待经理审批：" {why}
                </p>
            }
        });
        view! {
            <header class="c-card c-lead-head">
                <div class="c-row-head">
                    <h1 class="c-name" data-test="lead-name">{name}</h1>
                    <span
                        class=format!("c-status c-l-{}", lead.status.as_str())
                        data-test="lead-status"
                    >
                        {lead.status.label()}
                    </span>
                </div>
                <p class="c-who">
                    {phone}
                    {risk.map(|r| view! { " " <span class="c-badge" role="note" data-test="phone-risk">{r}</span> })}
                </p>
                <dl class="c-facts">
                    <dt>"顾问"</dt>
                    <dd data-test="lead-consultant">
                        {lead.consultant.as_ref().map_or_else(|| "未分配".to_string(), |c| c.name.clone())}
                    </dd>
                    <dt>"意向"</dt>
                    <dd>{lead.series_name.clone().unwrap_or_else(|| "未选车型".into())}</dd>
                    <dt>"来源"</dt>
                    <dd data-test="lead-origin">{origin}</dd>
                    <dt>"创建"</dt>
                    <dd>{short_time(lead.created_at)}</dd>
                </dl>
                {claim}
            </header>
        }
    };

    // A service advisor hands nothing over; a lost lead buys nothing.
    let delivers = move || {
        session
            .me()
            .is_some_and(|m| m.staff.role != shared::console::Role::ServiceAdvisor)
            && lead().status != LeadStatus::Lost
    };
    let moves = move || {
        let (status, claimed) = detail.with(|d| (d.lead.status, d.lead.lost_claim.is_some()));
        let delivers = delivers();
        let buttons = LeadStatus::ALL
            .into_iter()
            .filter(|next| status.can_move_to(*next))
            // A claim already waits: a second 战败 would say nothing new.
            .filter(|next| !(claimed && *next == LeadStatus::Lost))
            // 交车登记 below marks the lead 已交车 with its car: not a bare status beside it.
            .filter(|next| !(delivers && *next == LeadStatus::Delivered))
            .map(|next| {
                let on_click = move |_| {
                    if next == LeadStatus::Lost {
                        losing.update(|l| *l = !*l);
                    } else {
                        send(Change::Status(StatusChange {
                            status: next,
                            lost_reason: None,
                        }));
                    }
                };
                let class = if next == LeadStatus::Lost {
                    "btn btn-line btn-small c-quiet"
                } else {
                    "btn btn-line btn-small"
                };
                view! {
                    <button
                        type="button"
                        class=class
                        data-test=format!("status-{}", next.as_str())
                        disabled=busy
                        on:click=on_click
                    >
                        {next.label()}
                    </button>
                }
            })
            .collect::<Vec<_>>();
        (!buttons.is_empty()).then(|| {
            view! {
                <span class="c-actions-label">"标记为"</span>
                {buttons}
            }
        })
    };
    let submit_lost = move |_| {
        let change = StatusChange {
            status: LeadStatus::Lost,
            lost_reason: Some(reason.get_untracked().trim().to_string()),
        };
        match change.validate() {
            Err(e) => reason_error.set(Some(e.message)),
            Ok(()) => {
                reason_error.set(None);
                send(Change::Status(change));
            }
        }
    };
    let save_note = move |_| {
        let draft = Note {
            text: note.get_untracked(),
        };
        match draft.validate() {
            Err(e) => note_error.set(Some(e.message)),
            Ok(text) => {
                note_error.set(None);
                send(Change::Note(Note { text }));
            }
        }
    };

    let timeline = move || {
        let mut entries = detail.with(|d| d.timeline.clone());
        entries.sort_by_key(|e| std::cmp::Reverse(e.at));
        if entries.is_empty() {
            return view! { <p class="c-none">"暂无记录"</p> }.into_any();
        }
        view! {
            <ol class="c-timeline">
                {entries
                    .into_iter()
                    .map(|e| {
                        view! {
                            <li data-test="timeline-entry" data-kind=e.kind>
                                <div class="c-sub">
                                    {short_time(e.at)} " " {e.staff.unwrap_or_default()}
                                </div>
                                <p>{e.text}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let bookings = move || {
        let bookings = detail.with(|d| d.bookings.clone());
        (!bookings.is_empty()).then(|| {
            view! {
                <section class="c-section">
                    <h2>"试驾预约"</h2>
                    <ul class="c-list">
                        {bookings
                            .into_iter()
                            .map(|booking| view! { <BookingRow booking dated=true /> })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    };

    view! {
        {header}
        <p class="c-error" role="alert" data-test="lead-error">{move || error.get()}</p>
        <section class="c-section">
            <h2>"推进"</h2>
            <div class="c-actions">{moves}</div>
            <Show when=delivers>
                <div class="c-card c-deliver">
                    <p class="c-sub">"车辆交付后，登记车架号、车牌和服务顾问，生成车主绑定码。"</p>
                    <a class="btn btn-primary btn-small" href=format!("{}/delivery", lead_href(id)) data-test="deliver-car">
                        "交车登记"
                    </a>
                </div>
            </Show>
            <Show when=move || losing.get()>
                <div class="c-card c-form">
                    <label class="c-field">
                        <span>"战败原因"</span>
                        <textarea
                            rows="3"
                            maxlength=NOTE_MAX_CHARS.to_string()
                            data-test="lost-reason"
                            aria-invalid=move || reason_error.with(Option::is_some).to_string()
                            prop:value=reason
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <p class="c-error" role="alert" data-test="lost-reason-error">
                        {move || reason_error.get()}
                    </p>
                    <button
                        type="button"
                        class="btn btn-primary btn-small"
                        data-test="submit-lost"
                        disabled=busy
                        on:click=submit_lost
                    >
                        {move || if session.manages() { "确认战败" } else { "提交战败申请" }}
                    </button>
                </div>
            </Show>
        </section>
        <Show when=move || session.manages()>
            <Manage detail send busy=Signal::derive(busy) />
        </Show>
        <ShareTreeSection lead_id=id />
        <section class="c-section">
            <h2>"跟进记录"</h2>
            <div class="c-card c-form">
                <textarea
                    rows="3"
                    placeholder="记录这次沟通的内容"
                    aria-label="跟进记录"
                    maxlength=NOTE_MAX_CHARS.to_string()
                    data-test="note"
                    aria-invalid=move || note_error.with(Option::is_some).to_string()
                    prop:value=note
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
                <p class="c-error" role="alert" data-test="note-error">{move || note_error.get()}</p>
                <button
                    type="button"
                    class="btn btn-primary btn-small"
                    data-test="save-note"
                    disabled=busy
                    on:click=save_note
                >
                    "保存"
                </button>
            </div>
            {timeline}
        </section>
        {bookings}
    }
}

/// A manager's controls: who the lead belongs to, and the verdict on a consultant's 战败.
#[component]
fn Manage(
    detail: RwSignal<LeadDetail>,
    send: impl Fn(Change) + Copy + Send + Sync + 'static,
    busy: Signal<bool>,
) -> impl IntoView {
    let session = use_session();
    let staff = LocalResource::new(move || async move { session.check(api::consultants().await) });
    let current = move || detail.with(|d| d.lead.consultant.as_ref().map(|c| c.id));
    let options = move || {
        let chosen = current();
        staff
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|s| {
                view! {
                    <option value=s.id.to_string() selected=chosen == Some(s.id)>{s.name}</option>
                }
            })
            .collect_view()
    };
    let verdict = move || {
        detail.with(|d| d.lead.lost_claim.is_some()).then(|| {
            view! {
                <div class="c-actions">
                    <button
                        type="button"
                        class="btn btn-primary btn-small"
                        data-test="approve-lost"
                        disabled=busy
                        on:click=move |_| send(Change::Decide(true))
                    >
                        "批准战败"
                    </button>
                    <button
                        type="button"
                        class="btn btn-line btn-small"
                        data-test="reject-lost"
                        disabled=busy
                        on:click=move |_| send(Change::Decide(false))
                    >
                        "驳回"
                    </button>
                </div>
            }
        })
    };
    view! {
        <section class="c-section">
            <h2>"管理"</h2>
            {verdict}
            <label class="c-filter">
                <span>"分配给"</span>
                <select
                    data-test="reassign"
                    disabled=busy
                    on:change=move |ev| {
                        if let Ok(to) = event_target_value(&ev).parse() {
                            if current() != Some(to) {
                                send(Change::Reassign(to));
                            }
                        }
                    }
                >
                    <option value="" disabled=true selected=move || current().is_none()>
                        "选择顾问"
                    </option>
                    {options}
                </select>
            </label>
        </section>
    }
}
