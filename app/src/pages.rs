//! One routed page per file; the route table is in `lib.rs`. Every page but the home page is
//! split into its own lazily loaded wasm chunk, so the first load carries the home page only.

pub mod booking;
pub mod calculator;
pub mod compare;
pub mod home;
pub mod me;
pub mod models;
pub mod my_bookings;
pub mod not_found;
pub mod owner;
pub mod privacy;
pub mod select;
pub mod series;
pub mod showcase;
pub mod test_drive;

use leptos::prelude::*;
#[cfg(not(feature = "console"))]
use leptos_router::{lazy_route, LazyRoute};

/// A route whose page component is fetched (as a separate wasm chunk) on first visit. Not
/// expanded for the console entry (feature `console`), which must not link the chunks.
#[cfg(not(feature = "console"))]
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

#[cfg(not(feature = "console"))]
lazy_page!(ModelsRoute, models::Models);
#[cfg(not(feature = "console"))]
lazy_page!(SeriesRoute, ModelPages);
#[cfg(not(feature = "console"))]
lazy_page!(CompareRoute, compare::Compare);
#[cfg(not(feature = "console"))]
lazy_page!(SelectRoute, select::Select);
#[cfg(not(feature = "console"))]
lazy_page!(CalculatorRoute, calculator::Calculator);
#[cfg(not(feature = "console"))]
lazy_page!(BookingsRoute, Bookings);

/// A model page and a consultant's showcase share one lazily loaded chunk: the showcase is
/// opened to go on to its models, and a lazy route of its own would cut every other page's
/// chunks finer (47 files became 67) and grow the first load past its budget.
#[component]
pub fn ModelPages() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let showcase = location.pathname.with_untracked(|p| {
        matches!(
            shared::page::Page::parse(p),
            Some((_, shared::page::Page::Consultant(_)))
        )
    });
    if showcase {
        view! { <showcase::Showcase /> }.into_any()
    } else {
        view! { <series::Series /> }.into_any()
    }
}

/// The test drive and the visitor's own pages (booking form, confirmation, my bookings, my
/// data, the owner centre, the privacy notice) share one lazily loaded chunk: every lazy
/// route multiplies the chunks the others are cut into and adds to the first load, and these
/// pages are opened together.
#[component]
pub fn Bookings() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let page = location
        .pathname
        .with_untracked(|p| shared::page::Page::parse(p).map(|(_, page)| page));
    use shared::page::Page;
    match page {
        Some(Page::TestDrive) => view! { <test_drive::TestDrive /> }.into_any(),
        Some(Page::Booking(_)) => view! { <booking::Booking /> }.into_any(),
        Some(Page::MyBookings) => view! { <my_bookings::MyBookings /> }.into_any(),
        Some(Page::Me) => view! { <me::Me /> }.into_any(),
        Some(Page::Privacy) => view! { <privacy::Privacy /> }.into_any(),
        Some(Page::Owner | Page::OwnerBind(_)) => view! { <owner::Owner /> }.into_any(),
        _ => view! { <main class="page"><not_found::NotFound /></main> }.into_any(),
    }
}
