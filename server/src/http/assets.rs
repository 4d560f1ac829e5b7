//! `/assets/...`: the built app's versioned files under `dist/assets`, precompressed brotli or
//! gzip variants chosen by `Accept-Encoding`; a found file is immutable, a missing one no-store.

use std::path::Path;

use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

pub const ASSET_CACHE: &str = "public, max-age=31536000, immutable";

/// The `/assets` router over `dist/assets`.
pub fn router(dist: &Path) -> Router {
    let files = ServeDir::new(dist.join("assets"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::map_response(cache_headers))
}

async fn cache_headers(mut response: Response) -> Response {
    let cache = if response.status().is_success() {
        ASSET_CACHE
    } else {
        "no-store"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}
