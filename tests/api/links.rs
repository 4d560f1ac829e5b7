//! Share links on both databases: a consultant makes one, a person's click is counted and sent
//! to the page with the channel (their first and last touch kept), previews and staff visits
//! are kept but never counted, bad targets (another site, another dealer, no page) and bad
//! fields are refused and change nothing, bursts of link making get 429, and unknown or
//! expired codes get a friendly page.

use reqwest::{header, StatusCode};
use serde_json::json;
use server::attribution::{FIRST_TOUCH, LAST_TOUCH};
use shared::link::{self, Channel, Link};

use crate::console::sign_in;
use crate::helpers::{err, TestApp};

const WECHAT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/4G";

async fn make_link(
    app: &TestApp,
    client: &reqwest::Client,
    body: serde_json::Value,
) -> reqwest::Response {
    client
        .post(app.url("/api/v1/console/links"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn open(
    app: &TestApp,
    client: &reqwest::Client,
    method: reqwest::Method,
    path: &str,
    agent: &str,
) -> reqwest::Response {
    client
        .request(method, app.url(path))
        .header(header::USER_AGENT, agent)
        .send()
        .await
        .unwrap()
}

async fn my_links(app: &TestApp, client: &reqwest::Client) -> Vec<Link> {
    let response = client
        .get(app.url("/api/v1/console/links"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

both! {
    async fn a_click_is_counted_and_sent_on_with_its_channel_but_previews_and_staff_visits_are_not(app) {
        let wang = sign_in(&app, "demo-wang").await;
        let response = make_link(&app, &wang, json!({
            "target": "/demo/models/byd-qin-plus", "channel": "moments", "campaign": " 双十二 "
        })).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let made: Link = response.json().await.unwrap();
        assert!(link::is_code(&made.code), "{}", made.code);
        assert_eq!(made.path, format!("/s/{}", made.code));
        assert_eq!((made.channel, made.campaign.as_deref(), made.clicks), (Channel::Moments, Some("双十二"), 0));

        // A friend opens it twice in WeChat: two clicks, one visitor, a cookie of the dealer's.
        let friend = app.phone();
        for _ in 0..2 {
            let opened = open(&app, &friend, reqwest::Method::GET, &made.path, WECHAT).await;
            assert_eq!(opened.status(), StatusCode::FOUND);
            assert_eq!(opened.headers()[header::LOCATION], "/demo/models/byd-qin-plus?ch=moments");
            assert_eq!(opened.headers()[header::CACHE_CONTROL], "no-store");
        }
        // A chat app building the card (HEAD, or its crawler's agent) and the consultant
        // himself are sent on too, and kept, but never counted.
        let preview = open(&app, &app.phone(), reqwest::Method::HEAD, &made.path, WECHAT).await;
        assert_eq!(preview.status(), StatusCode::FOUND);
        assert!(preview.headers().get(header::SET_COOKIE).is_none());
        let crawler = open(&app, &app.phone(), reqwest::Method::GET, &made.path, "WhatsApp/2.23.20 A").await;
        assert_eq!(crawler.status(), StatusCode::FOUND);
        let own = open(&app, &wang, reqwest::Method::GET, &made.path, WECHAT).await;
        assert_eq!(own.status(), StatusCode::FOUND);
        let colleague = sign_in(&app, "demo-li").await;
        open(&app, &colleague, reqwest::Method::GET, &made.path, WECHAT).await;

        let listed = my_links(&app, &wang).await;
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].clicks, listed[0].previews, listed[0].visitors), (2, 2, 1));
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM link_visits").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(kept, 6);
        // A colleague's list holds only their own links.
        assert!(my_links(&app, &colleague).await.is_empty());
        // Another dealer's staff see none of them and cannot link to this dealer's pages.
        let leap = sign_in(&app, "leap-liu").await;
        assert!(my_links(&app, &leap).await.is_empty());
        let foreign = err(make_link(&app, &leap, json!({"target": "/demo/models", "channel": "chat"})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(foreign.error.field.as_deref(), Some("target"));

        // A target with a query keeps it and gains the channel.
        let compare: Link = make_link(&app, &wang, json!({
            "target": "/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro", "channel": "chat"
        })).await.json().await.unwrap();
        let opened = open(&app, &friend, reqwest::Method::GET, &compare.path, WECHAT).await;
        assert_eq!(opened.headers()[header::LOCATION], "/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro&ch=chat");

        // The friend's touches: the first link that brought them stays, the last moves on;
        // previews and staff visits touch nobody.
        app.clicks.flush().await;
        let clickers: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT visitor FROM link_visits WHERE counted = 1")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(clickers.len(), 1, "only the friend's clicks count");
        let touches: (String, String) = sqlx::query_as(&format!(
            "SELECT (SELECT l.code FROM link_visits v JOIN links l ON l.id = v.link_id \
             WHERE v.id = ({FIRST_TOUCH})), (SELECT l.code FROM link_visits v \
             JOIN links l ON l.id = v.link_id WHERE v.id = ({LAST_TOUCH}))"
        ))
        .bind(app.dealer_id("demo").await)
        .bind(&clickers[0])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(touches, (made.code.clone(), compare.code.clone()));

        // Another dealer's staff visiting this dealer's link is a customer's click like any other.
        open(&app, &leap, reqwest::Method::GET, &made.path, WECHAT).await;
        let listed = my_links(&app, &wang).await;
        let first = listed.iter().find(|l| l.code == made.code).unwrap();
        assert_eq!((first.clicks, first.visitors), (3, 2));
    }
}

both! {
    async fn bad_links_are_refused_and_change_nothing_and_dead_codes_get_a_friendly_page(app) {
        let wang = sign_in(&app, "demo-wang").await;
        let before = app.row_counts().await;
        for (body, field) in [
            (json!({"target": "https://evil.example/", "channel": "chat"}), "target"),
            (json!({"target": "//evil.example/demo/", "channel": "chat"}), "target"),
            (json!({"target": "/leap/models", "channel": "chat"}), "target"),
            (json!({"target": "/demo/nope", "channel": "chat"}), "target"),
            (json!({"target": "/demo/", "channel": "chat", "campaign": "活".repeat(41)}), "campaign"),
            (json!({"target": "/demo/", "channel": "chat", "expires_on": "2020-01-01"}), "expires_on"),
        ] {
            let refused = err(make_link(&app, &wang, body.clone()).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(refused.error.field.as_deref(), Some(field), "{body}");
            assert!(!refused.error.message.is_empty());
        }
        let unknown_channel = make_link(&app, &wang, json!({"target": "/demo/", "channel": "tv"})).await;
        assert!(unknown_channel.status().is_client_error());
        let nobody = make_link(&app, &app.phone(), json!({"target": "/demo/", "channel": "chat"})).await;
        assert_eq!(nobody.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.row_counts().await, before);

        // Forged and unknown codes: 404, a page in Chinese with a way on, never a 500.
        for path in ["/s/abc", "/s/AAAAAAAAAA", "/s/AAAAA%2FAAAA", "/s/'%20OR%201=1--"] {
            let page = open(&app, &app.phone(), reqwest::Method::GET, path, WECHAT).await;
            assert_eq!(page.status(), StatusCode::NOT_FOUND, "{path}");
            assert!(page.text().await.unwrap().contains("链接不存在"));
        }
        // An expired link: 410, with the way to its dealer's home.
        let made: Link = make_link(&app, &wang, json!({"target": "/demo/select", "channel": "poster"})).await.json().await.unwrap();
        sqlx::query("UPDATE links SET expires_on = '2020-01-01'").execute(&app.db.pool).await.unwrap();
        let expired = open(&app, &app.phone(), reqwest::Method::GET, &made.path, WECHAT).await;
        assert_eq!(expired.status(), StatusCode::GONE);
        let page = expired.text().await.unwrap();
        assert!(page.contains("链接已过期") && page.contains("href=\"/demo/\""), "{page}");
        let visits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM link_visits").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(visits, 0);
    }
}

both! {
    async fn bursts_of_link_making_get_429_with_retry_after(app) {
        let limited = app.instance(&app.dist, 2).await;
        let wang = app.phone();
        let signed_in = wang
            .post(format!("{limited}/api/v1/console/session"))
            .json(&json!({"login": "demo-wang", "password": "chelink-demo-2026"}))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::OK);
        let make = || wang
            .post(format!("{limited}/api/v1/console/links"))
            .json(&json!({"target": "/demo/", "channel": "chat"}))
            .send();
        for _ in 0..2 {
            assert_eq!(make().await.unwrap().status(), StatusCode::CREATED);
        }
        let refused = make().await.unwrap();
        assert!(refused.headers().get("retry-after").is_some());
        assert_eq!(err(refused, StatusCode::TOO_MANY_REQUESTS).await.error.code, "rate_limited");
        let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM links").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(links, 2);
    }
}

both! {
    async fn a_burst_of_clicks_is_answered_at_once_and_every_click_is_kept(app) {
        let wang = sign_in(&app, "demo-wang").await;
        let made: Link = make_link(&app, &wang, json!({"target": "/demo/", "channel": "moments"}))
            .await
            .json()
            .await
            .unwrap();
        // 300 phones open the link at once (a post to a big group); each is sent on.
        let url = app.url(&made.path);
        let mut clicks = tokio::task::JoinSet::new();
        for _ in 0..300 {
            let (phone, url) = (app.phone(), url.clone());
            clicks.spawn(async move {
                phone.get(url).header(header::USER_AGENT, WECHAT).send().await.unwrap().status()
            });
        }
        let opened = clicks.join_all().await;
        assert!(opened.iter().all(|s| *s == StatusCode::FOUND));
        // The console counts them all (it writes what this instance still holds first).
        let listed = my_links(&app, &wang).await;
        assert_eq!((listed[0].clicks, listed[0].visitors), (300, 300));
        let (visits, visitors): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT visitor) FROM link_visits WHERE counted = 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!((visits, visitors), (300, 300));
    }
}
