//! Service bookings on both databases: an owner books a service slot for a bound car (seats
//! counted, a full slot 409 with free slots, two owners at once never overbook), another
//! owner's car or booking is a 404, cancel and reschedule free and take seats, bad inputs
//! write nothing; the service advisor lists and completes visits (a reading, the owner's
//! points once, the next maintenance from it; a km below the last writes nothing), consultants
//! get 403 and another dealer's staff 404; a store's service templates saved in the console.

use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::booking::{Slot, SlotFull, SlotList};
use shared::console::{StoreSaved, StoreView};
use shared::owner::OwnerHome;
use shared::service::{ServiceBooking, ServiceStatus, ServiceStores, ServiceWork, StaffService};

use crate::console::{get, send, sign_in};
use crate::helpers::{err, ok, TestApp};
use crate::owners::{bind, delivered};

/// A valid VIN, different for each `n`.
fn vin(n: u8) -> String {
    let mut chars: Vec<char> = format!("LVSFCFME07F1079{n:02}").chars().collect();
    chars[8] = shared::vin::check_digit(&chars.iter().collect::<String>()).unwrap();
    chars.into_iter().collect()
}

/// A customer whose car was delivered and who bound it on their phone: the phone and the car.
async fn owner_with_car(app: &TestApp, phone: &str, n: u8) -> (Client, i64) {
    let (_, _, done) = delivered(app, phone, &vin(n)).await;
    let owner = app.phone();
    ok::<OwnerHome>(bind(app, &owner, &done.binding.code).await).await;
    (owner, done.car_id)
}

/// The first service store of the demo dealer and its bookable slots.
async fn service_slots(app: &TestApp) -> (i64, Vec<Slot>) {
    let stores: ServiceStores = app.get_ok("/api/v1/dealers/demo/service/stores").await;
    assert_eq!(
        stores.stores.len(),
        2,
        "both demo stores take service bookings"
    );
    let store = stores.stores[0].id;
    let list: SlotList = app
        .get_ok(&format!(
            "/api/v1/dealers/demo/service/stores/{store}/slots"
        ))
        .await;
    assert!(list.slots.len() > 10, "two weeks of service slots");
    (store, list.slots)
}

async fn book(
    app: &TestApp,
    owner: &Client,
    car: i64,
    body: serde_json::Value,
) -> reqwest::Response {
    owner
        .post(app.url(&format!("/api/v1/dealers/demo/owner/cars/{car}/service")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn booked(app: &TestApp, owner: &Client, car: i64, slot: i64) -> ServiceBooking {
    let response = book(
        app,
        owner,
        car,
        json!({"slot_id": slot, "work": "maintenance", "note": "左前轮异响"}),
    )
    .await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn seats_taken(app: &TestApp, slot: i64) -> i64 {
    sqlx::query_scalar("SELECT booked FROM service_slots WHERE id = $1")
        .bind(slot)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn home(app: &TestApp, owner: &Client) -> OwnerHome {
    get(owner, app, "/api/v1/dealers/demo/owner").await
}

/// Moves a slot to yesterday, as if the visit's day had passed.
async fn to_yesterday(app: &TestApp, slot: i64) {
    let yesterday = server::clock::Clock::now().today().add_days(-1).to_string();
    sqlx::query("UPDATE service_slots SET day = $1 WHERE id = $2")
        .bind(yesterday)
        .bind(slot)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

fn service_path(code: &str) -> String {
    format!("/api/v1/dealers/demo/owner/service/{code}")
}

both! {
    async fn an_owner_books_a_service_slot_and_sees_it_at_home(app) {
        let (owner, car) = owner_with_car(&app, "13900000201", 1).await;
        let (store, slots) = service_slots(&app).await;
        let slot = &slots[1];
        let b = booked(&app, &owner, car, slot.id).await;
        assert_eq!((b.car_id, b.work, b.status, b.store.id, b.slot.id), (car, ServiceWork::Maintenance, ServiceStatus::Booked, store, slot.id));
        assert_eq!((b.note.as_str(), b.plate.as_str(), b.km), ("左前轮异响", "粤BD12345", None));
        assert_eq!(b.slot.seats_left, slot.seats_left - 1);
        assert_eq!(seats_taken(&app, slot.id).await, 1);
        let list: SlotList = app.get_ok(&format!("/api/v1/dealers/demo/service/stores/{store}/slots")).await;
        assert_eq!(list.slots.iter().find(|s| s.id == slot.id).unwrap().seats_left, slot.seats_left - 1);
        // Test-drive slots are a table of their own: untouched.
        let test_drive_taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM slots WHERE booked > 0").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(test_drive_taken, 1, "only the test drive that led to the delivery");

        let h = home(&app, &owner).await;
        assert_eq!(h.service, [b]);
        // The same car, the same slot again: refused, nothing taken.
        let e = err(book(&app, &owner, car, json!({"slot_id": slot.id, "work": "repair"})).await, StatusCode::CONFLICT).await;
        assert_eq!((e.error.code.as_str(), e.error.field.as_deref()), ("duplicate", Some("slot")));
        assert_eq!(seats_taken(&app, slot.id).await, 1);
        // Without the owner cookie there is nothing to book for.
        err(book(&app, &app.phone(), car, json!({"slot_id": slot.id, "work": "repair"})).await, StatusCode::NOT_FOUND).await;
    }
}

both! {
    async fn a_full_service_slot_answers_409_with_the_nearest_free_ones(app) {
        let (first, car1) = owner_with_car(&app, "13900000202", 2).await;
        let (second, car2) = owner_with_car(&app, "13900000203", 3).await;
        let (_, slots) = service_slots(&app).await;
        let slot = &slots[2];
        sqlx::query("UPDATE service_slots SET capacity = 1 WHERE id = $1").bind(slot.id).execute(&app.db.pool).await.unwrap();
        booked(&app, &first, car1, slot.id).await;
        let before = app.row_counts().await;
        let response = book(&app, &second, car2, json!({"slot_id": slot.id, "work": "repair"})).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let full: SlotFull = response.json().await.unwrap();
        assert_eq!((full.error.code.as_str(), full.error.message.as_str()), ("slot_full", "该时段已约满，请选择其他时段"));
        assert!(!full.free_slots.is_empty() && full.free_slots.iter().all(|s| s.seats_left > 0 && s.id != slot.id));
        assert_eq!(app.row_counts().await, before, "a full slot writes nothing");
    }
}

both! {
    async fn two_owners_booking_the_last_seat_at_once_never_overbook(app) {
        let (first, car1) = owner_with_car(&app, "13900000204", 4).await;
        let (second, car2) = owner_with_car(&app, "13900000205", 5).await;
        let (_, slots) = service_slots(&app).await;
        for slot in &slots[3..8] {
            sqlx::query("UPDATE service_slots SET capacity = 1 WHERE id = $1").bind(slot.id).execute(&app.db.pool).await.unwrap();
            let body = json!({"slot_id": slot.id, "work": "maintenance"});
            let (a, b) = tokio::join!(book(&app, &first, car1, body.clone()), book(&app, &second, car2, body.clone()));
            let mut statuses = [a.status(), b.status()];
            statuses.sort();
            assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT], "slot {}", slot.id);
            assert_eq!(seats_taken(&app, slot.id).await, 1);
            let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM service_bookings WHERE slot_id = $1").bind(slot.id).fetch_one(&app.db.pool).await.unwrap();
            assert_eq!(rows, 1);
        }
    }
}

both! {
    async fn retries_of_a_service_booking_with_one_key_sent_at_once_book_once(app) {
        let (owner, car) = owner_with_car(&app, "13900000206", 6).await;
        let (_, slots) = service_slots(&app).await;
        let slot = slots[2].id;
        let body = json!({"slot_id": slot, "work": "maintenance", "note": ""});
        let send = |body: serde_json::Value| {
            let owner = owner.clone();
            let url = app.url(&format!("/api/v1/dealers/demo/owner/cars/{car}/service"));
            async move {
                let response = owner.post(url).header("Idempotency-Key", "svc-retry").json(&body).send().await.unwrap();
                (response.status(), response.text().await.unwrap())
            }
        };
        let tasks: Vec<_> = (0..10).map(|_| tokio::spawn(send(body.clone()))).collect();
        let mut codes = std::collections::BTreeSet::new();
        for task in tasks {
            let (status, text) = task.await.unwrap();
            assert_eq!(status, StatusCode::CREATED, "{text}");
            codes.insert(serde_json::from_str::<ServiceBooking>(&text).unwrap().code);
        }
        assert_eq!(codes.len(), 1, "{codes:?}");
        assert_eq!(seats_taken(&app, slot).await, 1);
        // The same key with another request is refused, naming the header.
        let (status, text) = send(json!({"slot_id": slots[3].id, "work": "maintenance"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(text.contains("idempotency_key"), "{text}");
    }
}

both! {
    async fn another_owners_car_and_booking_are_404(app) {
        let (mine, car) = owner_with_car(&app, "13900000206", 6).await;
        let (theirs, _) = owner_with_car(&app, "13900000207", 7).await;
        let (_, slots) = service_slots(&app).await;
        let b = booked(&app, &mine, car, slots[0].id).await;
        let before = app.row_counts().await;
        let e = err(book(&app, &theirs, car, json!({"slot_id": slots[1].id, "work": "repair"})).await, StatusCode::NOT_FOUND).await;
        assert_eq!(e.error.message, "未找到该车辆");
        for client in [&theirs, &app.phone()] {
            err(client.delete(app.url(&service_path(&b.code))).send().await.unwrap(), StatusCode::NOT_FOUND).await;
            err(client.put(app.url(&service_path(&b.code))).json(&json!({"slot_id": slots[1].id})).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        }
        assert!(home(&app, &theirs).await.service.is_empty());
        // A car of another dealer's path: the cookie is per dealer.
        err(mine.post(app.url(&format!("/api/v1/dealers/leapmotor/owner/cars/{car}/service"))).json(&json!({"slot_id": slots[1].id, "work": "repair"})).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        assert_eq!(app.row_counts().await, before);
    }
}

both! {
    async fn cancel_and_reschedule_free_and_take_seats(app) {
        let (owner, car) = owner_with_car(&app, "13900000208", 8).await;
        let (other, car2) = owner_with_car(&app, "13900000209", 9).await;
        let (_, slots) = service_slots(&app).await;
        let (a, b, c) = (&slots[0], &slots[1], &slots[2]);
        let booking = booked(&app, &owner, car, a.id).await;

        let moved: ServiceBooking = ok(owner.put(app.url(&service_path(&booking.code))).json(&json!({"slot_id": b.id})).send().await.unwrap()).await;
        assert_eq!((moved.slot.id, moved.status), (b.id, ServiceStatus::Booked));
        assert_eq!((seats_taken(&app, a.id).await, seats_taken(&app, b.id).await), (0, 1));

        // A full slot: 409, and the booking stays where it was.
        sqlx::query("UPDATE service_slots SET capacity = 1 WHERE id = $1").bind(c.id).execute(&app.db.pool).await.unwrap();
        booked(&app, &other, car2, c.id).await;
        let response = owner.put(app.url(&service_path(&booking.code))).json(&json!({"slot_id": c.id})).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!((seats_taken(&app, b.id).await, seats_taken(&app, c.id).await), (1, 1));
        // The same slot, an unknown one.
        for (slot, message) in [(b.id, "新时段与原时段相同"), (999_999, "该时段不存在")] {
            let e = err(owner.put(app.url(&service_path(&booking.code))).json(&json!({"slot_id": slot})).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.message, message);
        }

        let cancelled: ServiceBooking = ok(owner.delete(app.url(&service_path(&booking.code))).send().await.unwrap()).await;
        assert_eq!(cancelled.status, ServiceStatus::Cancelled);
        assert_eq!(seats_taken(&app, b.id).await, 0);
        // Cancelled: neither cancelled again nor moved, and no seat is freed twice.
        for response in [
            owner.delete(app.url(&service_path(&booking.code))).send().await.unwrap(),
            owner.put(app.url(&service_path(&booking.code))).json(&json!({"slot_id": a.id})).send().await.unwrap(),
        ] {
            let e = err(response, StatusCode::CONFLICT).await;
            assert_eq!((e.error.code.as_str(), e.error.message.as_str()), ("not_open", "该预约已取消，不能再取消或改约"));
        }
        assert_eq!((seats_taken(&app, a.id).await, seats_taken(&app, b.id).await), (0, 0));
        assert_eq!(home(&app, &owner).await.service[0].status, ServiceStatus::Cancelled);

        // A visit whose day has passed can be neither cancelled nor moved.
        let past = booked(&app, &owner, car, slots[3].id).await;
        to_yesterday(&app, slots[3].id).await;
        let e = err(owner.delete(app.url(&service_path(&past.code))).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("slot"));
        err(owner.put(app.url(&service_path(&past.code))).json(&json!({"slot_id": slots[4].id})).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(seats_taken(&app, slots[3].id).await, 1);
    }
}

both! {
    async fn bad_service_requests_are_refused_in_chinese_and_write_nothing(app) {
        let (owner, car) = owner_with_car(&app, "13900000210", 10).await;
        let (_, slots) = service_slots(&app).await;
        let past = &slots[5];
        to_yesterday(&app, past.id).await;
        let before = app.row_counts().await;
        let long = "很".repeat(201);
        for (body, field) in [
            (json!({"slot_id": slots[0].id, "work": "wash"}), "work"),
            (json!({"slot_id": slots[0].id, "work": ""}), "work"),
            (json!({"slot_id": slots[0].id, "work": "repair", "note": long}), "note"),
            (json!({"slot_id": past.id, "work": "repair"}), "slot"),
            (json!({"slot_id": 999_999, "work": "repair"}), "slot"),
            (json!({"slot_id": 0, "work": "repair"}), "slot"),
            (json!({"work": "repair"}), "slot_id"),
        ] {
            let e = err(book(&app, &owner, car, body.clone()).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.field.as_deref(), Some(field), "{body}");
        }
        let url = app.url(&format!("/api/v1/dealers/demo/owner/cars/{car}/service"));
        let e = err(owner.post(&url).header("content-type", "application/json").body("{\"slot_id\": 1,").send().await.unwrap(), StatusCode::BAD_REQUEST).await;
        assert_eq!(e.error.code, "bad_json");
        let big = format!("{{\"slot_id\":1,\"work\":\"repair\",\"note\":\"{}\"}}", "x".repeat(70 * 1024));
        err(owner.post(&url).header("content-type", "application/json").body(big).send().await.unwrap(), StatusCode::PAYLOAD_TOO_LARGE).await;
        assert_eq!(app.row_counts().await, before);
    }
}

both! {
    async fn the_advisor_completes_a_visit_with_its_reading_and_the_owners_points_once(app) {
        let (owner, car) = owner_with_car(&app, "13900000211", 11).await;
        let (_, slots) = service_slots(&app).await;
        let visit = booked(&app, &owner, car, slots[0].id).await;
        let later = booked(&app, &owner, car, slots.last().unwrap().id).await;
        to_yesterday(&app, slots[0].id).await;
        let advisor = sign_in(&app, "demo-zhang").await;
        let list: Vec<StaffService> = get(&advisor, &app, "/api/v1/console/service").await;
        let shown = list.iter().find(|s| s.code == visit.code).expect("yesterday's open visit is listed");
        assert_eq!((shown.car_id, shown.odometer_km, shown.owner_phone.as_deref()), (car, 12, Some("13900000211")));
        assert!(list.iter().any(|s| s.code == later.code));
        let status = |code: &str| format!("/api/v1/console/service/{code}/status");

        // Below the last reading (12 km at delivery): refused, nothing written.
        let before = app.row_counts().await;
        let e = err(send(&advisor, &app, "PUT", &status(&visit.code), json!({"status": "completed", "km": 5})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!((e.error.field.as_deref(), e.error.message.as_str()), (Some("km"), "里程不能低于上次记录的12公里"));
        let e = err(send(&advisor, &app, "PUT", &status(&visit.code), json!({"status": "completed"})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("km"));
        // A visit whose day has not come.
        err(send(&advisor, &app, "PUT", &status(&later.code), json!({"status": "completed", "km": 900})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(app.row_counts().await, before);
        let still: String = sqlx::query_scalar("SELECT status FROM service_bookings WHERE code = $1").bind(&visit.code).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(still, "booked", "a refused completion changes nothing");

        let done: StaffService = ok(send(&advisor, &app, "PUT", &status(&visit.code), json!({"status": "completed", "km": 5012})).await).await;
        assert_eq!((done.status, done.km, done.odometer_km), (ServiceStatus::Completed, Some(5012), 5012));
        let readings: Vec<(i64, Option<i64>)> = sqlx::query_as("SELECT km, staff_id FROM mileage_readings WHERE car_id = $1 ORDER BY id").bind(car).fetch_all(&app.db.pool).await.unwrap();
        assert_eq!(readings.len(), 2);
        assert_eq!(readings[1].0, 5012);
        assert!(readings[1].1.is_some(), "read by the advisor");
        let ledger: Vec<(i64, String, String)> = sqlx::query_as("SELECT points, reason, source FROM points_ledger").fetch_all(&app.db.pool).await.unwrap();
        let id: i64 = sqlx::query_scalar("SELECT id FROM service_bookings WHERE code = $1").bind(&visit.code).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(ledger, [(50, "service".to_string(), format!("service:{id}"))]);

        // Once: a second completion is refused and pays nothing.
        let e = err(send(&advisor, &app, "PUT", &status(&visit.code), json!({"status": "completed", "km": 6000})).await, StatusCode::CONFLICT).await;
        assert_eq!(e.error.code, "not_open");
        let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM points_ledger").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(entries, 1);

        // The owner sees it done, and the next maintenance counts from it.
        let h = home(&app, &owner).await;
        assert_eq!(h.service.iter().find(|s| s.code == visit.code).map(|s| (s.status, s.km)), Some((ServiceStatus::Completed, Some(5012))));
        let interval: i64 = sqlx::query_scalar("SELECT p.interval_km FROM maintenance_plans p JOIN cars c ON c.series_id = p.series_id AND c.dealer_id = p.dealer_id WHERE c.id = $1").bind(car).fetch_one(&app.db.pool).await.unwrap();
        let due = h.cars[0].maintenance.expect("a plan");
        assert_eq!(due.due_km, 5012 + interval);
        assert!(due.due_by_time > server::clock::Clock::now().today().add_days(150), "{due:?}");
        assert_eq!(h.cars[0].odometer_km, 5012);
    }
}

both! {
    async fn a_no_show_is_recorded_without_points_or_reading(app) {
        let (owner, car) = owner_with_car(&app, "13900000212", 12).await;
        let (_, slots) = service_slots(&app).await;
        let visit = booked(&app, &owner, car, slots[0].id).await;
        to_yesterday(&app, slots[0].id).await;
        let manager = sign_in(&app, "demo-manager").await;
        let done: StaffService = ok(send(&manager, &app, "PUT", &format!("/api/v1/console/service/{}/status", visit.code), json!({"status": "no_show"})).await).await;
        assert_eq!((done.status, done.km), (ServiceStatus::NoShow, None));
        let (entries, readings): (i64, i64) = sqlx::query_as("SELECT (SELECT COUNT(*) FROM points_ledger), (SELECT COUNT(*) FROM mileage_readings WHERE car_id = $1)").bind(car).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!((entries, readings), (0, 1));
        let e = err(send(&manager, &app, "PUT", &format!("/api/v1/console/service/{}/status", visit.code), json!({"status": "cancelled"})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("status"));
    }
}

both! {
    async fn consultants_get_403_and_another_dealers_staff_404(app) {
        let (owner, car) = owner_with_car(&app, "13900000213", 13).await;
        let (_, slots) = service_slots(&app).await;
        let visit = booked(&app, &owner, car, slots[0].id).await;
        to_yesterday(&app, slots[0].id).await;
        let path = format!("/api/v1/console/service/{}/status", visit.code);
        let body = json!({"status": "completed", "km": 800});
        let consultant = sign_in(&app, "demo-wang").await;
        let strangers = [sign_in(&app, "leap-qian").await, sign_in(&app, "leap-manager").await];
        let before = app.row_counts().await;
        // No session: 401.
        err(app.get("/api/v1/console/service").await, StatusCode::UNAUTHORIZED).await;
        err(app.client.put(app.url(&path)).json(&body).send().await.unwrap(), StatusCode::UNAUTHORIZED).await;
        err(consultant.get(app.url("/api/v1/console/service")).send().await.unwrap(), StatusCode::FORBIDDEN).await;
        err(send(&consultant, &app, "PUT", &path, body.clone()).await, StatusCode::FORBIDDEN).await;
        for (login, stranger) in ["leap-qian", "leap-manager"].into_iter().zip(&strangers) {
            let list: Vec<StaffService> = get(stranger, &app, "/api/v1/console/service").await;
            assert!(list.iter().all(|s| s.code != visit.code), "{login}");
            err(send(stranger, &app, "PUT", &path, body.clone()).await, StatusCode::NOT_FOUND).await;
        }
        assert_eq!(app.row_counts().await, before);
        // The dealer's manager sees it, with the phone.
        let manager = sign_in(&app, "demo-manager").await;
        let list: Vec<StaffService> = get(&manager, &app, "/api/v1/console/service").await;
        assert_eq!(list.iter().find(|s| s.code == visit.code).and_then(|s| s.owner_phone.clone()).as_deref(), Some("13900000213"));
    }
}

both! {
    async fn a_store_saves_its_service_templates_with_their_own_capacity(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let stores: Vec<StoreView> = get(&manager, &app, "/api/v1/console/stores").await;
        let view = &stores[0];
        assert_eq!(view.setup.service_templates.len(), 1, "seeded");
        let test_drive_before: SlotList = app.get_ok(&format!("/api/v1/dealers/demo/stores/{}/slots", view.store.id)).await;
        let mut setup = view.setup.clone();
        setup.service_templates[0].capacity = 7;
        setup.service_templates[0].slot_minutes = 120;
        let saved: StoreSaved = ok(send(&manager, &app, "PUT", &format!("/api/v1/console/stores/{}", view.store.id), serde_json::to_value(&setup).unwrap()).await).await;
        assert_eq!(saved.view.setup.service_templates, setup.service_templates);
        let list: SlotList = app.get_ok(&format!("/api/v1/dealers/demo/service/stores/{}/slots", view.store.id)).await;
        assert!(list.slots.iter().all(|s| s.seats_left == 7 && s.end.minutes() - s.start.minutes() == 120));
        let test_drive_after: SlotList = app.get_ok(&format!("/api/v1/dealers/demo/stores/{}/slots", view.store.id)).await;
        assert_eq!(test_drive_after, test_drive_before, "test drives keep their own slots");

        setup.service_templates[0].capacity = 0;
        let e = err(send(&manager, &app, "PUT", &format!("/api/v1/console/stores/{}", view.store.id), serde_json::to_value(&setup).unwrap()).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!((e.error.field.as_deref(), e.error.message.as_str()), (Some("service_templates"), "保养维修时段：每场可约人数须在1到50之间"));
        // No service templates: the store leaves the list of service stores.
        setup.service_templates.clear();
        ok::<StoreSaved>(send(&manager, &app, "PUT", &format!("/api/v1/console/stores/{}", view.store.id), serde_json::to_value(&setup).unwrap()).await).await;
        let stores: ServiceStores = app.get_ok("/api/v1/dealers/demo/service/stores").await;
        assert!(stores.stores.iter().all(|s| s.id != view.store.id));
    }
}

both! {
    async fn hostile_text_bad_bodies_and_bursts_change_nothing(app) {
        let (owner, car) = owner_with_car(&app, "13900000301", 31).await;
        let (_, slots) = service_slots(&app).await;
        // Markup and SQL in the note are kept as text, never run.
        let payload = "<script>alert(1)</script>' OR 1=1; DROP TABLE cars; --";
        let response = book(&app, &owner, car, json!({"slot_id": slots[0].id, "work": "repair", "note": payload})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let made: ServiceBooking = response.json().await.unwrap();
        assert_eq!(made.note, payload);
        let cars: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cars").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(cars, 1);
        let path = app.url(&format!("/api/v1/dealers/demo/owner/cars/{car}/service"));
        // Malformed JSON: 400. Over 64 KiB: 413. Neither writes.
        let broken = owner.post(&path).header("content-type", "application/json").body("{\"slot_id\": ").send().await.unwrap();
        assert_eq!(err(broken, StatusCode::BAD_REQUEST).await.error.code, "bad_json");
        let huge = json!({"slot_id": slots[1].id, "work": "repair", "note": "长".repeat(30_000)});
        let large = owner.post(&path).json(&huge).send().await.unwrap();
        assert_eq!(err(large, StatusCode::PAYLOAD_TOO_LARGE).await.error.code, "too_large");
        // A burst from one owner on an instance allowing 2 writes a minute: the third is 429.
        let limited = app.instance(&app.dist, 2).await;
        let limited_path = format!("{limited}/api/v1/dealers/demo/owner/cars/{car}/service");
        for slot in &slots[1..3] {
            let r = owner.post(&limited_path).json(&json!({"slot_id": slot.id, "work": "other"})).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
        }
        let r = owner.post(&limited_path).json(&json!({"slot_id": slots[3].id, "work": "other"})).send().await.unwrap();
        assert!(r.headers().get("retry-after").is_some());
        assert_eq!(err(r, StatusCode::TOO_MANY_REQUESTS).await.error.code, "rate_limited");
        let written: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM service_bookings").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(written, 3);
        assert_eq!(seats_taken(&app, slots[3].id).await, 0);
    }
}
