//! Serving the built app like a mini-program: versioned assets (immutable, brotli/gzip by
//! `Accept-Encoding`) and, for every other GET, the shell `index.html` (no-store) with the
//! page's title, description and share image filled in at `<!--meta-->`. An unknown dealer,
//! series or page gets the same shell with status 404: the app shows its Chinese 404 page.

use std::convert::Infallible;
use std::path::Path;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use shared::money;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::AppState;
use crate::catalog;

/// Where the server fills in the page's meta tags.
pub const META_MARKER: &str = "<!--meta-->";
pub const ASSET_CACHE: &str = "public, max-age=31536000, immutable";
const SITE: &str = "车链";

/// `/assets/...`: files under `dist/assets`, precompressed variants preferred; only a found
/// file is marked immutable.
pub async fn asset(dist: &Path, request: Request<Body>) -> Result<Response, Infallible> {
    let serve = ServeDir::new(dist.join("assets"))
        .precompressed_br()
        .precompressed_gzip();
    let mut response = match serve.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    let found = response.status().is_success();
    let headers = response.headers_mut();
    if found {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(ASSET_CACHE));
    } else {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(response)
}

/// What a page is about, for its meta tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageMeta {
    pub status: StatusCode,
    pub title: String,
    pub description: String,
    /// Painted in the skeleton before the app runs: the dealer's name, so the first paint
    /// already says whose page this is.
    pub heading: String,
}

/// The SPA fallback: the shell for any other GET.
pub async fn page(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "不支持该请求方式").into_response();
    }
    if uri.path() == "/" {
        if let Ok(Some(slug)) = catalog::first_dealer_slug(&state.db).await {
            return Redirect::temporary(&format!("/{slug}/")).into_response();
        }
    }
    let shell = match tokio::fs::read_to_string(state.dist.join("index.html")).await {
        Ok(shell) => shell,
        Err(e) => {
            tracing::error!(dist = %state.dist.display(), error = %e, "no built app");
            return html(
                StatusCode::SERVICE_UNAVAILABLE,
                "<!doctype html><meta charset=utf-8><title>车链</title>\
                 <p>应用尚未构建：请运行 <code>cargo xtask serve</code>。</p>"
                    .into(),
            );
        }
    };
    let meta = match page_meta(&state, &uri).await {
        Ok(meta) => meta,
        Err(e) => {
            tracing::error!(error = ?e, "page meta failed");
            PageMeta {
                status: StatusCode::OK,
                title: SITE.into(),
                description: String::new(),
                heading: String::new(),
            }
        }
    };
    let image = asset_version(&shell).map(|v| format!("{}/assets/{v}/icon.png", origin(&headers)));
    let mut body = fill_shell(&shell, &meta, image.as_deref());
    if meta.status == StatusCode::OK {
        let chunks = tokio::fs::read_to_string(state.dist.join(CHUNKS_FILE)).await;
        body = preload(&body, uri.path(), chunks.as_deref().unwrap_or("{}"));
    }
    html(meta.status, body)
}

/// Written by `cargo xtask build`: for each lazily loaded page, the wasm chunks it needs.
pub const CHUNKS_FILE: &str = "chunks.json";

/// The lazy page a path opens (`/{dealer}/models` → `models`); the home page is in the main
/// module and needs none.
pub fn lazy_page(path: &str) -> Option<&'static str> {
    let rest: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).skip(1).collect();
    match rest.as_slice() {
        ["models"] => Some("models"),
        ["models", _] => Some("series"),
        ["compare"] => Some("compare"),
        ["select"] => Some("select"),
        ["calculator"] => Some("calculator"),
        _ => None,
    }
}

/// The API requests a page makes as soon as it runs, exactly as `app/src/api.rs` writes
/// them: the dealer (every page), the catalogue or the model it shows, and the dealer's
/// quoting terms where it shows a price on the road.
pub fn first_requests(path: &str) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some((dealer, rest)) = segments.split_first() else {
        return Vec::new();
    };
    let base = format!("/api/v1/dealers/{dealer}");
    let terms = format!("{base}/terms");
    let page = match rest {
        ["models"] => vec![format!("{base}/series")],
        ["models", series] => vec![format!("{base}/series/{series}"), terms],
        ["compare" | "calculator"] => vec![terms],
        _ => Vec::new(),
    };
    std::iter::once(base).chain(page).collect()
}

/// Adds `<link rel=preload>` for what the page fetches first (its wasm chunks and its API
/// data), so they download alongside the main module instead of after it.
pub fn preload(shell: &str, path: &str, chunks_json: &str) -> String {
    let Some(version) = asset_version(shell) else {
        return shell.to_string();
    };
    let chunks: std::collections::HashMap<String, Vec<String>> =
        serde_json::from_str(chunks_json).unwrap_or_default();
    let wasm = lazy_page(path)
        .and_then(|page| chunks.get(page))
        .into_iter()
        .flatten()
        .map(|file| {
            format!(
                "<link rel=\"preload\" href=\"/assets/{version}/{}\" as=\"fetch\" type=\"application/wasm\" crossorigin>",
                escape(file)
            )
        });
    let data = first_requests(path).into_iter().map(|url| {
        format!(
            "<link rel=\"preload\" href=\"{}\" as=\"fetch\" crossorigin>",
            escape(&url)
        )
    });
    let links: String = wasm.chain(data).collect();
    shell.replacen("</head>", &format!("{links}</head>"), 1)
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn not_found() -> PageMeta {
    PageMeta {
        status: StatusCode::NOT_FOUND,
        title: format!("页面不存在 - {SITE}"),
        description: "您访问的页面不存在".into(),
        heading: String::new(),
    }
}

async fn page_meta(state: &AppState, uri: &Uri) -> anyhow::Result<PageMeta> {
    let mut segments = uri.path().trim_start_matches('/').split('/');
    let slug = segments.next().unwrap_or("");
    let Some(record) = catalog::dealer(&state.db, slug).await? else {
        return Ok(not_found());
    };
    let dealer = record.dealer.name.clone();
    let ok = |title: String, description: String| PageMeta {
        status: StatusCode::OK,
        title,
        description,
        heading: dealer.clone(),
    };
    let rest: Vec<&str> = segments.filter(|s| !s.is_empty()).collect();
    let query = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|Query(pairs)| pairs)
        .unwrap_or_default();
    let param = |key: &str| {
        query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    Ok(match rest.as_slice() {
        [] => ok(
            dealer.clone(),
            format!("{dealer}：在线看车、车型对比、智能选车、购车计算器。"),
        ),
        ["models"] => ok(
            format!("车型库 - {dealer}"),
            format!("{dealer}在售车型，按价格、能源、车身、座位筛选。"),
        ),
        ["models", series] => {
            let offer = catalog::offer(&state.db, record.id, Some(series)).await?;
            let Some(s) = offer.series.first() else {
                return Ok(not_found());
            };
            let summary = offer.summary(s);
            let price = match (summary.guide_min, summary.guide_max) {
                (Some(min), Some(max)) => format!("厂商指导价{}", money::wan_range(min, max)),
                _ => "暂无报价".into(),
            };
            ok(
                format!("{} - {dealer}", summary.name_zh),
                format!(
                    "{}（{}）：{price}，{}款车型，看参数、比配置、算落地价。",
                    summary.name_zh, summary.brand_name, summary.trim_count
                ),
            )
        }
        ["compare"] => {
            let offer = catalog::offer(&state.db, record.id, None).await?;
            let ids = shared::compare::parse_trim_ids(&param("trims"));
            let (trims, _) = offer.pick(&ids[..ids.len().min(shared::compare::MAX_COMPARE)]);
            let names: Vec<String> = trims.iter().map(|t| t.full_name()).collect();
            if names.is_empty() {
                ok(
                    format!("车型对比 - {dealer}"),
                    "逐项对比车型参数配置。".into(),
                )
            } else {
                ok(
                    format!("{} - 车型对比 - {dealer}", names.join(" 对比 ")),
                    format!(
                        "{}：参数配置逐项对比，指导价与经销商报价一目了然。",
                        names.join("、")
                    ),
                )
            }
        }
        ["select"] => ok(
            format!("智能选车 - {dealer}"),
            "回答几个问题，找到最适合您的车型。".into(),
        ),
        ["calculator"] => {
            let offer = catalog::offer(&state.db, record.id, None).await?;
            let trim = param("trim");
            match offer.trims.iter().find(|t| t.id == trim) {
                Some(t) => ok(
                    format!("{} 落地价计算 - {dealer}", t.full_name()),
                    "购置税、保险、上牌费逐项计算，支持贷款月供。".into(),
                ),
                None => ok(
                    format!("购车计算器 - {dealer}"),
                    "购置税、保险、上牌费逐项计算，支持贷款月供。".into(),
                ),
            }
        }
        _ => not_found(),
    })
}

/// The shell with the page's meta tags at the marker (or before `</head>`).
/// Where the skeleton shows the page heading.
pub const HEADING_MARKER: &str = "<!--heading-->";

pub fn fill_shell(shell: &str, meta: &PageMeta, image: Option<&str>) -> String {
    let title = escape(&meta.title);
    let description = escape(&meta.description);
    let mut tags = format!(
        "<title>{title}</title>\
         <meta name=\"description\" content=\"{description}\">\
         <meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"og:description\" content=\"{description}\">"
    );
    if let Some(image) = image {
        tags.push_str(&format!(
            "<meta property=\"og:image\" content=\"{}\">",
            escape(image)
        ));
    }
    let shell = if shell.contains(META_MARKER) {
        shell.replacen(META_MARKER, &tags, 1)
    } else {
        shell.replacen("</head>", &format!("{tags}</head>"), 1)
    };
    shell.replacen(HEADING_MARKER, &escape(&meta.heading), 1)
}

/// The asset folder the shell refers to: `/assets/{version}/...`.
pub fn asset_version(shell: &str) -> Option<&str> {
    let start = shell.find("/assets/")? + "/assets/".len();
    let rest = &shell[start..];
    let end = rest.find('/')?;
    let version = &rest[..end];
    let plain = !version.is_empty()
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    plain.then_some(version)
}

/// `http://host` as the client reached us (a proxy's X-Forwarded-Proto respected).
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let proto = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{proto}://{host}")
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_the_marker_with_escaped_meta() {
        let meta = PageMeta {
            status: StatusCode::OK,
            title: "秦PLUS <DM-i> - \"演示\"".into(),
            description: "a & b".into(),
            heading: "车链<演示>".into(),
        };
        let shell =
            "<head><!--meta--><link href=\"/assets/v1a2/app.css\"></head><h1><!--heading--></h1>";
        let out = fill_shell(shell, &meta, Some("http://h/assets/v1a2/icon.png"));
        assert!(out.contains("<title>秦PLUS &lt;DM-i&gt; - &quot;演示&quot;</title>"));
        assert!(out.contains("content=\"a &amp; b\""));
        assert!(out.contains("og:image\" content=\"http://h/assets/v1a2/icon.png\""));
        assert!(!out.contains(META_MARKER));
        assert!(out.contains("<h1>车链&lt;演示&gt;</h1>"));
        let no_marker = fill_shell("<head></head>", &meta, None);
        assert!(no_marker.contains("<title>"));
        assert_eq!(asset_version(shell), Some("v1a2"));
        assert_eq!(asset_version("<head></head>"), None);
    }

    #[test]
    fn lazy_pages_preload_their_chunks() {
        for (path, page) in [
            ("/demo/", None),
            ("/demo/models", Some("models")),
            ("/demo/models/xiaomi-su7", Some("series")),
            ("/demo/compare", Some("compare")),
            ("/demo/select", Some("select")),
            ("/demo/calculator", Some("calculator")),
            ("/demo/nope", None),
        ] {
            assert_eq!(lazy_page(path), page, "{path}");
        }
        let shell = "<head><link href=\"/assets/v1/app.css\"></head>";
        let chunks = r#"{"models":["chunk_1.wasm","split_models.wasm"]}"#;
        let out = preload(shell, "/demo/models", chunks);
        assert!(out.contains("<link rel=\"preload\" href=\"/assets/v1/chunk_1.wasm\" as=\"fetch\""));
        assert!(out.contains("/assets/v1/split_models.wasm"));
        assert!(out.contains("href=\"/api/v1/dealers/demo\" as=\"fetch\" crossorigin>"));
        assert!(out.contains("href=\"/api/v1/dealers/demo/series\" as=\"fetch\" crossorigin>"));
        let compare = preload(shell, "/demo/compare", chunks);
        assert!(!compare.contains(".wasm"));
        assert!(compare.contains("/api/v1/dealers/demo\""));
        assert!(!preload(shell, "/demo/models", "not json").contains(".wasm"));
    }

    #[test]
    fn pages_preload_the_requests_they_make_first() {
        let cases: [(&str, &[&str]); 7] = [
            ("/", &[]),
            ("/demo/", &["/api/v1/dealers/demo"]),
            (
                "/demo/models",
                &["/api/v1/dealers/demo", "/api/v1/dealers/demo/series"],
            ),
            (
                "/demo/models/xiaomi-su7",
                &[
                    "/api/v1/dealers/demo",
                    "/api/v1/dealers/demo/series/xiaomi-su7",
                    "/api/v1/dealers/demo/terms",
                ],
            ),
            (
                "/demo/compare",
                &["/api/v1/dealers/demo", "/api/v1/dealers/demo/terms"],
            ),
            (
                "/demo/calculator",
                &["/api/v1/dealers/demo", "/api/v1/dealers/demo/terms"],
            ),
            ("/demo/select", &["/api/v1/dealers/demo"]),
        ];
        for (path, urls) in cases {
            assert_eq!(first_requests(path), urls, "{path}");
        }
    }
}
