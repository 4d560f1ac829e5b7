//! The security headers and cookies on both databases: every answer (a page, the console's
//! shell, an asset, JSON, an error, a share link's page) carries the CSP and its companions,
//! the CSP allows the shells' inline script and style by hash and never `'unsafe-inline'`,
//! private answers are never stored while the catalogue keeps its caching, and with
//! `CHELINK_SECURE_COOKIES` every cookie is `Secure`.

use base64::Engine;
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::console::sign_in;
use crate::helpers::CONSOLE_SHELL;

/// A consumer shell with an inline style and script, as `cargo xtask build` writes it.
const INLINE_STYLE: &str = "body{margin:0}";
const INLINE_SCRIPT: &str = "document.documentElement.dataset.ok = 1;";

fn sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{}: no {name}", response.url()))
        .to_string()
}

/// The directive `name` of a policy, without its name.
fn directive<'a>(csp: &'a str, name: &str) -> &'a str {
    csp.split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .unwrap_or_else(|| panic!("no {name} in {csp}"))
        .trim()
}

both! {
    async fn every_answer_carries_the_security_headers_and_the_csp_allows_only_our_code(app) {
        // An instance serving a shell with an inline style and script.
        let dist = app.dist.join("inline");
        std::fs::create_dir_all(dist.join("assets/t1")).unwrap();
        std::fs::write(
            dist.join("index.html"),
            format!(
                "<!doctype html><html lang=\"zh-CN\"><head><!--meta--><style>{INLINE_STYLE}</style>\
                 <link rel=\"stylesheet\" href=\"/assets/t1/app.css\"></head><body><!--skeleton-->\
                 <script>{INLINE_SCRIPT}</script></body></html>"
            ),
        )
        .unwrap();
        std::fs::write(dist.join("console.html"), CONSOLE_SHELL).unwrap();
        std::fs::write(dist.join("assets/t1/app.css"), "body{}").unwrap();
        let site = app.another_instance(&dist).await;
        let get = |path: &str| app.client.get(format!("{site}{path}")).send();

        let page = get("/demo/models").await.unwrap();
        let console = get("/console/").await.unwrap();
        let asset = get("/assets/t1/app.css").await.unwrap();
        let json = get("/api/v1/dealers/demo").await.unwrap();
        let error = get("/api/v1/dealers/nowhere").await.unwrap();
        let link = get("/s/nosuchcode").await.unwrap();
        assert_eq!(
            [page.status(), console.status(), asset.status(), json.status(), error.status(), link.status()],
            [StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::NOT_FOUND, StatusCode::NOT_FOUND]
        );
        let wechat = app.wechat.url.trim_end_matches('/').to_string();
        for response in [&page, &console, &asset, &json, &error, &link] {
            let csp = header(response, "content-security-policy");
            assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{csp}");
            let scripts = directive(&csp, "script-src");
            assert!(scripts.starts_with("'self' 'wasm-unsafe-eval'"), "{csp}");
            assert!(scripts.contains(&sha256(INLINE_SCRIPT)), "{csp}");
            assert!(directive(&csp, "style-src").contains(&sha256(INLINE_STYLE)), "{csp}");
            assert_eq!(directive(&csp, "img-src"), "'self' data: blob:");
            assert_eq!(directive(&csp, "connect-src"), "'self'");
            assert_eq!(directive(&csp, "object-src"), "'none'");
            assert_eq!(directive(&csp, "base-uri"), "'none'");
            assert_eq!(directive(&csp, "frame-ancestors"), "'none'");
            assert_eq!(header(response, "x-content-type-options"), "nosniff");
            assert_eq!(header(response, "x-frame-options"), "DENY");
            assert_eq!(header(response, "referrer-policy"), "same-origin");
            assert!(header(response, "permissions-policy").contains("camera=()"));
        }
        // WeChat's JS-SDK is allowed where it is loaded, the consumer's pages, and only there.
        assert!(directive(&header(&page, "content-security-policy"), "script-src").contains(&wechat), "{wechat}");
        assert!(!header(&console, "content-security-policy").contains(&wechat));
        assert!(!header(&json, "content-security-policy").contains(&wechat));
        // The page's inline style stays as the hash allows it; the theme is no style attribute.
        let html = page.text().await.unwrap();
        assert!(html.contains(&format!("<style>{INLINE_STYLE}</style>")));
        assert!(!html.contains(" style=\""), "{html}");
        assert!(html.contains(" data-theme=\"--brand:#"), "{html}");
    }
}

both! {
    async fn private_answers_are_never_stored_and_the_catalogue_keeps_its_caching(app) {
        let catalogue = app.get("/api/v1/dealers/demo/series").await;
        assert_eq!(header(&catalogue, "cache-control"), "no-cache");
        assert!(catalogue.headers().get("etag").is_some());

        let staff = sign_in(&app, "demo-manager").await;
        let visitor = app.phone();
        let made = visitor
            .post(app.url("/api/v1/dealers/demo/links"))
            .json(&json!({"target": "/demo/", "channel": "chat"}))
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), StatusCode::CREATED);
        assert_eq!(header(&made, "cache-control"), "no-store");
        let private = [
            staff.get(app.url("/api/v1/console/me")).send().await.unwrap(),
            staff.get(app.url("/api/v1/console/leads")).send().await.unwrap(),
            visitor.get(app.url("/api/v1/dealers/demo/me")).send().await.unwrap(),
            visitor.get(app.url("/api/v1/dealers/demo/owner")).send().await.unwrap(),
            visitor.get(app.url("/api/v1/dealers/demo/my-consultant")).send().await.unwrap(),
            app.get("/api/v1/console/me").await,
        ];
        for response in &private {
            assert_eq!(header(response, "cache-control"), "no-store", "{}", response.url());
        }
        assert_eq!(private[0].status(), StatusCode::OK);
        assert_eq!(private[5].status(), StatusCode::UNAUTHORIZED);
    }
}

/// Every `Set-Cookie` of a response.
fn cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_string())
        .collect()
}

both! {
    async fn with_secure_cookies_every_cookie_is_secure_and_without_none_is(app) {
        let secure = app
            .instance_with(&app.dist, |state| state.with(|s| s.secure_cookies = true))
            .await;
        for (site, want) in [(secure.as_str(), true), (app.address.as_str(), false)] {
            let phone = app.phone();
            let staff = phone
                .post(format!("{site}/api/v1/console/session"))
                .json(&json!({"login": "demo-manager", "password": "chelink-demo-2026"}))
                .send()
                .await
                .unwrap();
            assert_eq!(staff.status(), StatusCode::OK);
            let visitor = phone
                .post(format!("{site}/api/v1/dealers/demo/links"))
                .json(&json!({"target": "/demo/", "channel": "chat"}))
                .send()
                .await
                .unwrap();
            assert_eq!(visitor.status(), StatusCode::CREATED);
            let set: Vec<String> = [cookies(&staff), cookies(&visitor)].concat();
            assert!(set.iter().any(|c| c.starts_with("chelink_staff=")), "{set:?}");
            assert!(set.iter().any(|c| c.starts_with("cl_demo=")), "{set:?}");
            for cookie in &set {
                assert_eq!(cookie.contains("; Secure"), want, "{site}: {cookie}");
            }
        }
        // The owner's cookie, set beside the visitor's when a car is bound.
        let (_, _, done) = crate::owners::delivered(&app, "13900000177", crate::owners::VIN).await;
        let owner = app
            .phone()
            .post(format!("{secure}/api/v1/dealers/demo/owner/bind"))
            .json(&json!({ "code": done.binding.code }))
            .send()
            .await
            .unwrap();
        assert_eq!(owner.status(), StatusCode::OK);
        let set = cookies(&owner);
        assert!(set.iter().any(|c| c.starts_with("co_demo=")), "{set:?}");
        assert!(set.iter().all(|c| c.contains("; Secure")), "{set:?}");
    }
}
