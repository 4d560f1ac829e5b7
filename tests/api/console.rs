//! The staff console's API on both databases: sign-in with lockout, sessions that end on
//! sign-out and password change, 401/403 on every route, scoping route by route for every
//! role (another dealer's or colleague's lead answers 404), masking, the pipeline with its
//! 战败 approval, booking work at the store, and store setup that never drops a booking.

use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::booking::{
    Booking, BookingRequest, ContactForm, EnquiryRequest, Origin, SlotList, TestDriveOffer,
};
use shared::console::{
    LeadDetail, LeadStatus, LeadSummary, StaffBooking, StaffMe, StoreSaved, StoreView, TaskKind,
    Today,
};
use shared::contact::PRIVACY_NOTICE_VERSION;

use crate::helpers::{err, TestApp};

const PASSWORD: &str = "chelink-demo-2026";

/// A staff member's phone, signed in with the demo password.
pub async fn sign_in(app: &TestApp, login: &str) -> Client {
    let client = app.phone();
    let response = client
        .post(app.url("/api/v1/console/session"))
        .json(&json!({"login": login, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{login}");
    let me: StaffMe = response.json().await.unwrap();
    assert!(!me.staff.name.is_empty());
    client
}

fn contact(name: &str, phone: &str) -> ContactForm {
    ContactForm {
        name: name.into(),
        phone: phone.into(),
        consent_version: Some(PRIVACY_NOTICE_VERSION.into()),
    }
}

/// A booking by a new customer on the demo's first store; its lead and the consultant it went to.
pub async fn customer_books(
    app: &TestApp,
    name: &str,
    phone: &str,
    slot_index: usize,
) -> (Booking, i64, String) {
    let offer: TestDriveOffer = app.get_ok("/api/v1/dealers/demo/test-drive").await;
    let store = &offer.stores[0];
    let slots: SlotList = app
        .get_ok(&format!(
            "/api/v1/dealers/demo/stores/{}/slots",
            store.store.id
        ))
        .await;
    let body = BookingRequest {
        series_id: store.series_ids[0].clone(),
        trim_id: None,
        slot_id: slots.slots[slot_index].id,
        contact: contact(name, phone),
        licence: None,
        origin: Origin {
            page: "home".into(),
            button: "book-test-drive".into(),
            channel: None,
        },
    };
    let response = app.post_json("/api/v1/dealers/demo/bookings", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let booking: Booking = response.json().await.unwrap();
    let (lead, consultant): (i64, String) = sqlx::query_as(
        "SELECT l.id, s.login FROM leads l JOIN staff s ON s.id = l.consultant_id WHERE l.phone = $1",
    )
    .bind(phone)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    (booking, lead, consultant)
}

pub async fn get<T: serde::de::DeserializeOwned>(client: &Client, app: &TestApp, path: &str) -> T {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{path}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"))
}

pub async fn send(
    client: &Client,
    app: &TestApp,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    client
        .request(method, app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Every console route with a body that would pass, for the 401/403/404 tables.
fn routes(lead: i64, code: &str, store: i64) -> Vec<(&'static str, String, serde_json::Value)> {
    vec![
        ("GET", "/api/v1/console/me".into(), json!({})),
        ("GET", "/api/v1/console/today".into(), json!({})),
        ("GET", "/api/v1/console/leads".into(), json!({})),
        ("GET", format!("/api/v1/console/leads/{lead}"), json!({})),
        (
            "POST",
            format!("/api/v1/console/leads/{lead}/notes"),
            json!({"text": "跟进"}),
        ),
        (
            "POST",
            format!("/api/v1/console/leads/{lead}/calls"),
            json!({}),
        ),
        (
            "PUT",
            format!("/api/v1/console/leads/{lead}/status"),
            json!({"status": "contacted"}),
        ),
        (
            "PUT",
            format!("/api/v1/console/leads/{lead}/consultant"),
            json!({"consultant_id": 1}),
        ),
        (
            "PUT",
            format!("/api/v1/console/leads/{lead}/lost-claim"),
            json!({"approve": true}),
        ),
        (
            "PUT",
            format!("/api/v1/console/bookings/{code}/status"),
            json!({"status": "confirmed"}),
        ),
        ("GET", "/api/v1/console/catalog/series".into(), json!({})),
        (
            "PUT",
            "/api/v1/console/catalog/series/byd-qin-plus".into(),
            json!({"on_sale": true, "featured": false}),
        ),
        ("GET", "/api/v1/console/consultants".into(), json!({})),
        ("GET", "/api/v1/console/links".into(), json!({})),
        (
            "POST",
            "/api/v1/console/links".into(),
            json!({"target": "/demo/", "channel": "chat"}),
        ),
        ("GET", "/api/v1/console/links/stats".into(), json!({})),
        (
            "GET",
            format!("/api/v1/console/leads/{lead}/share-tree"),
            json!({}),
        ),
        ("GET", "/api/v1/console/wechat".into(), json!({})),
        (
            "PUT",
            "/api/v1/console/wechat".into(),
            json!({"app_id": "wx1234567890abcdef", "app_secret": "", "domain": "che.example.com"}),
        ),
        ("GET", "/api/v1/console/attribution".into(), json!({})),
        (
            "PUT",
            "/api/v1/console/attribution".into(),
            json!({"days": 14}),
        ),
        ("GET", "/api/v1/console/profile".into(), json!({})),
        (
            "PUT",
            "/api/v1/console/profile".into(),
            json!({"name": "王磊", "title": "销售顾问", "phone": "13800138000", "handle": "wl"}),
        ),
        ("GET", "/api/v1/console/stores".into(), json!({})),
        (
            "GET",
            format!("/api/v1/console/leads/{lead}/delivery"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/console/leads/{lead}/delivery"),
            json!({"trim_id": "x", "vin": "LVSFCFME37F107967", "plate": "京A12345", "delivered_on": "2026-01-02", "registered_on": "2026-01-01", "odometer_km": 5, "advisor_id": 1}),
        ),
        ("GET", "/api/v1/console/cars".into(), json!({})),
        ("GET", "/api/v1/console/cars/1".into(), json!({})),
        ("POST", "/api/v1/console/cars/1/binding".into(), json!({})),
        (
            "PUT",
            "/api/v1/console/cars/1/inspection".into(),
            json!({"casualty_accident": true, "modification_penalty": false}),
        ),
        ("GET", "/api/v1/console/maintenance-plans".into(), json!({})),
        (
            "PUT",
            "/api/v1/console/maintenance-plans/byd-qin-plus".into(),
            json!({"first_km": 5000, "first_months": 6, "interval_km": 10000, "interval_months": 12}),
        ),
        (
            "PUT",
            "/api/v1/console/prices/xiaomi-su7-std".into(),
            json!({"dealer_price": 199_900}),
        ),
        (
            "PUT",
            format!("/api/v1/console/stores/{store}"),
            json!({"hours": [], "closures": [], "templates": [], "series_ids": []}),
        ),
        ("GET", "/api/v1/console/reminders".into(), json!({})),
        ("POST", "/api/v1/console/reminders/1/done".into(), json!({})),
        ("GET", "/api/v1/console/service".into(), json!({})),
        (
            "PUT",
            "/api/v1/console/service/ABCDEFGH/status".into(),
            json!({"status": "no_show"}),
        ),
        ("GET", "/api/v1/console/loyalty".into(), json!({})),
        (
            "PUT",
            "/api/v1/console/loyalty".into(),
            json!({"survey_points": 10, "service_points": 50, "referral_drive_points": 200, "referral_deliver_points": 1000, "worth": ""}),
        ),
        ("GET", "/api/v1/console/referrals".into(), json!({})),
        (
            "PUT",
            "/api/v1/console/surveys/1/follow-up".into(),
            json!({}),
        ),
        (
            "PUT",
            "/api/v1/console/password".into(),
            json!({"current": PASSWORD, "new": "another-password-1"}),
        ),
    ]
}

both! {
    async fn every_console_route_needs_a_session_and_manager_routes_need_a_manager(app) {
        let (booking, lead, _) = customer_books(&app, "甲", "13900000001", 0).await;
        let store: i64 = sqlx::query_scalar("SELECT id FROM stores ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
        for (method, path, body) in routes(lead, &booking.code, store) {
            let response = send(&app.client, &app, method, &path, body).await;
            let e = err(response, StatusCode::UNAUTHORIZED).await;
            assert_eq!(e.error.code, "unauthorized", "{method} {path}");
        }
        let consultant = sign_in(&app, "demo-wang").await;
        for (method, path, body) in routes(lead, &booking.code, store) {
            if path.ends_with("/consultant") || path.ends_with("/lost-claim") || path.ends_with("/staff") || path.contains("/stores") || path.contains("/prices/") || path.contains("/catalog/") || path.ends_with("/wechat") || path.ends_with("/attribution") || path.contains("/maintenance-plans/") || path.contains("/service") || path.ends_with("/loyalty") || path.ends_with("/referrals") || path.ends_with("/follow-up") {
                let e = err(send(&consultant, &app, method, &path, body).await, StatusCode::FORBIDDEN).await;
                assert_eq!(e.error.code, "forbidden", "{method} {path}");
            }
        }
    }
}

both! {
    async fn sign_in_locks_with_backoff_and_sessions_end_on_sign_out_and_password_change(app) {
        let wrong = |password: &str| json!({"login": "demo-li", "password": password});
        let e = err(app.post_json("/api/v1/console/session", &wrong("nope")).await, StatusCode::UNAUTHORIZED).await;
        assert_eq!(e.error.code, "bad_credentials");
        let unknown = err(app.post_json("/api/v1/console/session", &json!({"login": "nobody", "password": "x"})).await, StatusCode::UNAUTHORIZED).await;
        assert_eq!(unknown.error.message, e.error.message, "an unknown login reads the same");
        for _ in 0..3 {
            err(app.post_json("/api/v1/console/session", &wrong("nope")).await, StatusCode::UNAUTHORIZED).await;
        }
        let fifth = app.post_json("/api/v1/console/session", &wrong("nope")).await;
        assert!(fifth.headers().get("retry-after").is_some());
        assert_eq!(err(fifth, StatusCode::TOO_MANY_REQUESTS).await.error.code, "locked");
        // locked: even the right password waits
        let right = app.post_json("/api/v1/console/session", &wrong(PASSWORD)).await;
        assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
        // the lockout passes (see sign_in.rs for lockouts under attack)
        sqlx::query("UPDATE sign_in_failures SET locked_until = 1 WHERE login = 'demo-li'").execute(&app.db.writer).await.unwrap();
        let li = sign_in(&app, "demo-li").await;

        // sign-out ends the session on the server: the old cookie no longer works
        let cookie = {
            let response = app.client.post(app.url("/api/v1/console/session")).json(&json!({"login": "demo-wang", "password": PASSWORD})).send().await.unwrap();
            let set = response.headers()["set-cookie"].to_str().unwrap().to_string();
            assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
            set.split(';').next().unwrap().to_string()
        };
        let with_cookie = |path: &str| app.client.get(app.url(path)).header("cookie", cookie.clone()).send();
        assert_eq!(with_cookie("/api/v1/console/me").await.unwrap().status(), StatusCode::OK);
        let out = app.client.delete(app.url("/api/v1/console/session")).header("cookie", cookie.clone()).send().await.unwrap();
        assert_eq!(out.status(), StatusCode::NO_CONTENT);
        assert_eq!(with_cookie("/api/v1/console/me").await.unwrap().status(), StatusCode::UNAUTHORIZED);

        // a password change ends every session of that person
        let li_elsewhere = sign_in(&app, "demo-li").await;
        let bad = send(&li, &app, "PUT", "/api/v1/console/password", json!({"current": "wrong", "new": "a-new-password-9"})).await;
        assert_eq!(err(bad, StatusCode::UNPROCESSABLE_ENTITY).await.error.field.as_deref(), Some("current"));
        let short = send(&li, &app, "PUT", "/api/v1/console/password", json!({"current": PASSWORD, "new": "short"})).await;
        assert_eq!(err(short, StatusCode::UNPROCESSABLE_ENTITY).await.error.field.as_deref(), Some("new"));
        let changed = send(&li, &app, "PUT", "/api/v1/console/password", json!({"current": PASSWORD, "new": "a-new-password-9"})).await;
        assert_eq!(changed.status(), StatusCode::NO_CONTENT);
        for client in [&li, &li_elsewhere] {
            let r = client.get(app.url("/api/v1/console/me")).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        let again = app.phone().post(app.url("/api/v1/console/session")).json(&json!({"login": "demo-li", "password": "a-new-password-9"})).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::OK);
    }
}

both! {
    async fn writes_from_another_site_are_refused(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let (_, lead, _) = customer_books(&app, "乙", "13900000002", 0).await;
        let forged = manager
            .post(app.url(&format!("/api/v1/console/leads/{lead}/notes")))
            .header("origin", "http://evil.example")
            .json(&json!({"text": "伪造"}))
            .send()
            .await
            .unwrap();
        assert_eq!(err(forged, StatusCode::FORBIDDEN).await.error.code, "cross_site");
        let forged = manager
            .post(app.url(&format!("/api/v1/console/leads/{lead}/notes")))
            .header("sec-fetch-site", "cross-site")
            .json(&json!({"text": "伪造"}))
            .send()
            .await
            .unwrap();
        err(forged, StatusCode::FORBIDDEN).await;
        let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lead_events WHERE kind = 'note'").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(notes, 0);
    }
}

both! {
    async fn each_role_sees_only_its_own_and_another_dealers_lead_is_not_found(app) {
        let (b1, lead1, owner1) = customer_books(&app, "客户一", "13900000011", 0).await;
        let (b2, lead2, owner2) = customer_books(&app, "客户二", "13900000012", 1).await;
        assert_ne!(owner1, owner2, "round-robin shares the two leads");
        // a lead of the other dealer
        let other = app.post_json("/api/v1/dealers/leapmotor/enquiries", &EnquiryRequest {
            series_id: None, trim_id: None, contact: contact("别家客户", "13900000013"),
            origin: Origin { page: "home".into(), button: "ask-price".into(), channel: None },
        }).await;
        assert_eq!(other.status(), StatusCode::CREATED);
        let foreign: i64 = sqlx::query_scalar("SELECT id FROM leads WHERE phone = '13900000013'").fetch_one(&app.db.pool).await.unwrap();
        let foreign_code: String = {
            let offer: TestDriveOffer = app.get_ok("/api/v1/dealers/leapmotor/test-drive").await;
            let slots: SlotList = app.get_ok(&format!("/api/v1/dealers/leapmotor/stores/{}/slots", offer.stores[0].store.id)).await;
            let r = app.post_json("/api/v1/dealers/leapmotor/bookings", &BookingRequest {
                series_id: offer.stores[0].series_ids[0].clone(), trim_id: None, slot_id: slots.slots[0].id,
                contact: contact("别家客户", "13900000013"), licence: None,
                origin: Origin { page: "home".into(), button: "book-test-drive".into(), channel: None },
            }).await;
            r.json::<Booking>().await.unwrap().code
        };
        let store: i64 = sqlx::query_scalar("SELECT id FROM stores ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();

        let mine = sign_in(&app, &owner1).await;
        let listed: Vec<LeadSummary> = get(&mine, &app, "/api/v1/console/leads").await;
        assert_eq!(listed.iter().map(|l| l.id).collect::<Vec<_>>(), [lead1]);
        assert_eq!(listed[0].phone, "13900000011", "the owner sees the full number");
        // the colleague's lead and booking, and the other dealer's, are not found, route by route
        for (lead, code) in [(lead2, b2.code.as_str()), (foreign, foreign_code.as_str())] {
            for (method, path, body) in routes(lead, code, store) {
                let scoped = path.contains("/leads/") || path.contains("/bookings/");
                if !scoped || path.ends_with("/consultant") || path.ends_with("/lost-claim") {
                    continue;
                }
                let e = err(send(&mine, &app, method, &path, body).await, StatusCode::NOT_FOUND).await;
                assert_eq!(e.error.code, "not_found", "{method} {path}");
            }
        }
        // today's bookings at the store: the colleague's is shown masked and closed
        let today: Today = get(&mine, &app, "/api/v1/console/today").await;
        assert!(today.tasks.iter().any(|t| t.kind == TaskKind::CallBack && t.lead_id == Some(lead1)));
        assert!(!today.tasks.iter().any(|t| t.lead_id == Some(lead2)));
        let rows: Vec<&StaffBooking> = today.bookings.iter().filter(|b| b.code == b1.code || b.code == b2.code).collect();
        for row in rows {
            if row.code == b2.code {
                assert_eq!((row.phone.as_str(), row.lead_id), ("139****0012", None));
            } else {
                assert_eq!((row.phone.as_str(), row.lead_id), ("13900000011", Some(lead1)));
            }
        }

        // managers and admins see every lead of their dealer in full, never another dealer's
        for login in ["demo-manager", "demo-admin"] {
            let boss = sign_in(&app, login).await;
            let all: Vec<LeadSummary> = get(&boss, &app, "/api/v1/console/leads").await;
            let ids: Vec<i64> = all.iter().map(|l| l.id).collect();
            assert!(ids.contains(&lead1) && ids.contains(&lead2) && !ids.contains(&foreign), "{login}");
            assert!(all.iter().all(|l| !l.phone.contains('*')));
            for (method, path, body) in routes(foreign, &foreign_code, store) {
                if path.contains("/leads/") || path.contains("/bookings/") {
                    let e = err(send(&boss, &app, method, &path, body).await, StatusCode::NOT_FOUND).await;
                    assert_eq!(e.error.code, "not_found", "{login} {method} {path}");
                }
            }
            let leap_store: i64 = sqlx::query_scalar("SELECT s.id FROM stores s JOIN dealers d ON d.id = s.dealer_id WHERE d.slug = 'leapmotor'").fetch_one(&app.db.pool).await.unwrap();
            let e = err(send(&boss, &app, "PUT", &format!("/api/v1/console/stores/{leap_store}"), json!({"hours": [], "closures": [], "templates": [], "series_ids": []})).await, StatusCode::NOT_FOUND).await;
            assert_eq!(e.error.code, "not_found");
        }
        // filters and search
        let boss = sign_in(&app, "demo-manager").await;
        let found: Vec<LeadSummary> = get(&boss, &app, "/api/v1/console/leads?q=0012").await;
        assert_eq!(found.iter().map(|l| l.id).collect::<Vec<_>>(), [lead2]);
        let none: Vec<LeadSummary> = get(&boss, &app, "/api/v1/console/leads?status=ordered").await;
        assert!(none.is_empty());
        let by_origin: Vec<LeadSummary> = get(&boss, &app, "/api/v1/console/leads?origin=home").await;
        assert_eq!(by_origin.len(), 2);
    }
}

both! {
    async fn a_lead_moves_through_the_pipeline_and_a_lost_claim_waits_for_the_manager(app) {
        let (booking, lead, owner) = customer_books(&app, "客户三", "13900000021", 0).await;
        let mine = sign_in(&app, &owner).await;
        let path = |rest: &str| format!("/api/v1/console/leads/{lead}{rest}");
        let d: LeadDetail = send(&mine, &app, "POST", &path("/calls"), json!({})).await.json().await.unwrap();
        assert!(d.lead.first_response_at.is_some());
        let d: LeadDetail = send(&mine, &app, "POST", &path("/notes"), json!({"text": "<b>周六</b>下午来店"})).await.json().await.unwrap();
        assert_eq!(d.timeline[0].text, "<b>周六</b>下午来店");
        let d: LeadDetail = send(&mine, &app, "PUT", &path("/status"), json!({"status": "contacted"})).await.json().await.unwrap();
        assert_eq!(d.lead.status, LeadStatus::Contacted);
        let back = err(send(&mine, &app, "PUT", &path("/status"), json!({"status": "new"})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(back.error.field.as_deref(), Some("status"));

        // at the store: confirm, arrived, completed → the lead is test-driven
        for status in ["confirmed", "arrived", "completed"] {
            let b: StaffBooking = send(&mine, &app, "PUT", &format!("/api/v1/console/bookings/{}/status", booking.code), json!({"status": status})).await.json().await.unwrap();
            assert_eq!(b.status.as_str(), status);
        }
        let wrong = send(&mine, &app, "PUT", &format!("/api/v1/console/bookings/{}/status", booking.code), json!({"status": "cancelled"})).await;
        err(wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
        let d: LeadDetail = get(&mine, &app, &path("")).await;
        assert_eq!(d.lead.status, LeadStatus::TestDriven);

        // a consultant's 战败 is a claim; the manager approves it
        let no_reason = send(&mine, &app, "PUT", &path("/status"), json!({"status": "lost"})).await;
        assert_eq!(err(no_reason, StatusCode::UNPROCESSABLE_ENTITY).await.error.field.as_deref(), Some("lost_reason"));
        let d: LeadDetail = send(&mine, &app, "PUT", &path("/status"), json!({"status": "lost", "lost_reason": "已在别家购车"})).await.json().await.unwrap();
        assert_eq!((d.lead.status, d.lead.lost_claim.as_deref()), (LeadStatus::TestDriven, Some("已在别家购车")));
        let manager = sign_in(&app, "demo-manager").await;
        let today: Today = get(&manager, &app, "/api/v1/console/today").await;
        assert!(today.tasks.iter().any(|t| t.kind == TaskKind::ApproveLost && t.lead_id == Some(lead)));
        let d: LeadDetail = send(&manager, &app, "PUT", &path("/lost-claim"), json!({"approve": true})).await.json().await.unwrap();
        assert_eq!((d.lead.status, d.lead.lost_claim), (LeadStatus::Lost, None));
        let again = send(&manager, &app, "PUT", &path("/lost-claim"), json!({"approve": true})).await;
        err(again, StatusCode::NOT_FOUND).await;

        // the manager reassigns; the old owner loses it, the new one has it
        let other: String = if owner == "demo-wang" { "demo-li".into() } else { "demo-wang".into() };
        let other_id: i64 = sqlx::query_scalar("SELECT id FROM staff WHERE login = $1").bind(&other).fetch_one(&app.db.pool).await.unwrap();
        let d: LeadDetail = send(&manager, &app, "PUT", &path("/consultant"), json!({"consultant_id": other_id})).await.json().await.unwrap();
        assert_eq!(d.lead.consultant.map(|c| c.id), Some(other_id));
        err(mine.get(app.url(&path(""))).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        let theirs = sign_in(&app, &other).await;
        let d: LeadDetail = get(&theirs, &app, &path("")).await;
        let kinds: Vec<&str> = d.timeline.iter().map(|e| e.kind.as_str()).collect();
        assert!(kinds.contains(&"call") && kinds.contains(&"note") && kinds.contains(&"booked") && kinds.contains(&"assigned"), "{kinds:?}");
        let leap_consultant: i64 = sqlx::query_scalar("SELECT id FROM staff WHERE login = 'leap-liu'").fetch_one(&app.db.pool).await.unwrap();
        err(send(&manager, &app, "PUT", &path("/consultant"), json!({"consultant_id": leap_consultant})).await, StatusCode::NOT_FOUND).await;
    }
}

both! {
    async fn narrowing_a_stores_hours_keeps_its_bookings_and_lists_them(app) {
        let (booking, _, _) = customer_books(&app, "客户四", "13900000031", 0).await;
        let manager = sign_in(&app, "demo-manager").await;
        let stores: Vec<StoreView> = get(&manager, &app, "/api/v1/console/stores").await;
        let view = stores.iter().find(|s| s.store.id == booking.store.id).unwrap();
        let slots_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM slots WHERE store_id = $1").bind(view.store.id).fetch_one(&app.db.pool).await.unwrap();
        // open only from 18:00: the booked daytime slot falls outside
        let mut setup = view.setup.clone();
        for h in &mut setup.hours {
            h.open = shared::slots::TimeOfDay::parse("18:00").unwrap();
            h.close = shared::slots::TimeOfDay::parse("20:00").unwrap();
        }
        for t in &mut setup.templates {
            t.start = shared::slots::TimeOfDay::parse("18:00").unwrap();
            t.end = shared::slots::TimeOfDay::parse("20:00").unwrap();
        }
        let saved: StoreSaved = send(&manager, &app, "PUT", &format!("/api/v1/console/stores/{}", view.store.id), serde_json::to_value(&setup).unwrap()).await.json().await.unwrap();
        assert_eq!(saved.view.setup.hours, setup.hours);
        assert_eq!(saved.stranded.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), [booking.code.as_str()]);
        let kept: String = sqlx::query_scalar("SELECT status FROM bookings WHERE code = $1").bind(&booking.code).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(kept, "booked", "the booking is never dropped silently");
        let slots_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM slots WHERE store_id = $1").bind(view.store.id).fetch_one(&app.db.pool).await.unwrap();
        assert!(slots_after < slots_before);
        let list: SlotList = app.get_ok(&format!("/api/v1/dealers/demo/stores/{}/slots", view.store.id)).await;
        assert!(list.slots.iter().filter(|s| s.id != booking.slot.id).all(|s| s.start.minutes() >= 18 * 60));

        let bad = send(&manager, &app, "PUT", &format!("/api/v1/console/stores/{}", view.store.id), json!({
            "hours": [], "closures": [], "series_ids": [],
            "templates": [{"weekdays": [1], "start": "10:00", "end": "09:00", "slot_minutes": 60, "capacity": 2}]
        })).await;
        err(bad, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
}

both! {
    async fn after_a_customer_deletes_their_data_staff_see_no_name_or_phone(app) {
        let browser = app.phone();
        let offer: TestDriveOffer = app.get_ok("/api/v1/dealers/demo/test-drive").await;
        let slots: SlotList = app.get_ok(&format!("/api/v1/dealers/demo/stores/{}/slots", offer.stores[0].store.id)).await;
        let body = BookingRequest {
            series_id: offer.stores[0].series_ids[0].clone(), trim_id: None, slot_id: slots.slots[0].id,
            contact: contact("要删除", "13900000041"), licence: None,
            origin: Origin { page: "home".into(), button: "book-test-drive".into(), channel: None },
        };
        let r = browser.post(app.url("/api/v1/dealers/demo/bookings")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let lead: i64 = sqlx::query_scalar("SELECT id FROM leads WHERE phone = '13900000041'").fetch_one(&app.db.pool).await.unwrap();
        let manager = sign_in(&app, "demo-manager").await;
        let before: LeadDetail = get(&manager, &app, &format!("/api/v1/console/leads/{lead}")).await;
        assert_eq!(before.lead.name, "要删除");
        crate::privacy::prove(&app, &browser, "13900000041").await;
        let deleted = browser.delete(app.url("/api/v1/dealers/demo/me")).send().await.unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        let after: LeadDetail = get(&manager, &app, &format!("/api/v1/console/leads/{lead}")).await;
        assert_eq!((after.lead.name.as_str(), after.lead.phone.as_str()), ("", ""));
        assert!(after.bookings.iter().all(|b| b.name.is_empty() && b.phone.is_empty()));
        let listed = serde_json::to_string(&get::<Vec<LeadSummary>>(&manager, &app, "/api/v1/console/leads").await).unwrap();
        assert!(!listed.contains("要删除") && !listed.contains("13900000041"));
    }
}

both! {
    async fn a_lead_with_a_virtual_operator_or_data_card_number_shows_staff_a_warning(app) {
        let manager = sign_in(&app, "demo-manager").await;
        for (slot, (phone, risk)) in [
            ("17012345678", Some("虚拟运营商号段，注意核实")),
            ("14512345678", Some("物联网/上网卡号段，注意核实")),
            ("13812345678", None),
        ]
        .into_iter()
        .enumerate()
        {
            let (_, lead, consultant) = customer_books(&app, "风险", phone, slot).await;
            for viewer in [sign_in(&app, &consultant).await, manager.clone()] {
                let d: LeadDetail = get(&viewer, &app, &format!("/api/v1/console/leads/{lead}")).await;
                assert_eq!(d.phone_risk.as_deref(), risk, "{phone}");
                // A signal, never a refusal: the lead is there with its number.
                assert_eq!(d.lead.phone, phone);
            }
        }
    }
}
