//! Test-drive booking through the API on both databases: slots from the stores' templates,
//! bookings that never overbook (200 at once, on one instance and on two), every bad input
//! refused with nothing written, replays, limits, cancel, reschedule and erasure.

use reqwest::StatusCode;
use shared::booking::{
    Booking, BookingRequest, BookingStatus, ContactForm, EnquiryReceipt, EnquiryRequest, Me,
    Origin, Slot, SlotFull, SlotList, TestDriveOffer,
};
use shared::contact::{Licence, PRIVACY_NOTICE_VERSION};

use crate::helpers::{err, TestApp};

const DEMO: &str = "/api/v1/dealers/demo";

pub(crate) fn contact(name: &str, phone: &str) -> ContactForm {
    ContactForm {
        name: name.into(),
        phone: phone.into(),
        consent_version: Some(PRIVACY_NOTICE_VERSION.into()),
    }
}

pub(crate) fn origin() -> Origin {
    Origin {
        page: "model".into(),
        button: "book-test-drive".into(),
        channel: Some("朋友圈".into()),
    }
}

pub(crate) fn booking(series: &str, slot: &Slot, name: &str, phone: &str) -> BookingRequest {
    BookingRequest {
        series_id: series.into(),
        trim_id: None,
        slot_id: slot.id,
        contact: contact(name, phone),
        licence: None,
        origin: origin(),
    }
}

/// What `/me` says to a browser that made nothing (the test servers can send SMS codes).
fn nobody() -> Me {
    Me {
        proof: shared::proof::Proof {
            sms: true,
            ..Default::default()
        },
        ..Me::default()
    }
}

/// A phone number unique to `n`.
pub(crate) fn phone(n: usize) -> String {
    format!("139{n:08}")
}

pub(crate) async fn offer(app: &TestApp) -> TestDriveOffer {
    app.get_ok(&format!("{DEMO}/test-drive")).await
}

/// The first store offering `series` and its bookable slots.
pub(crate) async fn slots_for(app: &TestApp, series: &str) -> (i64, Vec<Slot>) {
    let offer = offer(app).await;
    let store = offer
        .stores
        .iter()
        .find(|s| s.series_ids.iter().any(|id| id == series))
        .unwrap_or_else(|| panic!("no store test-drives {series}"));
    let list: SlotList = app
        .get_ok(&format!(
            "{DEMO}/stores/{}/slots?series={series}",
            store.store.id
        ))
        .await;
    (store.store.id, list.slots)
}

pub(crate) async fn free_slot(app: &TestApp, series: &str) -> Slot {
    let (_, slots) = slots_for(app, series).await;
    slots
        .into_iter()
        .find(|s| s.seats_left > 0)
        .expect("a free slot")
}

async fn seats_left(app: &TestApp, slot: &Slot) -> u16 {
    let list: SlotList = app
        .get_ok(&format!("{DEMO}/stores/{}/slots", slot.store_id))
        .await;
    list.slots
        .iter()
        .find(|s| s.id == slot.id)
        .expect("slot still listed")
        .seats_left
}

async fn book(client: &reqwest::Client, app: &TestApp, body: &BookingRequest) -> reqwest::Response {
    client
        .post(app.url(&format!("{DEMO}/bookings")))
        .json(body)
        .send()
        .await
        .expect("request")
}

pub(crate) async fn created<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

async fn set_capacity(app: &TestApp, slot: &Slot, capacity: i64) {
    sqlx::query("UPDATE slots SET capacity = $1 WHERE id = $2")
        .bind(capacity)
        .bind(slot.id)
        .execute(&app.db.pool)
        .await
        .expect("capacity");
}

async fn booked(app: &TestApp, slot: &Slot) -> (i64, i64) {
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM bookings WHERE slot_id = $1 AND status IN ('booked', 'confirmed')",
    )
    .bind(slot.id)
    .fetch_one(&app.db.pool)
    .await
    .expect("count");
    let counter: i64 = sqlx::query_scalar("SELECT booked FROM slots WHERE id = $1")
        .bind(slot.id)
        .fetch_one(&app.db.pool)
        .await
        .expect("booked");
    (open, counter)
}

both! {
    async fn every_demo_store_offers_fourteen_days_of_slots_from_its_templates(app) {
        let offer = offer(&app).await;
        assert_eq!(offer.stores.len(), 2);
        assert_eq!(offer.privacy_version, PRIVACY_NOTICE_VERSION);
        for store in &offer.stores {
            assert!(!store.series_ids.is_empty());
            let list: SlotList = app
                .get_ok(&format!("{DEMO}/stores/{}/slots", store.store.id))
                .await;
            let days: std::collections::BTreeSet<_> = list.slots.iter().map(|s| s.date).collect();
            assert!(days.len() >= 10, "{}: {} days", store.store.name, days.len());
            let last = offer.today.add_days(13);
            assert!(list.slots.iter().all(|s| s.date >= offer.today && s.date <= last));
            assert!(list.slots.iter().all(|s| s.seats_left > 0 && s.start < s.end));
            assert!(list.slots.windows(2).all(|w| (w[0].date, w[0].start) < (w[1].date, w[1].start)));
        }
        // the second demo store is closed on Sundays
        let second = &offer.stores[1];
        let list: SlotList = app
            .get_ok(&format!("{DEMO}/stores/{}/slots", second.store.id))
            .await;
        assert!(list.slots.iter().all(|s| s.date.weekday() != 7));

        let other = app.get_err(&format!("{DEMO}/stores/999999/slots"), StatusCode::NOT_FOUND).await;
        assert_eq!(other.error.code, "not_found");
        let leapmotor_store: i64 = sqlx::query_scalar(
            "SELECT s.id FROM stores s JOIN dealers d ON d.id = s.dealer_id WHERE d.slug = 'leapmotor'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        app.get_err(&format!("{DEMO}/stores/{leapmotor_store}/slots"), StatusCode::NOT_FOUND).await;
        let no_car = app
            .get_err(
                &format!("{DEMO}/stores/{}/slots?series=wuling-hongguang-mini-ev", second.store.id),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(no_car.error.field.as_deref(), Some("series"));
    }
}

both! {
    async fn a_booking_takes_a_seat_makes_a_lead_and_is_remembered_for_the_visitor(app) {
        let slot = free_slot(&app, "byd-qin-plus").await;
        let before = seats_left(&app, &slot).await;
        let browser = app.phone();
        // full-width digits typed with a Chinese IME, and the country code
        let body = booking("byd-qin-plus", &slot, " 买买提·艾力 ", "+86 １３８ １２３４ ５６７８");
        let made: Booking = created(book(&browser, &app, &body).await).await;
        assert_eq!(made.status, BookingStatus::Booked);
        assert_eq!(made.code.len(), 8);
        assert_eq!(made.name, "买买提·艾力");
        assert_eq!(made.phone, "138****5678");
        assert_eq!(made.series_name, "秦PLUS");
        assert_eq!(made.slot.id, slot.id);
        assert!(made.consultant.is_some());
        assert_eq!(seats_left(&app, &slot).await, before - 1);

        let (phone, consultant, page, channel): (String, Option<i64>, String, Option<String>) =
            sqlx::query_as(
                "SELECT phone, consultant_id, origin_page, origin_channel FROM leads WHERE phone = '13812345678'",
            )
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(phone, "13812345678");
        assert!(consultant.is_some());
        assert_eq!((page.as_str(), channel.as_deref()), ("model", Some("朋友圈")));
        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT e.kind FROM lead_events e JOIN leads l ON l.id = e.lead_id \
             WHERE l.phone = '13812345678' ORDER BY e.id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(kinds, ["assigned", "booked"]);

        // the confirmation, its calendar file, and the visitor's own page
        let again: Booking = browser.get(app.url(&format!("{DEMO}/bookings/{}", made.code))).send().await.unwrap().json().await.unwrap();
        assert_eq!(again, made);
        // another browser holding the code sees the name masked
        let masked: Booking = app.get_ok(&format!("{DEMO}/bookings/{}", made.code)).await;
        assert_eq!(masked, Booking { name: "买*****".into(), ..made.clone() });
        let ics = app.get(&format!("{DEMO}/bookings/{}/calendar.ics", made.code)).await;
        assert_eq!(ics.status(), StatusCode::OK);
        assert!(ics.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
        let ics = ics.text().await.unwrap();
        assert!(ics.contains("BEGIN:VEVENT") && ics.contains("DTSTART:") && ics.contains(&made.code), "{ics}");
        let me: Me = browser
            .get(app.url(&format!("{DEMO}/me")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me.name.as_deref(), Some("买买提·艾力"));
        assert_eq!(me.phone.as_deref(), Some("13812345678"));
        assert_eq!(me.consent_version.as_deref(), Some(PRIVACY_NOTICE_VERSION));
        assert_eq!(me.bookings.len(), 1);
        // another browser knows nothing of it
        let stranger: Me = app.get_ok(&format!("{DEMO}/me")).await;
        assert_eq!(stranger, nobody());
        app.get_err(&format!("/api/v1/dealers/leapmotor/bookings/{}", made.code), StatusCode::NOT_FOUND).await;
    }
}

both! {
    async fn bad_bookings_get_a_clear_answer_and_change_nothing(app) {
        let slot = free_slot(&app, "byd-qin-plus").await;
        let past: i64 = sqlx::query_scalar(
            "INSERT INTO slots (store_id, day, start_min, end_min, capacity) VALUES ($1, '2020-01-02', 600, 660, 3) RETURNING id",
        )
        .bind(slot.store_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let leapmotor_slot: i64 = sqlx::query_scalar(
            "SELECT sl.id FROM slots sl JOIN stores s ON s.id = sl.store_id JOIN dealers d ON d.id = s.dealer_id \
             WHERE d.slug = 'leapmotor' ORDER BY sl.day DESC LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        // a manual trim of the series, for the licence rule
        sqlx::query("UPDATE trims SET specs = $1 WHERE id = (SELECT id FROM trims WHERE series_id = 'byd-qin-plus' ORDER BY id LIMIT 1)")
            .bind(r#"{"transmission_type":"6挡手动"}"#)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let manual: String = sqlx::query_scalar("SELECT id FROM trims WHERE series_id = 'byd-qin-plus' ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let other_series_trim: String = sqlx::query_scalar("SELECT id FROM trims WHERE series_id = 'xiaomi-su7' LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let good = booking("byd-qin-plus", &slot, "张三", "13812345678");
        let with = |f: &dyn Fn(&mut BookingRequest)| {
            let mut b = good.clone();
            f(&mut b);
            b
        };
        let cases: Vec<(BookingRequest, &str)> = vec![
            (with(&|b| b.contact.phone = "1381234567".into()), "phone"),
            (with(&|b| b.contact.phone = "23812345678".into()), "phone"),
            (with(&|b| b.contact.phone = "9123 4567".into()), "phone"),
            (with(&|b| b.contact.phone = String::new()), "phone"),
            (with(&|b| b.contact.name = String::new()), "name"),
            (with(&|b| b.contact.name = "张".repeat(21)), "name"),
            (with(&|b| b.contact.name = "张\u{200b}三".into()), "name"),
            (with(&|b| b.contact.consent_version = None), "consent"),
            (with(&|b| b.contact.consent_version = Some("2020-01-01".into())), "consent"),
            (with(&|b| b.slot_id = 99_999_999), "slot"),
            (with(&|b| b.slot_id = past), "slot"),
            (with(&|b| b.slot_id = leapmotor_slot), "slot"),
            (with(&|b| b.series_id = "wuling-hongguang-mini-ev".into()), "series"),
            (with(&|b| b.trim_id = Some(other_series_trim.clone())), "trim"),
            (with(&|b| b.trim_id = Some("no-such-trim".into())), "trim"),
            (with(&|b| { b.trim_id = Some(manual.clone()); b.licence = Some(Licence::C2); }), "licence"),
            (with(&|b| b.origin.page = "<script>".into()), "origin"),
        ];
        let before = app.row_counts().await;
        for (body, field) in cases {
            let answer = err(app.post_json(&format!("{DEMO}/bookings"), &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(answer.error.field.as_deref(), Some(field), "{body:?}: {answer:?}");
        }
        let malformed = err(app.post_raw(&format!("{DEMO}/bookings"), "{\"series_id\": ").await, StatusCode::BAD_REQUEST).await;
        assert_eq!(malformed.error.code, "bad_json");
        let huge = format!("{{\"series_id\":\"{}\"}}", "x".repeat(70 * 1024));
        err(app.post_raw(&format!("{DEMO}/bookings"), huge).await, StatusCode::PAYLOAD_TOO_LARGE).await;
        let bad_key = app.client.post(app.url(&format!("{DEMO}/bookings"))).header("Idempotency-Key", "x".repeat(65)).json(&good).send().await.unwrap();
        err(bad_key, StatusCode::BAD_REQUEST).await;
        assert_eq!(app.row_counts().await, before, "a refused booking wrote something");

        // C1 covers the manual trim; markup is stored and returned as plain text
        let ok = with(&|b| {
            b.trim_id = Some(manual.clone());
            b.licence = Some(Licence::C1);
            b.contact.name = "<img src=x onerror=alert(1)>'; DROP TABLE leads;--".chars().take(20).collect();
        });
        let made: Booking = created(app.post_json(&format!("{DEMO}/bookings"), &ok).await).await;
        assert_eq!(made.name, ok.contact.name);
        assert_eq!(made.licence, Some(Licence::C1));
        assert!(app.tables().await.contains(&"leads".to_string()));
    }
}

both! {
    async fn a_full_slot_answers_409_with_the_nearest_free_slots_and_a_phone_books_a_slot_once(app) {
        let slot = free_slot(&app, "byd-qin-plus").await;
        set_capacity(&app, &slot, 1).await;
        created::<Booking>(app.post_json(&format!("{DEMO}/bookings"), &booking("byd-qin-plus", &slot, "甲", &phone(1))).await).await;
        let twice = err(app.post_json(&format!("{DEMO}/bookings"), &booking("byd-qin-plus", &slot, "甲", &phone(1))).await, StatusCode::CONFLICT).await;
        assert_eq!(twice.error.code, "duplicate");

        let before = app.row_counts().await;
        let response = app.post_json(&format!("{DEMO}/bookings"), &booking("byd-qin-plus", &slot, "乙", &phone(2))).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let full: SlotFull = response.json().await.unwrap();
        assert_eq!(full.error.code, "slot_full");
        assert!(full.error.message.contains("该时段已约满"));
        assert!(!full.free_slots.is_empty() && full.free_slots.len() <= 3);
        assert!(full.free_slots.iter().all(|s| s.seats_left > 0 && s.store_id == slot.store_id && s.id != slot.id));
        assert_eq!(app.row_counts().await, before);
        assert_eq!(booked(&app, &slot).await, (1, 1));

        // the database itself refuses more seats than the capacity, whoever writes
        let over = sqlx::query("UPDATE slots SET booked = capacity + 1 WHERE id = $1")
            .bind(slot.id)
            .execute(&app.db.pool)
            .await
            .expect_err("the CHECK refuses overbooking");
        assert_eq!(
            over.as_database_error().map(|d| d.kind()),
            Some(sqlx::error::ErrorKind::CheckViolation)
        );
    }
}

/// Sends 200 bookings for one slot of capacity 5 at once, from 200 phones, spread over the
/// given server addresses, and checks exactly 5 succeed and 195 are clean 409s.
async fn two_hundred_at_once(app: &TestApp, addresses: &[String]) {
    let slot = free_slot(app, "xiaomi-su7").await;
    set_capacity(app, &slot, 5).await;
    let mut tasks = Vec::new();
    for n in 0..200 {
        let client = app.client.clone();
        let url = format!("{}{DEMO}/bookings", addresses[n % addresses.len()]);
        let body = booking("xiaomi-su7", &slot, "并发", &phone(1000 + n));
        tasks.push(tokio::spawn(async move {
            let response = client.post(url).json(&body).send().await.expect("request");
            let status = response.status();
            let text = response.text().await.expect("body");
            (status, text)
        }));
    }
    let mut ok = 0;
    let mut full = 0;
    for task in tasks {
        let (status, text) = task.await.expect("task");
        match status {
            StatusCode::CREATED => ok += 1,
            StatusCode::CONFLICT => {
                let body: SlotFull = serde_json::from_str(&text).expect("slot_full body");
                assert_eq!(body.error.code, "slot_full");
                full += 1;
            }
            other => panic!("{other}: {text}"),
        }
    }
    assert_eq!((ok, full), (5, 195));
    assert_eq!(booked(app, &slot).await, (5, 5));
    let leads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads WHERE name = '并发'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(leads, 5, "a refused booking left a lead behind");
}

both! {
    async fn two_hundred_bookings_for_five_seats_give_five_bookings_and_195_clean_409s(app) {
        two_hundred_at_once(&app, std::slice::from_ref(&app.address)).await;
    }
}

both! {
    async fn two_instances_on_one_database_never_overbook_either(app) {
        let second = app.another_instance(&app.dist).await;
        two_hundred_at_once(&app, &[app.address.clone(), second]).await;
    }
}

both! {
    async fn a_retried_booking_with_its_idempotency_key_books_once(app) {
        let slot = free_slot(&app, "byd-qin-plus").await;
        let body = booking("byd-qin-plus", &slot, "重试", &phone(7));
        let send = |body: BookingRequest| {
            let client = app.client.clone();
            let url = app.url(&format!("{DEMO}/bookings"));
            async move {
                client.post(url).header("Idempotency-Key", "k-123").json(&body).send().await.unwrap()
            }
        };
        let first: Booking = created(send(body.clone()).await).await;
        let again: Booking = created(send(body.clone()).await).await;
        assert_eq!(first.code, again.code);
        assert_eq!(booked(&app, &slot).await, (1, 1));
        let mut other = body;
        other.contact.name = "别人".into();
        let refused = err(send(other).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused.error.field.as_deref(), Some("idempotency_key"));
        assert_eq!(booked(&app, &slot).await, (1, 1));
    }
}

both! {
    async fn twenty_retries_at_once_with_one_key_all_answer_201_with_one_booking(app) {
        let slot = free_slot(&app, "byd-qin-plus").await;
        let body = booking("byd-qin-plus", &slot, "同时重试", &phone(8));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let client = app.client.clone();
            let url = app.url(&format!("{DEMO}/bookings"));
            let body = body.clone();
            tasks.push(tokio::spawn(async move {
                let response = client
                    .post(url)
                    .header("Idempotency-Key", "same-retry-20")
                    .json(&body)
                    .send()
                    .await
                    .expect("request");
                let status = response.status();
                (status, response.text().await.expect("body"))
            }));
        }
        let mut codes = std::collections::BTreeSet::new();
        for task in tasks {
            let (status, text) = task.await.expect("task");
            assert_eq!(status, StatusCode::CREATED, "{text}");
            let booking: Booking = serde_json::from_str(&text).expect("a booking");
            codes.insert(booking.code);
        }
        assert_eq!(codes.len(), 1, "retries answered different bookings: {codes:?}");
        assert_eq!(booked(&app, &slot).await.0, 1);
    }
}

both! {
    async fn too_many_writes_from_one_visitor_get_429_with_retry_after(app) {
        let limited = app.instance(&app.dist, 2).await;
        let slot = free_slot(&app, "byd-qin-plus").await;
        let browser = app.phone();
        let url = format!("{limited}{DEMO}/enquiries");
        let enquiry = EnquiryRequest {
            series_id: Some("byd-qin-plus".into()),
            trim_id: None,
            contact: contact("限流", &phone(9)),
            origin: origin(),
        };
        for _ in 0..2 {
            let r = browser.post(&url).json(&enquiry).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
        }
        let response = browser
            .post(format!("{limited}{DEMO}/bookings"))
            .json(&booking("byd-qin-plus", &slot, "限流", &phone(9)))
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("retry-after").is_some());
        let body = err(response, StatusCode::TOO_MANY_REQUESTS).await;
        assert_eq!(body.error.code, "rate_limited");
        assert_eq!(booked(&app, &slot).await, (0, 0));
    }
}

both! {
    async fn a_visitor_cancels_and_moves_their_booking_and_seats_follow(app) {
        let (_, slots) = slots_for(&app, "byd-qin-plus").await;
        let (a, b, c) = (slots[0].clone(), slots[1].clone(), slots[2].clone());
        let browser = app.phone();
        let made: Booking = created(book(&browser, &app, &booking("byd-qin-plus", &a, "改期", &phone(20))).await).await;
        let me = format!("{DEMO}/me/bookings/{}", made.code);

        // another browser cannot touch it
        let stranger = app.client.delete(app.url(&me)).send().await.unwrap();
        err(stranger, StatusCode::NOT_FOUND).await;

        // not to a slot of another store, nor of another dealer
        let other_store = offer(&app).await.stores[1].store.id;
        let elsewhere: SlotList = app.get_ok(&format!("{DEMO}/stores/{other_store}/slots")).await;
        let refused = browser.put(app.url(&me)).json(&serde_json::json!({"slot_id": elsewhere.slots[0].id})).send().await.unwrap();
        assert_eq!(err(refused, StatusCode::UNPROCESSABLE_ENTITY).await.error.field.as_deref(), Some("slot"));
        let leapmotor_slot: i64 = sqlx::query_scalar(
            "SELECT sl.id FROM slots sl JOIN stores s ON s.id = sl.store_id JOIN dealers d ON d.id = s.dealer_id \
             WHERE d.slug = 'leapmotor' ORDER BY sl.day DESC LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let refused = browser.put(app.url(&me)).json(&serde_json::json!({"slot_id": leapmotor_slot})).send().await.unwrap();
        err(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(booked(&app, &a).await, (1, 1));

        // move to b, then try a full c
        let moved: Booking = browser.put(app.url(&me)).json(&serde_json::json!({"slot_id": b.id})).send().await.unwrap().json().await.unwrap();
        assert_eq!(moved.slot.id, b.id);
        assert_eq!((booked(&app, &a).await, booked(&app, &b).await), ((0, 0), (1, 1)));
        set_capacity(&app, &c, 1).await;
        created::<Booking>(app.post_json(&format!("{DEMO}/bookings"), &booking("byd-qin-plus", &c, "占位", &phone(21))).await).await;
        let full = browser.put(app.url(&me)).json(&serde_json::json!({"slot_id": c.id})).send().await.unwrap();
        assert_eq!(full.status(), StatusCode::CONFLICT);
        let full: SlotFull = full.json().await.unwrap();
        assert_eq!(full.error.code, "slot_full");
        assert_eq!(booked(&app, &b).await, (1, 1));

        let cancelled: Booking = browser.delete(app.url(&me)).send().await.unwrap().json().await.unwrap();
        assert_eq!(cancelled.status, BookingStatus::Cancelled);
        assert_eq!(booked(&app, &b).await, (0, 0));
        err(browser.delete(app.url(&me)).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT e.kind FROM lead_events e JOIN leads l ON l.id = e.lead_id WHERE l.phone = $1 ORDER BY e.id",
        )
        .bind(phone(20))
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(kinds, ["assigned", "booked", "rescheduled", "cancelled"]);
    }
}

both! {
    async fn deleting_my_data_cancels_my_bookings_and_erases_my_name_and_phone_at_once(app) {
        let slot = free_slot(&app, "byd-qin-plus").await;
        let browser = app.phone();
        let made: Booking = created(book(&browser, &app, &booking("byd-qin-plus", &slot, "删除我", &phone(30))).await).await;
        let enquiry = EnquiryRequest {
            series_id: None,
            trim_id: None,
            contact: contact("删除我", &phone(30)),
            origin: origin(),
        };
        created::<EnquiryReceipt>(browser.post(app.url(&format!("{DEMO}/enquiries"))).json(&enquiry).send().await.unwrap()).await;
        // erasing everything tied to the phone needs the phone proved
        let unproven = browser.delete(app.url(&format!("{DEMO}/me"))).send().await.unwrap();
        assert_eq!(err(unproven, StatusCode::FORBIDDEN).await.error.code, "phone_unproven");
        crate::privacy::prove(&app, &browser, &phone(30)).await;
        let response = browser.delete(app.url(&format!("{DEMO}/me"))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);

        let me: Me = browser.get(app.url(&format!("{DEMO}/me"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(me, nobody());
        assert_eq!(booked(&app, &slot).await, (0, 0));
        let after: Booking = app.get_ok(&format!("{DEMO}/bookings/{}", made.code)).await;
        assert_eq!(after.status, BookingStatus::Cancelled);
        assert_eq!((after.name.as_str(), after.phone.as_str()), ("", ""));
        let traces: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM leads WHERE phone = $1 OR name = '删除我') + \
             (SELECT COUNT(*) FROM bookings WHERE phone = $1 OR name = '删除我') + \
             (SELECT COUNT(*) FROM lead_events WHERE detail LIKE '%' || $1 || '%')",
        )
        .bind(phone(30))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(traces, 0, "name or phone left behind");
        // the anonymous count stays
        let erased: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads WHERE erased_at IS NOT NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(erased, 1);
    }
}

both! {
    async fn an_enquiry_makes_one_lead_per_phone_and_consultants_take_turns(app) {
        let ask = |n: usize, trim: Option<&str>| EnquiryRequest {
            series_id: Some("xiaomi-su7".into()),
            trim_id: trim.map(Into::into),
            contact: contact("询价", &phone(n)),
            origin: Origin { page: "compare".into(), button: "ask-price".into(), channel: None },
        };
        let first: EnquiryReceipt = created(app.post_json(&format!("{DEMO}/enquiries"), &ask(40, None)).await).await;
        let second: EnquiryReceipt = created(app.post_json(&format!("{DEMO}/enquiries"), &ask(41, None)).await).await;
        let (a, b) = (first.consultant.unwrap(), second.consultant.unwrap());
        assert_ne!(a, b, "round-robin gives the next lead to the other consultant");
        assert!(first.callback.contains(&a.name), "{}", first.callback);
        // the same phone again: the same lead and the same consultant
        let trim: String = sqlx::query_scalar("SELECT id FROM trims WHERE series_id = 'xiaomi-su7' LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let again: EnquiryReceipt = created(app.post_json(&format!("{DEMO}/enquiries"), &ask(40, Some(&trim))).await).await;
        assert_eq!(again.consultant.as_ref(), Some(&a));
        let leads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads WHERE name = '询价'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(leads, 2);

        let before = app.row_counts().await;
        let mut bad = ask(42, Some("no-such-trim"));
        err(app.post_json(&format!("{DEMO}/enquiries"), &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        bad.trim_id = None;
        bad.series_id = Some("no-such-series".into());
        err(app.post_json(&format!("{DEMO}/enquiries"), &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        bad.series_id = None;
        bad.contact.consent_version = None;
        let consent = err(app.post_json(&format!("{DEMO}/enquiries"), &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(consent.error.field.as_deref(), Some("consent"));
        assert_eq!(app.row_counts().await, before);
    }
}
