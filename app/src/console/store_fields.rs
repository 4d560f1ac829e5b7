//! The parts of a store's setup form, each editing its slice of the [`StoreDraft`] in place:
//! opening hours per weekday (with a midday break), closures, slot templates (test drives
//! and service visits, each with its own capacity), test-drive cars; each row shows what to
//! fix as the manager types.

use leptos::ev::Event;
use leptos::prelude::*;
use shared::slots::SlotKind;
use shared::ApiError;

use super::store_form::{ClosureDraft, StoreDraft, TemplateDraft, REASON_MAX_CHARS, WEEKDAYS};

/// `(series id, name)` of the dealer's catalogue, or why it did not load.
pub type Catalogue = Option<Result<Vec<(String, String)>, String>>;

/// An `on:input`/`on:change` handler writing the input's text into the draft.
fn write(
    draft: RwSignal<StoreDraft>,
    set: impl Fn(&mut StoreDraft, String) + Copy + 'static,
) -> impl Fn(Event) + Copy + 'static {
    move |ev: Event| {
        let text = event_target_value(&ev);
        draft.update(|d| set(d, text));
    }
}

/// `"true"` when the row's error is about this field, for `aria-invalid`.
fn invalid(error: Option<ApiError>, field: &str) -> String {
    error
        .is_some_and(|e| e.field.as_deref() == Some(field))
        .to_string()
}

#[component]
pub fn Hours(draft: RwSignal<StoreDraft>) -> impl IntoView {
    let day = move |day: usize| {
        let closed = Memo::new(move |_| draft.with(|d| d.days[day].closed));
        let count = Memo::new(move |_| draft.with(|d| d.days[day].periods.len()));
        let period = move |p: usize| {
            let value = move |close: bool| {
                move || {
                    draft.with(|d| {
                        d.days[day]
                            .periods
                            .get(p)
                            .map(|x| {
                                if close {
                                    x.close.clone()
                                } else {
                                    x.open.clone()
                                }
                            })
                            .unwrap_or_default()
                    })
                }
            };
            let remove = (p > 0).then(|| {
                view! {
                    <button
                        type="button"
                        class="c-icon-btn"
                        aria-label="删除这个时段"
                        on:click=move |_| draft.update(|d| {
                            if p < d.days[day].periods.len() {
                                d.days[day].periods.remove(p);
                            }
                        })
                    >
                        "×"
                    </button>
                }
            });
            view! {
                <span class="c-period">
                    <input
                        type="time"
                        aria-label=format!("{}开门", WEEKDAYS[day])
                        prop:value=value(false)
                        on:input=write(draft, move |d, t| {
                            if let Some(x) = d.days[day].periods.get_mut(p) {
                                x.open = t;
                            }
                        })
                    />
                    "–"
                    <input
                        type="time"
                        aria-label=format!("{}关门", WEEKDAYS[day])
                        prop:value=value(true)
                        on:input=write(draft, move |d, t| {
                            if let Some(x) = d.days[day].periods.get_mut(p) {
                                x.close = t;
                            }
                        })
                    />
                    {remove}
                </span>
            }
        };
        view! {
            <div class="c-day" data-test=format!("hours-{}", day + 1)>
                <div class="c-day-head">
                    <span class="c-day-name">{WEEKDAYS[day]}</span>
                    <label class="c-check">
                        <input
                            type="checkbox"
                            data-test="closed"
                            prop:checked=closed
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| d.set_closed(day, on));
                            }
                        />
                        "休息"
                    </label>
                    <Show when=move || !closed.get()>
                        <button
                            type="button"
                            class="c-link-btn"
                            on:click=move |_| draft.update(|d| d.add_period(day))
                        >
                            "+ 时段"
                        </button>
                    </Show>
                </div>
                <Show when=move || !closed.get()>
                    <div class="c-periods">{move || (0..count.get()).map(period).collect_view()}</div>
                </Show>
                <p class="c-error" role="alert">{move || draft.with(|d| d.day_error(day))}</p>
            </div>
        }
    };
    view! {
        <fieldset class="c-group">
            <legend>"营业时间"</legend>
            {(0..WEEKDAYS.len()).map(day).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn Closures(draft: RwSignal<StoreDraft>) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.closures.len()));
    let row = move |i: usize| {
        let error = move || draft.with(|d| d.closure_error(i));
        let value = move |reason: bool| {
            move || {
                draft.with(|d| {
                    d.closures
                        .get(i)
                        .map(|c| {
                            if reason {
                                c.reason.clone()
                            } else {
                                c.date.clone()
                            }
                        })
                        .unwrap_or_default()
                })
            }
        };
        view! {
            <div class="c-closure" data-test="closure">
                <div class="c-inline">
                    <input
                        type="date"
                        aria-label="休息日期"
                        aria-invalid=move || invalid(error(), "date")
                        prop:value=value(false)
                        on:input=write(draft, move |d, t| {
                            if let Some(c) = d.closures.get_mut(i) {
                                c.date = t;
                            }
                        })
                    />
                    <input
                        type="text"
                        placeholder="原因（如春节）"
                        aria-label="休息原因"
                        maxlength=REASON_MAX_CHARS.to_string()
                        aria-invalid=move || invalid(error(), "reason")
                        prop:value=value(true)
                        on:input=write(draft, move |d, t| {
                            if let Some(c) = d.closures.get_mut(i) {
                                c.reason = t;
                            }
                        })
                    />
                    <button
                        type="button"
                        class="c-icon-btn"
                        aria-label="删除这个休息日"
                        on:click=move |_| draft.update(|d| {
                            if i < d.closures.len() {
                                d.closures.remove(i);
                            }
                        })
                    >
                        "×"
                    </button>
                </div>
                <p class="c-error" role="alert">{move || error().map(|e| e.message)}</p>
            </div>
        }
    };
    view! {
        <fieldset class="c-group">
            <legend>"休息日"</legend>
            {move || (0..count.get()).map(row).collect_view()}
            <button
                type="button"
                class="c-link-btn"
                data-test="add-closure"
                on:click=move |_| draft.update(|d| d.closures.push(ClosureDraft {
                    date: String::new(),
                    reason: String::new(),
                }))
            >
                "+ 添加休息日"
            </button>
        </fieldset>
    }
}

#[component]
/// The slot templates of one kind (test drives or service visits), each with its own capacity.
pub fn Templates(draft: RwSignal<StoreDraft>, kind: SlotKind) -> impl IntoView {
    let (test_row, add_test) = match kind {
        SlotKind::TestDrive => ("template", "add-template"),
        SlotKind::Service => ("service-template", "add-service-template"),
    };
    let count = Memo::new(move |_| draft.with(|d| d.templates(kind).len()));
    let row = move |i: usize| {
        let error = move || draft.with(|d| d.template_error(kind, i));
        let text = move |get: fn(&TemplateDraft) -> &String| {
            move || {
                draft.with(|d| {
                    d.templates(kind)
                        .get(i)
                        .map(|t| get(t).clone())
                        .unwrap_or_default()
                })
            }
        };
        let weekday = move |w: u8| {
            let on = move || {
                draft.with(|d| {
                    d.templates(kind)
                        .get(i)
                        .is_some_and(|t| t.weekdays.contains(&w))
                })
            };
            view! {
                <label class="c-day-check">
                    <input
                        type="checkbox"
                        aria-label=WEEKDAYS[usize::from(w - 1)]
                        prop:checked=on
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            draft.update(|d| {
                                if let Some(t) = d.templates_mut(kind).get_mut(i) {
                                    t.weekdays.retain(|x| *x != w);
                                    if checked {
                                        t.weekdays.push(w);
                                        t.weekdays.sort_unstable();
                                    }
                                }
                            });
                        }
                    />
                    <span aria-hidden="true">
                        {WEEKDAYS[usize::from(w - 1)].trim_start_matches('周')}
                    </span>
                </label>
            }
        };
        let set = move |put: fn(&mut TemplateDraft, String)| {
            write(draft, move |d, t| {
                if let Some(x) = d.templates_mut(kind).get_mut(i) {
                    put(x, t);
                }
            })
        };
        view! {
            <div class="c-template" data-test=test_row>
                <div
                    class="c-weekdays"
                    role="group"
                    aria-label="星期"
                    aria-invalid=move || invalid(error(), "weekdays")
                >
                    {(1..=7).map(weekday).collect_view()}
                </div>
                <div class="c-inline">
                    <label class="c-mini">
                        <span>"开始"</span>
                        <input
                            type="time"
                            aria-invalid=move || invalid(error(), "start")
                            prop:value=text(|t| &t.start)
                            on:input=set(|t, v| t.start = v)
                        />
                    </label>
                    <label class="c-mini">
                        <span>"结束"</span>
                        <input
                            type="time"
                            aria-invalid=move || invalid(error(), "end")
                            prop:value=text(|t| &t.end)
                            on:input=set(|t, v| t.end = v)
                        />
                    </label>
                </div>
                <div class="c-inline">
                    <label class="c-mini">
                        <span>"每场分钟"</span>
                        <input
                            type="number"
                            inputmode="numeric"
                            min="15"
                            max="240"
                            step="5"
                            aria-invalid=move || invalid(error(), "slot_minutes")
                            prop:value=text(|t| &t.slot_minutes)
                            on:input=set(|t, v| t.slot_minutes = v)
                        />
                    </label>
                    <label class="c-mini">
                        <span>"每场人数"</span>
                        <input
                            type="number"
                            inputmode="numeric"
                            min="1"
                            max="50"
                            aria-invalid=move || invalid(error(), "capacity")
                            prop:value=text(|t| &t.capacity)
                            on:input=set(|t, v| t.capacity = v)
                        />
                    </label>
                    <button
                        type="button"
                        class="c-icon-btn"
                        aria-label="删除这个时段模板"
                        on:click=move |_| draft.update(|d| {
                            if i < d.templates(kind).len() {
                                d.templates_mut(kind).remove(i);
                            }
                        })
                    >
                        "×"
                    </button>
                </div>
                <p class="c-error" role="alert">{move || error().map(|e| e.message)}</p>
            </div>
        }
    };
    view! {
        <fieldset class="c-group">
            <legend>{kind.label()}</legend>
            {move || (0..count.get()).map(row).collect_view()}
            <button
                type="button"
                class="c-link-btn"
                data-test=add_test
                on:click=move |_| draft.update(|d| d.templates_mut(kind).push(TemplateDraft::default()))
            >
                "+ 添加时段模板"
            </button>
        </fieldset>
    }
}

#[component]
pub fn Cars(draft: RwSignal<StoreDraft>, catalogue: Signal<Catalogue>) -> impl IntoView {
    let list = move || match catalogue.get() {
        None => view! { <p class="c-sub">"车型加载中…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="c-error">{message}</p> }.into_any(),
        Some(Ok(series)) => series
            .into_iter()
            .map(|(id, name)| {
                let key = id.clone();
                let on = move || draft.with(|d| d.series_ids.contains(&key));
                view! {
                    <label class="c-check">
                        <input
                            type="checkbox"
                            data-test="series"
                            value=id.clone()
                            prop:checked=on
                            on:change=move |ev| {
                                let checked = event_target_checked(&ev);
                                let id = id.clone();
                                draft.update(|d| {
                                    d.series_ids.retain(|x| *x != id);
                                    if checked {
                                        d.series_ids.push(id);
                                    }
                                });
                            }
                        />
                        {name}
                    </label>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <fieldset class="c-group">
            <legend>"试驾车"</legend>
            <div class="c-cars">{list}</div>
        </fieldset>
    }
}
