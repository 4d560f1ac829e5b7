//! A series (车系) in a list: the dealer's cover photo or a drawn silhouette, names, prices, the facts buyers filter by.

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
    let energy = series
        .energy_types
        .iter()
        .map(|e| e.label())
        .collect::<Vec<_>>()
        .join("/");
    let mut facts = vec![
        series.brand_name.clone(),
        series.body_type.label().to_string(),
    ];
    if !energy.is_empty() {
        facts.push(energy);
    }
    let mut meta = Vec::new();
    if let Some(km) = series.max_range_km {
        meta.push(format!("纯电续航最高{km}km"));
    }
    if let (Some(min), Some(max)) = (series.seats.iter().min(), series.seats.iter().max()) {
        meta.push(if min == max {
            format!("{min}座")
        } else {
            format!("{min}-{max}座")
        });
    }
    meta.push(format!("{}款车型", series.trim_count));
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
                <p class="sc-sub">{facts.join(" · ")}</p>
                <RangeTag
                    guide_min=series.guide_min
                    guide_max=series.guide_max
                    dealer_min=series.dealer_min
                />
                <p class="sc-meta">{meta.join(" · ")}</p>
            </div>
        </a>
    }
}
