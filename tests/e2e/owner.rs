//! The owner centre in the browser on a phone: a consultant delivers a lead's car in the
//! console and gets the binding QR and link; a fresh phone opens the link, sees the car, the
//! next maintenance and the annual inspection, and updates the mileage (a lower reading is
//! refused in Chinese); the scheduler's insurance reminder shows on the owner page and the
//! service advisor follows it up from 今日.

use crate::browser::{erase, find, screenshot, tap_on, wait_text, wait_url, Driver};
use crate::console::sign_in;
use crate::Site;

#[tokio::test]
async fn a_consultant_delivers_a_car_and_the_owner_binds_it_and_updates_the_mileage() {
    let site = Site::start().await;
    let (_, login) = site.customer_books("周车主", "13900000071").await;
    let lead: i64 = sqlx::query_scalar("SELECT id FROM leads WHERE phone = '13900000071'")
        .fetch_one(&site.db.pool)
        .await
        .unwrap();
    let driver = Driver::start().await;

    // The consultant hands the car over from the lead.
    let staff = driver.phone().await;
    sign_in(&site, &staff, &login).await;
    staff
        .goto(&site.url(&format!("/console/leads/{lead}")))
        .await
        .unwrap();
    tap_on(&staff, "[data-test=deliver-car]").await;
    find(&staff, "[data-test=delivery-form]").await;
    find(&staff, "[data-test=delivery-vin]")
        .await
        .send_keys("LVSFCFME37F107968")
        .await
        .unwrap();
    find(&staff, "[data-test=delivery-plate]")
        .await
        .send_keys("粤BD12345")
        .await
        .unwrap();
    let odometer = find(&staff, "[data-test=delivery-odometer_km]").await;
    erase(&odometer).await;
    odometer.send_keys("15").await.unwrap();
    tap_on(&staff, "[data-test=deliver]").await;
    wait_text(&staff, "[data-test=delivery-vin-error]", |t| {
        t.contains("校验位")
    })
    .await;
    let vin = find(&staff, "[data-test=delivery-vin]").await;
    erase(&vin).await;
    vin.send_keys("LVSFCFME37F107967").await.unwrap();
    screenshot(&staff, "60-console-delivery").await;
    tap_on(&staff, "[data-test=deliver]").await;
    let link = wait_text(&staff, "[data-test=binding-link]", |t| {
        t.contains("/demo/owner/bind/")
    })
    .await;
    find(&staff, "[data-test=binding] svg").await;
    screenshot(&staff, "61-console-binding-qr").await;

    // A fresh phone opens the link: bound, the car and what is due.
    let owner = driver.phone().await;
    owner.goto(&link).await.unwrap();
    wait_url(&owner, |u| u.ends_with("/demo/owner")).await;
    wait_text(&owner, "[data-test=car-plate]", |t| t == "粤BD12345").await;
    wait_text(&owner, "[data-test=car-vin]", |t| t == "LVSFCF*****107967").await;
    wait_text(&owner, "[data-test=car-maintenance]", |t| {
        t.contains("先到为准")
    })
    .await;
    wait_text(&owner, "[data-test=car-inspection]", |t| t.contains("免检")).await;
    screenshot(&owner, "62-owner").await;

    // The mileage: lower than the last reading is refused, higher is kept.
    find(&owner, "[data-test=km-input]")
        .await
        .send_keys("10")
        .await
        .unwrap();
    tap_on(&owner, "[data-test=km-save]").await;
    wait_text(&owner, "[data-test=km-error]", |t| {
        t.contains("不能低于上次记录的15公里")
    })
    .await;
    let km = find(&owner, "[data-test=km-input]").await;
    erase(&km).await;
    km.send_keys("1200").await.unwrap();
    tap_on(&owner, "[data-test=km-save]").await;
    wait_text(&owner, "[data-test=car-odometer]", |t| {
        t.contains("1200公里")
    })
    .await;
    screenshot(&owner, "63-owner-mileage").await;

    // The scheduler finds the insurance ending in 20 days: the owner sees the reminder, and
    // the car's service advisor follows it up from 今日.
    let ends = server::bookings::Clock::now().today().add_days(20);
    sqlx::query("UPDATE cars SET insurance_ends_on = $1")
        .bind(ends.to_string())
        .execute(&site.db.pool)
        .await
        .unwrap();
    let wechat = server::wechat::WeChat::new(
        server::wechat::DEFAULT_API,
        server::wechat::DEFAULT_OAUTH,
        shared::wechat::JS_SDK_URL,
    );
    let now = server::bookings::Clock::now().millis;
    let pass = server::reminders::tick(&site.db, &wechat, now)
        .await
        .unwrap();
    assert_eq!(pass.made, 1, "{pass:?}");
    // The dealer's official account sends reminders: the owner is offered the switch.
    sqlx::query(
        "INSERT INTO wechat_settings (dealer_id, app_id, app_secret, domain, updated_at, \
             reminder_template) \
         SELECT id, 'wx1234567890abcdef', '0123456789abcdef0123456789abcdef', 'che.example.com', \
             0, 'TPL-reminder_1' FROM dealers WHERE slug = 'demo'",
    )
    .execute(&site.db.pool)
    .await
    .unwrap();
    owner.refresh().await.unwrap();
    wait_text(&owner, "[data-test=car-reminders]", |t| {
        t.contains("保险续保提醒") && t.contains("还有 20 天")
    })
    .await;
    screenshot(&owner, "65-owner-reminders").await;
    let switch = wait_text(&owner, "[data-test=wechat-reminders]", |t| {
        t.contains("开启微信提醒") && t.contains("每月最多2条")
    })
    .await;
    assert!(!switch.is_empty());
    owner
        .execute(
            "document.querySelector('[data-test=wechat-reminders]').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&owner, "67-owner-wechat-switch").await;
    let advisor = driver.phone().await;
    sign_in(&site, &advisor, "demo-zhang").await;
    wait_text(&advisor, "[data-test=reminder-tasks]", |t| {
        t.contains("保险续保提醒") && t.contains("粤BD12345")
    })
    .await;
    screenshot(&advisor, "66-console-reminder-tasks").await;
    tap_on(&advisor, "[data-test=reminder-done]").await;
    wait_text(&advisor, "[data-test=reminder-task]", |t| {
        t.contains("已跟进")
    })
    .await;

    // The link again, on another phone: used, said in Chinese.
    let other = driver.phone().await;
    other.goto(&link).await.unwrap();
    wait_text(&other, "[data-test=bind-error]", |t| t.contains("已被使用")).await;
    screenshot(&other, "64-owner-bind-used").await;
}
