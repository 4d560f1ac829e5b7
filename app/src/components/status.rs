//! Loading placeholders (sized like the content they stand for, so nothing jumps) and the
//! message shown when a request fails, and a new dealer's "暂无在售车型".

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

/// What a dealer that sells no car yet (a new one) shows where its cars would be: says so and
/// offers its phone.
#[component]
pub fn NothingOnSale() -> impl IntoView {
    let dealer = crate::use_dealer();
    let call = move || {
        dealer.home.get().and_then(Result::ok).map(|home| {
            let href = format!("tel:{}", home.dealer.phone);
            view! { <a class="btn btn-primary" href=href>"致电 " {home.dealer.phone}</a> }
        })
    };
    view! {
        <div class="empty" data-test="nothing-on-sale">
            <p>"暂无在售车型"</p>
            <p class="muted">"本店正在上架车型，欢迎致电咨询。"</p>
            {call}
        </div>
    }
}

/// Whether the open dealer sells no car yet (false until its home data has come).
pub fn sells_nothing() -> bool {
    crate::use_dealer()
        .home
        .get()
        .and_then(Result::ok)
        .is_some_and(|home| home.series_on_sale == 0)
}
