//! The reminder scheduler on both databases: what falls due is made once per car, kind and day
//! and shown to the owner and as the advisor's task; what the owner already did (a service
//! booked, a newer reading) settles it; an owner who allowed WeChat reminders through OAuth
//! gets subscription messages at most 2 a month, never in the quiet hours, retried after a
//! failure without ever losing the reminder; two scheduler instances send each reminder once.

use reqwest::{Client, StatusCode};
use serde_json::json;
use server::reminders::{tick, Pass};
use server::wechat::WeChat;
use shared::date::Date;
use shared::owner::{DeliveryForm, OwnerHome};
use shared::reminder::{ReminderKind, ReminderTask};

use crate::console::{customer_books, get, send, sign_in};
use crate::fake_wechat::{APP_ID, SECRET};
use crate::helpers::{ok, TestApp};

const HOUR: i64 = 3_600_000;

fn today() -> Date {
    server::clock::Clock::now().today()
}

/// Unix ms of `hour`:00 Beijing time on `day`.
fn bj(day: Date, hour: i64) -> i64 {
    day.unix_days() * 24 * HOUR - 8 * HOUR + hour * HOUR
}

/// A scheduler instance of its own, calling the fake WeChat.
fn scheduler(app: &TestApp) -> WeChat {
    WeChat::new(&app.wechat.url, &app.wechat.url, &app.wechat.script())
}

/// A customer books and is delivered a car registered 23 months ago (its mark-only
/// inspection window is open, its first maintenance overdue) whose insurance ends in 20
/// days. Returns the car and its binding code.
async fn old_car(app: &TestApp, phone: &str, vin: &str) -> (i64, String) {
    let (_, lead, consultant) = customer_books(app, "车主", phone, 0).await;
    let staff = sign_in(app, &consultant).await;
    let path = format!("/api/v1/console/leads/{lead}/delivery");
    let form: DeliveryForm = get(&staff, app, &path).await;
    let registered = today().add_months(-23).to_string();
    let body = json!({
        "trim_id": form.trims[0].id, "vin": vin, "plate": "粤B·D12345",
        "delivered_on": registered, "registered_on": registered,
        "insurance_ends_on": today().add_days(20).to_string(),
        "odometer_km": 12, "advisor_id": form.advisors[0].id,
    });
    let response = send(&staff, app, "POST", &path, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let done: shared::owner::Delivered = response.json().await.unwrap();
    (done.car_id, done.binding.code)
}

async fn bind(app: &TestApp, code: &str) -> Client {
    let owner = app.phone();
    let response = owner
        .post(app.url("/api/v1/dealers/demo/owner/bind"))
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap();
    ok::<OwnerHome>(response).await;
    owner
}

async fn home(app: &TestApp, owner: &Client) -> OwnerHome {
    get(owner, app, "/api/v1/dealers/demo/owner").await
}

fn kinds(home: &OwnerHome) -> Vec<ReminderKind> {
    home.cars[0].reminders.iter().map(|r| r.kind).collect()
}

/// A maintenance service booked for the car, as the owner's booking writes it.
async fn book_maintenance(app: &TestApp, car: i64, day: Date) {
    let store: i64 = sqlx::query_scalar("SELECT id FROM stores ORDER BY id LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let dealer = app.dealer_id("demo").await;
    sqlx::query(
        "INSERT INTO service_slots (store_id, day, start_min, end_min, capacity, booked) \
         VALUES ($1, $2, 1400, 1430, 2, 1)",
    )
    .bind(store)
    .bind(day.to_string())
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO service_bookings (code, dealer_id, store_id, slot_id, car_id, work, \
             created_at, updated_at) \
         SELECT 'SVC12345', $1, $2, id, $3, 'maintenance', 0, 0 FROM service_slots \
         WHERE store_id = $2 AND day = $4 AND start_min = 1400",
    )
    .bind(dealer)
    .bind(store)
    .bind(car)
    .bind(day.to_string())
    .execute(&app.db.pool)
    .await
    .unwrap();
}

both! {
    async fn what_falls_due_is_made_once_shown_to_owner_and_advisor_and_settled_when_done(app) {
        let (car, code) = old_car(&app, "13900000201", "LVSFCFME37F107967").await;
        let wechat = scheduler(&app);
        let now = bj(today(), 10);
        let pass = tick(&app.db, &wechat, now).await.unwrap();
        assert_eq!((pass.cars, pass.made, pass.settled, pass.sent), (1, 3, 0, 0), "{pass:?}");
        // Again, and again on another instance: nothing new, nothing written.
        for _ in 0..2 {
            assert_eq!(tick(&app.db, &scheduler(&app), now).await.unwrap(), Pass { cars: 1, ..Pass::default() });
        }
        let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reminders").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(made, 3);

        let owner = bind(&app, &code).await;
        let shown = home(&app, &owner).await;
        // Soonest first: the overdue maintenance, the insurance in 20 days, the inspection.
        assert_eq!(kinds(&shown), [ReminderKind::Maintenance, ReminderKind::Insurance, ReminderKind::Inspection]);
        let insurance = shown.cars[0].reminders.iter().find(|r| r.kind == ReminderKind::Insurance).unwrap();
        assert_eq!(insurance.due_on, today().add_days(20));
        assert!(insurance.detail.contains("还有 20 天"), "{}", insurance.detail);
        assert!(!shown.wechat_reminders.offered && !shown.wechat_reminders.on);
        // A stranger sees none.
        assert!(home(&app, &app.phone()).await.cars.is_empty());

        // The car's advisor has three tasks; a consultant who is not the advisor has none.
        let advisor = sign_in(&app, "demo-zhang").await;
        let tasks: Vec<ReminderTask> = get(&advisor, &app, "/api/v1/console/reminders").await;
        assert_eq!(tasks.iter().filter(|t| t.car_id == car).count(), 3);
        assert!(tasks.iter().all(|t| t.plate == "粤BD12345" && t.sent_at.is_none()));
        let consultant = sign_in(&app, "demo-wang").await;
        let theirs: Vec<ReminderTask> = get(&consultant, &app, "/api/v1/console/reminders").await;
        assert!(theirs.is_empty(), "{theirs:?}");
        // Following one up: the consultant cannot (404), the advisor can, once it is gone.
        let insurance_task = tasks.iter().find(|t| t.kind == ReminderKind::Insurance).unwrap().id;
        let path = format!("/api/v1/console/reminders/{insurance_task}/done");
        assert_eq!(send(&consultant, &app, "POST", &path, json!({})).await.status(), StatusCode::NOT_FOUND);
        // Another dealer's manager neither sees nor follows up this dealer's reminders.
        let other = sign_in(&app, "leap-manager").await;
        let theirs: Vec<ReminderTask> = get(&other, &app, "/api/v1/console/reminders").await;
        assert!(theirs.is_empty(), "{theirs:?}");
        assert_eq!(send(&other, &app, "POST", &path, json!({})).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(send(&advisor, &app, "POST", &path, json!({})).await.status(), StatusCode::NO_CONTENT);
        let tasks: Vec<ReminderTask> = get(&advisor, &app, "/api/v1/console/reminders").await;
        assert_eq!(tasks.len(), 2);
        assert_eq!(send(&advisor, &app, "POST", "/api/v1/console/reminders/999999/done", json!({})).await.status(), StatusCode::NOT_FOUND);
        // The car's detail keeps all three, the followed-up one marked.
        let detail: shared::owner::CarDetail = get(&advisor, &app, &format!("/api/v1/console/cars/{car}")).await;
        assert_eq!(detail.reminders.len(), 3);
        assert!(detail.reminders.iter().any(|r| r.id == insurance_task && r.followed_up_at.is_some()));

        // The owner books the maintenance: its reminder is settled, off the page and the tasks.
        book_maintenance(&app, car, today().add_days(3)).await;
        let pass = tick(&app.db, &wechat, now).await.unwrap();
        assert_eq!((pass.made, pass.settled), (0, 1), "{pass:?}");
        assert!(!kinds(&home(&app, &owner).await).contains(&ReminderKind::Maintenance));
        let tasks: Vec<ReminderTask> = get(&advisor, &app, "/api/v1/console/reminders").await;
        assert_eq!(tasks.iter().map(|t| t.kind).collect::<Vec<_>>(), [ReminderKind::Inspection]);
        // The day before the booking, the booking itself is reminded.
        let pass = tick(&app.db, &wechat, bj(today().add_days(2), 10)).await.unwrap();
        assert_eq!(pass.made, 1, "{pass:?}");
        assert!(kinds(&home(&app, &owner).await).contains(&ReminderKind::ServiceBooking));
    }
}

both! {
    async fn a_newer_reading_that_moves_the_service_away_settles_its_reminder(app) {
        let (car, _) = old_car(&app, "13900000202", "LFV2A21K9N3123456").await;
        // A plan whose time limit is far off: only the distance can make it due.
        sqlx::query("UPDATE maintenance_plans SET first_km = 5000, first_months = 48").execute(&app.db.pool).await.unwrap();
        sqlx::query("UPDATE cars SET insurance_ends_on = NULL").execute(&app.db.pool).await.unwrap();
        // 2,988 km in the 10 days after the first reading, 30 days ago: 5,000 km is near.
        sqlx::query("UPDATE mileage_readings SET day = $1").bind(today().add_days(-30).to_string()).execute(&app.db.pool).await.unwrap();
        let insert = "INSERT INTO mileage_readings (car_id, day, km, created_at) VALUES ($1, $2, $3, 0)";
        sqlx::query(insert).bind(car).bind(today().add_days(-20).to_string()).bind(3000_i64).execute(&app.db.pool).await.unwrap();
        let wechat = scheduler(&app);
        let now = bj(today(), 10);
        tick(&app.db, &wechat, now).await.unwrap();
        let open = |kind: &'static str| {
            let db = app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM reminders WHERE kind = $1 AND settled_at IS NULL")
                    .bind(kind).fetch_one(&db.pool).await.unwrap()
            }
        };
        assert_eq!(open("maintenance").await, 1);
        // Today's reading shows a slower pace: 5,000 km is weeks away. Nothing to remind.
        sqlx::query(insert).bind(car).bind(today().to_string()).bind(3100_i64).execute(&app.db.pool).await.unwrap();
        let pass = tick(&app.db, &wechat, now).await.unwrap();
        assert_eq!(pass.settled, 1, "{pass:?}");
        assert_eq!(open("maintenance").await, 0);
    }
}

/// The admin saves the fake's official account with a reminder template.
async fn offer_wechat(app: &TestApp) {
    let admin = sign_in(app, "demo-admin").await;
    let body = json!({"app_id": APP_ID, "app_secret": SECRET, "domain": "che.example.com",
        "reminder_template": "TPL-reminder_1"});
    let response = admin
        .put(app.url("/api/v1/console/wechat"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let saved: shared::wechat::WeChatSettings = ok(response).await;
    assert_eq!(saved.reminder_template, "TPL-reminder_1");
}

/// The owner allows WeChat reminders: our page → WeChat's consent → back with a code. The
/// address the owner lands on.
async fn consent(app: &TestApp, owner: &Client) -> String {
    let location = |r: &reqwest::Response| {
        r.headers()
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    let start = owner
        .get(app.url("/api/v1/dealers/demo/owner/wechat"))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let wechat = location(&start);
    assert!(
        wechat.starts_with(&app.wechat.url)
            && wechat.contains("scope=snsapi_base")
            && wechat.ends_with("#wechat_redirect"),
        "{wechat}"
    );
    let authorized = owner
        .get(wechat.trim_end_matches("#wechat_redirect"))
        .send()
        .await
        .unwrap();
    assert_eq!(authorized.status(), StatusCode::FOUND);
    let back = owner.get(location(&authorized)).send().await.unwrap();
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    location(&back)
}

both! {
    async fn wechat_messages_keep_the_caps_and_quiet_hours_and_a_failure_is_retried_not_lost(app) {
        let (_, code) = old_car(&app, "13900000203", "LVSFCFME37F107967").await;
        let owner = bind(&app, &code).await;
        // Not offered yet: no consent to ask for.
        assert_eq!(owner.get(app.url("/api/v1/dealers/demo/owner/wechat")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
        offer_wechat(&app).await;
        // A forged state changes nothing.
        let forged = owner.get(app.url("/api/v1/dealers/demo/owner/wechat/back?code=OAUTH-CODE-1&state=forged")).send().await.unwrap();
        assert_eq!(forged.headers().get("location").unwrap(), "/demo/owner?wechat=failed");
        assert!(!home(&app, &owner).await.wechat_reminders.on);
        // A stranger cannot start it.
        assert_eq!(app.phone().get(app.url("/api/v1/dealers/demo/owner/wechat")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
        assert_eq!(consent(&app, &owner).await, "/demo/owner?wechat=on");
        let state = home(&app, &owner).await.wechat_reminders;
        assert!(state.offered && state.on);

        let wechat = scheduler(&app);
        // 22:00 in Beijing: made, held until nine.
        let pass = tick(&app.db, &wechat, bj(today(), 22)).await.unwrap();
        assert_eq!((pass.made, pass.sent, pass.held), (3, 0, 3), "{pass:?}");
        assert_eq!(app.wechat.send_calls(), 0);
        // 10:00 the next day, WeChat fails once: that one is retried later, the other two go.
        app.wechat.fail_sends(1);
        let morning = bj(today().add_days(1), 10);
        let pass = tick(&app.db, &wechat, morning).await.unwrap();
        assert_eq!((pass.sent, pass.failed), (2, 1), "{pass:?}");
        // The failed one is still on the page and in the advisor's task, with why.
        let shown = home(&app, &owner).await;
        assert_eq!(shown.cars[0].reminders.len(), 3);
        let advisor = sign_in(&app, "demo-zhang").await;
        let tasks: Vec<ReminderTask> = get(&advisor, &app, "/api/v1/console/reminders").await;
        assert_eq!(tasks.iter().filter(|t| t.last_error.is_some()).count(), 1, "{tasks:?}");
        // Before its backoff ends nothing is tried; after it, two went this month already: it
        // waits for the next month, however often the scheduler runs.
        let pass = tick(&app.db, &wechat, morning + 30_000).await.unwrap();
        assert_eq!(pass.sent + pass.failed + pass.held, 0, "{pass:?}");
        let pass = tick(&app.db, &wechat, morning + 2 * 60_000).await.unwrap();
        assert_eq!((pass.sent, pass.held), (0, 1), "{pass:?}");
        for later in [morning + HOUR, bj(today().add_days(2), 12)] {
            assert_eq!(tick(&app.db, &wechat, later).await.unwrap().sent, 0);
        }
        assert_eq!(app.wechat.messages().len(), 2);
        // The next month at ten it goes.
        let next_month = Date::new(today().year, today().month, 1).add_months(1);
        let pass = tick(&app.db, &wechat, bj(next_month, 10)).await.unwrap();
        assert_eq!(pass.sent, 1, "{pass:?}");
        let messages = app.wechat.messages();
        assert_eq!(messages.len(), 3);
        for m in &messages {
            assert_eq!(m["touser"], "OPENID-1");
            assert_eq!(m["template_id"], "TPL-reminder_1");
            assert_eq!(m["page"], "https://che.example.com/demo/owner");
            assert_eq!(m["data"]["car_number2"]["value"], "粤BD12345");
        }
        // The owner stops them: nothing more goes out, and what is due stays on the page.
        let stop = owner.delete(app.url("/api/v1/dealers/demo/owner/wechat")).send().await.unwrap();
        assert_eq!(stop.status(), StatusCode::NO_CONTENT);
        assert!(!home(&app, &owner).await.wechat_reminders.on);
        sqlx::query("UPDATE reminders SET sent_at = NULL, sent_to = NULL").execute(&app.db.pool).await.unwrap();
        let pass = tick(&app.db, &wechat, bj(next_month.add_months(2), 10)).await.unwrap();
        assert_eq!(pass.sent, 0, "{pass:?}");
        assert_eq!(app.wechat.messages().len(), 3);
        assert!(!home(&app, &owner).await.cars[0].reminders.is_empty());
    }
}

both! {
    async fn two_scheduler_instances_make_and_send_each_reminder_once(app) {
        let (_, code) = old_car(&app, "13900000204", "LVSFCFME37F107967").await;
        let owner = bind(&app, &code).await;
        offer_wechat(&app).await;
        consent(&app, &owner).await;
        let now = bj(today(), 10);
        let (a, b) = (scheduler(&app), scheduler(&app));
        let (one, two) = tokio::join!(tick(&app.db, &a, now), tick(&app.db, &b, now));
        let (one, two) = (one.unwrap(), two.unwrap());
        assert_eq!(one.made + two.made, 3, "{one:?} {two:?}");
        assert_eq!(one.sent + two.sent, 2, "{one:?} {two:?}");
        let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reminders").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(made, 3);
        assert_eq!(app.wechat.messages().len(), 2);
        let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reminders WHERE sent_at IS NOT NULL").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(sent, 2);
    }
}
