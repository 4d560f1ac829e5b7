//! 离职继承 over HTTP, for admins (403 for others): the dealer's staff with what each holds
//! (`GET /api/v1/console/hand-over`) and the hand-over itself
//! (`POST /api/v1/console/staff/{id}/hand-over`). Queries and the move are `crate::hand_over`.

use axum::extract::State;
use shared::hand_over::{HandOver, HandOverBoard, HandedOver};
use shared::ErrorBody;

use super::extract::Admin;
use super::{AppState, Error, Json, Path};
use crate::clock::Clock;
use crate::hand_over::{self, Refusal};

#[utoipa::path(
    get,
    path = "/api/v1/console/hand-over",
    tag = "console",
    responses(
        (status = 200, description = "本店员工及各自名下待交接的线索、预约、车主和分享链接（已停用或已交接的在前）", body = HandOverBoard),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
    )
)]
pub async fn board(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<axum::Json<HandOverBoard>, Error> {
    let staff = hand_over::board(&state.db, admin.dealer_id, Clock::now()).await?;
    Ok(axum::Json(HandOverBoard { staff }))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/staff/{id}/hand-over",
    tag = "console",
    params(("id" = i64, Path, description = "离职（交出）员工的编号")),
    request_body = HandOver,
    responses(
        (status = 200, description = "已交接：跟进中的线索、待到店预约、车主和分享链接已转给接手同事；此后该员工的链接和名片归接手同事（再次交接时数量为0）", body = HandedOver),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
        (status = 404, description = "员工或接手同事不属于本经销商", body = ErrorBody),
        (status = 422, description = "接手同事是本人、已停用或已离职，或其角色不能接手（field 为 to）", body = ErrorBody),
    )
)]
pub async fn hand_over(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<i64>,
    Json(request): Json<HandOver>,
) -> Result<axum::Json<HandedOver>, Error> {
    match hand_over::hand_over(&state.db, &admin, id, request.to, Clock::now()).await? {
        Ok(done) => {
            tracing::info!(
                admin = admin.id,
                dealer = admin.dealer_id,
                from = id,
                to = request.to,
                leads = done.moved.leads,
                links = done.moved.links,
                "handed over"
            );
            Ok(axum::Json(done))
        }
        Err(Refusal::NotFound(message)) => Err(Error::NotFound(message.into())),
        Err(Refusal::Invalid(e)) => Err(Error::Unprocessable(e)),
    }
}
