//! The consumer H5 and the staff console: the dealer context and toast the pages use,
//! the consumer's `App` (`root.rs`: providers and the whole route table; pages in `pages/`,
//! views in `components/`) and the console (`console/`).

pub mod api;
pub mod basket;
pub mod components;
pub mod console;
pub mod nav;
pub mod pages;
pub mod timer;

use leptos::prelude::*;
use shared::catalog::DealerHome;
use shared::page::Page;

// The consumer's root and route table. The console entry is built without it (feature
// `console`): its lazily loaded pages are exported chunks that every entry linking them
// would otherwise carry.
#[cfg(not(feature = "console"))]
mod root;
#[cfg(not(feature = "console"))]
pub use root::App;

/// An entry's `main`: mounts its root on the shell's `#app` (the shell's script lifts the
/// skeleton once the root has painted a `<main>`).
pub fn mount<V: IntoView + 'static>(root: fn() -> V) {
    use wasm_bindgen::JsCast;
    let app = document()
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match app {
        Some(app) => leptos::mount::mount_to(app, root).forget(),
        None => leptos::mount::mount_to_body(root),
    }
}

/// The dealer whose pages are open: its slug (the first path segment) and its home data,
/// fetched once per dealer and shared by every page (name, colour, phone, stores).
#[derive(Clone, Copy)]
pub struct DealerCtx {
    pub slug: Memo<String>,
    pub home: LocalResource<Result<DealerHome, api::Error>>,
}

impl DealerCtx {
    /// The path of one of the dealer's pages.
    pub fn link(&self, page: &Page) -> String {
        page.href(&self.slug.get())
    }

    /// The privacy notice version the dealer asks consent to (tracked): its home's, and the
    /// notice's own until the home is in.
    pub fn notice_version(&self) -> String {
        self.home.get().and_then(Result::ok).map_or_else(
            || shared::contact::PRIVACY_NOTICE_VERSION.to_string(),
            |h| h.dealer.privacy_version,
        )
    }
}

/// The consumer page open now, read once: a new path renders a new page (`root.rs`), so a
/// page's own path never changes under it.
pub fn current_page() -> Option<Page> {
    nav::use_nav()
        .path
        .with_untracked(|p| Page::parse(p).map(|(_, page)| page))
}

pub fn use_dealer() -> DealerCtx {
    expect_context::<DealerCtx>()
}

/// A short message at the bottom of the screen (加入对比 etc.), gone two seconds after the
/// last one was shown.
#[derive(Clone, Copy)]
pub struct Toast {
    message: RwSignal<Option<String>>,
    hide: timer::Timeout,
}

impl Toast {
    /// The app's toast; made once, by the root.
    pub fn new() -> Self {
        Self {
            message: RwSignal::new(None),
            hide: timer::Timeout::new(),
        }
    }

    pub fn show(&self, message: impl Into<String>) {
        let signal = self.message;
        signal.set(Some(message.into()));
        self.hide
            .start(std::time::Duration::from_millis(2000), move || {
                signal.set(None)
            });
    }
}

impl Default for Toast {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_toast() -> Toast {
    expect_context::<Toast>()
}

/// Sets the page title (WeChat shows it in its title bar).
pub fn set_title(title: &str) {
    document().set_title(title);
}

/// Today in Shanghai, for the dated tax rules.
pub fn today() -> shared::date::Date {
    shared::date::Date::shanghai_from_unix_millis(js_sys::Date::now() as i64)
}
