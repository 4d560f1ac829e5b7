//! Share links in the browser: a consultant makes one in the console for the booking page and
//! 朋友圈; a fresh WeChat browser opens `/s/{code}`, lands on the page with the channel, and
//! books; the lead keeps the channel and the console counts the click.

use fantoccini::Locator;
use shared::booking::{SlotList, TestDriveOffer};

use crate::booking::fill;
use crate::browser::{find, screenshot, tap_on, wait_text, wait_url, Driver};
use crate::console::sign_in;
use crate::Site;

#[tokio::test]
async fn a_consultant_shares_a_link_and_the_friend_who_opens_it_books_with_its_channel() {
    let site = Site::start().await;
    let driver = Driver::start().await;
    let consultant = driver.phone().await;
    sign_in(&site, &consultant, "demo-wang").await;
    tap_on(&consultant, "[data-test=tab-links]").await;
    find(&consultant, "[data-test=no-links]").await;
    let target = find(&consultant, "[data-test=link-target]").await;
    target
        .find(Locator::Css("option[value='/demo/test-drive']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tap_on(&consultant, "[data-test=link-channel][data-id=moments]").await;
    find(&consultant, "[data-test=link-campaign]")
        .await
        .send_keys("双十二试驾")
        .await
        .unwrap();
    tap_on(&consultant, "[data-test=make-link]").await;
    let card = "[data-test=link-card]";
    wait_text(&consultant, card, |t| {
        t.contains("朋友圈") && t.contains("双十二试驾")
    })
    .await;
    let url = find(&consultant, &format!("{card} [data-test=link-url]"))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(url.starts_with(&site.url("/s/")), "{url}");
    screenshot(&consultant, "25-console-links").await;

    // A friend opens the link in WeChat and lands on the booking page, the channel with them.
    let friend = driver.phone().await;
    friend.goto(&url).await.unwrap();
    wait_url(&friend, |u| u.ends_with("/demo/test-drive?ch=moments")).await;
    let offer: TestDriveOffer = site.api("/api/v1/dealers/demo/test-drive").await;
    let store = offer.stores[0].store.id;
    let slots: SlotList = site
        .api(&format!("/api/v1/dealers/demo/stores/{store}/slots"))
        .await;
    let slot = slots.slots.iter().find(|s| s.seats_left > 0).unwrap();
    tap_on(
        &friend,
        &format!(
            "[data-test=series-option][data-id='{}']",
            offer.stores[0].series_ids[0]
        ),
    )
    .await;
    fill(
        &friend,
        store,
        &slot.date.to_string(),
        slot.id,
        "转发来的朋友",
        "13900000071",
    )
    .await;
    tap_on(&friend, "[data-test=submit]").await;
    wait_text(&friend, "[data-test=booking-code]", |t| t.len() >= 8).await;

    let channel: Option<String> =
        sqlx::query_scalar("SELECT origin_channel FROM leads WHERE phone = '13900000071'")
            .fetch_one(&site.db.pool)
            .await
            .unwrap();
    assert_eq!(channel.as_deref(), Some("moments"));

    // Back in the console the link shows the click (and the consultant's own views none).
    consultant.refresh().await.unwrap();
    wait_text(
        &consultant,
        &format!("{card} [data-test=link-stats]"),
        |t| t.contains("点击 1") && t.contains("访客 1"),
    )
    .await;
    screenshot(&consultant, "26-console-link-clicked").await;
    // Nothing on these pages was refused by the Content-Security-Policy.
    driver
        .assert_no_csp_violations(&consultant, "links and booking (consultant)")
        .await;
    driver
        .assert_no_csp_violations(&friend, "links and booking (friend)")
        .await;
}
