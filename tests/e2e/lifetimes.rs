//! Pages left fast: a search still waiting when its page goes never runs (the console
//! panicked), a resend countdown or a code still on its way when its page goes ends quietly,
//! hopping between pages leaves no error behind, and the first tap on the next page's button
//! works even while that page's chunk is still on its way.

use fantoccini::Client;

use crate::browser::{
    find, page_errors, record_errors, screenshot, slow_network, tap, tap_on, wait_count, wait_text,
    wait_url, Driver,
};
use crate::console::sign_in;
use crate::fake_sms::FakeSms;
use crate::Site;

/// Types `text` into the page's search box (the console's lead search, the catalogue's) and,
/// in the same instant, taps `target`: a person quicker than the search's pause.
pub(crate) async fn type_and_tap(phone: &Client, text: &str, target: &str) {
    phone
        .execute(
            "const box = document.querySelector('[data-test=search]');
             box.value = arguments[0];
             box.dispatchEvent(new Event('input', { bubbles: true }));
             document.querySelector(arguments[1]).click();",
            vec![text.into(), target.into()],
        )
        .await
        .unwrap();
}

/// Lets the search's pause (300 ms) run out, so a search that outlived its page would fire.
async fn past_the_pause(phone: &Client) {
    wait_in_the_page(phone, 500).await;
}

/// Lets `ms` milliseconds pass by the page's own clock, its timers firing meanwhile.
pub(crate) async fn wait_in_the_page(phone: &Client, ms: u64) {
    phone
        .execute_async(
            "const done = arguments[arguments.length - 1]; setTimeout(done, arguments[0]);",
            vec![ms.into()],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_search_still_waiting_when_its_page_goes_never_runs() {
    let site = Site::start().await;
    site.customer_books("周小舟", "13900000091").await;
    let driver = Driver::start().await;
    let phone = driver.phone().await;
    sign_in(&site, &phone, "demo-manager").await;
    record_errors(&phone).await;

    for (round, (target, lands)) in [
        ("[data-test=lead-row]", "/console/leads/"),
        ("[data-test=tab-today]", "/console/"),
        ("[data-test=lead-row]", "/console/leads/"),
        ("[data-test=tab-owners]", "/console/owners"),
    ]
    .into_iter()
    .enumerate()
    {
        tap_on(&phone, "[data-test=tab-leads]").await;
        find(&phone, "[data-test=lead-row]").await;
        type_and_tap(&phone, &format!("周{round}"), target).await;
        let arrived = |u: &str| match lands {
            "/console/" => u.ends_with(lands),
            _ => u.contains(lands),
        };
        let url = wait_url(&phone, arrived).await;
        past_the_pause(&phone).await;
        // Still where the tap went: the search did not run, nor take the staff member back.
        let now = phone.current_url().await.unwrap().to_string();
        assert_eq!(
            now, url,
            "round {round}: the search ran after its page had gone"
        );
    }
    let errors = page_errors(&phone).await;
    assert!(errors.is_empty(), "the console failed: {errors:?}");

    // The console still answers: the search runs when the staff member stays.
    tap_on(&phone, "[data-test=tab-leads]").await;
    let search = find(&phone, "[data-test=search]").await;
    search.send_keys("周小舟").await.unwrap();
    wait_url(&phone, |u| u.contains("q=")).await;
    wait_count(&phone, "[data-test=lead-row]", |n| n == 1).await;
    screenshot(&phone, "40-console-search-after-fast-taps").await;
    assert!(page_errors(&phone).await.is_empty());
    phone.close().await.unwrap();
}

#[tokio::test]
async fn a_resend_countdown_or_a_code_on_its_way_when_its_page_goes_ends_quietly() {
    let sms = FakeSms::start().await;
    let config = sms.config();
    let site = Site::start_with(move |state| state.with_sms(Some(config))).await;
    let driver = Driver::start().await;
    let phone = driver.phone().await;
    phone.goto(&site.url("/demo/me/bookings")).await.unwrap();
    find(&phone, "[data-test=prove-open]").await;
    record_errors(&phone).await;

    // First the code asked for and the page left in the same instant, so the answer comes to
    // a page that is gone; then the countdown started and the page left while it ticks.
    for (round, number) in ["13900000095", "13900000096"].into_iter().enumerate() {
        tap_on(&phone, "[data-test=prove-open]").await;
        find(&phone, "[data-test=proof-phone]")
            .await
            .send_keys(number)
            .await
            .unwrap();
        if round == 0 {
            phone
                .execute(
                    "document.querySelector('[data-test=send-code]').click();
                     document.querySelector('[data-test=tab-home]').click();",
                    vec![],
                )
                .await
                .unwrap();
        } else {
            tap_on(&phone, "[data-test=send-code]").await;
            wait_text(&phone, "[data-test=send-code]", |t| {
                t.contains("秒后重新获取")
            })
            .await;
            tap_on(&phone, "[data-test=tab-home]").await;
        }
        find(&phone, "[data-test=store-card]").await;
        // The code's answer is in and the countdown's one-second tick has fired twice since.
        wait_in_the_page(&phone, 2_500).await;
        assert_eq!(
            sms.sent_to(number).len(),
            1,
            "round {round}: no code went out"
        );
        let errors = page_errors(&phone).await;
        assert!(
            errors.is_empty(),
            "round {round}: the app failed after its page went: {errors:?}"
        );
        phone.back().await.unwrap();
        find(&phone, "[data-test=prove-open]").await;
    }
    // The page still works when the buyer stays: a third number's countdown runs down.
    tap_on(&phone, "[data-test=prove-open]").await;
    find(&phone, "[data-test=proof-phone]")
        .await
        .send_keys("13900000097")
        .await
        .unwrap();
    tap_on(&phone, "[data-test=send-code]").await;
    let first = wait_text(&phone, "[data-test=send-code]", |t| {
        t.contains("秒后重新获取")
    })
    .await;
    wait_text(&phone, "[data-test=send-code]", |t| {
        t.contains("秒后重新获取") && t != first
    })
    .await;
    screenshot(&phone, "44-proof-countdown-after-leaving").await;
    let errors = page_errors(&phone).await;
    assert!(errors.is_empty(), "the app failed: {errors:?}");
    phone.close().await.unwrap();
}

#[tokio::test]
async fn a_buyer_hopping_between_pages_fast_leaves_no_error_behind() {
    let site = Site::start().await;
    let driver = Driver::start().await;
    let phone = driver.phone().await;
    phone.goto(&site.url("/demo/")).await.unwrap();
    find(&phone, "[data-test=store-card]").await;
    record_errors(&phone).await;

    // Each tab, then the next 50 ms later, three times round: most pages go before their
    // chunk or data is in.
    phone
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const tabs = ['models', 'compare', 'select', 'calculator', 'home'];
             (async () => {
               for (let round = 0; round < 3; round++) {
                 for (const tab of tabs) {
                   document.querySelector(`[data-test=tab-${tab}]`).click();
                   await new Promise(r => setTimeout(r, 50));
                 }
               }
               done();
             })();",
            vec![],
        )
        .await
        .unwrap();
    // The last tap (home) is what shows, and every page still opens.
    find(&phone, "[data-test=store-card]").await;
    tap_on(&phone, "[data-test=tab-models]").await;
    wait_text(&phone, "[data-test=result-count]", |t| t.contains("款车系")).await;
    screenshot(&phone, "41-models-after-fast-hops").await;
    let errors = page_errors(&phone).await;
    assert!(errors.is_empty(), "the app failed: {errors:?}");
    phone.close().await.unwrap();
}

#[tokio::test]
async fn the_first_tap_on_ask_price_after_opening_the_comparison_opens_the_sheet() {
    let site = Site::start().await;
    let driver = Driver::start().await;
    let phone = driver.phone().await;
    // A new visitor on a model page adds two trims.
    phone
        .goto(&site.url("/demo/models/xiaomi-su7"))
        .await
        .unwrap();
    wait_count(&phone, "[data-test=add-compare]", |n| n >= 3).await;
    let adds = phone
        .find_all(fantoccini::Locator::Css("[data-test=add-compare]"))
        .await
        .unwrap();
    tap(&phone, &adds[0]).await;
    tap(&phone, &adds[2]).await;
    wait_text(&phone, "[data-test=compare-badge]", |t| t.trim() == "2").await;
    record_errors(&phone).await;

    // On a slow link the comparison's chunk and data take a while; the visitor taps 询底价
    // as soon as one is there.
    slow_network(&driver, &phone).await;
    tap_on(&phone, "[data-test=go-compare]").await;
    // The model page, its buttons with it, is gone at once: nothing on screen is dead.
    screenshot(&phone, "42-compare-loading").await;
    tap_on(&phone, "[data-test=ask-price]").await;
    find(&phone, "[data-test=enquiry-sheet]").await;
    wait_url(&phone, |u| u.contains("/demo/compare")).await;
    find(&phone, "[data-test=compare-table]").await;
    screenshot(&phone, "43-ask-price-first-tap").await;
    let errors = page_errors(&phone).await;
    assert!(errors.is_empty(), "the app failed: {errors:?}");
    phone.close().await.unwrap();
}
