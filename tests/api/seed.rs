//! Loading the demo data is idempotent: seeding again changes no row count and no answer.

use shared::catalog::{EnergyType, SeriesDetail, SeriesList, SeriesStatus};

both! {
    async fn seeding_twice_changes_no_row_counts(app) {
        let before = app.row_counts().await;
        let count = |table: &str| before.iter().find(|(t, _)| t == table).map(|(_, n)| *n);
        assert_eq!(count("dealers"), Some(2));
        assert_eq!(count("stores"), Some(3));
        // catalog-cn.json's 15 brands and 7 more from datasets.json
        assert_eq!(count("brands"), Some(15 + 7));
        assert_eq!(count("series"), Some(24 + 11 + 34));
        assert_eq!(count("dealer_series"), Some(24 + 34 + 13));
        // seven 车船税 amounts per dealer
        assert_eq!(count("dealer_vessel_tax"), Some(2 * 7));
        assert!(count("trim_listings").is_some());
        let list_before: SeriesList = app.get_ok("/api/v1/dealers/demo/series").await;

        server::seed::load_demo(&app.db).await.expect("seed again");
        server::seed::load_demo(&app.db).await.expect("and again");
        server::db::migrate(&app.db).await.expect("migrate again");

        assert_eq!(app.row_counts().await, before);
        let list_after: SeriesList = app.get_ok("/api/v1/dealers/demo/series").await;
        assert_eq!(list_after, list_before);
    }
}

both! {
    async fn the_database_enforces_foreign_keys(app) {
        let orphan = sqlx::query("INSERT INTO dealer_trims (dealer_id, trim_id) VALUES ($1, $2)")
            .bind(999_999_i64)
            .bind("no-such-trim")
            .execute(&app.db.pool)
            .await;
        assert!(orphan.is_err(), "{:?} accepted an orphan row", app.backend);
    }
}

both! {
    async fn the_database_keeps_vessel_tax_amounts_inside_the_national_bands(app) {
        let dealer: i64 = sqlx::query_scalar("SELECT id FROM dealers WHERE slug = 'demo'")
            .fetch_one(&app.db.pool)
            .await
            .expect("demo");
        for (band, amount) in [(1_i64, 299_i64), (1, 541), (6, 5_401), (7, 4_000)] {
            let changed = sqlx::query(
                "UPDATE dealer_vessel_tax SET annual_yuan = $3 WHERE dealer_id = $1 AND band = $2",
            )
            .bind(dealer)
            .bind(band)
            .bind(amount)
            .execute(&app.db.pool)
            .await;
            let inserted = sqlx::query("INSERT INTO dealer_vessel_tax (dealer_id, band, annual_yuan) VALUES ($1, $2, $3)")
                .bind(dealer)
                .bind(band + 10)
                .bind(amount)
                .execute(&app.db.pool)
                .await;
            assert!(changed.is_err() || band == 7, "{:?} accepted {amount} for band {band}", app.backend);
            assert!(inserted.is_err(), "{:?} accepted band {}", app.backend, band + 10);
        }
        let listing = sqlx::query("INSERT INTO trim_listings (trim_id, period, listed, source) VALUES ('xiaomi-su7-std', '2030-2031', 1, 'x')")
            .execute(&app.db.pool)
            .await;
        assert!(listing.is_err(), "{:?} accepted an unknown period", app.backend);
    }
}

both! {
    async fn every_series_on_sale_has_a_trim_the_calculator_can_price(app) {
        // Every series on sale has one (朗逸 has since the Dongchedi price list, datasets.json).
        let unsourced: [&str; 0] = [];
        for dealer in ["demo", "leapmotor"] {
            let list: SeriesList = app.get_ok(&format!("/api/v1/dealers/{dealer}/series")).await;
            for series in list.items.iter().filter(|s| s.status == SeriesStatus::OnSale) {
                let detail: SeriesDetail = app
                    .get_ok(&format!("/api/v1/dealers/{dealer}/series/{}", series.id))
                    .await;
                let priced = detail.trims.iter().any(|t| t.price().is_some() && t.energy_type.is_some());
                assert_eq!(
                    priced,
                    !unsourced.contains(&series.id.as_str()),
                    "{dealer}/{}: {} trims, priced: {priced}",
                    series.id,
                    detail.trims.len()
                );
            }
        }
        // Every engine the demo prices has its displacement, so its 车船税 is counted.
        let demo: SeriesList = app.get_ok("/api/v1/dealers/demo/series").await;
        let mut petrol = 0_usize;
        for series in &demo.items {
            let detail: SeriesDetail = app
                .get_ok(&format!("/api/v1/dealers/demo/series/{}", series.id))
                .await;
            for trim in detail.trims.iter().filter(|t| matches!(t.energy_type, Some(EnergyType::Petrol | EnergyType::Hybrid))) {
                petrol += 1;
                assert!(trim.displacement_ml.is_some(), "{} has no displacement", trim.id);
            }
        }
        assert!(petrol > 0, "the demo prices no engine");
    }
}

both! {
    async fn database_refusals_keep_their_kind_a_duplicate_is_409_a_broken_rule_422(app) {
        use server::http::error::Error;
        let status = |result: Result<sqlx::any::AnyQueryResult, sqlx::Error>| {
            Error::from(result.expect_err("the database refused it")).status().as_u16()
        };
        let duplicate = sqlx::query("INSERT INTO brands (id, name_zh, name_en) VALUES ('byd', '比亚迪', 'BYD')")
            .execute(&app.db.pool)
            .await;
        assert_eq!(status(duplicate), 409, "{:?}", app.backend);
        let orphan = sqlx::query("INSERT INTO dealer_trims (dealer_id, trim_id) VALUES ($1, $2)")
            .bind(999_999_i64)
            .bind("no-such-trim")
            .execute(&app.db.pool)
            .await;
        assert_eq!(status(orphan), 422, "{:?}", app.backend);
        let out_of_band = sqlx::query("UPDATE dealer_vessel_tax SET annual_yuan = 9999 WHERE band = 1")
            .execute(&app.db.pool)
            .await;
        assert_eq!(status(out_of_band), 422, "{:?}", app.backend);
    }
}
