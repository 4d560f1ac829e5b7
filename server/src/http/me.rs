//! The visitor's own data at a dealer: `GET .../me` (what this browser made and typed, and,
//! once it proved the phone, everything tied to it), `PUT`/`DELETE .../me/bookings/{code}`
//! (move or cancel a booking this browser may change, capacity checked again) and `DELETE
//! .../me` (erase everything tied to a proven phone, at once; unproven, 403).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::PrivateCookieJar;
use shared::booking::{Booking, Me, Reschedule, SlotFull};
use shared::proof::Proof;
use shared::{ApiError, ErrorBody};

use super::extract::Dealer;
use super::test_drive::{moved, slot_to_move_to};
use super::visitor::Visitor;
use super::Path;
use super::{AppState, Error, Json};
use crate::clock::Clock;
use crate::proofs::Access;
use crate::slots::SlotKind;
use crate::{bookings, enquiries, erasure};

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/me",
    tag = "me",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "本机留下的信息与预约（凭本人的 Cookie）；验证手机号后为该手机号的全部信息", body = Me),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn me(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    visitor: Option<Visitor>,
    access: Access,
) -> Result<axum::Json<Me>, Error> {
    Ok(axum::Json(
        of(&state, record.id, visitor.as_ref(), &access).await?,
    ))
}

/// What a browser sees of itself at the dealer. Unproven: the name and phone it typed and what
/// it made; with a proven phone: the lead's name, consent and everything tied to the phone.
pub async fn of(
    state: &AppState,
    dealer_id: i64,
    visitor: Option<&Visitor>,
    access: &Access,
) -> Result<Me, Error> {
    let proof = Proof {
        phone: access.phones.first().cloned(),
        by: access.by.map(|b| b.as_str().to_string()),
        sms: state.sms.is_on(),
    };
    let bookings = bookings::visible(&state.db, dealer_id, access).await?;
    let enquiries = enquiries::enquiries_seen(&state.db, dealer_id, access).await?;
    let (name, phone, consent_version) = match &proof.phone {
        Some(phone) => {
            let lead = erasure::lead_of_phone(&state.db, dealer_id, phone).await?;
            let (name, consent, _) = lead.unwrap_or_default();
            (name, Some(phone.clone()), consent)
        }
        None => {
            let typed = visitor.and_then(|v| v.phone.clone());
            let made = !bookings.is_empty() || enquiries > 0;
            let consent = match (&typed, made) {
                (Some(phone), true) => erasure::lead_of_phone(&state.db, dealer_id, phone)
                    .await?
                    .and_then(|(_, consent, _)| consent),
                _ => None,
            };
            (visitor.and_then(|v| v.name.clone()), typed, consent)
        }
    };
    Ok(Me {
        name,
        phone,
        consent_version,
        bookings,
        enquiries: enquiries as u32,
        proof,
    })
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
    Dealer { record, .. }: Dealer,
    access: Access,
    Path((_dealer, code)): Path<(String, String)>,
    Json(request): Json<Reschedule>,
) -> Result<axum::Json<Booking>, Error> {
    let current = mine(&state, record.id, &code, &access)
        .await?
        .filter(|b| b.status.is_open())
        .ok_or_else(|| Error::NotFound("未找到可改期的预约".into()))?;
    let clock = Clock::now();
    let kind = SlotKind::TestDrive;
    let slot = slot_to_move_to(
        &state,
        kind,
        record.id,
        request.slot_id,
        &current.slot,
        clock,
    )
    .await?;
    let done = bookings::reschedule(&state.db, record.id, &access, &code, slot.id, clock).await?;
    let duplicate = Error::Conflict(ApiError {
        code: "duplicate".into(),
        message: "您已预约该时段".into(),
        field: Some("slot".into()),
    });
    let missing = Error::NotFound("未找到可改期的预约".into());
    moved(&state, kind, &slot, clock, done, missing, duplicate).await?;
    found(&state, record.id, &code).await
}

/// The booking `code`, when this browser may see it.
async fn mine(
    state: &AppState,
    dealer_id: i64,
    code: &str,
    access: &Access,
) -> Result<Option<Booking>, Error> {
    if !bookings::sees(&state.db, dealer_id, code, access).await? {
        return Ok(None);
    }
    Ok(bookings::by_code(&state.db, dealer_id, code).await?)
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
    Dealer { record, .. }: Dealer,
    access: Access,
    Path((_dealer, code)): Path<(String, String)>,
) -> Result<axum::Json<Booking>, Error> {
    let clock = Clock::now();
    let current = mine(&state, record.id, &code, &access)
        .await?
        .filter(|b| b.status.is_open())
        .ok_or_else(|| Error::NotFound("未找到可取消的预约".into()))?;
    if !clock.is_bookable(&current.slot) {
        return Err(Error::Unprocessable(ApiError::invalid(
            "slot",
            "预约时段已过，无法取消",
        )));
    }
    if !bookings::cancel(&state.db, record.id, &access, &code, clock).await? {
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
        (status = 204, description = "已删除：该手机号未来的预约已取消，姓名和手机号已从所有记录中抹去，只留匿名统计；本机的 Cookie 已清除"),
        (status = 403, description = "本机尚未验证手机号（phone_unproven）：删除该手机号的全部信息前须先验证", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn erase(
    State(state): State<AppState>,
    Dealer { slug, record }: Dealer,
    visitor: Option<Visitor>,
    access: Access,
    jar: PrivateCookieJar,
) -> Result<impl IntoResponse, Error> {
    let typed = visitor.and_then(|v| v.phone);
    if !access.proved() && typed.is_some() {
        let message = if state.sms.is_on() {
            "删除前请先验证手机号：您的信息可能还包括其他设备或顾问代约的预约"
        } else {
            "删除前须验证手机号，本站未开通短信验证，请联系门店删除；本机的预约可在“我的预约”中取消"
        };
        return Err(Error::Denied(ApiError {
            code: "phone_unproven".into(),
            message: message.into(),
            field: Some("phone".into()),
        }));
    }
    let clock = Clock::now();
    for phone in &access.phones {
        erasure::erase(&state.db, record.id, phone, clock).await?;
    }
    Ok((StatusCode::NO_CONTENT, Visitor::forget(jar, &slug)))
}
