//! "分享给朋友": the button on the model page, the comparison and the calculator that asks for
//! the visitor's own link to the page they are on (the page's `Share` action) and shows it in a
//! sheet to copy; inside WeChat it says to send it with ··· at the top right. Only lazy pages
//! use it, so the consumer's first load carries none of it.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shared::link::Link;
use wasm_bindgen::JsCast;

use crate::{api, use_toast};

/// Asks the server for the visitor's link to a page (`POST .../links`), by target path.
pub type Share = Action<String, Result<Link, api::Error>>;

/// The page being looked at as a link target: its path and query without the `ch` a link
/// added (the visitor's own link sets its own channel).
fn target(path: &str, search: &str) -> String {
    let query: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("ch="))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Inside WeChat's (or WeCom's) in-app browser, where the share menu is WeChat's own ···.
fn in_wechat() -> bool {
    window()
        .navigator()
        .user_agent()
        .is_ok_and(|ua| ua.contains("MicroMessenger"))
}

/// Copies `text`: the clipboard API where the page may use it, else the selected link input
/// and `execCommand("copy")`, which older WeChat browsers still need.
async fn copy(text: &str) -> bool {
    let navigator = window().navigator();
    // `navigator.clipboard` is missing outside secure origins: calling it would throw.
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if has_clipboard
        && wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(text))
            .await
            .is_ok()
    {
        return true;
    }
    let input = document()
        .get_element_by_id("share-url")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
    let html = document().dyn_into::<web_sys::HtmlDocument>().ok();
    match (input, html) {
        (Some(input), Some(html)) => {
            input.select();
            html.exec_command("copy").unwrap_or(false)
        }
        _ => false,
    }
}

#[component]
pub fn ShareButton(share: Share) -> impl IntoView {
    let location = use_location();
    let toast = use_toast();
    let open = RwSignal::new(false);
    let wechat = in_wechat();
    let ask = move |_| {
        open.set(true);
        if !share.pending().get_untracked() {
            let path = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            share.dispatch(target(&path, &search));
        }
    };
    let url = move || match share.value().get() {
        Some(Ok(link)) => {
            let origin = window().location().origin().unwrap_or_default();
            Some(format!("{origin}{}", link.path))
        }
        _ => None,
    };
    // Copied as soon as it arrives: one tap makes and copies the link.
    Effect::new(move |_| {
        if let Some(Ok(link)) = share.value().get() {
            let origin = window().location().origin().unwrap_or_default();
            let full = format!("{origin}{}", link.path);
            leptos::task::spawn_local(async move {
                let message = match (copy(&full).await, wechat) {
                    (true, true) => "链接已复制，也可点右上角 ··· 发送给朋友",
                    (true, false) => "链接已复制，发给朋友吧",
                    (false, _) => "请长按链接复制",
                };
                toast.show(message);
            });
        }
    });
    let close = move |_| open.set(false);
    let body = move || {
        match share.value().get() {
        None => view! { <p class="muted">"正在生成您的专属链接…"</p> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="notice" role="alert" data-test="share-error">{e.message()}</p> }
                .into_any()
        }
        Some(Ok(_)) => view! {
            {wechat.then(|| view! {
                <p class="notice" data-test="share-wechat">
                    "点击右上角 ··· ，选择「发送给朋友」或「分享到朋友圈」"
                </p>
            })}
            <div class="field">
                <label for="share-url">"您的专属链接（朋友打开后由同一位顾问为其服务）"</label>
                <input
                    id="share-url"
                    type="url"
                    readonly
                    data-test="share-url"
                    prop:value=url
                    on:focus=move |ev| {
                        if let Some(input) = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        {
                            input.select();
                        }
                    }
                />
            </div>
            <button
                type="button"
                class="btn btn-primary btn-block"
                data-test="share-copy"
                on:click=move |_| {
                    if let Some(full) = url() {
                        leptos::task::spawn_local(async move {
                            let copied = copy(&full).await;
                            toast.show(if copied { "链接已复制，发给朋友吧" } else { "请长按链接复制" });
                        });
                    }
                }
            >
                "复制链接"
            </button>
        }
        .into_any(),
    }
    };
    view! {
        <button
            type="button"
            class="btn btn-line btn-small"
            data-test="share"
            aria-haspopup="dialog"
            on:click=ask
        >
            "分享给朋友"
        </button>
        <Show when=move || open.get()>
            <div class="sheet-backdrop" on:click=close></div>
            <div
                class="sheet"
                role="dialog"
                aria-modal="true"
                aria-labelledby="share-title"
                data-test="share-sheet"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                <div class="sheet-head">
                    <h2 id="share-title">"分享给朋友"</h2>
                    <button type="button" class="sheet-close" aria-label="关闭" data-test="share-close" on:click=close>
                        "×"
                    </button>
                </div>
                {body}
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_is_the_page_without_the_links_channel() {
        assert_eq!(
            target("/demo/models/byd-qin-plus", ""),
            "/demo/models/byd-qin-plus"
        );
        assert_eq!(
            target("/demo/models/byd-qin-plus", "?ch=moments"),
            "/demo/models/byd-qin-plus"
        );
        assert_eq!(
            target("/demo/compare", "?trims=a,b&ch=chat&hide=1"),
            "/demo/compare?trims=a,b&hide=1"
        );
        assert_eq!(
            target("/demo/calculator", "?trim=x"),
            "/demo/calculator?trim=x"
        );
    }
}
