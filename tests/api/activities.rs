//! Activities (试驾会, 车主讲堂, 新车上市) on both databases: a manager adds, edits and cancels
//! one and buyers see what is to come; a sign-up makes a lead with its origin `活动：<title>`
//! credited by the attribution rule test drives use; seats are never overbooked under a race;
//! a retried sign-up with one key signs up once; every bad input is a 422 naming its field and
//! writes nothing; another dealer's staff get 404 and consultants may not write; a person who
//! erases their data gives their seats back.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shared::activity::{
    Activity, ActivityDesk, ActivityList, ActivityPage, ActivityState, SignupDone, SignupList,
};
use shared::contact::PRIVACY_NOTICE_VERSION;

use crate::attribution::{click, staff_link};
use crate::console::sign_in;
use crate::helpers::{err, ok, TestApp};

const CONSUMER: &str = "/api/v1/dealers/demo/activities";
const DESK: &str = "/api/v1/console/activities";
const LI: &str = "李娜（演示）";

fn day(offset: i64) -> String {
    server::clock::Clock::now()
        .today()
        .add_days(offset)
        .to_string()
}

fn draft(title: &str, seats: i64) -> Value {
    json!({
        "kind": "test_drive_day", "title": title, "description": "到店试驾，赠送车模",
        "date": day(3), "start": "14:00", "end": "16:00", "place": "本店展厅",
        "seats": seats, "series_id": "xiaomi-su7", "store_id": null,
    })
}

async fn add(manager: &Client, app: &TestApp, body: &Value) -> reqwest::Response {
    manager
        .post(app.url(DESK))
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn created(manager: &Client, app: &TestApp, body: &Value) -> Activity {
    let response = add(manager, app, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("an activity")
}

fn signup(name: &str, phone: &str, party: i64) -> Value {
    json!({
        "name": name, "phone": phone, "consent_version": PRIVACY_NOTICE_VERSION,
        "party_size": party, "channel": null,
    })
}

async fn sign_up(client: &Client, app: &TestApp, id: i64, body: &Value) -> reqwest::Response {
    client
        .post(app.url(&format!("{CONSUMER}/{id}/signups")))
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn signed(client: &Client, app: &TestApp, id: i64, body: &Value) -> SignupDone {
    let response = sign_up(client, app, id, body).await;
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str(&text).expect("a sign-up")
}

async fn taken(app: &TestApp, id: i64) -> (i64, i64) {
    let taken: i64 = sqlx::query_scalar("SELECT taken FROM activities WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let rows: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(party_size), 0) AS BIGINT) FROM activity_signups WHERE activity_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    (taken, rows)
}

both! {
    async fn a_manager_adds_edits_and_cancels_and_buyers_see_what_is_to_come(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let seeded: ActivityList = app.get_ok(CONSUMER).await;
        assert_eq!(seeded.activities.len(), 2, "the demo's two activities");
        let made = created(&manager, &app, &draft(" 冬季试驾会 ", 20)).await;
        assert_eq!((made.title.as_str(), made.seats_left, made.state), ("冬季试驾会", 20, ActivityState::Open));
        assert_eq!(made.series_name.as_deref(), Some("小米SU7"));
        let list: ActivityList = app.get_ok(CONSUMER).await;
        assert_eq!(list.activities.first().map(|a| a.id), Some(made.id), "soonest first");
        let page: ActivityPage = app.get_ok(&format!("{CONSUMER}/{}", made.id)).await;
        assert_eq!(page.activity.seats_text(), "剩余 20 席");
        // The share card (the shell's title) names it.
        let shell = app.get(&format!("/demo/activities/{}", made.id)).await.text().await.unwrap();
        assert!(shell.contains("冬季试驾会 - "), "{shell}");

        let mut changed = draft("冬季试驾会（加场）", 30);
        changed["place"] = json!("二号展厅");
        let saved: Activity = ok(manager.put(app.url(&format!("{DESK}/{}", made.id))).json(&changed).send().await.unwrap()).await;
        assert_eq!((saved.title.as_str(), saved.place.as_str(), saved.seats), ("冬季试驾会（加场）", "二号展厅", 30));
        let desk: ActivityDesk = ok(manager.get(app.url(DESK)).send().await.unwrap()).await;
        assert!(desk.can_edit);
        assert!(desk.activities.iter().any(|a| a.id == made.id && a.place == "二号展厅"));

        // Seats may not drop below those signed up.
        signed(&app.phone(), &app, made.id, &signup("张三", "13900000201", 3)).await;
        let fewer = err(manager.put(app.url(&format!("{DESK}/{}", made.id))).json(&draft("冬季试驾会", 2)).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(fewer.error.field.as_deref(), Some("seats"));

        let cancelled: Activity = ok(manager.post(app.url(&format!("{DESK}/{}/cancel", made.id))).send().await.unwrap()).await;
        assert_eq!(cancelled.state, ActivityState::Cancelled);
        let list: ActivityList = app.get_ok(CONSUMER).await;
        assert!(list.activities.iter().all(|a| a.id != made.id), "a cancelled activity is gone");
        app.get_err(&format!("{CONSUMER}/{}", made.id), StatusCode::NOT_FOUND).await;
        let refused = err(sign_up(&app.phone(), &app, made.id, &signup("李四", "13900000202", 1)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused.error.code, "closed");

        // An activity that has ended drops off the list by the clock alone, and refuses sign-ups.
        let other = created(&manager, &app, &draft("已结束的讲堂", 10)).await;
        sqlx::query("UPDATE activities SET starts_at = starts_at - $1, ends_at = ends_at - $1, day = $3 WHERE id = $2")
            .bind(4 * 86_400_000_i64).bind(other.id).bind(day(-1)).execute(&app.db.pool).await.unwrap();
        let list: ActivityList = app.get_ok(CONSUMER).await;
        assert!(list.activities.iter().all(|a| a.id != other.id));
        let page: ActivityPage = app.get_ok(&format!("{CONSUMER}/{}", other.id)).await;
        assert_eq!(page.activity.seats_text(), "已结束");
        let refused = err(sign_up(&app.phone(), &app, other.id, &signup("李四", "13900000202", 1)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused.error.code, "closed");
        assert_eq!(taken(&app, other.id).await, (0, 0));
    }
}

both! {
    async fn a_sign_up_is_a_lead_from_the_activity_credited_to_the_consultant_whose_link_brought_them(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let made = created(&manager, &app, &draft("新车品鉴会", 10)).await;
        // Round-robin would give the first lead to 王磊: 李娜's link takes it instead.
        let li = sign_in(&app, "demo-li").await;
        let link = staff_link(&app, &li, "moments").await;
        let friend = app.phone();
        click(&app, &friend, &link).await;
        let done = signed(&friend, &app, made.id, &signup("赵六", "13900000301", 2)).await;
        assert_eq!(done.party_size, 2);
        assert_eq!(done.activity.seats_left, 8);
        assert_eq!(done.consultant.as_ref().map(|c| c.name.as_str()), Some(LI));
        let (consultant, page, button, credited): (String, String, String, Option<String>) = sqlx::query_as(
            "SELECT s.name, l.origin_page, l.origin_button, l.credited_by FROM leads l \
             JOIN staff s ON s.id = l.consultant_id WHERE l.phone = '13900000301'",
        ).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!((consultant.as_str(), page.as_str(), button.as_str(), credited.as_deref()),
                   (LI, "activity", "活动：新车品鉴会", Some("link")));
        assert_eq!(shared::booking::origin_label(&page, &button, None), "活动：新车品鉴会");

        // The console's list: the manager sees the phone; the other consultant sees it masked.
        let list: SignupList = ok(manager.get(app.url(&format!("{DESK}/{}/signups", made.id))).send().await.unwrap()).await;
        assert_eq!(list.signups.len(), 1);
        assert_eq!((list.signups[0].name.as_str(), list.signups[0].phone.as_str()), ("赵六", "13900000301"));
        assert_eq!(list.signups[0].consultant_name.as_deref(), Some(LI));
        let wang = sign_in(&app, "demo-wang").await;
        let masked: SignupList = ok(wang.get(app.url(&format!("{DESK}/{}/signups", made.id))).send().await.unwrap()).await;
        assert_eq!(masked.signups[0].phone, "139****0301");
        let own: SignupList = ok(li.get(app.url(&format!("{DESK}/{}/signups", made.id))).send().await.unwrap()).await;
        assert_eq!(own.signups[0].phone, "13900000301");

        // The same phone twice: 409 duplicate, no seat taken.
        let twice = err(sign_up(&app.phone(), &app, made.id, &signup("赵六", "139 0000 0301", 1)).await, StatusCode::CONFLICT).await;
        assert_eq!(twice.error.code, "duplicate");
        assert_eq!(taken(&app, made.id).await, (2, 2));
        // A party bigger than the seats left: 409 full, in Chinese.
        let small = created(&manager, &app, &draft("小班讲堂", 2)).await;
        signed(&app.phone(), &app, small.id, &signup("钱七", "13900000302", 2)).await;
        let full = err(sign_up(&app.phone(), &app, small.id, &signup("孙八", "13900000303", 1)).await, StatusCode::CONFLICT).await;
        assert_eq!(full.error.code, "full");
        assert!(full.error.message.contains("名额已满"), "{}", full.error.message);
        let page: ActivityPage = app.get_ok(&format!("{CONSUMER}/{}", small.id)).await;
        assert_eq!(page.activity.seats_text(), "已满");
    }
}

both! {
    async fn forty_sign_ups_at_once_for_five_seats_never_overbook(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let made = created(&manager, &app, &draft("限量试驾会", 5)).await;
        let mut tasks = Vec::new();
        for n in 0..40 {
            let client = app.client.clone();
            let url = app.url(&format!("{CONSUMER}/{}/signups", made.id));
            let body = signup("并发", &format!("1390000{:04}", 4000 + n), 1);
            tasks.push(tokio::spawn(async move {
                let response = client.post(url).json(&body).send().await.expect("request");
                let status = response.status();
                (status, response.text().await.expect("body"))
            }));
        }
        let (mut done, mut full) = (0, 0);
        for task in tasks {
            let (status, text) = task.await.expect("task");
            match status {
                StatusCode::CREATED => done += 1,
                StatusCode::CONFLICT => {
                    assert!(text.contains("\"full\""), "{text}");
                    full += 1;
                }
                other => panic!("{other}: {text}"),
            }
        }
        assert_eq!((done, full), (5, 35));
        assert_eq!(taken(&app, made.id).await, (5, 5));
        let leads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads WHERE name = '并发'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(leads, 5, "a refused sign-up left a lead behind");
    }
}

both! {
    async fn a_retried_sign_up_with_one_key_signs_up_once(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let made = created(&manager, &app, &draft("重试讲堂", 10)).await;
        let send = |body: Value| {
            let client = app.client.clone();
            let url = app.url(&format!("{CONSUMER}/{}/signups", made.id));
            async move { client.post(url).header("Idempotency-Key", "act-1").json(&body).send().await.unwrap() }
        };
        let body = signup("重试", "13900000501", 2);
        let mut codes = std::collections::BTreeSet::new();
        for _ in 0..3 {
            let response = send(body.clone()).await;
            assert_eq!(response.status(), StatusCode::CREATED);
            let done: SignupDone = response.json().await.unwrap();
            codes.insert(done.code);
        }
        assert_eq!(codes.len(), 1);
        assert_eq!(taken(&app, made.id).await, (2, 2));
        let refused = err(send(signup("别人", "13900000502", 1)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused.error.field.as_deref(), Some("idempotency_key"));
        assert_eq!(taken(&app, made.id).await, (2, 2));
    }
}

both! {
    async fn every_bad_input_is_a_422_naming_its_field_and_writes_nothing(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let made = created(&manager, &app, &draft("校验讲堂", 10)).await;
        let before = app.row_counts().await;
        let with = |key: &str, value: Value| {
            let mut body = draft("好活动", 10);
            body[key] = value;
            body
        };
        let drafts = [
            (with("title", json!("  ")), "title"),
            (with("title", json!("长".repeat(31))), "title"),
            (with("title", json!("试驾\u{200B}会")), "title"),
            (with("description", json!("介".repeat(501))), "description"),
            (with("date", json!(day(-1))), "date"),
            (with("date", json!("1999-01-01")), "date"),
            (with("end", json!("13:00")), "end"),
            (with("place", json!("")), "place"),
            (with("seats", json!(0)), "seats"),
            (with("seats", json!(501)), "seats"),
            (with("series_id", json!("no-such-series")), "series_id"),
            (with("store_id", json!(999_999)), "store_id"),
        ];
        for (body, field) in &drafts {
            let refused = err(add(&manager, &app, body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(refused.error.field.as_deref(), Some(*field), "{body}");
        }
        let signups = [
            (signup("", "13900000601", 1), "name"),
            (signup("张三", "12345", 1), "phone"),
            (json!({"name": "张三", "phone": "13900000601", "consent_version": null, "party_size": 1}), "consent"),
            (signup("张三", "13900000601", 0), "party_size"),
            (signup("张三", "13900000601", 6), "party_size"),
            (json!({"name": "张三", "phone": "13900000601", "consent_version": PRIVACY_NOTICE_VERSION, "party_size": 1, "channel": "a b"}), "origin"),
        ];
        for (body, field) in &signups {
            let refused = err(sign_up(&app.phone(), &app, made.id, body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(refused.error.field.as_deref(), Some(*field), "{body}");
        }
        assert_eq!(app.row_counts().await, before, "a refused request wrote something");
        app.get_err(&format!("{CONSUMER}/999999"), StatusCode::NOT_FOUND).await;
    }
}

both! {
    async fn another_dealers_staff_get_404_and_consultants_may_only_read(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let made = created(&manager, &app, &draft("本店活动", 10)).await;
        let consultant = sign_in(&app, "demo-li").await;
        let desk: ActivityDesk = ok(consultant.get(app.url(DESK)).send().await.unwrap()).await;
        assert!(!desk.can_edit);
        assert_eq!(add(&consultant, &app, &draft("顾问活动", 5)).await.status(), StatusCode::FORBIDDEN);
        let put = consultant.put(app.url(&format!("{DESK}/{}", made.id))).json(&draft("改", 5)).send().await.unwrap();
        assert_eq!(put.status(), StatusCode::FORBIDDEN);
        let cancel = consultant.post(app.url(&format!("{DESK}/{}/cancel", made.id))).send().await.unwrap();
        assert_eq!(cancel.status(), StatusCode::FORBIDDEN);

        let stranger = sign_in(&app, "leap-manager").await;
        let put = stranger.put(app.url(&format!("{DESK}/{}", made.id))).json(&draft("改", 5)).send().await.unwrap();
        err(put, StatusCode::NOT_FOUND).await;
        err(stranger.post(app.url(&format!("{DESK}/{}/cancel", made.id))).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        err(stranger.get(app.url(&format!("{DESK}/{}/signups", made.id))).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        let theirs: ActivityDesk = ok(stranger.get(app.url(DESK)).send().await.unwrap()).await;
        assert!(theirs.activities.iter().all(|a| a.id != made.id));
        // Nor is it the other dealer's to show.
        let slug: String = sqlx::query_scalar("SELECT d.slug FROM dealers d JOIN staff s ON s.dealer_id = d.id WHERE s.login = $1")
            .bind("leap-manager").fetch_one(&app.db.pool).await.unwrap();
        app.get_err(&format!("/api/v1/dealers/{slug}/activities/{}", made.id), StatusCode::NOT_FOUND).await;
    }
}

both! {
    async fn a_person_who_erases_their_data_gives_their_seats_back(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let made = created(&manager, &app, &draft("隐私讲堂", 5)).await;
        let browser = app.phone();
        signed(&browser, &app, made.id, &signup("吴九", "13900000701", 3)).await;
        assert_eq!(taken(&app, made.id).await, (3, 3));
        crate::privacy::prove(&app, &browser, "13900000701").await;
        let erased = browser.delete(app.url("/api/v1/dealers/demo/me")).send().await.unwrap();
        assert_eq!(erased.status(), StatusCode::NO_CONTENT);
        assert_eq!(taken(&app, made.id).await, (0, 0));
        let traces: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity_signups WHERE phone = '13900000701' OR name = '吴九'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(traces, 0);
    }
}
