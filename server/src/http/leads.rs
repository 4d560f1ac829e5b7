//! `/api/v1/console/leads...`: the leads over HTTP, for a signed-in staff member (401
//! without): the list (a consultant sees their own), a lead with its timeline, notes, calls,
//! status changes, and a manager's reassignment and 战败 decisions (403 for others). Queries
//! and the timeline's one writer are `crate::leads`.

use axum::extract::State;
use shared::console::{LeadDetail, LeadSummary, LostDecision, Note, Reassign, StatusChange};
use shared::{ApiError, ErrorBody};

use super::extract::Manager;
use super::{AppState, Error, Json};
use super::{Path, Query};
use crate::clock::Clock;
use crate::leads::{self, Changed, LeadFilter};
use crate::staff::Staff;

#[utoipa::path(
    get,
    path = "/api/v1/console/leads",
    tag = "console",
    params(LeadFilter),
    responses(
        (status = 200, description = "线索（顾问只看自己的）", body = Vec<LeadSummary>),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn leads(
    State(state): State<AppState>,
    staff: Staff,
    Query(filter): Query<LeadFilter>,
) -> Result<axum::Json<Vec<LeadSummary>>, Error> {
    Ok(axum::Json(leads::leads(&state.db, &staff, &filter).await?))
}

async fn detail(state: &AppState, staff: &Staff, id: i64) -> Result<axum::Json<LeadDetail>, Error> {
    leads::lead(&state.db, staff, id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| Error::NotFound("未找到该线索".into()))
}

fn lead_not_found() -> Error {
    Error::NotFound("未找到该线索".into())
}

#[utoipa::path(
    get,
    path = "/api/v1/console/leads/{id}",
    tag = "console",
    params(("id" = i64, Path, description = "线索编号")),
    responses(
        (status = 200, description = "线索详情与时间线", body = LeadDetail),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 404, description = "不是本人可见的线索", body = ErrorBody),
    )
)]
pub async fn lead(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<axum::Json<LeadDetail>, Error> {
    detail(&state, &staff, id).await
}

#[utoipa::path(
    post,
    path = "/api/v1/console/leads/{id}/notes",
    tag = "console",
    params(("id" = i64, Path, description = "线索编号")),
    request_body = Note,
    responses(
        (status = 200, description = "已记录", body = LeadDetail),
        (status = 404, description = "不是本人可见的线索", body = ErrorBody),
        (status = 422, description = "内容为空或过长", body = ErrorBody),
    )
)]
pub async fn note(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Json(request): Json<Note>,
) -> Result<axum::Json<LeadDetail>, Error> {
    let text = request.validate().map_err(Error::Unprocessable)?;
    if !leads::note(&state.db, &staff, id, &text, Clock::now()).await? {
        return Err(lead_not_found());
    }
    detail(&state, &staff, id).await
}

#[utoipa::path(
    post,
    path = "/api/v1/console/leads/{id}/calls",
    tag = "console",
    params(("id" = i64, Path, description = "线索编号")),
    responses(
        (status = 200, description = "已记录一次拨打", body = LeadDetail),
        (status = 404, description = "不是本人可见的线索", body = ErrorBody),
    )
)]
pub async fn call(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<axum::Json<LeadDetail>, Error> {
    if !leads::call(&state.db, &staff, id, Clock::now()).await? {
        return Err(lead_not_found());
    }
    detail(&state, &staff, id).await
}

#[utoipa::path(
    put,
    path = "/api/v1/console/leads/{id}/status",
    tag = "console",
    params(("id" = i64, Path, description = "线索编号")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "已更新（顾问的战败申请待经理审批）", body = LeadDetail),
        (status = 404, description = "不是本人可见的线索", body = ErrorBody),
        (status = 422, description = "不能从当前状态改为该状态，或缺少战败原因", body = ErrorBody),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Json(request): Json<StatusChange>,
) -> Result<axum::Json<LeadDetail>, Error> {
    request.validate().map_err(Error::Unprocessable)?;
    let reason = request.lost_reason.as_deref();
    match leads::change_status(&state.db, &staff, id, request.status, reason, Clock::now()).await? {
        Changed::Done => detail(&state, &staff, id).await,
        Changed::NotFound => Err(lead_not_found()),
        Changed::NotAllowed(from) => Err(Error::Unprocessable(ApiError::invalid(
            "status",
            format!(
                "线索当前为“{}”，不能改为“{}”",
                from.label(),
                request.status.label()
            ),
        ))),
    }
}

#[utoipa::path(
    put,
    path = "/api/v1/console/leads/{id}/consultant",
    tag = "console",
    params(("id" = i64, Path, description = "线索编号")),
    request_body = Reassign,
    responses(
        (status = 200, description = "已改派", body = LeadDetail),
        (status = 403, description = "仅经理和管理员可改派", body = ErrorBody),
        (status = 404, description = "线索或顾问不属于本经销商", body = ErrorBody),
    )
)]
pub async fn reassign(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
    Json(request): Json<Reassign>,
) -> Result<axum::Json<LeadDetail>, Error> {
    if !leads::reassign(&state.db, &staff, id, request.consultant_id, Clock::now()).await? {
        return Err(Error::NotFound("未找到该线索或顾问".into()));
    }
    detail(&state, &staff, id).await
}

#[utoipa::path(
    put,
    path = "/api/v1/console/leads/{id}/lost-claim",
    tag = "console",
    params(("id" = i64, Path, description = "线索编号")),
    request_body = LostDecision,
    responses(
        (status = 200, description = "已批准或驳回战败申请", body = LeadDetail),
        (status = 403, description = "仅经理和管理员可审批", body = ErrorBody),
        (status = 404, description = "没有待审批的战败申请", body = ErrorBody),
    )
)]
pub async fn lost_claim(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
    Json(request): Json<LostDecision>,
) -> Result<axum::Json<LeadDetail>, Error> {
    if !leads::decide_lost(&state.db, &staff, id, request.approve, Clock::now()).await? {
        return Err(Error::NotFound("没有待审批的战败申请".into()));
    }
    detail(&state, &staff, id).await
}
