//! `/console/links` (我的链接): make a share link for any of the dealer's pages and a channel,
//! copy it, and see what each of my links brought (clicks, visitors, previews).

use leptos::prelude::*;
use shared::link::{Channel, Link, NewLink};
use shared::page::Page;

use super::{api, use_session};
use crate::components::status::{LoadError, Loading};

/// The pages a link can open: the fixed ones, then each model page of the catalogue.
fn targets(dealer: &str, models: &[(String, String)]) -> Vec<(String, String)> {
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
                    .map(|list| {
                        list.items
                            .into_iter()
                            .map(|s| (s.id, s.name_zh))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            }
        }
    });
    let mine = LocalResource::new(move || async move { session.check(api::links().await) });
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
        }
        Some(Err(e)) => error.set(Some(e.message())),
        None => {}
    });
    let page_options = {
        let dealer = dealer.clone();
        move || {
            let models = models.get().unwrap_or_default();
            targets(&dealer, &models)
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
        Some(Ok(links)) => view! {
            <div class="c-list">
                {links.into_iter().map(|link| view! { <LinkCard link /> }).collect_view()}
            </div>
        }
        .into_any(),
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
fn full_url(path: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{path}")
}

#[component]
fn LinkCard(link: Link) -> impl IntoView {
    let url = full_url(&link.path);
    let campaign = link.campaign.map(|c| format!(" · {c}"));
    view! {
        <article class="c-card" data-test="link-card" data-code=link.code.clone()>
            <p>
                <strong>{link.channel.label()}</strong>
                {campaign}
            </p>
            <p class="c-sub">{link.target}</p>
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
            <p class="c-sub" data-test="link-stats">
                {format!("点击 {} · 访客 {} · 预览 {}", link.clicks, link.visitors, link.previews)}
            </p>
        </article>
    }
}
