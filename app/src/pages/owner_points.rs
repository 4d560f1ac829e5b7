//! The owner page's 我的积分 and 推荐好友: the running total and tier (`shared::loyalty::Tier`),
//! what the next tier needs, what points are worth at the dealer, every ledger entry with its
//! reason and date, and my referral link (my own share link to the dealer's home) with its QR
//! code and a copy button.

use leptos::prelude::*;
use shared::date::Date;
use shared::loyalty::{OwnerPoints, ReferralLink};

use crate::components::share_button::copy;
use crate::components::status::LoadError;
use crate::{api, use_dealer, use_toast};

/// Bumped when something on the owner page earned points (an answered survey): the card
/// reads the ledger again. Provided by the owner page only.
#[derive(Clone, Copy)]
pub struct PointsEarned(pub RwSignal<u32>);

#[component]
pub fn OwnerPointsCard() -> impl IntoView {
    let dealer = use_dealer();
    let earned = use_context::<PointsEarned>();
    let points = LocalResource::new(move || {
        if let Some(earned) = earned {
            earned.0.track();
        }
        let slug = dealer.slug.get();
        async move { api::owner_points(&slug).await }
    });
    let link = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::referral_link(&slug).await }
    });
    view! {
        {move || match points.get() {
            None => ().into_any(),
            Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
            Some(Ok(p)) => view! { <Points p /> }.into_any(),
        }}
        {move || match link.get() {
            None => ().into_any(),
            Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
            Some(Ok(l)) => {
                let rules = points.get().and_then(Result::ok).map(|p| p.settings);
                view! { <Referral link=l rules /> }.into_any()
            }
        }}
    }
}

#[component]
fn Points(p: OwnerPoints) -> impl IntoView {
    let next = p.next_tier.map_or_else(
        || "已是最高等级".to_string(),
        |n| format!("再得{}分升级{}", n.needed, n.tier.label()),
    );
    let worth = (!p.settings.worth.is_empty()).then(|| {
        view! { <p class="hint" data-test="points-worth">{p.settings.worth.clone()}</p> }
    });
    let entries = if p.entries.is_empty() {
        view! { <p class="hint" data-test="points-empty">"还没有积分。评价保养维修、推荐好友试驾都可获得积分。"</p> }.into_any()
    } else {
        view! {
            <ul class="ledger" data-test="points-ledger">
                {p.entries
                    .into_iter()
                    .map(|e| view! {
                        <li data-test="points-entry">
                            <span class="ledger-what">
                                <strong>{e.reason.label()}</strong>
                                <small>{e.detail}</small>
                            </span>
                            <span class="ledger-when">{Date::shanghai_from_unix_millis(e.created_at).to_string()}</span>
                            <span class="ledger-points">{format!("+{}", e.points)}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card loyalty-card" data-test="owner-points">
            <h2>"我的积分"</h2>
            <p class="points-total">
                <strong data-test="points-total">{p.total}</strong> " 分 "
                <span class="tier" data-test="points-tier">{p.tier.label()}</span>
            </p>
            <p class="hint" data-test="points-next">{next}</p>
            {worth}
            {entries}
        </section>
    }
}

#[component]
fn Referral(link: ReferralLink, rules: Option<shared::loyalty::LoyaltySettings>) -> impl IntoView {
    let toast = use_toast();
    let origin = window().location().origin().unwrap_or_default();
    let url = format!("{origin}{}", link.link.path);
    let to_copy = url.clone();
    let on_copy = move |_| {
        let text = to_copy.clone();
        leptos::task::spawn_local(async move {
            toast.show(if copy(&text).await {
                "链接已复制"
            } else {
                "请长按链接复制"
            });
        });
    };
    let rules = rules.map(|r| {
        format!(
            "好友通过您的链接预约并到店完成试驾，您得{}分；好友提车再得{}分。本人、已是本店客户的号码及每日超过5位的推荐不计奖励。",
            r.referral_drive_points, r.referral_deliver_points
        )
    });
    view! {
        <section class="card loyalty-card" data-test="owner-referral">
            <h2>"推荐好友"</h2>
            <p class="hint">{rules}</p>
            <div class="referral">
                <img class="referral-qr" src=link.qr_svg alt="我的推荐二维码" width="120" height="120" data-test="referral-qr" />
                <div class="referral-link">
                    <input id="share-url" type="text" readonly aria-label="我的推荐链接" data-test="referral-url" prop:value=url />
                    <button type="button" class="btn btn-primary" data-test="referral-copy" on:click=on_copy>"复制链接"</button>
                </div>
            </div>
        </section>
    }
}
