//! `/console/links` (我的链接): make a share link for any of the dealer's pages (my own
//! showcase among them) and a channel, copy it, and see what each of my links brought, the
//! forwards of the visitors it brought included (previews, clicks, visitors, leads, bookings),
//! by channel and by day; for a link to a model or my showcase show its QR code (二维码) or
//! draw its poster (海报, `poster.rs`) to long-press and save.

use leptos::prelude::*;
use shared::attribution::LinkStats;
use shared::catalog::{BodyType, SeriesSummary};
use shared::link::{Channel, Link, NewLink};
use shared::page::Page;
use shared::profile::Profile;

use super::poster::{self, PosterFacts};
use super::{api, use_session};
use crate::components::status::{LoadError, Loading};

/// The pages a link can open: the fixed ones, my showcase, then each model page.
fn targets(
    dealer: &str,
    handle: Option<&str>,
    models: &[(String, String)],
) -> Vec<(String, String)> {
    let fixed = [
        (Page::Home, "首页"),
        (Page::Models, "车型库"),
        (Page::Select, "智能选车"),
        (Page::Calculator, "购车计算器"),
        (Page::TestDrive, "预约试驾"),
    ];
    fixed
        .into_iter()
        .map(|(page, label)| (page.href(dealer), label.to_string()))
        .chain(handle.map(|handle| {
            (
                Page::Consultant(handle.to_string()).href(dealer),
                "我的名片（顾问展厅）".to_string(),
            )
        }))
        .chain(models.iter().map(|(id, name)| {
            (
                Page::Series(id.clone()).href(dealer),
                format!("车型：{name}"),
            )
        }))
        .collect()
}

#[component]
pub fn Links() -> impl IntoView {
    super::set_title("我的链接");
    let session = use_session();
    let dealer = session.me().map(|me| me.dealer_slug).unwrap_or_default();
    let models = LocalResource::new({
        let dealer = dealer.clone();
        move || {
            let dealer = dealer.clone();
            async move {
                api::series(&dealer)
                    .await
                    .map(|list| list.items)
                    .unwrap_or_default()
            }
        }
    });
    // My card: my showcase is one of the pages, and my name and title go on posters.
    let profile = LocalResource::new(move || async move { api::profile().await.ok() });
    let mine = LocalResource::new(move || async move { session.check(api::links().await) });
    // What each link brought, read beside the list: a link is shown before its counts arrive.
    let stats =
        LocalResource::new(move || async move { api::link_stats().await.unwrap_or_default() });
    let target = RwSignal::new(Page::Home.href(&dealer));
    let channel = RwSignal::new(Channel::Chat);
    let campaign = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let made = RwSignal::new(None::<Link>);
    let make = Action::new_unsync(move |new: &NewLink| {
        let new = new.clone();
        async move { session.check(api::make_link(&new).await) }
    });
    Effect::new(move |_| match make.value().get() {
        Some(Ok(link)) => {
            made.set(Some(link));
            mine.refetch();
            stats.refetch();
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let page_options = {
        let dealer = dealer.clone();
        move || {
            let models: Vec<(String, String)> = models
                .get()
                .unwrap_or_default()
                .into_iter()
                .map(|s| (s.id, s.name_zh))
                .collect();
            let handle = profile.get().flatten().map(|p| p.handle);
            targets(
                &dealer,
                handle.as_deref().filter(|h| !h.is_empty()),
                &models,
            )
            .into_iter()
            .map(|(href, label)| {
                let selected = target.get_untracked() == href;
                view! { <option value=href selected=selected>{label}</option> }
            })
            .collect_view()
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let campaign = campaign.get_untracked();
        let new = NewLink {
            target: target.get_untracked(),
            channel: channel.get_untracked(),
            campaign: (!campaign.trim().is_empty()).then_some(campaign),
            expires_on: None,
        };
        if let Err(e) = new.validate(&dealer, crate::today()) {
            error.set(Some(e.message));
            return;
        }
        if !make.pending().get_untracked() {
            error.set(None);
            make.dispatch(new);
        }
    };
    let channels = Channel::ALL
        .into_iter()
        .map(|c| {
            let on = move || channel.get() == c;
            view! {
                <button
                    type="button"
                    class="c-chip"
                    class:on=on
                    aria-pressed=move || on().to_string()
                    data-test="link-channel"
                    data-id=c.as_str()
                    on:click=move |_| channel.set(c)
                >
                    {c.label()}
                </button>
            }
        })
        .collect_view();
    let list = move || {
        match mine.get() {
        None => view! { <Loading count=2 /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(links)) if links.is_empty() => view! {
            <p class="c-sub" data-test="no-links">"还没有链接：选一个页面和渠道，生成后发给客户。"</p>
        }
        .into_any(),
        Some(Ok(links)) => {
            let counted = stats.get().unwrap_or_default();
            let models = models.get().unwrap_or_default();
            let card = profile.get().flatten().unwrap_or_default();
            let me = session.me();
            view! {
                <div class="c-list">
                    {links
                        .into_iter()
                        .map(|link| {
                            let stats = counted.iter().find(|s| s.code == link.code).cloned();
                            let facts = me.as_ref().and_then(|me| {
                                poster_facts(&link, &models, &card, &me.dealer_name, &me.brand_color)
                            });
                            let opens = target_name(&link.target, &models);
                            view! { <LinkCard link opens stats facts /> }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
    }
    };
    view! {
        <main class="c-page">
            <h1 class="c-title">"我的链接"</h1>
            <form class="c-card c-form" on:submit=on_submit novalidate>
                <div class="c-field">
                    <label for="c-link-target">"打开的页面"</label>
                    <select
                        id="c-link-target"
                        data-test="link-target"
                        on:change=move |ev| target.set(event_target_value(&ev))
                    >
                        {page_options}
                    </select>
                </div>
                <div class="c-field">
                    <span id="c-link-channel">"发到哪里"</span>
                    <div class="c-chips" role="group" aria-labelledby="c-link-channel">{channels}</div>
                </div>
                <div class="c-field">
                    <label for="c-link-campaign">"活动（选填）"</label>
                    <input
                        id="c-link-campaign"
                        type="text"
                        data-test="link-campaign"
                        maxlength="40"
                        prop:value=campaign
                        on:input=move |ev| campaign.set(event_target_value(&ev))
                    />
                </div>
                <p class="c-error" role="alert" data-test="link-error">{move || error.get()}</p>
                <button
                    type="submit"
                    class="btn btn-primary btn-block"
                    data-test="make-link"
                    disabled=move || make.pending().get()
                >
                    "生成链接"
                </button>
                {move || made.get().map(|link| view! {
                    <p class="c-sub" role="status" data-test="link-made">
                        "已生成：" {full_url(&link.path)}
                    </p>
                })}
            </form>
            <section class="c-section">
                <h2>"已生成的链接"</h2>
                {list}
            </section>
        </main>
    }
}

/// The link as it is shared: this site's origin and `/s/{code}`.
pub(super) fn full_url(path: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{path}")
}

/// What the poster of a link shows: for a model page, the car and its price from this
/// dealer's offer; for a showcase, the range and its lowest price. Other pages get no poster.
fn poster_facts(
    link: &Link,
    models: &[SeriesSummary],
    card: &Profile,
    dealer: &str,
    colour: &str,
) -> Option<PosterFacts> {
    let path = link.target.split('?').next().unwrap_or_default();
    let from = |price: i64| format!("¥{}起", shared::money::wan(price));
    let (headline, subline, price, car) = match Page::parse(path)?.1 {
        Page::Series(id) => {
            let s = models.iter().find(|s| s.id == id)?;
            (
                s.name_zh.clone(),
                format!("{} · {}", s.brand_name, s.body_type.label()),
                s.from_price().map(from),
                Some(s),
            )
        }
        Page::Consultant(_) => {
            let names: Vec<&str> = models.iter().take(3).map(|s| s.name_zh.as_str()).collect();
            (
                format!("{}为您选车", card.name),
                format!("在售{}款：{}等", models.len(), names.join("、")),
                models
                    .iter()
                    .filter_map(SeriesSummary::from_price)
                    .min()
                    .map(from),
                models.first(),
            )
        }
        _ => return None,
    };
    Some(PosterFacts {
        headline,
        subline,
        price,
        body: car.map_or(BodyType::Sedan, |s| s.body_type),
        photo: car
            .and_then(|s| s.cover.as_ref())
            .map(|p| p.url_for(poster::WIDTH as u32)),
        dealer: dealer.to_string(),
        colour: colour.to_string(),
        consultant: card.name.clone(),
        title: card.title.clone(),
        qr: format!("{}/qr.png", link.path),
    })
}

/// The page a link opens, by its name: `车型页：小米SU7`, `首页`, `顾问名片`; a path that is
/// no page stays a path.
fn target_name(target: &str, models: &[SeriesSummary]) -> String {
    let path = target.split('?').next().unwrap_or_default();
    match Page::parse(path) {
        Some((_, Page::Series(id))) => {
            let name = Page::Series(String::new()).name();
            match models.iter().find(|s| s.id == id) {
                Some(s) => format!("{name}：{}", s.name_zh),
                None => name.to_string(),
            }
        }
        Some((_, page)) => page.name().to_string(),
        None => target.to_string(),
    }
}

/// What a link card shows under it: nothing, its QR code or its poster.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    Nothing,
    Qr,
    Drawing,
    Poster(String),
    Failed(String),
}

#[component]
fn LinkCard(
    link: Link,
    opens: String,
    stats: Option<LinkStats>,
    facts: Option<PosterFacts>,
) -> impl IntoView {
    let url = full_url(&link.path);
    let campaign = link.campaign.map(|c| format!(" · {c}"));
    let totals = match &stats {
        Some(s) => format!(
            "预览 {} · 点击 {} · 访客 {} · 线索 {} · 预约 {}",
            s.previews, s.clicks, s.visitors, s.leads, s.bookings
        ),
        None => format!(
            "预览 {} · 点击 {} · 访客 {}",
            link.previews, link.clicks, link.visitors
        ),
    };
    view! {
        <article class="c-card" data-test="link-card" data-code=link.code.clone()>
            <p>
                <strong>{link.channel.label()}</strong>
                {campaign}
            </p>
            <p class="c-sub" data-test="link-opens">{opens}</p>
            <input
                class="c-link-url"
                type="url"
                readonly
                aria-label="分享链接，长按复制"
                data-test="link-url"
                value=url
                on:focus=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    {
                        input.select();
                    }
                }
            />
            <p class="c-sub" data-test="link-stats">{totals}</p>
            {stats.map(|stats| view! { <Breakdown stats /> })}
            {facts.map(|facts| view! { <ShareImages qr=format!("{}/qr.png", link.path) facts /> })}
        </article>
    }
}

/// What a link brought by channel (its own, then its visitors' forwards) and per day (bars of
/// the last 14 days' clicks), folded away until asked for.
#[component]
fn Breakdown(stats: LinkStats) -> impl IntoView {
    let rows = stats
        .by_channel
        .iter()
        .map(|c| {
            let name = c.channel.map_or("其他", Channel::label);
            let whose = if c.forwarded {
                "客户转发"
            } else {
                "本链接"
            };
            view! {
                <tr data-test="link-channel-row">
                    <th scope="row">{name} <span class="c-sub">{format!("（{whose}）")}</span></th>
                    <td>{c.clicks}</td>
                    <td>{c.visitors}</td>
                    <td>{c.leads}</td>
                    <td>{c.bookings}</td>
                </tr>
            }
        })
        .collect_view();
    let most = stats
        .by_day
        .iter()
        .map(|d| d.clicks)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = stats
        .by_day
        .iter()
        .map(|d| {
            let said = format!(
                "{}/{} 点击{} 线索{}",
                d.day.month, d.day.day, d.clicks, d.leads
            );
            let height = format!("{}%", d.clicks * 100 / most);
            view! {
                <li aria-label=said.clone() title=said data-test="link-day" data-clicks=d.clicks>
                    <span class="c-bar-n">{(d.clicks > 0).then_some(d.clicks)}</span>
                    <span
                        class="c-bar"
                        class:c-bar-on={d.clicks > 0}
                        class:c-bar-lead={d.leads > 0}
                        style:height=height
                    ></span>
                </li>
            }
        })
        .collect_view();
    let day = |d: Option<&shared::attribution::DayCounts>| {
        d.map(|d| format!("{}/{}", d.day.month, d.day.day))
    };
    let (first, last) = (day(stats.by_day.first()), day(stats.by_day.last()));
    view! {
        <details class="c-breakdown" data-test="link-breakdown">
            <summary>"按渠道、按天查看"</summary>
            <table class="c-table">
                <thead>
                    <tr><th scope="col">"渠道"</th><th scope="col">"点击"</th><th scope="col">"访客"</th><th scope="col">"线索"</th><th scope="col">"预约"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="c-sub">"近14天点击（深色：当天有线索）"</p>
            <ol class="c-bars">{bars}</ol>
            <p class="c-sub c-bars-axis">
                <span>{first}</span>
                <span>"今天 " {last}</span>
            </p>
        </details>
    }
}

/// 二维码 and 海报 for a link: the QR PNG as the server makes it, or the poster drawn here;
/// either is an `<img>` to long-press and save.
#[component]
pub(super) fn ShareImages(qr: String, facts: PosterFacts) -> impl IntoView {
    let shown = RwSignal::new(Shown::Nothing);
    let draw = move |_| {
        shown.set(Shown::Drawing);
        let facts = facts.clone();
        // Drawn for this card: if it goes (another page) before the poster is ready, the
        // drawing is dropped rather than shown nowhere.
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            shown.set(match poster::draw(&facts).await {
                Ok(url) => Shown::Poster(url),
                Err(e) => Shown::Failed(format!("海报生成失败：{e}")),
            });
        });
    };
    let image = move || {
        match shown.get() {
        Shown::Nothing => None,
        Shown::Qr => Some(
            view! {
                <figure class="c-share-image">
                    <img src=qr.clone() alt="分享链接的二维码" width="220" height="220" data-test="link-qr" />
                    <figcaption class="c-sub">"长按图片保存"</figcaption>
                </figure>
            }
            .into_any(),
        ),
        Shown::Drawing => Some(view! { <p class="c-sub">"正在生成海报…"</p> }.into_any()),
        Shown::Poster(url) => Some(
            view! {
                <figure class="c-share-image">
                    <img src=url alt="分享海报" class="c-poster" data-test="link-poster" />
                    <figcaption class="c-sub">"长按图片保存"</figcaption>
                </figure>
            }
            .into_any(),
        ),
        Shown::Failed(message) => Some(view! { <p class="c-error" role="alert">{message}</p> }.into_any()),
    }
    };
    view! {
        <div class="c-chips">
            <button type="button" class="c-chip" data-test="show-qr" on:click=move |_| shown.set(Shown::Qr)>
                "二维码"
            </button>
            <button type="button" class="c-chip" data-test="show-poster" on:click=draw>
                "海报"
            </button>
        </div>
        {image}
    }
}
