//! Attribution in the browser: 李娜 makes a link in the console; a preview card of it counts
//! no click; a fresh WeChat browser opens it and books, and the lead is hers with its
//! channel; that visitor takes their own link (分享给朋友) and a third browser opens it and
//! books: the lead still goes to 李娜, and its share tree in the console shows two levels
//! under her link; the link's stats count the forward, by channel and by day.

use fantoccini::{Client, Locator};
use shared::booking::{SlotList, TestDriveOffer};

use crate::booking::fill;
use crate::browser::{find, screenshot, tap_on, wait_text, wait_url, Driver};
use crate::console::sign_in;
use crate::Site;

const LI: &str = "李娜";

/// The free slots of the first store that test-drives the Qin PLUS.
async fn qin_slots(site: &Site) -> (i64, Vec<(String, i64)>) {
    let offer: TestDriveOffer = site.api("/api/v1/dealers/demo/test-drive").await;
    let store = offer
        .stores
        .iter()
        .find(|s| s.series_ids.iter().any(|id| id == "byd-qin-plus"))
        .expect("a store test-drives the Qin PLUS")
        .store
        .id;
    let slots: SlotList = site
        .api(&format!(
            "/api/v1/dealers/demo/stores/{store}/slots?series=byd-qin-plus"
        ))
        .await;
    let free = slots
        .slots
        .iter()
        .filter(|s| s.seats_left > 0)
        .map(|s| (s.date.to_string(), s.id))
        .collect();
    (store, free)
}

/// From the model page: 预约试驾, the form filled, sent, the booking code shown.
async fn book_from_model_page(
    phone: &Client,
    store: i64,
    slot: &(String, i64),
    name: &str,
    number: &str,
) {
    tap_on(phone, ".action-bar [data-test=book-test-drive]").await;
    wait_url(phone, |u| u.contains("/demo/test-drive?")).await;
    fill(phone, store, &slot.0, slot.1, name, number).await;
    tap_on(phone, "[data-test=submit]").await;
    wait_text(phone, "[data-test=booking-code]", |t| t.len() >= 8).await;
}

/// The lead of a phone number.
async fn lead_id(site: &Site, number: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM leads WHERE phone = $1")
        .bind(number)
        .fetch_one(&site.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_forwarded_link_keeps_the_lead_with_the_consultant_and_the_console_shows_the_share_tree()
{
    let site = Site::start().await;
    let driver = Driver::start().await;
    let (store, free) = qin_slots(&site).await;

    // 李娜 makes a 朋友圈 link to the Qin PLUS page.
    let li = driver.phone().await;
    sign_in(&site, &li, "demo-li").await;
    tap_on(&li, "[data-test=tab-links]").await;
    find(&li, "[data-test=no-links]").await;
    // The model pages join the list once the catalogue arrives.
    find(
        &li,
        "[data-test=link-target] option[value='/demo/models/byd-qin-plus']",
    )
    .await
    .click()
    .await
    .unwrap();
    tap_on(&li, "[data-test=link-channel][data-id=moments]").await;
    tap_on(&li, "[data-test=make-link]").await;
    let card = "[data-test=link-card]";
    wait_text(&li, card, |t| t.contains("朋友圈")).await;
    let url = find(&li, &format!("{card} [data-test=link-url]"))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();

    // A chat app building the link's card (HEAD, then its crawler's GET) counts no click.
    let fetcher = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let head = fetcher.head(&url).send().await.unwrap();
    assert_eq!(head.status(), reqwest::StatusCode::FOUND);
    fetcher
        .get(&url)
        .header("user-agent", "WhatsApp/2.23.20 A")
        .send()
        .await
        .unwrap();
    let clicks = || async {
        // Clicks reach the database in the background (`server::clicks`).
        site.clicks.flush().await;
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM link_visits WHERE counted = 1")
            .fetch_one(&site.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(clicks().await, 0);

    // A friend opens it in WeChat, takes their own link on the model page, and books.
    let friend = driver.phone().await;
    friend.goto(&url).await.unwrap();
    wait_url(&friend, |u| {
        u.ends_with("/demo/models/byd-qin-plus?ch=moments")
    })
    .await;
    find(&friend, "[data-test=series-name]").await;
    // The page they land on carries the card of the consultant whose link brought them.
    wait_text(&friend, "[data-test=compact-name]", |t| t.contains(LI)).await;
    assert_eq!(clicks().await, 1);
    screenshot(&friend, "40-share-button").await;
    tap_on(&friend, "[data-test=share]").await;
    // Inside WeChat it says to send the link with ··· at the top right, and shows it to copy.
    wait_text(&friend, "[data-test=share-sheet]", |t| {
        t.contains("右上角 ···")
    })
    .await;
    let friends_url = find(&friend, "[data-test=share-url]")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(friends_url.starts_with(&site.url("/s/")), "{friends_url}");
    assert_ne!(friends_url, url);
    // Copied at once, or the page says to press and hold it.
    wait_text(&friend, ".toast", |t| t.contains("链接")).await;
    screenshot(&friend, "41-share-link").await;
    book_from_model_page(&friend, store, &free[0], "转发人甲", "13900000081").await;

    // The friend's friend opens the forwarded link in a fresh browser and books too.
    let third = driver.phone().await;
    third.goto(&friends_url).await.unwrap();
    wait_url(&third, |u| u.ends_with("/demo/models/byd-qin-plus?ch=chat")).await;
    // A friend's friend sees the same consultant's card: the chain leads back to her link.
    wait_text(&third, "[data-test=compact-name]", |t| t.contains(LI)).await;
    find(&third, "[data-test=series-name]").await;
    book_from_model_page(&third, store, &free[1], "朋友乙", "13900000082").await;

    // The console: both leads are 李娜's, each with its channel.
    let first_lead = lead_id(&site, "13900000081").await;
    li.goto(&site.url(&format!("/console/leads/{first_lead}")))
        .await
        .unwrap();
    wait_text(&li, "[data-test=lead-consultant]", |t| t.contains(LI)).await;
    wait_text(&li, "[data-test=lead-origin]", |t| t.contains("朋友圈")).await;
    let second_lead = lead_id(&site, "13900000082").await;
    li.goto(&site.url(&format!("/console/leads/{second_lead}")))
        .await
        .unwrap();
    wait_text(&li, "[data-test=lead-name]", |t| t == "朋友乙").await;
    wait_text(&li, "[data-test=lead-consultant]", |t| t.contains(LI)).await;
    wait_text(&li, "[data-test=lead-origin]", |t| t.contains("聊天")).await;
    // Its share tree: 李娜's 朋友圈 link, then the friend (level 1), then this lead (level 2).
    wait_text(&li, "[data-test=share-root]", |t| {
        t.contains(LI) && t.contains("朋友圈")
    })
    .await;
    let tree = wait_text(&li, "[data-test=share-tree]", |t| {
        t.contains("2级") && t.contains("本线索")
    })
    .await;
    assert!(tree.contains("1级") && tree.contains("转发人甲"), "{tree}");
    assert!(tree.contains("朋友转发"), "{tree}");
    let levels: Vec<String> = {
        let mut levels = Vec::new();
        for node in li
            .find_all(Locator::Css("[data-test=share-node]"))
            .await
            .unwrap()
        {
            levels.push(node.attr("data-level").await.unwrap().unwrap_or_default());
        }
        levels
    };
    assert_eq!(levels, ["1", "2"]);
    let tree_section = find(&li, "[data-test=share-tree]").await;
    li.execute(
        "arguments[0].scrollIntoView({block: 'start'})",
        vec![serde_json::to_value(&tree_section).unwrap()],
    )
    .await
    .unwrap();
    screenshot(&li, "42-console-share-tree").await;

    // 我的链接: the link's previews, both clicks (one a forward), both leads and bookings.
    tap_on(&li, "[data-test=tab-links]").await;
    wait_text(&li, &format!("{card} [data-test=link-stats]"), |t| {
        t.contains("预览 2")
            && t.contains("点击 2")
            && t.contains("访客 2")
            && t.contains("线索 2")
            && t.contains("预约 2")
    })
    .await;
    tap_on(&li, "[data-test=link-breakdown] summary").await;
    let rows = wait_text(&li, "[data-test=link-breakdown] tbody", |t| {
        t.contains("客户转发")
    })
    .await;
    assert!(rows.contains("朋友圈") && rows.contains("聊天"), "{rows}");
    let today = find(&li, "[data-test=link-day][data-clicks='2']").await;
    li.execute(
        "arguments[0].scrollIntoView({block: 'center'})",
        vec![serde_json::to_value(&today).unwrap()],
    )
    .await
    .unwrap();
    screenshot(&li, "43-console-link-stats").await;
    // Nothing on these pages was refused by the Content-Security-Policy.
    driver
        .assert_no_csp_violations(&li, "the share tree and link stats (li)")
        .await;
    driver
        .assert_no_csp_violations(&friend, "the share tree and link stats (friend)")
        .await;
    driver
        .assert_no_csp_violations(&third, "the share tree and link stats (third)")
        .await;
}
