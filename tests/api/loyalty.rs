//! Surveys, points and referral rewards on both databases: a completed visit is surveyed once
//! (409 the second time, another's visit 404, bad fields 422 with the field), a low score is a
//! follow-up only a manager closes, an owner's service survey earns points that the ledger,
//! total and tier show, the admin alone sets the milestone points, and the referral chain:
//! a friend's completed test drive and delivery pay once each, every kind of farming and the
//! sixth referral of a Beijing day are withheld with their reason and earn nothing, and
//! another dealer's link gives nothing.

use reqwest::{header, Client, StatusCode};
use serde_json::json;
use shared::booking::{Booking, BookingRequest, ContactForm, Origin, SlotList, TestDriveOffer};
use shared::console::Today;
use shared::contact::PRIVACY_NOTICE_VERSION;
use shared::loyalty::{
    withheld, LoyaltySettings, NextTier, OwnerPoints, OwnerReferrals, PointsReason, ReferralLink,
    ReferralStatus, Tier,
};
use shared::owner::{DeliveryForm, OwnerHome};
use shared::survey::{SurveyThanks, SurveyVisits, VisitKind};

use crate::console::{get, send, sign_in};
use crate::helpers::{err, ok, TestApp};
use crate::owners::{bind, delivered, delivery, VIN, VIN2};

const WECHAT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/4G";
const OWNER_PHONE: &str = "13900000201";

/// A booking from a phone (its cookie remembers who booked) at a dealer's first store.
async fn book(
    app: &TestApp,
    phone: &Client,
    dealer: &str,
    name: &str,
    number: &str,
    slot: usize,
) -> Booking {
    let offer: TestDriveOffer = app
        .get_ok(&format!("/api/v1/dealers/{dealer}/test-drive"))
        .await;
    let store = &offer.stores[0];
    let slots: SlotList = app
        .get_ok(&format!(
            "/api/v1/dealers/{dealer}/stores/{}/slots",
            store.store.id
        ))
        .await;
    let response = phone
        .post(app.url(&format!("/api/v1/dealers/{dealer}/bookings")))
        .json(&BookingRequest {
            series_id: store.series_ids[0].clone(),
            trim_id: None,
            slot_id: slots.slots[slot].id,
            contact: ContactForm {
                name: name.into(),
                phone: number.into(),
                consent_version: Some(PRIVACY_NOTICE_VERSION.into()),
            },
            licence: None,
            origin: Origin {
                page: "home".into(),
                button: "book-test-drive".into(),
                channel: None,
            },
        })
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{number}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// The store marks a test drive arrived, then completed.
async fn complete(app: &TestApp, staff: &Client, code: &str) {
    for status in ["arrived", "completed"] {
        let response = send(
            staff,
            app,
            "PUT",
            &format!("/api/v1/console/bookings/{code}/status"),
            json!({ "status": status }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "{code} {status}");
    }
}

async fn survey(app: &TestApp, phone: &Client, body: serde_json::Value) -> reqwest::Response {
    phone
        .post(app.url("/api/v1/dealers/demo/surveys"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A bound owner: their phone (with the owner and visitor cookies) and car.
async fn owner(app: &TestApp) -> (Client, i64) {
    let (_, _, done) = delivered(app, OWNER_PHONE, VIN).await;
    let phone = app.phone();
    ok::<OwnerHome>(bind(app, &phone, &done.binding.code).await).await;
    (phone, done.car_id)
}

/// The owner's referral link to the dealer's home page.
async fn referral_link(app: &TestApp, owner: &Client) -> ReferralLink {
    let response = owner
        .post(app.url("/api/v1/dealers/demo/owner/referral-link"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(
        [StatusCode::CREATED, StatusCode::OK].contains(&response.status()),
        "{}",
        response.status()
    );
    response.json().await.unwrap()
}

/// A person opens a link in WeChat.
async fn click(app: &TestApp, phone: &Client, path: &str) {
    let opened = phone
        .get(app.url(path))
        .header(header::USER_AGENT, WECHAT)
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::FOUND);
    app.clicks.flush().await;
}

async fn points_of(app: &TestApp, owner: &Client) -> OwnerPoints {
    get(owner, app, "/api/v1/dealers/demo/owner/points").await
}

/// The referral of a phone's lead: status and withheld reason.
async fn referral_of(app: &TestApp, number: &str) -> Option<(String, Option<String>)> {
    sqlx::query_as(
        "SELECT r.status, r.withheld_reason FROM referrals r JOIN leads le ON le.id = r.lead_id \
         WHERE le.phone = $1",
    )
    .bind(number)
    .fetch_optional(&app.db.pool)
    .await
    .unwrap()
}

both! {
    async fn a_completed_test_drive_is_surveyed_once_and_a_low_score_is_a_follow_up_only_a_manager_closes(app) {
        let phone = app.phone();
        let booking = book(&app, &phone, "demo", "评价人", "13900000301", 0).await;
        let pending = book(&app, &phone, "demo", "评价人", "13900000301", 1).await;
        let manager = sign_in(&app, "demo-manager").await;
        complete(&app, &manager, &booking.code).await;

        let visits: SurveyVisits = get(&phone, &app, "/api/v1/dealers/demo/surveys").await;
        assert_eq!(visits.visits.iter().map(|v| (v.kind, v.code.as_str(), v.answered)).collect::<Vec<_>>(), vec![(VisitKind::TestDrive, booking.code.as_str(), None)]);
        assert!(visits.visits[0].title.contains("试驾"), "{:?}", visits.visits[0]);
        let good = json!({"kind": "test_drive", "code": booking.code, "score": 5, "tags": ["等待太久", "服务热情"], "comment": "等了二十分钟"});

        let other = app.phone();
        book(&app, &other, "demo", "路人", "13900000302", 2).await;
        // Bad fields: 422 with the field, nothing written.
        let before = app.row_counts().await;
        let long = "慢".repeat(301);
        for (body, field, message) in [
            (json!({"kind": "test_drive", "code": booking.code, "score": 11}), "score", "请打0到10分"),
            (json!({"kind": "test_drive", "code": booking.code, "score": -1}), "score", "请打0到10分"),
            (json!({"kind": "test_drive", "code": booking.code, "score": 8, "tags": ["很好"]}), "tags", "请从给出的标签中选择"),
            (json!({"kind": "test_drive", "code": booking.code, "score": 8, "tags": ["服务热情", "服务热情"]}), "tags", "同一标签只能选一次"),
            (json!({"kind": "test_drive", "code": booking.code, "score": 8, "comment": long}), "comment", "留言最多300字"),
        ] {
            let e = err(survey(&app, &phone, body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!((e.error.field.as_deref(), e.error.message.as_str()), (Some(field), message));
        }
        // Someone else's visit, or nobody's: 404. A visit not completed: 409.
        let e = err(survey(&app, &other, good.clone()).await, StatusCode::NOT_FOUND).await;
        assert_eq!(e.error.message, "未找到您的到店记录");
        err(survey(&app, &app.phone(), good.clone()).await, StatusCode::NOT_FOUND).await;
        let e = err(survey(&app, &phone, json!({"kind": "test_drive", "code": pending.code, "score": 9})).await, StatusCode::CONFLICT).await;
        assert_eq!(e.error.code, "not_completed");
        assert_eq!(app.row_counts().await, before);

        // Answered once; the second answer is a 409 with the field.
        let thanks: SurveyThanks = {
            let response = survey(&app, &phone, good.clone()).await;
            assert_eq!(response.status(), StatusCode::CREATED);
            response.json().await.unwrap()
        };
        assert_eq!(thanks.points, 0, "a prospect's survey earns no points");
        let e = err(survey(&app, &phone, json!({"kind": "test_drive", "code": booking.code, "score": 10})).await, StatusCode::CONFLICT).await;
        assert_eq!((e.error.code.as_str(), e.error.field.as_deref()), ("already_answered", Some("code")));
        let visits: SurveyVisits = get(&phone, &app, "/api/v1/dealers/demo/surveys").await;
        assert_eq!(visits.visits[0].answered, Some(5));

        // The low score is on the managers' 今日, never a consultant's.
        let today: Today = get(&manager, &app, "/api/v1/console/today").await;
        assert_eq!(today.follow_ups.len(), 1);
        let follow = &today.follow_ups[0];
        assert_eq!((follow.score, follow.name.as_str(), follow.phone.as_str(), follow.code.as_str()), (5, "评价人", "13900000301", booking.code.as_str()));
        assert_eq!(follow.tags, vec!["服务热情", "等待太久"]);
        assert_eq!(follow.comment, "等了二十分钟");
        let consultant = sign_in(&app, "demo-wang").await;
        let theirs: Today = get(&consultant, &app, "/api/v1/console/today").await;
        assert!(theirs.follow_ups.is_empty());
        let path = format!("/api/v1/console/surveys/{}/follow-up", follow.id);
        for login in ["demo-wang", "demo-zhang"] {
            let staff = sign_in(&app, login).await;
            err(send(&staff, &app, "PUT", &path, json!({})).await, StatusCode::FORBIDDEN).await;
        }
        err(send(&sign_in(&app, "leap-manager").await, &app, "PUT", &path, json!({})).await, StatusCode::NOT_FOUND).await;
        assert_eq!(send(&manager, &app, "PUT", &path, json!({})).await.status(), StatusCode::NO_CONTENT);
        let e = err(send(&manager, &app, "PUT", &path, json!({})).await, StatusCode::CONFLICT).await;
        assert_eq!(e.error.code, "already_done");
        let today: Today = get(&manager, &app, "/api/v1/console/today").await;
        assert!(today.follow_ups.is_empty());
        // A high score opens nothing.
        let phone2 = app.phone();
        let happy = book(&app, &phone2, "demo", "满意", "13900000303", 3).await;
        complete(&app, &manager, &happy.code).await;
        assert_eq!(survey(&app, &phone2, json!({"kind": "test_drive", "code": happy.code, "score": 7})).await.status(), StatusCode::CREATED);
        let today: Today = get(&manager, &app, "/api/v1/console/today").await;
        assert!(today.follow_ups.is_empty());
    }
}

/// A completed service of the car (the service engineer's bookings), its code.
async fn completed_service(app: &TestApp, car_id: i64) -> String {
    let dealer = app.dealer_id("demo").await;
    let store: i64 =
        sqlx::query_scalar("SELECT id FROM stores WHERE dealer_id = $1 ORDER BY id LIMIT 1")
            .bind(dealer)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let day = server::clock::Clock::now().today().to_string();
    let slot: i64 = sqlx::query_scalar(
        "INSERT INTO service_slots (store_id, day, start_min, end_min, capacity, booked) \
         VALUES ($1, $2, 1405, 1435, 2, 1) RETURNING id",
    )
    .bind(store)
    .bind(&day)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let code = format!("SV{car_id:08}");
    sqlx::query(
        "INSERT INTO service_bookings (code, dealer_id, store_id, slot_id, car_id, work, status, \
         created_at, updated_at, completed_at) VALUES ($1, $2, $3, $4, $5, 'maintenance', 'completed', 1, 1, 1)",
    )
    .bind(&code)
    .bind(dealer)
    .bind(store)
    .bind(slot)
    .bind(car_id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    code
}

both! {
    async fn an_owners_service_survey_earns_points_once_and_the_ledger_shows_total_and_tier(app) {
        let (owner, car) = owner(&app).await;
        let fresh = points_of(&app, &owner).await;
        assert_eq!((fresh.total, fresh.tier, fresh.entries.len()), (0, Tier::Regular, 0));
        assert_eq!(fresh.next_tier, Some(NextTier { tier: Tier::Silver, needed: 1000 }));
        // No owner cookie: nothing to show.
        err(app.get("/api/v1/dealers/demo/owner/points").await, StatusCode::NOT_FOUND).await;

        let code = completed_service(&app, car).await;
        let visits: SurveyVisits = get(&owner, &app, "/api/v1/dealers/demo/surveys").await;
        assert_eq!(visits.visits.iter().map(|v| (v.kind, v.code.as_str())).collect::<Vec<_>>(), vec![(VisitKind::Service, code.as_str())]);
        // Another owner cannot answer for it.
        let (_, _, other) = delivered(&app, "13900000202", VIN2).await;
        let stranger = app.phone();
        ok::<OwnerHome>(bind(&app, &stranger, &other.binding.code).await).await;
        let body = json!({"kind": "service", "code": code, "score": 9, "tags": ["环境整洁"]});
        err(survey(&app, &stranger, body.clone()).await, StatusCode::NOT_FOUND).await;

        let response = survey(&app, &owner, body.clone()).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let thanks: SurveyThanks = response.json().await.unwrap();
        assert_eq!(thanks.points, 10);
        err(survey(&app, &owner, body).await, StatusCode::CONFLICT).await;
        let points = points_of(&app, &owner).await;
        assert_eq!(points.total, 10);
        assert_eq!(points.entries.len(), 1);
        assert_eq!((points.entries[0].points, points.entries[0].reason), (10, PointsReason::Survey));
        assert_eq!(points.entries[0].detail, format!("评价保养维修（{code}）"));
        assert_eq!((points.tier, points.next_tier), (Tier::Regular, Some(NextTier { tier: Tier::Silver, needed: 990 })));
        assert_eq!(points_of(&app, &stranger).await.total, 0);
    }
}

both! {
    async fn only_the_admin_sets_milestone_points_and_bad_values_are_refused(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let defaults: LoyaltySettings = get(&admin, &app, "/api/v1/console/loyalty").await;
        assert_eq!(defaults, LoyaltySettings::default());
        for login in ["demo-manager", "demo-wang", "demo-zhang"] {
            let staff = sign_in(&app, login).await;
            err(staff.get(app.url("/api/v1/console/loyalty")).send().await.unwrap(), StatusCode::FORBIDDEN).await;
            err(send(&staff, &app, "PUT", "/api/v1/console/loyalty", json!(defaults)).await, StatusCode::FORBIDDEN).await;
        }
        err(app.get("/api/v1/console/loyalty").await, StatusCode::UNAUTHORIZED).await;
        let good = json!({"survey_points": 20, "service_points": 60, "referral_drive_points": 300,
                          "referral_deliver_points": 5000, "worth": " 100积分抵10元保养工时费 "});
        let with = |key: &str, value: serde_json::Value| {
            let mut body = good.clone();
            body[key] = value;
            body
        };
        let before = app.row_counts().await;
        for (body, field) in [
            (with("survey_points", json!(-1)), "survey_points"),
            (with("service_points", json!(100_001)), "service_points"),
            (with("referral_drive_points", json!(-200)), "referral_drive_points"),
            (with("referral_deliver_points", json!(1_000_000)), "referral_deliver_points"),
            (with("worth", json!("积".repeat(201))), "worth"),
        ] {
            let e = err(send(&admin, &app, "PUT", "/api/v1/console/loyalty", body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.field.as_deref(), Some(field));
        }
        assert_eq!(app.row_counts().await, before);
        let saved: LoyaltySettings = ok(send(&admin, &app, "PUT", "/api/v1/console/loyalty", good).await).await;
        assert_eq!((saved.referral_deliver_points, saved.worth.as_str()), (5000, "100积分抵10元保养工时费"));
        let read: LoyaltySettings = get(&admin, &app, "/api/v1/console/loyalty").await;
        assert_eq!(read, saved);
        // Another dealer's admin sees their own defaults.
        let leap: LoyaltySettings = get(&sign_in(&app, "leap-admin").await, &app, "/api/v1/console/loyalty").await;
        assert_eq!(leap, LoyaltySettings::default());
        // The owner page shows the dealer's worth text.
        let (owner, _) = owner(&app).await;
        assert_eq!(points_of(&app, &owner).await.settings.worth, "100积分抵10元保养工时费");
    }
}

both! {
    async fn a_friends_completed_test_drive_and_delivery_through_an_owners_link_pay_once_each(app) {
        let (owner, _) = owner(&app).await;
        let link = referral_link(&app, &owner).await;
        assert_eq!((link.link.target.as_str(), link.qr_svg.clone()), ("/demo/", format!("/s/{}/qr.svg", link.link.code)));
        // One link system: the owner's share link, the same one asked again, and its QR.
        assert_eq!(referral_link(&app, &owner).await.link.code, link.link.code);
        let marked: (Option<i64>, Option<String>) = sqlx::query_as("SELECT owner_id, visitor FROM links WHERE code = $1").bind(&link.link.code).fetch_one(&app.db.pool).await.unwrap();
        let owner_visitor: Option<String> = sqlx::query_scalar("SELECT visitor FROM owners WHERE id = $1").bind(marked.0.unwrap()).fetch_one(&app.db.pool).await.unwrap();
        assert!(owner_visitor.is_some());
        assert_eq!(marked.1, owner_visitor);
        assert_eq!(app.get(&link.qr_svg).await.status(), StatusCode::OK);
        // Another page of the dealer, or no page of it.
        let model = owner.post(app.url("/api/v1/dealers/demo/owner/referral-link")).json(&json!({"target": "/demo/models/byd-qin-plus"})).send().await.unwrap();
        assert_eq!(model.status(), StatusCode::CREATED);
        let e = err(owner.post(app.url("/api/v1/dealers/demo/owner/referral-link")).json(&json!({"target": "https://evil.example/"})).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("target"));
        err(app.post_json("/api/v1/dealers/demo/owner/referral-link", &json!({})).await, StatusCode::NOT_FOUND).await;

        // A click and a booking earn nothing yet.
        let friend = app.phone();
        click(&app, &friend, &link.link.path).await;
        let booking = book(&app, &friend, "demo", "好友", "13900000401", 1).await;
        assert_eq!(referral_of(&app, "13900000401").await, Some(("booked".into(), None)));
        assert_eq!(points_of(&app, &owner).await.total, 0);

        // The test drive completed at the store: the drive points, once.
        let manager = sign_in(&app, "demo-manager").await;
        complete(&app, &manager, &booking.code).await;
        assert_eq!(referral_of(&app, "13900000401").await, Some(("test_driven".into(), None)));
        let after_drive = points_of(&app, &owner).await;
        assert_eq!(after_drive.total, 200);
        assert_eq!(after_drive.entries[0].reason, PointsReason::Referral);
        assert_eq!(after_drive.entries[0].detail, "推荐的好友（139****0401）完成试驾");
        // Completing it again is refused; a second test drive of the friend pays nothing more.
        let again = send(&manager, &app, "PUT", &format!("/api/v1/console/bookings/{}/status", booking.code), json!({"status": "completed"})).await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let second = book(&app, &friend, "demo", "好友", "13900000401", 2).await;
        complete(&app, &manager, &second.code).await;
        assert_eq!(points_of(&app, &owner).await.total, 200);
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM referrals").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(rows, 1, "one referral per friend");

        // The friend's car delivered: the delivery points, and the tier moves.
        let lead: i64 = sqlx::query_scalar("SELECT id FROM leads WHERE phone = '13900000401'").fetch_one(&app.db.pool).await.unwrap();
        let form: DeliveryForm = get(&manager, &app, &format!("/api/v1/console/leads/{lead}/delivery")).await;
        let delivered = send(&manager, &app, "POST", &format!("/api/v1/console/leads/{lead}/delivery"), delivery(&form, VIN2)).await;
        assert_eq!(delivered.status(), StatusCode::CREATED);
        assert_eq!(referral_of(&app, "13900000401").await, Some(("delivered".into(), None)));
        let points = points_of(&app, &owner).await;
        assert_eq!(points.total, 1200);
        assert_eq!(points.entries.iter().map(|e| (e.points, e.detail.as_str())).collect::<Vec<_>>(),
                   vec![(1000, "推荐的好友（139****0401）提车"), (200, "推荐的好友（139****0401）完成试驾")]);
        assert_eq!((points.tier, points.next_tier), (Tier::Silver, Some(NextTier { tier: Tier::Gold, needed: 3800 })));
        assert_eq!((points.referrals.delivered, points.referrals.withheld), (1, 0));

        // The console: admins and managers see it per owner; consultants may not.
        let list: Vec<OwnerReferrals> = get(&sign_in(&app, "demo-admin").await, &app, "/api/v1/console/referrals").await;
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].total_points, 1200);
        assert!(list[0].owner.contains("粤BD12345"), "{}", list[0].owner);
        let row = &list[0].referrals[0];
        assert_eq!((row.friend.as_str(), row.status, row.points, row.withheld_reason.clone()), ("好友 139****0401", ReferralStatus::Delivered, 1200, None));
        let _: Vec<OwnerReferrals> = get(&manager, &app, "/api/v1/console/referrals").await;
        err(sign_in(&app, "demo-wang").await.get(app.url("/api/v1/console/referrals")).send().await.unwrap(), StatusCode::FORBIDDEN).await;
        let leap: Vec<OwnerReferrals> = get(&sign_in(&app, "leap-admin").await, &app, "/api/v1/console/referrals").await;
        assert!(leap.is_empty());
    }
}

both! {
    async fn farming_referrals_are_withheld_with_their_reason_and_earn_nothing(app) {
        let (owner, _) = owner(&app).await;
        let link = referral_link(&app, &owner).await;
        // A phone the dealer knew before the referral.
        let known = app.phone();
        book(&app, &known, "demo", "老客户", "13900000501", 1).await;
        let manager = sign_in(&app, "demo-manager").await;
        let mut codes = Vec::new();

        // The owner's own phone, from a friend's browser.
        let friend = app.phone();
        click(&app, &friend, &link.link.path).await;
        codes.push(book(&app, &friend, "demo", "车主本人", OWNER_PHONE, 2).await.code);
        // A new phone from the owner's own browser.
        click(&app, &owner, &link.link.path).await;
        codes.push(book(&app, &owner, "demo", "小号", "13900000502", 3).await.code);
        // The known phone, through the link.
        let again = app.phone();
        click(&app, &again, &link.link.path).await;
        codes.push(book(&app, &again, "demo", "老客户", "13900000501", 4).await.code);

        for (number, reason) in [
            (OWNER_PHONE, withheld::OWN_PHONE),
            ("13900000502", withheld::SAME_VISITOR),
            ("13900000501", withheld::KNOWN_PHONE),
        ] {
            assert_eq!(referral_of(&app, number).await, Some(("withheld".into(), Some(reason.into()))), "{number}");
        }
        // Their test drives completed and one delivered: still nothing.
        for code in &codes {
            complete(&app, &manager, code).await;
        }
        let lead: i64 = sqlx::query_scalar("SELECT id FROM leads WHERE phone = '13900000502'").fetch_one(&app.db.pool).await.unwrap();
        let form: DeliveryForm = get(&manager, &app, &format!("/api/v1/console/leads/{lead}/delivery")).await;
        assert_eq!(send(&manager, &app, "POST", &format!("/api/v1/console/leads/{lead}/delivery"), delivery(&form, VIN2)).await.status(), StatusCode::CREATED);
        let points = points_of(&app, &owner).await;
        assert_eq!((points.total, points.entries.len(), points.referrals.withheld), (0, 0, 3));
        let ledger: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM points_ledger").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(ledger, 0);
        let statuses: Vec<String> = sqlx::query_scalar("SELECT status FROM referrals ORDER BY id").fetch_all(&app.db.pool).await.unwrap();
        assert_eq!(statuses, vec!["withheld"; 3]);

        // The admin sees each reason.
        let list: Vec<OwnerReferrals> = get(&sign_in(&app, "demo-admin").await, &app, "/api/v1/console/referrals").await;
        let mut reasons: Vec<String> = list[0].referrals.iter().filter_map(|r| r.withheld_reason.clone()).collect();
        reasons.sort();
        let mut expected = vec![withheld::OWN_PHONE.to_string(), withheld::SAME_VISITOR.into(), withheld::KNOWN_PHONE.into()];
        expected.sort();
        assert_eq!(reasons, expected);
        assert!(list[0].referrals.iter().all(|r| r.status == ReferralStatus::Withheld && r.points == 0));
    }
}

both! {
    async fn the_sixth_referral_of_a_beijing_day_is_withheld(app) {
        let (owner, _) = owner(&app).await;
        let link = referral_link(&app, &owner).await;
        let manager = sign_in(&app, "demo-manager").await;
        let mut codes = Vec::new();
        for i in 0..6 {
            let friend = app.phone();
            click(&app, &friend, &link.link.path).await;
            let number = format!("1390000060{i}");
            codes.push(book(&app, &friend, "demo", "好友", &number, i + 1).await.code);
        }
        for i in 0..5 {
            assert_eq!(referral_of(&app, &format!("1390000060{i}")).await, Some(("booked".into(), None)), "{i}");
        }
        assert_eq!(referral_of(&app, "13900000605").await, Some(("withheld".into(), Some(withheld::DAILY_CAP.into()))));
        for code in &codes {
            complete(&app, &manager, code).await;
        }
        assert_eq!(points_of(&app, &owner).await.total, 5 * 200, "the sixth earns nothing");
    }
}

both! {
    async fn another_dealers_referral_link_gives_nothing(app) {
        let (owner, _) = owner(&app).await;
        let link = referral_link(&app, &owner).await;
        // The friend opens the demo owner's link, then books at Leapmotor.
        let friend = app.phone();
        click(&app, &friend, &link.link.path).await;
        let booking = book(&app, &friend, "leapmotor", "好友", "13900000701", 0).await;
        assert_eq!(referral_of(&app, "13900000701").await, None);
        let manager = sign_in(&app, "leap-manager").await;
        complete(&app, &manager, &booking.code).await;
        assert_eq!(points_of(&app, &owner).await.total, 0);
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM referrals").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(rows, 0);
        // And a code of one dealer is no referral link at another: the Leapmotor page refuses it.
        let elsewhere = owner.post(app.url("/api/v1/dealers/leapmotor/owner/referral-link")).json(&json!({})).send().await.unwrap();
        err(elsewhere, StatusCode::NOT_FOUND).await;
    }
}
