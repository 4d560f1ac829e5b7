//! A series (车系) in a list: the dealer's cover photo or a drawn silhouette, names, prices,
//! the facts buyers filter by (its words from `SeriesSummary`, which the server's painted
//! catalogue uses too).

use leptos::prelude::*;
use shared::catalog::{SeriesStatus, SeriesSummary};

use crate::components::price_tag::RangeTag;
use crate::components::silhouette::Silhouette;

/// `first`: the list's first card, above the fold on a phone: its photo is the page's largest
/// paint, so it loads at once and first rather than lazily.
#[component]
pub fn SeriesCard(
    series: SeriesSummary,
    href: String,
    #[prop(optional)] first: bool,
) -> impl IntoView {
    // The dealer's cover where it has one (the narrowest stored width is sharp at 96 CSS px
    // on a 3x phone), else the drawn silhouette.
    let art = match &series.cover {
        Some(p) => view! {
            <img
                class="sc-photo"
                data-test="card-cover"
                src=p.url(p.widths[0])
                width=96
                height=72
                alt=""
                loading=if first { "eager" } else { "lazy" }
                fetchpriority=first.then_some("high")
                decoding="async"
            />
        }
        .into_any(),
        None => view! { <Silhouette body=series.body_type /> }.into_any(),
    };
    let status = (series.status != SeriesStatus::OnSale).then(|| series.status.label());
    view! {
        <a class="card series-card" data-test="series-card" data-id=series.id.clone() href=href>
            <div class="sc-art">{art}</div>
            <div class="sc-body">
                <h3 class="sc-name">
                    {series.name_zh.clone()}
                    {status.map(|s| view! { <span class="tag">{s}</span> })}
                </h3>
                <p class="sc-sub">{series.card_facts()}</p>
                <RangeTag guide=series.guide_text() dealer_min=series.dealer_min />
                <p class="sc-meta">{series.card_meta()}</p>
            </div>
        </a>
    }
}
