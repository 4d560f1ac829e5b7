//! The headers every answer carries: a Content-Security-Policy that allows the app's own
//! code, WebAssembly and the shells' inline script and style by their sha256 hashes (computed
//! once, when the shells are read at start-up) and, on consumer pages, WeChat's JS-SDK;
//! `nosniff`, a same-origin referrer, no framing, no powerful features; `no-store` on every
//! API answer that does not set its own caching (so a person's data never sits in a cache,
//! while the catalogue's answers keep their `no-cache` + ETag); and `Secure` on every cookie
//! when `CHELINK_SECURE_COOKIES` is on.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

/// What `secure` adds, built once.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The CSP of everything but consumer pages.
    base: HeaderValue,
    /// The CSP of consumer pages: the base one and the JS-SDK's origin.
    consumer: HeaderValue,
    secure_cookies: bool,
}

/// The style of the server's own small pages (`links::gone`), allowed by its hash.
pub const PAGE_STYLE: &str = "body{margin:0;background:#ededed;font:17px/1.5 \
     -apple-system,\"PingFang SC\",\"Noto Sans CJK SC\",sans-serif;color:#191919}\
     main{padding:30vh 24px 0;text-align:center}p{color:#5f5f5f;font-size:15px}\
     a{display:inline-block;margin-top:16px;padding:10px 24px;border-radius:8px;\
     background:#067d40;color:#fff;text-decoration:none}";

impl Policy {
    /// The policy for shells whose inline code is `inline` (their `<script>` and `<style>`
    /// texts), loading the JS-SDK from `wechat_script` on consumer pages.
    pub fn new<'a>(
        inline: impl IntoIterator<Item = &'a str>,
        wechat_script: &str,
        secure_cookies: bool,
    ) -> Self {
        let mut scripts = Vec::new();
        let mut styles = vec![hash(PAGE_STYLE)];
        for html in inline {
            let (s, st) = inline_hashes(html);
            scripts.extend(s);
            styles.extend(st);
        }
        scripts.sort();
        scripts.dedup();
        styles.sort();
        styles.dedup();
        let policy = |extra: Option<String>| {
            let script_src: Vec<String> = ["'self'".to_string(), "'wasm-unsafe-eval'".into()]
                .into_iter()
                .chain(scripts.iter().cloned())
                .chain(extra)
                .collect();
            let style_src: Vec<String> = std::iter::once("'self'".to_string())
                .chain(styles.iter().cloned())
                .collect();
            let text = format!(
                "default-src 'self'; script-src {}; style-src {}; img-src 'self' data: blob:; \
                 connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
                 form-action 'self'; frame-ancestors 'none'",
                script_src.join(" "),
                style_src.join(" ")
            );
            HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"))
        };
        Self {
            base: policy(None),
            consumer: policy(origin(wechat_script)),
            secure_cookies,
        }
    }
}

/// `'sha256-…'` of an inline script's or style's text.
pub fn hash(text: &str) -> String {
    use base64::Engine;
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The hashes of a page's inline scripts (those without `src`) and styles, in order.
pub fn inline_hashes(html: &str) -> (Vec<String>, Vec<String>) {
    let texts = |open: &str, close: &str| {
        let mut found = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len()..];
            let Some(tag_end) = after.find('>') else {
                break;
            };
            let attributes = &after[..tag_end];
            let body = &after[tag_end + 1..];
            let Some(end) = body.find(close) else { break };
            // `<script …>` and `<style …>` only, not `<scripts>` or an external script.
            if (attributes.is_empty() || attributes.starts_with(' '))
                && !attributes.contains("src=")
            {
                found.push(hash(&body[..end]));
            }
            rest = &body[end + close.len()..];
        }
        found
    };
    (texts("<script", "</script>"), texts("<style", "</style>"))
}

/// `https://res.wx.qq.com` of a script's URL.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'));
    (matches!(scheme, "http" | "https") && plain).then(|| format!("{scheme}://{host}"))
}

/// A consumer page: anything the shell answers, that is not the API, an asset, the console or
/// a share link.
fn is_consumer_page(path: &str) -> bool {
    !["/api/", "/assets/", "/console", "/s/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
        && path != "/api"
}

/// Adds the headers to every answer (those a handler set itself are kept).
pub async fn secure(State(policy): State<Arc<Policy>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let api = path.starts_with("/api/") || path == "/api";
    let csp = if is_consumer_page(path) {
        policy.consumer.clone()
    } else {
        policy.base.clone()
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, HeaderValue); 5] = [
        (header::CONTENT_SECURITY_POLICY, csp),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
            ),
        ),
    ];
    for (name, value) in fixed {
        headers.entry(name).or_insert(value);
    }
    if api {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    if policy.secure_cookies {
        let cookies: Vec<HeaderValue> = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|cookie| match cookie.to_str() {
                Ok(text) if !text.to_ascii_lowercase().contains("; secure") => {
                    HeaderValue::from_str(&format!("{text}; Secure"))
                        .unwrap_or_else(|_| cookie.clone())
                }
                _ => cookie.clone(),
            })
            .collect();
        if !cookies.is_empty() {
            headers.remove(header::SET_COOKIE);
            for cookie in cookies {
                headers.append(header::SET_COOKIE, cookie);
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_and_styles_are_hashed_and_external_ones_are_not() {
        let html = "<style>a{}</style><script type=\"module\" src=\"/x.js\"></script>\
                    <script>go()</script><template><script >b()</script></template>";
        let (scripts, styles) = inline_hashes(html);
        assert_eq!(scripts, vec![hash("go()"), hash("b()")]);
        assert_eq!(styles, vec![hash("a{}")]);
        // The example of the CSP specification's hash-source.
        assert_eq!(
            hash("alert('Hello, world.');"),
            "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
        );
    }

    #[test]
    fn the_js_sdk_is_allowed_by_its_origin_on_consumer_pages_only() {
        assert_eq!(
            origin("https://res.wx.qq.com/open/js/jweixin-1.6.0.js").as_deref(),
            Some("https://res.wx.qq.com")
        );
        assert_eq!(
            origin("http://127.0.0.1:4000/jweixin.js").as_deref(),
            Some("http://127.0.0.1:4000")
        );
        assert_eq!(origin("javascript:alert(1)"), None);
        assert_eq!(origin("https://a b/x.js"), None);
        assert!(is_consumer_page("/demo/models"));
        assert!(is_consumer_page("/"));
        assert!(!is_consumer_page("/console/leads"));
        assert!(!is_consumer_page("/api/v1/dealers/demo"));
        assert!(!is_consumer_page("/assets/v1/app.css"));
        let policy = Policy::new(
            ["<script>go()</script>"],
            "https://res.wx.qq.com/open/js/jweixin-1.6.0.js",
            false,
        );
        let consumer = policy.consumer.to_str().unwrap();
        let base = policy.base.to_str().unwrap();
        assert!(
            consumer.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' {} https://res.wx.qq.com;",
                hash("go()")
            )),
            "{consumer}"
        );
        assert!(!base.contains("res.wx.qq.com"), "{base}");
        assert!(!consumer.contains("unsafe-inline"));
    }
}
