//! 价格 and 优惠 in the browser: a manager sets the SU7's dealer price for a month and the
//! buyer's model page shows it, with the change in the log; the manager adds an offer, the
//! buyer sees it on the model page, in the comparison and on 本店优惠 (filtered by kind), then
//! the manager dates it in the past and it is gone from every page. Screenshots at each step.

use crate::browser::{fill, find, screenshot, set_input, tap_on, wait_count, wait_text, Driver};
use crate::console::sign_in;
use crate::Site;

const SERIES: &str = "xiaomi-su7";
const TRIM: &str = "xiaomi-su7-std";

#[tokio::test]
async fn a_manager_prices_a_trim_and_runs_an_offer_that_ends_by_its_date() {
    let site = Site::start().await;
    let driver = Driver::start().await;
    let today = server::clock::Clock::now().today();

    let manager = driver.phone().await;
    sign_in(&site, &manager, "demo-manager").await;
    tap_on(&manager, "[data-test=tab-account]").await;
    tap_on(&manager, "[data-test=prices-entry]").await;
    let row = format!("[data-test=trim-price][data-id={TRIM}]");
    tap_on(&manager, &format!("{row} [data-test=edit-price]")).await;
    fill(
        &manager,
        &format!("{row} [data-test=price-dealer_price]"),
        "abc",
    )
    .await;
    tap_on(&manager, &format!("{row} [data-test=save-price]")).await;
    wait_text(&manager, &format!("{row} [data-test=price-error]"), |t| {
        t.contains("请输入本店价")
    })
    .await;
    fill(
        &manager,
        &format!("{row} [data-test=price-dealer_price]"),
        "199000",
    )
    .await;
    set_input(
        &manager,
        &format!("{row} [data-test=price-from]"),
        &today.to_string(),
    )
    .await;
    set_input(
        &manager,
        &format!("{row} [data-test=price-until]"),
        &today.add_days(30).to_string(),
    )
    .await;
    tap_on(&manager, &format!("{row} [data-test=save-price]")).await;
    wait_text(&manager, &format!("{row} [data-test=dealer-price]"), |t| {
        t.contains("¥199,000")
    })
    .await;
    wait_text(&manager, "[data-test=price-change]", |t| {
        t.contains("指导价 → ¥199,000") && t.contains("陈立")
    })
    .await;
    screenshot(&manager, "console-prices").await;

    let buyer = driver.phone().await;
    buyer
        .goto(&site.url(&format!("/demo/models/{SERIES}")))
        .await
        .unwrap();
    wait_text(&buyer, &format!("[data-test=trim][data-id={TRIM}]"), |t| {
        t.contains("¥199,000")
    })
    .await;

    // An offer for the whole series, from today for a week.
    tap_on(&manager, "[data-test=tab-account]").await;
    tap_on(&manager, "[data-test=offers-entry]").await;
    tap_on(&manager, "[data-test=add-offer]").await;
    find(&manager, "[data-test=offer-series]")
        .await
        .select_by_value(SERIES)
        .await
        .unwrap();
    fill(&manager, "[data-test=offer-amount_yuan]", "6000").await;
    fill(&manager, "[data-test=offer-detail]", "置换再享").await;
    set_input(
        &manager,
        "[data-test=offer-valid_from]",
        &today.add_days(3).to_string(),
    )
    .await;
    set_input(
        &manager,
        "[data-test=offer-valid_until]",
        &today.add_days(1).to_string(),
    )
    .await;
    tap_on(&manager, "[data-test=save-offer]").await;
    wait_text(&manager, "[data-test=offer-error]", |t| {
        t.contains("截止日期不能早于开始日期")
    })
    .await;
    screenshot(&manager, "console-offer-refused").await;
    set_input(&manager, "[data-test=offer-valid_from]", &today.to_string()).await;
    set_input(
        &manager,
        "[data-test=offer-valid_until]",
        &today.add_days(7).to_string(),
    )
    .await;
    tap_on(&manager, "[data-test=save-offer]").await;
    wait_text(&manager, "[data-test=offer][data-state=current]", |t| {
        t.contains("限时优惠 ¥6,000") && t.contains("进行中")
    })
    .await;
    screenshot(&manager, "console-offers").await;

    buyer
        .goto(&site.url(&format!("/demo/models/{SERIES}")))
        .await
        .unwrap();
    wait_text(&buyer, "[data-test=series-offers]", |t| {
        t.contains("限时优惠 ¥6,000") && t.contains("置换再享")
    })
    .await;
    screenshot(&buyer, "series-offers").await;
    buyer
        .goto(&site.url(&format!("/demo/compare?trims={TRIM},tesla-model-3-rwd")))
        .await
        .unwrap();
    wait_text(
        &buyer,
        &format!("[data-test=offer-cell][data-id={TRIM}]"),
        |t| t.contains("限时优惠 ¥6,000"),
    )
    .await;
    let other = find(&buyer, "[data-test=offer-cell][data-id=tesla-model-3-rwd]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        other.trim().is_empty(),
        "the Model 3 has no offer: {other:?}"
    );
    screenshot(&buyer, "compare-offers").await;
    // From the home page's 本店优惠 entry, as a buyer finds the list.
    buyer.goto(&site.url("/demo/")).await.unwrap();
    let entry = find(&buyer, "[data-test=entry-offers]").await;
    screenshot(&buyer, "home-offers-entry").await;
    crate::browser::tap(&buyer, &entry).await;
    crate::browser::wait_url(&buyer, |u| u.ends_with("/demo/offers")).await;
    wait_count(&buyer, "[data-test=offers] [data-test=offer]", |n| n == 1).await;
    tap_on(&buyer, "[data-test=chip-group-usage]").await;
    find(&buyer, "[data-test=no-matching-offers]").await;
    tap_on(&buyer, "[data-test=chip-group-purchase]").await;
    wait_count(&buyer, "[data-test=offers] [data-test=offer]", |n| n == 1).await;
    screenshot(&buyer, "offers").await;

    // Dated in the past: over in the console, gone for the buyer.
    tap_on(&manager, "[data-test=edit-offer]").await;
    set_input(
        &manager,
        "[data-test=offer-valid_from]",
        &today.add_days(-10).to_string(),
    )
    .await;
    set_input(
        &manager,
        "[data-test=offer-valid_until]",
        &today.add_days(-1).to_string(),
    )
    .await;
    tap_on(&manager, "[data-test=save-offer]").await;
    wait_text(&manager, "[data-test=offer][data-state=over]", |t| {
        t.contains("已结束")
    })
    .await;
    buyer.goto(&site.url("/demo/offers")).await.unwrap();
    find(&buyer, "[data-test=no-offers]").await;
    buyer
        .goto(&site.url(&format!("/demo/models/{SERIES}")))
        .await
        .unwrap();
    wait_text(&buyer, &format!("[data-test=trim][data-id={TRIM}]"), |t| {
        t.contains("¥199,000")
    })
    .await;
    assert!(buyer
        .find(fantoccini::Locator::Css("[data-test=series-offers]"))
        .await
        .is_err());
    screenshot(&buyer, "series-no-offers").await;
}
