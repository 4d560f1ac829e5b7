//! Sharing and attribution over HTTP: a visitor takes their own link to the page they are on
//! (`POST /api/v1/dealers/{dealer}/links`, "分享给朋友"); the console reads what each of a staff
//! member's links brought (`GET /api/v1/console/links/stats`) and a lead's share tree
//! (`GET /api/v1/console/leads/{id}/share-tree`); the admin sets how long a first touch
//! credits its link's owner (`/api/v1/console/attribution`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::PrivateCookieJar;
use shared::attribution::{AttributionWindow, LinkStats, NewVisitorLink, ShareTree};
use shared::link::{self, Link};
use shared::ErrorBody;

use super::extract::{Admin, Dealer};
use super::links::ClicksWritten;
use super::visitor::{ClientAddr, Visitor};
use super::Path;
use super::{AppState, Error, Json};
use crate::clock::Clock;
use crate::staff::Staff;
use crate::{attribution, shares};

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/links",
    tag = "links",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = NewVisitorLink,
    responses(
        (status = 201, description = "已为本访客生成分享链接（访客 Cookie 没有时一并生成）", body = Link),
        (status = 200, description = "本访客此前为同一页面和渠道生成的链接", body = Link),
        (status = 400, description = "请求不是有效的JSON", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
        (status = 422, description = "页面不是本店的或不存在（field 为 target），或渠道无效", body = ErrorBody),
        (status = 429, description = "操作太频繁（Retry-After 秒后再试）", body = ErrorBody),
    )
)]
pub async fn create_share(
    State(state): State<AppState>,
    _: ClicksWritten,
    Dealer { slug, record }: Dealer,
    visitor: Visitor,
    jar: PrivateCookieJar,
    addr: ClientAddr,
    Json(request): Json<NewVisitorLink>,
) -> Result<impl IntoResponse, Error> {
    state.limits.check(&visitor.id, &addr)?;
    let target = link::check_target(&slug, &request.target).map_err(Error::Unprocessable)?;
    let clock = Clock::now();
    let (made, new) = shares::visitor_link(
        &state.db,
        record.id,
        &visitor.id,
        &target,
        request.channel,
        clock.millis,
    )
    .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let jar = visitor.save(jar, &slug);
    Ok((status, jar, axum::Json(made)))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/links/stats",
    tag = "console",
    responses(
        (status = 200, description = "我的每个链接带来的预览、点击、访客、线索、预约（含访客转发），按渠道、按天", body = Vec<LinkStats>),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn link_stats(
    State(state): State<AppState>,
    _: ClicksWritten,
    staff: Staff,
) -> Result<axum::Json<Vec<LinkStats>>, Error> {
    Ok(axum::Json(
        shares::stats_of_staff(&state.db, staff.id, Clock::now().millis).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/leads/{id}/share-tree",
    tag = "console",
    params(("id" = i64, Path, description = "线索编号")),
    responses(
        (status = 200, description = "线索的转发链：顾问链接、逐级转发的人和时间、该客户又转发给谁", body = ShareTree),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 404, description = "不是本人可见的线索", body = ErrorBody),
    )
)]
pub async fn share_tree(
    State(state): State<AppState>,
    _: ClicksWritten,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<axum::Json<ShareTree>, Error> {
    attribution::share_tree(&state.db, &staff, id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| Error::NotFound("未找到该线索".into()))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/attribution",
    tag = "console",
    responses(
        (status = 200, description = "本经销商的客户归属期：首次点击顾问链接后多少天内留资归属该顾问", body = AttributionWindow),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
    )
)]
pub async fn window(
    State(state): State<AppState>,
    Admin(staff): Admin,
) -> Result<axum::Json<AttributionWindow>, Error> {
    let mut conn = state.db.pool.acquire().await?;
    let days = attribution::window_days(&mut conn, staff.dealer_id).await?;
    Ok(axum::Json(AttributionWindow { days }))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/attribution",
    tag = "console",
    request_body = AttributionWindow,
    responses(
        (status = 200, description = "已保存，此后的新线索按新的归属期计算", body = AttributionWindow),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
        (status = 422, description = "归属期须为 1 到 365 天（field 为 days）", body = ErrorBody),
    )
)]
pub async fn save_window(
    State(state): State<AppState>,
    Admin(staff): Admin,
    Json(window): Json<AttributionWindow>,
) -> Result<axum::Json<AttributionWindow>, Error> {
    window.validate().map_err(Error::Unprocessable)?;
    attribution::set_window_days(&state.db, staff.dealer_id, window.days).await?;
    tracing::info!(
        staff = staff.id,
        dealer = staff.dealer_id,
        days = window.days,
        "attribution window saved"
    );
    Ok(axum::Json(window))
}
