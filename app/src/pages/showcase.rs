//! `/{dealer}/c/{handle}`: a consultant's showcase (顾问名片). Their card (name, title,
//! tap-to-call work phone, WeChat id), the dealer's models with this dealer's prices, and
//! 询底价 / 预约试驾 for the whole range. The consultant shares it through their own short
//! link (made in the console), which credits them; the link's `?ch=` goes on to every model
//! page and booking from here.

use leptos::prelude::*;
use shared::booking::EnquiryRequest;
use shared::page::Page;
use shared::profile::ConsultantCard;

use crate::components::consultant_card::CardView;
use crate::components::enquiry_sheet::{Ask, Enquire, EnquirySheet};
use crate::components::series_card::SeriesCard;
use crate::components::status::{LoadError, Loading};
use crate::nav::use_nav;
use crate::pages::not_found::NotFound;
use crate::{api, use_dealer};

#[component]
pub fn Showcase() -> impl IntoView {
    let dealer = use_dealer();
    let handle = match crate::current_page() {
        Some(Page::Consultant(handle)) => handle,
        _ => String::new(),
    };
    let card = LocalResource::new(move || {
        let slug = dealer.slug.get();
        let handle = handle.clone();
        async move { api::consultant(&slug, &handle).await }
    });
    let models = LocalResource::new(move || {
        let slug = dealer.slug.get();
        async move { api::series_list(&slug).await }
    });
    let content = move || match (card.get(), models.get()) {
        (Some(Err(e)), _) if e.is_not_found() => view! { <NotFound /> }.into_any(),
        (Some(Err(e)), _) | (_, Some(Err(e))) => {
            view! { <LoadError message=e.message() /> }.into_any()
        }
        (Some(Ok(card)), Some(Ok(list))) => {
            view! { <ShowcaseView card models=list.items /> }.into_any()
        }
        _ => view! { <Loading count=3 /> }.into_any(),
    };
    view! { <main class="page showcase">{content}</main> }
}

#[component]
fn ShowcaseView(
    card: ConsultantCard,
    models: Vec<shared::catalog::SeriesSummary>,
) -> impl IntoView {
    let dealer = use_dealer();
    let slug = dealer.slug.get_untracked();
    let dealer_name = dealer
        .home
        .get_untracked()
        .and_then(Result::ok)
        .map(|h| h.dealer.name)
        .unwrap_or_default();
    crate::set_title(&format!("{} · {dealer_name} {}", card.name, card.title));
    let ch = use_nav()
        .query()
        .with_untracked(|q| q.get("ch").map(str::to_string));
    // Every page opened from here keeps the link's channel, so what it brings is credited.
    let with_ch = |href: String, from: Option<&str>| {
        let mut pairs: Vec<(&str, &str)> = from.map(|f| ("from", f)).into_iter().collect();
        pairs.extend(ch.as_deref().map(|c| ("ch", c)));
        format!("{href}{}", api::query_string(&pairs))
    };
    let ask = RwSignal::new(None::<Ask>);
    let send: Enquire = Action::new_unsync(move |request: &EnquiryRequest| {
        let (slug, request) = (dealer.slug.get_untracked(), request.clone());
        async move { api::enquire(&slug, &request).await }
    });
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
    let count = models.len();
    let cards = models
        .into_iter()
        .map(|series| {
            let href = with_ch(Page::Series(series.id.clone()).href(&slug), None);
            view! { <SeriesCard series href /> }
        })
        .collect_view();
    let drive = with_ch(Page::TestDrive.href(&slug), Some("showcase"));
    let whole_range = Ask {
        series_id: None,
        trim_id: None,
        title: format!("{dealer_name}在售车型"),
    };
    view! {
        <CardView card />
        <section class="section" aria-labelledby="showcase-models-h">
            <h2 id="showcase-models-h">"在售车型（" {count} "款）"</h2>
            <div class="list" data-test="showcase-models">{cards}</div>
        </section>
        <div class="action-bar">
            <button
                type="button"
                class="btn btn-line"
                data-test="ask-price"
                on:click=move |_| ask.set(Some(whole_range.clone()))
            >
                "询底价"
            </button>
            <a class="btn btn-primary" href=drive data-test="book-test-drive">"预约试驾"</a>
        </div>
        <EnquirySheet ask send page="showcase" me=Signal::derive(move || me.get().flatten()) />
    }
}
