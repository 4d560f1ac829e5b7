//! Every screen of both entries, on a 375x812 phone and at a 1280x800 desktop width: each page
//! shows its own heading and content (not blank, not an error) and is saved, top to bottom, to
//! `tests/e2e/screenshots/screen-{phone|desktop}-{page}[-{n}].png`, so how every screen looks
//! stays in the browser tests for a designer to open.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use shared::booking::{BookingRequest, ContactForm, Origin, SlotList, TestDriveOffer};
use shared::contact::PRIVACY_NOTICE_VERSION;
use shared::owner::{Delivered, DeliveryForm};

use crate::booking::fill;
use crate::browser::{find, screenshot, tap_on, wait_count, wait_text, Driver};
use crate::console::{sign_in, PASSWORD};
use crate::Site;

#[tokio::test]
async fn every_screen_shows_its_heading_on_a_phone() {
    let driver = Driver::start().await;
    let client = driver.phone().await;
    tour(&client, "phone").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn every_screen_shows_its_heading_at_a_desktop_width() {
    let driver = Driver::start().await;
    let client = driver.desktop().await;
    tour(&client, "desktop").await;
    client.close().await.unwrap();
}

/// The screens of a buyer, an owner and the staff, with the data each shows: a booking made
/// in this browser, today's booking and its lead for the console, a delivered car.
async fn tour(client: &Client, size: &str) {
    let site = Site::start().await;
    let (_, consultant) = site.customer_books("林小雨", "13900000081").await;
    let lead = lead_of(&site, "13900000081").await;
    let owner_consultant = books(&site, "周车主", "13900000082").await;
    let delivered = deliver(&site, &owner_consultant, "13900000082").await;
    let shot = Shot { client, size };

    // The buyer's pages, each opened as a forwarded link would open it.
    for (path, name, heading, ready) in [
        ("/demo/", "home", "车链汽车城", "[data-test=store-card]"),
        (
            "/demo/models",
            "catalogue",
            "车型库",
            "[data-test=series-card]",
        ),
        (
            "/demo/models/xiaomi-su7",
            "model",
            "小米SU7",
            "[data-test=trim]",
        ),
        (
            "/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro",
            "comparison",
            "车型对比",
            "[data-test=compare-row]",
        ),
        (
            "/demo/calculator?trim=xiaomi-su7-std",
            "calculator",
            "购车计算器",
            "[data-test=quote-total]",
        ),
        (
            "/demo/select",
            "selection",
            "智能选车",
            "[data-test=select-submit]",
        ),
        (
            "/demo/c/wang",
            "showcase",
            "王磊",
            "[data-test=showcase-models]",
        ),
        (
            "/demo/activities",
            "activities",
            "本店活动",
            "[data-test=activity-card]",
        ),
        // The demo's first seeded activity.
        (
            "/demo/activities/1",
            "activity",
            "周末试驾会",
            "[data-test=signup-form]",
        ),
        (
            "/demo/privacy",
            "privacy",
            "个人信息保护说明",
            "[data-test=privacy-version]",
        ),
        (
            "/demo/models/no-such-car",
            "not-found",
            "页面走丢了",
            "[data-test=not-found]",
        ),
    ] {
        client.goto(&site.url(path)).await.unwrap();
        shot.take(name, heading, ready).await;
    }
    client.goto(&site.url("/demo/select")).await.unwrap();
    tap_on(client, "[data-test=select-submit]").await;
    wait_count(client, "[data-test=recommendation]", |n| n > 0).await;
    shot.take(
        "selection-results",
        "智能选车",
        "[data-test=recommendation]",
    )
    .await;

    // A test drive booked here: the form, its confirmation, my bookings and my data.
    let offer: TestDriveOffer = site.api("/api/v1/dealers/demo/test-drive").await;
    let store = offer.stores[0].store.id;
    let slots: SlotList = site
        .api(&format!("/api/v1/dealers/demo/stores/{store}/slots"))
        .await;
    let slot = slots.slots.iter().find(|s| s.seats_left > 0).unwrap();
    client
        .goto(&site.url("/demo/test-drive?series=byd-qin-plus"))
        .await
        .unwrap();
    shot.take("booking-form", "预约试驾", "[data-test=store-option]")
        .await;
    fill(
        client,
        store,
        &slot.date.to_string(),
        slot.id,
        "陈试驾",
        "13900000083",
    )
    .await;
    shot.take("booking-form-filled", "预约试驾", "[data-test=submit]")
        .await;
    tap_on(client, "[data-test=submit]").await;
    let code = wait_text(client, "[data-test=booking-code]", |t| t.len() >= 8).await;
    shot.take("booking-confirmation", "预约", "[data-test=booking-code]")
        .await;
    for (path, name, heading, ready) in [
        (
            "/demo/me/bookings",
            "my-bookings",
            "我的预约",
            "[data-test=my-booking]",
        ),
        ("/demo/me", "my-data", "我的信息", "[data-test=me-name]"),
    ] {
        client.goto(&site.url(path)).await.unwrap();
        shot.take(name, heading, ready).await;
    }
    // The store completes the drive: my bookings asks for the survey.
    let admin = staff(&site, "demo-admin").await;
    for status in ["arrived", "completed"] {
        let moved = admin
            .put(site.url(&format!("/api/v1/console/bookings/{code}/status")))
            .json(&serde_json::json!({ "status": status }))
            .send()
            .await
            .unwrap();
        assert!(moved.status().is_success(), "{status}: {}", moved.status());
    }
    client.goto(&site.url("/demo/me/bookings")).await.unwrap();
    shot.take("survey", "我的预约", "[data-test=survey]").await;

    // The owner opens the delivery's binding link: the owner centre.
    client.goto(&delivered.binding.url).await.unwrap();
    shot.take("owner", "车主服务", "[data-test=owner-car]")
        .await;

    // The console: signed out, then the consultant's day, then the admin's pages.
    client.goto(&site.url("/console/")).await.unwrap();
    shot.take("console-sign-in", "销售工作台", "[data-test=login]")
        .await;
    sign_in(&site, client, &consultant).await;
    for (path, name, heading, ready) in [
        (
            "/console/".to_string(),
            "console-today",
            "今日",
            "[data-test=booking-row]",
        ),
        (
            "/console/leads".into(),
            "console-leads",
            "线索",
            "[data-test=lead-row]",
        ),
        (
            format!("/console/leads/{lead}"),
            "console-lead",
            "林小雨",
            "[data-test=lead-status]",
        ),
        (
            format!("/console/leads/{lead}/delivery"),
            "console-delivery",
            "交车",
            "[data-test=delivery-form]",
        ),
        (
            "/console/links".into(),
            "console-links-empty",
            "我的链接",
            "[data-test=no-links]",
        ),
    ] {
        client.goto(&site.url(&path)).await.unwrap();
        shot.take(name, heading, ready).await;
    }
    // A link to a model for 朋友圈: its card, its breakdown and its poster.
    find(
        client,
        "[data-test=link-target] option[value='/demo/models/xiaomi-su7']",
    )
    .await
    .click()
    .await
    .unwrap();
    tap_on(client, "[data-test=link-channel][data-id=moments]").await;
    tap_on(client, "[data-test=make-link]").await;
    shot.take("console-links", "我的链接", "[data-test=link-card]")
        .await;
    tap_on(client, "[data-test=link-breakdown] summary").await;
    shot.take("console-link-stats", "我的链接", "[data-test=link-day]")
        .await;
    tap_on(client, "[data-test=show-poster]").await;
    shot.take("console-link-poster", "我的链接", "[data-test=link-poster]")
        .await;
    client.goto(&site.url("/console/account")).await.unwrap();
    shot.take("console-account", "我的", "[data-test=profile-form]")
        .await;

    client.delete_all_cookies().await.unwrap();
    sign_in(&site, client, "demo-admin").await;
    let car = delivered.car_id;
    for (path, name, heading, ready) in [
        (
            "/console/".to_string(),
            "console-today-admin",
            "今日",
            "[data-test=task]",
        ),
        (
            "/console/stores".into(),
            "console-stores",
            "门店",
            "[data-test=store-card]",
        ),
        (
            "/console/owners".into(),
            "console-owners",
            "车主",
            "[data-test=car-row]",
        ),
        (
            format!("/console/owners/{car}"),
            "console-car",
            "粤BD12345",
            "[data-test=car-detail]",
        ),
        (
            "/console/account".into(),
            "console-account-admin",
            "我的",
            "[data-test=wechat-entry]",
        ),
        (
            "/console/wechat".into(),
            "console-wechat",
            "微信公众号",
            "[data-test=wechat-form]",
        ),
    ] {
        client.goto(&site.url(&path)).await.unwrap();
        shot.take(name, heading, ready).await;
    }
}

struct Shot<'a> {
    client: &'a Client,
    size: &'a str,
}

impl Shot<'_> {
    /// Waits until the page's `<main>` heading says `heading` and `ready` (its content) shows,
    /// checks that no error or loading placeholder is left on it, and saves it screen by
    /// screen from the top (at most four).
    async fn take(&self, name: &str, heading: &str, ready: &str) {
        let client = self.client;
        let started = Instant::now();
        let seen = loop {
            let said = client
                .execute(
                    "return [...document.querySelectorAll('main h1')]\
                         .map(h => h.textContent).join(' | ')",
                    vec![],
                )
                .await
                .unwrap();
            let said = said.as_str().unwrap_or_default().to_string();
            if said.contains(heading) {
                break said;
            }
            assert!(
                // The console's first load (a debug build on a busy machine) may take longer
                // than a wait for one element.
                started.elapsed() < Duration::from_secs(60),
                "{name}: the heading never said {heading:?}; last seen {said:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        find(client, ready).await;
        // The server's skeleton has gone and nothing still loads.
        wait_count(client, "#skeleton, [aria-busy=true]", |n| n == 0).await;
        for wrong in ["[data-test=load-error]", "[role=alert].empty"] {
            let shown = client.find_all(Locator::Css(wrong)).await.unwrap();
            assert!(shown.is_empty(), "{name} ({seen}) shows an error");
        }
        let base = format!("screen-{}-{name}", self.size);
        let height = client
            .execute(
                "window.scrollTo(0, 0); \
                 return Math.ceil(document.documentElement.scrollHeight / window.innerHeight);",
                vec![],
            )
            .await
            .unwrap()
            .as_u64()
            .unwrap_or(1);
        // Down to the element that proves the page, when it is below the first screen.
        if name.contains("stats") || name.contains("poster") || name == "survey" {
            let element = serde_json::to_value(find(client, ready).await).unwrap();
            client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'});",
                    vec![element],
                )
                .await
                .unwrap();
            screenshot(client, &base).await;
            return;
        }
        screenshot(client, &base).await;
        for part in 1..height.min(4) {
            client
                .execute(
                    "window.scrollTo(0, arguments[0] * window.innerHeight * 0.9);",
                    vec![serde_json::json!(part)],
                )
                .await
                .unwrap();
            screenshot(client, &format!("{base}-{part}")).await;
        }
    }
}

async fn lead_of(site: &Site, phone: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM leads WHERE phone = $1")
        .bind(phone)
        .fetch_one(&site.db.pool)
        .await
        .unwrap()
}

/// A staff member signed in through the API.
async fn staff(site: &Site, login: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed = client
        .post(site.url("/api/v1/console/session"))
        .json(&serde_json::json!({ "login": login, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert!(signed.status().is_success(), "{login}: {}", signed.status());
    client
}

/// The consultant delivers the lead of `phone`'s car: its binding link.
async fn deliver(site: &Site, login: &str, phone: &str) -> Delivered {
    let lead = lead_of(site, phone).await;
    let consultant = staff(site, login).await;
    let path = site.url(&format!("/api/v1/console/leads/{lead}/delivery"));
    let form: DeliveryForm = consultant
        .get(&path)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let day = form.today.to_string();
    let done = consultant
        .post(&path)
        .json(&serde_json::json!({
            "trim_id": form.trims[0].id,
            "vin": "LVSFCFME37F107967",
            "plate": "粤BD12345",
            "delivered_on": day,
            "registered_on": day,
            "odometer_km": 12,
            "advisor_id": form.advisors[0].id,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), reqwest::StatusCode::CREATED);
    done.json().await.unwrap()
}

/// A customer books the first free slot through the API: the login of their consultant.
async fn books(site: &Site, name: &str, phone: &str) -> String {
    let offer: TestDriveOffer = site.api("/api/v1/dealers/demo/test-drive").await;
    let store = &offer.stores[0];
    let slots: SlotList = site
        .api(&format!(
            "/api/v1/dealers/demo/stores/{}/slots",
            store.store.id
        ))
        .await;
    let slot = slots.slots.iter().find(|s| s.seats_left > 0).unwrap();
    let body = BookingRequest {
        // The SU7 where this store lends one: the car whose name once said its brand twice.
        series_id: store
            .series_ids
            .iter()
            .find(|s| *s == "xiaomi-su7")
            .unwrap_or(&store.series_ids[0])
            .clone(),
        trim_id: None,
        slot_id: slot.id,
        contact: ContactForm {
            name: name.into(),
            phone: phone.into(),
            consent_version: Some(PRIVACY_NOTICE_VERSION.into()),
        },
        licence: None,
        origin: Origin {
            page: "model".into(),
            button: "book-test-drive".into(),
            channel: Some("moments".into()),
        },
    };
    site.books_through_api(&body).await.1
}
