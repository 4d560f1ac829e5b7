//! The catalogue's ready answers (`server::http::cache`): each read carries a strong `ETag` and comes
//! brotli or gzip as asked, a repeat with the current `ETag` gets 304, and a price a manager
//! changes in the console is in the next read of every answer that shows it, on the instance
//! that wrote and, within a second, on another instance on the same database.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::catalog::{DealerHome, SeriesDetail, SeriesList};
use shared::compare::Comparison;

use crate::console::sign_in;
use crate::helpers::{err, ok, TestApp};

/// The catalogue reads the cache serves.
const READS: [&str; 4] = [
    "/api/v1/dealers/demo",
    "/api/v1/dealers/demo/series",
    "/api/v1/dealers/demo/series/xiaomi-su7",
    "/api/v1/dealers/demo/compare?trims=xiaomi-su7-std,tesla-model-3-rwd",
];

/// A GET with these request headers.
async fn get(client: &Client, url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii").to_string())
        .unwrap_or_default()
}

/// The demo's price of the SU7 standard edition as the model page shows it at `address`.
async fn su7_price(client: &Client, address: &str) -> Option<i64> {
    let url = format!("{address}/api/v1/dealers/demo/series/xiaomi-su7");
    let detail: SeriesDetail = ok(get(client, &url, &[]).await).await;
    detail
        .trims
        .iter()
        .find(|t| t.id == "xiaomi-su7-std")
        .expect("the standard edition")
        .dealer_price
}

async fn set_price(manager: &Client, app: &TestApp, price: serde_json::Value) -> reqwest::Response {
    manager
        .put(app.url("/api/v1/console/prices/xiaomi-su7-std"))
        .json(&json!({ "dealer_price": price }))
        .send()
        .await
        .expect("request")
}

both! {
    async fn a_repeat_read_with_the_current_etag_gets_304_in_the_encoding_asked(app) {
        for path in READS {
            let url = app.url(path);
            let first = get(&app.client, &url, &[("accept-encoding", "gzip, br")]).await;
            assert_eq!(first.status(), StatusCode::OK, "{path}");
            assert_eq!(header(&first, "content-encoding"), "br", "{path}");
            assert_eq!(header(&first, "cache-control"), "no-cache", "{path}");
            assert_eq!(header(&first, "vary"), "accept-encoding", "{path}");
            let etag = header(&first, "etag");
            assert!(etag.starts_with('"') && etag.ends_with("-br\""), "{path}: a strong ETag {etag}");
            let brotli = first.bytes().await.expect("body");

            let again = get(&app.client, &url, &[("accept-encoding", "gzip, br"), ("if-none-match", &etag)]).await;
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
            assert_eq!(header(&again, "etag"), etag);
            assert!(again.bytes().await.expect("body").is_empty());

            // Another tag, or the same answer in another encoding, is sent in full.
            let other = get(&app.client, &url, &[("accept-encoding", "br"), ("if-none-match", "\"stale\"")]).await;
            assert_eq!(other.status(), StatusCode::OK, "{path}");
            assert_eq!(other.bytes().await.expect("body"), brotli, "the same bytes every time");
            let gzip = get(&app.client, &url, &[("accept-encoding", "gzip"), ("if-none-match", &etag)]).await;
            assert_eq!(gzip.status(), StatusCode::OK, "{path}");
            assert_eq!(header(&gzip, "content-encoding"), "gzip");
            assert!(header(&gzip, "etag").ends_with("-gz\""));
            let plain = get(&app.client, &url, &[]).await;
            assert_eq!(header(&plain, "content-encoding"), "");
            assert_eq!(header(&plain, "etag"), etag.replace("-br\"", "\""));
            let text = plain.text().await.expect("body");
            assert!(text.len() > brotli.len(), "{path}: brotli is smaller");
        }
        // Each answer still decodes into its type.
        let _: DealerHome = app.get_ok(READS[0]).await;
        let _: SeriesList = app.get_ok(READS[1]).await;
        let _: SeriesDetail = app.get_ok(READS[2]).await;
        let _: Comparison = app.get_ok(READS[3]).await;
    }
}

both! {
    async fn a_price_the_console_changes_is_in_the_next_read_of_every_answer(app) {
        assert_eq!(su7_price(&app.client, &app.address).await, None, "sold at the guide price");
        let mut etags = Vec::new();
        for path in READS {
            let response = get(&app.client, &app.url(path), &[]).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            etags.push(header(&response, "etag"));
        }
        let shell = app.get("/demo/compare?trims=xiaomi-su7-std").await.text().await.expect("html");

        let manager = sign_in(&app, "demo-manager").await;
        let saved = set_price(&manager, &app, json!(199_900)).await;
        assert_eq!(saved.status(), StatusCode::OK);

        assert_eq!(su7_price(&app.client, &app.address).await, Some(199_900));
        for (path, etag) in READS.iter().zip(&etags) {
            let response = get(&app.client, &app.url(path), &[("if-none-match", etag)]).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}: the old ETag no longer matches");
            assert_ne!(&header(&response, "etag"), etag, "{path}");
        }
        let list: SeriesList = app.get_ok(READS[1]).await;
        let su7 = list.items.iter().find(|s| s.id == "xiaomi-su7").expect("SU7 listed");
        assert_eq!(su7.dealer_min, Some(199_900));
        let comparison: Comparison = app.get_ok(READS[3]).await;
        assert_eq!(comparison.trims[0].dealer_price, Some(199_900));
        // The shell of the same page is rendered again too, and reads the same.
        let again = app.get("/demo/compare?trims=xiaomi-su7-std").await.text().await.expect("html");
        assert_eq!(again, shell);

        // Back to the guide price.
        assert_eq!(set_price(&manager, &app, json!(null)).await.status(), StatusCode::OK);
        assert_eq!(su7_price(&app.client, &app.address).await, None);

        // Only a manager, only a trim the dealer sells, only a price in range; nothing written.
        let consultant = sign_in(&app, "demo-wang").await;
        err(set_price(&consultant, &app, json!(150_000)).await, StatusCode::FORBIDDEN).await;
        for bad in [json!(0), json!(-1), json!(10_000_001)] {
            let e = err(set_price(&manager, &app, bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.field.as_deref(), Some("dealer_price"));
        }
        let unknown = manager
            .put(app.url("/api/v1/console/prices/no-such-trim"))
            .json(&json!({ "dealer_price": 80_000 }))
            .send()
            .await
            .expect("request");
        err(unknown, StatusCode::NOT_FOUND).await;
        assert_eq!(su7_price(&app.client, &app.address).await, None);
    }
}

both! {
    async fn a_price_changed_through_one_instance_is_served_by_another_within_a_second(app) {
        let other = app.another_instance(&app.dist).await;
        // Both instances hold the old answer ready.
        assert_eq!(su7_price(&app.client, &other).await, None);
        assert_eq!(su7_price(&app.client, &app.address).await, None);

        let manager = sign_in(&app, "demo-manager").await;
        let saved = set_price(&manager, &app, json!(188_800)).await;
        let changed = Instant::now();
        assert_eq!(saved.status(), StatusCode::OK);
        assert_eq!(su7_price(&app.client, &app.address).await, Some(188_800), "the writer at once");
        loop {
            let fresh = su7_price(&app.client, &other).await == Some(188_800);
            assert!(
                changed.elapsed() < Duration::from_secs(1),
                "the other instance served the new price only after {:?}",
                changed.elapsed()
            );
            if fresh {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
