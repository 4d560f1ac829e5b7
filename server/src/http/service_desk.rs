//! `/api/v1/console/service...`: the service desk. A service advisor lists the service
//! bookings of their stores and cars (managers and admins: the whole dealer's) and records a
//! visit as completed, with the odometer read at the workshop, or as no-show; consultants get
//! 403, another dealer's booking is a 404.

use axum::extract::State;
use shared::service::{ServiceUpdate, StaffService};
use shared::{ApiError, ErrorBody};

use super::extract::ServiceDesk;
use super::Path;
use super::{AppState, Error, Json};
use crate::clock::Clock;
use crate::service::{self, Recorded, Scope};

#[utoipa::path(
    get,
    path = "/api/v1/console/service",
    tag = "console",
    responses(
        (status = 200, description = "今日及未来14天的服务预约（近7天未处理的也列出）", body = Vec<StaffService>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅服务顾问、经理和管理员", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ServiceDesk(staff): ServiceDesk,
) -> Result<axum::Json<Vec<StaffService>>, Error> {
    let today = Clock::now().today();
    let list = service::staff_list(&state.db, &staff, Scope::Board(today)).await?;
    Ok(axum::Json(list.into_iter().map(|(_, _, b)| b).collect()))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/service/{code}/status",
    tag = "console",
    params(("code" = String, Path, description = "服务预约码")),
    request_body = ServiceUpdate,
    responses(
        (status = 200, description = "已记录：完成（记入里程并为车主加积分）或未到店", body = StaffService),
        (status = 403, description = "仅服务顾问、经理和管理员", body = ErrorBody),
        (status = 404, description = "不是本人可处理的服务预约", body = ErrorBody),
        (status = 409, description = "预约已取消、已完成或已标记未到店", body = ErrorBody),
        (status = 422, description = "里程缺失、超出范围或低于上次记录；预约日期未到", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ServiceDesk(staff): ServiceDesk,
    Path(code): Path<String>,
    Json(request): Json<ServiceUpdate>,
) -> Result<axum::Json<StaffService>, Error> {
    let outcome = request.validate().map_err(Error::Unprocessable)?;
    match service::record(&state.db, &staff, &code, outcome, Clock::now()).await? {
        Recorded::Done(b) => Ok(axum::Json(*b)),
        Recorded::NotFound => Err(Error::NotFound("未找到该服务预约".into())),
        Recorded::NotOpen(status) => Err(Error::Conflict(ApiError {
            code: "not_open".into(),
            message: format!("该预约{}，不能再更改", status.label()),
            field: Some("status".into()),
        })),
        Recorded::TooEarly => Err(Error::Unprocessable(ApiError::invalid(
            "status",
            "预约日期未到，不能标记完成或未到店",
        ))),
    }
}
