//! A store (门店): where it is, when it opens, a tap to call.

use leptos::prelude::*;
use shared::catalog::Store;

#[component]
pub fn StoreCard(store: Store) -> impl IntoView {
    let tel = format!("tel:{}", store.phone);
    view! {
        <div class="card store-card" data-test="store-card">
            <h3>{store.name}</h3>
            <p class="muted">{store.city} " " {store.address}</p>
            <p class="muted">"营业时间 " {store.opening_hours}</p>
            <a class="btn btn-line btn-small" href=tel>
                "拨打 " {store.phone}
            </a>
        </div>
    }
}
