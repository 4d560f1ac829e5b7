//! `/console/catalog/{series}` and `/console/catalog/new` (managers): a series with its trims
//! (自有 ones editable, the platform's read-only), its form when it is the dealer's own, 新增车型
//! and 导入参数表; and 新增车系. Each form is checked with its `shared::catalog_edit` rule
//! before it is sent; a field's error shows under it.

use leptos::prelude::*;
use shared::catalog::{BodyType, EnergyType};
use shared::catalog_edit::{SeriesForm, SeriesTrims, TrimForm};
use shared::error::ApiError;

use super::{api, path_segment, use_session, CATALOG};
use crate::components::status::{LoadError, Loading};
use crate::nav::{use_nav, Entry};

/// A form's last error, shown under the field it names.
#[derive(Clone, Copy)]
pub(super) struct Errors(pub(super) RwSignal<Option<ApiError>>);

impl Errors {
    pub(super) fn new() -> Self {
        Self(RwSignal::new(None))
    }

    pub(super) fn show(self, e: api::Error) {
        self.0.set(Some(match e {
            api::Error::Api(e) => e,
            api::Error::Network(_) => ApiError::invalid("", e.message()),
        }));
    }

    pub(super) fn under(self, field: &'static str) -> impl Fn() -> Option<String> + Copy {
        move || {
            self.0.with(|e| {
                e.as_ref()
                    .filter(|e| e.field.as_deref().unwrap_or("") == field)
                    .map(|e| e.message.clone())
            })
        }
    }
}

/// A whole number typed in a field: empty is none; anything else unreadable is `Err(())`.
pub(super) fn number(text: &str) -> Result<Option<i64>, ()> {
    let t = text.trim().replace(',', "");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| ())
}

pub(super) fn text_of(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// A labelled input bound to `value`, with its error below.
#[component]
pub(super) fn Field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: impl Fn() -> Option<String> + Send + Sync + 'static,
    #[prop(default = "text")] mode: &'static str,
) -> impl IntoView {
    view! {
        <div class="c-field">
            <label for=id>{label}</label>
            <input id=id type="text" inputmode=mode data-test=id prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev)) />
            <p class="c-error" role="alert" data-test=format!("{id}-error")>{error}</p>
        </div>
    }
}

/// 新增车系.
#[component]
pub fn NewSeries() -> impl IntoView {
    super::set_title("新增车系");
    let blank = SeriesForm {
        brand_id: String::new(),
        name_zh: String::new(),
        body_type: BodyType::Sedan,
        energy_types: vec![],
        guide_min: None,
        guide_max: None,
    };
    view! {
        <main class="c-page">
            <a class="c-back" href=CATALOG>"‹ 车型"</a>
            <h1 class="c-title">"新增车系"</h1>
            <p class="c-sub">"平台车型库没有的车系，新增后即上架，仅本店可见。"</p>
            <SeriesFields form=blank id=None />
        </main>
    }
}

/// The form of an own series: new (`id` none) or saved.
#[component]
fn SeriesFields(form: SeriesForm, id: Option<String>) -> impl IntoView {
    let session = use_session();
    let nav = use_nav();
    let brands = LocalResource::new(move || async move { session.check(api::brands().await) });
    let brand = RwSignal::new(form.brand_id.clone());
    let name = RwSignal::new(form.name_zh.clone());
    let body = RwSignal::new(form.body_type);
    let energies = RwSignal::new(form.energy_types.clone());
    let min = RwSignal::new(text_of(form.guide_min));
    let max = RwSignal::new(text_of(form.guide_max));
    let errors = Errors::new();
    let saved = RwSignal::new(false);
    let is_new = id.is_none();
    let save = Action::new_unsync(move |form: &SeriesForm| {
        let (form, id) = (form.clone(), id.clone());
        async move {
            session.check(match id {
                Some(id) => api::save_series(&id, &form).await,
                None => api::add_series(&form).await,
            })
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(series)) if is_new => nav.open(&format!("{CATALOG}/{}", series.id), Entry::New),
        Some(Ok(_)) => saved.set(true),
        Some(Err(e)) => errors.show(e),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let (Ok(guide_min), Ok(guide_max)) =
            (number(&min.get_untracked()), number(&max.get_untracked()))
        else {
            errors.0.set(Some(ApiError::invalid(
                "guide_min",
                "指导价请填写整数（元）",
            )));
            return;
        };
        let form = SeriesForm {
            brand_id: brand.get_untracked(),
            name_zh: name.get_untracked(),
            body_type: body.get_untracked(),
            energy_types: energies.get_untracked(),
            guide_min,
            guide_max,
        };
        if let Err(e) = form.validate() {
            errors.0.set(Some(e));
            return;
        }
        errors.0.set(None);
        save.dispatch(form);
    };
    let brand_options = move || {
        brands
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|b| {
                let selected = brand.get_untracked() == b.id;
                view! { <option value=b.id.clone() selected=selected>{b.name_zh}</option> }
            })
            .collect_view()
    };
    view! {
        <form class="c-card c-form" on:submit=on_submit novalidate data-test="series-form">
            <div class="c-field">
                <label for="series-brand">"品牌"</label>
                <select id="series-brand" data-test="series-brand" on:change=move |ev| brand.set(event_target_value(&ev))>
                    <option value="">"请选择"</option>
                    {brand_options}
                </select>
                <p class="c-error" role="alert">{errors.under("brand_id")}</p>
            </div>
            <Field id="series-name" label="车系名称" value=name error=errors.under("name_zh") />
            <div class="c-field">
                <label for="series-body">"车身类型"</label>
                <select id="series-body" data-test="series-body"
                    on:change=move |ev| if let Some(b) = BodyType::from_key(&event_target_value(&ev)) { body.set(b) }>
                    {BodyType::ALL.into_iter().map(|b| view! {
                        <option value=b.key() selected=move || body.get() == b>{b.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="c-field">
                <legend>"能源类型"</legend>
                <div class="c-chips">
                    {EnergyType::ALL.into_iter().map(|e| view! {
                        <label class="c-check">
                            <input type="checkbox" data-test=format!("series-energy-{}", e.key())
                                prop:checked=move || energies.with(|list| list.contains(&e))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    energies.update(|list| {
                                        list.retain(|x| *x != e);
                                        if on { list.push(e) }
                                    });
                                } />
                            {e.label()}
                        </label>
                    }).collect_view()}
                </div>
                <p class="c-error" role="alert">{errors.under("energy_types")}</p>
            </fieldset>
            <Field id="series-min" label="最低指导价（元）" value=min error=errors.under("guide_min") mode="numeric" />
            <Field id="series-max" label="最高指导价（元）" value=max error=errors.under("guide_max") mode="numeric" />
            <p class="c-error" role="alert">{errors.under("")}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="series-save" disabled=move || save.pending().get()>
                {if is_new { "新增车系" } else { "保存车系" }}
            </button>
            <p class="c-ok" role="status">{move || saved.get().then_some("已保存，顾客页面随即更新")}</p>
        </form>
    }
}

/// A series: its trims, its form when own, 新增车型 and 导入参数表.
#[component]
pub fn SeriesEditor() -> impl IntoView {
    super::set_title("车系");
    let session = use_session();
    let id = path_segment(2);
    let key = id.clone();
    let series = LocalResource::new(move || {
        let id = key.clone();
        async move { session.check(api::catalog_series(&id).await) }
    });
    view! {
        <main class="c-page">
            <a class="c-back" href=CATALOG>"‹ 车型"</a>
            {move || match series.get() {
                None => view! { <Loading count=3 /> }.into_any(),
                Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
                Some(Ok(s)) => view! { <SeriesView series=s /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn SeriesView(series: SeriesTrims) -> impl IntoView {
    let mark = if series.own {
        "自有"
    } else {
        "平台 · 只读"
    };
    let import = format!("{CATALOG}/{}/import", series.id);
    let trims = series.trims.clone();
    let count = trims.len();
    view! {
        <h1 class="c-title">{format!("{} {}", series.brand_name, series.form.name_zh)}</h1>
        <p class="c-sub"><span class="c-badge" data-test="series-mark">{mark}</span></p>
        <div class="c-actions">
            <a class="btn btn-line btn-small" href=import data-test="import-entry">"导入参数表"</a>
        </div>
        <section class="c-section">
            <h2>{format!("车型（{count}）")}</h2>
            <ul class="c-list" data-test="series-trims">
                {trims.into_iter().map(|t| {
                    let href = format!("{CATALOG}/trims/{}", t.id);
                    let price = t.guide_price.map(shared::money::yuan).unwrap_or_else(|| "指导价未知".into());
                    view! {
                        <li class="c-card">
                            <a href=href data-test="trim-row" data-id=t.id.clone()>
                                <strong>{t.name_zh}</strong>
                                {t.own.then(|| view! { " " <span class="c-badge">"自有"</span> })}
                                <span class="c-sub">{format!(" {price} · 已知参数 {} 项", t.known_specs)}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <NewTrim series=series.id.clone() />
        {series.own.then(|| view! {
            <section class="c-section">
                <h2>"车系资料"</h2>
                <SeriesFields form=series.form.clone() id=Some(series.id.clone()) />
            </section>
        })}
    }
}

/// 新增车型: a form that opens the new trim's page once saved.
#[component]
fn NewTrim(series: String) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <section class="c-section">
            {move || match open.get() {
                false => view! {
                    <button class="btn btn-line btn-block" data-test="new-trim" on:click=move |_| open.set(true)>"新增车型"</button>
                }.into_any(),
                true => view! { <super::trim_editor::TrimFields series=series.clone() /> }.into_any(),
            }}
        </section>
    }
}

/// The blank form of a new trim.
pub(super) fn blank_trim() -> TrimForm {
    TrimForm {
        name_zh: String::new(),
        model_year: None,
        energy_type: EnergyType::Bev,
        seats: Some(5),
        displacement_ml: None,
        range_km: None,
        guide_price: None,
    }
}
