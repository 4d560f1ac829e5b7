//! Comparison (`GET /api/v1/dealers/{dealer}/compare?trims=...`).

use reqwest::StatusCode;
use shared::catalog::SpecValue;
use shared::compare::Comparison;

both! {
    async fn comparing_trims_marks_the_best_values_and_the_same_rows(app) {
        let c: Comparison = app
            .get_ok("/api/v1/dealers/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-max,tesla-model-3-lr")
            .await;
        let heads: Vec<&str> = c.trims.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(heads, ["xiaomi-su7-std", "xiaomi-su7-max", "tesla-model-3-lr"]);
        assert_eq!(c.trims[2].guide_price, Some(271_900));
        assert!(c.dropped.is_empty());
        let keys: Vec<&str> = c.groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys[0], "basic_info");
        assert!(!keys.contains(&"engine"), "no compared trim has an engine: the group is left out");
        let row = |key: &str| {
            c.groups
                .iter()
                .flat_map(|g| g.rows.iter())
                .find(|r| r.key == key)
                .unwrap_or_else(|| panic!("row {key}"))
        };
        let range = row("range_cltc_km");
        assert_eq!(
            range.values,
            [Some(SpecValue::Number(700.0)), Some(SpecValue::Number(800.0)), Some(SpecValue::Number(713.0))]
        );
        assert_eq!(range.best, [false, true, false]);
        assert!(!range.same);
        let accel = row("accel_0_100_s");
        assert_eq!(accel.best, [false, true, false], "lower is better");
        let width = row("width_mm");
        assert_eq!(width.values[2], None, "unknown stays unknown");
        assert!(!width.same);
        assert_eq!(width.best, [false, false, false]);
        // a row unknown for every compared trim is left out
        assert!(c.groups.iter().flat_map(|g| g.rows.iter()).all(|r| r.key != "displacement_l"));
        assert!(c.groups.iter().flat_map(|g| g.rows.iter()).all(|r| r.values.iter().any(Option::is_some)));
        // every row has one value and one mark per trim
        assert!(c.groups.iter().flat_map(|g| g.rows.iter()).all(|r| r.values.len() == 3 && r.best.len() == 3));
    }
}

both! {
    async fn identical_trims_give_only_same_rows(app) {
        let c: Comparison = app
            .get_ok("/api/v1/dealers/leapmotor/compare?trims=leapmotor-b01-2025-550-yuexiang,leapmotor-b01-2025-550-lidar")
            .await;
        let differing: Vec<&str> = c
            .groups
            .iter()
            .flat_map(|g| g.rows.iter())
            .filter(|r| !r.same)
            .map(|r| r.key.as_str())
            .collect();
        // the sources give only these for the two trims; everything else is unknown on both
        assert_eq!(differing, ["official_price_yuan"]);
        assert_eq!(c.groups[0].rows[0].best, [true, false], "the cheaper one is best");
    }
}

both! {
    async fn unknown_trim_ids_and_trims_the_dealer_does_not_sell_are_dropped(app) {
        let c: Comparison = app
            .get_ok("/api/v1/dealers/leapmotor/compare?trims=nope,leapmotor-b01-2025-430-shuxiang,xiaomi-su7-std,nope")
            .await;
        assert_eq!(c.trims.len(), 1);
        assert_eq!(c.trims[0].id, "leapmotor-b01-2025-430-shuxiang");
        assert_eq!(c.dropped, ["nope", "xiaomi-su7-std"]);

        let none: Comparison = app.get_ok("/api/v1/dealers/demo/compare?trims=nope").await;
        assert!(none.trims.is_empty());
        assert_eq!(none.dropped, ["nope"]);
    }
}

both! {
    async fn more_than_four_trims_or_none_at_all_is_a_422_on_trims(app) {
        for query in [
            "?trims=xiaomi-su7-std,xiaomi-su7-pro,xiaomi-su7-max,tesla-model-3-rwd,tesla-model-3-lr",
            "?trims=",
            "?trims=,,",
            "",
        ] {
            let body = app
                .get_err(&format!("/api/v1/dealers/demo/compare{query}"), StatusCode::UNPROCESSABLE_ENTITY)
                .await;
            assert_eq!(body.error.code, "invalid", "{query}");
            assert_eq!(body.error.field.as_deref(), Some("trims"), "{query}");
        }
        // four is fine, duplicates count once
        let c: Comparison = app
            .get_ok("/api/v1/dealers/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro,xiaomi-su7-max,tesla-model-3-rwd,xiaomi-su7-std")
            .await;
        assert_eq!(c.trims.len(), 4);
    }
}
