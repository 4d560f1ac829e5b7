//! The friendly Chinese 404: unknown dealer, series, trim or path (pages embed it in their
//! own `<main>`).

use leptos::prelude::*;
use shared::page::Page;

use crate::DealerCtx;

#[component]
pub fn NotFound() -> impl IntoView {
    crate::set_title("页面不存在");
    // A known dealer gets a way back to its home page; an unknown one just a kind word.
    let back = use_context::<DealerCtx>().and_then(|d| {
        let known = d.home.get_untracked().is_some_and(|r| r.is_ok());
        known.then(|| d.link(&Page::Home))
    });
    view! {
        <div class="not-found" data-test="not-found">
            <svg class="nf-art" viewBox="0 0 120 48" aria-hidden="true">
                <path d="M4 37V31Q4 27 10 26L30 23L44 14Q48 12 56 12H78Q86 12 92 17L100 23Q114 24 116 30V37Z" fill="currentColor" />
                <circle cx="28" cy="37" r="8" fill="#2b2b2b" />
                <circle cx="94" cy="37" r="8" fill="#2b2b2b" />
            </svg>
            <h1>"页面走丢了"</h1>
            <p class="muted">"您要找的经销商、车型或配置不存在，可能已下架或链接有误。"</p>
            {back
                .map(|href| {
                    view! {
                        <a class="btn btn-primary" href=href>
                            "返回首页"
                        </a>
                    }
                })}
        </div>
    }
}
