//! One page per file; `root.rs` opens them by path. Every page but the home page is
//! split into its own lazily loaded wasm chunk, so the first load carries the home page only.

pub mod activities;
pub mod booking;
pub mod booking_moves;
pub mod calculator;
pub mod compare;
pub mod home;
pub mod me;
pub mod models;
pub mod my_bookings;
pub mod not_found;
pub mod offers;
pub mod owner;
pub mod owner_points;
pub mod owner_reminders;
pub mod owner_service;
pub mod phone_proof;
pub mod privacy;
pub mod select;
pub mod series;
pub mod showcase;
pub mod survey;
pub mod test_drive;

use leptos::prelude::*;
use shared::page::Page;

/// A lazily loaded chunk's entry: `#[lazy(name)]` splits it, and what only it reaches, into
/// the wasm chunk `name` (`shared::page::Page::CHUNKS`). Not expanded for the console entry
/// (feature `console`), which must not link the chunks.
#[cfg(not(feature = "console"))]
macro_rules! lazy_chunk {
    ($chunk:ident, $entry:ident, $page:path) => {
        #[lazy($chunk)]
        pub fn $entry() -> AnyView {
            view! { <$page /> }.into_any()
        }
    };
}

#[cfg(not(feature = "console"))]
lazy_chunk!(models, models_chunk, CataloguePages);
#[cfg(not(feature = "console"))]
lazy_chunk!(series, series_chunk, ModelPages);
#[cfg(not(feature = "console"))]
lazy_chunk!(compare, compare_chunk, compare::Compare);
#[cfg(not(feature = "console"))]
lazy_chunk!(select, select_chunk, select::Select);
#[cfg(not(feature = "console"))]
lazy_chunk!(calculator, calculator_chunk, calculator::Calculator);
#[cfg(not(feature = "console"))]
lazy_chunk!(bookings, bookings_chunk, Bookings);

/// The catalogue and the offers share one lazily loaded chunk: the offers are read beside the
/// models they are for.
#[component]
pub fn CataloguePages() -> impl IntoView {
    if matches!(crate::current_page(), Some(Page::Offers)) {
        view! { <offers::Offers /> }.into_any()
    } else {
        view! { <models::Models /> }.into_any()
    }
}

/// A model page and a consultant's showcase share one lazily loaded chunk: the showcase is
/// opened to go on to its models, and a lazy route of its own would cut every other page's
/// chunks finer (47 files became 67) and grow the first load past its budget.
#[component]
pub fn ModelPages() -> impl IntoView {
    if matches!(crate::current_page(), Some(Page::Consultant(_))) {
        view! { <showcase::Showcase /> }.into_any()
    } else {
        view! { <series::Series /> }.into_any()
    }
}

/// The test drive and the visitor's own pages (booking form, confirmation, my bookings, my
/// data, the owner centre, the privacy notice) and the activities' sign-up pages share one
/// lazily loaded chunk: every lazy
/// route multiplies the chunks the others are cut into and adds to the first load, and these
/// pages are opened together.
#[component]
pub fn Bookings() -> impl IntoView {
    match crate::current_page() {
        Some(Page::TestDrive) => view! { <test_drive::TestDrive /> }.into_any(),
        Some(Page::Booking(_)) => view! { <booking::Booking /> }.into_any(),
        Some(Page::MyBookings) => view! { <my_bookings::MyBookings /> }.into_any(),
        Some(Page::Me) => view! { <me::Me /> }.into_any(),
        Some(Page::Privacy) => view! { <privacy::Privacy /> }.into_any(),
        Some(Page::Owner | Page::OwnerBind(_)) => view! { <owner::Owner /> }.into_any(),
        Some(Page::Activities) => view! { <activities::Activities /> }.into_any(),
        Some(Page::Activity(id)) => view! { <activities::ActivityDetail id /> }.into_any(),
        _ => view! { <main class="page"><not_found::NotFound /></main> }.into_any(),
    }
}
