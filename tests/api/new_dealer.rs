//! A dealer with nothing yet, on both databases: its consumer pages answer with empty states
//! (no series on sale, no stores), its admin's 今日 lists the set-up steps left, and 车型 puts
//! platform series on sale and features them, which every consumer answer shows at once.

use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::catalog::{DealerHome, SeriesList};
use shared::console::{CatalogSeries, FirstSteps, StoreView, Today};

use crate::console::sign_in;
use crate::helpers::{err, ok, TestApp};

/// A dealer as `chelink-server dealer add` makes it (no store, no series, one admin), and
/// its admin's phone, signed in through the one-time link.
async fn empty_dealer(app: &TestApp) -> Client {
    let new = server::dealers::NewDealer {
        slug: "newshop".into(),
        name: "新店汽车".into(),
        province: "浙江".into(),
        admin_login: "new-admin".into(),
        admin_name: "林店长".into(),
    };
    let added = server::dealers::add(&app.db, &new, server::clock::Clock::now().millis)
        .await
        .unwrap();
    let admin = app.phone();
    let response = admin
        .post(app.url(&format!(
            "/api/v1/console/sign-in-links/{}",
            added.link.token
        )))
        .json(&json!({"password": "new-admin-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    admin
}

both! {
    async fn a_new_dealer_starts_empty_and_puts_platform_series_on_sale(app) {
        let admin = empty_dealer(&app).await;
        let home: DealerHome = app.get_ok("/api/v1/dealers/newshop").await;
        assert_eq!((home.series_on_sale, home.featured.len(), home.stores.len()), (0, 0, 0));
        let list: SeriesList = app.get_ok("/api/v1/dealers/newshop/series").await;
        assert_eq!((list.total, list.brands.len()), (0, 0));
        // The demo dealer sells; the count says so.
        let demo: DealerHome = app.get_ok("/api/v1/dealers/demo").await;
        assert!(demo.series_on_sale > 0);

        let today: Today = ok(admin.get(app.url("/api/v1/console/today")).send().await.unwrap()).await;
        assert_eq!(today.first_steps, Some(FirstSteps::default()));

        let platform: Vec<CatalogSeries> =
            ok(admin.get(app.url("/api/v1/console/catalog/series")).send().await.unwrap()).await;
        assert!(platform.len() >= 20, "{}", platform.len());
        assert!(platform.iter().all(|s| !s.on_sale && !s.featured));
        let put = |series: &str, on_sale: bool, featured: bool| {
            admin
                .put(app.url(&format!("/api/v1/console/catalog/series/{series}")))
                .json(&json!({"on_sale": on_sale, "featured": featured}))
                .send()
        };

        // Featured without being on sale, or a series the platform lacks: refused, nothing written.
        let e = err(put("byd-qin-plus", false, true).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("featured"));
        let e = err(put("no-such-series", true, false).await.unwrap(), StatusCode::NOT_FOUND).await;
        assert_eq!(e.error.code, "not_found");
        let home: DealerHome = app.get_ok("/api/v1/dealers/newshop").await;
        assert_eq!(home.series_on_sale, 0);

        let saved: CatalogSeries = ok(put("byd-qin-plus", true, true).await.unwrap()).await;
        let trims = saved.trims;
        assert!(saved.on_sale && saved.featured && trims > 0);
        let _: CatalogSeries = ok(put("xiaomi-su7", true, false).await.unwrap()).await;
        // At once on this instance: the home page, the catalogue and the series page.
        let home: DealerHome = app.get_ok("/api/v1/dealers/newshop").await;
        assert_eq!(home.series_on_sale, 2);
        assert_eq!(home.featured.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["byd-qin-plus"]);
        let list: SeriesList = app.get_ok("/api/v1/dealers/newshop/series").await;
        assert_eq!(list.total, 2);
        let detail: serde_json::Value = app.get_ok("/api/v1/dealers/newshop/series/byd-qin-plus").await;
        assert_eq!(detail["trims"].as_array().map(Vec::len), Some(trims as usize));
        let today: Today = ok(admin.get(app.url("/api/v1/console/today")).send().await.unwrap()).await;
        assert_eq!(today.first_steps.map(|s| s.series_on_sale), Some(2));

        // Off again: its trims go with it; another dealer's catalogue never changed.
        let off: CatalogSeries = ok(put("byd-qin-plus", false, false).await.unwrap()).await;
        assert!(!off.on_sale && !off.featured);
        let list: SeriesList = app.get_ok("/api/v1/dealers/newshop/series").await;
        assert_eq!(list.items.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["xiaomi-su7"]);
        app.get_err("/api/v1/dealers/newshop/series/byd-qin-plus", StatusCode::NOT_FOUND).await;
        let demo_after: DealerHome = app.get_ok("/api/v1/dealers/demo").await;
        assert_eq!(demo_after.series_on_sale, demo.series_on_sale);

        // A demo admin's 今日 has nothing left to set up.
        let demo_admin = sign_in(&app, "demo-admin").await;
        let today: Today = ok(demo_admin.get(app.url("/api/v1/console/today")).send().await.unwrap()).await;
        assert_eq!(today.first_steps, None, "the demo dealer is set up");
    }
}

both! {
    async fn an_admin_adds_a_store_that_the_home_page_shows_at_once(app) {
        let admin = empty_dealer(&app).await;
        let add = |body: serde_json::Value| admin.post(app.url("/api/v1/console/stores")).json(&body).send();
        let good = json!({"name": "城西店", "city": "杭州", "address": "西湖区文三路100号", "phone": "0571-88886666", "opening_hours": "09:00-18:00"});
        // Each wrong field is named, and nothing is written.
        for (field, value) in [("name", "店"), ("address", "文三路"), ("phone", "12345"), ("city", "")] {
            let mut body = good.clone();
            body[field] = json!(value);
            let e = err(add(body).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.field.as_deref(), Some(field));
        }
        let home: DealerHome = app.get_ok("/api/v1/dealers/newshop").await;
        assert!(home.stores.is_empty());

        let response = add(good.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let view: StoreView = response.json().await.unwrap();
        assert_eq!((view.store.name.as_str(), view.store.phone.as_str()), ("城西店", "057188886666"));
        assert!(view.setup.hours.is_empty() && view.setup.templates.is_empty());
        let home: DealerHome = app.get_ok("/api/v1/dealers/newshop").await;
        assert_eq!(home.stores.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["城西店"]);
        let today: Today = ok(admin.get(app.url("/api/v1/console/today")).send().await.unwrap()).await;
        assert_eq!(today.first_steps.map(|s| s.stores), Some(1));

        // The same name again is a conflict; a manager or consultant of another dealer cannot add.
        let e = err(add(good.clone()).await.unwrap(), StatusCode::CONFLICT).await;
        assert_eq!(e.error.field.as_deref(), Some("name"));
        let manager = sign_in(&app, "demo-manager").await;
        let response = manager.post(app.url("/api/v1/console/stores")).json(&good).send().await.unwrap();
        assert_eq!(err(response, StatusCode::FORBIDDEN).await.error.code, "forbidden");
        let demo: DealerHome = app.get_ok("/api/v1/dealers/demo").await;
        assert!(demo.stores.iter().all(|s| s.name != "城西店"));
    }
}
