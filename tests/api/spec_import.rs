//! Spec-sheet import on both databases, with the fixture OEM sheet: preview (matched, unknown,
//! conflicts, cell errors; nothing written), confirm (new own trims, values in the consumer's
//! comparison, catalogue version bumped), the same sheet twice (no change), undo (values back,
//! created trims gone, refused once edited), bad files, and the platform trim untouched.

use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::catalog::SpecValue;
use shared::catalog_edit::TrimSheet;
use shared::compare::Comparison;
use shared::spec_import::{ImportStatus, SpecImport};
use shared::spec_sheet::Target;

use crate::bookings::created;
use crate::console::sign_in;
use crate::helpers::{err, ok, TestApp};
use crate::own_catalog::version;
use crate::spec_fixture::{self, NEW_COLUMNS, PLATFORM_COLUMN, SERIES};

async fn upload(
    client: &Client,
    app: &TestApp,
    series: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = Form::new()
        .text("series", series.to_string())
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    client
        .post(app.url("/api/v1/console/catalog/imports"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn action(client: &Client, app: &TestApp, id: i64, what: &str) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/v1/console/catalog/imports/{id}/{what}")))
        .send()
        .await
        .unwrap()
}

async fn platform_specs(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT specs FROM trims WHERE id = 'byd-qin-l-2026-dmi-128-jinqu'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

fn value(compare: &Comparison, key: &str, index: usize) -> Option<SpecValue> {
    compare
        .groups
        .iter()
        .flat_map(|g| &g.rows)
        .find(|r| r.key == key)
        .and_then(|r| r.values[index].clone())
}

both! {
    async fn a_sheet_imports_after_confirmation_once_and_undoes(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let xlsx = std::fs::read(spec_fixture::path("xlsx")).unwrap();
        let platform_before = platform_specs(&app).await;
        let before = version(&app, "demo").await;

        let response = upload(&manager, &app, SERIES, "qin-l.xlsx", xlsx.clone()).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let preview: SpecImport = response.json().await.unwrap();
        assert_eq!((preview.status, preview.file_name.as_str(), preview.staff_name.is_empty()), (ImportStatus::Preview, "qin-l.xlsx", false));
        let plan = &preview.plan;
        assert_eq!(plan.columns.len(), 3);
        assert_eq!(plan.columns[0].name, PLATFORM_COLUMN);
        assert!(matches!(plan.columns[0].target, Target::Platform(_)), "{:?}", plan.columns[0]);
        assert_eq!(plan.columns[1].target, Target::New);
        assert_eq!(plan.columns[2].target, Target::New);
        assert_eq!(plan.unknown_rows.len(), 1, "{:?}", plan.unknown_rows);
        assert!(plan.unknown_rows[0].contains("香氛系统"));
        assert_eq!(plan.errors.len(), 1, "{:?}", plan.errors);
        assert_eq!((plan.errors[0].row.as_str(), plan.errors[0].column.as_str()), ("官方百公里加速时间(s)", NEW_COLUMNS[1]));
        assert!(plan.changes.iter().all(|c| c.column != 0), "the platform column is skipped");
        let power = plan.changes.iter().find(|c| c.column == 1 && c.key == "max_power_kw").unwrap();
        assert_eq!(power.new, SpecValue::Number(160.34), "218 马力 in kW");
        assert!(plan.changes.iter().any(|c| c.column == 1 && c.key == "length_mm" && c.new == SpecValue::Number(4830.0)));
        let optional = plan.changes.iter().find(|c| c.column == 1 && c.key == "blind_spot_assist").unwrap();
        assert_eq!(optional.new, SpecValue::Text("选配".into()));
        // Nothing written yet.
        assert_eq!(version(&app, "demo").await, before);
        let trims: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM trims WHERE dealer_id IS NOT NULL").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(trims, 0);

        // Confirmed: two own trims, the values in the consumer's comparison.
        let done: SpecImport = ok(action(&manager, &app, preview.id, "confirm").await).await;
        assert_eq!(done.status, ImportStatus::Confirmed);
        assert_eq!(version(&app, "demo").await, before + 1);
        let made: Vec<String> = done.plan.columns.iter().filter_map(|c| match &c.target {
            Target::Created(id) => Some(id.clone()),
            _ => None,
        }).collect();
        assert_eq!(made.len(), 2);
        let compare: Comparison = app.get_ok(&format!("/api/v1/dealers/demo/compare?trims={},{}", made[0], made[1])).await;
        assert!(compare.dropped.is_empty());
        assert!(compare.trims[0].name.contains(NEW_COLUMNS[0]), "{}", compare.trims[0].name);
        assert_eq!(value(&compare, "battery_capacity_kwh", 1), Some(SpecValue::Number(26.6)));
        assert_eq!(value(&compare, "range_cltc_km", 1), Some(SpecValue::Number(210.0)));
        assert_eq!(value(&compare, "abs", 0), Some(SpecValue::Bool(true)));
        assert_eq!(value(&compare, "night_vision", 0), Some(SpecValue::Bool(false)));
        assert_eq!(value(&compare, "accel_0_100_s", 1), None, "the bad cell stays unknown");
        let sheet: TrimSheet = ok(manager.get(app.url(&format!("/api/v1/console/catalog/trims/{}", made[1]))).send().await.unwrap()).await;
        assert_eq!((sheet.form.model_year, sheet.form.guide_price, sheet.form.seats), (Some(2027), Some(129_800), Some(5)));
        assert_eq!(platform_specs(&app).await, platform_before, "the platform trim is untouched");
        let e = err(action(&manager, &app, preview.id, "confirm").await, StatusCode::CONFLICT).await;
        assert!(e.error.message.contains("已确认"));

        // The same sheet again, as CSV: no changes; its confirmation writes nothing.
        let csv = std::fs::read(spec_fixture::path("csv")).unwrap();
        let again: SpecImport = created(upload(&manager, &app, SERIES, "qin-l.csv", csv).await).await;
        assert!(again.plan.changes.is_empty(), "{:?}", again.plan.changes);
        assert!(again.plan.is_noop());
        assert_eq!(again.plan.unchanged as usize, done.plan.changes.len());
        let noop: SpecImport = ok(action(&manager, &app, again.id, "confirm").await).await;
        assert_eq!(noop.status, ImportStatus::Confirmed);
        assert_eq!(version(&app, "demo").await, before + 1);

        // The history keeps both, newest first, with who and when.
        let history: Vec<SpecImport> = ok(manager.get(app.url("/api/v1/console/catalog/imports")).send().await.unwrap()).await;
        assert_eq!(history.iter().map(|i| i.id).collect::<Vec<_>>(), [again.id, preview.id]);
        assert!(history.iter().all(|i| !i.staff_name.is_empty() && i.created_at > 0));
        // Another dealer's manager sees none of it.
        let leap = sign_in(&app, "leap-manager").await;
        let theirs: Vec<SpecImport> = ok(leap.get(app.url("/api/v1/console/catalog/imports")).send().await.unwrap()).await;
        assert!(theirs.is_empty());
        err(action(&leap, &app, preview.id, "undo").await, StatusCode::NOT_FOUND).await;

        // Undo: refused while a created trim was edited since, then done once it is as imported.
        let specs = format!("/api/v1/console/catalog/trims/{}/specs", made[0]);
        let _: TrimSheet = ok(manager.put(app.url(&specs)).json(&json!({"values": {"abs": "-"}})).send().await.unwrap()).await;
        let e = err(action(&manager, &app, preview.id, "undo").await, StatusCode::CONFLICT).await;
        assert!(e.error.message.contains("无法撤销"), "{}", e.error.message);
        let _: TrimSheet = ok(manager.put(app.url(&specs)).json(&json!({"values": {"abs": "●"}})).send().await.unwrap()).await;
        let v = version(&app, "demo").await;
        let undone: SpecImport = ok(action(&manager, &app, preview.id, "undo").await).await;
        assert_eq!(undone.status, ImportStatus::Undone);
        assert_eq!(version(&app, "demo").await, v + 1);
        let compare: Comparison = app.get_ok(&format!("/api/v1/dealers/demo/compare?trims={},{}", made[0], made[1])).await;
        assert_eq!(compare.dropped.len(), 2, "the trims it created are gone");
        let trims: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM trims WHERE dealer_id IS NOT NULL").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(trims, 0);
        err(action(&manager, &app, preview.id, "undo").await, StatusCode::CONFLICT).await;
        assert_eq!(platform_specs(&app).await, platform_before);
    }
}

both! {
    async fn an_import_into_own_trims_shows_conflicts_and_undo_restores_them(app) {
        let manager = sign_in(&app, "demo-manager").await;
        // An own trim named as the sheet's second column, with a power value the sheet changes.
        let trim: TrimSheet = created(manager.post(app.url(&format!("/api/v1/console/catalog/series/{SERIES}/trims"))).json(&json!({
            "name_zh": NEW_COLUMNS[0], "model_year": 2027, "energy_type": "phev", "seats": 5,
            "displacement_ml": 1498, "range_km": null, "guide_price": 109800})).send().await.unwrap()).await;
        let specs = format!("/api/v1/console/catalog/trims/{}/specs", trim.id);
        let _: TrimSheet = ok(manager.put(app.url(&specs)).json(&json!({"values": {"max_power_kw": "150"}})).send().await.unwrap()).await;
        let csv = std::fs::read(spec_fixture::path("csv")).unwrap();
        let preview: SpecImport = created(upload(&manager, &app, SERIES, "qin-l.csv", csv).await).await;
        assert_eq!(preview.plan.columns[1].target, Target::Own(trim.id.clone()));
        assert_eq!(preview.plan.conflicts(), 1);
        let conflict = preview.plan.changes.iter().find(|c| c.old.is_some()).unwrap();
        assert_eq!((conflict.key.as_str(), conflict.old.clone()), ("max_power_kw", Some(SpecValue::Number(150.0))));

        // Changed between preview and confirmation: refused, nothing written.
        let _: TrimSheet = ok(manager.put(app.url(&specs)).json(&json!({"values": {"max_power_kw": "151"}})).send().await.unwrap()).await;
        let e = err(action(&manager, &app, preview.id, "confirm").await, StatusCode::CONFLICT).await;
        assert!(e.error.message.contains("最大功率"), "{}", e.error.message);
        let _: TrimSheet = ok(manager.put(app.url(&specs)).json(&json!({"values": {"max_power_kw": "150"}})).send().await.unwrap()).await;
        let _: SpecImport = ok(action(&manager, &app, preview.id, "confirm").await).await;
        let sheet: TrimSheet = ok(manager.get(app.url(&format!("/api/v1/console/catalog/trims/{}", trim.id))).send().await.unwrap()).await;
        assert_eq!(sheet.specs.get("max_power_kw"), Some(&SpecValue::Number(160.34)));
        let _: SpecImport = ok(action(&manager, &app, preview.id, "undo").await).await;
        let sheet: TrimSheet = ok(manager.get(app.url(&format!("/api/v1/console/catalog/trims/{}", trim.id))).send().await.unwrap()).await;
        assert_eq!(sheet.specs.get("max_power_kw"), Some(&SpecValue::Number(150.0)), "the old value is back");
        assert!(!sheet.specs.contains_key("abs"), "values it added are removed");
    }
}

both! {
    async fn bad_files_are_refused_clearly_and_consultants_may_not_import(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let before = version(&app, "demo").await;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("empty.csv", Vec::new()),
            ("blank.csv", b",,\n,,\n".to_vec()),
            ("one-column.csv", "车型\n最大功率(kW)\n".as_bytes().to_vec()),
            ("photo.png", vec![0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe]),
            ("broken.xlsx", b"PK\x03\x04 not really a zip".to_vec()),
        ];
        for (name, bytes) in cases {
            let e = err(upload(&manager, &app, SERIES, name, bytes).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.field.as_deref(), Some("file"), "{name}: {}", e.error.message);
            assert!(!e.error.message.is_empty());
        }
        let big = vec![b'a'; shared::spec_sheet::MAX_BYTES + 1];
        let e = err(upload(&manager, &app, SERIES, "big.csv", big).await, StatusCode::PAYLOAD_TOO_LARGE).await;
        assert_eq!((e.error.code.as_str(), e.error.field.as_deref()), ("too_large", Some("file")));
        assert!(e.error.message.contains("5MB"), "{}", e.error.message);
        // Past the route's limit too, and far past it: the same answer, heard in full.
        for size in [shared::spec_sheet::MAX_BYTES + 200_000, 30 * 1024 * 1024] {
            let e = err(upload(&manager, &app, SERIES, "huge.csv", vec![b'a'; size]).await, StatusCode::PAYLOAD_TOO_LARGE).await;
            assert_eq!(e.error.code, "too_large", "{size} B");
        }
        let xlsx = std::fs::read(spec_fixture::path("xlsx")).unwrap();
        err(upload(&manager, &app, "no-such-series", "qin-l.xlsx", xlsx.clone()).await, StatusCode::NOT_FOUND).await;
        let response = manager.post(app.url("/api/v1/console/catalog/imports")).multipart(Form::new().text("series", SERIES)).send().await.unwrap();
        assert_eq!(err(response, StatusCode::BAD_REQUEST).await.error.field.as_deref(), Some("file"));
        let consultant = sign_in(&app, "demo-wang").await;
        err(upload(&consultant, &app, SERIES, "qin-l.xlsx", xlsx).await, StatusCode::FORBIDDEN).await;
        assert_eq!(version(&app, "demo").await, before);
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM spec_imports").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(count, 0, "a refused file keeps no import");
    }
}
