//! `/{dealer}/offers` 本店优惠: the offers that hold today, filtered by model and by 购车 or 用车
//! (the filter lives in the URL query, as the catalogue's does, with the API's keys), each
//! saying what it is for, until when and where; an expired offer is gone by its date.

use leptos::prelude::*;
use shared::offer::{OfferGroup, OfferList};
use shared::page::{FirstPaint, Page};

use crate::components::filter_chips::ChipRow;
use crate::components::offer_list::OfferCards;
use crate::components::status::{LoadError, Loading};
use crate::nav::{use_nav, Entry};
use crate::{api, use_dealer};

#[component]
pub fn Offers() -> impl IntoView {
    // The words the server painted before the app ran, in the same place.
    let FirstPaint { heading, lede } = Page::Offers.first_paint().unwrap_or_default();
    crate::set_title(&heading);
    let dealer = use_dealer();
    let nav = use_nav();
    let query = nav.query();
    let list = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::offers(&slug).await }
    });
    let series = Memo::new(move |_| query.with(|q| q.get("series").map(str::to_string)));
    let group = Memo::new(move |_| query.with(|q| q.get("group").and_then(OfferGroup::from_key)));
    let set = move |series: Option<String>, group: Option<OfferGroup>| {
        let mut pairs = Vec::new();
        if let Some(s) = series {
            pairs.push(("series", s));
        }
        if let Some(g) = group {
            pairs.push(("group", g.key().to_string()));
        }
        let url = format!(
            "{}{}",
            Page::Offers.href(&dealer.slug.get_untracked()),
            api::query_string(&pairs)
        );
        nav.open(&url, Entry::Replace);
    };
    let content = move || match list.get() {
        None => view! { <Loading count=3 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(list)) => {
            view! { <Filtered list series group set=Callback::new(move |(s, g)| set(s, g)) /> }
                .into_any()
        }
    };
    view! {
        <main class="page offers-page">
            <h1>{heading}</h1>
            <p class="lede">{lede}</p>
            {content}
        </main>
    }
}

#[component]
fn Filtered(
    list: OfferList,
    series: Memo<Option<String>>,
    group: Memo<Option<OfferGroup>>,
    set: Callback<(Option<String>, Option<OfferGroup>)>,
) -> impl IntoView {
    let dealer = use_dealer();
    let today = list.today;
    let models: Vec<(String, String)> = list.series.clone();
    let groups: Vec<(String, String)> = OfferGroup::ALL
        .into_iter()
        .map(|g| (g.key().to_string(), g.label().to_string()))
        .collect();
    let offers = StoredValue::new(list.offers);
    let shown = move || {
        let (s, g) = (series.get(), group.get());
        offers.with_value(|all| {
            all.iter()
                .filter(|o| s.as_ref().is_none_or(|s| *s == o.series_id))
                .filter(|o| g.is_none_or(|g| o.kind.group() == g))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let none_at_all = offers.with_value(Vec::is_empty);
    view! {
        <Show
            when=move || !none_at_all
            fallback=move || view! {
                <div class="empty" data-test="no-offers">
                    <p>"本店暂无进行中的优惠"</p>
                    <a class="btn btn-line btn-small" href=dealer.link(&Page::Models)>"看看在售车型"</a>
                </div>
            }
        >
            <div class="filters">
                <ChipRow
                    label="类型"
                    group="group"
                    options=groups.clone()
                    selected=Signal::derive(move || group.get().map(|g| g.key().to_string()))
                    on_pick=Callback::new(move |v: Option<String>| {
                        set.run((series.get_untracked(), v.and_then(|k| OfferGroup::from_key(&k))))
                    })
                />
                <ChipRow
                    label="车型"
                    group="series"
                    options=models.clone()
                    selected=series
                    on_pick=Callback::new(move |v: Option<String>| set.run((v, group.get_untracked())))
                />
            </div>
            {move || {
                let shown = shown();
                if shown.is_empty() {
                    view! { <p class="empty" data-test="no-matching-offers">"没有符合条件的优惠"</p> }.into_any()
                } else {
                    view! {
                        <ul class="list offers" data-test="offers">
                            <OfferCards offers=shown today linked=true />
                        </ul>
                    }
                    .into_any()
                }
            }}
        </Show>
    }
}
