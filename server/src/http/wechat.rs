//! WeChat over HTTP: `GET /api/v1/dealers/{dealer}/wechat/js-config` signs `wx.config` for a
//! page URL on the dealer's JS-SDK domain and describes the page's share card; the console's
//! `GET`/`PUT /api/v1/console/wechat` (admins only) read and save the dealer's official-account
//! settings, never returning the AppSecret; and `/MP_verify_<random>.txt` is served from them.

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::page::Page;
use shared::wechat::{self as rules, JsConfig, SaveWeChat, WeChatSettings};
use shared::{ApiError, ErrorBody};

use super::extract::{Admin, Dealer};
use super::Query;
use super::{shell, AppState, Error, Json};
use crate::clock::Clock;
use crate::wechat::{self, Failure};

/// The longest page URL signed.
pub const MAX_URL: usize = 2000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JsConfigQuery {
    /// The page URL to sign, as the browser has it (its `#` fragment is dropped): on iOS the
    /// URL the visitor landed on, on Android the current one.
    #[param(min_length = 1, max_length = 2000)]
    url: String,
    /// The page to describe in the share card (path and query, `/demo/models/byd-qin-plus`);
    /// the signed URL's page when left out.
    page: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/wechat/js-config",
    tag = "wechat",
    params(("dealer" = String, Path, description = "经销商标识（slug）"), JsConfigQuery),
    responses(
        (status = 200, description = "wx.config 所需的签名与页面分享卡片", body = JsConfig),
        (status = 400, description = "地址不在本店公众号的 JS 接口安全域名下", body = ErrorBody),
        (status = 404, description = "经销商不存在，或尚未配置公众号", body = ErrorBody),
        (status = 503, description = "微信接口暂不可用或拒绝了公众号凭据：页面照常使用，分享普通链接", body = ErrorBody),
    )
)]
pub async fn js_config(
    State(state): State<AppState>,
    Dealer { slug, record }: Dealer,
    query: Result<Query<JsConfigQuery>, Error>,
) -> Result<Response, Error> {
    let Query(query) = query?;
    let settings = wechat::settings(&state.db, record.id)
        .await?
        .ok_or_else(|| {
            Error::WeChat(
                StatusCode::NOT_FOUND,
                ApiError {
                    code: "wechat_not_configured".into(),
                    message: "该经销商尚未配置微信公众号，暂不能设置微信分享".into(),
                    field: None,
                },
            )
        })?;
    let signed = SignedUrl::check(&query.url, &settings.domain)?;
    let page = query
        .page
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| signed.path.clone());
    let page_uri = Uri::try_from(page.as_str())
        .ok()
        .filter(|uri| Page::parse(uri.path()).is_some_and(|(own, _)| own == slug))
        .ok_or_else(|| {
            Error::BadRequest(ApiError::invalid("page", "只能为本店的页面生成分享卡片"))
        })?;
    let share = shell::share_card(&state, &page_uri, &signed.origin).await?;
    let ticket = state
        .wechat
        .ticket(&settings.app_id, &settings.app_secret)
        .await
        .map_err(unavailable)?;
    let nonce_str =
        rules::nonce_from(std::iter::repeat_with(rand::random::<u8>)).unwrap_or_default();
    let timestamp = Clock::now().millis / 1000;
    let config = JsConfig {
        signature: rules::js_sdk_signature(&ticket, &nonce_str, timestamp, &signed.url),
        app_id: settings.app_id,
        timestamp,
        nonce_str,
        url: signed.url,
        script: state.wechat.script().to_string(),
        share,
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(config)).into_response())
}

/// A 503 the page handles by sharing plain links; the cause was logged once by `wechat`.
fn unavailable(failure: Failure) -> Error {
    let (code, message) = match failure {
        Failure::Credential(_) => (
            "wechat_credential",
            "微信拒绝了公众号的 AppID 或 AppSecret，请管理员在工作台“微信设置”中检查",
        ),
        Failure::Refused(_) => (
            "wechat_refused",
            "微信拒绝了请求，请管理员检查公众号设置（如 IP 白名单）",
        ),
        Failure::Unavailable => ("wechat_unavailable", "微信接口暂时不可用，请稍后再试"),
    };
    Error::WeChat(
        StatusCode::SERVICE_UNAVAILABLE,
        ApiError {
            code: code.into(),
            message: message.into(),
            field: None,
        },
    )
}

/// A page URL on the dealer's domain, without its fragment.
#[derive(Debug, PartialEq, Eq)]
struct SignedUrl {
    /// As signed.
    url: String,
    /// `https://host[:port]`.
    origin: String,
    /// Path and query.
    path: String,
}

impl SignedUrl {
    fn check(raw: &str, domain: &str) -> Result<Self, Error> {
        let refuse = || {
            Error::BadRequest(ApiError::invalid(
                "url",
                format!("只能为本店公众号域名（{domain}）下的页面签名"),
            ))
        };
        let url = rules::without_fragment(raw.trim());
        if url.len() > MAX_URL {
            return Err(refuse());
        }
        let uri = Uri::try_from(url).map_err(|_| refuse())?;
        let scheme = uri.scheme_str().filter(|s| matches!(*s, "http" | "https"));
        let authority = uri.authority().filter(|a| !a.as_str().contains('@'));
        match (scheme, authority) {
            (Some(scheme), Some(authority)) if authority.host().eq_ignore_ascii_case(domain) => {
                Ok(Self {
                    url: url.to_string(),
                    origin: format!("{scheme}://{authority}"),
                    path: uri
                        .path_and_query()
                        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string()),
                })
            }
            _ => Err(refuse()),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/console/wechat",
    tag = "console",
    responses(
        (status = 200, description = "本经销商的微信公众号设置（不含 AppSecret，只说是否已设置）", body = WeChatSettings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
    )
)]
pub async fn settings(
    State(state): State<AppState>,
    Admin(staff): Admin,
) -> Result<axum::Json<WeChatSettings>, Error> {
    let stored = wechat::settings(&state.db, staff.dealer_id).await?;
    Ok(axum::Json(stored.map(|s| s.view()).unwrap_or_default()))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/wechat",
    tag = "console",
    request_body = SaveWeChat,
    responses(
        (status = 200, description = "已保存（AppSecret 留空则保留原值）", body = WeChatSettings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
        (status = 422, description = "AppID、AppSecret、域名或校验文件不符合规则（field 指明字段）", body = ErrorBody),
    )
)]
pub async fn save_settings(
    State(state): State<AppState>,
    Admin(staff): Admin,
    Json(request): Json<SaveWeChat>,
) -> Result<axum::Json<WeChatSettings>, Error> {
    let stored = wechat::settings(&state.db, staff.dealer_id).await?;
    let has_secret = stored.as_ref().is_some_and(|s| !s.app_secret.is_empty());
    let new = request.validate(has_secret).map_err(Error::Unprocessable)?;
    wechat::save(&state.db, staff.dealer_id, &new, Clock::now().millis).await?;
    // A changed AppID or secret starts afresh: no token, ticket or failure kept from before.
    if let Some(old) = &stored {
        state.wechat.forget(&old.app_id);
    }
    state.wechat.forget(&new.app_id);
    tracing::info!(staff = staff.id, dealer = staff.dealer_id, app_id = %new.app_id, "WeChat settings saved");
    let saved = wechat::settings(&state.db, staff.dealer_id)
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("saved WeChat settings are gone")))?;
    Ok(axum::Json(saved.view()))
}

/// `/MP_verify_<random>.txt`: the verification file an admin uploaded, as plain text; `None`
/// for any other path.
pub async fn verify_file(state: &AppState, path: &str) -> Option<Response> {
    let name = rules::verify_file_name(path)?;
    Some(match wechat::verify_file(&state.db, name).await {
        Ok(Some(content)) => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            content,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "not found").into_response(),
        Err(e) => Error::Database(e).into_response(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_urls_on_the_domain_are_signed() {
        let ok = SignedUrl::check(
            "https://Che.Example.com/demo/models/byd-qin-plus?ch=chat#top",
            "che.example.com",
        )
        .unwrap();
        assert_eq!(
            ok,
            SignedUrl {
                url: "https://Che.Example.com/demo/models/byd-qin-plus?ch=chat".into(),
                origin: "https://Che.Example.com".into(),
                path: "/demo/models/byd-qin-plus?ch=chat".into(),
            }
        );
        let port = SignedUrl::check("http://127.0.0.1:3000/demo/", "127.0.0.1").unwrap();
        assert_eq!(port.origin, "http://127.0.0.1:3000");
        for bad in [
            "https://evil.com/demo/",
            "https://che.example.com.evil.com/demo/",
            "https://che.example.com@evil.com/demo/",
            "ftp://che.example.com/demo/",
            "/demo/models",
            "javascript:alert(1)",
            "",
        ] {
            assert!(SignedUrl::check(bad, "che.example.com").is_err(), "{bad}");
        }
    }
}
