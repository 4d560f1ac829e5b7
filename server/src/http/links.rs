//! Share links over HTTP: `GET /s/{code}` keeps the fetch (a click, or a preview card being
//! built) and sends the visitor to the page with the link's channel, unknown and expired codes
//! get a friendly Chinese page; the console makes links (`POST /api/v1/console/links`) and
//! lists a staff member's own with what they brought.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{CookieJar, PrivateCookieJar};
use shared::link::{self, Agent, Link, NewLink};
use shared::ErrorBody;

use super::visitor::{ClientAddr, Visitor};
use super::Path;
use super::{AppState, Error, Json};
use crate::clicks::Visit;
use crate::clock::Clock;
use crate::links;
use crate::staff::{self, Staff};

/// Taken by the handlers that count or credit by clicks: it first writes the clicks this
/// instance still holds, so what they read includes every click made before the request.
pub struct ClicksWritten;

impl FromRequestParts<AppState> for ClicksWritten {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        state.clicks.flush().await;
        Ok(Self)
    }
}

/// Opens a share link.
pub async fn open(
    State(state): State<AppState>,
    Path(code): Path<String>,
    method: Method,
    headers: HeaderMap,
    jar: PrivateCookieJar,
) -> Result<Response, Error> {
    if !link::is_code(&code) {
        return Ok(gone(StatusCode::NOT_FOUND, None));
    }
    let Some(found) = state.found_links.open(&state.db, &code).await? else {
        return Ok(gone(StatusCode::NOT_FOUND, None));
    };
    let clock = Clock::now();
    if !found.is_open(clock.today()) {
        return Ok(gone(StatusCode::GONE, Some(&found.dealer_slug)));
    }
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let agent = Agent::of(method == Method::HEAD, user_agent);
    let staff_visit = is_dealers_staff(&state, &headers, found.dealer_id, clock).await?;
    let location = with_channel(&found.target, &found.channel);
    let redirect = [
        (header::LOCATION, location),
        (header::CACHE_CONTROL, "no-store".to_string()),
    ];
    let visit = Visit {
        link_id: found.id,
        at: clock.millis,
        visitor: None,
        agent: agent.as_str(),
        counted: false,
    };
    if agent == Agent::Preview {
        state.clicks.keep(visit);
        return Ok((StatusCode::FOUND, redirect).into_response());
    }
    let visitor = Visitor::of_or_new(&jar, &found.dealer_slug);
    state.clicks.keep(Visit {
        visitor: Some(visitor.id.clone()),
        counted: !staff_visit,
        ..visit
    });
    if !staff_visit {
        crate::attribution::referred_by_link(&state.db, &found, &visitor.id, clock.millis).await?;
    }
    let jar = visitor.save(jar, &found.dealer_slug);
    Ok((StatusCode::FOUND, jar, redirect).into_response())
}

/// Whether the request comes from a signed-in staff member of the link's dealer: their own
/// and their colleagues' visits are never counted as clicks.
async fn is_dealers_staff(
    state: &AppState,
    headers: &HeaderMap,
    dealer_id: i64,
    clock: Clock,
) -> Result<bool, Error> {
    let Some(session) = CookieJar::from_headers(headers)
        .get(staff::SESSION_COOKIE)
        .cloned()
    else {
        return Ok(false);
    };
    let theirs = staff::dealer_of_session(&state.db, session.value(), clock.millis / 1000).await?;
    Ok(theirs == Some(dealer_id))
}

/// The target with the link's channel as `?ch=`, which the page passes on to the lead.
fn with_channel(target: &str, channel: &str) -> String {
    let joint = if target.contains('?') { '&' } else { '?' };
    format!("{target}{joint}ch={channel}")
}

/// A friendly page for a code that opens nothing: unknown (404) or expired (410), with a way
/// to the dealer's home.
fn gone(status: StatusCode, dealer: Option<&str>) -> Response {
    let (title, text) = if status == StatusCode::GONE {
        (
            "链接已过期",
            "这个分享链接已过有效期，您可以进入门店首页继续看车。",
        )
    } else {
        (
            "链接不存在",
            "这个分享链接不存在或已失效，请向分享给您的人确认。",
        )
    };
    let home = dealer.map_or_else(
        || "/".to_string(),
        |slug| format!("/{}/", super::shell::escape(slug)),
    );
    let body = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} - 车链</title><style>{style}</style></head>\
         <body><main><h1>{title}</h1><p>{text}</p><a href=\"{home}\">去门店首页</a></main></body></html>",
        style = super::security::PAGE_STYLE
    );
    super::shell::html(status, body)
}

#[utoipa::path(
    post,
    path = "/api/v1/console/links",
    tag = "console",
    request_body = NewLink,
    responses(
        (status = 201, description = "已生成分享链接", body = Link),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "页面不是本店的、活动名称过长或有效期已过（field 指明字段）", body = ErrorBody),
        (status = 429, description = "生成太频繁（Retry-After 秒后再试）", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    addr: ClientAddr,
    Json(request): Json<NewLink>,
) -> Result<impl IntoResponse, Error> {
    state.limits.check(&format!("staff:{}", staff.id), &addr)?;
    let slug = crate::catalog::dealer_slug(&state.db, staff.dealer_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let clock = Clock::now();
    let new = request
        .validate(&slug, clock.today())
        .map_err(Error::Unprocessable)?;
    let code = links::create(&state.db, staff.dealer_id, staff.id, &new, clock.millis).await?;
    let made = Link {
        path: link::link_path(&code),
        code,
        target: new.target,
        channel: new.channel,
        campaign: new.campaign,
        expires_on: new.expires_on,
        created_at: clock.millis,
        clicks: 0,
        previews: 0,
        visitors: 0,
    };
    Ok((StatusCode::CREATED, axum::Json(made)))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/links",
    tag = "console",
    responses(
        (status = 200, description = "我的分享链接，最新的在前，含点击、预览和访客数", body = Vec<Link>),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    _: ClicksWritten,
    staff: Staff,
) -> Result<axum::Json<Vec<Link>>, Error> {
    Ok(axum::Json(links::of_staff(&state.db, staff.id).await?))
}
