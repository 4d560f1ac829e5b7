//! What the API refuses before any handler sees it: an address whose percent-decoded path or
//! query holds a control character (PostgreSQL refuses a NUL with a 500 where SQLite answers
//! quietly), and a JSON body with a control character in any string. Both answer our JSON
//! error, naming the part or the key. And an upload past its limit is read to its end before
//! it is refused, so the sender hears why.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use percent_encoding::percent_decode_str;
use shared::text::refused_anywhere;
use shared::ApiError;

use super::Error;

/// Middleware on the API: a path or query holding a control character (after percent
/// decoding) is a 400 `bad_request` naming the part (`path`) or the query parameter.
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    match check_address(request.uri()) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

/// How much of an upload past its limit is read and thrown away before the answer: a phone's
/// photo of 30 MB hears "最多 10MB"; past this the connection is closed unread.
const READ_PAST_LIMIT: usize = 64 * 1024 * 1024;

/// Middleware on an upload route: the body is read to its end (up to `READ_PAST_LIMIT`) and the
/// handler gets its first `limit + 1` bytes, so a body past `limit` meets the route's
/// `DefaultBodyLimit` and is answered 413 while the client, which has sent it all, listens.
/// Hyper closes a connection whose request body is left unread, and a client still sending
/// then sees a reset instead of the answer.
pub async fn read_past_limit(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut read = 0;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return bad_request("file", "上传没有完成，请重试".into()).into_response();
        };
        read += chunk.len();
        let room = (limit + 1).saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if read > READ_PAST_LIMIT {
            break;
        }
    }
    next.run(Request::from_parts(parts, Body::from(kept))).await
}

/// The address holds no control character, or the error naming where one is.
pub fn check_address(uri: &Uri) -> Result<(), Error> {
    let path: Vec<u8> = percent_decode_str(uri.path()).collect();
    if String::from_utf8_lossy(&path).chars().any(char::is_control) {
        return Err(bad_request("path", "网址含有控制字符".into()));
    }
    if let Some(query) = uri.query() {
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            if key.chars().chain(value.chars()).any(char::is_control) {
                let key: String = key.chars().filter(|c| !c.is_control()).collect();
                return Err(bad_request(&key, format!("查询参数 {key} 含有控制字符")));
            }
        }
    }
    Ok(())
}

/// Every string and key in `value` is free of control characters (tab and line breaks
/// allowed), or the 422 naming the key whose value (or the key itself) holds one.
pub fn check_json_strings(value: &serde_json::Value) -> Result<(), Error> {
    match find_control(value, None) {
        None => Ok(()),
        Some(field) => {
            let message = match &field {
                Some(key) => format!("字段 {key} 含有控制字符"),
                None => "请求内容含有控制字符".into(),
            };
            Err(Error::Unprocessable(ApiError {
                code: "invalid".into(),
                message,
                field,
            }))
        }
    }
}

/// `Some(key)` when a string under `key` (the nearest object key above it) holds a refused
/// character; `Some(None)` when one does outside every object.
fn find_control(value: &serde_json::Value, key: Option<&str>) -> Option<Option<String>> {
    let dirty = |s: &str| s.chars().any(refused_anywhere);
    let clean_key = |k: &str| {
        k.chars()
            .filter(|&c| !refused_anywhere(c))
            .collect::<String>()
    };
    match value {
        serde_json::Value::String(s) if dirty(s) => Some(key.map(clean_key)),
        serde_json::Value::Array(items) => items.iter().find_map(|v| find_control(v, key)),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if dirty(k) {
                Some(Some(clean_key(k)))
            } else {
                find_control(v, Some(k))
            }
        }),
        _ => None,
    }
}

fn bad_request(field: &str, message: String) -> Error {
    Error::BadRequest(ApiError {
        code: "bad_request".into(),
        message,
        field: Some(field.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(uri: &str) -> Option<String> {
        let uri: Uri = uri.parse().expect("uri");
        check_address(&uri)
            .err()
            .map(|e| e.body().error.field.unwrap_or_default())
    }

    #[test]
    fn addresses_with_control_characters_are_refused_where_they_are() {
        assert_eq!(field_of("/api/v1/dealers/demo/series"), None);
        assert_eq!(
            field_of("/api/v1/dealers/%E8%BD%A6/series?q=%E8%BD%A6+a"),
            None
        );
        assert_eq!(
            field_of("/api/v1/dealers/demo%00/series").as_deref(),
            Some("path")
        );
        assert_eq!(field_of("/api/v1/dealers/demo%0A").as_deref(), Some("path"));
        assert_eq!(
            field_of("/api/v1/dealers/demo%C2%85").as_deref(),
            Some("path")
        );
        assert_eq!(field_of("/api/v1/x?q=a%00").as_deref(), Some("q"));
        assert_eq!(
            field_of("/api/v1/x?ok=1&brand=%7F").as_deref(),
            Some("brand")
        );
        // invalid UTF-8 is the extractors' to refuse, not a control character
        assert_eq!(field_of("/api/v1/dealers/%FF/series?q=%FF"), None);
    }

    #[test]
    fn json_strings_with_control_characters_name_their_key() {
        let field = |json: &str| {
            let value: serde_json::Value = serde_json::from_str(json).expect("json");
            check_json_strings(&value)
                .err()
                .map(|e| e.body().error.field)
        };
        assert_eq!(
            field(r#"{"name":"王磊","note":"第一行\n第二行\t完"}"#),
            None
        );
        assert_eq!(field(r#"{"name":"王\u0000磊"}"#), Some(Some("name".into())));
        assert_eq!(
            field(r#"{"loan":{"a":1,"tags":["ok","x\u001b"]}}"#),
            Some(Some("tags".into()))
        );
        assert_eq!(field(r#"{"k\u0000":1}"#), Some(Some("k".into())));
        assert_eq!(field(r#""\u0000""#), Some(None));
    }
}
