//! `/{dealer}/models`: the catalogue. The dealer's whole series list is fetched once and
//! filtered here with `CatalogFilter::apply`, so the count follows every tap and keystroke;
//! the filter lives in the URL query (same keys as the API) so back/forward and shared
//! links restore it. A bad value in the URL is ignored and its default kept.

use leptos::prelude::*;
use shared::catalog::SeriesSummary;
use shared::filter::{CatalogFilter, ChipGroup, Sort, QUERY_LIMIT, SEARCH_HINT};
use shared::page::Page;
use shared::search::SearchMade;

use crate::components::filter_chips::ChipRow;
use crate::components::series_card::SeriesCard;
use crate::components::status::{sells_nothing, LoadError, Loading, NothingOnSale};
use crate::nav::{use_nav, Entry};
use crate::pages::not_found::NotFound;
use crate::timer::Timeout;
use crate::{api, use_dealer};

/// How long typing must pause before a search counts for 热门搜索.
const RECORD_AFTER: std::time::Duration = std::time::Duration::from_millis(1500);

#[component]
pub fn Models() -> impl IntoView {
    crate::set_title("车型库");
    let dealer = use_dealer();
    let nav = use_nav();
    let query = nav.query();
    let list = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::series_list(&slug).await }
    });
    // A bad value in the URL is dropped and its default kept.
    let filter = Memo::new(move |_| query.with(|q| CatalogFilter::lenient(q.iter())));
    let shown = Memo::new(move |_| {
        let f = filter.get();
        list.get().map(|r| {
            r.map(|l| {
                f.apply(&l.items)
                    .into_iter()
                    .cloned()
                    .collect::<Vec<SeriesSummary>>()
            })
        })
    });
    let brands = Memo::new(move |_| {
        list.get()
            .and_then(Result::ok)
            .map(|l| {
                l.brands
                    .into_iter()
                    .map(|b| (b.id, b.name_zh))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });

    let set_filter = Callback::new(move |(f, entry): (CatalogFilter, Entry)| {
        let url = format!(
            "/{}/models{}",
            dealer.slug.get_untracked(),
            api::query_string(&f.to_pairs())
        );
        nav.open(&url, entry);
    });
    let pick = move |group: ChipGroup| {
        Callback::new(move |value: Option<String>| {
            let mut f = filter.get_untracked();
            f.choose(group, value);
            set_filter.run((f, Entry::New));
        })
    };
    let row = move |group: ChipGroup, options: Vec<(String, String)>| {
        view! {
            <ChipRow
                label=group.label()
                group=group.key()
                options=options
                selected=Signal::derive(move || filter.with(|f| f.chosen(group)))
                on_pick=pick(group)
            />
        }
    };

    // The search box keeps what is typed (spaces included); it follows the URL only when
    // the URL changes from elsewhere (back/forward, a chip's 清除).
    let typed = RwSignal::new(filter.get_untracked().q.unwrap_or_default());
    Effect::new(move |_| {
        let q = filter.get().q.unwrap_or_default();
        if typed.with_untracked(|t| t.trim() != q) {
            typed.set(q);
        }
    });
    // A search is recorded for 热门搜索 once typing has paused and it found something; the
    // timeout goes with the page.
    let pause = Timeout::new();
    let search = move |text: String| {
        typed.set(text.clone());
        let mut f = filter.get_untracked();
        let text = text.trim().to_string();
        f.q = (!text.is_empty()).then(|| text.clone());
        set_filter.run((f, Entry::Replace));
        pause.cancel();
        let made = SearchMade { q: text };
        if made.normalized().is_ok() {
            pause.start(RECORD_AFTER, move || {
                let found = shown.with_untracked(|s| {
                    s.as_ref()
                        .and_then(|r| r.as_ref().ok())
                        .is_some_and(|l| !l.is_empty())
                });
                if found {
                    let slug = dealer.slug.get_untracked();
                    leptos::task::spawn_local(async move {
                        // Counting is best effort: a failure changes nothing on the page.
                        let _ = api::record_search(&slug, &made).await;
                    });
                }
            });
        }
    };
    let on_search = move |ev: leptos::ev::Event| {
        search(event_target_value(&ev).chars().take(QUERY_LIMIT).collect());
    };
    let hot = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move {
            api::hot_searches(&slug)
                .await
                .map(|h| h.queries)
                .unwrap_or_default()
        }
    });
    let hot_chips = move || {
        let queries = hot.get().unwrap_or_default();
        (typed.with(|t| t.trim().is_empty()) && !queries.is_empty()).then(|| {
            view! {
                <div class="hot-searches" data-test="hot-searches">
                    <span class="chip-label">"热门搜索"</span>
                    {queries
                        .into_iter()
                        .map(|q| {
                            let text = q.clone();
                            view! {
                                <button type="button" class="chip" data-test="hot-search" on:click=move |_| search(text.clone())>
                                    {q}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            }
        })
    };

    let results = move || match shown.get() {
        None => view! { <Loading count=4 /> }.into_any(),
        Some(Err(e)) if e.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(items)) if items.is_empty() && sells_nothing() => {
            view! { <NothingOnSale /> }.into_any()
        }
        Some(Ok(items)) if items.is_empty() => view! {
            <div class="empty" data-test="no-results">
                <p>"没有找到符合条件的车型"</p>
                <button
                    type="button"
                    class="btn btn-line btn-small"
                    on:click=move |_| set_filter.run((CatalogFilter::default(), Entry::New))
                >
                    "清除筛选"
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(items)) => {
            let slug = dealer.slug.get_untracked();
            items
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let href = Page::Series(s.id.clone()).href(&slug);
                    view! { <SeriesCard series=s href=href first=i == 0 /> }
                })
                .collect_view()
                .into_any()
        }
    };
    let count = move || shown.with(|s| s.as_ref().and_then(|r| r.as_ref().ok()).map(Vec::len));

    view! {
        // Busy until the list and the hot searches are in: the server painted the page's top
        // and first cards, and they stay until the app can show the whole page
        // (`public/start.js`), so nothing moves after.
        <main
            class="page models"
            aria-busy=move || (list.with(Option::is_none) || hot.with(Option::is_none)).to_string()
        >
            <h1 class="sr-only">"车型库"</h1>
            <div class="search">
                <label for="q" class="sr-only">"搜索车型"</label>
                <input
                    id="q"
                    type="search"
                    enterkeyhint="search"
                    autocomplete="off"
                    placeholder=SEARCH_HINT
                    data-test="search"
                    prop:value=typed
                    on:input=on_search
                />
            </div>
            {hot_chips}
            <div class="filters">
                {ChipGroup::ALL
                    .into_iter()
                    .filter(|g| *g != ChipGroup::Brand)
                    .map(|g| row(g, g.options(&[])))
                    .collect_view()}
                <div class="brand-row">
                    {move || row(ChipGroup::Brand, brands.get())}
                </div>
            </div>
            <div class="result-bar">
                <p class="count" data-test="result-count" data-count=move || count().map(|n| n.to_string()) aria-live="polite">
                    {move || match count() {
                        Some(n) => format!("共 {n} 款车系"),
                        None => "正在加载…".into(),
                    }}
                </p>
                <label class="sort">
                    <span class="sr-only">"排序"</span>
                    <select
                        data-test="sort"
                        prop:value=move || filter.get().sort.key()
                        on:change=move |ev| {
                            let key = event_target_value(&ev);
                            let mut f = filter.get_untracked();
                            f.sort = Sort::ALL.into_iter().find(|s| s.key() == key).unwrap_or_default();
                            set_filter.run((f, Entry::New));
                        }
                    >
                        {Sort::ALL
                            .into_iter()
                            .map(|s| view! { <option value=s.key()>{s.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <div class="list" data-test="series-list">{results}</div>
        </main>
    }
}
