//! The filtered catalogue (`GET /api/v1/dealers/{dealer}/series`) and the model page
//! (`GET /api/v1/dealers/{dealer}/series/{series}`).

use reqwest::StatusCode;
use shared::catalog::{BodyType, EnergyType, SeriesDetail, SeriesList};
use shared::compare::trim_steps;

use crate::helpers::TestApp;

async fn ids(app: &TestApp, query: &str) -> Vec<String> {
    let list: SeriesList = app
        .get_ok(&format!("/api/v1/dealers/demo/series{query}"))
        .await;
    assert_eq!(list.total, list.items.len() as i64, "{query}");
    list.items.into_iter().map(|s| s.id).collect()
}

both! {
    async fn the_whole_catalogue_lists_every_series_the_dealer_sells_and_its_brands(app) {
        let list: SeriesList = app.get_ok("/api/v1/dealers/demo/series").await;
        assert_eq!(list.total, 24 + 34);
        assert_eq!(list.brands.len(), 15 + 7);
        assert_eq!(list.brands[0].name_zh, "比亚迪");
        // recommended order: featured first, then the dealer's order
        let featured = list.items.iter().take_while(|s| s.featured).count();
        assert_eq!(featured, 6);
        assert!(list.items[featured..].iter().all(|s| !s.featured));

        let leap: SeriesList = app.get_ok("/api/v1/dealers/leapmotor/series").await;
        assert_eq!(leap.total, 13);
        assert_eq!(leap.brands.len(), 1);
        let lafa5 = leap.items.iter().find(|s| s.id == "leapmotor-lafa5").expect("Lafa5");
        assert_eq!(lafa5.guide_min, None, "no price is published: none is shown");
        assert_eq!(lafa5.body_type, BodyType::Hatchback);
    }
}

both! {
    async fn each_filter_narrows_the_catalogue(app) {
        let all = ids(&app, "").await;
        let cases: [(&str, &[&str]); 14] = [
            ("?energy=erev", &["aito-m5", "aito-m7", "aito-m9", "avatr-11", "avatr-12", "changan-qiyuan-a07", "deepal-l07", "deepal-s07", "leapmotor-c10", "li-auto-l6", "li-auto-l7"]),
            ("?energy=petrol", &["changan-cs75-plus", "geely-xingyue-l", "honda-accord", "honda-civic", "honda-cr-v", "nissan-sylphy", "toyota-camry", "toyota-rav4", "vw-lavida", "vw-sagitar"]),
            ("?body=hatchback", &["byd-dolphin", "byd-seagull", "geely-galaxy-xingyuan", "wuling-bingo", "wuling-hongguang-mini-ev"]),
            ("?seats=6", &["aito-m7", "aito-m9", "byd-tang", "denza-d9", "xpeng-x9"]),
            ("?brand=tesla", &["tesla-model-3", "tesla-model-y"]),
            ("?price_max=100000", &["byd-dolphin", "byd-qin-l", "byd-qin-plus", "byd-seagull", "byd-seal-06", "geely-galaxy-starship-7", "geely-galaxy-xingyuan", "leapmotor-b01", "vw-lavida", "wuling-bingo", "wuling-hongguang-mini-ev", "wuling-starlight-s"]),
            ("?price_min=300000", &["aito-m7", "aito-m9", "avatr-11", "denza-d9", "li-auto-l7", "luxeed-s7", "nio-es6", "tesla-model-3", "tesla-model-y", "xpeng-x9", "zeekr-001"]),
            ("?q=%E7%A7%A6", &["byd-qin-plus", "byd-qin-l"]),
            ("?q=qin", &["byd-qin-plus", "byd-qin-l"]),
            ("?q=QP", &["byd-qin-plus"]),
            ("?q=lpb", &["leapmotor-b01"]),
            ("?q=model%203", &["tesla-model-3"]),
            ("?q=changan", &["changan-cs75-plus", "changan-qiyuan-a07"]),
            ("?energy=bev&body=suv&price_max=260000", &["aito-m5", "byd-sealion-07", "byd-song-l", "byd-song-plus", "byd-yuan-plus", "deepal-s07", "leapmotor-c10", "onvo-l60", "tesla-model-y", "toyota-bz3x", "vw-id4-crozz", "wuling-starlight-s", "xpeng-g6", "xpeng-g9", "zeekr-7x", "zeekr-x"]),
        ];
        let mut wrong = Vec::new();
        for (query, expected) in cases {
            let mut found = ids(&app, query).await;
            found.sort();
            let mut want: Vec<String> = expected.iter().map(|id| id.to_string()).collect();
            want.sort();
            if found != want {
                wrong.push(format!("{query}: {found:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
        // an empty value means "not set"
        assert_eq!(ids(&app, "?energy=&q=").await.len(), all.len());
    }
}

both! {
    async fn sorting_by_price_and_range_puts_unknown_values_last(app) {
        let list: SeriesList = app.get_ok("/api/v1/dealers/demo/series?sort=price_asc").await;
        let prices: Vec<Option<i64>> = list.items.iter().map(|s| s.from_price()).collect();
        let known: Vec<i64> = prices.iter().flatten().copied().collect();
        assert!(known.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
        assert!(prices.iter().skip_while(|p| p.is_some()).all(Option::is_none));
        assert_eq!(list.items[0].id, "wuling-hongguang-mini-ev");

        let list: SeriesList = app.get_ok("/api/v1/dealers/demo/series?sort=price_desc").await;
        let known: Vec<i64> = list.items.iter().filter_map(|s| s.from_price()).collect();
        assert!(known.windows(2).all(|w| w[0] >= w[1]));

        let list: SeriesList = app.get_ok("/api/v1/dealers/demo/series?sort=range_desc").await;
        let ranges: Vec<Option<i64>> = list.items.iter().map(|s| s.max_range_km).collect();
        let known: Vec<i64> = ranges.iter().flatten().copied().collect();
        assert!(known.windows(2).all(|w| w[0] >= w[1]), "{ranges:?}");
        assert!(ranges.iter().skip_while(|r| r.is_some()).all(Option::is_none));
        assert!(known[0] >= 830, "小米SU7 Max's 830 km or more first");
    }
}

both! {
    async fn each_bad_filter_is_a_400_naming_its_field(app) {
        for (query, field) in [
            ("price_min=-1", "price_min"),
            ("price_max=abc", "price_max"),
            ("price_max=99999999999", "price_max"),
            ("energy=diesel", "energy"),
            ("body=truck", "body"),
            ("seats=1", "seats"),
            ("seats=x", "seats"),
            ("brand=BYD!", "brand"),
            ("sort=random", "sort"),
            ("q=%E4%B8%80%E4%BA%8C%E4%B8%89%E5%9B%9B%E4%BA%94%E5%85%AD%E4%B8%83%E5%85%AB%E4%B9%9D%E5%8D%81%E4%B8%80%E4%BA%8C%E4%B8%89%E5%9B%9B%E4%BA%94%E5%85%AD%E4%B8%83%E5%85%AB%E4%B9%9D%E5%8D%81%E4%B8%80%E4%BA%8C%E4%B8%89%E5%9B%9B%E4%BA%94%E5%85%AD%E4%B8%83%E5%85%AB%E4%B9%9D%E5%8D%81%E4%B8%80%E4%BA%8C%E4%B8%89%E5%9B%9B%E4%BA%94%E5%85%AD%E4%B8%83%E5%85%AB%E4%B9%9D%E5%8D%81%E4%B8%80", "q"),
        ] {
            let body = app
                .get_err(&format!("/api/v1/dealers/demo/series?{query}"), StatusCode::BAD_REQUEST)
                .await;
            assert_eq!(body.error.code, "invalid", "{query}");
            assert_eq!(body.error.field.as_deref(), Some(field), "{query}");
        }
    }
}

both! {
    async fn a_lowest_price_above_the_highest_is_a_422_as_a_crossed_budget_is(app) {
        // Each value is a good price; only the rule between them is broken, as with the
        // smart selection's budget: both are refused the same way, and the document says so.
        let body = app
            .get_err("/api/v1/dealers/demo/series?price_min=300000&price_max=100000", StatusCode::UNPROCESSABLE_ENTITY)
            .await;
        assert_eq!((body.error.code.as_str(), body.error.field.as_deref()), ("invalid", Some("price_min")));
        assert_eq!(body.error.message, "最低价不能高于最高价");
        let budget = serde_json::json!({
            "budget_min": 300_000, "budget_max": 100_000, "usage": "commute",
            "family_size": 2, "home_charging": true, "priority": "range",
        });
        let crossed = crate::helpers::err(
            app.post_json("/api/v1/dealers/demo/recommendations", &budget).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(crossed.error.code, body.error.code);
        let doc: serde_json::Value = app.get_ok("/api/v1/openapi.json").await;
        let answers = &doc["paths"]["/api/v1/dealers/{dealer}/series"]["get"]["responses"];
        assert!(answers["422"]["description"].as_str().is_some_and(|d| d.contains("price_min")), "{answers}");
    }
}

both! {
    async fn the_model_page_orders_trims_by_guide_price_and_says_what_each_step_buys(app) {
        let detail: SeriesDetail = app
            .get_ok("/api/v1/dealers/leapmotor/series/leapmotor-b01")
            .await;
        assert_eq!(detail.series.name_zh, "零跑B01");
        let names: Vec<&str> = detail.trims.iter().map(|t| t.name_zh.as_str()).collect();
        assert_eq!(
            names,
            ["2025款 430舒享版", "2025款 550舒享版", "2025款 550悦享版", "2025款 650悦享版", "2025款 550激光雷达版", "2025款 650激光雷达版"]
        );
        let prices: Vec<(Option<i64>, Option<i64>)> =
            detail.trims.iter().map(|t| (t.guide_price, t.dealer_price)).collect();
        assert_eq!(prices[0], (Some(89_800), None));
        assert_eq!(prices[5], (Some(119_800), Some(117_800)));
        assert!(detail.trims.iter().all(|t| t.energy_type == Some(EnergyType::Bev)));
        // thin trims carry only what the sources give: unknown is absent, never false
        let thin = &detail.trims[1].specs;
        assert!(thin.contains_key("length_mm") && thin.contains_key("vehicle_class"), "the price list's size and level");
        assert!(!thin.contains_key("lidar") && !thin.contains_key("wheelbase_mm"));

        assert_eq!(detail.steps.len(), 5);
        assert_eq!(detail.steps[0].price_delta, Some(6_000));
        assert_eq!(
            detail.steps[0].gains,
            ["纯电续航里程CLTC 550km（+120km）", "最大功率 132kW（+32kW）", "电动机总功率 132kW（+32kW）", "电动机总马力 180Ps（+44Ps）", "电池容量 56.2kWh（+12.3kWh）"]
        );
        // the steps are exactly the shared rule on the layout the server serves
        let layout = server::catalog::layout(&app.db).await.expect("layout");
        assert_eq!(detail.steps, trim_steps(&layout, &detail.trims));
    }
}

both! {
    async fn trims_without_a_guide_price_come_last(app) {
        let detail: SeriesDetail = app.get_ok("/api/v1/dealers/demo/series/xiaomi-su7").await;
        let ids: Vec<&str> = detail.trims.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["xiaomi-su7-std", "xiaomi-su7-pro", "xiaomi-su7-max"]);
        assert_eq!(detail.trims[1].guide_price, None);
        assert_eq!(detail.steps[1].price_delta, None);
        assert_eq!(detail.series.guide_min, Some(215_900));
    }
}
