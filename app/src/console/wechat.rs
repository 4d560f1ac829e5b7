//! `/console/wechat` (admins only): the dealer's official account for share cards (AppID,
//! AppSecret, which is write-only, the JS-SDK domain and the `MP_verify_*.txt` file WeChat's
//! admin console gives), checked in the browser with the rules the server applies; and the
//! links to paste into the official-account menu and articles, each with its `?ch=` channel
//! tag and a copy button.

use leptos::prelude::*;
use shared::wechat::{menu_links, SaveWeChat, VerifyFile, WeChatSettings};
use wasm_bindgen::JsCast;

use super::{api, use_session};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn WeChat() -> impl IntoView {
    super::set_title("微信公众号");
    let session = use_session();
    let dealer = session.me().map(|me| me.dealer_slug).unwrap_or_default();
    let stored = LocalResource::new(move || async move { session.check(api::wechat().await) });
    view! {
        <main class="c-page">
            <h1 class="c-title">"微信公众号"</h1>
            {move || match stored.get() {
                None => view! { <Loading count=2 /> }.into_any(),
                Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
                Some(Ok(settings)) => {
                    let domain = RwSignal::new(settings.domain.clone());
                    view! {
                        <SettingsForm settings domain />
                        <MenuLinks dealer=dealer.clone() domain />
                    }
                    .into_any()
                }
            }}
        </main>
    }
}

/// The settings form. `domain` is the saved domain, which the menu links use.
#[component]
fn SettingsForm(settings: WeChatSettings, domain: RwSignal<String>) -> impl IntoView {
    let session = use_session();
    let app_id = RwSignal::new(settings.app_id.clone());
    let secret = RwSignal::new(String::new());
    let domain_text = RwSignal::new(settings.domain.clone());
    let template = RwSignal::new(settings.reminder_template.clone());
    let file = RwSignal::new(None::<VerifyFile>);
    let current = RwSignal::new(settings);
    let error = RwSignal::new(None::<(Option<String>, String)>);
    let saved = RwSignal::new(false);
    let save = Action::new_unsync(move |form: &SaveWeChat| {
        let form = form.clone();
        async move { session.check(api::save_wechat(&form).await) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(settings)) => {
            domain.set(settings.domain.clone());
            domain_text.set(settings.domain.clone());
            current.set(settings);
            secret.set(String::new());
            file.set(None);
            saved.set(true);
        }
        Some(Err(e)) => error.set(Some((e.field().map(str::to_string), e.message()))),
        None => {}
    });
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(picked) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let name = picked.name();
        // Read while the page is open; a file read that ends after it has gone is dropped.
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let text = wasm_bindgen_futures::JsFuture::from(picked.text()).await;
            let content = text.ok().and_then(|t| t.as_string()).unwrap_or_default();
            file.set(Some(VerifyFile { name, content }));
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let form = SaveWeChat {
            app_id: app_id.get_untracked(),
            app_secret: secret.get_untracked(),
            domain: domain_text.get_untracked(),
            verify_file: file.get_untracked(),
            reminder_template: template.get_untracked(),
        };
        if let Err(e) = form.validate(current.with_untracked(|c| c.secret_set)) {
            error.set(Some((e.field, e.message)));
            return;
        }
        if !save.pending().get_untracked() {
            error.set(None);
            save.dispatch(form);
        }
    };
    let field_error = move |field: &'static str| {
        move || {
            error.with(|e| match e {
                Some((Some(f), message)) if f == field => Some(message.clone()),
                _ => None,
            })
        }
    };
    let other_error = move || {
        error.with(|e| match e {
            Some((None, message)) => Some(message.clone()),
            _ => None,
        })
    };
    let secret_hint = move || {
        if current.with(|c| c.secret_set) {
            "已设置（不显示）；留空则保持不变"
        } else {
            "在公众号后台“设置与开发 → 基本配置”获取"
        }
    };
    let file_hint = move || match (file.get(), current.with(|c| c.verify_file.clone())) {
        (Some(picked), _) => format!("待保存：{}", picked.name),
        (None, Some(name)) => format!("已上传：{name}"),
        (None, None) => "尚未上传".to_string(),
    };
    view! {
        <section class="c-section">
            <h2>"公众号设置"</h2>
            <form class="c-card c-form" on:submit=on_submit novalidate data-test="wechat-form">
                <div class="c-field">
                    <label for="c-wx-app-id">"AppID"</label>
                    <input
                        id="c-wx-app-id"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="wx 开头的18位"
                        data-test="wechat-app-id"
                        prop:value=app_id
                        on:input=move |ev| app_id.set(event_target_value(&ev))
                    />
                    <p class="c-error" role="alert" data-test="wechat-app-id-error">{field_error("app_id")}</p>
                </div>
                <div class="c-field">
                    <label for="c-wx-secret">"AppSecret"</label>
                    <input
                        id="c-wx-secret"
                        type="password"
                        autocomplete="new-password"
                        data-test="wechat-secret"
                        prop:value=secret
                        on:input=move |ev| secret.set(event_target_value(&ev))
                    />
                    <p class="c-sub" data-test="wechat-secret-hint">{secret_hint}</p>
                    <p class="c-error" role="alert" data-test="wechat-secret-error">{field_error("app_secret")}</p>
                </div>
                <div class="c-field">
                    <label for="c-wx-domain">"JS 接口安全域名"</label>
                    <input
                        id="c-wx-domain"
                        type="text"
                        inputmode="url"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="www.example.com"
                        data-test="wechat-domain"
                        prop:value=domain_text
                        on:input=move |ev| domain_text.set(event_target_value(&ev))
                    />
                    <p class="c-sub">"与公众号后台“公众号设置 → 功能设置”中填写的一致，只填域名"</p>
                    <p class="c-error" role="alert" data-test="wechat-domain-error">{field_error("domain")}</p>
                </div>
                <div class="c-field">
                    <label for="c-wx-verify">"域名校验文件（MP_verify_….txt）"</label>
                    <input id="c-wx-verify" type="file" accept=".txt,text/plain" data-test="wechat-verify" on:change=on_file />
                    <p class="c-sub" data-test="wechat-verify-file">{file_hint}</p>
                    <p class="c-error" role="alert" data-test="wechat-verify-error">{field_error("verify_file")}</p>
                </div>
                <div class="c-field">
                    <label for="c-wx-template">"保养提醒订阅通知模板 ID（选填）"</label>
                    <input
                        id="c-wx-template"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        data-test="wechat-template"
                        prop:value=template
                        on:input=move |ev| template.set(event_target_value(&ev))
                    />
                    <p class="c-sub">"在公众号后台“订阅通知”中选用模板（字段：提醒事项、车牌号、到期日期、说明）；留空则提醒只显示在车主页和服务顾问的待办中"</p>
                    <p class="c-error" role="alert" data-test="wechat-template-error">{field_error("reminder_template")}</p>
                </div>
                <p class="c-error" role="alert" data-test="wechat-error">{other_error}</p>
                <button
                    type="submit"
                    class="btn btn-primary btn-block"
                    data-test="wechat-save"
                    disabled=move || save.pending().get()
                >
                    "保存"
                </button>
                <p class="c-sub" role="status" data-test="wechat-saved">
                    {move || saved.get().then_some("已保存：页面在微信内分享时将显示标题、描述和图片")}
                </p>
            </form>
        </section>
    }
}

/// The menu and article links of the dealer's main pages, on the saved domain (or this site
/// until one is saved).
#[component]
fn MenuLinks(dealer: String, domain: RwSignal<String>) -> impl IntoView {
    let links = move || {
        let origin = domain.with(|d| {
            if d.is_empty() {
                window().location().origin().unwrap_or_default()
            } else {
                format!("https://{d}")
            }
        });
        menu_links(&origin, &dealer)
            .into_iter()
            .map(|link| {
                view! {
                    <article class="c-card c-menu-link" data-test="menu-link">
                        <p><strong>{link.label}</strong></p>
                        <CopyRow label="菜单" url=link.menu test="menu-url" />
                        <CopyRow label="文章" url=link.article test="article-url" />
                    </article>
                }
            })
            .collect_view()
    };
    view! {
        <section class="c-section" data-test="menu-links">
            <h2>"公众号菜单链接"</h2>
            <p class="c-sub">"粘贴到公众号自定义菜单或文章的“阅读原文”；链接里的 ch 标明渠道，报表据此区分菜单与文章带来的客户。"</p>
            <div class="c-list">{links}</div>
        </section>
    }
}

/// A link in full (wrapped: its path and `?ch=` are what tell the links apart) with a copy
/// button.
#[component]
pub(super) fn CopyRow(
    label: &'static str,
    url: String,
    test: &'static str,
    /// Lines the field shows (a long one-time link needs three).
    #[prop(default = 2)]
    rows: u32,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let field = NodeRef::<leptos::html::Textarea>::new();
    let copy = {
        let url = url.clone();
        move |_| {
            copied.set(copy_text(&url, field.get_untracked()));
        }
    };
    view! {
        <div class="c-copy">
            <span class="c-sub">{label}</span>
            <button type="button" class="btn btn-line btn-small" data-test="copy" on:click=copy>
                {move || if copied.get() { "已复制" } else { "复制" }}
            </button>
            <textarea
                class="c-url"
                readonly
                rows=rows.to_string()
                aria-label=format!("{label}链接")
                data-test=test
                node_ref=field
                prop:value=url
            ></textarea>
        </div>
    }
}

/// Copies with the Clipboard API where the page may use it (HTTPS), else by selecting the
/// field and `execCommand("copy")`, as WeChat's older browsers need.
fn copy_text(text: &str, field: Option<web_sys::HtmlTextAreaElement>) -> bool {
    let clipboard = js_sys::Reflect::get(&window(), &"navigator".into())
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &"clipboard".into()))
        .ok()
        .filter(|c| !c.is_undefined());
    let write = clipboard.as_ref().and_then(|c| {
        js_sys::Reflect::get(c, &"writeText".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()
    });
    if let (Some(clipboard), Some(write)) = (clipboard, write) {
        if write.call1(&clipboard, &text.into()).is_ok() {
            return true;
        }
    }
    let Some(field) = field else {
        return false;
    };
    field.select();
    let document = document();
    js_sys::Reflect::get(&document, &"execCommand".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&document, &"copy".into()).ok())
        .and_then(|done| done.as_bool())
        .unwrap_or(false)
}
