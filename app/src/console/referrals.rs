//! 推荐奖励 on `/console/owners` (managers and admins): each owner who referred friends, their
//! points, and every referral with its status, the points it earned, and why a reward was
//! withheld.

use leptos::prelude::*;
use shared::loyalty::{OwnerReferrals, ReferralStatus};

use super::format::short_time;
use super::{api, use_session};
use crate::components::status::{LoadError, Loading};

#[component]
pub fn Referrals() -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || async move { session.check(api::referrals().await) });
    let content = move || match list.get() {
        None => view! { <Loading count=1 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(owners)) if owners.is_empty() => {
            view! { <p class="c-sub" data-test="referrals-empty">"还没有车主推荐的好友"</p> }
                .into_any()
        }
        Some(Ok(owners)) => owners
            .into_iter()
            .map(|owner| view! { <OwnerCard owner /> })
            .collect_view()
            .into_any(),
    };
    view! {
        <section class="c-section" data-test="referrals">
            <h2>"推荐奖励"</h2>
            {content}
        </section>
    }
}

#[component]
fn OwnerCard(owner: OwnerReferrals) -> impl IntoView {
    view! {
        <div class="c-card" data-test="referral-owner">
            <p>
                <strong>{owner.owner}</strong>
                <span class="c-sub">{format!(" · 共{}积分", owner.total_points)}</span>
            </p>
            <ul class="c-referrals">
                {owner
                    .referrals
                    .into_iter()
                    .map(|r| {
                        let withheld = r.status == ReferralStatus::Withheld;
                        view! {
                            <li data-test="referral-row">
                                <span>{r.friend}</span>
                                <span class=if withheld { "c-kind c-kind-lost" } else { "c-kind c-kind-confirm" }>
                                    {r.status.label()}
                                </span>
                                <span class="c-sub">
                                    {format!("{} · +{}积分", short_time(r.created_at), r.points)}
                                </span>
                                {r.withheld_reason.map(|reason| view! {
                                    <p class="c-sub c-withheld" data-test="withheld-reason">{format!("原因：{reason}")}</p>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}
