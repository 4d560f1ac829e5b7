//! Booking a test drive and asking for the best price in the browser, as buyers do on their
//! phones: the seats left drop when someone books, the last seat taken by another phone offers
//! other slots, bookings are moved and cancelled, a returning visitor books in one tap, and
//! deleting one's data removes the name and phone from the consultant's console too.

use fantoccini::{Client, Locator};
use shared::booking::{SlotList, TestDriveOffer};

use crate::browser::{find, screenshot, tap, tap_on, wait_count, wait_text, wait_url, Driver};
use crate::console::sign_in;
use crate::Site;

/// On the test-drive page: choose the store, day and slot, fill the form (not sent yet).
pub async fn fill(phone: &Client, store: i64, date: &str, slot: i64, name: &str, number: &str) {
    tap_on(
        phone,
        &format!("[data-test=store-option][data-id='{store}']"),
    )
    .await;
    tap_on(
        phone,
        &format!("[data-test=day-option][data-date='{date}']"),
    )
    .await;
    tap_on(phone, &format!("[data-test=slot-option][data-id='{slot}']")).await;
    let name_field = find(phone, "[data-test=name]").await;
    tap(phone, &name_field).await;
    name_field.send_keys(name).await.unwrap();
    find(phone, "[data-test=phone]")
        .await
        .send_keys(number)
        .await
        .unwrap();
    tap_on(phone, "[data-test=consent]").await;
}

fn seats_of(slot: i64) -> String {
    format!("[data-test=slot-option][data-id='{slot}'] [data-test=seats-left]")
}

#[tokio::test]
async fn a_buyer_books_and_when_the_last_seat_goes_meanwhile_is_offered_other_slots() {
    let site = Site::start().await;
    let offer: TestDriveOffer = site.api("/api/v1/dealers/demo/test-drive").await;
    let store = offer.stores[0].store.id;
    let slots: SlotList = site
        .api(&format!("/api/v1/dealers/demo/stores/{store}/slots"))
        .await;
    let wanted = slots.slots[1].clone();
    sqlx::query("UPDATE slots SET capacity = 1 WHERE id = $1")
        .bind(wanted.id)
        .execute(&site.db.pool)
        .await
        .unwrap();
    let date = wanted.date.to_string();
    let driver = Driver::start().await;

    // The first buyer comes from the model page; the page knows the car.
    let first = driver.phone().await;
    first
        .goto(&site.url("/demo/models/byd-qin-plus"))
        .await
        .unwrap();
    tap_on(&first, "[data-test=book-test-drive]").await;
    wait_url(&first, |u| {
        u.contains("/demo/test-drive?") && u.contains("series=byd-qin-plus")
    })
    .await;
    // A wrong number is caught as it is typed, in Chinese, under the field.
    let number = find(&first, "[data-test=phone]").await;
    tap(&first, &number).await;
    number.send_keys("1381234").await.unwrap();
    find(&first, "[data-test=name]")
        .await
        .click()
        .await
        .unwrap();
    wait_text(&first, "#error-phone", |t| t.contains("11位手机号")).await;
    crate::browser::erase(&number).await;
    tap_on(
        &first,
        &format!("[data-test=store-option][data-id='{store}']"),
    )
    .await;
    tap_on(
        &first,
        &format!("[data-test=day-option][data-date='{date}']"),
    )
    .await;
    wait_text(&first, &seats_of(wanted.id), |t| t == "剩1席").await;
    fill(
        &first,
        store,
        &date,
        wanted.id,
        "周一鸣",
        "１３８ ００１３ ８０００",
    )
    .await;
    screenshot(&first, "10-test-drive-form").await;

    // A second buyer, on another phone, takes that last seat first; the seats left drop.
    let second = driver.phone().await;
    second
        .goto(&site.url("/demo/test-drive?series=byd-qin-plus"))
        .await
        .unwrap();
    fill(
        &second,
        store,
        &date,
        wanted.id,
        "买买提·艾力",
        "+86 139 0000 0071",
    )
    .await;
    tap_on(&second, "[data-test=submit]").await;
    let code = wait_text(&second, "[data-test=booking-code]", |t| t.len() >= 8).await;
    wait_text(&second, "[data-test=booking-store]", |t| {
        t.contains("城西旗舰店")
    })
    .await;
    let map = find(&second, "[data-test=store-map]").await;
    assert!(map
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default()
        .starts_with("https://uri.amap.com/"));
    let ics = find(&second, "[data-test=add-calendar]").await;
    assert!(ics
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default()
        .ends_with("/calendar.ics"));
    screenshot(&second, "11-booking-confirmed").await;
    second
        .goto(&site.url("/demo/test-drive?series=byd-qin-plus"))
        .await
        .unwrap();
    tap_on(
        &second,
        &format!("[data-test=store-option][data-id='{store}']"),
    )
    .await;
    tap_on(
        &second,
        &format!("[data-test=day-option][data-date='{date}']"),
    )
    .await;
    wait_text(&second, &seats_of(wanted.id), |t| t == "已约满").await;

    // The first buyer, still on the form, sends it: the slot is full, other slots are offered.
    tap_on(&first, "[data-test=submit]").await;
    wait_text(&first, "[data-test=slot-full]", |t| {
        t.contains("该时段已约满")
    })
    .await;
    let offered = wait_count(&first, "[data-test=free-slot]", |n| n > 0).await;
    assert!(offered <= 3);
    screenshot(&first, "12-slot-full").await;
    tap_on(&first, "[data-test=free-slot]").await;
    tap_on(&first, "[data-test=submit]").await;
    let first_code = wait_text(&first, "[data-test=booking-code]", |t| t.len() >= 8).await;
    assert_ne!(first_code, code);

    // My bookings: move it, then cancel it.
    first.goto(&site.url("/demo/me/bookings")).await.unwrap();
    let mine = format!("[data-test=my-booking][data-code='{first_code}']");
    let before = wait_text(&first, &format!("{mine} [data-test=booking-slot]"), |t| {
        !t.is_empty()
    })
    .await;
    tap_on(&first, &format!("{mine} [data-test=reschedule]")).await;
    let panel = find(&first, "[data-test=reschedule-panel]").await;
    // The panel's slots arrive with their own request: wait for them before choosing.
    let free = "[data-test=reschedule-panel] [data-test=slot-option]:not([disabled])";
    wait_count(&first, free, |n| n > 0).await;
    let choices = panel
        .find_all(Locator::Css("[data-test=slot-option]:not([disabled])"))
        .await
        .unwrap();
    tap(&first, choices.last().expect("another free slot")).await;
    wait_text(&first, &format!("{mine} [data-test=booking-slot]"), |t| {
        t != before
    })
    .await;
    screenshot(&first, "13-my-bookings").await;
    tap_on(&first, &format!("{mine} [data-test=cancel-booking]")).await;
    first.accept_alert().await.unwrap();
    wait_text(&first, &format!("{mine} [data-test=booking-status]"), |t| {
        t.contains("已取消")
    })
    .await;

    // Back on the form, a returning visitor's name and phone are already there.
    first
        .goto(&site.url("/demo/test-drive?series=byd-qin-plus"))
        .await
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let value = find(&first, "[data-test=name]")
            .await
            .prop("value")
            .await
            .unwrap();
        if value.as_deref() == Some("周一鸣") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "name not remembered: {value:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let number = find(&first, "[data-test=phone]")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(number.as_deref(), Some("13800138000"));
    first.close().await.unwrap();
    second.close().await.unwrap();
}

#[tokio::test]
async fn a_buyer_asks_for_the_best_price_from_a_comparison_column_then_deletes_their_data() {
    let sms = crate::fake_sms::FakeSms::start().await;
    let config = sms.config();
    let site = Site::start_with(move |state| state.with_sms(Some(config))).await;
    let driver = Driver::start().await;
    let buyer = driver.phone().await;
    buyer
        .goto(&site.url("/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro"))
        .await
        .unwrap();
    let asks = wait_count(&buyer, "[data-test=ask-price]", |n| n >= 2).await;
    assert!(asks >= 2, "one 询底价 per column");
    tap_on(&buyer, "[data-test=ask-price]").await;
    find(&buyer, "[data-test=enquiry-sheet]").await;
    let name = find(&buyer, "[data-test=enquiry-name]").await;
    tap(&buyer, &name).await;
    name.send_keys("<b>陈</b>").await.unwrap();
    find(&buyer, "[data-test=enquiry-phone]")
        .await
        .send_keys("13900000081")
        .await
        .unwrap();
    // Without consent nothing is sent.
    tap_on(&buyer, "[data-test=enquiry-submit]").await;
    wait_text(&buyer, "#enquiry-error-consent", |t| t.contains("同意")).await;
    tap_on(&buyer, "[data-test=enquiry-consent]").await;
    tap_on(&buyer, "[data-test=enquiry-submit]").await;
    let receipt = wait_text(&buyer, "[data-test=enquiry-receipt]", |t| {
        t.contains("致电")
    })
    .await;
    assert!(receipt.contains("销售顾问"), "{receipt}");
    screenshot(&buyer, "14-ask-price").await;

    // The lead reached its consultant, name shown as plain text.
    let (lead, login, trim): (i64, String, Option<String>) = sqlx::query_as(
        "SELECT l.id, s.login, l.trim_id FROM leads l JOIN staff s ON s.id = l.consultant_id WHERE l.phone = '13900000081'",
    )
    .fetch_one(&site.db.pool)
    .await
    .unwrap();
    assert_eq!(trim.as_deref(), Some("xiaomi-su7-std"));
    let consultant = driver.phone().await;
    sign_in(&site, &consultant, &login).await;
    consultant
        .goto(&site.url(&format!("/console/leads/{lead}")))
        .await
        .unwrap();
    wait_text(&consultant, "[data-test=lead-name]", |t| {
        t.contains("<b>陈</b>")
    })
    .await;
    wait_text(&consultant, "[data-test=lead-phone]", |t| {
        t.contains("13900000081")
    })
    .await;

    // The buyer deletes their data; the consultant no longer sees a name or phone.
    buyer.goto(&site.url("/demo/me")).await.unwrap();
    wait_text(&buyer, "[data-test=me-phone]", |t| {
        t.contains("13900000081")
    })
    .await;
    screenshot(&buyer, "15-my-data").await;
    // Erasing everything tied to the number needs it proved first.
    find(&buyer, "[data-test=delete-needs-proof]").await;
    tap_on(&buyer, "[data-test=prove-open]").await;
    tap_on(&buyer, "[data-test=send-code]").await;
    wait_text(&buyer, "[data-test=send-code]", |t| {
        t.contains("秒后重新获取")
    })
    .await;
    find(&buyer, "[data-test=proof-code]")
        .await
        .send_keys(&sms.last_code("13900000081"))
        .await
        .unwrap();
    tap_on(&buyer, "[data-test=verify]").await;
    find(&buyer, "[data-test=proof-done]").await;
    screenshot(&buyer, "15b-my-data-proven").await;
    tap_on(&buyer, "[data-test=delete-me]").await;
    buyer.accept_alert().await.unwrap();
    find(&buyer, "[data-test=me-deleted]").await;
    consultant.refresh().await.unwrap();
    find(&consultant, "[data-test=lead-status]").await;
    let name = consultant
        .find(Locator::Css("[data-test=lead-name]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!name.contains('陈'), "{name}");
    let page = consultant.source().await.unwrap();
    assert!(
        !page.contains("13900000081"),
        "the phone is gone from the console"
    );
    screenshot(&consultant, "16-console-erased-lead").await;
    buyer.close().await.unwrap();
    consultant.close().await.unwrap();
}
