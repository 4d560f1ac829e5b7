//! `/console/offers` 优惠 (managers): every offer with its state (进行中, 未开始, 已结束), and a
//! form to add or change one (series, one trim or all, kind, amount or text, the days, the
//! stores), checked by the rule the server applies. An offer shows on the model page, in the
//! comparison and on the offers page while it holds, and goes by itself after its last day.

use leptos::prelude::*;
use shared::date::Date;
use shared::money;
use shared::offer::{OfferDesk, OfferDraft, OfferKind, OfferSeries, OfferState, StaffOffer};

use super::draft_form::{self, text_input, TextFields};
use super::loaded_page::loaded_page;
use super::{api, use_session};

#[component]
pub fn Offers() -> impl IntoView {
    loaded_page(
        "优惠",
        "进行中的优惠显示在车型页、对比和「本店优惠」页；过了截止日期自动下线。",
        3,
        api::offers,
        |desk, reload| view! { <Desk desk reload /> },
    )
}

#[component]
fn Desk(desk: OfferDesk, reload: RwSignal<u32>) -> impl IntoView {
    let desk = StoredValue::new(desk);
    // `Some(None)`: adding a new one; `Some(Some(id))`: changing that one.
    let editing = RwSignal::new(None::<Option<i64>>);
    let done = Callback::new(move |()| {
        editing.set(None);
        reload.update(|n| *n += 1);
    });
    let form = move || {
        editing.get().map(|id| {
            let desk = desk.get_value();
            let draft = match id.and_then(|id| desk.offers.iter().find(|o| o.offer.id == id)) {
                Some(o) => draft_of(o),
                None => new_draft(&desk),
            };
            view! { <OfferForm id draft series=desk.series stores=desk.stores done cancel=Callback::new(move |()| editing.set(None)) /> }
        })
    };
    let no_series = desk.with_value(|d| d.series.is_empty());
    let offers = desk.with_value(|d| d.offers.clone());
    let empty = offers.is_empty();
    view! {
        <Show
            when=move || !no_series
            fallback=|| view! { <p class="empty">"本店还没有在售车型，请先在「车型」中上架。"</p> }
        >
            <Show when=move || editing.get().is_none()>
                <button type="button" class="btn btn-primary btn-block" data-test="add-offer" on:click=move |_| editing.set(Some(None))>
                    "新增优惠"
                </button>
            </Show>
        </Show>
        {form}
        <Show when=move || empty>
            <p class="c-sub" data-test="offers-empty">"还没有优惠。"</p>
        </Show>
        <ul class="c-list">
            {offers
                .into_iter()
                .map(|o| view! { <OfferRow offer=o edit=Callback::new(move |id| editing.set(Some(Some(id)))) done /> })
                .collect_view()}
        </ul>
    }
}

fn draft_of(o: &StaffOffer) -> Draft {
    Draft {
        series_id: o.offer.series_id.clone(),
        trim_id: o.offer.trim_id.clone().unwrap_or_default(),
        kind: o.offer.kind,
        amount: o
            .offer
            .amount_yuan
            .map(|a| a.to_string())
            .unwrap_or_default(),
        detail: o.offer.detail.clone(),
        from: o.offer.valid_from.to_string(),
        until: o.offer.valid_until.to_string(),
        store_ids: o.store_ids.clone(),
    }
}

/// A new offer starts today for a month, for the first series, at every store.
fn new_draft(desk: &OfferDesk) -> Draft {
    Draft {
        series_id: desk
            .series
            .first()
            .map(|s| s.id.clone())
            .unwrap_or_default(),
        trim_id: String::new(),
        kind: OfferKind::PriceCut,
        amount: String::new(),
        detail: String::new(),
        from: desk.today.to_string(),
        until: desk.today.add_months(1).to_string(),
        store_ids: Vec::new(),
    }
}

/// What the form holds as typed.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    series_id: String,
    /// Empty: every trim.
    trim_id: String,
    kind: OfferKind,
    amount: String,
    detail: String,
    from: String,
    until: String,
    store_ids: Vec<i64>,
}

impl TextFields for Draft {
    fn text(&self, field: &str) -> &str {
        match field {
            "amount_yuan" => &self.amount,
            "detail" => &self.detail,
            "valid_from" => &self.from,
            _ => &self.until,
        }
    }

    fn text_mut(&mut self, field: &str) -> &mut String {
        match field {
            "amount_yuan" => &mut self.amount,
            "detail" => &mut self.detail,
            "valid_from" => &mut self.from,
            _ => &mut self.until,
        }
    }
}

impl Draft {
    fn read(&self) -> Result<OfferDraft, (String, String)> {
        let day = |text: &str, field: &str| {
            Date::parse(text).ok_or_else(|| (field.to_string(), "请选择日期".to_string()))
        };
        let amount = match self.amount.trim() {
            "" => None,
            text => Some(money::parse_yuan(text).ok_or_else(|| {
                (
                    "amount_yuan".to_string(),
                    "优惠金额请填写整数元，如 5000".to_string(),
                )
            })?),
        };
        OfferDraft {
            series_id: self.series_id.clone(),
            trim_id: Some(self.trim_id.clone()),
            kind: self.kind,
            amount_yuan: amount,
            detail: self.detail.clone(),
            valid_from: day(&self.from, "valid_from")?,
            valid_until: day(&self.until, "valid_until")?,
            store_ids: self.store_ids.clone(),
        }
        .validate()
        .map_err(|e| (e.field.unwrap_or_default(), e.message))
    }
}

#[component]
fn OfferForm(
    id: Option<i64>,
    draft: Draft,
    series: Vec<OfferSeries>,
    stores: Vec<(i64, String)>,
    done: Callback<()>,
    cancel: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let draft = RwSignal::new(draft);
    let error = RwSignal::new(None::<(String, String)>);
    let series = StoredValue::new(series);
    let save = Action::new_unsync(move |d: &OfferDraft| {
        let d = d.clone();
        async move { session.check(api::save_offer(id, &d).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => done.run(()),
        Some(Err(e)) => error.set(Some((
            e.field().unwrap_or_default().to_string(),
            e.message(),
        ))),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.get_untracked().read() {
            Ok(d) if !save.pending().get_untracked() => {
                error.set(None);
                save.dispatch(d);
            }
            Ok(_) => {}
            Err(e) => error.set(Some(e)),
        }
    };
    let invalid = move |field| draft_form::invalid(error, field);
    let trims = move || {
        let chosen = draft.with(|d| d.series_id.clone());
        series.with_value(|all| {
            all.iter()
                .find(|s| s.id == chosen)
                .map(|s| s.trims.clone())
                .unwrap_or_default()
        })
    };
    let text = text_input("offer", draft, error);
    view! {
        <form class="c-card c-form" on:submit=on_submit novalidate data-test="offer-form">
            <h2>{if id.is_some() { "修改优惠" } else { "新增优惠" }}</h2>
            <div class="c-field">
                <label for="c-offer-series">"车系"</label>
                <select
                    id="c-offer-series"
                    data-test="offer-series"
                    aria-invalid=invalid("series_id")
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| {
                            d.series_id = value;
                            d.trim_id.clear();
                        })
                    }
                >
                    {series.with_value(|all| {
                        all.iter()
                            .map(|s| {
                                let id = s.id.clone();
                                view! {
                                    <option value=s.id.clone() selected=move || draft.with(|d| d.series_id == id)>
                                        {s.name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()
                    })}
                </select>
            </div>
            <div class="c-field">
                <label for="c-offer-trim">"车型"</label>
                <select
                    id="c-offer-trim"
                    data-test="offer-trim"
                    aria-invalid=invalid("trim_id")
                    on:change=move |ev| draft.update(|d| d.trim_id = event_target_value(&ev))
                >
                    <option value="" selected=move || draft.with(|d| d.trim_id.is_empty())>"全系车型"</option>
                    {move || {
                        trims()
                            .into_iter()
                            .map(|(id, name)| {
                                let chosen = id.clone();
                                view! {
                                    <option value=id selected=move || draft.with(|d| d.trim_id == chosen)>{name}</option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="c-field">
                <label for="c-offer-kind">"类型"</label>
                <select
                    id="c-offer-kind"
                    data-test="offer-kind"
                    on:change=move |ev| {
                        if let Some(kind) = OfferKind::from_key(&event_target_value(&ev)) {
                            draft.update(|d| d.kind = kind);
                        }
                    }
                >
                    {OfferKind::ALL
                        .into_iter()
                        .map(|k| view! {
                            <option value=k.key() selected=move || draft.with(|d| d.kind == k)>
                                {format!("{}（{}）", k.label(), if k.group() == shared::offer::OfferGroup::Purchase { "购车" } else { "用车" })}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            {text("amount_yuan", "text", "金额（元，可不填）", "如 5000")}
            {text("detail", "text", "优惠内容", "如 首付两成，36期0息")}
            {text("valid_from", "date", "开始日期", "")}
            {text("valid_until", "date", "截止日期", "")}
            <fieldset class="c-field" aria-invalid=invalid("store_ids")>
                <legend>"适用门店（都不选即全部门店）"</legend>
                {stores
                    .into_iter()
                    .map(|(store, name)| view! {
                        <label class="c-check">
                            <input
                                type="checkbox"
                                data-test="offer-store"
                                prop:checked=move || draft.with(|d| d.store_ids.contains(&store))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| {
                                        d.store_ids.retain(|s| *s != store);
                                        if on {
                                            d.store_ids.push(store);
                                        }
                                    })
                                }
                            />
                            {name}
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            <p class="c-error" role="alert" data-test="offer-error">{move || error.get().map(|(_, m)| m)}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="save-offer" disabled=move || save.pending().get()>
                "保存"
            </button>
            <button type="button" class="btn btn-line btn-block" on:click=move |_| cancel.run(())>"取消"</button>
        </form>
    }
}

/// One offer: what, for what, when, where, its state, and 修改 / 删除.
#[component]
fn OfferRow(offer: StaffOffer, edit: Callback<i64>, done: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = offer.offer.id;
    let error = RwSignal::new(None::<String>);
    let remove =
        Action::new_unsync(move |_: &()| async move { session.check(api::remove_offer(id).await) });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => done.run(()),
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let o = offer.offer;
    let badge = match offer.state {
        OfferState::Current => "c-status c-b-completed",
        OfferState::Upcoming => "c-status c-l-new",
        OfferState::Over => "c-status",
    };
    let stores = if o.stores.is_empty() {
        "全部门店".to_string()
    } else {
        o.stores.join("、")
    };
    view! {
        <li class="c-card" data-test="offer" data-state=format!("{:?}", offer.state).to_lowercase()>
            <div>
                <strong>{o.headline()}</strong>
                " "
                <span class=badge>{offer.state.label()}</span>
            </div>
            <div>{o.applies_to()}</div>
            <Show when={let empty = o.detail.is_empty(); move || !empty}>
                <div class="c-sub">{o.detail.clone()}</div>
            </Show>
            <div class="c-sub">{format!("{} 至 {} · {stores}", o.valid_from, o.valid_until)}</div>
            <div class="c-actions">
                <button type="button" class="btn btn-line btn-small" data-test="edit-offer" on:click=move |_| edit.run(id)>"修改"</button>
                <button type="button" class="btn btn-line btn-small" data-test="remove-offer" disabled=move || remove.pending().get() on:click=move |_| { remove.dispatch(()); }>
                    "删除"
                </button>
            </div>
            <p class="c-error" role="alert">{move || error.get()}</p>
        </li>
    }
}
