//! One routed page per file; the route table is in `lib.rs`. Every page but the home page is
//! split into its own lazily loaded wasm chunk, so the first load carries the home page only.

pub mod calculator;
pub mod compare;
pub mod home;
pub mod models;
pub mod not_found;
pub mod select;
pub mod series;

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A route whose page component is fetched (as a separate wasm chunk) on first visit.
macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_page!(ModelsRoute, models::Models);
lazy_page!(SeriesRoute, series::Series);
lazy_page!(CompareRoute, compare::Compare);
lazy_page!(SelectRoute, select::Select);
lazy_page!(CalculatorRoute, calculator::Calculator);
