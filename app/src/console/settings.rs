//! `/console/settings` (admins): 设置, in two sections prefilled with what is saved. 门店资料:
//! name, short name, brand colour (the console's colour follows on save), service phone, the
//! privacy notice's contact (a change is a new notice version), and the logo (uploaded as
//! soon as it is picked). 报价设置: province, the seven 车船税 amounts with their national
//! bands, the default loan and the attribution window. Each form is checked in the browser
//! with its `shared::settings` rule before it is sent; a field's error shows under it.

use leptos::prelude::*;
use shared::error::ApiError;
use shared::quote::{parse_percent_bp, percent_text};
use shared::settings::{DealerSettings, QuoteSettings, StoreProfile};
use shared::tax::VESSEL_TAX_BANDS;
use wasm_bindgen::JsCast;

use super::{api, use_session, Auth};
use crate::components::status::{LoadError, Loading};

/// The terms a loan may run, in months.
const TERMS: [i64; 5] = [12, 24, 36, 48, 60];

#[component]
pub fn Settings() -> impl IntoView {
    super::set_title("设置");
    let session = use_session();
    let stored = LocalResource::new(move || async move { session.check(api::settings().await) });
    view! {
        <main class="c-page">
            <h1 class="c-title">"设置"</h1>
            {move || match stored.get() {
                None => view! { <Loading count=3 /> }.into_any(),
                Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
                Some(Ok(settings)) => {
                    let current = RwSignal::new(settings);
                    view! {
                        <ProfileForm current />
                        <QuoteForm current />
                    }
                        .into_any()
                }
            }}
        </main>
    }
}

/// A form's last error: the field it names (if any) and the message.
#[derive(Clone, Copy)]
struct Errors(RwSignal<Option<ApiError>>);

impl Errors {
    fn new() -> Self {
        Self(RwSignal::new(None))
    }

    /// Shows what the server (or the network) said.
    fn show(self, e: api::Error) {
        self.0.set(Some(match e {
            api::Error::Api(e) => e,
            api::Error::Network(_) => ApiError::invalid("", e.message()),
        }));
    }

    /// The message under `field` (tracked); `""` for one about no field.
    fn under(self, field: &'static str) -> impl Fn() -> Option<String> + Copy {
        move || {
            self.0.with(|e| {
                e.as_ref()
                    .filter(|e| e.field.as_deref() == Some(field))
                    .map(|e| e.message.clone())
            })
        }
    }
}

/// A labelled text input bound to `value`, with its error below.
#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: impl Fn() -> Option<String> + Send + Sync + 'static,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    view! {
        <div class="c-field">
            <label for=id>{label}</label>
            <input
                id=id
                type=kind
                data-test=id
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {hint.map(|h| view! { <p class="c-sub">{h}</p> })}
            <p class="c-error" role="alert" data-test=format!("{id}-error")>{error}</p>
        </div>
    }
}

#[component]
fn ProfileForm(current: RwSignal<DealerSettings>) -> impl IntoView {
    let session = use_session();
    let profile = current.with_untracked(|c| c.profile.clone());
    let name = RwSignal::new(profile.name);
    let short_name = RwSignal::new(profile.short_name);
    let color = RwSignal::new(profile.brand_color);
    let phone = RwSignal::new(profile.phone);
    let contact = RwSignal::new(profile.privacy_contact);
    let errors = Errors::new();
    let saved = RwSignal::new(None::<&'static str>);
    let save = Action::new_unsync(move |profile: &StoreProfile| {
        let profile = profile.clone();
        async move { session.check(api::save_store_profile(&profile).await) }
    });
    let uploading = RwSignal::new(false);
    let answered = move |result: Option<Result<DealerSettings, api::Error>>, said| match result {
        Some(Ok(settings)) => {
            // The console's colour follows the saved brand colour at once.
            let brand = settings.profile.brand_color.clone();
            session.0.update(|a| {
                if let Auth::SignedIn(me) = a {
                    me.brand_color = brand;
                }
            });
            current.set(settings);
            saved.set(Some(said));
        }
        Some(Err(e)) => errors.show(e),
        None => {}
    };
    Effect::new(move |_| answered(save.value().get(), "已保存：顾客页面已显示新的门店资料"));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let form = StoreProfile {
            name: name.get_untracked(),
            short_name: short_name.get_untracked(),
            brand_color: color.get_untracked(),
            phone: phone.get_untracked(),
            privacy_contact: contact.get_untracked(),
        };
        if let Err(e) = form.validate() {
            errors.0.set(Some(e));
            return;
        }
        if !save.pending().get_untracked() {
            errors.0.set(None);
            save.dispatch(form);
        }
    };
    let on_logo = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        saved.set(None);
        errors.0.set(None);
        uploading.set(true);
        // Sent while the page is open; an answer after it has gone is dropped.
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let result = session.check(api::upload_logo(file).await);
            uploading.set(false);
            answered(Some(result), "已上传新标志");
        });
    };
    let version = move || {
        current.with(|c| {
            format!(
                "《个人信息保护说明》中的联系方式，留空则为服务电话；修改后说明生成新版本（当前 {}），顾客下次留资时重新同意",
                c.privacy_version
            )
        })
    };
    let logo_img = move || {
        current.with(|c| c.logo_url.clone()).map(|src| {
            view! { <img class="c-logo" src=src alt="门店标志" data-test="logo-preview" /> }
        })
    };
    view! {
        <section class="c-section">
            <h2>"门店资料"</h2>
            <form class="c-card c-form" on:submit=on_submit novalidate data-test="profile-settings">
                <TextField id="set-name" label="经销商名称" value=name error=errors.under("name") />
                <TextField id="set-short-name" label="简称" value=short_name error=errors.under("short_name") hint="用于页面标题等窄处，如“车链”".to_string() />
                <div class="c-field">
                    <label for="set-color">"品牌色"</label>
                    <div class="c-color">
                        <input
                            type="color"
                            aria-label="选择品牌色"
                            prop:value=move || color.get().to_ascii_lowercase()
                            on:input=move |ev| color.set(event_target_value(&ev).to_ascii_uppercase())
                        />
                        <input
                            id="set-color"
                            type="text"
                            data-test="set-color"
                            spellcheck="false"
                            prop:value=color
                            on:input=move |ev| color.set(event_target_value(&ev))
                        />
                    </div>
                    <p class="c-error" role="alert" data-test="set-color-error">{errors.under("brand_color")}</p>
                </div>
                <TextField id="set-phone" label="服务电话" value=phone error=errors.under("phone") kind="tel" />
                <TextField id="set-privacy" label="个人信息保护联系方式" value=contact error=errors.under("privacy_contact") />
                <p class="c-sub" data-test="privacy-version">{version}</p>
                <div class="c-field">
                    <span>"门店标志（PNG 或 JPEG，不超过 2MB）"</span>
                    {logo_img}
                    <input
                        id="set-logo"
                        class="c-file"
                        type="file"
                        accept="image/png,image/jpeg"
                        data-test="set-logo"
                        on:change=on_logo
                    />
                    <label for="set-logo" class="btn btn-line btn-small c-file-pick">
                        {move || if uploading.get() { "上传中…" } else { "选择图片" }}
                    </label>
                    <p class="c-error" role="alert" data-test="set-logo-error">{errors.under("logo")}</p>
                </div>
                <p class="c-error" role="alert">{errors.under("")}</p>
                <button
                    type="submit"
                    class="btn btn-primary btn-block"
                    data-test="profile-save"
                    disabled=move || save.pending().get() || uploading.get()
                >
                    "保存门店资料"
                </button>
                <p class="c-ok" role="status" data-test="profile-saved">{move || saved.get()}</p>
            </form>
        </section>
    }
}

#[component]
fn QuoteForm(current: RwSignal<DealerSettings>) -> impl IntoView {
    let session = use_session();
    let quote = current.with_untracked(|c| c.quote.clone());
    let province = RwSignal::new(quote.province.clone());
    let amounts: Vec<RwSignal<String>> = quote
        .vessel_tax
        .iter()
        .map(|a| RwSignal::new(a.to_string()))
        .collect();
    let rate = RwSignal::new(percent_text(quote.loan_rate_bp));
    let term = RwSignal::new(quote.loan_term_months);
    let down = RwSignal::new(quote.down_payment_pct.to_string());
    let days = RwSignal::new(quote.attribution_days.to_string());
    let errors = Errors::new();
    let saved = RwSignal::new(false);
    let save = Action::new_unsync(move |quote: &QuoteSettings| {
        let quote = quote.clone();
        async move { session.check(api::save_quote_settings(&quote).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(settings)) => {
            current.set(settings);
            saved.set(true);
        }
        Some(Err(e)) => errors.show(e),
        None => {}
    });
    let number = |text: String, field: &str, what: &str| -> Result<i64, ApiError> {
        text.trim()
            .parse()
            .map_err(|_| ApiError::invalid(field, format!("请填写{what}（整数）")))
    };
    let amounts_read = amounts.clone();
    let read = move || -> Result<QuoteSettings, ApiError> {
        let vessel_tax = amounts_read
            .iter()
            .map(|a| number(a.get_untracked(), "vessel_tax_rates", "车船税年税额"))
            .collect::<Result<Vec<_>, _>>()?;
        let form = QuoteSettings {
            province: province.get_untracked(),
            vessel_tax,
            loan_rate_bp: parse_percent_bp(&rate.get_untracked())
                .ok_or_else(|| ApiError::invalid("loan_rate_bp", "请填写年利率，如 3.5"))?,
            loan_term_months: term.get_untracked(),
            down_payment_pct: number(down.get_untracked(), "down_payment_pct", "首付比例")?,
            attribution_days: number(days.get_untracked(), "attribution_days", "归属期天数")?,
        };
        form.validate().map(|()| form)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        match read() {
            Err(e) => errors.0.set(Some(e)),
            Ok(form) if !save.pending().get_untracked() => {
                errors.0.set(None);
                save.dispatch(form);
            }
            Ok(_) => {}
        }
    };
    let bands = amounts
        .into_iter()
        .zip(VESSEL_TAX_BANDS)
        .enumerate()
        .map(|(i, (value, (_, min, max, name)))| {
            let id = format!("set-vessel-{i}");
            view! {
                <div class="c-field c-band">
                    <label for=id.clone()>{name}</label>
                    <input
                        id=id.clone()
                        type="number"
                        inputmode="numeric"
                        min=min.to_string()
                        max=max.to_string()
                        data-test=id
                        prop:value=value
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                    <span class="c-sub">{format!("{min}–{max} 元")}</span>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="c-section">
            <h2>"报价设置"</h2>
            <form class="c-card c-form" on:submit=on_submit novalidate data-test="quote-settings">
                <TextField id="set-province" label="省份" value=province error=errors.under("province") hint="车船税按本省公布的税额计算".to_string() />
                <fieldset class="c-field c-bands">
                    <legend>"乘用车车船税年税额（元，按排量）"</legend>
                    {bands}
                    <p class="c-error" role="alert" data-test="set-vessel-error">{errors.under("vessel_tax_rates")}</p>
                </fieldset>
                <TextField id="set-rate" label="默认贷款年利率（%）" value=rate error=errors.under("loan_rate_bp") />
                <div class="c-field">
                    <label for="set-term">"默认贷款期限"</label>
                    <select
                        id="set-term"
                        data-test="set-term"
                        on:change=move |ev| {
                            if let Ok(months) = event_target_value(&ev).parse() {
                                term.set(months);
                            }
                        }
                    >
                        {TERMS
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <option value=m.to_string() selected=move || term.get() == m>
                                        {format!("{m} 期（{} 年）", m / 12)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p class="c-error" role="alert">{errors.under("loan_term_months")}</p>
                </div>
                <TextField id="set-down" label="默认首付比例（%）" value=down error=errors.under("down_payment_pct") kind="number" />
                <TextField
                    id="set-days"
                    label="客户归属期（天）"
                    value=days
                    error=errors.under("attribution_days")
                    kind="number"
                    hint="客户首次打开顾问的分享链接后，在此天数内留资归属该顾问".to_string()
                />
                <p class="c-error" role="alert">{errors.under("")}</p>
                <button
                    type="submit"
                    class="btn btn-primary btn-block"
                    data-test="quote-save"
                    disabled=move || save.pending().get()
                >
                    "保存报价设置"
                </button>
                <p class="c-ok" role="status" data-test="quote-saved">
                    {move || saved.get().then_some("已保存：顾客看到的报价已按新设置计算")}
                </p>
            </form>
        </section>
    }
}
