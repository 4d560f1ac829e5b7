//! The visitor's own data at a dealer, found by the phone their cookie remembers:
//! `GET .../me` (what is kept), `PUT`/`DELETE .../me/bookings/{code}` (move or cancel a
//! booking, capacity checked again) and `DELETE .../me` (erase it all, at once).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::PrivateCookieJar;
use shared::booking::{Booking, Me, Reschedule, SlotFull};
use shared::{ApiError, ErrorBody};

use super::test_drive::bookable_slot;
use super::visitor::Visitor;
use super::Path;
use super::{dealer_or_404, AppState, Error, Json};
use crate::bookings::{self, Clock, Moved, SlotKind};

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/me",
    tag = "me",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "本人在该经销商处留下的信息与预约（凭本人的 Cookie）", body = Me),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn me(
    State(state): State<AppState>,
    Path(dealer): Path<String>,
    jar: PrivateCookieJar,
) -> Result<axum::Json<Me>, Error> {
    let record = dealer_or_404(&state, &dealer).await?;
    let Some(phone) = Visitor::of(&jar, &dealer).and_then(|v| v.phone) else {
        return Ok(axum::Json(Me::default()));
    };
    let Some((name, consent_version, enquiries)) =
        bookings::lead_of_phone(&state.db, record.id, &phone).await?
    else {
        return Ok(axum::Json(Me::default()));
    };
    Ok(axum::Json(Me {
        name,
        phone: Some(phone.clone()),
        consent_version,
        bookings: bookings::of_phone(&state.db, record.id, &phone).await?,
        enquiries: enquiries as u32,
    }))
}

/// The phone the visitor's cookie remembers, or 404: without it there is nothing of theirs.
fn my_phone(jar: &PrivateCookieJar, dealer: &str) -> Result<String, Error> {
    Visitor::of(jar, dealer)
        .and_then(|v| v.phone)
        .ok_or_else(|| Error::NotFound("未找到您的预约".into()))
}

#[utoipa::path(
    put,
    path = "/api/v1/dealers/{dealer}/me/bookings/{code}",
    tag = "me",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("code" = String, Path, description = "预约码"),
    ),
    request_body = Reschedule,
    responses(
        (status = 200, description = "已改到新时段", body = Booking),
        (status = 404, description = "没有这份可改期的预约", body = ErrorBody),
        (status = 409, description = "新时段已约满（附最近的空闲时段）或已预约", body = SlotFull),
        (status = 422, description = "新时段不存在、已过或不在同一门店", body = ErrorBody),
    )
)]
pub async fn reschedule(
    State(state): State<AppState>,
    Path((dealer, code)): Path<(String, String)>,
    jar: PrivateCookieJar,
    Json(request): Json<Reschedule>,
) -> Result<axum::Json<Booking>, Error> {
    let record = dealer_or_404(&state, &dealer).await?;
    let phone = my_phone(&jar, &dealer)?;
    let current = bookings::by_code(&state.db, record.id, &code)
        .await?
        .filter(|b| b.status.is_open())
        .ok_or_else(|| Error::NotFound("未找到可改期的预约".into()))?;
    let clock = Clock::now();
    let slot = bookable_slot(
        &state,
        SlotKind::TestDrive,
        record.id,
        request.slot_id,
        clock,
    )
    .await?;
    if slot.store_id != current.store.id {
        return Err(Error::Unprocessable(ApiError::invalid(
            "slot",
            "只能改到同一门店的时段",
        )));
    }
    if slot.id == current.slot.id {
        return Err(Error::Unprocessable(ApiError::invalid(
            "slot",
            "新时段与原时段相同",
        )));
    }
    match bookings::reschedule(&state.db, record.id, &phone, &code, slot.id, clock).await? {
        Moved::Done => {}
        Moved::NoBooking => return Err(Error::NotFound("未找到可改期的预约".into())),
        Moved::Full => {
            let free =
                bookings::nearest_free(&state.db, SlotKind::TestDrive, &slot, clock, 3).await?;
            return Err(Error::SlotFull(free));
        }
        Moved::Duplicate => {
            return Err(Error::Conflict(ApiError {
                code: "duplicate".into(),
                message: "您已预约该时段".into(),
                field: Some("slot".into()),
            }))
        }
    }
    found(&state, record.id, &code).await
}

async fn found(state: &AppState, dealer_id: i64, code: &str) -> Result<axum::Json<Booking>, Error> {
    bookings::by_code(&state.db, dealer_id, code)
        .await?
        .map(axum::Json)
        .ok_or_else(|| Error::NotFound("未找到该预约".into()))
}

#[utoipa::path(
    delete,
    path = "/api/v1/dealers/{dealer}/me/bookings/{code}",
    tag = "me",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("code" = String, Path, description = "预约码"),
    ),
    responses(
        (status = 200, description = "已取消", body = Booking),
        (status = 404, description = "没有这份可取消的预约", body = ErrorBody),
        (status = 422, description = "预约时段已过", body = ErrorBody),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    Path((dealer, code)): Path<(String, String)>,
    jar: PrivateCookieJar,
) -> Result<axum::Json<Booking>, Error> {
    let record = dealer_or_404(&state, &dealer).await?;
    let phone = my_phone(&jar, &dealer)?;
    let clock = Clock::now();
    let current = bookings::by_code(&state.db, record.id, &code)
        .await?
        .filter(|b| b.status.is_open())
        .ok_or_else(|| Error::NotFound("未找到可取消的预约".into()))?;
    if !clock.is_bookable(&current.slot) {
        return Err(Error::Unprocessable(ApiError::invalid(
            "slot",
            "预约时段已过，无法取消",
        )));
    }
    if !bookings::cancel(&state.db, record.id, &phone, &code, clock).await? {
        return Err(Error::NotFound("未找到可取消的预约".into()));
    }
    found(&state, record.id, &code).await
}

#[utoipa::path(
    delete,
    path = "/api/v1/dealers/{dealer}/me",
    tag = "me",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 204, description = "已删除：未来的预约已取消，姓名和手机号已从所有记录中抹去，只留匿名统计"),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn erase(
    State(state): State<AppState>,
    Path(dealer): Path<String>,
    jar: PrivateCookieJar,
) -> Result<impl IntoResponse, Error> {
    let record = dealer_or_404(&state, &dealer).await?;
    if let Some(phone) = Visitor::of(&jar, &dealer).and_then(|v| v.phone) {
        bookings::erase(&state.db, record.id, &phone, Clock::now()).await?;
    }
    Ok((StatusCode::NO_CONTENT, Visitor::forget(jar, &dealer)))
}
