//! `/{dealer}/test-drive/{code}`: a booking's confirmation. The booking code to show at the
//! store, the car, the time, the store with its address opening the map and its phone, the
//! consultant if one is assigned, the booking as a calendar file, and the way to my bookings.

use leptos::prelude::*;
use shared::page::Page;

use crate::components::status::{LoadError, Loading};
use crate::pages::not_found::NotFound;
use crate::{api, use_dealer};

/// The address in Amap (高德地图), which opens its app or its web map from inside WeChat.
fn map_href(address: &str) -> String {
    format!(
        "https://uri.amap.com/search?keyword={}",
        api::encode(address)
    )
}

#[component]
pub fn Booking() -> impl IntoView {
    let dealer = use_dealer();
    let code = match crate::current_page() {
        Some(Page::Booking(code)) => code,
        _ => String::new(),
    };
    let booking = LocalResource::new(move || {
        let (slug, code) = (dealer.slug.get(), code.clone());
        async move { api::booking(&slug, &code).await }
    });
    let content = move || match booking.get() {
        None => view! { <Loading count=2 /> }.into_any(),
        Some(Err(e)) if e.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(e)) => view! { <LoadError message=e.message() /> }.into_any(),
        Some(Ok(b)) => {
            let slug = dealer.slug.get_untracked();
            let title = if b.status.is_open() {
                "预约成功"
            } else {
                b.status.label()
            };
            crate::set_title(title);
            let store_tel = format!("tel:{}", b.store.phone);
            let map = map_href(&b.store.address);
            let consultant = b.consultant.map(|c| {
                let tel = format!("tel:{}", c.phone);
                view! {
                    <div>
                        <dt>"销售顾问"</dt>
                        <dd data-test="consultant">
                            {c.name} " "
                            <a class="phone" href=tel data-test="consultant-tel">{c.phone}</a>
                        </dd>
                    </div>
                }
            });
            let calendar = b.status.is_open().then(|| {
                view! {
                    <a
                        class="btn btn-primary btn-block"
                        href=api::calendar_url(&slug, &b.code)
                        download=format!("试驾预约-{}.ics", b.code)
                        data-test="add-calendar"
                    >
                        "添加到日历"
                    </a>
                }
            });
            view! {
                <section class="card done" data-test="booking" data-status=b.status.as_str()>
                    <span class="done-mark" class:off=!b.status.is_open() aria-hidden="true">
                        {if b.status.is_open() { "✓" } else { "!" }}
                    </span>
                    <h1 data-test="booking-title">{title}</h1>
                    <p class="muted">"预约码（到店出示）"</p>
                    <p class="code" data-test="booking-code">{b.code.clone()}</p>
                </section>
                <dl class="card facts">
                    <div>
                        <dt>"车型"</dt>
                        <dd data-test="booking-car">
                            {b.series_name}
                            {b.trim_name.map(|t| view! { <span class="muted">" " {t}</span> })}
                        </dd>
                    </div>
                    <div>
                        <dt>"时间"</dt>
                        <dd data-test="booking-slot">{b.slot.label()}</dd>
                    </div>
                    <div>
                        <dt>"门店"</dt>
                        <dd data-test="booking-store">{b.store.name}</dd>
                    </div>
                    <div>
                        <dt>"地址"</dt>
                        <dd>
                            <a href=map target="_blank" rel="noopener" data-test="store-map">
                                {b.store.address} " ›"
                            </a>
                        </dd>
                    </div>
                    <div>
                        <dt>"门店电话"</dt>
                        <dd><a class="phone" href=store_tel data-test="store-tel">{b.store.phone}</a></dd>
                    </div>
                    {consultant}
                    <div>
                        <dt>"预约人"</dt>
                        <dd data-test="booking-person">{b.name} " " {b.phone}</dd>
                    </div>
                </dl>
                {calendar}
                <nav class="done-links">
                    <a class="btn btn-line" href=Page::MyBookings.href(&slug) data-test="to-my-bookings">"我的预约"</a>
                    <a class="btn btn-line" href=Page::Home.href(&slug) data-test="to-home">"返回首页"</a>
                </nav>
            }
            .into_any()
        }
    };
    view! { <main class="page booking">{content}</main> }
}
