//! `/console/catalog/trims/{trim}` (managers): a trim's details and its specs in the grouped
//! layout the comparison shows, a form per group; an own trim's are editable (only changed
//! values are sent; an empty value is unknown), a platform trim's read-only. Values are read
//! by `shared::spec_sheet::parse_cell`, the rule the server and the sheet import use.

use std::collections::BTreeMap;

use leptos::prelude::*;
use shared::catalog::{EnergyType, SpecValue};
use shared::catalog_edit::{SpecEdits, TrimForm, TrimSheet};
use shared::compare::SpecGroup;
use shared::error::ApiError;
use shared::spec_sheet::parse_cell;

use super::series_editor::{blank_trim, number, text_of, Errors, Field};
use super::{api, path_segment, use_session, CATALOG};
use crate::components::status::{LoadError, Loading};
use crate::nav::{use_nav, Entry};

#[component]
pub fn TrimEditor() -> impl IntoView {
    super::set_title("车型参数");
    let session = use_session();
    let id = path_segment(3);
    let trim = LocalResource::new(move || {
        let id = id.clone();
        async move { session.check(api::catalog_trim(&id).await) }
    });
    view! {
        <main class="c-page">
            {move || match trim.get() {
                None => view! { <Loading count=4 /> }.into_any(),
                Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
                Some(Ok(sheet)) => view! { <TrimView sheet /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn TrimView(sheet: TrimSheet) -> impl IntoView {
    let back = format!("{CATALOG}/{}", sheet.series_id);
    let specs = RwSignal::new(sheet.specs.clone());
    let own = sheet.own;
    let groups = sheet.layout.clone();
    let id = sheet.id.clone();
    view! {
        <a class="c-back" href=back>{format!("‹ {}", sheet.series_name)}</a>
        <h1 class="c-title" data-test="trim-title">{sheet.form.name_zh.clone()}</h1>
        <p class="c-sub">
            <span class="c-badge">{if own { "自有 · 可编辑" } else { "平台 · 只读" }}</span>
        </p>
        {own.then(|| view! {
            <section class="c-section">
                <h2>"车型资料"</h2>
                <TrimFields series=sheet.series_id.clone() saved=sheet.clone() />
            </section>
        })}
        <section class="c-section">
            <h2>"参数配置"</h2>
            <p class="c-sub">"数字按单位填写；配置填 是/否、●（标配）、○（选配）或文字；留空为未知。"</p>
            {groups.into_iter().map(|group| view! {
                <GroupForm trim=id.clone() group specs own />
            }).collect_view()}
        </section>
    }
}

/// How a value reads in its input: 是/否 for a feature, the number, the text.
fn input_text(value: Option<&SpecValue>) -> String {
    match value {
        None => String::new(),
        Some(SpecValue::Bool(true)) => "是".into(),
        Some(SpecValue::Bool(false)) => "否".into(),
        Some(v) => v.display(),
    }
}

/// One group of the layout: an input per item, saved together (changed values only).
#[component]
fn GroupForm(
    trim: String,
    group: SpecGroup,
    specs: RwSignal<BTreeMap<String, SpecValue>>,
    own: bool,
) -> impl IntoView {
    let session = use_session();
    let items = group.items.clone();
    let values: Vec<RwSignal<String>> = items
        .iter()
        .map(|i| RwSignal::new(specs.with_untracked(|s| input_text(s.get(&i.key)))))
        .collect();
    let errors = Errors::new();
    let saved = RwSignal::new(false);
    let save = Action::new_unsync(move |edits: &SpecEdits| {
        let (trim, edits) = (trim.clone(), edits.clone());
        async move { session.check(api::save_specs(&trim, &edits).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(sheet)) => {
            specs.set(sheet.specs);
            saved.set(true);
        }
        Some(Err(e)) => errors.show(e),
        None => {}
    });
    let checked = items.clone();
    let inputs = values.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let mut edits = SpecEdits::default();
        for (item, value) in checked.iter().zip(&inputs) {
            let typed = value.get_untracked();
            let before = specs.with_untracked(|s| s.get(&item.key).cloned());
            let now = match parse_cell(item, 1.0, &typed) {
                Ok(v) => v,
                Err(message) => {
                    errors.0.set(Some(ApiError::invalid(
                        &item.key,
                        format!("{}：{message}", item.name_zh),
                    )));
                    return;
                }
            };
            if now != before {
                edits.values.insert(item.key.clone(), typed);
            }
        }
        errors.0.set(None);
        if edits.values.is_empty() {
            saved.set(true);
            return;
        }
        save.dispatch(edits);
    };
    let rows = items.into_iter().zip(values).map(|(item, value)| {
        let label = match &item.unit {
            Some(unit) if !item.name_zh.contains(unit.as_str()) => format!("{}（{unit}）", item.name_zh),
            _ => item.name_zh.clone(),
        };
        let key = item.key.clone();
        let error = move || {
            errors.0.with(|e| {
                e.as_ref()
                    .filter(|e| e.field.as_deref() == Some(key.as_str()))
                    .map(|e| e.message.clone())
            })
        };
        let mode = if item.unit.is_some() { "decimal" } else { "text" };
        view! {
            <div class="c-field c-spec-field">
                <label>{label}</label>
                <input type="text" inputmode=mode data-test=format!("spec-{}", item.key)
                    disabled=!own prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
                <p class="c-error" role="alert">{error}</p>
            </div>
        }
    }).collect_view();
    view! {
        <details class="c-card c-spec-group" data-test=format!("group-{}", group.key)>
            <summary>{group.name_zh.clone()}</summary>
            <form class="c-form" on:submit=on_submit novalidate>
                {rows}
                {own.then(|| view! {
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || save.pending().get()>
                        {format!("保存{}", group.name_zh)}
                    </button>
                })}
                <p class="c-ok" role="status">{move || saved.get().then_some("已保存")}</p>
            </form>
        </details>
    }
}

/// The details of an own trim: a new one in `series` (opens its page once saved) or `saved`.
#[component]
pub(super) fn TrimFields(
    series: String,
    #[prop(optional)] saved: Option<TrimSheet>,
) -> impl IntoView {
    let session = use_session();
    let nav = use_nav();
    let form = saved
        .as_ref()
        .map(|s| s.form.clone())
        .unwrap_or_else(blank_trim);
    let id = saved.map(|s| s.id);
    let is_new = id.is_none();
    let name = RwSignal::new(form.name_zh.clone());
    let year = RwSignal::new(text_of(form.model_year));
    let energy = RwSignal::new(form.energy_type);
    let seats = RwSignal::new(text_of(form.seats));
    let displacement = RwSignal::new(text_of(form.displacement_ml));
    let range = RwSignal::new(text_of(form.range_km));
    let price = RwSignal::new(text_of(form.guide_price));
    let errors = Errors::new();
    let done = RwSignal::new(false);
    let save = Action::new_unsync(move |form: &TrimForm| {
        let (form, id, series) = (form.clone(), id.clone(), series.clone());
        async move {
            session.check(match id {
                Some(id) => api::save_trim(&id, &form).await,
                None => api::add_trim(&series, &form).await,
            })
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(sheet)) if is_new => nav.open(&format!("{CATALOG}/trims/{}", sheet.id), Entry::New),
        Some(Ok(_)) => done.set(true),
        Some(Err(e)) => errors.show(e),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let read = |field: &'static str, value: RwSignal<String>| {
            number(&value.get_untracked()).map_err(|_| ApiError::invalid(field, "请填写整数"))
        };
        let form = (|| {
            Ok::<_, ApiError>(TrimForm {
                name_zh: name.get_untracked(),
                model_year: read("model_year", year)?,
                energy_type: energy.get_untracked(),
                seats: read("seats", seats)?,
                displacement_ml: read("displacement_ml", displacement)?,
                range_km: read("range_km", range)?,
                guide_price: read("guide_price", price)?,
            })
        })();
        match form.and_then(|f| f.validate().map(|_| f)) {
            Ok(form) => {
                errors.0.set(None);
                save.dispatch(form);
            }
            Err(e) => errors.0.set(Some(e)),
        }
    };
    view! {
        <form class="c-card c-form" on:submit=on_submit novalidate data-test="trim-form">
            <Field id="trim-name" label="车型名称" value=name error=errors.under("name_zh") />
            <Field id="trim-year" label="年款" value=year error=errors.under("model_year") mode="numeric" />
            <div class="c-field">
                <label for="trim-energy">"能源类型"</label>
                <select id="trim-energy" data-test="trim-energy"
                    on:change=move |ev| if let Some(e) = EnergyType::from_key(&event_target_value(&ev)) { energy.set(e) }>
                    {EnergyType::ALL.into_iter().map(|e| view! {
                        <option value=e.key() selected=move || energy.get() == e>{e.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <Field id="trim-seats" label="座位数" value=seats error=errors.under("seats") mode="numeric" />
            <Field id="trim-displacement" label="排量（毫升，有发动机的车型）" value=displacement error=errors.under("displacement_ml") mode="numeric" />
            <Field id="trim-range" label="纯电续航 CLTC（公里，可充电的车型）" value=range error=errors.under("range_km") mode="numeric" />
            <Field id="trim-price" label="厂商指导价（元）" value=price error=errors.under("guide_price") mode="numeric" />
            <p class="c-error" role="alert">{errors.under("")}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="trim-save" disabled=move || save.pending().get()>
                {if is_new { "新增车型" } else { "保存车型" }}
            </button>
            <p class="c-ok" role="status">{move || done.get().then_some("已保存，顾客页面随即更新")}</p>
        </form>
    }
}
