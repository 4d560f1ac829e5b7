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
pub mod privacy;
pub mod select;
pub mod series;
pub mod test_drive;

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
lazy_page!(TestDriveRoute, test_drive::TestDrive);
lazy_page!(BookingRoute, booking::Booking);
lazy_page!(MyBookingsRoute, my_bookings::MyBookings);
lazy_page!(MeRoute, me::Me);
lazy_page!(PrivacyRoute, privacy::Privacy);
