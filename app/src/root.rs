//! The consumer's root: providers (navigation, dealer, compare basket, toast) and the page
//! each path opens (`shared::page::Page::parse` is the route table); every page but the home
//! page is a lazily loaded wasm chunk. The dealer's colour comes painted in the shell by the
//! server.

use leptos::prelude::*;
use shared::page::Page;

use crate::basket::Basket;
use crate::components::lazy_page::LazyPage;
use crate::components::tab_bar::TabBar;
use crate::pages::{self, home::Home, not_found::NotFound};
use crate::{api, nav, DealerCtx, Toast};

#[component]
pub fn App() -> impl IntoView {
    let nav = nav::provide(|path| Page::parse(path).is_some());
    let slug = Memo::new(move |_| {
        nav.path.with(|p| {
            p.trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or("")
                .to_string()
        })
    });
    let home = LocalResource::new(move || {
        let slug = slug.get();
        async move {
            if slug.is_empty() {
                Err(api::Error::Api(shared::ApiError {
                    code: "not_found".into(),
                    message: "页面不存在".into(),
                    field: None,
                }))
            } else {
                api::dealer_home(&slug).await
            }
        }
    });
    let dealer = DealerCtx { slug, home };
    provide_context(dealer);
    provide_context(Basket::new(slug));
    let toast = Toast::new();
    provide_context(toast);

    let missing = Memo::new(move |_| {
        home.get()
            .is_some_and(|r| r.as_ref().is_err_and(api::Error::is_not_found))
    });
    // Re-rendered when the path opens another page, not when only its query changes.
    let page = Memo::new(move |_| nav.path.with(|p| Page::parse(p).map(|(_, page)| page)));

    view! {
        <div class="app">
            {move || {
                if missing.get() {
                    view! { <main class="page"><NotFound /></main> }.into_any()
                } else {
                    view! {
                        {move || match page.get() {
                            None => view! { <main class="page"><NotFound /></main> }.into_any(),
                            Some(Page::Home) => view! { <Home /> }.into_any(),
                            // A closure: each page opened is built afresh (see `LazyPage`).
                            Some(page) => {
                                (move || view! { <LazyPage page=lazy_page(page.clone()) class="page" /> })
                                    .into_any()
                            }
                        }}
                        <TabBar />
                    }
                        .into_any()
                }
            }}
            <div class="toast" role="status" aria-live="polite" class:show=move || toast.message.with(Option::is_some)>
                {move || toast.message.get()}
            </div>
        </div>
    }
}

/// A page's view, once the chunk it lives in has loaded (`Page::chunk` names it; `cargo
/// xtask build` checks that each of `Page::CHUNKS` exists).
async fn lazy_page(page: Page) -> AnyView {
    match page.chunk() {
        Some("models") => pages::models_chunk().await,
        Some("series") => pages::series_chunk().await,
        Some("compare") => pages::compare_chunk().await,
        Some("select") => pages::select_chunk().await,
        Some("calculator") => pages::calculator_chunk().await,
        Some("bookings") => pages::bookings_chunk().await,
        _ => view! { <main class="page"><NotFound /></main> }.into_any(),
    }
}
