//! 离职继承 on both databases: a consultant's open leads (each with a timeline line), upcoming
//! bookings, bound visitors and share links move to a colleague in one action, closed leads
//! stay; the successor's 今日 lists them; run again it moves nothing; the departed's links and
//! showcase credit the successor afterwards; a service advisor's owners move to a service
//! advisor; every refusal (oneself, a disabled colleague, a role that cannot take leads,
//! another dealer's or an unknown person, a manager asking) with nothing moved; and a
//! hand-over while bookings arrive through the departed's link leaves every lead, booking
//! and link with exactly one of the two, those after it with the successor.

use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::booking::{Booking, SlotList, TestDriveOffer};
use shared::console::{LeadDetail, TaskKind, Today};
use shared::contact::PRIVACY_NOTICE_VERSION;
use shared::hand_over::{HandOverBoard, HandedOver, Holdings};
use shared::profile::ConsultantCard;

use crate::attribution::{click, staff_link};
use crate::console::{get, send, sign_in};
use crate::helpers::{err, ok, TestApp};

const WANG: &str = "王磊（演示）";
const LI: &str = "李娜（演示）";

async fn staff_id(app: &TestApp, login: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff WHERE login = $1")
        .bind(login)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The demo's free Qin PLUS test-drive slots.
async fn free_slots(app: &TestApp) -> Vec<i64> {
    let offer: TestDriveOffer = app.get_ok("/api/v1/dealers/demo/test-drive").await;
    let store = offer
        .stores
        .iter()
        .find(|s| s.series_ids.iter().any(|id| id == "byd-qin-plus"))
        .expect("a store");
    let slots: SlotList = app
        .get_ok(&format!(
            "/api/v1/dealers/demo/stores/{}/slots?series=byd-qin-plus",
            store.store.id
        ))
        .await;
    slots
        .slots
        .iter()
        .filter(|s| s.seats_left > 0)
        .map(|s| s.id)
        .collect()
}

/// A test drive booked from `phone`'s browser; the consultant it was credited to.
async fn book(app: &TestApp, phone: &Client, slot: i64, number: &str) -> String {
    let response = phone
        .post(app.url("/api/v1/dealers/demo/bookings"))
        .json(&json!({
            "series_id": "byd-qin-plus", "slot_id": slot,
            "name": "客户", "phone": number, "consent_version": PRIVACY_NOTICE_VERSION,
            "origin": {"page": "model", "button": "book-test-drive", "channel": "moments"}
        }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{number}: {text}");
    let booking: Booking = serde_json::from_str(&text).unwrap();
    booking.consultant.expect("a consultant").name
}

async fn hand_over(app: &TestApp, admin: &Client, from: i64, to: i64) -> reqwest::Response {
    send(
        admin,
        app,
        "POST",
        &format!("/api/v1/console/staff/{from}/hand-over"),
        json!({ "to": to }),
    )
    .await
}

async fn count(app: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// A consultant the demo does not have, added as SQL does until the staff page lands.
async fn add_staff(app: &TestApp, name: &str, role: &str, active: i64) -> i64 {
    let dealer = app.dealer_id("demo").await;
    sqlx::query_scalar(
        "INSERT INTO staff (dealer_id, role, name, phone, active) VALUES ($1, $2, $3, '0571-0000 0199', $4) RETURNING id",
    )
    .bind(dealer)
    .bind(role)
    .bind(name)
    .bind(active)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

both! {
    async fn handing_over_moves_open_leads_bookings_and_links_and_the_successor_sees_them_today(app) {
        let wang = sign_in(&app, "demo-wang").await;
        let link = staff_link(&app, &wang, "moments").await;
        let slots = free_slots(&app).await;
        let mut phones = Vec::new();
        for (i, number) in ["13900001801", "13900001802", "13900001803"].into_iter().enumerate() {
            let phone = app.phone();
            click(&app, &phone, &link).await;
            assert_eq!(book(&app, &phone, slots[i], number).await, WANG);
            phones.push(phone);
        }
        // A lead Wang lost stays his: history, not work to hand on.
        sqlx::query("UPDATE leads SET status = 'lost' WHERE phone = '13900001803'")
            .execute(&app.db.writer).await.unwrap();
        let (wang_id, li_id) = (staff_id(&app, "demo-wang").await, staff_id(&app, "demo-li").await);
        // Wang leaves (the people page's disable, by SQL until it lands).
        sqlx::query("UPDATE staff SET active = 0 WHERE id = $1").bind(wang_id)
            .execute(&app.db.writer).await.unwrap();

        let admin = sign_in(&app, "demo-admin").await;
        let board: HandOverBoard = get(&admin, &app, "/api/v1/console/hand-over").await;
        let before = board.staff.iter().find(|p| p.id == wang_id).expect("Wang on the board");
        assert!(!before.active);
        assert_eq!(before.holds, Holdings { leads: 2, bookings: 2, owners: 0, service_visits: 0, links: 1 });
        assert_eq!(board.staff[0].id, wang_id, "the departed come first");

        let done: HandedOver = ok(hand_over(&app, &admin, wang_id, li_id).await).await;
        assert_eq!((done.from.as_str(), done.to.as_str()), (WANG, LI));
        assert_eq!(done.moved, Holdings { leads: 2, bookings: 2, owners: 0, service_visits: 0, links: 1 });
        assert_eq!(count(&app, "SELECT COUNT(*) FROM leads WHERE consultant_id = $1 AND status <> 'lost'", wang_id).await, 0);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM leads WHERE consultant_id = $1 AND status = 'lost'", wang_id).await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM links WHERE staff_id = $1", li_id).await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM visitor_bindings WHERE staff_id = $1", wang_id).await, 0);
        assert_eq!(count(&app, "SELECT successor_id FROM staff WHERE id = $1", wang_id).await, li_id);

        // Li's 今日 lists the two at once; each lead's timeline says who handed it to whom.
        let li = sign_in(&app, "demo-li").await;
        let today: Today = get(&li, &app, "/api/v1/console/today").await;
        let handed: Vec<i64> = today.tasks.iter().filter(|t| t.kind == TaskKind::HandedOver)
            .filter_map(|t| t.lead_id).collect();
        assert_eq!(handed.len(), 2, "{:?}", today.tasks);
        for lead in &handed {
            let detail: LeadDetail = get(&li, &app, &format!("/api/v1/console/leads/{lead}")).await;
            assert!(detail.timeline.iter().any(|e| e.text == format!("离职继承：{WANG}的客户交给{LI}")
                && e.staff.as_deref() == Some("周敏（演示）")), "{:?}", detail.timeline);
            assert_eq!(detail.lead.consultant.map(|c| c.name).as_deref(), Some(LI));
        }
        // Her first call ends the task.
        let called = send(&li, &app, "POST", &format!("/api/v1/console/leads/{}/calls", handed[0]), json!({})).await;
        assert!(called.status().is_success());
        let today: Today = get(&li, &app, "/api/v1/console/today").await;
        assert_eq!(today.tasks.iter().filter(|t| t.kind == TaskKind::HandedOver).count(), 1);

        // Again: nothing left to move, nothing written twice.
        let again: HandedOver = ok(hand_over(&app, &admin, wang_id, li_id).await).await;
        assert_eq!(again.moved, Holdings::default());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM lead_events e JOIN leads l ON l.id = e.lead_id \
             WHERE e.detail LIKE '离职继承%' AND l.consultant_id = $1", li_id).await, 2);

        // Wang's link in a customer's chat still opens and now credits Li; his showcase shows her.
        let newcomer = app.phone();
        click(&app, &newcomer, &link).await;
        assert_eq!(book(&app, &newcomer, slots[3], "13900001804").await, LI);
        let card: ConsultantCard = app.get_ok("/api/v1/dealers/demo/consultants/wang").await;
        assert_eq!(card.name, LI);
        // A visitor Wang's lead bound books again: Li's.
        assert_eq!(book(&app, &phones[0], slots[4], "13900001801").await, LI);
    }
}

both! {
    async fn a_service_advisors_owners_move_to_another_service_advisor(app) {
        let (_, _, _) = crate::owners::delivered(&app, "13900001811", crate::owners::VIN).await;
        let zhang = staff_id(&app, "demo-zhang").await;
        let consultant = staff_id(&app, "demo-li").await;
        let successor = add_staff(&app, "吴芳（演示）", "service_advisor", 1).await;
        let admin = sign_in(&app, "demo-admin").await;
        // A consultant cannot look after owners.
        let refused = err(hand_over(&app, &admin, zhang, consultant).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused.error.field.as_deref(), Some("to"));
        assert!(refused.error.message.contains("服务顾问"), "{}", refused.error.message);
        let done: HandedOver = ok(hand_over(&app, &admin, zhang, successor).await).await;
        assert_eq!(done.moved.owners, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM cars WHERE advisor_id = $1", successor).await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM cars WHERE advisor_id = $1", zhang).await, 0);
    }
}

both! {
    async fn a_hand_over_is_refused_to_oneself_a_disabled_colleague_a_manager_and_strangers_with_nothing_moved(app) {
        let wang = sign_in(&app, "demo-wang").await;
        staff_link(&app, &wang, "moments").await;
        let (wang_id, manager_id) = (staff_id(&app, "demo-wang").await, staff_id(&app, "demo-manager").await);
        let gone = add_staff(&app, "钱多（演示）", "consultant", 0).await;
        let other_dealer = staff_id(&app, "leap-liu").await;
        let admin = sign_in(&app, "demo-admin").await;
        for (to, needle) in [(wang_id, "本人"), (gone, "已停用"), (manager_id, "销售经理")] {
            let refused = err(hand_over(&app, &admin, wang_id, to).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(refused.error.field.as_deref(), Some("to"));
            assert!(refused.error.message.contains(needle), "{}", refused.error.message);
        }
        for (from, to) in [(wang_id, other_dealer), (wang_id, 999_999), (other_dealer, wang_id), (999_999, wang_id)] {
            err(hand_over(&app, &admin, from, to).await, StatusCode::NOT_FOUND).await;
        }
        // Someone handed over cannot take over in turn.
        let li_id = staff_id(&app, "demo-li").await;
        let spare = add_staff(&app, "孙亮（演示）", "consultant", 1).await;
        ok::<HandedOver>(hand_over(&app, &admin, spare, li_id).await).await;
        err(hand_over(&app, &admin, wang_id, spare).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        for login in ["demo-manager", "demo-wang"] {
            let staff = sign_in(&app, login).await;
            err(hand_over(&app, &staff, wang_id, li_id).await, StatusCode::FORBIDDEN).await;
            let response = staff.get(app.url("/api/v1/console/hand-over")).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN);
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM links WHERE staff_id = $1", wang_id).await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM staff WHERE successor_id IS NOT NULL AND id = $1", wang_id).await, 0);
    }
}

both! {
    async fn a_hand_over_while_bookings_arrive_through_the_departed_link_loses_and_doubles_nothing(app) {
        const EARLY: usize = 16;
        const LATE: usize = 4;
        let wang = sign_in(&app, "demo-wang").await;
        let link = staff_link(&app, &wang, "moments").await;
        let slots = free_slots(&app).await;
        assert!(slots.len() >= EARLY + LATE, "{} free slots", slots.len());
        let mut phones = Vec::new();
        for _ in 0..EARLY + LATE {
            let phone = app.phone();
            click(&app, &phone, &link).await;
            phones.push(phone);
        }
        let (wang_id, li_id) = (staff_id(&app, "demo-wang").await, staff_id(&app, "demo-li").await);
        let admin = sign_in(&app, "demo-admin").await;
        let app = std::sync::Arc::new(app);
        let mut bookings = tokio::task::JoinSet::new();
        for (i, phone) in phones.iter().take(EARLY).enumerate() {
            let (app, phone, slot) = (app.clone(), phone.clone(), slots[i]);
            bookings.spawn(async move { book(&app, &phone, slot, &format!("1390000{:04}", 1900 + i)).await });
        }
        let moved: HandedOver = ok(hand_over(&app, &admin, wang_id, li_id).await).await;
        let credited = bookings.join_all().await;
        assert_eq!(credited.len(), EARLY);
        assert!(credited.iter().all(|name| name == WANG || name == LI), "{credited:?}");
        // Those credited to Wang were made before the hand-over and moved by it.
        let to_wang = credited.iter().filter(|name| *name == WANG).count() as i64;
        assert!(moved.moved.leads >= to_wang, "{moved:?} {to_wang}");
        // Bookings after the hand-over: the successor's.
        for (i, phone) in phones.iter().enumerate().skip(EARLY) {
            assert_eq!(book(&app, phone, slots[i], &format!("1390000{:04}", 1900 + i)).await, LI);
        }
        let total = (EARLY + LATE) as i64;
        let leads: Vec<(Option<i64>, i64)> = sqlx::query_as(
            "SELECT consultant_id, COUNT(*) FROM leads WHERE phone LIKE '13900001%' GROUP BY consultant_id",
        )
        .fetch_all(&app.db.pool).await.unwrap();
        assert_eq!(leads, vec![(Some(li_id), total)], "every lead is Li's, none lost or Wang's");
        let bookings: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM bookings b JOIN leads l ON l.id = b.lead_id \
             WHERE b.phone LIKE '13900001%' AND l.consultant_id = $1",
        )
        .bind(li_id).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(bookings, total);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM links WHERE staff_id = $1", wang_id).await, 0);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM links WHERE staff_id = $1", li_id).await, 1);
        // The moved leads each got exactly one line; those booked after, none.
        let lines = count(&app, "SELECT COUNT(*) FROM lead_events e JOIN leads l ON l.id = e.lead_id \
             WHERE e.detail LIKE '离职继承%' AND l.consultant_id = $1", li_id).await;
        assert_eq!(lines, moved.moved.leads);
        let again: HandedOver = ok(hand_over(&app, &admin, wang_id, li_id).await).await;
        assert_eq!(again.moved, Holdings::default());
    }
}
