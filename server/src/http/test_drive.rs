//! Booking a test drive: `GET .../test-drive` (stores and their test-drive cars),
//! `GET .../stores/{store}/slots`, `POST .../bookings` (every rule checked before one
//! transaction takes the seat; a full slot answers 409 with the nearest free ones; an
//! `Idempotency-Key` replays the first answer), `GET .../bookings/{code}` and its `.ics`
//! (limited per address; the name in full only for the browser that made the booking or
//! proved its phone).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum_extra::extract::cookie::PrivateCookieJar;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use shared::booking::{Booking, BookingRequest, Slot, SlotFull, SlotList, TestDriveOffer};
use shared::contact;
use shared::{ApiError, ErrorBody};

use super::extract::Dealer;
use super::links::ClicksWritten;
use super::visitor::{ClientAddr, Visitor};
use super::{AppState, Error, Json};
use super::{Path, Query};
use crate::bookings::{self, Booked, NewBooking};
use crate::catalog::DealerRecord;
use crate::clock::Clock;
use crate::idempotency::{self, Key};
use crate::leads::Touch;
use crate::proofs::Access;
use crate::slots::{self, Moved, SlotKind};

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/test-drive",
    tag = "test-drive",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "可试驾的门店及其试驾车型、隐私说明版本、今天", body = TestDriveOffer),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn offer(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
) -> Result<axum::Json<TestDriveOffer>, Error> {
    Ok(axum::Json(TestDriveOffer {
        stores: bookings::test_drive_stores(&state.db, record.id).await?,
        privacy_version: record.dealer.privacy_version,
        today: Clock::now().today(),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SlotQuery {
    /// 车系：只列有该车系试驾车的门店的时段
    pub series: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/stores/{store}/slots",
    tag = "test-drive",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("store" = i64, Path, description = "门店编号"),
        SlotQuery,
    ),
    responses(
        (status = 200, description = "未来14天尚可预约的时段（含已约满的）", body = SlotList),
        (status = 404, description = "经销商或门店不存在", body = ErrorBody),
        (status = 422, description = "该门店没有此车系的试驾车", body = ErrorBody),
    )
)]
pub async fn slots(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Path((_dealer, store)): Path<(String, i64)>,
    Query(query): Query<SlotQuery>,
) -> Result<axum::Json<SlotList>, Error> {
    if !slots::store_of(&state.db, record.id, store).await? {
        return Err(Error::NotFound("未找到该门店".into()));
    }
    if let Some(series) = &query.series {
        if !bookings::can_test_drive(&state.db, record.id, store, series).await? {
            return Err(no_test_drive_car());
        }
    }
    let slots = slots::window(&state.db, SlotKind::TestDrive, store, Clock::now()).await?;
    Ok(axum::Json(SlotList { slots }))
}

fn no_test_drive_car() -> Error {
    Error::Unprocessable(ApiError::invalid("series", "该门店暂无此车型的试驾车"))
}

/// The header that makes a booking safe to retry.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The key, when sent: 1–64 visible ASCII characters.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Error> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 64 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::BadRequest(ApiError::invalid(
            "idempotency_key",
            "Idempotency-Key 应为1到64个可见字符",
        )));
    }
    Ok(Some(key.to_string()))
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/bookings",
    tag = "test-drive",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("Idempotency-Key" = Option<String>, Header, description = "重试同一预约时带上同一编号：返回第一次的结果，不会重复预约"),
    ),
    request_body = BookingRequest,
    responses(
        (status = 201, description = "预约成功", body = Booking),
        (status = 400, description = "请求不是有效的JSON", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
        (status = 409, description = "该时段已约满（slot_full，附最近的空闲时段），或该手机号已预约该时段（duplicate）", body = SlotFull),
        (status = 413, description = "请求内容超过64KB", body = ErrorBody),
        (status = 422, description = "输入不符合规则（field 指明字段），或同一 Idempotency-Key 用于不同的预约", body = ErrorBody),
        (status = 429, description = "操作太频繁（Retry-After 秒后再试）", body = ErrorBody),
    )
)]
#[expect(
    clippy::too_many_arguments,
    reason = "each argument is an extractor: who is asking, what they send, and the limits"
)]
pub async fn book(
    State(state): State<AppState>,
    _: ClicksWritten,
    Dealer { slug, record }: Dealer,
    visitor: Visitor,
    jar: PrivateCookieJar,
    addr: ClientAddr,
    headers: HeaderMap,
    Json(request): Json<BookingRequest>,
) -> Result<impl IntoResponse, Error> {
    state.limits.check(&visitor.id, &addr)?;
    let key = idempotency_key(&headers)?;
    let request_hash = hash(&request);
    if let Some(key) = &key {
        if let Some(code) = replay(&state, record.id, key, &request_hash).await? {
            return created(&state, &record, &code, jar, &slug, visitor, &request).await;
        }
    }
    let notice = &record.dealer.privacy_version;
    let contact = request
        .contact
        .validate(notice)
        .map_err(Error::Unprocessable)?;
    request.origin.validate().map_err(Error::Unprocessable)?;
    let clock = Clock::now();
    let slot = bookable_slot(
        &state,
        SlotKind::TestDrive,
        record.id,
        request.slot_id,
        clock,
    )
    .await?;
    if !bookings::can_test_drive(&state.db, record.id, slot.store_id, &request.series_id).await? {
        return Err(no_test_drive_car());
    }
    let gearbox = match &request.trim_id {
        None => None,
        Some(trim) => match bookings::trim_gearbox(&state.db, trim).await? {
            Some((series, gearbox)) if series == request.series_id => gearbox,
            _ => {
                return Err(Error::Unprocessable(ApiError::invalid(
                    "trim",
                    "所选配置不属于该车型",
                )))
            }
        },
    };
    contact::check_licence(request.licence, gearbox).map_err(Error::Unprocessable)?;
    let consent = request
        .contact
        .consent_version
        .as_deref()
        .unwrap_or_default();
    let booking = NewBooking {
        touch: Touch {
            dealer_id: record.id,
            contact: &contact,
            consent_version: consent,
            store_id: Some(slot.store_id),
            series_id: Some(&request.series_id),
            trim_id: request.trim_id.as_deref(),
            origin: &request.origin,
            visitor: Some(&visitor.id),
            now: clock.millis,
        },
        slot_id: slot.id,
        series_id: &request.series_id,
        licence: request.licence,
        idempotency: key.as_deref().map(|key| Key {
            key,
            request_hash: request_hash.clone(),
        }),
    };
    let code = match bookings::book(&state.db, &booking).await? {
        Booked::Done(code) | Booked::Replayed(code) => code,
        Booked::Full => {
            let free = slots::nearest_free(&state.db, SlotKind::TestDrive, &slot, clock, 3).await?;
            return Err(Error::SlotFull(free));
        }
        Booked::Duplicate => return Err(duplicate()),
        Booked::KeyReused => return Err(key_reused()),
    };
    created(&state, &record, &code, jar, &slug, visitor, &request).await
}

fn duplicate() -> Error {
    Error::Conflict(ApiError {
        code: "duplicate".into(),
        message: "您已预约该时段，请勿重复预约".into(),
        field: Some("slot".into()),
    })
}

/// A slot of the dealer that can still be booked now, or 422 naming the slot.
pub async fn bookable_slot(
    state: &AppState,
    kind: SlotKind,
    dealer_id: i64,
    slot_id: i64,
    clock: Clock,
) -> Result<Slot, Error> {
    let slot = slots::slot(&state.db, kind, dealer_id, slot_id)
        .await?
        .ok_or_else(|| Error::Unprocessable(ApiError::invalid("slot", "该时段不存在")))?;
    if !clock.is_bookable(&slot) {
        return Err(Error::Unprocessable(ApiError::invalid(
            "slot",
            "该时段已过或不在可预约的14天内，请选择其他时段",
        )));
    }
    Ok(slot)
}

/// The slot a booking (test drive or service visit) of `from` asks to move to: bookable, at
/// the same store and not the slot it has, or 422 naming the slot.
pub async fn slot_to_move_to(
    state: &AppState,
    kind: SlotKind,
    dealer_id: i64,
    slot_id: i64,
    from: &Slot,
    clock: Clock,
) -> Result<Slot, Error> {
    let slot = bookable_slot(state, kind, dealer_id, slot_id, clock).await?;
    let refused = |message: &str| Err(Error::Unprocessable(ApiError::invalid("slot", message)));
    if slot.store_id != from.store_id {
        return refused("只能改到同一门店的时段");
    }
    if slot.id == from.id {
        return refused("新时段与原时段相同");
    }
    Ok(slot)
}

/// What moving a booking to `to` found, as the answer: done, `missing` (404), 409 `slot_full`
/// with the nearest free slots of the kind, or `duplicate` (409).
pub async fn moved(
    state: &AppState,
    kind: SlotKind,
    to: &Slot,
    clock: Clock,
    moved: Moved,
    missing: Error,
    duplicate: Error,
) -> Result<(), Error> {
    match moved {
        Moved::Done => Ok(()),
        Moved::NoBooking => Err(missing),
        Moved::Full => Err(Error::SlotFull(
            slots::nearest_free(&state.db, kind, to, clock, 3).await?,
        )),
        Moved::Duplicate => Err(duplicate),
    }
}

/// The booking code a key first made, when it was made by this very request; the same key
/// with another request is refused.
async fn replay(
    state: &AppState,
    dealer_id: i64,
    key: &str,
    request_hash: &str,
) -> Result<Option<String>, Error> {
    match idempotency::first_use(&state.db.pool, dealer_id, key).await? {
        None => Ok(None),
        Some((hash, code)) if hash == request_hash => Ok(Some(code)),
        Some(_) => Err(key_reused()),
    }
}

/// 422: the key was first sent with another request.
pub fn key_reused() -> Error {
    Error::Unprocessable(ApiError::invalid(
        "idempotency_key",
        "该 Idempotency-Key 已用于另一份预约，请换一个",
    ))
}

/// The SHA-256 of a request's JSON, kept with its `Idempotency-Key`.
pub fn hash(request: &impl serde::Serialize) -> String {
    let bytes = serde_json::to_vec(request).unwrap_or_default();
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 201 with the booking, the visitor's cookie remembering who booked.
async fn created(
    state: &AppState,
    record: &DealerRecord,
    code: &str,
    jar: PrivateCookieJar,
    dealer: &str,
    visitor: Visitor,
    request: &BookingRequest,
) -> Result<impl IntoResponse, Error> {
    let booking = bookings::by_code(&state.db, record.id, code)
        .await?
        .ok_or_else(|| Error::NotFound("未找到该预约".into()))?;
    let visitor = match request.contact.validate(&record.dealer.privacy_version) {
        Ok(contact) => visitor.remembering(&contact),
        Err(_) => visitor,
    };
    let jar = visitor.save(jar, dealer);
    Ok((StatusCode::CREATED, jar, axum::Json(booking)))
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/bookings/{code}",
    tag = "test-drive",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("code" = String, Path, description = "预约码"),
    ),
    responses(
        (status = 200, description = "预约详情（手机号已打码；姓名仅对预约的本机或已验证手机号的本机完整显示，否则打码如 王**）", body = Booking),
        (status = 404, description = "预约不存在", body = ErrorBody),
        (status = 429, description = "同一网络查询太频繁（Retry-After 秒后再试）", body = ErrorBody),
    )
)]
pub async fn booking(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    access: Access,
    Path((_dealer, code)): Path<(String, String)>,
    addr: ClientAddr,
) -> Result<axum::Json<Booking>, Error> {
    state.lookups.check(&addr)?;
    let mut booking = bookings::by_code(&state.db, record.id, &code)
        .await?
        .ok_or_else(|| Error::NotFound("未找到该预约".into()))?;
    if !bookings::sees(&state.db, record.id, &code, &access).await? {
        booking.name = contact::mask_name(&booking.name);
    }
    Ok(axum::Json(booking))
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/bookings/{code}/calendar.ics",
    tag = "test-drive",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("code" = String, Path, description = "预约码"),
    ),
    responses(
        (status = 200, description = "iCalendar 日程（text/calendar）", content_type = "text/calendar"),
        (status = 404, description = "预约不存在", body = ErrorBody),
        (status = 429, description = "同一网络查询太频繁（Retry-After 秒后再试）", body = ErrorBody),
    )
)]
pub async fn calendar(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Path((_dealer, code)): Path<(String, String)>,
    addr: ClientAddr,
) -> Result<impl IntoResponse, Error> {
    state.lookups.check(&addr)?;
    let booking = bookings::by_code(&state.db, record.id, &code)
        .await?
        .ok_or_else(|| Error::NotFound("未找到该预约".into()))?;
    let body = ics(&booking, &record.dealer.name, Clock::now());
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"test-drive-{}.ics\"", booking.code),
            ),
        ],
        body,
    ))
}

/// The booking as an iCalendar event (RFC 5545), in UTC.
pub fn ics(booking: &Booking, dealer: &str, clock: Clock) -> String {
    let utc = |minutes: u16| {
        let millis = (booking.slot.date.unix_days() * 1440 + i64::from(minutes) - 8 * 60) * 60_000;
        let date = shared::date::Date::from_unix_days(millis.div_euclid(86_400_000));
        let minute = millis.rem_euclid(86_400_000) / 60_000;
        format!(
            "{:04}{:02}{:02}T{:02}{:02}00Z",
            date.year,
            date.month,
            date.day,
            minute / 60,
            minute % 60
        )
    };
    let stamp = {
        let date = shared::date::Date::from_unix_days(clock.millis.div_euclid(86_400_000));
        let second = clock.millis.rem_euclid(86_400_000) / 1000;
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            date.year,
            date.month,
            date.day,
            second / 3600,
            second / 60 % 60,
            second % 60
        )
    };
    let text = |s: &str| {
        s.replace('\\', "\\\\")
            .replace(';', "\\;")
            .replace(',', "\\,")
            .replace('\n', "\\n")
    };
    let car = booking
        .trim_name
        .as_ref()
        .map_or(booking.series_name.clone(), |t| {
            format!("{} {t}", booking.series_name)
        });
    [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Chelink//Test drive//ZH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}@chelink", booking.code),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART:{}", utc(booking.slot.start.minutes())),
        format!("DTEND:{}", utc(booking.slot.end.minutes())),
        format!("SUMMARY:{}", text(&format!("试驾 {car}（{dealer}）"))),
        format!(
            "LOCATION:{}",
            text(&format!("{} {}", booking.store.name, booking.store.address))
        ),
        format!(
            "DESCRIPTION:{}",
            text(&format!(
                "预约码 {}，门店电话 {}",
                booking.code, booking.store.phone
            ))
        ),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ]
    .join("\r\n")
        + "\r\n"
}
