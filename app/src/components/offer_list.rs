//! Offers as buyers see them: a card per offer (what, for which trims, until when, where), and
//! the short tags a trim's price carries.

use leptos::prelude::*;
use shared::date::Date;
use shared::offer::OfferView;
use shared::page::Page;

/// The offers as cards, each with its kind and amount, what it is for, its text, its last day
/// and its stores; `linked`, with a link to its model's page.
#[component]
pub fn OfferCards(
    offers: Vec<OfferView>,
    today: Date,
    #[prop(optional)] linked: bool,
) -> impl IntoView {
    let slug = crate::use_dealer().slug.get_untracked();
    offers
        .into_iter()
        .map(|o| {
            let stores = match o.stores.is_empty() {
                true => "全部门店适用".to_string(),
                false => format!("{}适用", o.stores.join("、")),
            };
            view! {
                <li class="card offer" data-test="offer" data-kind=o.kind.key()>
                    <p class="offer-head">
                        <strong data-test="offer-headline">{o.headline()}</strong>
                        <span class="muted small">{o.until_text(today)}</span>
                    </p>
                    <p class="small">{o.applies_to()}</p>
                    {(!o.detail.is_empty()).then(|| view! { <p>{o.detail.clone()}</p> })}
                    <p class="offer-foot">
                        <span class="muted small">{stores}</span>
                        {linked.then(|| view! {
                            <a href=Page::Series(o.series_id.clone()).href(&slug) data-test="offer-series">"看车型"</a>
                        })}
                    </p>
                </li>
            }
        })
        .collect_view()
}

/// The headlines of the offers that hold for one trim, as tags beside its price.
#[component]
pub fn OfferTags(offers: Vec<OfferView>, series_id: String, trim_id: String) -> impl IntoView {
    let tags: Vec<String> = offers
        .iter()
        .filter(|o| o.holds_for(&series_id, &trim_id))
        .map(OfferView::headline)
        .collect();
    (!tags.is_empty()).then(|| {
        view! {
            <p class="offer-tags" data-test="offer-tags">
                {tags.into_iter().map(|t| view! { <span class="tag tag-offer">{t}</span> }).collect_view()}
            </p>
        }
    })
}
