//! The bottom tab bar, like a mini-program's: home, catalogue, selection, the compare basket
//! with its badge, the calculator. Fixed above the safe-area inset.

use leptos::prelude::*;

use shared::page::Page;

use crate::basket::Basket;
use crate::nav::use_nav;
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
    let nav = use_nav();
    let tabs: [(Page, &str, &str); 5] = [
        (Page::Home, "首页", "tab-home"),
        (Page::Models, "车型", "tab-models"),
        (Page::Select, "选车", "tab-select"),
        (Page::Compare, "对比", "tab-compare"),
        (Page::Calculator, "计算器", "tab-calculator"),
    ];
    view! {
        <nav class="tabbar" aria-label="主导航">
            {tabs
                .into_iter()
                .zip(ICONS)
                .map(|((tab, label, test), icon)| {
                    let compare = tab == Page::Compare;
                    let link = tab.clone();
                    let href = move || {
                        let base = dealer.link(&link);
                        if compare && basket.count() > 0 {
                            format!("{base}{}", api::query_string(&[("trims", basket.ids().join(","))]))
                        } else {
                            base
                        }
                    };
                    let active = Memo::new(move |_| {
                        nav.path.with(|p| match Page::parse(p) {
                            // a model page belongs to the catalogue tab
                            Some((_, Page::Series(_))) => tab == Page::Models,
                            Some((_, page)) => page == tab,
                            None => false,
                        })
                    });
                    view! {
                        <a
                            href=href
                            class="tab"
                            class:on=active
                            aria-current=move || active.get().then_some("page")
                            data-test=test
                        >
                            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                                <path d=icon />
                            </svg>
                            <span>{label}</span>
                            {compare
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
