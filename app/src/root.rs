//! The consumer's root: providers (dealer, compare basket, toast) and the whole route table,
//! each lazy page under its `shared::page::Page` path. The dealer's colour comes painted in
//! the shell by the server.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{Lazy, ParamSegment, StaticSegment};
use shared::page::Page;

use crate::basket::Basket;
use crate::components::tab_bar::TabBar;
use crate::pages::{
    home::Home, not_found::NotFound, BookingsRoute, CalculatorRoute, CompareRoute, ModelsRoute,
    SelectRoute, SeriesRoute,
};
use crate::{api, DealerCtx, Toast};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell />
        </Router>
    }
}

/// Everything inside the router: providers, routes, the tab bar.
#[component]
fn Shell() -> impl IntoView {
    let location = use_location();
    let slug = Memo::new(move |_| {
        location.pathname.with(|p| {
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
    let toast = Toast(RwSignal::new(None));
    provide_context(toast);

    let missing = Memo::new(move |_| {
        home.get()
            .is_some_and(|r| r.as_ref().is_err_and(api::Error::is_not_found))
    });

    view! {
        <div class="app">
            {move || {
                if missing.get() {
                    view! { <main class="page"><NotFound /></main> }.into_any()
                } else {
                    view! {
                        <Routes fallback=|| view! { <main class="page"><NotFound /></main> }>
                            <Route path=ParamSegment("dealer") view=Home />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::MODELS)) view={Lazy::<ModelsRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::MODELS), ParamSegment("series")) view={Lazy::<SeriesRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::COMPARE)) view={Lazy::<CompareRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::SELECT)) view={Lazy::<SelectRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::CALCULATOR)) view={Lazy::<CalculatorRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::TEST_DRIVE)) view={Lazy::<BookingsRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::TEST_DRIVE), ParamSegment("code")) view={Lazy::<BookingsRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::ME), StaticSegment(Page::BOOKINGS)) view={Lazy::<BookingsRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::ME)) view={Lazy::<BookingsRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::PRIVACY)) view={Lazy::<BookingsRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::CONSULTANT), ParamSegment("handle")) view={Lazy::<SeriesRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::OWNER)) view={Lazy::<BookingsRoute>::new()} />
                            <Route path=(ParamSegment("dealer"), StaticSegment(Page::OWNER), StaticSegment(Page::BIND), ParamSegment("code")) view={Lazy::<BookingsRoute>::new()} />
                        </Routes>
                        <TabBar />
                    }
                        .into_any()
                }
            }}
            <div class="toast" role="status" aria-live="polite" class:show=move || toast.0.with(Option::is_some)>
                {move || toast.0.get()}
            </div>
        </div>
    }
}
