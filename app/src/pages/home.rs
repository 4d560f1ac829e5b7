//! `/{dealer}/`: the dealer's name and colour, entries to the buying tools, featured series
//! and stores.

use leptos::prelude::*;
use shared::page::Page;

use crate::components::series_card::SeriesCard;
use crate::components::status::{LoadError, Loading, NothingOnSale};
use crate::components::store_card::StoreCard;
use crate::pages::not_found::NotFound;
use crate::use_dealer;

#[component]
pub fn Home() -> impl IntoView {
    let dealer = use_dealer();
    let entries = [
        (
            Page::Models,
            "车型库",
            "按价格、能源、车身筛选",
            "entry-models",
        ),
        (
            Page::Select,
            "智能选车",
            "回答5个问题，推荐合适车型",
            "entry-select",
        ),
        (
            Page::Compare,
            "车型对比",
            "参数逐项对比，差异一目了然",
            "entry-compare",
        ),
        (
            Page::Calculator,
            "购车计算器",
            "全款、贷款落地价一算便知",
            "entry-calculator",
        ),
        (
            Page::Offers,
            "本店优惠",
            "购车优惠、用车权益一览",
            "entry-offers",
        ),
        (
            Page::Activities,
            "本店活动",
            "试驾会、车主讲堂，报名",
            "entry-activities",
        ),
        (
            Page::TestDrive,
            "预约试驾",
            "选门店和时间，到店试驾",
            "book-test-drive",
        ),
    ];
    let content = move || {
        match dealer.home.get() {
        None => view! {
            <header class="hero" aria-busy="true"><h1 class="ph-text">"\u{a0}"</h1><p>"\u{a0}"</p></header>
            <Loading count=2 />
        }
        .into_any(),
        Some(Err(e)) if e.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(home)) => {
            crate::set_title(&home.dealer.name);
            let tel = format!("tel:{}", home.dealer.phone);
            let slug = dealer.slug.get_untracked();
            view! {
                <header class="hero">
                    {home
                        .dealer
                        .logo_url
                        .clone()
                        .map(|src| {
                            view! { <img class="hero-logo" src=src alt="" data-test="dealer-logo" /> }
                        })}
                    <h1 data-test="dealer-name">{home.dealer.name.clone()}</h1>
                    <p>
                        "官方授权经销商 · "
                        <a href=tel class="hero-tel">
                            "咨询 " {home.dealer.phone.clone()}
                        </a>
                    </p>
                </header>
                <nav class="entries" aria-label="购车工具">
                    {entries
                        .clone()
                        .into_iter()
                        .map(|(page, title, sub, test)| {
                            // The test drive records which page its visitors come from.
                            let from = if matches!(page, Page::TestDrive) { "?from=home" } else { "" };
                            let href = page.href(&slug) + from;
                            view! {
                                <a class="entry" href=href data-test=test>
                                    <strong>{title}</strong>
                                    <span>{sub}</span>
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
                <section class="section" aria-labelledby="featured-h">
                    <div class="section-head">
                        <h2 id="featured-h">"热门车型"</h2>
                        <a href=Page::Models.href(&slug)>"全部车型"</a>
                    </div>
                    {if home.series_on_sale == 0 {
                        view! { <NothingOnSale /> }.into_any()
                    } else {
                        view! {
                            <div class="list" data-test="featured">
                                {home
                                    .featured
                                    .iter()
                                    .enumerate()
                                    .map(|(i, s)| {
                                        let href = Page::Series(s.id.clone()).href(&slug);
                                        view! { <SeriesCard series=s.clone() href=href first=i == 0 /> }
                                    })
                                    .collect_view()}
                            </div>
                        }
                            .into_any()
                    }}
                </section>
                {(!home.stores.is_empty()).then(|| view! {
                    <section class="section" aria-labelledby="stores-h">
                        <div class="section-head">
                            <h2 id="stores-h">"门店"</h2>
                        </div>
                        <div class="list">
                            {home
                                .stores
                                .iter()
                                .map(|s| view! { <StoreCard store=s.clone() /> })
                                .collect_view()}
                        </div>
                    </section>
                })}
            }
            .into_any()
        }
    }
    };
    view! { <main class="page home">{content}</main> }
}
