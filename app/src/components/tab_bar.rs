//! The bottom tab bar, like a mini-program's: home, catalogue, selection, the compare basket
//! with its badge, the calculator. Fixed above the safe-area inset.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::basket::Basket;
use crate::{api, use_dealer};

/// 24×24 line icons, drawn inline.
const ICONS: [&str; 5] = [
    "M3 11l9-7 9 7v9a1 1 0 01-1 1h-5v-6H9v6H4a1 1 0 01-1-1z",
    "M4 5h16M4 12h16M4 19h10",
    "M12 3l2.6 5.6 6 .7-4.5 4.1 1.2 6L12 16.4 6.7 19.4l1.2-6L3.4 9.3l6-.7z",
    "M5 20V10M12 20V4M19 20v-7",
    "M6 3h12a1 1 0 011 1v16a1 1 0 01-1 1H6a1 1 0 01-1-1V4a1 1 0 011-1zM8 7h8M8 12h2M14 12h2M8 16h2M14 16h2",
];

#[component]
pub fn TabBar() -> impl IntoView {
    let dealer = use_dealer();
    let basket = expect_context::<Basket>();
    let location = use_location();
    let tabs: [(&str, &str, &str); 5] = [
        ("", "首页", "tab-home"),
        ("/models", "车型", "tab-models"),
        ("/select", "选车", "tab-select"),
        ("/compare", "对比", "tab-compare"),
        ("/calculator", "计算器", "tab-calculator"),
    ];
    view! {
        <nav class="tabbar" aria-label="主导航">
            {tabs
                .into_iter()
                .zip(ICONS)
                .map(|((rest, label, test), icon)| {
                    let href = move || {
                        let base = dealer.href(rest);
                        if rest == "/compare" && basket.count() > 0 {
                            format!("{base}{}", api::query_string(&[("trims", basket.ids().join(","))]))
                        } else if rest.is_empty() {
                            format!("{base}/")
                        } else {
                            base
                        }
                    };
                    let active = move || {
                        location.pathname.with(|p| {
                            let tail = p.trim_start_matches('/').split_once('/').map_or("", |(_, t)| t);
                            let tail = tail.trim_end_matches('/');
                            let want = rest.trim_start_matches('/');
                            if want == "models" { tail.starts_with("models") } else { tail == want }
                        })
                    };
                    view! {
                        <a
                            href=href
                            class="tab"
                            class:on=active
                            aria-current=move || active().then_some("page")
                            data-test=test
                        >
                            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                                <path d=icon />
                            </svg>
                            <span>{label}</span>
                            {(rest == "/compare")
                                .then(|| {
                                    view! {
                                        <Show when=move || basket.count() != 0>
                                            <span class="badge" data-test="compare-badge">
                                                {move || basket.count()}
                                            </span>
                                        </Show>
                                    }
                                })}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
