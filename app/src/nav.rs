//! Client-side navigation for both entries: the address as signals, the app's own links and
//! the back button followed without a reload, and the query's `key=value` pairs.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The address bar, tracked. A new path is a new page (the roots re-render on it); a new
/// query is the same page's state (filters, a comparison's options).
#[derive(Clone, Copy)]
pub struct Nav {
    address: RwSignal<(String, String)>,
    /// The path, such as `/demo/models`.
    pub path: Memo<String>,
}

/// How an address is opened: as a new history entry, or in place of the current one (a
/// reload or the back button never comes back to the address it replaces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    New,
    Replace,
}

/// A query's pairs in their order, decoded (`+` is a space).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// The pairs of `?a=1&b=x%20y` (the `?` is optional), decoded.
    pub fn parse(search: &str) -> Self {
        Query(
            search
                .trim_start_matches('?')
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(key), decode(value))
                })
                .collect(),
        )
    }

    /// The first value of `key`.
    /// The pairs in their order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl Nav {
    /// The query of the page being created, decoded: it follows the address while the path
    /// is this page's and holds still once another page's path is opened, so a page being
    /// replaced never acts on the next page's query (`?trims=` gone is not "no trims").
    pub fn query(&self) -> Memo<Query> {
        self.scoped(Query::parse)
    }

    /// The query of the page being created as written, with its `?` (empty without one);
    /// scoped to the page as [`Nav::query`] is.
    pub fn search(&self) -> Memo<String> {
        self.scoped(str::to_string)
    }

    fn scoped<T: Clone + PartialEq + Send + Sync + 'static>(&self, read: fn(&str) -> T) -> Memo<T> {
        let address = self.address;
        let page = address.with_untracked(|(path, _)| path.clone());
        Memo::new(move |before: Option<&T>| {
            address.with(|(path, search)| match before {
                Some(before) if *path != page => before.clone(),
                _ => read(search),
            })
        })
    }

    /// Opens `href` (a path with an optional query); a new path scrolls to the top.
    pub fn open(&self, href: &str, entry: Entry) {
        if let Ok(history) = window().history() {
            let state = wasm_bindgen::JsValue::NULL;
            let _ = match entry {
                Entry::New => history.push_state_with_url(&state, "", Some(href)),
                Entry::Replace => history.replace_state_with_url(&state, "", Some(href)),
            };
        }
        let address = split(href);
        let new_page = self.address.with_untracked(|(path, _)| *path != address.0);
        self.address.set(address);
        if new_page {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

/// A query's key or value with its `%XX` escapes and `+` (a space) decoded; text whose escapes
/// are malformed or not UTF-8 is kept as written.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'+' => out.push(b' '),
            b'%' => {
                let byte = bytes
                    .get(at + 1..at + 3)
                    .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                let Some(byte) = byte else {
                    return text.to_string();
                };
                out.push(byte);
                at += 2;
            }
            byte => out.push(byte),
        }
        at += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// `/path?query#hash` → (`/path`, `?query`).
fn split(href: &str) -> (String, String) {
    let href = href.split('#').next().unwrap_or_default();
    match href.find('?') {
        Some(at) => (href[..at].to_string(), href[at..].to_string()),
        None => (href.to_string(), String::new()),
    }
}

fn here() -> (String, String) {
    let location = window().location();
    (
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
    )
}

/// Starts navigation for an entry and provides it to every page: a click on a link to a path
/// the entry `owns` opens it in place; other links (another entry, a short link, a file) load
/// as the browser would.
pub fn provide(owns: fn(&str) -> bool) -> Nav {
    let address = RwSignal::new(here());
    let nav = Nav {
        address,
        path: Memo::new(move |_| address.with(|(path, _)| path.clone())),
    };
    provide_context(nav);
    // Listening for the page's whole life: the handles are never removed.
    let _ = window_event_listener(ev::popstate, move |_| address.set(here()));
    let _ = window_event_listener(ev::click, move |event| {
        let plain = event.button() == 0
            && !(event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key());
        if event.default_prevented() || !plain {
            return;
        }
        let link = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        let Some(link) = link else { return };
        let href = link.get_attribute("href").unwrap_or_default();
        let own = href.starts_with('/')
            && !href.starts_with("//")
            && !link.has_attribute("target")
            && !link.has_attribute("download")
            && owns(&split(&href).0);
        if own {
            event.prevent_default();
            nav.open(&href, Entry::New);
        }
    });
    nav
}

pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}

#[cfg(test)]
mod tests {
    use super::{split, Query};

    #[test]
    fn an_href_splits_into_its_path_and_query_without_the_hash() {
        let pair = |p: &str, q: &str| (p.to_string(), q.to_string());
        assert_eq!(split("/demo/models"), pair("/demo/models", ""));
        assert_eq!(
            split("/demo/compare?trims=a,b#top"),
            pair("/demo/compare", "?trims=a,b")
        );
        assert_eq!(split("/demo/#x"), pair("/demo/", ""));
    }

    #[test]
    fn a_query_decodes_its_escapes_and_keeps_what_is_malformed() {
        let q = Query::parse("?trims=a%2Cb&q=%E7%A7%A6+PLUS&ch=&bad=50%&odd=%zz&trims=c");
        assert_eq!(q.get("trims"), Some("a,b"), "the first value");
        assert_eq!(q.get("q"), Some("秦 PLUS"));
        assert_eq!(q.get("ch"), Some(""));
        assert_eq!(q.get("bad"), Some("50%"));
        assert_eq!(q.get("odd"), Some("%zz"));
        assert_eq!(q.get("missing"), None);
        assert_eq!(Query::parse("a=%FF").get("a"), Some("%FF"), "not UTF-8");
        assert_eq!(Query::parse(""), Query::default());
    }
}
