//! 热门搜索: a buyer's search is counted once per visitor and query; a staff member's, and one
//! that finds nothing the dealer sells, are not; the most searched come first; a bad query is
//! 422 with nothing recorded.

use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::catalog::SeriesList;
use shared::search::HotSearches;

use crate::console::sign_in;
use crate::helpers::{err, TestApp};

async fn search(client: &Client, app: &TestApp, dealer: &str, q: &str) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/v1/dealers/{dealer}/searches")))
        .json(&json!({ "q": q }))
        .send()
        .await
        .expect("request")
}

async fn searched(client: &Client, app: &TestApp, q: &str) {
    let response = search(client, app, "demo", q).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT, "{q}");
}

both! {
    async fn the_most_searched_queries_that_find_a_series_are_hot(app) {
        let list: SeriesList = app.get_ok("/api/v1/dealers/demo/series").await;
        let first = list.items[0].name_zh.clone();
        let second = list.items[1].name_zh.clone();
        let third = list.items[2].name_zh.clone();
        let (one, two, three) = (app.phone(), app.phone(), app.phone());
        // `second` by three visitors (one of them three times), `first` by two, `third` by one.
        for _ in 0..3 {
            searched(&one, &app, &second).await;
        }
        searched(&two, &app, &format!("  {second} ")).await;
        searched(&three, &app, &second).await;
        searched(&one, &app, &first).await;
        searched(&two, &app, &first).await;
        searched(&three, &app, &third).await;
        // Nothing on sale is found: not counted.
        searched(&one, &app, "没有这种车").await;
        // A staff member's search is not a buyer's.
        let manager = sign_in(&app, "demo-manager").await;
        for _ in 0..5 {
            searched(&manager, &app, "zzz").await;
            let staff = search(&manager, &app, "demo", &third).await;
            assert_eq!(staff.status(), StatusCode::NO_CONTENT);
        }
        let hot: HotSearches = app.get_ok("/api/v1/dealers/demo/hot-searches").await;
        let lower = |s: &str| s.to_ascii_lowercase();
        assert_eq!(hot.queries, vec![lower(&second), lower(&first), lower(&third)]);
        // Another dealer's buyers searched nothing.
        let other: HotSearches = app.get_ok("/api/v1/dealers/leapmotor/hot-searches").await;
        assert!(other.queries.is_empty());
    }
}

both! {
    async fn an_empty_long_or_hidden_query_is_refused_and_not_recorded(app) {
        let phone = app.phone();
        for q in ["   ", &"秦".repeat(21), "秦\u{200B}"] {
            let refused = err(search(&phone, &app, "demo", q).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(refused.error.field.as_deref(), Some("q"), "{q:?}");
        }
        err(search(&phone, &app, "no-such-dealer", "秦").await, StatusCode::NOT_FOUND).await;
        let hot: HotSearches = app.get_ok("/api/v1/dealers/demo/hot-searches").await;
        assert!(hot.queries.is_empty());
    }
}
