//! The consumer H5 and the staff console: the dealer context, toast and brand theme both use,
//! the consumer's `App` (`root.rs`: providers and the whole route table; pages in `pages/`,
//! views in `components/`) and the console (`console/`).

pub mod api;
pub mod basket;
pub mod components;
pub mod console;
pub mod pages;

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
}

pub fn use_dealer() -> DealerCtx {
    expect_context::<DealerCtx>()
}

/// A short message at the bottom of the screen (加入对比 etc.), gone after two seconds.
#[derive(Clone, Copy)]
pub struct Toast(RwSignal<Option<String>>);

impl Toast {
    pub fn show(&self, message: impl Into<String>) {
        let signal = self.0;
        signal.set(Some(message.into()));
        set_timeout(
            move || signal.set(None),
            std::time::Duration::from_millis(2000),
        );
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

/// CSS variables for the dealer's colour: `--brand` as given (decoration) and `--brand-ink`,
/// darkened until white text on it (and it on white) reaches a 4.5:1 contrast ratio.
pub fn theme_style(color: &str) -> String {
    let Some((r, g, b)) = parse_hex(color) else {
        return String::new();
    };
    let (mut ir, mut ig, mut ib) = (f64::from(r), f64::from(g), f64::from(b));
    for _ in 0..40 {
        if luminance(ir, ig, ib) <= 0.18 {
            break;
        }
        ir *= 0.92;
        ig *= 0.92;
        ib *= 0.92;
    }
    format!(
        "--brand:#{r:02x}{g:02x}{b:02x};--brand-ink:#{:02x}{:02x}{:02x};--brand-soft:rgba({r},{g},{b},.1)",
        ir as u8, ig as u8, ib as u8
    )
}

fn parse_hex(color: &str) -> Option<(u8, u8, u8)> {
    let hex = color.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// WCAG relative luminance of an sRGB colour given in 0–255 channels.
fn luminance(r: f64, g: f64, b: f64) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_ink_is_dark_enough_for_white_text() {
        let style = theme_style("#07C160");
        assert!(
            style.starts_with("--brand:#07c160;--brand-ink:#"),
            "{style}"
        );
        let ink = &style[style.find("ink:#").unwrap() + 5..][..6];
        let (r, g, b) = parse_hex(&format!("#{ink}")).unwrap();
        assert!(luminance(r.into(), g.into(), b.into()) <= 0.18);
        assert_eq!(theme_style("red"), "");
    }
}
