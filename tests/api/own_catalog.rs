//! A dealer's own series and trims on both databases: added and edited by managers (422 with the
//! field; consultants 403; platform entries read-only), on sale at once, each write bumping the
//! catalogue version, and never seen by another dealer (车型, the consumer's series, model page,
//! comparison, search, test drive).

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shared::catalog::{SeriesList, SpecValue};
use shared::catalog_edit::{SeriesTrims, TrimSheet};
use shared::compare::Comparison;
use shared::console::CatalogSeries;

use crate::bookings::created;
use crate::console::sign_in;
use crate::helpers::{err, ok, TestApp};

/// The dealer's catalogue version.
pub async fn version(app: &TestApp, dealer: &str) -> i64 {
    let id = app.dealer_id(dealer).await;
    sqlx::query_scalar("SELECT version FROM catalogue_versions WHERE dealer_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

fn series_body() -> Value {
    json!({"brand_id": "byd", "name_zh": "秦L 店内特供版", "body_type": "sedan",
           "energy_types": ["phev"], "guide_min": 99800, "guide_max": 129800})
}

fn trim_body() -> Value {
    json!({"name_zh": "2027款 DM-i 160km 先享型", "model_year": 2027, "energy_type": "phev",
           "seats": 5, "displacement_ml": 1498, "range_km": 160, "guide_price": 109800})
}

async fn post(client: &Client, app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    client.post(app.url(path)).json(body).send().await.unwrap()
}

async fn put(client: &Client, app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    client.put(app.url(path)).json(body).send().await.unwrap()
}

both! {
    async fn a_manager_adds_an_own_series_and_trim_that_only_its_dealer_sees(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let before = version(&app, "demo").await;
        let answer = post(&manager, &app, "/api/v1/console/catalog/series", &series_body()).await;
        assert_eq!(answer.status(), StatusCode::CREATED);
        let series: SeriesTrims = answer.json().await.unwrap();
        assert!(series.own && series.id.starts_with("own-"), "{}", series.id);
        assert_eq!(version(&app, "demo").await, before + 1);

        let answer = post(&manager, &app, &format!("/api/v1/console/catalog/series/{}/trims", series.id), &trim_body()).await;
        assert_eq!(answer.status(), StatusCode::CREATED);
        let trim: TrimSheet = answer.json().await.unwrap();
        assert!(trim.own && trim.id.starts_with("own-"));
        assert_eq!(trim.specs.get("range_cltc_km"), Some(&SpecValue::Number(160.0)));
        assert_eq!(version(&app, "demo").await, before + 2);

        // Specs: typed by the item, empty = unknown, a wrong type names the item.
        let path = format!("/api/v1/console/catalog/trims/{}/specs", trim.id);
        let saved: TrimSheet = ok(put(&manager, &app, &path, &json!({"values": {
            "max_power_kw": "160", "abs": "●", "night_vision": "否", "front_airbags": "主驾驶位 / 副驾驶位"}})).await).await;
        assert_eq!(saved.specs.get("max_power_kw"), Some(&SpecValue::Number(160.0)));
        assert_eq!(saved.specs.get("abs"), Some(&SpecValue::Bool(true)));
        assert_eq!(saved.specs.get("night_vision"), Some(&SpecValue::Bool(false)));
        let e = err(put(&manager, &app, &path, &json!({"values": {"max_power_kw": "很大"}})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("max_power_kw"));
        let e = err(put(&manager, &app, &path, &json!({"values": {"no_such_item": "1"}})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("no_such_item"));
        let cleared: TrimSheet = ok(put(&manager, &app, &path, &json!({"values": {"night_vision": ""}})).await).await;
        assert!(!cleared.specs.contains_key("night_vision"));
        assert_eq!(cleared.specs.get("abs"), Some(&SpecValue::Bool(true)), "only changed values are touched");
        assert_eq!(version(&app, "demo").await, before + 4);

        // On sale at once: the consumer's catalogue, model page, comparison and search.
        let list: SeriesList = app.get_ok("/api/v1/dealers/demo/series").await;
        assert!(list.items.iter().any(|s| s.id == series.id));
        let found: SeriesList = app.get_ok(&format!("/api/v1/dealers/demo/series?q={}", "店内特供")).await;
        assert_eq!(found.items.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), [series.id.as_str()]);
        let detail: Value = app.get_ok(&format!("/api/v1/dealers/demo/series/{}", series.id)).await;
        assert_eq!(detail["trims"][0]["id"], json!(trim.id));
        let compare: Comparison = app.get_ok(&format!("/api/v1/dealers/demo/compare?trims={},byd-qin-l-2026-dmi-128-jinqu", trim.id)).await;
        assert!(compare.dropped.is_empty());
        let power = compare.groups.iter().flat_map(|g| &g.rows).find(|r| r.key == "max_power_kw").unwrap();
        assert_eq!(power.values[0], Some(SpecValue::Number(160.0)));

        // Another dealer never sees it: not in its 车型, consumer pages, comparison or search.
        let leap = sign_in(&app, "leap-manager").await;
        let theirs: Vec<CatalogSeries> = ok(leap.get(app.url("/api/v1/console/catalog/series")).send().await.unwrap()).await;
        assert!(!theirs.iter().any(|s| s.id == series.id));
        let e = err(leap.get(app.url(&format!("/api/v1/console/catalog/series/{}", series.id))).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        assert_eq!(e.error.code, "not_found");
        err(leap.get(app.url(&format!("/api/v1/console/catalog/trims/{}", trim.id))).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        err(put(&leap, &app, &format!("/api/v1/console/catalog/series/{}", series.id), &json!({"on_sale": true, "featured": false})).await, StatusCode::NOT_FOUND).await;
        err(post(&leap, &app, &format!("/api/v1/console/catalog/series/{}/trims", series.id), &trim_body()).await, StatusCode::NOT_FOUND).await;
        err(put(&leap, &app, &path, &json!({"values": {"abs": "-"}})).await, StatusCode::NOT_FOUND).await;
        app.get_err(&format!("/api/v1/dealers/leapmotor/series/{}", series.id), StatusCode::NOT_FOUND).await;
        let compare: Comparison = app.get_ok(&format!("/api/v1/dealers/leapmotor/compare?trims={}", trim.id)).await;
        assert_eq!(compare.dropped, std::slice::from_ref(&trim.id));
        let found: SeriesList = app.get_ok("/api/v1/dealers/leapmotor/series?q=店内特供").await;
        assert_eq!(found.total, 0);
        let drive: Value = app.get_ok("/api/v1/dealers/leapmotor/test-drive").await;
        assert!(!drive.to_string().contains(&series.id));

        // A platform series another dealer puts on sale brings no one's own trims along.
        let on_platform: TrimSheet = created(post(&manager, &app, "/api/v1/console/catalog/series/leapmotor-c01/trims", &json!({
            "name_zh": "2027款 纯电 新到型", "model_year": 2027, "energy_type": "bev", "seats": 5,
            "range_km": 610, "guide_price": 159800})).await).await;
        assert!(on_platform.own);
        let leap_detail: Value = app.get_ok("/api/v1/dealers/leapmotor/series/leapmotor-c01").await;
        assert!(!leap_detail.to_string().contains(&on_platform.id));
        let demo_detail: Value = app.get_ok("/api/v1/dealers/demo/series/leapmotor-c01").await;
        let ids: Vec<&str> = demo_detail["trims"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [on_platform.id.as_str()], "the demo dealer sells only its own trim of it");
    }
}

both! {
    async fn platform_entries_are_read_only_and_bad_forms_name_their_field(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let before = version(&app, "demo").await;
        for (field, value) in [("name_zh", json!("")), ("brand_id", json!("no-such-brand")), ("energy_types", json!([])), ("guide_max", json!(50000))] {
            let mut body = series_body();
            body[field] = value;
            let e = err(post(&manager, &app, "/api/v1/console/catalog/series", &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.field.as_deref(), Some(field), "{field}");
        }
        for (field, value) in [("seats", json!(12)), ("model_year", json!(1980)), ("guide_price", json!(3))] {
            let mut body = trim_body();
            body[field] = value;
            let e = err(post(&manager, &app, "/api/v1/console/catalog/series/byd-qin-l/trims", &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.field.as_deref(), Some(field), "{field}");
        }
        let mut bev = trim_body();
        bev["energy_type"] = json!("bev");
        let e = err(post(&manager, &app, "/api/v1/console/catalog/series/byd-qin-l/trims", &bev).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("displacement_ml"));
        assert_eq!(version(&app, "demo").await, before, "nothing written");

        // The platform's series and trims: readable, never writable.
        let qin: SeriesTrims = ok(manager.get(app.url("/api/v1/console/catalog/series/byd-qin-l")).send().await.unwrap()).await;
        assert!(!qin.own && qin.trims.iter().all(|t| !t.own));
        let platform_trim = &qin.trims[0].id;
        let e = err(put(&manager, &app, "/api/v1/console/catalog/series/byd-qin-l/details", &series_body()).await, StatusCode::FORBIDDEN).await;
        assert_eq!(e.error.code, "read_only");
        let e = err(put(&manager, &app, &format!("/api/v1/console/catalog/trims/{platform_trim}"), &trim_body()).await, StatusCode::FORBIDDEN).await;
        assert_eq!(e.error.code, "read_only");
        let e = err(put(&manager, &app, &format!("/api/v1/console/catalog/trims/{platform_trim}/specs"), &json!({"values": {"abs": "●"}})).await, StatusCode::FORBIDDEN).await;
        assert_eq!(e.error.code, "read_only");
        assert_eq!(version(&app, "demo").await, before);

        // Consultants may not touch the catalogue.
        let consultant = sign_in(&app, "demo-wang").await;
        err(post(&consultant, &app, "/api/v1/console/catalog/series", &series_body()).await, StatusCode::FORBIDDEN).await;
        err(consultant.get(app.url("/api/v1/console/catalog/series/byd-qin-l")).send().await.unwrap(), StatusCode::FORBIDDEN).await;
        err(consultant.get(app.url("/api/v1/console/catalog/imports")).send().await.unwrap(), StatusCode::FORBIDDEN).await;

        // Editing an own series and trim: saved, version bumped each time.
        let series: SeriesTrims = created(post(&manager, &app, "/api/v1/console/catalog/series", &series_body()).await).await;
        let mut body = series_body();
        body["name_zh"] = json!("秦L 店内特供版Pro");
        let saved: SeriesTrims = ok(put(&manager, &app, &format!("/api/v1/console/catalog/series/{}/details", series.id), &body).await).await;
        assert_eq!(saved.form.name_zh, "秦L 店内特供版Pro");
        let trim: TrimSheet = created(post(&manager, &app, &format!("/api/v1/console/catalog/series/{}/trims", series.id), &trim_body()).await).await;
        let mut body = trim_body();
        body["range_km"] = Value::Null;
        body["guide_price"] = json!(112800);
        let saved: TrimSheet = ok(put(&manager, &app, &format!("/api/v1/console/catalog/trims/{}", trim.id), &body).await).await;
        assert_eq!(saved.form.guide_price, Some(112800));
        assert!(!saved.specs.contains_key("range_cltc_km"));
        assert_eq!(version(&app, "demo").await, before + 4);
    }
}
