//! "分享给朋友": the button on the model page, the comparison and the calculator that asks for
//! the visitor's own link to the page they are on (the page's `Share` action), copies it and
//! shows it to copy; inside WeChat it says to send it with ··· at the top right. Only lazy
//! pages use it. Its strings are few and short on purpose: wasm-split moves code into the
//! page chunks but leaves every string in the main module, the consumer's first load.

use leptos::prelude::*;
use shared::link::Link;
use wasm_bindgen::{JsCast, JsValue};

use crate::nav::use_nav;
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

/// A property of a JS object. The share button reaches the browser through `Reflect` and
/// `Function.call`, which the app imports already: each new web-sys binding would add its glue
/// to the consumer's first load, which has no bytes to spare.
fn prop(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `target.method(arg)`; `None` when there is no such method or it throws.
fn call(target: &JsValue, method: &str, arg: &JsValue) -> Option<JsValue> {
    let method: js_sys::Function = prop(target, method).dyn_into().ok()?;
    method.call1(target, arg).ok()
}

/// Inside WeChat's (or WeCom's) in-app browser, where the share menu is WeChat's own ···.
fn in_wechat() -> bool {
    let navigator = prop(&window(), "navigator");
    prop(&navigator, "userAgent")
        .as_string()
        .is_some_and(|ua| ua.contains("MicroMessenger"))
}

/// Copies `text`: the clipboard API where the page may use it (it is missing outside secure
/// origins), else the selected link and `execCommand("copy")`, which older WeChat still needs.
pub(crate) async fn copy(text: &str) -> bool {
    let clipboard = prop(&prop(&window(), "navigator"), "clipboard");
    if let Some(promise) = call(&clipboard, "writeText", &JsValue::from_str(text)) {
        let promise: js_sys::Promise = promise.unchecked_into();
        if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
            return true;
        }
    }
    if let Some(input) = document().get_element_by_id("share-url") {
        let _ = call(&input, "select", &JsValue::UNDEFINED);
    }
    call(&document(), "execCommand", &JsValue::from_str("copy"))
        .is_some_and(|done| done.as_bool() == Some(true))
}

#[component]
pub fn ShareButton(share: Share) -> impl IntoView {
    let nav = use_nav();
    let search = nav.search();
    let toast = use_toast();
    let wechat = in_wechat();
    let ask = move |_| {
        if !share.pending().get_untracked() {
            let path = nav.path.get_untracked();
            let search = search.get_untracked();
            share.dispatch(target(&path, &search));
        }
    };
    let url = move || match share.value().get() {
        Some(Ok(link)) => {
            let origin = prop(&prop(&window(), "location"), "origin").as_string();
            Some(format!("{}{}", origin.unwrap_or_default(), link.path))
        }
        _ => None,
    };
    // Copied as soon as it arrives: one tap makes and copies the link.
    Effect::new(move |_| {
        if let Some(full) = url() {
            leptos::task::spawn_local(async move {
                toast.show(if copy(&full).await {
                    "链接已复制"
                } else {
                    "请长按链接复制"
                });
            });
        }
    });
    let shown = move || {
        match share.value().get() {
        None => None,
        Some(Err(e)) => Some(view! { <p class="notice" role="alert">{e.message()}</p> }.into_any()),
        Some(Ok(_)) => Some(
            view! {
                <p class="notice" data-test="share-sheet">
                    {if wechat { "点右上角 ··· 发给朋友，或复制链接：" } else { "复制链接发给朋友：" }}
                    <input id="share-url" type="text" readonly aria-label="分享给朋友" data-test="share-url" prop:value=url />
                </p>
            }
            .into_any(),
        ),
    }
    };
    view! {
        <button type="button" class="btn btn-line btn-small" data-test="share" on:click=ask>
            "分享给朋友"
        </button>
        {shown}
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
