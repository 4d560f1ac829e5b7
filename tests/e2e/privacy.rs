//! A booking made "on another phone" is the customer's, not the browser's: hidden on 我的预约
//! until the visitor proves the phone with the SMS code (read from the fake Aliyun API), then
//! shown and cancelled.

use fantoccini::Locator;

use crate::browser::{find, screenshot, tap_on, wait_count, wait_text, Driver};
use crate::fake_sms::FakeSms;
use crate::Site;

#[tokio::test]
async fn a_booking_made_on_another_phone_shows_after_the_phone_is_proved_and_is_cancelled() {
    let sms = FakeSms::start().await;
    let config = sms.config();
    let site = Site::start_with(move |state| state.with_sms(Some(config))).await;
    const PHONE: &str = "13900000091";

    // Booked in another browser (or by a consultant on the customer's behalf).
    let offer: shared::booking::TestDriveOffer = site.api("/api/v1/dealers/demo/test-drive").await;
    let store = &offer.stores[0];
    let slots: shared::booking::SlotList = site
        .api(&format!(
            "/api/v1/dealers/demo/stores/{}/slots",
            store.store.id
        ))
        .await;
    let slot = slots.slots.iter().find(|s| s.seats_left > 0).unwrap();
    let body = shared::booking::BookingRequest {
        series_id: store.series_ids[0].clone(),
        trim_id: None,
        slot_id: slot.id,
        contact: shared::booking::ContactForm {
            name: "周杰".into(),
            phone: PHONE.into(),
            consent_version: Some(shared::contact::PRIVACY_NOTICE_VERSION.into()),
        },
        licence: None,
        origin: shared::booking::Origin {
            page: "home".into(),
            button: "book-test-drive".into(),
            channel: None,
        },
    };
    let response = reqwest::Client::new()
        .post(site.url("/api/v1/dealers/demo/bookings"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    let made: shared::booking::Booking =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));

    let driver = Driver::start().await;
    let phone = driver.phone().await;
    phone.goto(&site.url("/demo/me/bookings")).await.unwrap();
    find(&phone, "[data-test=bookings-empty]").await;
    wait_text(&phone, "[data-test=proof-note]", |t| {
        t.contains("验证手机号后查看")
    })
    .await;
    screenshot(&phone, "30-my-bookings-unproven").await;

    tap_on(&phone, "[data-test=prove-open]").await;
    // The rules speak under their fields before anything is sent.
    tap_on(&phone, "[data-test=verify]").await;
    wait_text(&phone, "#proof-error-phone", |t| t.contains("手机号")).await;
    find(&phone, "[data-test=proof-phone]")
        .await
        .send_keys(PHONE)
        .await
        .unwrap();
    tap_on(&phone, "[data-test=send-code]").await;
    wait_text(&phone, "[data-test=send-code]", |t| {
        t.contains("秒后重新获取")
    })
    .await;
    // A wrong code: the server's word under the code.
    let code = sms.last_code(PHONE);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    find(&phone, "[data-test=proof-code]")
        .await
        .send_keys(wrong)
        .await
        .unwrap();
    tap_on(&phone, "[data-test=verify]").await;
    wait_text(&phone, "#proof-error-code", |t| t.contains("验证码不正确")).await;
    screenshot(&phone, "31-proof-wrong-code").await;
    let field = find(&phone, "[data-test=proof-code]").await;
    field.clear().await.unwrap();
    field.send_keys(&code).await.unwrap();
    tap_on(&phone, "[data-test=verify]").await;

    let mine = format!("[data-test=my-booking][data-code='{}']", made.code);
    wait_count(&phone, &mine, |n| n == 1).await;
    wait_text(&phone, "[data-test=proof-done]", |t| {
        t.contains("139****0091")
    })
    .await;
    screenshot(&phone, "32-my-bookings-proven").await;

    tap_on(&phone, &format!("{mine} [data-test=cancel-booking]")).await;
    phone.accept_alert().await.unwrap();
    wait_text(&phone, &format!("{mine} [data-test=booking-status]"), |t| {
        t.contains("已取消")
    })
    .await;
    screenshot(&phone, "33-my-bookings-cancelled").await;
    let status: String = sqlx::query_scalar("SELECT status FROM bookings WHERE code = $1")
        .bind(&made.code)
        .fetch_one(&site.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
    assert!(phone
        .find(Locator::Css("[data-test=prove-open]"))
        .await
        .is_err());
    phone.close().await.unwrap();
}
