//! The owner centre in the browser on a phone: a consultant delivers a lead's car in the
//! console and gets the binding QR and link; a fresh phone opens the link, sees the car, the
//! next maintenance and the annual inspection, and updates the mileage (a lower reading is
//! refused in Chinese); the scheduler's insurance reminder shows on the owner page and the
//! service advisor follows it up from 今日; the owner books a maintenance visit, the advisor
//! completes it, the owner answers the survey (points for both), and the owner's referral link
//! brings a friend whose completed test drive adds the milestone's points, while booking
//! through one's own link on one's own phone earns nothing and the admin sees why.

use crate::browser::{erase, find, screenshot, tap_on, wait_count, wait_text, wait_url, Driver};
use crate::console::sign_in;
use crate::Site;

#[tokio::test]
async fn a_delivered_owner_binds_books_a_service_answers_the_survey_and_earns_referral_points() {
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
    // The manufacture date is asked (optional): it decides the annual-inspection cycle.
    find(&staff, "[data-test=delivery-manufactured_on]").await;
    wait_text(&staff, "label[for=c-delivery-manufactured_on]", |t| {
        t.contains("出厂日期")
    })
    .await;
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
    wait_text(&owner, "[data-test=car-plate-kind]", |t| t == "新能源·纯电").await;
    // The plate and its kind on one line, and no date broken after a hyphen on a phone.
    let lines = owner
        .execute(
            "const plate = document.querySelector('[data-test=car-plate]').getBoundingClientRect();
             const kind = document.querySelector('[data-test=car-plate-kind]').getBoundingClientRect();
             const dates = [...document.querySelectorAll('[data-test=owner-car] .nowrap')]
               .filter(d => d.getClientRects().length > 1).map(d => d.textContent);
             return [Math.abs(plate.top + plate.height / 2 - (kind.top + kind.height / 2)) < 4, dates,
                     document.querySelectorAll('[data-test=owner-car] .nowrap').length];",
            vec![],
        )
        .await
        .unwrap();
    let (one_line, broken, dates): (bool, Vec<String>, u64) =
        serde_json::from_value(lines).unwrap();
    assert!(one_line, "the plate's kind is not beside the plate");
    assert!(broken.is_empty(), "dates broken over two lines: {broken:?}");
    assert!(dates >= 4, "{dates} dates kept whole");
    wait_text(&owner, "[data-test=car-vin]", |t| t == "LVSFCF*****107967").await;
    wait_text(&owner, "[data-test=car-maintenance]", |t| {
        t.contains("先到为准")
    })
    .await;
    wait_text(&owner, "[data-test=car-inspection]", |t| t.contains("免检")).await;
    wait_text(&owner, "[data-test=advisor-wechat]", |t| {
        t.contains("zhangtao_chelink")
    })
    .await;
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
    let ends = server::clock::Clock::now().today().add_days(20);
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
    let now = server::clock::Clock::now().millis;
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

    // The owner books a maintenance visit at the first free service slot.
    let stores: shared::service::ServiceStores =
        site.api("/api/v1/dealers/demo/service/stores").await;
    let store = stores.stores[0].id;
    let slots: shared::booking::SlotList = site
        .api(&format!(
            "/api/v1/dealers/demo/service/stores/{store}/slots"
        ))
        .await;
    let slot = slots
        .slots
        .iter()
        .find(|s| s.seats_left > 0)
        .unwrap()
        .clone();
    owner.refresh().await.unwrap();
    tap_on(&owner, "[data-test=service-open]").await;
    tap_on(
        &owner,
        &format!("[data-test=service-store][data-id='{store}']"),
    )
    .await;
    tap_on(
        &owner,
        &format!("[data-test=day-option][data-date='{}']", slot.date),
    )
    .await;
    tap_on(
        &owner,
        &format!("[data-test=slot-option][data-id='{}']", slot.id),
    )
    .await;
    tap_on(&owner, "[data-test=service-work][data-work=maintenance]").await;
    screenshot(&owner, "68-owner-service-form").await;
    tap_on(&owner, "[data-test=service-submit]").await;
    wait_count(&owner, "[data-test=my-service-booking]", |n| n == 1).await;
    screenshot(&owner, "69-owner-service-booked").await;

    // The visit's day comes (today, late, clear of the store's own slots); the advisor
    // completes it with the workshop's reading.
    sqlx::query(
        "UPDATE service_slots SET day = $1, start_min = 1420, end_min = 1439 WHERE id = $2",
    )
    .bind(server::clock::Clock::now().today().to_string())
    .bind(slot.id)
    .execute(&site.db.pool)
    .await
    .unwrap();
    advisor.refresh().await.unwrap();
    let km = find(&advisor, "[data-test=service-row] [data-test=service-km]").await;
    km.send_keys("1500").await.unwrap();
    tap_on(
        &advisor,
        "[data-test=service-row] [data-test=service-complete]",
    )
    .await;
    wait_text(
        &advisor,
        "[data-test=service-row] [data-test=service-status]",
        |t| t.contains("完成"),
    )
    .await;
    screenshot(&advisor, "70-console-service-completed").await;

    // The owner answers the one-screen survey: points for the service and the survey.
    owner.refresh().await.unwrap();
    tap_on(
        &owner,
        "[data-test=survey] [data-test=survey-score]:nth-child(10)",
    )
    .await;
    tap_on(&owner, "[data-test=survey] [data-test=survey-tag]").await;
    screenshot(&owner, "71-owner-survey").await;
    tap_on(&owner, "[data-test=survey-submit]").await;
    find(&owner, "[data-test=survey-done]").await;
    wait_text(&owner, "[data-test=points-total]", |t| t.contains("60")).await;
    screenshot(&owner, "72-owner-points").await;

    // The owner's referral link brings a friend, who books a test drive.
    let referral = wait_text(&owner, "[data-test=owner-referral]", |t| !t.is_empty()).await;
    assert!(!referral.is_empty());
    let url: String = owner
        .execute(
            "return document.querySelector('[data-test=referral-url]').value",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert!(url.contains("/s/"), "{url}");
    let friend = driver.phone().await;
    friend.goto(&url).await.unwrap();
    wait_url(&friend, |u| u.contains("/demo")).await;
    let offer: shared::booking::TestDriveOffer = site.api("/api/v1/dealers/demo/test-drive").await;
    let drive_store = offer.stores[0].store.id;
    let drive_slots: shared::booking::SlotList = site
        .api(&format!("/api/v1/dealers/demo/stores/{drive_store}/slots"))
        .await;
    let drive = drive_slots
        .slots
        .iter()
        .find(|s| s.seats_left > 0)
        .unwrap()
        .clone();
    friend
        .goto(&site.url("/demo/test-drive?series=byd-qin-plus"))
        .await
        .unwrap();
    crate::booking::fill(
        &friend,
        drive_store,
        &drive.date.to_string(),
        drive.id,
        "吴朋友",
        "13900000072",
    )
    .await;
    tap_on(&friend, "[data-test=submit]").await;
    let code = wait_text(&friend, "[data-test=booking-code]", |t| t.len() >= 8).await;

    // The store marks the friend's test drive completed: the owner's points grow by the
    // milestone's 200.
    let manager = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed = manager
        .post(site.url("/api/v1/console/session"))
        .json(&serde_json::json!({"login": "demo-admin", "password": crate::console::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(signed.status().is_success());
    for status in ["arrived", "completed"] {
        let moved = manager
            .put(site.url(&format!("/api/v1/console/bookings/{code}/status")))
            .json(&serde_json::json!({ "status": status }))
            .send()
            .await
            .unwrap();
        assert!(moved.status().is_success(), "{status}: {}", moved.status());
    }
    owner.refresh().await.unwrap();
    wait_text(&owner, "[data-test=points-total]", |t| t.contains("260")).await;
    // Nothing on these pages was refused by the Content-Security-Policy.
    driver
        .assert_no_csp_violations(&staff, "the owner centre and car history (staff)")
        .await;
    driver
        .assert_no_csp_violations(&owner, "the owner centre and car history (owner)")
        .await;
    driver
        .assert_no_csp_violations(&advisor, "the owner centre and car history (advisor)")
        .await;
    driver
        .assert_no_csp_violations(&other, "the owner centre and car history (other)")
        .await;
    driver
        .assert_no_csp_violations(&friend, "the owner centre and car history (friend)")
        .await;
    wait_text(&owner, "[data-test=points-ledger]", |t| t.contains("推荐")).await;

    // A farming attempt: the owner books through their own link on their own phone. It
    // earns nothing, and the admin sees why.
    owner.goto(&url).await.unwrap();
    wait_url(&owner, |u| u.contains("/demo")).await;
    let other_slot = drive_slots
        .slots
        .iter()
        .find(|s| s.seats_left > 0 && s.id != drive.id)
        .unwrap()
        .clone();
    owner
        .goto(&site.url("/demo/test-drive?series=byd-qin-plus"))
        .await
        .unwrap();
    crate::booking::fill(
        &owner,
        drive_store,
        &other_slot.date.to_string(),
        other_slot.id,
        "周车主的朋友",
        "13900000073",
    )
    .await;
    tap_on(&owner, "[data-test=submit]").await;
    wait_text(&owner, "[data-test=booking-code]", |t| t.len() >= 8).await;
    let admin = driver.phone().await;
    sign_in(&site, &admin, "demo-admin").await;
    admin.goto(&site.url("/console/owners")).await.unwrap();
    wait_text(&admin, "[data-test=referrals]", |t| t.contains("吴朋友")).await;
    let reason = wait_text(&admin, "[data-test=withheld-reason]", |t| !t.is_empty()).await;
    assert!(reason.contains("本人"), "{reason}");
    screenshot(&admin, "73-console-referrals").await;
    // The car's page keeps the whole after-sales story.
    let car: i64 = sqlx::query_scalar("SELECT id FROM cars")
        .fetch_one(&site.db.pool)
        .await
        .unwrap();
    admin
        .goto(&site.url(&format!("/console/owners/{car}")))
        .await
        .unwrap();
    wait_text(&admin, "[data-test=car-service]", |t| {
        t.contains("1500公里")
    })
    .await;
    wait_text(&admin, "[data-test=car-survey]", |t| t.starts_with("9分")).await;
    wait_text(&admin, "[data-test=car-ledger]", |t| t.contains("共260分")).await;
    wait_text(&admin, "[data-test=car-reminders]", |t| {
        t.contains("保险续保提醒")
    })
    .await;
    screenshot(&admin, "74-console-car-history").await;
    // The plate's kind, and the inspection: exempt until staff mark an accident with casualties.
    wait_text(&admin, "[data-test=car-plate-kind]", |t| t == "新能源·纯电").await;
    wait_text(&admin, "[data-test=inspection-due]", |t| t.contains("免检")).await;
    tap_on(&admin, "[data-test=mark-casualty]").await;
    tap_on(&admin, "[data-test=save-marks]").await;
    wait_text(&admin, "[data-test=inspection-due]", |t| {
        t.starts_with("上线检验") && t.contains("第16条")
    })
    .await;
    screenshot(&admin, "75-console-car-inspection").await;
    owner.goto(&site.url("/demo/owner")).await.unwrap();
    wait_text(&owner, "[data-test=points-total]", |t| t.contains("260")).await;
    wait_text(&owner, "[data-test=car-inspection]", |t| {
        t.starts_with("上线检验") && t.contains("不适用6年免检")
    })
    .await;
}
