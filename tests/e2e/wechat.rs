//! WeChat in the browser: an admin saves the dealer's official account in the console (the
//! settings and the menu links are screenshot), then a buyer in WeChat opens a model page,
//! whose share data goes to a fake JS-SDK served by the local fake WeChat: `wx.config` gets
//! the dealer's AppID and a signature valid for the page URL, and both share calls the page's
//! title and a link.

use std::time::{Duration, Instant};

use fantoccini::Client;
use shared::wechat::js_sdk_signature;

use crate::browser::{find, screenshot, tap_on, wait_count, wait_text, Driver};
use crate::console::sign_in;
use crate::fake_wechat::{FakeWeChat, APP_ID, SECRET};
use crate::Site;

const MODEL: &str = "/demo/models/byd-qin-plus";

/// What the fake JS-SDK recorded (`window.__wx`), once both share calls have been made.
async fn recorded(phone: &Client) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let seen = phone
            .execute(
                "return window.__wx && window.__wx.timeline.length ? window.__wx : null;",
                vec![],
            )
            .await
            .unwrap();
        if !seen.is_null() {
            return seen;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the page never set its share data"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_buyer_in_wechat_shares_a_model_page_with_its_title_and_a_signed_config() {
    let wechat = FakeWeChat::start().await;
    let site =
        Site::start_with(|state| state.with_wechat(&wechat.url, &wechat.url, &wechat.script()))
            .await;
    let driver = Driver::start().await;

    // The admin: 我的 → 微信公众号, a wrong AppID first, then the account.
    let admin = driver.phone().await;
    sign_in(&site, &admin, "demo-admin").await;
    tap_on(&admin, "[data-test=tab-account]").await;
    screenshot(&admin, "console-account-admin").await;
    // On the way, the attribution window (设置 → 报价设置): 400 days is refused in the page,
    // 14 is saved.
    tap_on(&admin, "[data-test=settings-entry]").await;
    let days = find(&admin, "[data-test=set-days]").await;
    wait_value(&days, "30").await;
    crate::browser::erase(&days).await;
    days.send_keys("400").await.unwrap();
    tap_on(&admin, "[data-test=quote-save]").await;
    wait_text(&admin, "[data-test=set-days-error]", |t| {
        t == "归属期须为 1 到 365 天"
    })
    .await;
    crate::browser::erase(&days).await;
    days.send_keys("14").await.unwrap();
    tap_on(&admin, "[data-test=quote-save]").await;
    wait_text(&admin, "[data-test=quote-saved]", |t| t.contains("已保存")).await;
    let stored: i64 =
        sqlx::query_scalar("SELECT attribution_days FROM dealers WHERE slug = 'demo'")
            .fetch_one(&site.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, 14);
    tap_on(&admin, "[data-test=tab-account]").await;
    tap_on(&admin, "[data-test=wechat-entry]").await;
    let app_id = find(&admin, "[data-test=wechat-app-id]").await;
    app_id.send_keys("wx123").await.unwrap();
    tap_on(&admin, "[data-test=wechat-save]").await;
    wait_text(&admin, "[data-test=wechat-app-id-error]", |t| {
        t.contains("wx 开头")
    })
    .await;
    crate::browser::erase(&app_id).await;
    app_id.send_keys(APP_ID).await.unwrap();
    find(&admin, "[data-test=wechat-secret]")
        .await
        .send_keys(SECRET)
        .await
        .unwrap();
    find(&admin, "[data-test=wechat-domain]")
        .await
        .send_keys("127.0.0.1")
        .await
        .unwrap();
    tap_on(&admin, "[data-test=wechat-save]").await;
    wait_text(&admin, "[data-test=wechat-saved]", |t| t.contains("已保存")).await;
    wait_text(&admin, "[data-test=wechat-secret-hint]", |t| {
        t.contains("已设置")
    })
    .await;
    assert_eq!(
        find(&admin, "[data-test=wechat-secret]")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default(),
        "",
        "the secret is not shown again"
    );
    admin
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    screenshot(&admin, "wechat-settings").await;
    wait_count(&admin, "[data-test=menu-link]", |n| n == 5).await;
    let first = find(&admin, "[data-test=menu-url]").await;
    assert_eq!(
        first.prop("value").await.unwrap().unwrap_or_default(),
        "https://127.0.0.1/demo/?ch=menu"
    );
    let article = find(&admin, "[data-test=article-url]").await;
    assert_eq!(
        article.prop("value").await.unwrap().unwrap_or_default(),
        "https://127.0.0.1/demo/?ch=article"
    );
    admin
        .execute(
            "document.querySelector('[data-test=menu-links]').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&admin, "wechat-menu-links").await;

    // A buyer in WeChat (an iPhone: the URL they landed on is signed) opens the model page.
    let phone = driver.phone().await;
    let url = site.url(MODEL);
    phone.goto(&url).await.unwrap();
    find(&phone, "main h1").await;
    let wx = recorded(&phone).await;
    let config = &wx["configs"][0];
    assert_eq!(config["appId"], APP_ID);
    let timestamp = config["timestamp"].as_i64().unwrap();
    let nonce = config["nonceStr"].as_str().unwrap();
    let ticket = wechat.last_ticket();
    assert_eq!(
        config["signature"].as_str().unwrap(),
        js_sdk_signature(&ticket, nonce, timestamp, &url),
        "signed for the page URL"
    );
    let jsapi = config["jsApiList"].to_string();
    assert!(
        jsapi.contains("updateAppMessageShareData") && jsapi.contains("updateTimelineShareData")
    );
    for call in [&wx["app"][0], &wx["timeline"][0]] {
        let title = call["title"].as_str().unwrap();
        assert!(title.starts_with("秦PLUS - 车链汽车城"), "{title}");
        // The viewer's own short link once the links endpoint exists; the plain page URL
        // until then (and whenever it fails).
        let link = call["link"].as_str().unwrap();
        assert!(
            link == url || link.starts_with(&site.url("/s/")),
            "the shared link is the page or a short link: {link}"
        );
        let image = site.url(&format!("/assets/{}/icon.png", asset_version(&site).await));
        assert_eq!(call["imgUrl"].as_str().unwrap(), image);
    }
    assert!(wx["app"][0]["desc"].as_str().unwrap().contains("比亚迪"));
    assert_eq!((wechat.token_calls(), wechat.ticket_calls()), (1, 1));
    screenshot(&phone, "wechat-model-page").await;
    // The JS-SDK came from its configured origin, which the consumer pages' CSP allows.
    driver
        .assert_no_csp_violations(&phone, "a model page in WeChat")
        .await;
    driver
        .assert_no_csp_violations(&admin, "the official account's settings")
        .await;
}

/// The asset folder the built shell names.
async fn asset_version(site: &Site) -> String {
    let html = reqwest::get(site.url("/demo/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = html.find("/assets/").unwrap() + "/assets/".len();
    html[start..].split('/').next().unwrap().to_string()
}

/// Waits until an input shows `value` (its data arrives after the form).
async fn wait_value(input: &fantoccini::elements::Element, value: &str) {
    for _ in 0..100 {
        if input.prop("value").await.unwrap().as_deref() == Some(value) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the input never showed {value:?}");
}
