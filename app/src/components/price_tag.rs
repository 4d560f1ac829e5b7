//! How a price reads: the guide price (厂商指导价) and this dealer's price side by side.

use leptos::prelude::*;
use shared::money;

/// A series' prices: `指导价 8.98-11.98万` (`SeriesSummary::guide_text`) and `本店 8.58万起`.
#[component]
pub fn RangeTag(guide: String, dealer_min: Option<i64>) -> impl IntoView {
    view! {
        <div class="price-tag">
            <span class="guide">"指导价 " {guide}</span>
            {dealer_min
                .map(|p| view! { <span class="deal">"本店 " {money::wan(p)} "起"</span> })}
        </div>
    }
}

/// A trim's prices in yuan, with the saving when the dealer's price is lower.
#[component]
pub fn PriceTag(guide: Option<i64>, dealer: Option<i64>) -> impl IntoView {
    let saving = guide.zip(dealer).map(|(g, d)| g - d).filter(|s| *s > 0);
    view! {
        <div class="price-tag">
            <span class="guide">
                "指导价 " {guide.map(money::yuan).unwrap_or_else(|| "暂无".into())}
            </span>
            {dealer.map(|p| view! { <span class="deal">"本店价 " {money::yuan(p)}</span> })}
            {saving.map(|s| view! { <span class="saving">"优惠 " {money::yuan(s)}</span> })}
        </div>
    }
}
