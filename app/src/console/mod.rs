//! The staff console (its own wasm entry, `bin/console.rs`): the `Console` root, the
//! signed-in [`Session`] every page reads, the sign-in gate, the dealer's brand colour, and
//! the whole `/console/` route table: [`Route`] here, the tab each route's page is in (a
//! lazily loaded wasm chunk a tab) in `tabs.rs`. Pages are one file each beside this one.

mod account;
mod activities;
mod api;
mod booking_row;
mod car_history;
mod catalog;
mod delivery;
mod draft_form;
mod follow_ups;
mod format;
mod hand_over;
mod inspection;
mod lead;
mod leads;
mod links;
mod loaded_page;
mod loyalty;
mod new_store;
mod offers;
mod owners;
mod photos;
mod poster;
mod prices;
mod profile;
mod referrals;
mod reminder_tasks;
mod series_editor;
mod service_desk;
mod settings;
mod share_tree;
mod sign_in;
mod spec_import;
mod staff;
mod store_card;
mod store_fields;
mod store_form;
mod stores;
mod tab_bar;
mod tabs;
mod today;
mod trim_editor;
mod wechat;
mod welcome;

use leptos::prelude::*;
use shared::console::StaffMe;

use crate::components::lazy_page::LazyPage;
use crate::components::status::{LoadError, Loading};

/// Where the console's pages live; [`Route::parse`] reads the same paths.
const ROOT: &str = "console";
const TODAY: &str = "/console/";
const LEADS: &str = "/console/leads";
const STORES: &str = "/console/stores";
const LINKS: &str = "/console/links";
const ACCOUNT: &str = "/console/account";
const WECHAT: &str = "/console/wechat";
const OWNERS: &str = "/console/owners";
const STAFF: &str = "/console/staff";
const CATALOG: &str = "/console/catalog";
const PRICES: &str = "/console/prices";
const OFFERS: &str = "/console/offers";
const ACTIVITIES: &str = "/console/activities";
const HAND_OVER: &str = "/console/hand-over";
const SETTINGS: &str = "/console/settings";

/// The path segment `index` of the page open now (`/console/catalog/{id}`: 2), read once.
fn path_segment(index: usize) -> String {
    crate::nav::use_nav().path.with_untracked(|p| {
        p.split('/')
            .filter(|s| !s.is_empty())
            .nth(index)
            .unwrap_or_default()
            .to_string()
    })
}

fn lead_href(id: i64) -> String {
    format!("{LEADS}/{id}")
}

/// The tab's name in the browser's title bar.
fn set_title(page: &str) {
    document().set_title(&format!("{page} · 销售工作台"));
}

#[derive(Clone, Debug, PartialEq)]
enum Auth {
    /// `GET me` has not answered yet.
    Checking,
    /// `GET me` failed for another reason than a missing session.
    Failed(String),
    /// The sign-in page, with a notice (such as why the session ended).
    SignedOut(Option<String>),
    SignedIn(StaffMe),
}

/// Who is signed in. Any answer `401 unauthorized` (the session ended elsewhere) brings the
/// sign-in page back, at the same route.
#[derive(Clone, Copy)]
struct Session(RwSignal<Auth>);

impl Session {
    /// The signed-in staff member (tracked); pages only render while there is one.
    fn me(&self) -> Option<StaffMe> {
        self.0.with(|a| match a {
            Auth::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// Managers and admins (tracked).
    fn manages(&self) -> bool {
        self.0
            .with(|a| matches!(a, Auth::SignedIn(me) if me.staff.role.manages()))
    }

    /// Admins only (tracked): the official account's settings.
    fn is_admin(&self) -> bool {
        self.0.with(
            |a| matches!(a, Auth::SignedIn(me) if me.staff.role == shared::console::Role::Admin),
        )
    }

    fn sign_in(&self, me: StaffMe) {
        self.0.set(Auth::SignedIn(me));
    }

    fn sign_out(&self, notice: Option<String>) {
        self.0.set(Auth::SignedOut(notice));
    }

    /// Passes a result on, first ending the session when the server says there is none.
    fn check<T>(&self, result: Result<T, api::Error>) -> Result<T, api::Error> {
        if result.as_ref().is_err_and(api::Error::is_unauthorized) {
            self.sign_out(Some("登录已失效，请重新登录".into()));
        }
        result
    }
}

fn use_session() -> Session {
    expect_context::<Session>()
}

#[component]
pub fn Console() -> impl IntoView {
    let session = Session(RwSignal::new(Auth::Checking));
    provide_context(session);
    let me = LocalResource::new(api::me);
    Effect::new(move |_| {
        if let Some(result) = me.get() {
            session.0.set(match result {
                Ok(me) => Auth::SignedIn(me),
                Err(e) if e.is_unauthorized() => Auth::SignedOut(None),
                Err(e) => Auth::Failed(e.message()),
            });
        }
    });
    let nav = crate::nav::provide(|path| {
        Route::parse(path).is_some() || welcome::token_of(path).is_some()
    });
    // A one-time sign-in link opens its own page, signed in or not.
    let welcome = Memo::new(move |_| nav.path.with(|p| welcome::token_of(p)));
    move || match welcome.get() {
        Some(token) => view! { <welcome::Welcome token /> }.into_any(),
        None => view! { <Gate /> }.into_any(),
    }
}

/// Sets the dealer's colour variables on the document's root (and clears the old ones).
fn paint_brand(vars: &[(&'static str, String)]) {
    use wasm_bindgen::JsCast;
    let Some(root) = document()
        .document_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    for name in shared::theme::BRAND_VARS {
        let _ = style.remove_property(name);
    }
    for (name, value) in vars {
        let _ = style.set_property(name, value);
    }
}

/// Which of the four states shows; the pages re-render only when it changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Checking,
    Failed,
    SignedOut,
    SignedIn,
}

#[component]
fn Gate() -> impl IntoView {
    let session = use_session();
    let shown = Memo::new(move |_| {
        session.0.with(|a| match a {
            Auth::Checking => Shown::Checking,
            Auth::Failed(_) => Shown::Failed,
            Auth::SignedOut(_) => Shown::SignedOut,
            Auth::SignedIn(_) => Shown::SignedIn,
        })
    });
    // The dealer's colour on the root through CSSOM: the CSP refuses a `style` attribute.
    Effect::new(move |_| {
        let vars = session.0.with(|a| match a {
            Auth::SignedIn(me) => shared::theme::brand_vars(&me.brand_color),
            _ => Vec::new(),
        });
        paint_brand(&vars);
    });
    let notice = move || {
        session.0.with_untracked(|a| match a {
            Auth::SignedOut(notice) => notice.clone(),
            _ => None,
        })
    };
    view! {
        <div class="c-app">
            {move || match shown.get() {
                // The shell's skeleton (the sign-in page's top, or placeholders for a browser
                // with a session) covers the first wait.
                Shown::Checking if document().get_element_by_id("skeleton").is_some() => {
                    ().into_any()
                }
                Shown::Checking => view! {
                    <main class="c-page"><Loading count=2 /></main>
                }
                .into_any(),
                Shown::Failed => {
                    let message = session
                        .0
                        .with_untracked(|a| match a {
                            Auth::Failed(m) => m.clone(),
                            _ => String::new(),
                        });
                    view! { <main class="c-page"><LoadError message /></main> }.into_any()
                }
                Shown::SignedOut => view! { <sign_in::SignIn notice=notice() /> }.into_any(),
                Shown::SignedIn => view! { <Pages /> }.into_any(),
            }}
        </div>
    }
}

/// A console page, by its path under `/console/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Today,
    Leads,
    Lead(i64),
    Delivery(i64),
    Owners,
    Car(i64),
    Stores,
    Links,
    Account,
    WeChat,
    Catalog,
    Prices,
    Offers,
    Activities,
    /// 新增车系 (`/console/catalog/new`).
    CatalogNew,
    /// A series' trims and its form (`/console/catalog/{series}`; the page reads the id).
    CatalogSeries,
    /// A trim's form and specs (`/console/catalog/trims/{trim}`).
    CatalogTrim,
    /// 导入参数表 of a series and the import history (`/console/catalog/{series}/import`).
    CatalogImport,
    /// A series' photos (`?series=`).
    Photos,
    /// 离职继承, of the departing person the path names, if it does.
    HandOver(Option<i64>),
    Settings,
    Staff,
}

impl Route {
    /// The page a path opens (`/console/leads/7`), ignoring a trailing slash; `None` for a
    /// path that is no console page.
    fn parse(path: &str) -> Option<Route> {
        let mut segments = path.split('/').filter(|s| !s.is_empty());
        if segments.next() != Some(ROOT) {
            return None;
        }
        let rest: Vec<&str> = segments.collect();
        let id = |s: &str| s.parse::<i64>().ok();
        Some(match rest.as_slice() {
            [] => Route::Today,
            ["leads"] => Route::Leads,
            ["leads", lead] => Route::Lead(id(lead)?),
            ["leads", lead, "delivery"] => Route::Delivery(id(lead)?),
            ["owners"] => Route::Owners,
            ["owners", car] => Route::Car(id(car)?),
            ["stores"] => Route::Stores,
            ["links"] => Route::Links,
            ["account"] => Route::Account,
            ["wechat"] => Route::WeChat,
            ["catalog"] => Route::Catalog,
            ["prices"] => Route::Prices,
            ["offers"] => Route::Offers,
            ["activities"] => Route::Activities,
            ["catalog", "new"] => Route::CatalogNew,
            ["catalog", "photos"] => Route::Photos,
            ["catalog", "trims", _] => Route::CatalogTrim,
            ["catalog", _] => Route::CatalogSeries,
            ["catalog", _, "import"] => Route::CatalogImport,
            ["hand-over"] => Route::HandOver(None),
            ["settings"] => Route::Settings,
            ["staff", who, "hand-over"] => Route::HandOver(Some(id(who)?)),
            ["staff"] => Route::Staff,
            _ => return None,
        })
    }
}

/// The console page open now, read once: a new path renders a new page ([`Pages`]), so a
/// page's own route never changes under it.
fn current_route() -> Option<Route> {
    crate::nav::use_nav()
        .path
        .with_untracked(|p| Route::parse(p))
}

/// The signed-in console: the page the path opens, from its tab's lazily loaded chunk
/// (re-rendered when the path opens another page, not when only its query changes), and the
/// tab bar.
#[component]
fn Pages() -> impl IntoView {
    let nav = crate::nav::use_nav();
    let route = Memo::new(move |_| nav.path.with(|p| Route::parse(p)));
    view! {
        {move || match route.get() {
            None => view! { <NotFound /> }.into_any(),
            // A closure: each page opened is built afresh (see `LazyPage`).
            Some(route) => {
                (move || view! { <LazyPage page=tabs::open(route) class="c-page" /> }).into_any()
            }
        }}
        <tab_bar::TabBar />
    }
}

#[component]
fn NotFound() -> impl IntoView {
    set_title("页面不存在");
    view! {
        <main class="c-page">
            <div class="empty" data-test="not-found">
                <p>"页面不存在"</p>
                <a class="btn btn-line btn-small" href=TODAY>"回到今日"</a>
            </div>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn console_paths_open_their_pages_and_nothing_else() {
        assert_eq!(Route::parse("/console/"), Some(Route::Today));
        assert_eq!(Route::parse("/console"), Some(Route::Today));
        assert_eq!(Route::parse("/console/leads/7"), Some(Route::Lead(7)));
        assert_eq!(
            Route::parse("/console/leads/7/delivery"),
            Some(Route::Delivery(7))
        );
        assert_eq!(Route::parse("/console/owners/3/"), Some(Route::Car(3)));
        assert_eq!(Route::parse("/console/wechat"), Some(Route::WeChat));
        assert_eq!(
            Route::parse("/console/staff/4/hand-over"),
            Some(Route::HandOver(Some(4)))
        );
        assert_eq!(Route::parse("/console/staff"), Some(Route::Staff));
        assert_eq!(Route::parse("/console/catalog/photos"), Some(Route::Photos));
        for elsewhere in [
            "/",
            "/demo/",
            "/consoles/",
            "/console/leads/x",
            "/console/nope",
            "/s/abcdefgh",
        ] {
            assert_eq!(Route::parse(elsewhere), None, "{elsewhere}");
        }
    }
}
