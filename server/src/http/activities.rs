//! Activities: `GET /api/v1/dealers/{dealer}/activities` (those to come, by the clock, no
//! job), `GET …/activities/{id}` (with its seats left), `POST …/activities/{id}/signups` (a
//! lead credited as a test drive's is; a full activity 409 `full`; an `Idempotency-Key`
//! replays the first answer) and the console's `/api/v1/console/activities` (everyone reads,
//! with phones masked as the lead list masks them; managers add, change and cancel).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum_extra::extract::cookie::PrivateCookieJar;
use shared::activity::{
    Activity, ActivityDesk, ActivityDraft, ActivityList, ActivityPage, SignupDone, SignupList,
    SignupRequest,
};
use shared::{ApiError, ErrorBody};

use super::extract::{Dealer, Manager};
use super::links::ClicksWritten;
use super::test_drive::{hash, idempotency_key, key_reused};
use super::visitor::{ClientAddr, Visitor};
use super::{AppState, Error, Json, Path};
use crate::activities::{self, NewSignup, Refused, Signed};
use crate::clock::Clock;
use crate::idempotency::{self, Key};
use crate::leads::Touch;
use crate::staff::Staff;

fn missing() -> Error {
    Error::NotFound("未找到该活动".into())
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/activities",
    tag = "activities",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "未结束、未取消的活动，按时间先后（结束的自动不再显示）", body = ActivityList),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
) -> Result<axum::Json<ActivityList>, Error> {
    let activities = activities::upcoming(&state.db, record.id, Clock::now().millis).await?;
    Ok(axum::Json(ActivityList { activities }))
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/activities/{id}",
    tag = "activities",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("id" = i64, Path, description = "活动编号"),
    ),
    responses(
        (status = 200, description = "活动详情、剩余名额（已结束、已满的也可查看），及报名所需的隐私说明版本", body = ActivityPage),
        (status = 404, description = "经销商或活动不存在，或活动已取消", body = ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Path((_dealer, id)): Path<(String, i64)>,
) -> Result<axum::Json<ActivityPage>, Error> {
    let activity = activities::one(&state.db, record.id, id, Clock::now().millis)
        .await?
        .filter(|a| a.state != shared::activity::ActivityState::Cancelled)
        .ok_or_else(missing)?;
    Ok(axum::Json(ActivityPage {
        activity,
        privacy_version: record.dealer.privacy_version,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/activities/{id}/signups",
    tag = "activities",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("id" = i64, Path, description = "活动编号"),
        ("Idempotency-Key" = Option<String>, Header, description = "重试同一报名时带上同一编号：返回第一次的结果，不会重复报名"),
    ),
    request_body = SignupRequest,
    responses(
        (status = 201, description = "报名成功（生成线索，来源“活动：活动名称”）", body = SignupDone),
        (status = 400, description = "请求不是有效的JSON", body = ErrorBody),
        (status = 404, description = "经销商或活动不存在", body = ErrorBody),
        (status = 409, description = "名额已满（full），或该手机号已报名（duplicate）", body = ErrorBody),
        (status = 413, description = "请求内容超过64KB", body = ErrorBody),
        (status = 422, description = "输入不符合规则（field 指明字段），活动已结束或已取消（closed），或同一 Idempotency-Key 用于不同的报名", body = ErrorBody),
        (status = 429, description = "操作太频繁（Retry-After 秒后再试）", body = ErrorBody),
    )
)]
#[expect(
    clippy::too_many_arguments,
    reason = "each argument is an extractor: who is asking, what they send, and the limits"
)]
pub async fn sign_up(
    State(state): State<AppState>,
    _: ClicksWritten,
    Dealer { slug, record }: Dealer,
    visitor: Visitor,
    jar: PrivateCookieJar,
    addr: ClientAddr,
    headers: HeaderMap,
    Path((_dealer, id)): Path<(String, i64)>,
    Json(request): Json<SignupRequest>,
) -> Result<impl IntoResponse, Error> {
    state.limits.check(&visitor.id, &addr)?;
    let key = idempotency_key(&headers)?;
    let request_hash = hash(&(id, &request));
    if let Some(key) = &key {
        match idempotency::first_use(&state.db.pool, record.id, key).await? {
            None => {}
            Some((hash, code)) if hash == request_hash => {
                return done(&state, record.id, &code, jar, &slug, visitor, &request).await;
            }
            Some(_) => return Err(key_reused()),
        }
    }
    let contact = request
        .check(&record.dealer.privacy_version)
        .map_err(Error::Unprocessable)?;
    let clock = Clock::now();
    let activity = activities::one(&state.db, record.id, id, clock.millis)
        .await?
        .ok_or_else(missing)?;
    let origin = activities::origin(&activity.title, request.channel.clone());
    let consent = request
        .contact
        .consent_version
        .as_deref()
        .unwrap_or_default();
    let signup = NewSignup {
        touch: Touch {
            dealer_id: record.id,
            contact: &contact,
            consent_version: consent,
            store_id: activity.store_id,
            series_id: activity.series_id.as_deref(),
            trim_id: None,
            origin: &origin,
            visitor: Some(&visitor.id),
            now: clock.millis,
        },
        activity_id: activity.id,
        title: &activity.title,
        party_size: request.party_size,
        idempotency: key.as_deref().map(|key| Key {
            key,
            request_hash: request_hash.clone(),
        }),
    };
    let code = match activities::sign_up(&state.db, &signup).await? {
        Signed::Done(code) | Signed::Replayed(code) => code,
        Signed::Full => {
            return Err(Error::Conflict(ApiError {
                code: "full".into(),
                message: if activity.seats_left > 0 && request.party_size > 1 {
                    format!("名额不足：仅剩 {} 席，请减少人数", activity.seats_left)
                } else {
                    "名额已满，请关注本店其他活动".into()
                },
                field: Some("party_size".into()),
            }))
        }
        Signed::Duplicate => {
            return Err(Error::Conflict(ApiError {
                code: "duplicate".into(),
                message: "该手机号已报名本活动，请勿重复报名".into(),
                field: Some("phone".into()),
            }))
        }
        Signed::Closed => {
            return Err(Error::Unprocessable(ApiError {
                code: "closed".into(),
                message: "活动已结束或已取消，无法报名".into(),
                field: None,
            }))
        }
        Signed::KeyReused => return Err(key_reused()),
    };
    tracing::info!(activity = activity.id, "activity sign-up");
    done(&state, record.id, &code, jar, &slug, visitor, &request).await
}

/// 201 with the sign-up, the visitor's cookie remembering who signed up.
async fn done(
    state: &AppState,
    dealer_id: i64,
    code: &str,
    jar: PrivateCookieJar,
    dealer: &str,
    visitor: Visitor,
    request: &SignupRequest,
) -> Result<impl IntoResponse, Error> {
    let now = Clock::now().millis;
    let (activity_id, party_size, consultant_id) = activities::signup(&state.db, dealer_id, code)
        .await?
        .ok_or_else(missing)?;
    let activity = activities::one(&state.db, dealer_id, activity_id, now)
        .await?
        .ok_or_else(missing)?;
    let consultant = {
        let mut conn = state.db.pool.acquire().await?;
        crate::leads::consultant(&mut conn, consultant_id).await?
    };
    let visitor = match (
        shared::contact::validate_name(&request.contact.name),
        shared::contact::validate_phone(&request.contact.phone),
    ) {
        (Ok(name), Ok(phone)) => visitor.remembering(&shared::booking::Contact { name, phone }),
        _ => visitor,
    };
    let jar = visitor.save(jar, dealer);
    Ok((
        StatusCode::CREATED,
        jar,
        axum::Json(SignupDone {
            code: code.to_string(),
            party_size,
            activity,
            consultant,
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/activities",
    tag = "console",
    responses(
        (status = 200, description = "本店全部活动（含已结束、已取消），及可选的车系和门店；顾问只读", body = ActivityDesk),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn desk(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<axum::Json<ActivityDesk>, Error> {
    let clock = Clock::now();
    let book = crate::prices::book(&state.db, staff.dealer_id, clock.today()).await?;
    let mut series: Vec<(String, String)> = Vec::new();
    for t in &book.trims {
        if !series.iter().any(|(id, _)| *id == t.series_id) {
            series.push((t.series_id.clone(), t.series_name.clone()));
        }
    }
    let stores = crate::catalog::stores(&state.db, staff.dealer_id).await?;
    Ok(axum::Json(ActivityDesk {
        today: clock.today(),
        activities: activities::all(&state.db, staff.dealer_id, clock.millis).await?,
        series,
        stores: stores.into_iter().map(|s| (s.id, s.name)).collect(),
        can_edit: staff.manages(),
    }))
}

/// A draft naming what the dealer does not sell or have, as the field to correct.
fn refused(refused: Refused) -> Error {
    let (field, message) = match refused {
        Refused::Series => ("series_id", "本店不售该车系".to_string()),
        Refused::Store => ("store_id", "请选择本店的门店".to_string()),
        Refused::Seats(taken) => (
            "seats",
            format!("已有 {taken} 人报名，名额不能少于已报名人数"),
        ),
        Refused::Past => ("date", "活动开始时间已过，请选择以后的时间".to_string()),
    };
    Error::Unprocessable(ApiError::invalid(field, message))
}

async fn saved(state: &AppState, dealer_id: i64, id: i64) -> Result<Activity, Error> {
    // The page shells (an activity's share card) are cached by catalogue version: this
    // instance shows the change from the next request, others within a poll.
    state.catalogue.refresh().await?;
    activities::one(&state.db, dealer_id, id, Clock::now().millis)
        .await?
        .ok_or_else(missing)
}

#[utoipa::path(
    post,
    path = "/api/v1/console/activities",
    tag = "console",
    request_body = ActivityDraft,
    responses(
        (status = 201, description = "已添加；活动页和首页入口随即显示", body = Activity),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 422, description = "字段不符合规则（field 指明哪一项），时间已过，或车系、门店不属于本店", body = ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Json(draft): Json<ActivityDraft>,
) -> Result<(StatusCode, axum::Json<Activity>), Error> {
    let draft = draft.validate().map_err(Error::Unprocessable)?;
    let id = activities::add(&state.db, &staff, &draft, Clock::now().millis)
        .await?
        .map_err(refused)?;
    tracing::info!(activity = id, staff = staff.id, "activity added");
    Ok((
        StatusCode::CREATED,
        axum::Json(saved(&state, staff.dealer_id, id).await?),
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/activities/{id}",
    tag = "console",
    params(("id" = i64, Path, description = "活动编号")),
    request_body = ActivityDraft,
    responses(
        (status = 200, description = "已保存", body = Activity),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店没有该活动", body = ErrorBody),
        (status = 422, description = "字段不符合规则，名额少于已报名人数，或车系、门店不属于本店", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
    Json(draft): Json<ActivityDraft>,
) -> Result<axum::Json<Activity>, Error> {
    let draft = draft.validate().map_err(Error::Unprocessable)?;
    activities::update(&state.db, &staff, id, &draft, Clock::now().millis)
        .await?
        .ok_or_else(missing)?
        .map_err(refused)?;
    Ok(axum::Json(saved(&state, staff.dealer_id, id).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/activities/{id}/cancel",
    tag = "console",
    params(("id" = i64, Path, description = "活动编号")),
    responses(
        (status = 200, description = "已取消；顾客页面随即不再显示，也不能再报名", body = Activity),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店没有该活动", body = ErrorBody),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
) -> Result<axum::Json<Activity>, Error> {
    if !activities::cancel(&state.db, &staff, id, Clock::now().millis).await? {
        return Err(missing());
    }
    tracing::info!(activity = id, staff = staff.id, "activity cancelled");
    Ok(axum::Json(saved(&state, staff.dealer_id, id).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/activities/{id}/signups",
    tag = "console",
    params(("id" = i64, Path, description = "活动编号")),
    responses(
        (status = 200, description = "报名名单（手机号对非本线索顾问打码，同线索列表）", body = SignupList),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 404, description = "本店没有该活动", body = ErrorBody),
    )
)]
pub async fn signups(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<axum::Json<SignupList>, Error> {
    let activity = activities::one(&state.db, staff.dealer_id, id, Clock::now().millis)
        .await?
        .ok_or_else(missing)?;
    Ok(axum::Json(SignupList {
        signups: activities::signups(&state.db, &staff, id).await?,
        activity,
    }))
}
