//! WeChat on both databases, against the local fake of WeChat's API (`fake_wechat.rs`): the
//! JS-SDK signature verifies with `shared::wechat`, concurrent signing fetches one token and one
//! ticket, an expired token is refreshed once, a bad credential or an outage is a clear 503
//! that does not call WeChat per request, a URL off the dealer's domain is 400, a dealer
//! without settings 404; the settings are for admins only, their secret never comes back, and
//! the MP_verify file is served at the root. Share cards in the shell: the model page and the
//! comparison.

use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::wechat::{js_sdk_signature, JsConfig, WeChatSettings};

use crate::console::sign_in;
use crate::fake_wechat::{APP_ID, SECRET};
use crate::helpers::{err, ok, TestApp};

const MODEL: &str = "/demo/models/byd-qin-plus";

/// The host the test server answers on, which the dealer's JS-SDK domain is set to.
fn host(app: &TestApp) -> String {
    let authority = app.address.trim_start_matches("http://");
    authority.split(':').next().unwrap().to_string()
}

/// The demo dealer's admin saves the fake's account for the test server's host.
async fn configure(app: &TestApp, secret: &str) -> Client {
    let admin = sign_in(app, "demo-admin").await;
    let body = json!({"app_id": APP_ID, "app_secret": secret, "domain": host(app)});
    let response = admin
        .put(app.url("/api/v1/console/wechat"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let saved: WeChatSettings = ok(response).await;
    assert!(saved.secret_set);
    admin
}

fn js_config_path(url: &str) -> String {
    let query: String = [("url", url)]
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("/api/v1/dealers/demo/wechat/js-config?{query}")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Asks for a signature and returns the raw body too, to look for the secret in it.
async fn sign(app: &TestApp, url: &str) -> (StatusCode, String) {
    let response = app.get(&js_config_path(url)).await;
    let status = response.status();
    (status, response.text().await.unwrap())
}

both! {
    async fn many_concurrent_signing_requests_fetch_one_token_and_one_ticket(app) {
        configure(&app, SECRET).await;
        let url = app.url(&format!("{MODEL}?ch=chat#trims"));
        // All in flight at once: the first fetch is still under way (the fake takes 200 ms
        // for a token) when the others arrive.
        let tasks: Vec<_> = (0..24)
            .map(|_| {
                let (client, path) = (app.client.clone(), app.url(&js_config_path(&url)));
                tokio::spawn(async move {
                    let response = client.get(path).send().await.unwrap();
                    (response.status(), response.text().await.unwrap())
                })
            })
            .collect();
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        assert_eq!(app.wechat.token_calls(), 1);
        assert_eq!(app.wechat.ticket_calls(), 1);
        let ticket = app.wechat.last_ticket();
        let signed_url = app.url(&format!("{MODEL}?ch=chat"));
        for (status, body) in answers {
            assert_eq!(status, StatusCode::OK, "{body}");
            assert!(!body.contains(SECRET) && !body.contains(&ticket) && !body.contains("ACCESS-TOKEN"), "{body}");
            let config: JsConfig = serde_json::from_str(&body).unwrap();
            assert_eq!(config.app_id, APP_ID);
            assert_eq!(config.url, signed_url, "the fragment is not signed");
            assert!(shared::wechat::is_nonce(&config.nonce_str), "{}", config.nonce_str);
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
            assert!((now - config.timestamp).abs() < 60, "{}", config.timestamp);
            assert_eq!(config.signature, js_sdk_signature(&ticket, &config.nonce_str, config.timestamp, &signed_url));
            assert_eq!(config.script, app.wechat.script());
            assert!(config.share.title.starts_with("秦PLUS"), "{}", config.share.title);
            assert!(config.share.description.contains("比亚迪"), "{}", config.share.description);
            assert_eq!(config.share.image, app.url("/assets/t1/icon.png"));
        }
        // Later requests are signed with the kept ticket: WeChat is not asked again.
        let (status, _) = sign(&app, &app.url("/demo/compare?trims=xiaomi-su7-std")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((app.wechat.token_calls(), app.wechat.ticket_calls()), (1, 1));
    }
}

both! {
    async fn the_share_card_describes_the_page_asked_for_not_the_landing_page(app) {
        configure(&app, SECRET).await;
        // iOS signs the URL the visitor landed on, and shares the page they are on now.
        let landing = app.url("/demo/");
        let path = format!(
            "{}&page={}",
            js_config_path(&landing),
            encode("/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro")
        );
        let config: JsConfig = app.get_ok(&path).await;
        assert_eq!(config.url, landing);
        assert!(config.share.title.contains("对比"), "{}", config.share.title);
        assert!(config.share.title.contains("小米SU7"), "{}", config.share.title);
        // Only the dealer's own pages get a card.
        let foreign = format!("{}&page={}", js_config_path(&landing), encode("/leapmotor/"));
        let e = app.get_err(&foreign, StatusCode::BAD_REQUEST).await;
        assert_eq!(e.error.field.as_deref(), Some("page"));
    }
}

both! {
    async fn an_expired_token_is_refreshed_once_and_signing_succeeds(app) {
        configure(&app, SECRET).await;
        // Tickets that are not worth keeping, so the next signature asks for a new one with
        // the kept token, which WeChat has meanwhile expired.
        app.wechat.tickets_last(60);
        let url = app.url(MODEL);
        assert_eq!(sign(&app, &url).await.0, StatusCode::OK);
        assert_eq!((app.wechat.token_calls(), app.wechat.ticket_calls()), (1, 1));
        app.wechat.expire_tokens();
        let config: JsConfig = app.get_ok(&js_config_path(&url)).await;
        // 42001 for the old token, one new token, a ticket with it.
        assert_eq!((app.wechat.token_calls(), app.wechat.ticket_calls()), (2, 3));
        let ticket = app.wechat.last_ticket();
        assert_eq!(config.signature, js_sdk_signature(&ticket, &config.nonce_str, config.timestamp, &url));
    }
}

both! {
    async fn an_invalid_credential_is_a_clear_503_and_wechat_is_not_asked_per_request(app) {
        let admin = configure(&app, "ffffffffffffffffffffffffffffffff").await;
        let url = app.url(MODEL);
        for _ in 0..5 {
            let e = err(app.get(&js_config_path(&url)).await, StatusCode::SERVICE_UNAVAILABLE).await;
            assert_eq!(e.error.code, "wechat_credential");
            assert!(e.error.message.contains("AppSecret"), "{}", e.error.message);
        }
        assert_eq!((app.wechat.token_calls(), app.wechat.ticket_calls()), (1, 0));
        // The page itself still opens.
        assert_eq!(app.get(MODEL).await.status(), StatusCode::OK);
        // The admin puts the right secret in: the next request signs.
        let body = json!({"app_id": APP_ID, "app_secret": SECRET, "domain": host(&app)});
        let response = admin.put(app.url("/api/v1/console/wechat")).json(&body).send().await.unwrap();
        let _: WeChatSettings = ok(response).await;
        assert_eq!(sign(&app, &url).await.0, StatusCode::OK);
        assert_eq!(app.wechat.token_calls(), 2);
    }
}

both! {
    async fn an_outage_is_a_503_the_page_survives(app) {
        configure(&app, SECRET).await;
        app.wechat.set_down(true);
        let url = app.url(MODEL);
        for _ in 0..3 {
            let e = err(app.get(&js_config_path(&url)).await, StatusCode::SERVICE_UNAVAILABLE).await;
            assert_eq!(e.error.code, "wechat_unavailable");
        }
        assert_eq!(app.wechat.token_calls(), 1, "one try, then the failure is kept a while");
        assert_eq!(app.get(MODEL).await.status(), StatusCode::OK);
    }
}

both! {
    async fn a_url_off_the_domain_is_400_and_a_dealer_without_settings_is_404(app) {
        let e = app.get_err(
            &format!("/api/v1/dealers/demo/wechat/js-config?url={}", encode(&app.url(MODEL))),
            StatusCode::NOT_FOUND,
        ).await;
        assert_eq!(e.error.code, "wechat_not_configured");
        configure(&app, SECRET).await;
        for bad in [
            "https://evil.example.com/demo/models/byd-qin-plus".to_string(),
            format!("http://{}.evil.com/demo/", host(&app)),
            format!("http://user@{}/demo/", host(&app)),
            MODEL.to_string(),
            String::new(),
        ] {
            let e = app.get_err(&js_config_path(&bad), StatusCode::BAD_REQUEST).await;
            assert_eq!(e.error.field.as_deref(), Some("url"), "{bad}");
            assert!(e.error.message.contains(&host(&app)), "{}", e.error.message);
        }
        let e = app.get_err("/api/v1/dealers/demo/wechat/js-config", StatusCode::BAD_REQUEST).await;
        assert_eq!(e.error.code, "invalid");
        app.get_err(&js_config_path(&app.url(MODEL)).replace("/demo/", "/nope/"), StatusCode::NOT_FOUND).await;
        let e = app.get_err(&js_config_path(&app.url("/leapmotor/")).replace("/demo/", "/leapmotor/"), StatusCode::NOT_FOUND).await;
        assert_eq!(e.error.code, "wechat_not_configured");
        assert_eq!((app.wechat.token_calls(), app.wechat.ticket_calls()), (0, 0));
    }
}

both! {
    async fn wechat_settings_are_for_admins_and_the_secret_never_comes_back(app) {
        let good = json!({"app_id": APP_ID, "app_secret": SECRET, "domain": "che.example.com",
            "verify_file": {"name": "MP_verify_Ab12Cd34.txt", "content": "Ab12Cd34\n"}});
        for (method, body) in [("GET", json!({})), ("PUT", good.clone())] {
            let request = |client: &Client| {
                client.request(method.parse().unwrap(), app.url("/api/v1/console/wechat")).json(&body).send()
            };
            let e = err(request(&app.client).await.unwrap(), StatusCode::UNAUTHORIZED).await;
            assert_eq!(e.error.code, "unauthorized");
            for login in ["demo-manager", "demo-wang"] {
                let staff = sign_in(&app, login).await;
                let e = err(request(&staff).await.unwrap(), StatusCode::FORBIDDEN).await;
                assert_eq!(e.error.code, "forbidden", "{login} {method}");
            }
        }
        let admin = sign_in(&app, "demo-admin").await;
        let url = app.url("/api/v1/console/wechat");
        let empty: WeChatSettings = ok(admin.get(&url).send().await.unwrap()).await;
        assert_eq!(empty, WeChatSettings::default());

        // Bad input: a 422 naming the field, and nothing written.
        let before = app.row_counts().await;
        for (field, body) in [
            ("app_id", json!({"app_id": "wx12", "app_secret": SECRET, "domain": "che.example.com"})),
            ("app_secret", json!({"app_id": APP_ID, "app_secret": "", "domain": "che.example.com"})),
            ("app_secret", json!({"app_id": APP_ID, "app_secret": "short", "domain": "che.example.com"})),
            ("domain", json!({"app_id": APP_ID, "app_secret": SECRET, "domain": "https://che.example.com/"})),
            ("verify_file", json!({"app_id": APP_ID, "app_secret": SECRET, "domain": "che.example.com",
                "verify_file": {"name": "index.html", "content": "x"}})),
        ] {
            let e = err(admin.put(&url).json(&body).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.field.as_deref(), Some(field), "{body}");
        }
        assert_eq!(app.row_counts().await, before);
        assert_eq!(app.get("/MP_verify_Ab12Cd34.txt").await.status(), StatusCode::NOT_FOUND);

        let response = admin.put(&url).json(&good).send().await.unwrap();
        let text = response.text().await.unwrap();
        assert!(!text.contains(SECRET), "{text}");
        let saved: WeChatSettings = serde_json::from_str(&text).unwrap();
        assert_eq!(saved, WeChatSettings {
            app_id: APP_ID.into(),
            secret_set: true,
            domain: "che.example.com".into(),
            verify_file: Some("MP_verify_Ab12Cd34.txt".into()),
            reminder_template: String::new(),
        });
        let read = admin.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(!read.contains(SECRET), "{read}");

        // An empty secret and no file keep the stored ones.
        let keep = json!({"app_id": APP_ID, "app_secret": "", "domain": "www.example.com"});
        let kept: WeChatSettings = ok(admin.put(&url).json(&keep).send().await.unwrap()).await;
        assert!(kept.secret_set);
        assert_eq!(kept.domain, "www.example.com");
        assert_eq!(kept.verify_file.as_deref(), Some("MP_verify_Ab12Cd34.txt"));
        let stored: String = sqlx::query_scalar("SELECT app_secret FROM wechat_settings")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(stored, SECRET);

        // The verification file at the root, as WeChat fetches it.
        let file = app.get("/MP_verify_Ab12Cd34.txt").await;
        assert_eq!(file.status(), StatusCode::OK);
        assert!(file.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
        assert_eq!(file.text().await.unwrap(), "Ab12Cd34");
        assert_eq!(app.get("/MP_verify_Zz99.txt").await.status(), StatusCode::NOT_FOUND);

        // Another dealer's admin sees their own (none), not these.
        let theirs = sign_in(&app, "leap-admin").await;
        let other: WeChatSettings = ok(theirs.get(&url).send().await.unwrap()).await;
        assert_eq!(other, WeChatSettings::default());

        // No other answer carries the secret either: the OpenAPI document has no such field.
        let doc = app.get("/api/v1/openapi.json").await.text().await.unwrap();
        assert!(!doc.contains(SECRET));
    }
}

both! {
    async fn the_model_page_and_the_comparison_carry_their_share_card(app) {
        let html = app.get(MODEL).await.text().await.unwrap();
        let title = "秦PLUS - 车链汽车城";
        assert!(html.contains(&format!("<title>{title}")), "{html}");
        assert!(html.contains(&format!("<meta property=\"og:title\" content=\"{title}")), "{html}");
        assert!(html.contains("<meta property=\"og:description\" content=\"秦PLUS（比亚迪）：厂商指导价"), "{html}");
        assert!(html.contains(&format!("<meta property=\"og:image\" content=\"{}\"", app.url("/assets/t1/icon.png"))), "{html}");

        let html = app.get("/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro").await.text().await.unwrap();
        assert!(html.contains("<title>小米SU7 "), "{html}");
        assert!(html.contains(" 对比 小米SU7 "), "{html}");
        assert!(html.contains("- 车型对比 - 车链汽车城"), "{html}");
        assert!(html.contains("参数配置逐项对比"), "{html}");
        let empty = app.get("/demo/compare").await.text().await.unwrap();
        assert!(empty.contains("<title>车型对比 - 车链汽车城"), "{empty}");
    }
}
