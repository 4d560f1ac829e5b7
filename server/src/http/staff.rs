//! `/api/v1/console/staff`: the 员工 page's API. Managers and admins list, add (with a
//! one-time sign-in link), change role and stores, reset a password (a new link) and disable;
//! a manager only consultants and service advisors. Admins read the audit log. The rules live
//! in `crate::staff_admin`; this file reads requests and writes answers.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use shared::staff::{AuditEntry, NewStaff, SignInLink, StaffAdded, StaffChange, StaffMember};
use shared::ErrorBody;

use super::extract::{Admin, Manager};
use super::sign_in_links::written;
use super::{AppState, Error, Json, Path};
use crate::clock::Clock;
use crate::staff_admin;

#[utoipa::path(
    get,
    path = "/api/v1/console/staff",
    tag = "staff",
    responses(
        (status = 200, description = "本店全部员工：在职在前，已停用在后", body = Vec<StaffMember>),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
    )
)]
pub async fn list_staff(
    State(state): State<AppState>,
    Manager(staff): Manager,
) -> Result<axum::Json<Vec<StaffMember>>, Error> {
    Ok(axum::Json(
        staff_admin::list(&state.db, staff.dealer_id).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/staff",
    tag = "staff",
    request_body = NewStaff,
    responses(
        (status = 201, description = "已添加；一次性登录链接（24小时内有效，只能用一次）供其设置密码", body = StaffAdded),
        (status = 403, description = "经理只能添加销售顾问和服务顾问", body = ErrorBody),
        (status = 404, description = "门店不属于本店", body = ErrorBody),
        (status = 409, description = "登录账号或姓名已被使用（taken，field = login / name）", body = ErrorBody),
        (status = 422, description = "姓名、账号、电话或微信号格式不对（field）", body = ErrorBody),
    )
)]
pub async fn add_staff(
    State(state): State<AppState>,
    Manager(staff): Manager,
    headers: HeaderMap,
    Json(request): Json<NewStaff>,
) -> Result<(StatusCode, axum::Json<StaffAdded>), Error> {
    let new = request.validate().map_err(Error::Unprocessable)?;
    let (member, issued) = staff_admin::add(&state.db, &staff, &new, Clock::now().millis).await?;
    let link = written(&state, &headers, &issued)?;
    Ok((StatusCode::CREATED, axum::Json(StaffAdded { member, link })))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/staff/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "员工编号")),
    request_body = StaffChange,
    responses(
        (status = 200, description = "角色和门店已保存", body = StaffMember),
        (status = 403, description = "经理不能设置或管理经理、管理员", body = ErrorBody),
        (status = 404, description = "员工或门店不属于本店", body = ErrorBody),
        (status = 422, description = "本店唯一的管理员不能改为其他角色（field = role）", body = ErrorBody),
    )
)]
pub async fn change_staff(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
    Json(request): Json<StaffChange>,
) -> Result<axum::Json<StaffMember>, Error> {
    Ok(axum::Json(
        staff_admin::change(&state.db, &staff, id, &request, Clock::now().millis).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/staff/{id}/sign-in-link",
    tag = "staff",
    params(("id" = i64, Path, description = "员工编号")),
    responses(
        (status = 201, description = "已重置：旧密码失效、其所有会话结束，新的一次性登录链接", body = SignInLink),
        (status = 403, description = "经理不能重置经理、管理员的密码", body = ErrorBody),
        (status = 404, description = "员工不属于本店", body = ErrorBody),
        (status = 422, description = "员工已停用（field = active）", body = ErrorBody),
    )
)]
pub async fn reset_staff_password(
    State(state): State<AppState>,
    Manager(staff): Manager,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<(StatusCode, axum::Json<SignInLink>), Error> {
    let issued = staff_admin::reset(&state.db, &staff, id, Clock::now().millis).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(written(&state, &headers, &issued)?),
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/staff/{id}/disable",
    tag = "staff",
    params(("id" = i64, Path, description = "员工编号")),
    responses(
        (status = 200, description = "已停用：所有会话立即结束，不能再登录；其名片与分享链接继续有效", body = StaffMember),
        (status = 403, description = "经理不能停用经理、管理员", body = ErrorBody),
        (status = 404, description = "员工不属于本店", body = ErrorBody),
        (status = 422, description = "不能停用自己或本店唯一的管理员（field = active）", body = ErrorBody),
    )
)]
pub async fn disable_staff(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
) -> Result<axum::Json<StaffMember>, Error> {
    Ok(axum::Json(
        staff_admin::disable(&state.db, &staff, id, Clock::now().millis).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/staff/audit",
    tag = "staff",
    responses(
        (status = 200, description = "员工变更记录，最新在前：谁、何时、做了什么、变更前后", body = Vec<AuditEntry>),
        (status = 403, description = "仅管理员", body = ErrorBody),
    )
)]
pub async fn staff_audit(
    State(state): State<AppState>,
    Admin(staff): Admin,
) -> Result<axum::Json<Vec<AuditEntry>>, Error> {
    Ok(axum::Json(
        staff_admin::audit_log(&state.db, staff.dealer_id).await?,
    ))
}
