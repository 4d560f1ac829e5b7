//! The dealer home (`GET /api/v1/dealers/{dealer}`) and 404s for unknown dealers and series.

use reqwest::StatusCode;
use shared::catalog::DealerHome;

both! {
    async fn the_demo_home_shows_the_dealer_its_stores_and_featured_models(app) {
        let home: DealerHome = app.get_ok("/api/v1/dealers/demo").await;
        assert_eq!(home.dealer.slug, "demo");
        assert_eq!(home.dealer.name, "车链汽车城（演示）");
        assert_eq!(home.dealer.brand_color.len(), 7);
        assert!(home.dealer.brand_color.starts_with('#'));
        assert_eq!(home.stores.len(), 2);
        assert!(home.stores.iter().all(|s| s.name.contains("演示") && !s.opening_hours.is_empty()));
        assert!((4..=6).contains(&home.featured.len()));
        assert!(home.featured.iter().all(|s| s.featured));
        let qin = home.featured.iter().find(|s| s.id == "byd-qin-plus").expect("秦PLUS featured");
        assert_eq!(qin.name_zh, "秦PLUS");
        assert_eq!(qin.brand_name, "比亚迪");
        assert_eq!((qin.guide_min, qin.guide_max), (Some(79_800), Some(179_800)));
        // its own price on the 2025款 DM-i 55KM 领先型 (guide 79,800)
        assert_eq!(qin.dealer_min, Some(76_900));
    }
}

both! {
    async fn the_leapmotor_home_shows_only_leapmotor_models(app) {
        let home: DealerHome = app.get_ok("/api/v1/dealers/leapmotor").await;
        assert_eq!(home.dealer.name, "零跑汽车 XX 4S店（演示）");
        assert_eq!(home.stores.len(), 1);
        assert!(home.featured.iter().all(|s| s.brand_id == "leapmotor"));
        let b01 = home.featured.iter().find(|s| s.id == "leapmotor-b01").expect("B01 featured");
        assert_eq!(b01.trim_count, 6);
        assert_eq!(b01.seats, [5]);
        assert_eq!(b01.max_range_km, Some(650));
        // the 430 trim is not discounted: the lowest asking price is its guide price
        assert_eq!(b01.dealer_min, Some(89_800));
        assert_eq!((b01.guide_min, b01.guide_max), (Some(89_800), Some(119_800)));
    }
}

both! {
    async fn an_unknown_dealer_is_a_404_in_chinese_on_every_route(app) {
        for path in [
            "/api/v1/dealers/nope",
            "/api/v1/dealers/nope/series",
            "/api/v1/dealers/nope/series/byd-qin-plus",
            "/api/v1/dealers/nope/compare?trims=xiaomi-su7-std",
        ] {
            let body = app.get_err(path, StatusCode::NOT_FOUND).await;
            assert_eq!(body.error.code, "not_found", "{path}");
            assert_eq!(body.error.message, "未找到该经销商");
        }
        let answers = shared::select::Answers {
            budget_min: None,
            budget_max: Some(200_000),
            usage: shared::select::Usage::Commute,
            family_size: 2,
            home_charging: true,
            priority: shared::select::Priority::Range,
        };
        let response = app.post_json("/api/v1/dealers/nope/recommendations", &answers).await;
        let body = crate::helpers::err(response, StatusCode::NOT_FOUND).await;
        assert_eq!(body.error.code, "not_found");
    }
}

both! {
    async fn an_unknown_series_or_one_the_dealer_does_not_sell_is_a_404(app) {
        for path in [
            "/api/v1/dealers/demo/series/nope",
            // a Leapmotor series only the Leapmotor store sells
            "/api/v1/dealers/demo/series/leapmotor-c16",
            "/api/v1/dealers/leapmotor/series/byd-qin-plus",
        ] {
            let body = app.get_err(path, StatusCode::NOT_FOUND).await;
            assert_eq!(body.error.code, "not_found");
            assert_eq!(body.error.message, "未找到该车系");
        }
    }
}
