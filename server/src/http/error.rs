//! The one error type of the API: every rejection becomes a 4xx with `shared::ErrorBody`
//! (`{"error":{"code","message","field"}}`) and a Chinese message; a 5xx is logged and its
//! detail replaced by a generic message. Also our `Json`, `Path` and `Query` extractors, whose
//! rejections use it, so no rejection of axum's own answers plain text.

use axum::body::Bytes;
use axum::extract::path::ErrorKind as PathErrorKind;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use shared::booking::{Slot, SlotFull};
use shared::{ApiError, ErrorBody};
use sqlx::error::ErrorKind;

use crate::db::Refusal;

/// Seconds a client is told to wait (`Retry-After`) when the database refuses writes for now
/// (a full disk, a read-only database): writes resume within a second of the cause going away.
pub const REFUSAL_RETRY_AFTER: u64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 404 `not_found` with a Chinese message saying what was not found.
    #[error("not found: {0}")]
    NotFound(String),
    /// 400 `invalid`: a query parameter out of range or garbage.
    #[error("bad request: {0}")]
    BadRequest(ApiError),
    /// 422 `invalid`: a well-formed request that breaks a rule.
    #[error("unprocessable: {0}")]
    Unprocessable(ApiError),
    /// 400 `bad_json`: the body is not JSON.
    #[error("malformed JSON: {0}")]
    BadJson(String),
    /// 409 with a code of its own (`duplicate`): the request repeats something already done.
    #[error("conflict: {0}")]
    Conflict(ApiError),
    /// 410 with a code of its own (`expired`): the thing asked for existed and is over.
    #[error("gone: {0}")]
    Gone(ApiError),
    /// 409 `slot_full`, with the nearest free slots of the same store.
    #[error("slot full")]
    SlotFull(Vec<Slot>),
    /// 429 `rate_limited` with `Retry-After` in seconds.
    #[error("too many requests")]
    TooMany { retry_after: u64 },
    /// 429 with a code and message of its own (an SMS code asked for too soon) and
    /// `Retry-After` in seconds.
    #[error("limited: {error}")]
    Limited { retry_after: u64, error: ApiError },
    /// 403 with a code of its own (`phone_unproven`): what is asked needs a proof first.
    #[error("denied: {0}")]
    Denied(ApiError),
    /// 503 with a code of its own: a service the request needs is off or down (no SMS
    /// provider configured, the provider unreachable). Not logged per request.
    #[error("unavailable: {0}")]
    Unavailable(ApiError),
    /// 401 `unauthorized`: no staff session.
    #[error("unauthorized")]
    Unauthorized,
    /// 401 `bad_credentials`: wrong login or password (which one is not said).
    #[error("bad credentials")]
    BadCredentials,
    /// 429 `locked` with `Retry-After`: too many failed sign-ins.
    #[error("locked")]
    Locked { retry_after: u64 },
    /// 403 `forbidden`: the staff member's role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// 403 `cross_site`: a write sent from another site's page.
    #[error("cross-site request")]
    CrossSite,
    /// 413 `too_large`: a JSON body past 64 KB.
    #[error("request body too large")]
    TooLarge,
    /// 413 naming an upload's own limit and field (a photo, a logo, a spec sheet).
    #[error("upload too large: {0}")]
    FileTooLarge(ApiError),
    /// 405 `method_not_allowed`.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A database error, keeping its kind: a unique violation is a 409, a check, foreign-key
    /// or not-null violation a 422, a full disk 503 `storage_full` and a read-only database 503
    /// `read_only` (both with `Retry-After`, `db::Refusal`), anything else a 500. SQLite's errors carry no constraint
    /// name, so the kind is what both backends agree on.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// WeChat could not help (404 not configured, 503 WeChat down or refusing the account's
    /// credentials): its own status and body. Not logged per request: `crate::wechat` logged
    /// the cause once, when it started.
    #[error("wechat: {1}")]
    WeChat(StatusCode, ApiError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest(_) | Self::BadJson(_) => StatusCode::BAD_REQUEST,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooLarge | Self::FileTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Conflict(_) | Self::SlotFull(_) => StatusCode::CONFLICT,
            Self::Gone(_) => StatusCode::GONE,
            Self::TooMany { .. } | Self::Locked { .. } | Self::Limited { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Self::Denied(_) => StatusCode::FORBIDDEN,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unauthorized | Self::BadCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::CrossSite => StatusCode::FORBIDDEN,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Database(e) if Refusal::of(e).is_some() => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(e) => match e.as_database_error().map(|d| d.kind()) {
                Some(ErrorKind::UniqueViolation) => StatusCode::CONFLICT,
                Some(
                    ErrorKind::CheckViolation
                    | ErrorKind::ForeignKeyViolation
                    | ErrorKind::NotNullViolation,
                ) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::WeChat(status, _) => *status,
        }
    }

    /// The body a client sees.
    pub fn body(&self) -> ErrorBody {
        let plain = |code: &str, message: &str| ApiError {
            code: code.into(),
            message: message.into(),
            field: None,
        };
        let error = match self {
            Self::NotFound(message) => plain("not_found", message),
            Self::BadRequest(e)
            | Self::Unprocessable(e)
            | Self::Conflict(e)
            | Self::Gone(e)
            | Self::FileTooLarge(e) => e.clone(),
            Self::WeChat(_, e)
            | Self::Denied(e)
            | Self::Unavailable(e)
            | Self::Limited { error: e, .. } => e.clone(),
            Self::SlotFull(_) => ApiError {
                code: "slot_full".into(),
                message: "该时段已约满，请选择其他时段".into(),
                field: Some("slot".into()),
            },
            Self::TooMany { .. } => plain("rate_limited", "操作太频繁，请稍后再试"),
            Self::Unauthorized => plain("unauthorized", "请先登录"),
            Self::BadCredentials => plain("bad_credentials", "账号或密码错误"),
            Self::Locked { retry_after } => ApiError {
                code: "locked".into(),
                message: format!("登录失败次数过多，请{}分钟后再试", retry_after.div_ceil(60)),
                field: None,
            },
            Self::Forbidden => plain("forbidden", "您的角色无权进行此操作"),
            Self::CrossSite => plain("cross_site", "拒绝来自其他网站的请求"),
            Self::BadJson(_) => plain("bad_json", "请求内容不是有效的JSON"),
            Self::TooLarge => plain("too_large", "请求内容过大（最多64KB）"),
            Self::MethodNotAllowed => plain("method_not_allowed", "不支持该请求方式"),
            Self::Database(e) if Refusal::of(e) == Some(Refusal::StorageFull) => plain(
                "storage_full",
                "服务器存储空间已满，暂时无法保存，请稍后再试",
            ),
            Self::Database(e) if Refusal::of(e) == Some(Refusal::ReadOnly) => {
                plain("read_only", "系统维护中，暂时无法保存，请稍后再试")
            }
            Self::Database(_) => match self.status() {
                StatusCode::CONFLICT => plain("conflict", "该记录已存在，请勿重复提交"),
                StatusCode::UNPROCESSABLE_ENTITY => plain("invalid", "提交的内容不符合规则"),
                _ => plain("internal", "服务器开小差了，请稍后再试"),
            },
            Self::Internal(_) => plain("internal", "服务器开小差了，请稍后再试"),
        };
        ErrorBody { error }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() && !matches!(self, Self::WeChat(..) | Self::Unavailable(_)) {
            tracing::error!(error = ?self, "request failed");
        }
        match self {
            Self::SlotFull(free_slots) => {
                let error = Self::SlotFull(Vec::new()).body().error;
                (status, axum::Json(SlotFull { error, free_slots })).into_response()
            }
            Self::TooMany { retry_after }
            | Self::Locked { retry_after }
            | Self::Limited { retry_after, .. } => (
                status,
                [(header::RETRY_AFTER, retry_after.to_string())],
                axum::Json(self.body()),
            )
                .into_response(),
            Self::Database(ref e) if Refusal::of(e).is_some() => (
                status,
                [(header::RETRY_AFTER, REFUSAL_RETRY_AFTER.to_string())],
                axum::Json(self.body()),
            )
                .into_response(),
            _ => (status, axum::Json(self.body())).into_response(),
        }
    }
}

/// `axum::Json` with our rejections: malformed JSON → 400 `bad_json`, a body over the limit
/// → 413 `too_large`, a control character in any string (tab and line breaks allowed) → 422
/// naming its key, a value of the wrong type or a missing field → 422 naming the field.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(Self::Rejection::BadJson("not application/json".into()));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::TooLarge
            } else {
                Error::BadJson(rejection.body_text())
            }
        })?;
        // Every string is looked at before any field is read, so no NUL reaches a query.
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| Error::BadJson(e.to_string()))?;
        super::edge::check_json_strings(&value)?;
        let axum::Json(value) = axum::Json::<T>::from_bytes(&bytes)?;
        Ok(Self(value))
    }
}

/// `application/json` or `application/*+json`, as `axum::Json` accepts.
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence
        .strip_prefix("application/")
        .is_some_and(|sub| sub == "json" || sub.ends_with("+json"))
}

/// `axum::extract::Path` with our rejections: a segment that is not UTF-8 or not of the
/// parameter's type (an id that overflows i64, a word for a number) → 400 `invalid` naming
/// the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => {
                // A tuple's error says which segment by its index: name it by its key.
                let keys: Vec<String> = RawPathParams::from_request_parts(parts, state)
                    .await
                    .map(|raw| raw.iter().map(|(k, _)| k.to_string()).collect())
                    .unwrap_or_default();
                Err(path_error(&rejection, &keys))
            }
        }
    }
}

/// The error for a path the route matched but its parameters could not be read from; `keys`
/// are the route's parameter names in order.
fn path_error(rejection: &PathRejection, keys: &[String]) -> Error {
    let PathRejection::FailedToDeserializePathParams(e) = rejection else {
        return Error::Internal(anyhow::anyhow!("path: {}", rejection.body_text()));
    };
    let invalid =
        |key: &str| Error::BadRequest(ApiError::invalid(key, format!("网址中的 {key} 无效")));
    match e.kind() {
        PathErrorKind::InvalidUtf8InPathParam { key } => Error::BadRequest(ApiError::invalid(
            key,
            format!("网址中的 {key} 不是有效的UTF-8文字"),
        )),
        PathErrorKind::ParseErrorAtKey { key, .. }
        | PathErrorKind::DeserializeError { key, .. } => invalid(key),
        PathErrorKind::ParseErrorAtIndex { index, .. } => {
            invalid(keys.get(*index).map_or("path", String::as_str))
        }
        PathErrorKind::ParseError { .. } if keys.len() == 1 => invalid(&keys[0]),
        PathErrorKind::WrongNumberOfParameters { .. } | PathErrorKind::UnsupportedType { .. } => {
            Error::Internal(anyhow::anyhow!("path: {}", e.body_text()))
        }
        _ => invalid("path"),
    }
}

/// `axum::extract::Query` with our rejections: a parameter missing or of the wrong type →
/// 400 `invalid` naming the parameter.
#[derive(Debug, Clone, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> Query<T> {
    /// The query of `uri`, read as `T`.
    pub fn try_from_uri(uri: &Uri) -> Result<Self, Error> {
        let query = uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Self)
            .map_err(|e| {
                let text = format!("{}: {}", e.path(), e.inner());
                let field = data_error_field(&text).unwrap_or_else(|| "query".into());
                let message = if e.inner().to_string().starts_with("missing field") {
                    format!("缺少查询参数 {field}")
                } else {
                    format!("查询参数 {field} 的值无效")
                };
                Error::BadRequest(ApiError::invalid(&field, message))
            })
    }
}

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Self::try_from_uri(&parts.uri)
    }
}

/// A reading that breaks a rule is a 422 naming its field.
impl From<crate::owners::ReadingRefused> for Error {
    fn from(refused: crate::owners::ReadingRefused) -> Self {
        match refused {
            crate::owners::ReadingRefused::Rule(e) => Self::Unprocessable(e),
            crate::owners::ReadingRefused::Database(e) => Self::Database(e),
        }
    }
}

/// A refused change to staff: 404, 403, 422 or 409, each naming what is wrong.
impl From<crate::staff_admin::Refused> for Error {
    fn from(refused: crate::staff_admin::Refused) -> Self {
        use crate::staff_admin::Refused;
        match refused {
            Refused::NotFound(message) => Self::NotFound(message.into()),
            Refused::Forbidden(e) => Self::Denied(e),
            Refused::Invalid(e) => Self::Unprocessable(e),
            Refused::Taken(e) => Self::Conflict(ApiError {
                code: "taken".into(),
                ..e
            }),
            Refused::Database(e) => Self::Database(e),
        }
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Self::TooLarge;
        }
        match rejection {
            JsonRejection::JsonDataError(e) => {
                let text = e.body_text();
                let field = data_error_field(&text);
                let message = match (data_error_message(&text), &field) {
                    (Some(own), _) => own,
                    (None, Some(f)) => format!("字段 {f} 缺失或类型不对"),
                    (None, None) => "请求内容的字段缺失或类型不对".into(),
                };
                Self::Unprocessable(ApiError {
                    code: "invalid".into(),
                    message,
                    field,
                })
            }
            other => Self::BadJson(other.body_text()),
        }
    }
}

/// The field a serde data error is about: `price: invalid type...` → `price`,
/// `loan.term_months: ...` → `term_months`, ``missing field `seats` `` → `seats`.
pub fn data_error_field(text: &str) -> Option<String> {
    let detail = text
        .split_once("target type: ")
        .map_or(text, |(_, rest)| rest);
    if let Some(rest) = detail.strip_prefix("missing field `") {
        return rest.split('`').next().map(str::to_string);
    }
    let (path, rest) = detail.split_once(": ")?;
    if path.is_empty() || path == "." || path.contains(' ') {
        // A missing field inside a nested object: `loan: missing field `term_months``.
        return rest
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
            .map(str::to_string);
    }
    if let Some(inner) = rest.strip_prefix("missing field `") {
        return inner.split('`').next().map(str::to_string);
    }
    path.rsplit('.').next().map(str::to_string)
}

/// The Chinese message a shared type's own parser gave (a date, a relief period), without
/// serde's position: `purchase_date: 日期格式应为… at line 1 column 9` → `日期格式应为…`.
pub fn data_error_message(text: &str) -> Option<String> {
    let detail = text
        .split_once("target type: ")
        .map_or(text, |(_, rest)| rest);
    let (_, message) = detail.split_once(": ")?;
    let message = message.rsplit_once(" at line ").map_or(message, |(m, _)| m);
    (!message.is_ascii()).then(|| message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_errors_keep_a_chinese_message_of_our_own() {
        let text = "Failed to deserialize the JSON body into the target type: listings[0].period: 没有“2030-2031”这一减免时段 at line 1 column 80";
        assert_eq!(
            data_error_message(text).as_deref(),
            Some("没有“2030-2031”这一减免时段")
        );
        assert_eq!(data_error_field(text).as_deref(), Some("period"));
        assert_eq!(
            data_error_message("Failed to deserialize the JSON body into the target type: price: invalid type: string \"x\", expected i64 at line 1 column 12"),
            None
        );
    }

    #[test]
    fn data_errors_name_their_field() {
        let cases = [
            (
                "Failed to deserialize the JSON body into the target type: price: invalid type: string \"x\", expected i64 at line 1 column 12",
                Some("price"),
            ),
            (
                "Failed to deserialize the JSON body into the target type: missing field `seats` at line 1 column 2",
                Some("seats"),
            ),
            (
                "Failed to deserialize the JSON body into the target type: loan.term_months: invalid type: string",
                Some("term_months"),
            ),
            (
                "Failed to deserialize the JSON body into the target type: loan: missing field `term_months` at line 1",
                Some("term_months"),
            ),
            ("something else entirely", None),
        ];
        for (text, field) in cases {
            assert_eq!(data_error_field(text).as_deref(), field, "{text}");
        }
    }

    #[test]
    fn server_errors_hide_their_detail() {
        let body = Error::Internal(anyhow::anyhow!("secret table name")).body();
        assert_eq!(body.error.code, "internal");
        assert!(!body.error.message.contains("secret"));
    }
}
