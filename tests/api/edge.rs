//! Every error at the edge is ours: a NUL or other control character in a path, a query or
//! a JSON string, a path segment that is not UTF-8, an id that overflows, a query of the wrong
//! type, an unknown path or method under `/api`: each a 4xx with the JSON error body on both
//! databases (PostgreSQL refuses a NUL with a 500 if it ever gets one), and nothing written.

use reqwest::StatusCode;
use serde_json::json;
use shared::contact::PRIVACY_NOTICE_VERSION;

use crate::console::sign_in;
use crate::helpers::{err, TestApp};

const DEMO: &str = "/api/v1/dealers/demo";

/// A booking the demo dealer would take, as JSON.
async fn good_booking(app: &TestApp) -> serde_json::Value {
    let series = crate::bookings::offer(app).await.stores[0].series_ids[0].clone();
    let slot = crate::bookings::free_slot(app, &series).await;
    json!({
        "series_id": series,
        "slot_id": slot.id,
        "name": "张三",
        "phone": "13812345678",
        "consent_version": PRIVACY_NOTICE_VERSION,
        "origin": {"page": "model", "button": "book-test-drive"}
    })
}

both! {
    async fn a_control_character_in_a_path_or_query_is_a_400_naming_where(app) {
        for (path, field) in [
            (format!("{DEMO}%00/series"), "path"),
            ("/api/v1/dealers/demo%00".to_string(), "path"),
            (format!("{DEMO}/series/byd-qin-plus%00"), "path"),
            (format!("{DEMO}/consultants/wang%1B"), "path"),
            (format!("{DEMO}/series/x%C2%85"), "path"),
            ("/api/v1/console/leads/1%00".to_string(), "path"),
            (format!("{DEMO}/series?q=%00"), "q"),
            (format!("{DEMO}/series?brand=byd&q=a%0Db%00"), "q"),
            (format!("{DEMO}/compare?trims=a%00"), "trims"),
            (format!("{DEMO}/wechat/js-config?url=http%3A%2F%2Fx%00&page=home"), "url"),
        ] {
            let body = app.get_err(&path, StatusCode::BAD_REQUEST).await;
            assert_eq!(body.error.code, "bad_request", "{path}");
            assert_eq!(body.error.field.as_deref(), Some(field), "{path}");
        }
        // a write with one is refused before it is read: nothing written
        let before = app.row_counts().await;
        let booking = good_booking(&app).await;
        let response = app.post_json(&format!("{DEMO}/bookings?from=%00"), &booking).await;
        assert_eq!(err(response, StatusCode::BAD_REQUEST).await.error.field.as_deref(), Some("from"));
        assert_eq!(app.row_counts().await, before);
    }
}

both! {
    async fn a_control_character_in_any_json_string_is_a_422_naming_its_key(app) {
        let booking = good_booking(&app).await;
        let before = app.row_counts().await;
        let with = |pointer: &str, value: serde_json::Value| {
            let mut b = booking.clone();
            *b.pointer_mut(pointer).expect(pointer) = value;
            b
        };
        for (body, field) in [
            (with("/name", json!("王\u{0}磊")), "name"),
            (with("/series_id", json!("byd-qin-plus\u{0}")), "series_id"),
            (with("/phone", json!("138\u{0}12345678")), "phone"),
            (with("/origin/page", json!("model\u{7}")), "page"),
            (with("/consent_version", json!("\u{1b}[31m")), "consent_version"),
        ] {
            let answer = err(app.post_json(&format!("{DEMO}/bookings"), &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(answer.error.field.as_deref(), Some(field), "{body}");
            assert!(answer.error.message.contains("控制字符"), "{}", answer.error.message);
        }
        // free text keeps its line breaks and tabs: this one is refused for its name alone
        let name = with("/name", json!("王\u{2028}磊"));
        let answer = err(app.post_json(&format!("{DEMO}/bookings"), &name).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(answer.error.field.as_deref(), Some("name"));
        assert_eq!(answer.error.message, "姓名含有不可见或无法显示的字符");
        assert_eq!(app.row_counts().await, before, "a refused request wrote something");

        // the staff console too: a name with a private-use character, a note with a NUL
        let manager = sign_in(&app, "demo-manager").await;
        let profile = manager.get(app.url("/api/v1/console/profile")).send().await.unwrap();
        let mut profile: serde_json::Value = profile.json().await.unwrap();
        profile["name"] = json!("陈\u{E000}立");
        let put = manager.put(app.url("/api/v1/console/profile")).json(&profile).send().await.unwrap();
        let answer = err(put, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!((answer.error.field.as_deref(), answer.error.message.as_str()), (Some("name"), "姓名含有不可见或无法显示的字符"));
        profile["title"] = json!("经理\u{0}");
        let put = manager.put(app.url("/api/v1/console/profile")).json(&profile).send().await.unwrap();
        assert_eq!(err(put, StatusCode::UNPROCESSABLE_ENTITY).await.error.field.as_deref(), Some("title"));
    }
}

both! {
    async fn axum_s_own_rejections_answer_our_json_error(app) {
        for (path, status, field) in [
            // not UTF-8 once percent-decoded
            (format!("{DEMO}%FF/series"), StatusCode::BAD_REQUEST, Some("dealer")),
            (format!("{DEMO}/stores/%FF%FE/slots"), StatusCode::BAD_REQUEST, Some("store")),
            // ids that are not numbers, or overflow i64
            (format!("{DEMO}/stores/99999999999999999999/slots"), StatusCode::BAD_REQUEST, Some("store")),
            (format!("{DEMO}/stores/one/slots"), StatusCode::BAD_REQUEST, Some("store")),
            (format!("{DEMO}/service/stores/-99999999999999999999/slots"), StatusCode::BAD_REQUEST, Some("id")),
            // a long number where a word is expected is just not found
            (format!("{DEMO}/series/99999999999999999999"), StatusCode::NOT_FOUND, None),
            // a query of the wrong type, or missing
            (format!("{DEMO}/series?seats=many"), StatusCode::BAD_REQUEST, Some("seats")),
            (format!("{DEMO}/wechat/js-config?page=%2Fdemo%2F"), StatusCode::BAD_REQUEST, Some("url")),
            // unknown paths under /api
            ("/api/v1/dealers/demo/nothing-here".to_string(), StatusCode::NOT_FOUND, None),
        ] {
            let body = app.get_err(&path, status).await;
            assert_eq!(body.error.field.as_deref(), field, "{path}: {body:?}");
        }
        let manager = sign_in(&app, "demo-manager").await;
        for (path, field) in [
            ("/api/v1/console/leads/99999999999999999999", "id"),
            ("/api/v1/console/leads/x", "id"),
            ("/api/v1/console/leads?consultant=x", "consultant"),
        ] {
            let response = manager.get(app.url(path)).send().await.unwrap();
            let body = err(response, StatusCode::BAD_REQUEST).await;
            assert_eq!(body.error.field.as_deref(), Some(field), "{path}");
        }
        // a method a route does not take
        let response = app.client.put(app.url(&format!("{DEMO}/series"))).send().await.unwrap();
        assert_eq!(err(response, StatusCode::METHOD_NOT_ALLOWED).await.error.code, "method_not_allowed");
        let response = app.client.patch(app.url("/api/v1/nothing")).send().await.unwrap();
        assert_eq!(err(response, StatusCode::NOT_FOUND).await.error.code, "not_found");
    }
}
