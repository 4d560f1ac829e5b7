//! `/{dealer}/models/{series}`: the model page. Guide range, key specs, every trim with its
//! guide and dealer price and its on-the-road price as the calculator opens it, what each
//! step up the trim ladder buys, and entries to the comparison, the calculator, 询底价 and the
//! test drive (for the series in the bar at the bottom, for a trim on its card).

use leptos::prelude::*;
use shared::booking::EnquiryRequest;
use shared::catalog::{format_number, SeriesDetail, Trim};
use shared::money;
use shared::page::{FirstPaint, Page};
use shared::photo::{CARD_SIZES, PAGE_SIZES};
use shared::quote::{quote, DealerTerms, QuoteRequest};

use crate::basket::Basket;
use crate::components::consultant_card::CompactCard;
use crate::components::enquiry_sheet::{Ask, Enquire, EnquirySheet};
use crate::components::offer_list::{OfferCards, OfferTags};
use crate::components::price_tag::PriceTag;
use crate::components::share_button::{Share, ShareButton};
use crate::components::silhouette::Silhouette;
use crate::components::status::{LoadError, Loading};
use crate::components::trim_actions::CompareToggle;
use crate::nav::use_nav;
use crate::pages::not_found::NotFound;
use crate::pages::test_drive;
use crate::{api, use_dealer};
use shared::attribution::NewVisitorLink;
use shared::link::Channel;

/// The specs a buyer looks at first: key, label, unit.
const KEY_SPECS: [(&str, &str, &str); 6] = [
    ("range_cltc_km", "纯电续航CLTC", "km"),
    ("accel_0_100_s", "百公里加速", "s"),
    ("max_power_kw", "最大功率", "kW"),
    ("wheelbase_mm", "轴距", "mm"),
    ("seat_count", "座位数", "座"),
    ("power_consumption_kwh_100km", "百公里电耗", "kWh"),
];

/// `430-550km` across the trims, or one value; `None` when no trim states it.
fn spec_span(trims: &[Trim], key: &str, unit: &str) -> Option<String> {
    let values: Vec<f64> = trims
        .iter()
        .filter_map(|t| t.specs.get(key).and_then(|v| v.as_number()))
        .collect();
    let min = values.iter().copied().reduce(f64::min)?;
    let max = values.iter().copied().reduce(f64::max)?;
    Some(if min == max {
        format!("{}{unit}", format_number(min))
    } else {
        format!("{}-{}{unit}", format_number(min), format_number(max))
    })
}

#[component]
pub fn Series() -> impl IntoView {
    let dealer = use_dealer();
    let series = match crate::current_page() {
        Some(Page::Series(series)) => series,
        _ => String::new(),
    };
    let detail = LocalResource::new(move || {
        let slug = dealer.slug.get();
        let series = series.clone();
        async move { api::series_detail(&slug, &series).await }
    });
    // The dealer's terms price each trim on the road; the page waits for both, so nothing
    // moves once it is shown.
    let terms = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::terms(&slug).await }
    });
    // The consultant whose link brought the visitor (preloaded with the page's data), shown
    // with the page so nothing moves when it arrives.
    let consultant = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::my_consultant(&slug).await.ok().flatten() }
    });
    let content = move || match (detail.get(), terms.get()) {
        (None, _) | (Some(Ok(_)), None) => view! {
            <header class="series-head" aria-busy="true"><div class="ph-art"></div></header>
            <Loading count=3 />
        }
        .into_any(),
        (Some(Err(e)), _) if e.is_not_found() => view! { <NotFound /> }.into_any(),
        (Some(Err(e)), _) | (_, Some(Err(e))) => {
            view! { <LoadError message=e.message() /> }.into_any()
        }
        (Some(Ok(d)), Some(Ok(terms))) => match consultant.get() {
            Some(consultant) => view! { <SeriesView detail=d terms consultant /> }.into_any(),
            None => view! { <Loading count=3 /> }.into_any(),
        },
    };
    // Busy until the page can show the model: the server's skeleton (its cover, heading and
    // lede) stays until then (`public/start.js`), so the cover never blinks out.
    let busy = move || {
        let loaded = detail.with(|d| matches!(d, Some(Ok(_))));
        let busy = detail.with(Option::is_none)
            || (loaded && (terms.with(Option::is_none) || consultant.with(Option::is_none)));
        busy.to_string()
    };
    view! { <main class="page series" aria-busy=busy>{content}</main> }
}

#[component]
fn SeriesView(
    detail: SeriesDetail,
    terms: DealerTerms,
    consultant: Option<shared::profile::ConsultantCard>,
) -> impl IntoView {
    let dealer = use_dealer();
    let basket = expect_context::<Basket>();
    let slug = dealer.slug.get_untracked();
    let s = &detail.series;
    crate::set_title(&format!("{} - {}", s.name_zh, s.brand_name));
    let ch = use_nav()
        .query()
        .with_untracked(|q| q.get("ch").map(str::to_string));
    let share: Share = Action::new_unsync(move |target: &String| {
        let slug = dealer.slug.get_untracked();
        let request = NewVisitorLink {
            target: target.clone(),
            channel: Channel::Chat,
        };
        async move { api::share_link(&slug, &request).await }
    });
    let ask = RwSignal::new(None::<Ask>);
    let send: Enquire = Action::new_unsync(move |request: &EnquiryRequest| {
        let (slug, request) = (dealer.slug.get_untracked(), request.clone());
        async move { api::enquire(&slug, &request).await }
    });
    // The visitor's remembered contact, asked for only once the sheet first opens.
    let asked = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || ask.with(Option::is_some)
    });
    let me = LocalResource::new(move || {
        let (asked, slug) = (asked.get(), dealer.slug.get());
        async move {
            match asked {
                true => api::me(&slug).await.ok(),
                false => None,
            }
        }
    });
    let guide = match (s.guide_min, s.guide_max) {
        (Some(min), Some(max)) => money::wan_range(min, max),
        (Some(p), None) | (None, Some(p)) => money::wan(p),
        (None, None) => "暂无报价".into(),
    };
    let specs = KEY_SPECS
        .iter()
        .filter_map(|(key, label, unit)| {
            spec_span(&detail.trims, key, unit).map(|v| {
                view! {
                    <div class="spec">
                        <dt>{*label}</dt>
                        <dd>{v}</dd>
                    </div>
                }
            })
        })
        .collect_view();
    let name_of = |id: &str| {
        detail
            .trims
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name_zh.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let steps = detail
        .steps
        .iter()
        .map(|step| {
            view! {
                <li class="step" data-test="trim-step">
                    <p class="step-names">{name_of(&step.from)} " → " {name_of(&step.to)}</p>
                    <p class="step-gains">{step.summary()}</p>
                </li>
            }
        })
        .collect_view();
    let has_steps = !detail.steps.is_empty();
    // A trim's own offers are tagged on it; the series' show in their section.
    let trim_offers: Vec<_> = detail
        .offers
        .iter()
        .filter(|o| o.trim_id.is_some())
        .cloned()
        .collect();
    let offers = (!detail.offers.is_empty()).then(|| {
        let all = format!(
            "{}{}",
            Page::Offers.href(&slug),
            api::query_string(&[("series", s.id.clone())])
        );
        view! {
            <section class="section" aria-labelledby="offers-h" data-test="series-offers">
                <div class="section-head">
                    <h2 id="offers-h">"本店优惠"</h2>
                    <a href=all data-test="all-offers">"全部优惠"</a>
                </div>
                <ul class="list offers">
                    <OfferCards offers=detail.offers.clone() today=crate::today() />
                </ul>
            </section>
        }
    });
    let trims = detail
        .trims
        .iter()
        .map(|t| {
            let mut facts = Vec::new();
            if let Some(y) = t.model_year {
                facts.push(format!("{y}款"));
            }
            if let Some(e) = t.energy_type {
                facts.push(e.label().to_string());
            }
            if let Some(n) = t.seats {
                facts.push(format!("{n}座"));
            }
            if let Some(km) = t.specs.get("range_cltc_km").and_then(|v| v.as_number()) {
                facts.push(format!("CLTC {}km", format_number(km)));
            }
            let calc = format!(
                "{}?trim={}",
                Page::Calculator.href(&slug),
                api::encode(&t.id)
            );
            // The on-the-road price as the calculator opens it (`QuoteRequest::for_trim`).
            let head = shared::compare::head(t);
            let on_the_road = {
                let request = QuoteRequest::for_trim(&head, crate::today(), None);
                request.map(|request| {
                    let q = quote(&request, terms.vessel_tax.as_ref());
                    let partial = (!q.missing.is_empty()).then_some("（未含车船税）");
                    view! {
                        <p class="muted" data-test="trim-otr">
                            "全款落地约 " <strong>{money::yuan(q.total)}</strong> {partial}
                        </p>
                    }
                })
            };
            let asking = Ask {
                series_id: Some(t.series_id.clone()),
                trim_id: Some(t.id.clone()),
                title: t.full_name(),
            };
            let drive = test_drive::href(&slug, &t.series_id, Some(&t.id), "model", ch.as_deref());
            let colours: Vec<_> = detail
                .colours
                .iter()
                .filter(|c| c.trim_id == t.id)
                .map(|c| {
                    let p = &c.photo;
                    view! {
                        <li>
                            <img
                                src=p.url(p.widths[0])
                                srcset=p.srcset()
                                sizes=CARD_SIZES
                                width=p.widths[0]
                                height=p.height_at(p.widths[0])
                                alt=c.colour.clone()
                                loading="lazy"
                                decoding="async"
                            />
                            <span>{c.colour.clone()}</span>
                        </li>
                    }
                })
                .collect();
            let colours = (!colours.is_empty())
                .then(|| view! { <ul class="colours" data-test="trim-colours">{colours}</ul> });
            view! {
                <li class="card trim" data-test="trim" data-id=t.id.clone()>
                    <h3>{t.name_zh.clone()}</h3>
                    <p class="muted">{facts.join(" · ")}</p>
                    {colours}
                    <PriceTag guide=t.guide_price dealer=t.dealer_price />
                    <OfferTags offers=trim_offers.clone() series_id=t.series_id.clone() trim_id=t.id.clone() />
                    {on_the_road}
                    <div class="trim-actions">
                        <CompareToggle id=t.id.clone() />
                        <a class="btn btn-line btn-small" href=calc data-test="to-calculator">
                            "算落地价"
                        </a>
                        <button
                            type="button"
                            class="btn btn-line btn-small"
                            data-test="ask-price"
                            data-id=t.id.clone()
                            on:click=move |_| ask.set(Some(asking.clone()))
                        >
                            "询底价"
                        </button>
                        <a class="btn btn-line btn-small" href=drive data-test="book-test-drive" data-id=t.id.clone()>
                            "预约试驾"
                        </a>
                    </div>
                </li>
            }
        })
        .collect_view();
    let ask_series = Ask {
        series_id: Some(s.id.clone()),
        trim_id: None,
        title: s.name_zh.clone(),
    };
    let drive = test_drive::href(&slug, &s.id, None, "model", ch.as_deref());
    // The cover is the page's first and largest paint (the server's skeleton drew the same
    // `<img>`, so it is already on its way); the gallery and colours load as they scroll in.
    let cover = match s.cover.clone() {
        Some(p) => view! {
            <div class="series-art has-photo">
                <img
                    class="series-cover"
                    data-test="series-cover"
                    src=p.src()
                    srcset=p.srcset()
                    sizes=PAGE_SIZES
                    width=p.width
                    height=p.height
                    alt=s.name_zh.clone()
                    fetchpriority="high"
                />
            </div>
        }
        .into_any(),
        None => view! {
            <div class="series-art">
                <Silhouette body=s.body_type />
            </div>
        }
        .into_any(),
    };
    let gallery = (!detail.gallery.is_empty()).then(|| {
        let name = s.name_zh.clone();
        view! {
            <section class="section" aria-labelledby="gallery-h">
                <h2 id="gallery-h">"图集"</h2>
                <ul class="gallery" data-test="gallery">
                    {detail
                        .gallery
                        .iter()
                        .map(|p| view! {
                            <li>
                                <img
                                    src=p.src()
                                    srcset=p.srcset()
                                    sizes=PAGE_SIZES
                                    width=p.width
                                    height=p.height
                                    alt=name.clone()
                                    loading="lazy"
                                    decoding="async"
                                />
                            </li>
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    let compare_href = move || {
        format!(
            "/{}/compare{}",
            dealer.slug.get(),
            api::query_string(&[("trims", basket.ids().join(","))])
        )
    };
    view! {
        <header class="series-head">
            {cover}
            <h1 data-test="series-name">{s.name_zh.clone()}</h1>
            <p class="lede">{FirstPaint::series(s).lede}</p>
            <p class="series-price">
                <span class="label">"厂商指导价"</span>
                <strong data-test="guide-range">{guide}</strong>
                {s.dealer_min.map(|p| view! { <span class="deal">"本店 " {money::wan(p)} "起"</span> })}
            </p>
            <ShareButton share />
        </header>
        {consultant.map(|card| view! { <CompactCard card /> })}
        {offers}
        {gallery}
        <section class="section" aria-labelledby="specs-h">
            <h2 id="specs-h">"核心参数"</h2>
            <dl class="specs" data-test="key-specs">{specs}</dl>
        </section>
        <section class="section" aria-labelledby="trims-h">
            <div class="section-head">
                <h2 id="trims-h">"在售车型（" {detail.trims.len()} "款）"</h2>
                <Show when=move || basket.count() != 0>
                    <a href=compare_href data-test="go-compare">
                        "去对比（" {move || basket.count()} "）"
                    </a>
                </Show>
            </div>
            <ul class="list trims">{trims}</ul>
        </section>
        {has_steps
            .then(|| {
                view! {
                    <section class="section" aria-labelledby="steps-h">
                        <h2 id="steps-h">"加价买到什么"</h2>
                        <ol class="steps card">{steps}</ol>
                    </section>
                }
            })}
        <div class="action-bar">
            <button
                type="button"
                class="btn btn-line"
                data-test="ask-price"
                on:click=move |_| ask.set(Some(ask_series.clone()))
            >
                "询底价"
            </button>
            <a class="btn btn-primary" href=drive data-test="book-test-drive">"预约试驾"</a>
        </div>
        <EnquirySheet ask send page="model" me=Signal::derive(move || me.get().flatten()) />
    }
}
