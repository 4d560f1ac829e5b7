//! Consultants' cards over HTTP: the public card behind a showcase
//! (`GET .../consultants/{handle}`), the card of the consultant a visitor came through
//! (`GET .../my-consultant`), and a staff member's own profile in the console
//! (`GET`/`PUT /api/v1/console/profile`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::profile::{ConsultantCard, Profile, HANDLE_TAKEN};
use shared::{ApiError, ErrorBody};
use sqlx::error::ErrorKind;

use super::extract::Dealer;
use super::links::ClicksWritten;
use super::visitor::Visitor;
use super::Path;
use super::{AppState, Error, Json};
use crate::clock::Clock;
use crate::consultants;
use crate::staff::Staff;

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/consultants/{handle}",
    tag = "showcase",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("handle" = String, Path, description = "顾问名片网址（如 wang）"),
    ),
    responses(
        (status = 200, description = "顾问名片：姓名、职位、工作电话、微信号", body = ConsultantCard),
        (status = 404, description = "经销商或顾问不存在（另一家经销商的顾问也是404）", body = ErrorBody),
    )
)]
pub async fn card(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Path((_dealer, handle)): Path<(String, String)>,
) -> Result<axum::Json<ConsultantCard>, Error> {
    consultants::card(&state.db, record.id, &handle)
        .await?
        .map(axum::Json)
        .ok_or_else(|| Error::NotFound("未找到这位顾问".into()))
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/my-consultant",
    tag = "showcase",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "访客经由其链接而来的顾问的名片（凭本人的 Cookie）", body = ConsultantCard),
        (status = 204, description = "访客没有经由顾问的链接而来（或已超过30天）"),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    _: ClicksWritten,
    Dealer { record, .. }: Dealer,
    visitor: Option<Visitor>,
) -> Result<Response, Error> {
    let Some(visitor) = visitor else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let now = Clock::now().millis;
    let card =
        match consultants::consultant_of_visitor(&state.db, record.id, &visitor.id, now).await? {
            Some(staff_id) => consultants::card_of_staff(&state.db, staff_id).await?,
            None => None,
        };
    Ok(match card {
        Some(card) => axum::Json(card).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/console/profile",
    tag = "console",
    responses(
        (status = 200, description = "我的名片资料（未填写的为空）", body = Profile),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn profile(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<axum::Json<Profile>, Error> {
    let (profile, _) = consultants::profile(&state.db, staff.id).await?;
    Ok(axum::Json(profile))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/profile",
    tag = "console",
    request_body = Profile,
    responses(
        (status = 200, description = "已保存的名片资料", body = Profile),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "某项不符合规则或名片网址已被同事使用（field 指明字段），未保存任何内容", body = ErrorBody),
    )
)]
pub async fn save_profile(
    State(state): State<AppState>,
    staff: Staff,
    Json(request): Json<Profile>,
) -> Result<axum::Json<Profile>, Error> {
    let (_, login) = consultants::profile(&state.db, staff.id).await?;
    let profile = request.validate(&login).map_err(Error::Unprocessable)?;
    let taken = || Error::Unprocessable(ApiError::invalid("handle", HANDLE_TAKEN));
    if consultants::handle_taken(&state.db, staff.dealer_id, staff.id, &profile.handle).await? {
        return Err(taken());
    }
    match consultants::save(&state.db, staff.dealer_id, staff.id, &profile).await {
        Ok(()) => {
            // This instance shows the new card from the next request; others within a poll.
            state.catalogue.refresh().await?;
            Ok(axum::Json(profile))
        }
        Err(e) if is_unique_violation(&e) => {
            // A colleague took the handle a moment ago, or already has this name.
            if consultants::handle_taken(&state.db, staff.dealer_id, staff.id, &profile.handle)
                .await?
            {
                Err(taken())
            } else {
                Err(Error::Unprocessable(ApiError::invalid(
                    "name",
                    "本店已有同名的同事，请加以区分",
                )))
            }
        }
        Err(e) => Err(e.into()),
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.kind() == ErrorKind::UniqueViolation)
}
