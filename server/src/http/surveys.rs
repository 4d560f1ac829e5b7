//! Satisfaction surveys over HTTP: a person's completed visits and their answers
//! (`/api/v1/dealers/{dealer}/surveys`; test drives this browser made or of a phone it
//! proved, services by the owner cookie, anyone else's visit a 404, a second answer a 409), and the manager marking a low score followed up
//! (`PUT /api/v1/console/surveys/{id}/follow-up`).

use axum::extract::State;
use axum::http::StatusCode;
use shared::survey::{SurveyAnswer, SurveyThanks, SurveyVisits};
use shared::{ApiError, ErrorBody};

use super::extract::{Dealer, Manager, Owner};
use super::visitor::{ClientAddr, Visitor};
use super::Path;
use super::{AppState, Error, Json};
use crate::clock::Clock;
use crate::proofs::Access;
use crate::surveys::{self, Answered, FollowedUp, Person};

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/surveys",
    tag = "me",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "本人已完成的试驾（本机预约的，或本机已验证的手机号的）和保养维修（凭车主 Cookie），含已评分数", body = SurveyVisits),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn visits(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    owner: Option<Owner>,
    access: Access,
) -> Result<axum::Json<SurveyVisits>, Error> {
    let who = Person {
        access: &access,
        owner: owner.map(|Owner(id)| id),
    };
    Ok(axum::Json(SurveyVisits {
        visits: surveys::visits(&state.db, record.id, who).await?,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/surveys",
    tag = "me",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = SurveyAnswer,
    responses(
        (status = 201, description = "已收到评价（车主评价保养维修得积分）", body = SurveyThanks),
        (status = 404, description = "不是本人的到店记录", body = ErrorBody),
        (status = 409, description = "已评价过（code 为 already_answered），或尚未完成（not_completed）", body = ErrorBody),
        (status = 422, description = "分数、标签或留言不符合规则（field 指明字段）", body = ErrorBody),
        (status = 429, description = "操作太频繁", body = ErrorBody),
    )
)]
pub async fn answer(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    visitor: Option<Visitor>,
    owner: Option<Owner>,
    access: Access,
    addr: ClientAddr,
    Json(request): Json<SurveyAnswer>,
) -> Result<(StatusCode, axum::Json<SurveyThanks>), Error> {
    let owner = owner.map(|Owner(id)| id);
    let who_key = match (&visitor, owner) {
        (_, Some(owner)) => format!("owner:{owner}"),
        (Some(v), None) => v.id.clone(),
        (None, None) => return Err(Error::NotFound("未找到您的到店记录".into())),
    };
    state.limits.check(&who_key, &addr)?;
    let checked = request.validate().map_err(Error::Unprocessable)?;
    let who = Person {
        access: &access,
        owner,
    };
    let conflict = |code: &str, message: &str| {
        Error::Conflict(ApiError {
            code: code.into(),
            message: message.into(),
            field: Some("code".into()),
        })
    };
    match surveys::answer(
        &state.db,
        record.id,
        who,
        request.code.trim(),
        &checked,
        Clock::now().millis,
    )
    .await?
    {
        Answered::Yes { points } => {
            tracing::info!(
                dealer = record.id,
                kind = checked.kind.as_str(),
                score = checked.score,
                "survey answered"
            );
            Ok((StatusCode::CREATED, axum::Json(SurveyThanks { points })))
        }
        Answered::NotFound => Err(Error::NotFound("未找到您的到店记录".into())),
        Answered::NotCompleted => Err(conflict("not_completed", "到店服务完成后才能评价")),
        Answered::Twice => Err(conflict(
            "already_answered",
            "您已评价过这次到店，感谢您的反馈",
        )),
    }
}

#[utoipa::path(
    put,
    path = "/api/v1/console/surveys/{id}/follow-up",
    tag = "console",
    params(("id" = i64, Path, description = "评价编号")),
    responses(
        (status = 204, description = "已标记为跟进完成，今日不再列出"),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅店长和管理员", body = ErrorBody),
        (status = 404, description = "不是本店待跟进的低分评价", body = ErrorBody),
        (status = 409, description = "已有人标记跟进完成", body = ErrorBody),
    )
)]
pub async fn follow_up(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
) -> Result<StatusCode, Error> {
    match surveys::mark_followed_up(
        &state.db,
        staff.dealer_id,
        id,
        staff.id,
        Clock::now().millis,
    )
    .await?
    {
        FollowedUp::Done => {
            tracing::info!(staff = staff.id, survey = id, "survey followed up");
            Ok(StatusCode::NO_CONTENT)
        }
        FollowedUp::NotFound => Err(Error::NotFound("未找到该评价".into())),
        FollowedUp::Already => Err(Error::Conflict(ApiError {
            code: "already_done".into(),
            message: "这条评价已标记跟进完成".into(),
            field: None,
        })),
    }
}
