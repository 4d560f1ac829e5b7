//! Loading placeholders (sized like the content they stand for, so nothing jumps) and the
//! message shown when a request fails.

use leptos::prelude::*;

/// `count` grey blocks of the given CSS class, announced as loading.
#[component]
pub fn Loading(
    #[prop(default = 3)] count: usize,
    #[prop(default = "ph-card")] class: &'static str,
) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-busy="true">
            <span class="sr-only">"加载中"</span>
            {(0..count).map(|_| view! { <div class=class></div> }).collect_view()}
        </div>
    }
}

#[component]
pub fn LoadError(message: String) -> impl IntoView {
    view! {
        <div class="empty" role="alert" data-test="load-error">
            <p>{message}</p>
            <button type="button" class="btn btn-line btn-small" on:click=|_| {
                let _ = window().location().reload();
            }>"重新加载"</button>
        </div>
    }
}
