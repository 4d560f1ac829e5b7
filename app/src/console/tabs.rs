//! The console's tabs, each a lazily loaded wasm chunk: the table of which routes each tab
//! opens (`tabs!`), the components that show a tab of several pages, and [`open`], the page a
//! route opens once its tab's chunk is in. The main module keeps the sign-in page, the gate
//! and the tab bar, so the sign-in page waits for no tab.

use leptos::prelude::*;

use super::{current_route, Route};

/// `chunk: routes => page,` a line a tab: its wasm chunk, the routes it opens and the
/// component that shows them (a tab of several pages reads which from `current_route`).
/// The console's build (feature `console`) splits each tab, and what only it reaches, into
/// its own lazily loaded chunk (`#[lazy(chunk)]`, as the consumer's pages in `pages.rs`;
/// `cargo xtask build` lists them under `console/`). Other builds call the tabs directly: the
/// consumer's module, which never mounts the console, exports none of its chunks.
macro_rules! tabs {
    ($($chunk:ident: $routes:pat => $page:path,)*) => {
        $(
            #[cfg(feature = "console")]
            #[lazy($chunk)]
            fn $chunk() -> AnyView {
                view! { <$page /> }.into_any()
            }

            #[cfg(not(feature = "console"))]
            async fn $chunk() -> AnyView {
                view! { <$page /> }.into_any()
            }
        )*

        /// The page `route` opens, once its tab's chunk has loaded. Every route is in a tab.
        pub(super) async fn open(route: Route) -> AnyView {
            match route {
                $($routes => $chunk().await,)*
            }
        }
    };
}

// A new tab is one line here (and its `Route`, `Route::parse` and tab bar entry).
tabs! {
    today: Route::Today => super::today::Today,
    leads: Route::Leads | Route::Lead(_) | Route::Delivery(_) => LeadPages,
    owners: Route::Owners | Route::Car(_) => OwnerPages,
    links: Route::Links => super::links::Links,
    stores: Route::Stores => super::stores::Stores,
    account: Route::Account | Route::WeChat => AccountPages,
    staff: Route::Staff | Route::HandOver(_) => StaffPages,
    settings: Route::Settings => super::settings::Settings,
    catalog: Route::Catalog => super::catalog::Catalog,
    prices: Route::Prices => super::prices::Prices,
    offers: Route::Offers => super::offers::Offers,
    activities: Route::Activities => super::activities::Activities,
    catalog_edit: Route::CatalogNew | Route::CatalogSeries | Route::CatalogTrim => CatalogEditPages,
    spec_import: Route::CatalogImport => super::spec_import::SpecImport,
    photos: Route::Photos => super::photos::Photos,
}

/// 线索: the list, a lead, its delivery.
#[component]
fn LeadPages() -> impl IntoView {
    match current_route() {
        Some(Route::Lead(id)) => view! { <super::lead::Lead id /> }.into_any(),
        Some(Route::Delivery(id)) => view! { <super::delivery::Delivery id /> }.into_any(),
        _ => view! { <super::leads::Leads /> }.into_any(),
    }
}

/// 车主: the cars, a car.
#[component]
fn OwnerPages() -> impl IntoView {
    match current_route() {
        Some(Route::Car(id)) => view! { <super::owners::Car id /> }.into_any(),
        _ => view! { <super::owners::Owners /> }.into_any(),
    }
}

/// 我的: the account and, from it, the official account's settings (admins).
#[component]
fn AccountPages() -> impl IntoView {
    match current_route() {
        Some(Route::WeChat) => view! { <super::wechat::WeChat /> }.into_any(),
        _ => view! { <super::account::Account /> }.into_any(),
    }
}

/// 员工 and, from it, 离职继承 (of the person the path names, if it does).
#[component]
fn StaffPages() -> impl IntoView {
    match current_route() {
        Some(Route::HandOver(from)) => view! { <super::hand_over::HandOver from /> }.into_any(),
        _ => view! { <super::staff::Staff /> }.into_any(),
    }
}

/// 车型 → a series (its trims), 新增车系, a trim (its specs).
#[component]
fn CatalogEditPages() -> impl IntoView {
    match current_route() {
        Some(Route::CatalogTrim) => view! { <super::trim_editor::TrimEditor /> }.into_any(),
        Some(Route::CatalogNew) => view! { <super::series_editor::NewSeries /> }.into_any(),
        _ => view! { <super::series_editor::SeriesEditor /> }.into_any(),
    }
}
