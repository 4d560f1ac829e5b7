//! `/api/v1/dealers/{dealer}/service/...` and `.../owner/.../service`: the owner's service
//! bookings. The stores that take them and their service slots are public, as test-drive
//! slots are; booking, cancelling and moving go through the owner cookie only, so another
//! owner's car or booking is a 404.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use shared::booking::{SlotFull, SlotList};
use shared::service::{BookService, ServiceBooking, ServiceReschedule, ServiceStores};
use shared::{ApiError, ErrorBody};

use super::extract::{Dealer, Owner};
use super::test_drive::{bookable_slot, hash, idempotency_key, key_reused, moved, slot_to_move_to};
use super::visitor::ClientAddr;
use super::Path;
use super::{AppState, Error, Json};
use crate::bookings::Booked;
use crate::clock::Clock;
use crate::idempotency::Key;
use crate::service::{self, NewService};
use crate::slots::{self, SlotKind};

fn no_store() -> Error {
    Error::NotFound("未找到该门店".into())
}

fn no_car() -> Error {
    Error::NotFound("未找到该车辆".into())
}

fn no_booking() -> Error {
    Error::NotFound("未找到该服务预约".into())
}

fn duplicate() -> Error {
    Error::Conflict(ApiError {
        code: "duplicate".into(),
        message: "这辆车已预约该时段".into(),
        field: Some("slot".into()),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/service/stores",
    tag = "owner",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "可预约保养/维修的门店", body = ServiceStores),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn stores(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
) -> Result<axum::Json<ServiceStores>, Error> {
    Ok(axum::Json(ServiceStores {
        stores: service::stores(&state.db, record.id).await?,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/service/stores/{id}/slots",
    tag = "owner",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("id" = i64, Path, description = "门店编号"),
    ),
    responses(
        (status = 200, description = "未来14天尚可预约的保养/维修时段（含已约满的）", body = SlotList),
        (status = 404, description = "经销商或门店不存在", body = ErrorBody),
    )
)]
pub async fn slots(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Path((_dealer, store)): Path<(String, i64)>,
) -> Result<axum::Json<SlotList>, Error> {
    if !slots::store_of(&state.db, record.id, store).await? {
        return Err(no_store());
    }
    let slots = slots::window(&state.db, SlotKind::Service, store, Clock::now()).await?;
    Ok(axum::Json(SlotList { slots }))
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/owner/cars/{id}/service",
    tag = "owner",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("id" = i64, Path, description = "车辆编号"),
        ("Idempotency-Key" = Option<String>, Header, description = "重试同一预约时带上同一编号：返回第一次的结果，不会重复预约"),
    ),
    request_body = BookService,
    responses(
        (status = 201, description = "已预约", body = ServiceBooking),
        (status = 400, description = "请求不是有效的JSON", body = ErrorBody),
        (status = 404, description = "不是本人绑定的车辆", body = ErrorBody),
        (status = 409, description = "该时段已约满（slot_full，附最近的空闲时段），或这辆车已预约该时段（duplicate）", body = SlotFull),
        (status = 413, description = "请求内容超过64KB", body = ErrorBody),
        (status = 422, description = "服务类型、备注或时段不符合规则（field 指明字段），或同一 Idempotency-Key 用于不同的预约", body = ErrorBody),
        (status = 429, description = "操作太频繁", body = ErrorBody),
    )
)]
pub async fn book(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Owner(owner): Owner,
    Path((_dealer, car_id)): Path<(String, i64)>,
    addr: ClientAddr,
    headers: HeaderMap,
    Json(request): Json<BookService>,
) -> Result<(StatusCode, axum::Json<ServiceBooking>), Error> {
    state.limits.check(&format!("owner:{owner}"), &addr)?;
    if !service::owns(&state.db, record.id, owner, car_id).await? {
        return Err(no_car());
    }
    let key = idempotency_key(&headers)?;
    // The owner and car are part of what was asked: the same key from another owner is refused.
    let request_hash = hash(&("service", owner, car_id, &request));
    let valid = request.validate().map_err(Error::Unprocessable)?;
    let clock = Clock::now();
    let slot = bookable_slot(&state, SlotKind::Service, record.id, valid.slot_id, clock).await?;
    let visit = NewService {
        dealer_id: record.id,
        slot: &slot,
        car_id,
        owner_id: owner,
        request: &valid,
        idempotency: key.as_deref().map(|key| Key {
            key,
            request_hash: request_hash.clone(),
        }),
    };
    let code = match service::book(&state.db, &visit, clock).await? {
        Booked::Done(code) | Booked::Replayed(code) => code,
        Booked::Full => {
            let free = slots::nearest_free(&state.db, SlotKind::Service, &slot, clock, 3).await?;
            return Err(Error::SlotFull(free));
        }
        Booked::Duplicate => return Err(duplicate()),
        Booked::KeyReused => return Err(key_reused()),
    };
    tracing::info!(owner, car = car_id, "service booked");
    let booking = service::of_owner_by_code(&state.db, record.id, owner, &code)
        .await?
        .ok_or_else(no_booking)?;
    Ok((StatusCode::CREATED, axum::Json(booking)))
}

/// The owner's booking that can still be changed: open and not begun.
async fn changeable(
    state: &AppState,
    dealer_id: i64,
    owner: i64,
    code: &str,
    clock: Clock,
) -> Result<ServiceBooking, Error> {
    let current = service::of_owner_by_code(&state.db, dealer_id, owner, code)
        .await?
        .ok_or_else(no_booking)?;
    if !current.status.is_open() {
        return Err(Error::Conflict(ApiError {
            code: "not_open".into(),
            message: format!("该预约{}，不能再取消或改约", current.status.label()),
            field: None,
        }));
    }
    if !clock.is_bookable(&current.slot) {
        return Err(Error::Unprocessable(ApiError::invalid(
            "slot",
            "预约时段已开始或已过，不能再取消或改约，请联系门店",
        )));
    }
    Ok(current)
}

#[utoipa::path(
    delete,
    path = "/api/v1/dealers/{dealer}/owner/service/{code}",
    tag = "owner",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("code" = String, Path, description = "服务预约码"),
    ),
    responses(
        (status = 200, description = "已取消，时段名额已释放", body = ServiceBooking),
        (status = 404, description = "没有这份本人的服务预约", body = ErrorBody),
        (status = 409, description = "预约已取消、已完成或未到店（not_open）", body = ErrorBody),
        (status = 422, description = "预约时段已开始或已过", body = ErrorBody),
        (status = 429, description = "操作太频繁（rate_limited），Retry-After 秒后再试", body = ErrorBody),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Owner(owner): Owner,
    Path((_dealer, code)): Path<(String, String)>,
    addr: ClientAddr,
) -> Result<axum::Json<ServiceBooking>, Error> {
    let clock = Clock::now();
    let dealer_id = record.id;
    changeable(&state, dealer_id, owner, &code, clock).await?;
    state.limits.check(&format!("owner:{owner}"), &addr)?;
    if !service::cancel(&state.db, dealer_id, owner, &code, clock).await? {
        return Err(no_booking());
    }
    service::of_owner_by_code(&state.db, dealer_id, owner, &code)
        .await?
        .map(axum::Json)
        .ok_or_else(no_booking)
}

#[utoipa::path(
    put,
    path = "/api/v1/dealers/{dealer}/owner/service/{code}",
    tag = "owner",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("code" = String, Path, description = "服务预约码"),
    ),
    request_body = ServiceReschedule,
    responses(
        (status = 200, description = "已改到新时段（原时段名额已释放）", body = ServiceBooking),
        (status = 404, description = "没有这份本人的服务预约", body = ErrorBody),
        (status = 409, description = "新时段已约满（slot_full，附最近的空闲时段）、已预约，或预约已取消/已完成", body = SlotFull),
        (status = 422, description = "新时段不存在、已过、不在同一门店或与原时段相同；原预约已开始", body = ErrorBody),
        (status = 429, description = "操作太频繁（rate_limited），Retry-After 秒后再试", body = ErrorBody),
    )
)]
pub async fn reschedule(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Owner(owner): Owner,
    Path((_dealer, code)): Path<(String, String)>,
    addr: ClientAddr,
    Json(request): Json<ServiceReschedule>,
) -> Result<axum::Json<ServiceBooking>, Error> {
    let clock = Clock::now();
    let dealer_id = record.id;
    let current = changeable(&state, dealer_id, owner, &code, clock).await?;
    state.limits.check(&format!("owner:{owner}"), &addr)?;
    let kind = SlotKind::Service;
    let slot = slot_to_move_to(
        &state,
        kind,
        dealer_id,
        request.slot_id,
        &current.slot,
        clock,
    )
    .await?;
    let done = service::reschedule(&state.db, dealer_id, owner, &code, slot.id, clock).await?;
    moved(&state, kind, &slot, clock, done, no_booking(), duplicate()).await?;
    service::of_owner_by_code(&state.db, dealer_id, owner, &code)
        .await?
        .map(axum::Json)
        .ok_or_else(no_booking)
}
