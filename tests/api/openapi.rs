//! The OpenAPI document and API routing: unknown API paths are 404 JSON, never the app shell.

use reqwest::StatusCode;

both! {
    async fn the_openapi_document_lists_every_api_path(app) {
        let response = app.get("/api/v1/openapi.json").await;
        assert_eq!(response.status(), StatusCode::OK);
        // the document is an OpenAPI object, read as such
        let doc: utoipa_free::Document = response.json().await.expect("openapi json");
        assert!(doc.openapi.starts_with("3."));
        for path in [
            "/api/v1/dealers/{dealer}",
            "/api/v1/dealers/{dealer}/series",
            "/api/v1/dealers/{dealer}/series/{series}",
            "/api/v1/dealers/{dealer}/compare",
            "/api/v1/dealers/{dealer}/quote",
            "/api/v1/dealers/{dealer}/recommendations",
        ] {
            assert!(doc.paths.contains_key(path), "{path} missing");
        }
        assert!(doc.paths["/api/v1/dealers/{dealer}/quote"].contains_key("post"));
        assert!(doc.paths["/api/v1/dealers/{dealer}/series"].contains_key("get"));
    }
}

both! {
    async fn unknown_api_paths_are_404_json_never_the_shell(app) {
        for path in ["/api/nope", "/api/v1/nope", "/api", "/api/v1/dealers/demo/series/x/y"] {
            let body = app.get_err(path, StatusCode::NOT_FOUND).await;
            assert_eq!(body.error.code, "not_found", "{path}");
        }
        let response = app.client.delete(app.url("/api/v1/dealers/demo")).send().await.expect("request");
        let body = crate::helpers::err(response, StatusCode::METHOD_NOT_ALLOWED).await;
        assert_eq!(body.error.code, "method_not_allowed");
    }
}

/// Just enough of an OpenAPI document to check its paths.
mod utoipa_free {
    use std::collections::BTreeMap;

    #[derive(serde::Deserialize)]
    pub struct Document {
        pub openapi: String,
        pub paths: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    }
}
