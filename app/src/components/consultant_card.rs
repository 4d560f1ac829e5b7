//! A consultant's card (名片): the full card at the top of their showcase (name, title,
//! tap-to-call work phone, WeChat id) and the compact one a visitor who came through their
//! link sees on the model and test-drive pages (name, title, call).

use leptos::prelude::*;
use shared::profile::{display_phone, tel_href, ConsultantCard};

/// The first character of the name, on the round badge standing in for a photo.
fn initial(name: &str) -> String {
    name.chars().next().map(String::from).unwrap_or_default()
}

#[component]
pub fn CardView(card: ConsultantCard) -> impl IntoView {
    let phone = display_phone(&card.phone);
    let wechat = card.wechat.clone().map(|id| {
        view! {
            <p class="cc-line">
                <span class="label">"微信号"</span>
                <strong data-test="card-wechat" class="cc-copy">{id}</strong>
            </p>
        }
    });
    view! {
        <section class="card consultant-card" data-test="consultant-card" aria-label="顾问名片">
            <div class="cc-head">
                <span class="cc-badge" aria-hidden="true">{initial(&card.name)}</span>
                <div>
                    <h1 class="cc-name" data-test="card-name">{card.name.clone()}</h1>
                    <p class="cc-title" data-test="card-title">{card.title.clone()}</p>
                </div>
            </div>
            <p class="cc-line">
                <span class="label">"工作电话"</span>
                <strong>{phone.clone()}</strong>
            </p>
            {wechat}
            <a class="btn btn-primary btn-block" href=tel_href(&card.phone) data-test="card-call">
                "拨打电话 " {phone}
            </a>
        </section>
    }
}

#[component]
pub fn CompactCard(card: ConsultantCard) -> impl IntoView {
    view! {
        <aside class="card consultant-compact" data-test="my-consultant" aria-label="您的专属顾问">
            <span class="cc-badge" aria-hidden="true">{initial(&card.name)}</span>
            <p class="cc-who">
                <strong data-test="compact-name">{card.name.clone()}</strong>
                <span class="muted">{format!("您的专属{}", card.title)}</span>
            </p>
            <a class="btn btn-line btn-small" href=tel_href(&card.phone) data-test="compact-call">
                "致电"
            </a>
        </aside>
    }
}
