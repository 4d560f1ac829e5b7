//! `/{dealer}/models`: the catalogue. The dealer's whole series list is fetched once and
//! filtered here with `CatalogFilter::apply`, so the count follows every tap and keystroke;
//! the filter lives in the URL query (same keys as the API) so back/forward and shared
//! links restore it. A bad value in the URL is ignored and its default kept.

use leptos::prelude::*;
use shared::catalog::{BodyType, EnergyType, SeriesSummary};
use shared::filter::{CatalogFilter, Sort, PRICE_BANDS, QUERY_LIMIT};
use shared::page::Page;
use shared::search::SearchMade;

use crate::components::filter_chips::ChipRow;
use crate::components::series_card::SeriesCard;
use crate::components::status::{sells_nothing, LoadError, Loading, NothingOnSale};
use crate::nav::{use_nav, Entry, Query};
use crate::pages::not_found::NotFound;
use crate::timer::Timeout;
use crate::{api, use_dealer};

/// How long typing must pause before a search counts for 热门搜索.
const RECORD_AFTER: std::time::Duration = std::time::Duration::from_millis(1500);

const KEYS: [&str; 8] = [
    "price_min",
    "price_max",
    "energy",
    "body",
    "seats",
    "brand",
    "q",
    "sort",
];

/// The filter in the URL, keeping each value that parses and dropping each one that does not.
pub fn lenient_filter(query: &Query) -> CatalogFilter {
    let mut accepted: Vec<(&str, &str)> = Vec::new();
    for key in KEYS {
        if let Some(value) = query.get(key) {
            accepted.push((key, value));
            if CatalogFilter::from_pairs(accepted.iter().copied()).is_err() {
                accepted.pop();
            }
        }
    }
    CatalogFilter::from_pairs(accepted).unwrap_or_default()
}

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
    let filter = Memo::new(move |_| query.with(lenient_filter));
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
    let pick = move |apply: fn(&mut CatalogFilter, Option<String>)| {
        Callback::new(move |value: Option<String>| {
            let mut f = filter.get_untracked();
            apply(&mut f, value);
            set_filter.run((f, Entry::New));
        })
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

    let price_options = PRICE_BANDS
        .iter()
        .enumerate()
        .map(|(i, (label, _, _))| (i.to_string(), label.to_string()))
        .collect::<Vec<_>>();
    let price_selected = Signal::derive(move || {
        let f = filter.get();
        PRICE_BANDS
            .iter()
            .position(|(_, min, max)| *min == f.price_min && *max == f.price_max)
            .map(|i| i.to_string())
    });
    let energy_options = EnergyType::ALL
        .iter()
        .map(|e| (e.key().to_string(), e.label().to_string()))
        .collect::<Vec<_>>();
    let body_options = BodyType::ALL
        .iter()
        .map(|b| (b.key().to_string(), b.label().to_string()))
        .collect::<Vec<_>>();
    let seat_options = [5, 6, 7]
        .iter()
        .map(|n| (n.to_string(), format!("{n}座及以上")))
        .collect::<Vec<_>>();

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
        <main class="page models">
            <h1 class="sr-only">"车型库"</h1>
            <div class="search">
                <label for="q" class="sr-only">"搜索车型"</label>
                <input
                    id="q"
                    type="search"
                    enterkeyhint="search"
                    autocomplete="off"
                    placeholder="搜索车型，如 秦、qin、sqb"
                    data-test="search"
                    prop:value=typed
                    on:input=on_search
                />
            </div>
            {hot_chips}
            <div class="filters">
                <ChipRow
                    label="价格"
                    group="price"
                    options=price_options
                    selected=price_selected
                    on_pick=pick(|f, v| {
                        let band = v.and_then(|i| i.parse::<usize>().ok()).and_then(|i| PRICE_BANDS.get(i));
                        f.price_min = band.and_then(|b| b.1);
                        f.price_max = band.and_then(|b| b.2);
                    })
                />
                <ChipRow
                    label="能源"
                    group="energy"
                    options=energy_options
                    selected=Signal::derive(move || filter.get().energy.map(|e| e.key().to_string()))
                    on_pick=pick(|f, v| f.energy = v.and_then(|k| EnergyType::from_key(&k)))
                />
                <ChipRow
                    label="车身"
                    group="body"
                    options=body_options
                    selected=Signal::derive(move || filter.get().body.map(|b| b.key().to_string()))
                    on_pick=pick(|f, v| f.body = v.and_then(|k| BodyType::from_key(&k)))
                />
                <ChipRow
                    label="座位"
                    group="seats"
                    options=seat_options
                    selected=Signal::derive(move || filter.get().seats.map(|n| n.to_string()))
                    on_pick=pick(|f, v| f.seats = v.and_then(|n| n.parse().ok()))
                />
                <div class="brand-row">
                    {move || {
                        view! {
                            <ChipRow
                                label="品牌"
                                group="brand"
                                options=brands.get()
                                selected=Signal::derive(move || filter.get().brand)
                                on_pick=pick(|f, v| f.brand = v)
                            />
                        }
                    }}
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
