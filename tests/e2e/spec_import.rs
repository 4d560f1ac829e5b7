//! 导入参数表 in the browser: a manager opens 车型 → 秦L → 导入参数表, picks the fixture OEM
//! sheet (tests/fixtures), reads the preview (counts, the platform column skipped, the unknown
//! row and the bad cell), confirms; a buyer's comparison of the two trims it created shows the
//! imported values. Screenshots at each step.

use crate::browser::{find, screenshot, tap_on, wait_text, Driver};
use crate::console::sign_in;
use crate::Site;

#[tokio::test]
async fn a_manager_imports_a_spec_sheet_and_the_comparison_shows_its_values() {
    let site = Site::start().await;
    let driver = Driver::start().await;
    let manager = driver.phone().await;
    sign_in(&site, &manager, "demo-manager").await;
    manager.goto(&site.url("/console/catalog")).await.unwrap();
    tap_on(
        &manager,
        "[data-test=catalog-series][data-id=byd-qin-l] [data-test=series-link]",
    )
    .await;
    wait_text(&manager, "[data-test=series-mark]", |t| t.contains("平台")).await;
    tap_on(&manager, "[data-test=import-entry]").await;

    let sheet =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/qin-l-spec-sheet.xlsx");
    find(&manager, "[data-test=sheet-file]")
        .await
        .send_keys(sheet.to_str().unwrap())
        .await
        .unwrap();
    let summary = wait_text(&manager, "[data-test=import-summary]", |t| {
        t.contains("匹配")
    })
    .await;
    assert!(
        summary.contains("未识别 1 行") && summary.contains("错误 1 格"),
        "{summary}"
    );
    let columns = wait_text(&manager, "[data-test=import-preview]", |t| {
        t.contains("跳过")
    })
    .await;
    assert!(columns.contains("新建自有车型"), "{columns}");
    screenshot(&manager, "console-spec-import-preview").await;

    tap_on(&manager, "[data-test=import-confirm]").await;
    wait_text(&manager, "[data-test=import-notice]", |t| {
        t.contains("已导入")
    })
    .await;
    wait_text(&manager, "[data-test=import-history]", |t| {
        t.contains("已导入")
    })
    .await;
    screenshot(&manager, "console-spec-import-done").await;

    // The trims it created, as the console lists them, compared by a buyer.
    let series: shared::catalog::SeriesDetail =
        site.api("/api/v1/dealers/demo/series/byd-qin-l").await;
    let created: Vec<String> = series
        .trims
        .iter()
        .filter(|t| t.id.starts_with("own-"))
        .map(|t| t.id.clone())
        .collect();
    assert_eq!(
        created.len(),
        2,
        "{:?}",
        series.trims.iter().map(|t| &t.name_zh).collect::<Vec<_>>()
    );
    // The created trim in the console: 自有, its imported specs in the grouped form.
    manager
        .goto(&site.url(&format!("/console/catalog/trims/{}", created[1])))
        .await
        .unwrap();
    wait_text(&manager, "[data-test=trim-title]", |t| t.contains("旗舰型")).await;
    tap_on(&manager, "[data-test=group-battery_charging] summary").await;
    let capacity = find(&manager, "[data-test=spec-battery_capacity_kwh]").await;
    assert_eq!(
        capacity.prop("value").await.unwrap().as_deref(),
        Some("26.6")
    );
    screenshot(&manager, "console-trim-editor").await;
    manager
        .goto(&site.url("/console/catalog/byd-qin-l"))
        .await
        .unwrap();
    wait_text(&manager, "[data-test=series-trims]", |t| t.contains("自有")).await;
    screenshot(&manager, "console-series-trims").await;

    let buyer = driver.phone().await;
    buyer
        .goto(&site.url(&format!(
            "/demo/compare?trims={},{}",
            created[0], created[1]
        )))
        .await
        .unwrap();
    let battery = wait_text(
        &buyer,
        "[data-test=compare-row][data-key=battery_capacity_kwh]",
        |t| t.contains("26.6"),
    )
    .await;
    assert!(battery.contains("15.874"), "{battery}");
    let power = wait_text(
        &buyer,
        "[data-test=compare-row][data-key=max_power_kw]",
        |t| t.contains("160.34"),
    )
    .await;
    assert!(!power.is_empty());
    let optional = wait_text(
        &buyer,
        "[data-test=compare-row][data-key=blind_spot_assist]",
        |t| t.contains("选配"),
    )
    .await;
    assert!(optional.contains('●'), "{optional}");
    let row = find(
        &buyer,
        "[data-test=compare-row][data-key=battery_capacity_kwh]",
    )
    .await;
    buyer
        .execute(
            "arguments[0].scrollIntoView({block: 'center'})",
            vec![serde_json::to_value(&row).unwrap()],
        )
        .await
        .unwrap();
    screenshot(&buyer, "compare-imported-specs").await;
}
