//! `/console/hand-over` and `/console/staff/{id}/hand-over` (admins): 离职继承. The admin picks
//! the departing person (the path's, or from the list: departed first) and sees what they
//! hold, picks a colleague the shared rule admits (`shared::hand_over::check_successor`),
//! confirms, and sees what moved; the list then shows what each holds now.

use leptos::prelude::*;
use shared::hand_over::{check_successor, HandOverPerson, HandedOver};

use super::{api, use_session};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn HandOver(from: Option<i64>) -> impl IntoView {
    super::set_title("离职继承");
    let session = use_session();
    let board =
        LocalResource::new(move || async move { session.check(api::hand_over_board().await) });
    let done = RwSignal::new(None::<HandedOver>);
    let from = RwSignal::new(from);
    let result = move || {
        done.get().map(|d| {
            view! {
                <div class="c-card c-done" role="status" data-test="hand-over-done">
                    <strong>"交接完成"</strong>
                    <p>{format!("已将{}的客户交给{}：{}", d.from, d.to, d.moved.summary())}</p>
                </div>
            }
        })
    };
    view! {
        <main class="c-page">
            <h1 class="c-title">"离职继承"</h1>
            <p class="c-sub">
                "员工离职时，把其名下跟进中的线索、待到店的预约、车主和分享链接一次交给同事；"
                "其已发出的链接、海报和名片此后都归接手的同事。"
            </p>
            {result}
            {move || match board.get() {
                None => view! { <Loading count=2 /> }.into_any(),
                Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
                Some(Ok(b)) => {
                    view! {
                        <HandOverForm
                            staff=b.staff
                            from
                            on_done=move |d| {
                                done.set(Some(d));
                                board.refetch();
                            }
                        />
                    }
                        .into_any()
                }
            }}
        </main>
    }
}

/// A staff member as a choice: name, role and whether they left.
fn label(p: &HandOverPerson) -> String {
    let state = match (&p.successor, p.active) {
        (Some(to), _) => format!(" · 已交接给{to}"),
        (None, false) => " · 已停用".to_string(),
        (None, true) => String::new(),
    };
    format!("{} · {}{state}", p.name, p.role.label())
}

#[component]
fn HandOverForm(
    staff: Vec<HandOverPerson>,
    from: RwSignal<Option<i64>>,
    on_done: impl Fn(HandedOver) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let staff = StoredValue::new(staff);
    let to = RwSignal::new(None::<i64>);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let departing = move || {
        from.get()
            .and_then(|id| staff.with_value(|s| s.iter().find(|p| p.id == id).cloned()))
    };
    let successor = move || {
        to.get()
            .and_then(|id| staff.with_value(|s| s.iter().find(|p| p.id == id).cloned()))
    };
    let send = Action::new_unsync(move |(from, to): &(i64, i64)| {
        let (from, to) = (*from, *to);
        async move { session.check(api::hand_over(from, to).await) }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            confirming.set(false);
            to.set(None);
            on_done(d);
        }
        Some(Err(e)) => {
            confirming.set(false);
            error.set(Some(e.message()));
        }
        None => {}
    });
    let from_options = move || {
        staff.with_value(|s| {
            s.iter()
                .map(|p| {
                    let id = p.id;
                    view! {
                        <option value=id.to_string() selected=move || from.get() == Some(id)>
                            {label(p)}
                        </option>
                    }
                })
                .collect_view()
        })
    };
    let candidates = move || {
        let Some(leaving) = departing() else {
            return Vec::new();
        };
        staff.with_value(|s| {
            s.iter()
                .filter(|p| p.can_succeed(&leaving))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let holds = move || {
        departing().map(|p| {
            let h = p.holds;
            view! {
                <dl class="c-card c-facts" data-test="hand-over-holds">
                    <dt>"跟进中的线索"</dt><dd data-test="holds-leads">{h.leads}</dd>
                    <dt>"待到店试驾"</dt><dd data-test="holds-bookings">{h.bookings}</dd>
                    <dt>"车主"</dt><dd data-test="holds-owners">{h.owners}</dd>
                    <dt>"待到店保养维修"</dt><dd data-test="holds-service">{h.service_visits}</dd>
                    <dt>"分享链接"</dt><dd data-test="holds-links">{h.links}</dd>
                </dl>
            }
        })
    };
    let to_choice = move || {
        let leaving = departing()?;
        let list = candidates();
        if list.is_empty() {
            let role = shared::hand_over::successor_role(leaving.role).label();
            return Some(view! { <p class="c-none" data-test="no-successor">{format!("没有可接手的在职{role}")}</p> }.into_any());
        }
        Some(
            view! {
                <div class="c-field">
                    <label for="c-ho-to">"接手的同事"</label>
                    <select
                        id="c-ho-to"
                        data-test="hand-over-to"
                        on:change=move |ev| {
                            error.set(None);
                            confirming.set(false);
                            to.set(event_target_value(&ev).parse().ok());
                        }
                    >
                        <option value="" disabled=true selected=move || to.get().is_none()>"选择同事"</option>
                        {list
                            .into_iter()
                            .map(|p| {
                                let id = p.id;
                                view! {
                                    <option value=id.to_string() selected=move || to.get() == Some(id)>
                                        {label(&p)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p class="c-error" role="alert" data-test="hand-over-error">{move || error.get()}</p>
                </div>
            }
            .into_any(),
        )
    };
    // The same rule the server applies, before asking it.
    let ask = move |_| {
        error.set(None);
        let (Some(leaving), Some(taker)) = (departing(), successor()) else {
            error.set(Some("请选择接手的同事".into()));
            return;
        };
        match check_successor(leaving.id, leaving.role, &taker) {
            Ok(()) => confirming.set(true),
            Err(e) => error.set(Some(e.message)),
        }
    };
    let confirm = move || {
        let (leaving, taker) = (departing()?, successor()?);
        confirming.get().then(|| {
            let what = leaving.holds.summary();
            view! {
                <div class="c-card c-confirm" data-test="hand-over-confirm">
                    <p>{format!("将{}名下的{what}交给{}，立即生效。", leaving.name, taker.name)}</p>
                    <div class="c-actions">
                        <button
                            type="button"
                            class="btn btn-primary"
                            data-test="hand-over-go"
                            disabled=move || send.pending().get()
                            on:click=move |_| {
                                send.dispatch((leaving.id, taker.id));
                            }
                        >
                            {move || if send.pending().get() { "交接中…" } else { "确认交接" }}
                        </button>
                        <button type="button" class="btn btn-line" on:click=move |_| confirming.set(false)>
                            "取消"
                        </button>
                    </div>
                </div>
            }
        })
    };
    view! {
        <section class="c-section c-form">
            <div class="c-field">
                <label for="c-ho-from">"交出客户的员工"</label>
                <select
                    id="c-ho-from"
                    data-test="hand-over-from"
                    on:change=move |ev| {
                        error.set(None);
                        confirming.set(false);
                        to.set(None);
                        from.set(event_target_value(&ev).parse().ok());
                    }
                >
                    <option value="" disabled=true selected=move || from.get().is_none()>"选择员工"</option>
                    {from_options}
                </select>
            </div>
            {holds}
            {to_choice}
            <Show when=move || departing().is_some() && !confirming.get()>
                <button type="button" class="btn btn-primary btn-block" data-test="hand-over-ask" on:click=ask>
                    "交接"
                </button>
            </Show>
            {confirm}
        </section>
    }
}
