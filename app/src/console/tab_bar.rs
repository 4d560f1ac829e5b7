//! The console's bottom tab bar: 今日, 线索, 车主, 链接, 门店 (managers and admins only), 我的; fixed
//! above the safe-area inset.

use crate::nav::use_nav;
use leptos::prelude::*;

use super::{use_session, ACCOUNT, LEADS, LINKS, OWNERS, STORES, TODAY};

/// 24×24 line icons, drawn inline: a check list, people, a car, a chain link, a shop front, a
/// person.
const ICONS: [&str; 6] = [
    "M9 6h11M9 12h11M9 18h11M4 6l1 1 2-2M4 12l1 1 2-2M4 18l1 1 2-2",
    "M9 11a4 4 0 100-8 4 4 0 000 8zM2 21v-1a6 6 0 0112 0v1M16 3.5a4 4 0 010 7.5M22 21v-1a6 6 0 00-4-5.6",
    "M3 16v-4l2-5h14l2 5v4zM3 12h18M7 19a2 2 0 100-4 2 2 0 000 4zM17 19a2 2 0 100-4 2 2 0 000 4z",
    "M10 14a5 5 0 007 0l3-3a5 5 0 00-7-7l-1 1M14 10a5 5 0 00-7 0l-3 3a5 5 0 007 7l1-1",
    "M3 9l2-5h14l2 5M3 9v11h18V9M3 9h18M9 20v-6h6v6",
    "M12 12a4 4 0 100-8 4 4 0 000 8zM4 21v-1a8 8 0 0116 0v1",
];

/// Which tab a path belongs to (a lead's page belongs to 线索).
fn active(path: &str, href: &str) -> bool {
    let path = path.trim_end_matches('/');
    if href == TODAY {
        return path == TODAY.trim_end_matches('/');
    }
    path == href || path.starts_with(&format!("{href}/"))
}

#[component]
pub fn TabBar() -> impl IntoView {
    let session = use_session();
    let nav = use_nav();
    let tabs = [
        (TODAY, "今日", "tab-today", false),
        (LEADS, "线索", "tab-leads", false),
        (OWNERS, "车主", "tab-owners", false),
        (LINKS, "链接", "tab-links", false),
        (STORES, "门店", "tab-stores", true),
        (ACCOUNT, "我的", "tab-account", false),
    ];
    view! {
        <nav class="c-tabbar" aria-label="工作台导航">
            {tabs
                .into_iter()
                .zip(ICONS)
                .map(|((href, label, test, managers_only), icon)| {
                    let on = Memo::new(move |_| nav.path.with(|p| active(p, href)));
                    view! {
                        <Show when=move || !managers_only || session.manages()>
                            <a
                                href=href
                                class="c-tab"
                                class:on=on
                                aria-current=move || on.get().then_some("page")
                                data-test=test
                            >
                                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                                    <path d=icon />
                                </svg>
                                <span>{label}</span>
                            </a>
                        </Show>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_lights_its_tab() {
        for (path, href, on) in [
            ("/console/", TODAY, true),
            ("/console", TODAY, true),
            ("/console/leads", TODAY, false),
            ("/console/leads", LEADS, true),
            ("/console/leads/12", LEADS, true),
            ("/console/leadsx", LEADS, false),
            ("/console/stores/", STORES, true),
            ("/console/account", ACCOUNT, true),
        ] {
            assert_eq!(active(path, href), on, "{path} {href}");
        }
    }
}
