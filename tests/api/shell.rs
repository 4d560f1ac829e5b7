//! Serving the built app: the shell (no-store, per-page meta, SPA fallback, 404 status for
//! unknown dealers) and versioned assets (immutable, brotli when accepted).

use reqwest::StatusCode;

use crate::helpers::{JS, JS_BR};

both! {
    async fn a_model_page_gets_the_shell_with_its_title_and_no_store(app) {
        let response = app.get("/leapmotor/models/leapmotor-b01").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert!(response.headers()["content-type"].to_str().expect("type").starts_with("text/html"));
        let html = response.text().await.expect("html");
        assert!(html.contains("<title>零跑B01 - 零跑汽车 XX 4S店（演示）</title>"), "{html}");
        assert!(html.contains("og:title"));
        assert!(html.contains("厂商指导价8.98-11.98万"));
        assert!(html.contains("/assets/t1/icon.png"), "share image from the asset folder");
        assert!(!html.contains("<!--meta-->"));
    }
}

both! {
    async fn client_routes_fall_back_to_the_shell_with_page_titles(app) {
        for (path, title) in [
            ("/demo/", "<title>车链汽车城（演示）</title>"),
            ("/demo", "<title>车链汽车城（演示）</title>"),
            ("/demo/models", "<title>车型库 - 车链汽车城（演示）</title>"),
            ("/demo/models?energy=bev&sort=price_asc", "<title>车型库 - 车链汽车城（演示）</title>"),
            ("/demo/compare?trims=xiaomi-su7-std,tesla-model-3-rwd&hide_same=1", "<title>小米SU7 标准版 对比 Model 3 焕新版 - 车型对比 - 车链汽车城（演示）</title>"),
            ("/demo/select", "<title>智能选车 - 车链汽车城（演示）</title>"),
            ("/demo/calculator?trim=xiaomi-su7-std", "<title>小米SU7 标准版 落地价计算 - 车链汽车城（演示）</title>"),
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
            let html = response.text().await.expect("html");
            assert!(html.contains(title), "{path}: {html}");
            assert!(html.contains("/assets/t1/consumer.js"), "{path}");
        }
    }
}

both! {
    async fn unknown_dealers_series_and_pages_get_the_shell_with_a_404_status(app) {
        for path in ["/nope/", "/nope/models", "/demo/models/nope", "/demo/nope", "/favicon.ico"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(response.headers()["cache-control"], "no-store");
            let html = response.text().await.expect("html");
            assert!(html.contains("<title>页面不存在"), "{path}");
            assert!(html.contains("/assets/t1/consumer.js"), "the app still loads to show its 404 page");
        }
        // the root leads to the first dealer
        let response = app.get("/").await;
        assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
        assert_eq!(response.headers()["location"], "/demo/");
    }
}

both! {
    async fn assets_are_immutable_and_brotli_is_chosen_when_accepted(app) {
        let response = app
            .client
            .get(app.url("/assets/t1/consumer.js"))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(response.headers()["content-encoding"], "br");
        assert!(response.headers()["content-type"].to_str().expect("type").contains("javascript"));
        assert_eq!(response.bytes().await.expect("body").as_ref(), JS_BR);

        let plain = app.get("/assets/t1/consumer.js").await;
        assert_eq!(plain.status(), StatusCode::OK);
        assert!(plain.headers().get("content-encoding").is_none());
        assert_eq!(plain.text().await.expect("body"), JS);

        let missing = app.get("/assets/t1/nope.js").await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_ne!(missing.headers()["cache-control"], "public, max-age=31536000, immutable");
    }
}

both! {
    async fn the_shell_and_json_are_compressed_when_the_client_accepts_it(app) {
        for (path, encoding) in [("/demo/", "br"), ("/demo/models", "gzip"), ("/api/v1/dealers/demo/series", "br")] {
            let response = app
                .client
                .get(app.url(path))
                .header("accept-encoding", encoding)
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(response.headers()["content-encoding"], encoding, "{path}");
        }
    }
}

both! {
    async fn the_shell_is_read_once_at_start_up_and_a_missing_one_says_how_to_build(app) {
        // a shell written after start-up is not read: the running server keeps its own
        let shell = "<html><head><!--meta--><script src=\"/assets/t2/consumer.js\"></script></head></html>";
        std::fs::write(app.dist.join("index.html"), shell).expect("write shell");
        let html = app.get("/demo/").await.text().await.expect("html");
        assert!(!html.contains("/assets/t2/consumer.js"), "{html}");
        assert!(html.contains("<title>车链汽车城（演示）</title>"));

        // a server started without a built app serves the API and says how to build the pages
        let empty = std::env::temp_dir().join(format!("chelink-empty-dist-{}", std::process::id()));
        let other = app.another_instance(&empty).await;
        let response = app.client.get(format!("{other}/demo/")).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.text().await.expect("html").contains("cargo xtask serve"));
        let home = app.client.get(format!("{other}/api/v1/dealers/demo")).send().await.expect("request");
        assert_eq!(home.status(), StatusCode::OK);
    }
}

both! {
    async fn the_console_has_its_own_shell_at_every_console_path(app) {
        for path in ["/console/", "/console/leads/12", "/console/stores"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(response.headers()["cache-control"], "no-store");
            let html = response.text().await.expect("html");
            assert!(html.contains("/assets/t1/console/console.js"), "{path}: {html}");
            // Signed out, every path shows the sign-in page: its top is the first paint.
            let sign_in = shared::page::FirstPaint::console_sign_in();
            assert!(
                html.contains(&format!(
                    "<main class=\"c-page c-sign-in\"><h1>{}</h1><p class=\"lede\">{}</p>",
                    sign_in.heading, sign_in.lede
                )),
                "{path}: {html}"
            );
        }
        // Signed in, a page of the console is on its way: placeholders, not the sign-in page.
        let staff = crate::console::sign_in(&app, "demo-wang").await;
        let html = staff.get(app.url("/console/leads")).send().await.expect("shell").text().await.expect("html");
        assert!(html.contains("<h1>员工工作台</h1>") && !html.contains("c-sign-in"), "{html}");
        assert!(!html.contains("<!--skeleton-->"), "{html}");
        let bare = app.get("/console").await;
        assert_eq!(bare.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(bare.headers()["location"], "/console/");
        // no dealer may be called console, and the consumer shell never names the console
        let consumer = app.get("/demo/").await.text().await.expect("html");
        assert!(!consumer.contains("console"), "{consumer}");
    }
}
