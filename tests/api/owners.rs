//! The owner centre's API on both databases: a consultant delivers a lead's car (every bad
//! field refused with nothing written), the owner binds it once with the printed code (forged,
//! used, expired and replaced codes answered in Chinese), readings that never go down,
//! another owner's car a 404, masking of VINs and phones in the console, search, a new code
//! ending the old binding, the dealer's maintenance plans, and payloads kept as text.

use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::owner::{
    BindingCode, BindingState, CarDetail, CarSummary, Delivered, DeliveryForm, OwnerCar, OwnerHome,
    PlanRow,
};

use crate::console::{customer_books, get, send, sign_in};
use crate::helpers::{err, ok, TestApp};

pub const VIN: &str = "LVSFCFME37F107967";
pub const VIN2: &str = "LFV2A21K9N3123456";

fn today() -> String {
    server::clock::Clock::now().today().to_string()
}

/// A delivery that passes every rule, for the lead's form.
pub fn delivery(form: &DeliveryForm, vin: &str) -> serde_json::Value {
    let day = today();
    json!({
        "trim_id": form.trims[0].id,
        "vin": vin,
        "plate": "粤B·D12345",
        "delivered_on": day,
        "registered_on": day,
        "odometer_km": 12,
        "advisor_id": form.advisors[0].id,
    })
}

/// A customer books, their consultant delivers: the consultant's phone, the lead, the car and
/// its code.
pub async fn delivered(app: &TestApp, phone: &str, vin: &str) -> (Client, i64, Delivered) {
    let (_, lead, consultant) = customer_books(app, "车主甲", phone, 0).await;
    let staff = sign_in(app, &consultant).await;
    let form: DeliveryForm = get(
        &staff,
        app,
        &format!("/api/v1/console/leads/{lead}/delivery"),
    )
    .await;
    let response = send(
        &staff,
        app,
        "POST",
        &format!("/api/v1/console/leads/{lead}/delivery"),
        delivery(&form, vin),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let done: Delivered = response.json().await.unwrap();
    (staff, lead, done)
}

pub async fn bind(app: &TestApp, phone: &Client, code: &str) -> reqwest::Response {
    phone
        .post(app.url("/api/v1/dealers/demo/owner/bind"))
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap()
}

async fn my_cars(app: &TestApp, phone: &Client) -> Vec<OwnerCar> {
    let home: OwnerHome = get(phone, app, "/api/v1/dealers/demo/owner").await;
    home.cars
}

async fn reading(app: &TestApp, phone: &Client, car: i64, km: i64) -> reqwest::Response {
    phone
        .post(app.url(&format!("/api/v1/dealers/demo/owner/cars/{car}/readings")))
        .json(&json!({ "km": km }))
        .send()
        .await
        .unwrap()
}

both! {
    async fn a_delivered_car_is_bound_once_by_its_code_and_shows_what_is_due(app) {
        let (_, lead, done) = delivered(&app, "13900000101", VIN).await;
        assert!(done.binding.url.ends_with(&format!("/demo/owner/bind/{}", done.binding.code)), "{}", done.binding.url);
        assert!(done.binding.qr_svg.contains("<svg"));
        let status: String = sqlx::query_scalar("SELECT status FROM leads WHERE id = $1").bind(lead).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(status, "delivered");

        let owner = app.phone();
        let response = bind(&app, &owner, &done.binding.code).await;
        // The owner cookie, beside the visitor cookie the owner bound with (kept as theirs).
        let cookies: Vec<String> = response.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap().to_string()).collect();
        assert!(cookies.iter().any(|c| c.starts_with("cl_demo=")), "{cookies:?}");
        let cookie = cookies.iter().find(|c| c.starts_with("co_demo=")).cloned().unwrap_or_default();
        assert!(cookie.starts_with("co_demo=") && cookie.contains("HttpOnly"), "{cookie}");
        assert!(!cookie.contains(&format!("co_demo={};", done.car_id)), "the cookie is sealed: {cookie}");
        let home: OwnerHome = ok(response).await;
        let car = &home.cars[0];
        assert_eq!((car.id, car.plate.as_str(), car.vin.as_str(), car.odometer_km), (done.car_id, "粤BD12345", "LVSFCF*****107967", 12));
        let maintenance = car.maintenance.expect("a demo plan");
        assert!(car.plan_demo);
        assert_eq!(maintenance.by, shared::maintenance::DueBy::Time);
        assert_eq!(car.inspection.kind, shared::inspection::InspectionKind::MarkOnly);
        assert!(car.warranty.is_some_and(|w| w.km_left == Some(100_000 - 12)));
        assert_eq!(car.advisor.as_ref().map(|a| a.name.as_str()), Some("张涛（演示）"));

        // The same phone again: still bound. Anyone else: used.
        ok::<OwnerHome>(bind(&app, &owner, &done.binding.code).await).await;
        let e = err(bind(&app, &app.phone(), &done.binding.code).await, StatusCode::CONFLICT).await;
        assert_eq!((e.error.code.as_str(), e.error.message.as_str()), ("used", "该绑定码已被使用。如需重新绑定，请联系服务顾问生成新的绑定码"));
        // Forged and malformed codes.
        for code in ["ABCDEFGHJK", "x", "' OR 1=1 --", ""] {
            let e = err(bind(&app, &app.phone(), code).await, StatusCode::NOT_FOUND).await;
            assert_eq!(e.error.message, "绑定码无效，请扫描交车时服务顾问提供的二维码", "{code}");
        }
        // A stranger sees no car.
        assert!(my_cars(&app, &app.phone()).await.is_empty());
        // The code of one dealer is nothing at another.
        let e = err(app.phone().post(app.url("/api/v1/dealers/leapmotor/owner/bind")).json(&json!({"code": done.binding.code})).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        assert_eq!(e.error.code, "not_found");
    }
}

both! {
    async fn bad_deliveries_are_refused_in_chinese_and_write_nothing(app) {
        let (_, lead, consultant) = customer_books(&app, "乙", "13900000102", 0).await;
        let staff = sign_in(&app, &consultant).await;
        let form: DeliveryForm = get(&staff, &app, &format!("/api/v1/console/leads/{lead}/delivery")).await;
        let good = delivery(&form, VIN);
        let with = |key: &str, value: serde_json::Value| {
            let mut body = good.clone();
            body[key] = value;
            body
        };
        let tomorrow = server::clock::Clock::now().today().add_days(1).to_string();
        let yesterday = server::clock::Clock::now().today().add_days(-1).to_string();
        let consultant_id: i64 = sqlx::query_scalar("SELECT id FROM staff WHERE login = $1").bind(&consultant).fetch_one(&app.db.pool).await.unwrap();
        let advisor = sign_in(&app, "demo-zhang").await;
        let colleague = sign_in(&app, if consultant == "demo-wang" { "demo-li" } else { "demo-wang" }).await;
        let before = app.row_counts().await;
        for (body, field, message) in [
            (with("vin", json!("LVSFCFME37F107968")), "vin", "车架号校验位（第9位）不正确，请逐位核对"),
            (with("vin", json!("LVSFCFME37F1O7967")), "vin", "车架号不含字母I、O、Q，请核对（可能是数字1或0）"),
            (with("vin", json!("<script>alert(1)</script>")), "vin", "车架号只能包含数字和字母"),
            (with("plate", json!("京A1234")), "plate", "车牌号应为7位（新能源8位），如“京A12345”"),
            (with("plate", json!("'; DROP TABLE cars; --")), "plate", "车牌号应以省份简称开头，如“京A12345”"),
            (with("delivered_on", json!(tomorrow)), "delivered_on", "交车日期不能晚于今天"),
            (with("registered_on", json!(tomorrow)), "registered_on", "上牌日期不能晚于今天"),
            (with("delivered_on", json!(yesterday)), "delivered_on", "交车日期不能早于上牌日期"),
            (with("registered_on", json!("2026-02-30")), "registered_on", "请填写上牌日期（年-月-日）"),
            (with("manufactured_on", json!("2026-02-30")), "manufactured_on", "请填写出厂日期（年-月-日）"),
            (with("manufactured_on", json!(tomorrow)), "manufactured_on", "出厂日期不能晚于今天"),
            (
                {
                    let mut body = with("registered_on", json!(yesterday));
                    body["manufactured_on"] = json!(today());
                    body
                },
                "manufactured_on",
                "出厂日期不能晚于上牌日期",
            ),
            (with("odometer_km", json!(-1)), "odometer_km", "里程应在0到2000000公里之间"),
            (with("advisor_id", json!(consultant_id)), "advisor_id", "请选择本店的服务顾问"),
            (with("trim_id", json!("no-such-trim")), "trim_id", "请选择本店在售的车型"),
        ] {
            let e = err(send(&staff, &app, "POST", &format!("/api/v1/console/leads/{lead}/delivery"), body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!((e.error.field.as_deref(), e.error.message.as_str()), (Some(field), message));
        }
        assert_eq!(app.row_counts().await, before);
        // A service advisor does not deliver; another consultant's lead is not found.
        err(send(&advisor, &app, "POST", &format!("/api/v1/console/leads/{lead}/delivery"), good.clone()).await, StatusCode::FORBIDDEN).await;
        err(send(&colleague, &app, "POST", &format!("/api/v1/console/leads/{lead}/delivery"), good.clone()).await, StatusCode::NOT_FOUND).await;
        assert_eq!(app.row_counts().await, before);
        // One VIN is delivered once per dealer.
        assert_eq!(send(&staff, &app, "POST", &format!("/api/v1/console/leads/{lead}/delivery"), good.clone()).await.status(), StatusCode::CREATED);
        let e = err(send(&staff, &app, "POST", &format!("/api/v1/console/leads/{lead}/delivery"), with("vin", json!(" lvsfcfme37f107967 "))).await, StatusCode::CONFLICT).await;
        assert_eq!((e.error.code.as_str(), e.error.field.as_deref()), ("duplicate_vin", Some("vin")));
    }
}

both! {
    async fn a_late_registered_or_marked_car_follows_article_16_on_the_owner_page_and_the_car_page(app) {
        use shared::inspection::{Exception, InspectionDue, InspectionKind};
        // Made five years before it was registered today: on site in year 2, not the mark only.
        let (_, lead, consultant) = customer_books(&app, "丙", "13900000105", 0).await;
        let staff = sign_in(&app, &consultant).await;
        let form: DeliveryForm = get(&staff, &app, &format!("/api/v1/console/leads/{lead}/delivery")).await;
        let today = server::clock::Clock::now().today();
        let mut body = delivery(&form, VIN);
        body["manufactured_on"] = json!(today.add_months(-60).to_string());
        let response = send(&staff, &app, "POST", &format!("/api/v1/console/leads/{lead}/delivery"), body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let late: Delivered = response.json().await.unwrap();
        let owner = app.phone();
        ok::<OwnerHome>(bind(&app, &owner, &late.binding.code).await).await;
        let car = my_cars(&app, &owner).await.remove(0);
        assert_eq!(car.inspection.kind, InspectionKind::OnSite);
        assert_eq!(car.inspection.exception, Some(Exception::LateRegistration));
        assert_eq!(car.inspection.due, today.add_months(24).end_of_month());
        let manager = sign_in(&app, "demo-admin").await;
        let detail: CarDetail = get(&manager, &app, &format!("/api/v1/console/cars/{}", late.car_id)).await;
        assert_eq!(detail.inspection_facts.manufactured_on, Some(today.add_months(-60)));
        assert_eq!(detail.inspection.map(|i| i.exception), Some(Some(Exception::LateRegistration)));

        // A car without the facts keeps the exemption until staff mark an accident with casualties.
        let (_, _, plain) = delivered(&app, "13900000106", VIN2).await;
        let other = app.phone();
        ok::<OwnerHome>(bind(&app, &other, &plain.binding.code).await).await;
        let car = my_cars(&app, &other).await.remove(0);
        assert_eq!((car.inspection.kind, car.inspection.exception), (InspectionKind::MarkOnly, None));
        let path = format!("/api/v1/console/cars/{}/inspection", plain.car_id);
        // The car's consultant is not its service advisor: marks are the advisor's or a manager's.
        let consultant = sign_in(&app, &sqlx::query_scalar::<_, String>("SELECT s.login FROM staff s JOIN leads l ON l.consultant_id = s.id JOIN cars c ON c.lead_id = l.id WHERE c.id = $1").bind(plain.car_id).fetch_one(&app.db.pool).await.unwrap()).await;
        err(send(&consultant, &app, "PUT", &path, json!({"casualty_accident": true, "modification_penalty": false})).await, StatusCode::FORBIDDEN).await;
        let marked: InspectionDue = ok(send(&manager, &app, "PUT", &path, json!({"casualty_accident": true, "modification_penalty": false})).await).await;
        assert_eq!((marked.kind, marked.exception), (InspectionKind::OnSite, Some(Exception::CasualtyAccident)));
        let car = my_cars(&app, &other).await.remove(0);
        assert_eq!((car.inspection.kind, car.inspection.exception), (InspectionKind::OnSite, Some(Exception::CasualtyAccident)));
        // Taken back: the exemption again.
        ok::<InspectionDue>(send(&manager, &app, "PUT", &path, json!({"casualty_accident": false, "modification_penalty": false})).await).await;
        let car = my_cars(&app, &other).await.remove(0);
        assert_eq!((car.inspection.kind, car.inspection.exception), (InspectionKind::MarkOnly, None));
    }
}

both! {
    async fn mileage_never_goes_down_and_another_owners_car_is_not_found(app) {
        let (_, _, done) = delivered(&app, "13900000103", VIN).await;
        let owner = app.phone();
        ok::<OwnerHome>(bind(&app, &owner, &done.binding.code).await).await;
        let car: OwnerCar = ok(reading(&app, &owner, done.car_id, 800).await).await;
        assert_eq!(car.odometer_km, 800);
        let e = err(reading(&app, &owner, done.car_id, 799).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!((e.error.code.as_str(), e.error.field.as_deref(), e.error.message.as_str()), ("mileage_decreased", Some("km"), "里程不能低于上次记录的800公里"));
        err(reading(&app, &owner, done.car_id, 3_000_000).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let km: i64 = sqlx::query_scalar("SELECT MAX(km) FROM mileage_readings WHERE car_id = $1").bind(done.car_id).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(km, 800);

        // Another owner, one without a cookie, and a forged cookie: 404, nothing written.
        let (_, _, other) = delivered(&app, "13900000104", VIN2).await;
        let stranger = app.phone();
        ok::<OwnerHome>(bind(&app, &stranger, &other.binding.code).await).await;
        let before = app.row_counts().await;
        let e = err(reading(&app, &stranger, done.car_id, 900).await, StatusCode::NOT_FOUND).await;
        assert_eq!(e.error.message, "未找到该车辆");
        err(reading(&app, &app.phone(), done.car_id, 900).await, StatusCode::NOT_FOUND).await;
        let forged = app.client.post(app.url(&format!("/api/v1/dealers/demo/owner/cars/{}/readings", done.car_id)))
            .header("cookie", format!("co_demo={}", done.car_id)).json(&json!({"km": 900})).send().await.unwrap();
        err(forged, StatusCode::NOT_FOUND).await;
        assert_eq!(app.row_counts().await, before);
        assert_eq!(my_cars(&app, &stranger).await.iter().map(|c| c.id).collect::<Vec<_>>(), vec![other.car_id]);
    }
}

both! {
    async fn a_new_code_ends_the_old_binding_and_old_or_expired_codes_are_gone(app) {
        let (seller, _, done) = delivered(&app, "13900000105", VIN).await;
        let first = app.phone();
        ok::<OwnerHome>(bind(&app, &first, &done.binding.code).await).await;
        let path = format!("/api/v1/console/cars/{}/binding", done.car_id);
        // The seller is not the advisor: no new codes.
        err(send(&seller, &app, "POST", &path, json!({})).await, StatusCode::FORBIDDEN).await;
        let advisor = sign_in(&app, "demo-zhang").await;
        let response = send(&advisor, &app, "POST", &path, json!({})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let code: BindingCode = response.json().await.unwrap();
        // The lost phone no longer sees the car; its old code is gone.
        assert!(my_cars(&app, &first).await.is_empty());
        let e = err(bind(&app, &app.phone(), &done.binding.code).await, StatusCode::CONFLICT).await;
        assert_eq!(e.error.code, "used");
        // One code after another: the unused one is replaced.
        let response = send(&advisor, &app, "POST", &path, json!({})).await;
        let newest: BindingCode = response.json().await.unwrap();
        let e = err(bind(&app, &app.phone(), &code.code).await, StatusCode::GONE).await;
        assert_eq!((e.error.code.as_str(), e.error.message.as_str()), ("expired", "该绑定码已失效，服务顾问已生成新的绑定码"));
        // Expired after 7 days.
        sqlx::query("UPDATE car_bindings SET expires_at = 1 WHERE code = $1").bind(&newest.code).execute(&app.db.writer).await.unwrap();
        let e = err(bind(&app, &app.phone(), &newest.code).await, StatusCode::GONE).await;
        assert_eq!(e.error.message, "绑定码已过期（7天内有效），请联系服务顾问生成新的绑定码");
        let last: BindingCode = send(&advisor, &app, "POST", &path, json!({})).await.json().await.unwrap();
        let second = app.phone();
        ok::<OwnerHome>(bind(&app, &second, &last.code).await).await;
        assert_eq!(my_cars(&app, &second).await.len(), 1);
        // The history is kept.
        let detail: CarDetail = get(&advisor, &app, &format!("/api/v1/console/cars/{}", done.car_id)).await;
        let states: Vec<BindingState> = detail.bindings.iter().map(|b| b.state).collect();
        assert_eq!(states, [BindingState::Bound, BindingState::Ended, BindingState::Ended, BindingState::Ended]);
        assert_eq!(detail.waiting, None);
    }
}

both! {
    async fn an_owner_holds_several_cars_and_staff_search_them_masked_unless_they_serve_them(app) {
        let (seller, _, one) = delivered(&app, "13900000106", VIN).await;
        let (_, _, two) = delivered(&app, "13900000107", VIN2).await;
        let owner = app.phone();
        ok::<OwnerHome>(bind(&app, &owner, &one.binding.code).await).await;
        let home: OwnerHome = ok(bind(&app, &owner, &two.binding.code).await).await;
        assert_eq!(home.cars.len(), 2);

        let manager = sign_in(&app, "demo-manager").await;
        let advisor = sign_in(&app, "demo-zhang").await;
        let full: Vec<CarSummary> = get(&manager, &app, "/api/v1/console/cars?q=107967").await;
        assert_eq!((full.len(), full[0].vin.as_str(), full[0].owner_phone.as_deref()), (1, VIN, Some("13900000106")));
        let served: Vec<CarSummary> = get(&advisor, &app, "/api/v1/console/cars?q=0106").await;
        assert_eq!((served.len(), served[0].vin.as_str()), (1, VIN));
        let masked: CarDetail = get(&seller, &app, &format!("/api/v1/console/cars/{}", one.car_id)).await;
        assert_eq!((masked.car.vin.as_str(), masked.car.owner_phone.as_deref()), ("LVSFCF*****107967", Some("139****0106")));
        assert_eq!(masked.waiting, None, "only who serves the car reprints its code");
        let by_plate: Vec<CarSummary> = get(&manager, &app, "/api/v1/console/cars?q=%E7%B2%A4b%C2%B7d12345").await;
        assert_eq!(by_plate.len(), 2);
        let nothing: Vec<CarSummary> = get(&manager, &app, "/api/v1/console/cars?q=%27%3B%20DROP%20TABLE%20cars%3B%20--").await;
        assert!(nothing.is_empty());
        let everything: Vec<CarSummary> = get(&manager, &app, "/api/v1/console/cars?q=%25").await;
        assert_eq!(everything.len(), 2, "a % matches nothing special");
        // Another dealer's staff see none of it.
        let elsewhere = sign_in(&app, "leap-manager").await;
        let theirs: Vec<CarSummary> = get(&elsewhere, &app, "/api/v1/console/cars").await;
        assert!(theirs.is_empty());
        err(elsewhere.get(app.url(&format!("/api/v1/console/cars/{}", one.car_id))).send().await.unwrap(), StatusCode::NOT_FOUND).await;
    }
}

both! {
    async fn the_dealer_edits_a_series_plan_and_the_owner_sees_it(app) {
        let (_, _, done) = delivered(&app, "13900000108", VIN).await;
        let owner = app.phone();
        let home: OwnerHome = ok(bind(&app, &owner, &done.binding.code).await).await;
        let series: String = sqlx::query_scalar("SELECT series_id FROM cars WHERE id = $1").bind(done.car_id).fetch_one(&app.db.pool).await.unwrap();
        let manager = sign_in(&app, "demo-manager").await;
        let plans: Vec<PlanRow> = get(&manager, &app, "/api/v1/console/maintenance-plans").await;
        assert!(plans.iter().all(|p| p.demo) && plans.len() > 10);
        let path = format!("/api/v1/console/maintenance-plans/{series}");
        let e = err(send(&manager, &app, "PUT", &path, json!({"first_km": 100, "first_months": 3, "interval_km": 10000, "interval_months": 12})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("first_km"));
        let seller = sign_in(&app, "demo-wang").await;
        err(send(&seller, &app, "PUT", &path, json!({"first_km": 3000, "first_months": 3, "interval_km": 10000, "interval_months": 12})).await, StatusCode::FORBIDDEN).await;
        err(send(&manager, &app, "PUT", "/api/v1/console/maintenance-plans/leapmotor-t03", json!({"first_km": 3000, "first_months": 3, "interval_km": 10000, "interval_months": 12})).await, StatusCode::NOT_FOUND).await;
        let saved: PlanRow = ok(send(&manager, &app, "PUT", &path, json!({"first_km": 3000, "first_months": 3, "interval_km": 10000, "interval_months": 12})).await).await;
        assert!(!saved.demo);
        let car = &my_cars(&app, &owner).await[0];
        assert!(!car.plan_demo);
        let before = home.cars[0].maintenance.unwrap();
        let after = car.maintenance.unwrap();
        assert_eq!((after.due_km, after.due_by_time), (3000, before.due_by_time.add_months(-3)));
    }
}
