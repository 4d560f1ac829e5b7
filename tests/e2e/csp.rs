//! The Content-Security-Policy in the browser: every page of the consumer app and of the
//! staff console opens in Chromium and paints with nothing refused (no inline style, script
//! or source the policy does not allow), as the browser's own log tells.

use crate::browser::{find, screenshot, Driver};
use crate::console::sign_in;
use crate::Site;

#[tokio::test]
async fn every_page_of_both_entries_paints_with_nothing_refused_by_the_csp() {
    let site = Site::start().await;
    let (booking, _) = site.customer_books("严格", "13900000188").await;
    let lead: i64 = sqlx::query_scalar("SELECT id FROM leads WHERE phone = '13900000188'")
        .fetch_one(&site.db.pool)
        .await
        .unwrap();
    let driver = Driver::start().await;
    let phone = driver.phone().await;
    // The policy is really there, so a clean log means something.
    let shell = reqwest::get(site.url("/demo/")).await.unwrap();
    let csp = shell.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");

    let consumer = [
        "/demo/".to_string(),
        "/demo/models".into(),
        "/demo/models/byd-qin-plus".into(),
        "/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro".into(),
        "/demo/calculator?trim=xiaomi-su7-std".into(),
        "/demo/select".into(),
        "/demo/c/wang".into(),
        "/demo/test-drive?series=byd-qin-plus".into(),
        format!("/demo/test-drive/{}", booking.code),
        "/demo/me/bookings".into(),
        "/demo/me".into(),
        "/demo/owner".into(),
        "/demo/privacy".into(),
        "/demo/no-such-page".into(),
        "/leapmotor/".into(),
    ];
    for path in &consumer {
        phone.goto(&site.url(path)).await.unwrap();
        // The app's own <main>: the wasm ran and painted the page.
        find(&phone, "#app main").await;
        driver.assert_no_csp_violations(&phone, path).await;
    }
    screenshot(&phone, "90-csp-leapmotor-home").await;

    sign_in(&site, &phone, "demo-admin").await;
    driver
        .assert_no_csp_violations(&phone, "/console/ (sign-in)")
        .await;
    let console = [
        "/console/".to_string(),
        "/console/leads".into(),
        format!("/console/leads/{lead}"),
        format!("/console/leads/{lead}/delivery"),
        "/console/owners".into(),
        "/console/stores".into(),
        "/console/links".into(),
        "/console/account".into(),
        "/console/wechat".into(),
        "/console/no-such-page".into(),
    ];
    for path in &console {
        phone.goto(&site.url(path)).await.unwrap();
        find(&phone, "[data-test=tab-today]").await;
        find(&phone, "#app main").await;
        driver.assert_no_csp_violations(&phone, path).await;
    }
    screenshot(&phone, "91-csp-console-wechat").await;
}
