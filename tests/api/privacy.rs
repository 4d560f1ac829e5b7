//! A customer's bookings belong to the customer, not to whoever types their phone: a browser
//! sees and changes what it made; everything else tied to a phone only after proving it by
//! an SMS code (through the fake Aliyun API); a form never renames a lead; a booking looked up
//! by code shows a masked name to other browsers, and lookups are limited per address.

use reqwest::StatusCode;
use serde_json::json;
use shared::booking::{
    Booking, BookingRequest, BookingStatus, ContactForm, EnquiryReceipt, EnquiryRequest, Me,
    Origin, SlotList, TestDriveOffer,
};
use shared::contact::PRIVACY_NOTICE_VERSION;
use shared::proof::PhoneCodeSent;
use shared::survey::SurveyVisits;

use crate::helpers::{err, ok, TestApp};

const DEMO: &str = "/api/v1/dealers/demo";

fn contact(name: &str, phone: &str) -> ContactForm {
    ContactForm {
        name: name.into(),
        phone: phone.into(),
        consent_version: Some(PRIVACY_NOTICE_VERSION.into()),
    }
}

fn origin() -> Origin {
    Origin {
        page: "model".into(),
        button: "book-test-drive".into(),
        channel: None,
    }
}

/// Books the `nth` free slot of the first store for `name` and `phone` from `browser`.
pub async fn book(
    app: &TestApp,
    browser: &reqwest::Client,
    name: &str,
    phone: &str,
    nth: usize,
) -> Booking {
    let offer: TestDriveOffer = app.get_ok(&format!("{DEMO}/test-drive")).await;
    let store = &offer.stores[0];
    let slots: SlotList = app
        .get_ok(&format!("{DEMO}/stores/{}/slots", store.store.id))
        .await;
    let slot = slots
        .slots
        .iter()
        .filter(|s| s.seats_left > 0)
        .nth(nth)
        .expect("a free slot");
    let body = BookingRequest {
        series_id: store.series_ids[0].clone(),
        trim_id: None,
        slot_id: slot.id,
        contact: contact(name, phone),
        licence: None,
        origin: origin(),
    };
    let response = browser
        .post(app.url(&format!("{DEMO}/bookings")))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn enquire(app: &TestApp, browser: &reqwest::Client, name: &str, phone: &str) {
    let body = EnquiryRequest {
        series_id: None,
        trim_id: None,
        contact: contact(name, phone),
        origin: origin(),
    };
    let response = browser
        .post(app.url(&format!("{DEMO}/enquiries")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<EnquiryReceipt>().await.unwrap();
}

async fn me(app: &TestApp, browser: &reqwest::Client) -> Me {
    ok(browser
        .get(app.url(&format!("{DEMO}/me")))
        .send()
        .await
        .unwrap())
    .await
}

async fn send_code(app: &TestApp, browser: &reqwest::Client, phone: &str) -> reqwest::Response {
    browser
        .post(app.url(&format!("{DEMO}/me/phone-code")))
        .json(&json!({ "phone": phone }))
        .send()
        .await
        .unwrap()
}

async fn verify(
    app: &TestApp,
    browser: &reqwest::Client,
    phone: &str,
    code: &str,
) -> reqwest::Response {
    browser
        .post(app.url(&format!("{DEMO}/me/phone-proof")))
        .json(&json!({ "phone": phone, "code": code }))
        .send()
        .await
        .unwrap()
}

/// Proves `phone` in `browser` with the code the fake SMS API received.
pub async fn prove(app: &TestApp, browser: &reqwest::Client, phone: &str) -> Me {
    let sent: PhoneCodeSent = ok(send_code(app, browser, phone).await).await;
    assert_eq!(sent.resend_after, 60);
    let code = app.sms.last_code(phone);
    assert_eq!(code.len(), 6);
    ok(verify(app, browser, phone, &code).await).await
}

async fn complete(app: &TestApp, code: &str) {
    sqlx::query("UPDATE bookings SET status = 'completed' WHERE code = $1")
        .bind(code)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

async fn lead_name(app: &TestApp, phone: &str) -> Option<String> {
    sqlx::query_scalar("SELECT name FROM leads WHERE phone = $1")
        .bind(phone)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

both! {
    async fn a_stranger_who_types_the_victims_phone_sees_and_changes_nothing_of_theirs(app) {
        const VICTIM: &str = "13900000501";
        let victim = app.phone();
        let made = book(&app, &victim, "王小明", VICTIM, 0).await;
        let later = book(&app, &victim, "王小明", VICTIM, 1).await;
        complete(&app, &later.code).await;

        // The stranger asks for a price with the victim's phone, in another browser.
        let stranger = app.phone();
        enquire(&app, &stranger, "冒充者", VICTIM).await;
        // The lead keeps the victim's name; the typed name is a line for the consultant.
        assert_eq!(lead_name(&app, VICTIM).await.as_deref(), Some("王小明"));
        let lines: Vec<String> = sqlx::query_scalar(
            "SELECT e.detail FROM lead_events e JOIN leads l ON l.id = e.lead_id \
             WHERE l.phone = $1 AND e.kind = 'note'",
        )
        .bind(VICTIM)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(lines, ["客户填写的姓名：冒充者"]);

        // What the stranger's browser sees: only what it made and typed.
        let seen = me(&app, &stranger).await;
        assert_eq!(seen.name.as_deref(), Some("冒充者"));
        assert!(seen.bookings.is_empty(), "{:?}", seen.bookings);
        assert_eq!(seen.enquiries, 1);
        assert_eq!(seen.proof.phone, None);
        assert!(seen.proof.sms);
        let page: Booking = ok(stranger.get(app.url(&format!("{DEMO}/bookings/{}", made.code))).send().await.unwrap()).await;
        assert_eq!((page.name.as_str(), page.phone.as_str()), ("王**", "139****0501"));

        // Nothing of the victim's can be moved, cancelled, erased or answered for.
        let mine = app.url(&format!("{DEMO}/me/bookings/{}", made.code));
        let other_slot = book(&app, &app.phone(), "占位", "13900000502", 3).await.slot.id;
        let before = app.row_counts().await;
        err(stranger.put(&mine).json(&json!({ "slot_id": other_slot })).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        err(stranger.delete(&mine).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        let denied = err(stranger.delete(app.url(&format!("{DEMO}/me"))).send().await.unwrap(), StatusCode::FORBIDDEN).await;
        assert_eq!(denied.error.code, "phone_unproven");
        let visits: SurveyVisits = ok(stranger.get(app.url(&format!("{DEMO}/surveys"))).send().await.unwrap()).await;
        assert!(visits.visits.is_empty());
        let answer = json!({ "kind": "test_drive", "code": later.code, "score": 0 });
        err(stranger.post(app.url(&format!("{DEMO}/surveys"))).json(&answer).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        assert_eq!(app.row_counts().await, before, "the stranger wrote nothing");

        // The victim's browser still sees everything, unchanged, with their own name.
        let theirs = me(&app, &victim).await;
        assert_eq!(theirs.name.as_deref(), Some("王小明"));
        assert_eq!(theirs.bookings.len(), 2);
        let still: Booking = ok(victim.get(app.url(&format!("{DEMO}/bookings/{}", made.code))).send().await.unwrap()).await;
        assert_eq!((still.name.as_str(), still.status), ("王小明", BookingStatus::Booked));
        assert_eq!(still.slot, made.slot);
    }
}

both! {
    async fn a_phone_proved_by_sms_shows_and_changes_everything_tied_to_it(app) {
        const PHONE: &str = "13900000511";
        // Booked "on another phone" (another browser, or a consultant on their behalf).
        let elsewhere = app.phone();
        let made = book(&app, &elsewhere, "李娜", PHONE, 0).await;

        let browser = app.phone();
        let before = me(&app, &browser).await;
        assert!(before.bookings.is_empty());
        let proved = prove(&app, &browser, PHONE).await;
        assert_eq!(proved.proof.phone.as_deref(), Some(PHONE));
        assert_eq!(proved.proof.by.as_deref(), Some("sms"));
        assert_eq!(proved.name.as_deref(), Some("李娜"));
        assert_eq!(proved.bookings.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), [made.code.as_str()]);
        // Remembered by the browser's cookie.
        assert_eq!(me(&app, &browser).await, proved);
        let full: Booking = ok(browser.get(app.url(&format!("{DEMO}/bookings/{}", made.code))).send().await.unwrap()).await;
        assert_eq!(full.name, "李娜");

        let cancelled: Booking = ok(browser.delete(app.url(&format!("{DEMO}/me/bookings/{}", made.code))).send().await.unwrap()).await;
        assert_eq!(cancelled.status, BookingStatus::Cancelled);

        // Proven, the browser may erase it all.
        let erased = browser.delete(app.url(&format!("{DEMO}/me"))).send().await.unwrap();
        assert_eq!(erased.status(), StatusCode::NO_CONTENT);
        let traces: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads WHERE phone = $1 OR name = '李娜'")
            .bind(PHONE)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(traces, 0, "name and phone erased");
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM phone_codes WHERE phone = $1")
            .bind(PHONE)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "the codes sent to the phone go with it");
    }
}

both! {
    async fn codes_expire_allow_five_wrong_tries_and_are_resent_slowly(app) {
        const PHONE: &str = "13900000521";
        let browser = app.phone();

        // Bad input: a clear field error, nothing written, nothing sent.
        let before = app.row_counts().await;
        let bad = err(send_code(&app, &browser, "12345").await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(bad.error.field.as_deref(), Some("phone"));
        let bad = err(verify(&app, &browser, PHONE, "12a456").await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!((bad.error.field.as_deref(), bad.error.message.as_str()), (Some("code"), "验证码为6位数字"));
        let none = err(verify(&app, &browser, PHONE, "123456").await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(none.error.message, "请先获取验证码");
        assert_eq!(app.row_counts().await, before);
        assert!(app.sms.sent_to(PHONE).is_empty());

        // One code a minute.
        ok::<PhoneCodeSent>(send_code(&app, &browser, PHONE).await).await;
        let code = app.sms.last_code(PHONE);
        let stored: String = sqlx::query_scalar("SELECT code_hash FROM phone_codes WHERE phone = $1")
            .bind(PHONE)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert!(!stored.contains(&code), "kept hashed");
        let again = send_code(&app, &browser, PHONE).await;
        let wait: u64 = again.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        let soon = err(again, StatusCode::TOO_MANY_REQUESTS).await;
        assert_eq!(soon.error.code, "too_soon");
        assert_eq!(app.sms.sent_to(PHONE).len(), 1);

        // Another browser cannot use the code sent for this one.
        let other = app.phone();
        err(verify(&app, &other, PHONE, &code).await, StatusCode::UNPROCESSABLE_ENTITY).await;

        // Five wrong tries spend the code, even for the right digits afterwards.
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for left in (1..=4).rev() {
            let e = err(verify(&app, &browser, PHONE, wrong).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.message, format!("验证码不正确，还可以再试{left}次"));
        }
        let spent = err(verify(&app, &browser, PHONE, wrong).await, StatusCode::GONE).await;
        assert_eq!(spent.error.code, "exhausted");
        let spent = err(verify(&app, &browser, PHONE, &code).await, StatusCode::GONE).await;
        assert_eq!(spent.error.code, "exhausted");
        assert_eq!(me(&app, &browser).await.proof.phone, None);

        // A minute later a new code; five minutes after it, it has expired.
        let back = |ms: i64| {
            let db = app.db.clone();
            async move {
                sqlx::query("UPDATE phone_codes SET created_at = created_at - $1, expires_at = expires_at - $1")
                    .bind(ms)
                    .execute(&db.pool)
                    .await
                    .unwrap();
            }
        };
        back(61_000).await;
        ok::<PhoneCodeSent>(send_code(&app, &browser, PHONE).await).await;
        let code = app.sms.last_code(PHONE);
        back(5 * 60_000).await;
        let expired = err(verify(&app, &browser, PHONE, &code).await, StatusCode::GONE).await;
        assert_eq!(expired.error.code, "expired");

        // Five codes a day to one phone.
        for _ in 0..3 {
            back(61_000).await;
            ok::<PhoneCodeSent>(send_code(&app, &browser, PHONE).await).await;
        }
        back(61_000).await;
        let daily = err(send_code(&app, &browser, PHONE).await, StatusCode::TOO_MANY_REQUESTS).await;
        assert_eq!(daily.error.code, "phone_daily");
        assert_eq!(app.sms.sent_to(PHONE).len(), 5);

        // A good code proves the phone.
        let fresh = app.phone();
        sqlx::query("DELETE FROM phone_codes").execute(&app.db.pool).await.unwrap();
        let proved = prove(&app, &fresh, PHONE).await;
        assert_eq!(proved.proof.phone.as_deref(), Some(PHONE));
    }
}

both! {
    async fn one_address_asks_for_a_limited_number_of_codes_a_day(app) {
        let browser = app.phone();
        for n in 0..shared::proof::SENDS_PER_ADDRESS_PER_DAY {
            ok::<PhoneCodeSent>(send_code(&app, &browser, &format!("1390000{:04}", 600 + n)).await).await;
        }
        let capped = err(send_code(&app, &browser, "13900009999").await, StatusCode::TOO_MANY_REQUESTS).await;
        assert_eq!(capped.error.code, "address_daily");
        assert!(app.sms.sent_to("13900009999").is_empty());
    }
}

both! {
    async fn without_an_sms_provider_a_browser_sees_what_it_made_and_is_told_why(app) {
        let address = app.instance_with(&app.dist, |state| state.with_sms(None)).await;
        let url = |path: &str| format!("{address}{path}");
        const PHONE: &str = "13900000531";
        book(&app, &app.phone(), "顾问代约", PHONE, 0).await;
        let browser = app.phone();
        let response = browser
            .post(url(&format!("{DEMO}/enquiries")))
            .json(&EnquiryRequest { series_id: None, trim_id: None, contact: contact("本人", PHONE), origin: origin() })
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let seen: Me = ok(browser.get(url(&format!("{DEMO}/me"))).send().await.unwrap()).await;
        assert!(!seen.proof.sms);
        assert!(seen.bookings.is_empty(), "the consultant's booking stays hidden");
        assert_eq!(seen.enquiries, 1);
        let off = err(browser.post(url(&format!("{DEMO}/me/phone-code"))).json(&json!({"phone": PHONE})).send().await.unwrap(), StatusCode::SERVICE_UNAVAILABLE).await;
        assert_eq!(off.error.code, "sms_off");
        assert!(off.error.message.contains("未开通短信验证"), "{}", off.error.message);
        let denied = err(browser.delete(url(&format!("{DEMO}/me"))).send().await.unwrap(), StatusCode::FORBIDDEN).await;
        assert!(denied.error.message.contains("联系门店"), "{}", denied.error.message);
        assert!(app.sms.sent_to(PHONE).is_empty());
    }
}

both! {
    async fn a_booking_looked_up_by_code_masks_the_name_and_is_limited_per_address(app) {
        let browser = app.phone();
        let made = book(&app, &browser, "欧阳娜娜", "13900000541", 0).await;
        let path = format!("{DEMO}/bookings/{}", made.code);
        let own: Booking = ok(browser.get(app.url(&path)).send().await.unwrap()).await;
        assert_eq!((own.name.as_str(), own.phone.as_str()), ("欧阳娜娜", "139****0541"));
        let other: Booking = app.get_ok(&path).await;
        assert_eq!((other.name.as_str(), other.phone.as_str()), ("欧***", "139****0541"));
        let ics = app.get(&format!("{path}/calendar.ics")).await.text().await.unwrap();
        assert!(!ics.contains("欧阳"), "{ics}");

        // One address: a few dozen lookups a minute, then 429 with Retry-After.
        let mut limited = None;
        for _ in 0..server::http::visitor::LOOKUPS_PER_MINUTE + 5 {
            let response = app.get(&format!("{DEMO}/bookings/NOSUCHCD")).await;
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                limited = Some(response);
                break;
            }
            assert_eq!(response.status(), StatusCode::NOT_FOUND);
        }
        let limited = limited.expect("the lookups were limited");
        assert!(limited.headers().contains_key("retry-after"));
        err(limited, StatusCode::TOO_MANY_REQUESTS).await;
        err(app.get(&format!("{path}/calendar.ics")).await, StatusCode::TOO_MANY_REQUESTS).await;
    }
}

both! {
    async fn an_owner_whose_wechat_is_bound_sees_the_bookings_of_their_phone(app) {
        const PHONE: &str = "13900000551";
        // The customer booked in some browser; the car was delivered to them.
        let (_, _, done) = crate::owners::delivered(&app, PHONE, crate::owners::VIN).await;
        let owner = app.phone();
        let bound = crate::owners::bind(&app, &owner, &done.binding.code).await;
        assert_eq!(bound.status(), StatusCode::OK);
        // Bound by the code alone: nothing of the phone's yet.
        let before = me(&app, &owner).await;
        assert!(before.bookings.is_empty());
        assert_eq!(before.proof.phone, None);
        // Through WeChat's OAuth (tested in reminders.rs) the owner's openid is bound: proof.
        sqlx::query("UPDATE owners SET wechat_openid = 'o-test-openid'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let after = me(&app, &owner).await;
        assert_eq!(after.proof.phone.as_deref(), Some(PHONE));
        assert_eq!(after.proof.by.as_deref(), Some("wechat"));
        assert_eq!(after.bookings.len(), 1);
        assert_eq!(after.name.as_deref(), Some("车主甲"));
    }
}
