//! `/api/v1/console/...`: the staff console's API. A session (`tower-sessions`, stored in
//! the database, HttpOnly and SameSite=Strict) names the staff member; every route without
//! one answers 401, without the role 403, and a cross-site write 403. Everything is scoped
//! by `crate::console` to the staff member's dealer and, for consultants, their own leads.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::console::{
    BookingUpdate, NewStore, PasswordChange, SignIn, StaffBooking, StaffMe, StaffRef, StoreSaved,
    StoreSetup, StoreView, Today,
};
use shared::{ApiError, ErrorBody};
use tower_sessions::Session;

use super::extract::{Admin, Manager};
use super::visitor::ClientAddr;
use super::Path;
use super::{AppState, Error, Json};
use crate::clock::Clock;
use crate::console::{self, BookingChanged};
use crate::staff::{self, SignedIn, Staff, SESSION_STAFF};

/// Refuses a write that a browser marks as coming from another site (`Sec-Fetch-Site`), or
/// whose `Origin` is not this host: a page elsewhere cannot act with a staff member's cookie.
pub async fn same_origin(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    if is_cross_site(request.headers()) {
        return Error::CrossSite.into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_none_or(|(_, rest)| rest != host),
        (Some(_), None) => true,
        _ => false,
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/console/session",
    tag = "console",
    request_body = SignIn,
    responses(
        (status = 200, description = "已登录（会话 Cookie：HttpOnly，SameSite=Strict）", body = StaffMe),
        (status = 401, description = "账号或密码错误（不存在的账号同样回答）", body = ErrorBody),
        (status = 403, description = "账号已停用（disabled；仅在密码正确时这样回答）", body = ErrorBody),
        (status = 429, description = "该账号失败次数过多暂时锁定（locked），或本地址失败次数过多（rate_limited）；Retry-After 秒", body = ErrorBody),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    address: ClientAddr,
    session: Session,
    Json(request): Json<SignIn>,
) -> Result<axum::Json<StaffMe>, Error> {
    let clock = Clock::now();
    let login = request.login.trim();
    let address = address.0.map(staff::address_key);
    let signed_in = staff::sign_in(
        &state.db,
        &state.hasher,
        login,
        &request.password,
        address.as_deref(),
        clock.millis,
    )
    .await?;
    match signed_in {
        SignedIn::Yes(id) => {
            let session_error = |e: tower_sessions::session::Error| {
                Error::Internal(anyhow::anyhow!("session: {e}"))
            };
            session.cycle_id().await.map_err(session_error)?;
            session
                .insert(SESSION_STAFF, id)
                .await
                .map_err(session_error)?;
            let staff = staff::by_id(&state.db, id)
                .await?
                .ok_or(Error::Unauthorized)?;
            tracing::info!(staff = id, "staff signed in");
            Ok(axum::Json(staff::me(&state.db, &staff).await?))
        }
        SignedIn::No => Err(Error::BadCredentials),
        SignedIn::Locked(millis) => Err(Error::Locked {
            retry_after: (millis / 1000).max(1) as u64,
        }),
        SignedIn::Throttled(millis) => Err(Error::TooMany {
            retry_after: (millis / 1000).max(1) as u64,
        }),
        SignedIn::Disabled => Err(Error::Denied(ApiError {
            code: "disabled".into(),
            message: "该账号已停用，请联系本店管理员".into(),
            field: None,
        })),
    }
}

#[utoipa::path(
    delete,
    path = "/api/v1/console/session",
    tag = "console",
    responses((status = 204, description = "已退出，会话已在服务器端删除"))
)]
pub async fn sign_out(session: Session) -> Result<StatusCode, Error> {
    session
        .flush()
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("session: {e}")))?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/api/v1/console/me",
    tag = "console",
    responses(
        (status = 200, description = "当前登录的员工、所属经销商与门店", body = StaffMe),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn me(State(state): State<AppState>, staff: Staff) -> Result<axum::Json<StaffMe>, Error> {
    Ok(axum::Json(staff::me(&state.db, &staff).await?))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/password",
    tag = "console",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "密码已修改，该员工的所有会话均已结束"),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "当前密码错误或新密码不符合要求", body = ErrorBody),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    Json(request): Json<PasswordChange>,
) -> Result<StatusCode, Error> {
    request.validate().map_err(Error::Unprocessable)?;
    let changed = staff::change_password(
        &state.db,
        &state.hasher,
        staff.id,
        &request.current,
        &request.new,
    )
    .await?;
    if !changed {
        return Err(Error::Unprocessable(ApiError::invalid(
            "current",
            "当前密码不正确",
        )));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/api/v1/console/today",
    tag = "console",
    responses(
        (status = 200, description = "我的待办与今日预约", body = Today),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn today(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<axum::Json<Today>, Error> {
    Ok(axum::Json(
        console::today(&state.db, &staff, Clock::now()).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/bookings/{code}/status",
    tag = "console",
    params(("code" = String, Path, description = "预约码")),
    request_body = BookingUpdate,
    responses(
        (status = 200, description = "预约状态已更新", body = StaffBooking),
        (status = 404, description = "不是本人可处理的预约", body = ErrorBody),
        (status = 422, description = "不能从当前状态改为该状态", body = ErrorBody),
    )
)]
pub async fn booking_status(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Json(request): Json<BookingUpdate>,
) -> Result<axum::Json<StaffBooking>, Error> {
    match console::update_booking(&state.db, &staff, &code, request.status, Clock::now()).await? {
        BookingChanged::Done(booking) => Ok(axum::Json(*booking)),
        BookingChanged::NotFound => Err(Error::NotFound("未找到该预约".into())),
        BookingChanged::NotAllowed(from) => Err(Error::Unprocessable(ApiError::invalid(
            "status",
            format!(
                "预约当前为“{}”，不能改为“{}”",
                from.label(),
                request.status.label()
            ),
        ))),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/console/consultants",
    tag = "console",
    responses(
        (status = 200, description = "本经销商在职的销售顾问（分配线索时可选）", body = Vec<StaffRef>),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
    )
)]
pub async fn consultants(
    State(state): State<AppState>,
    Manager(staff): Manager,
) -> Result<axum::Json<Vec<StaffRef>>, Error> {
    Ok(axum::Json(
        staff::consultants(&state.db, staff.dealer_id).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/stores",
    tag = "console",
    responses(
        (status = 200, description = "门店及其营业时间、休息日、时段模板与试驾车", body = Vec<StoreView>),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
    )
)]
pub async fn stores(
    State(state): State<AppState>,
    Manager(staff): Manager,
) -> Result<axum::Json<Vec<StoreView>>, Error> {
    Ok(axum::Json(console::stores(&state.db, &staff).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/stores",
    tag = "console",
    request_body = NewStore,
    responses(
        (status = 201, description = "已新增门店；营业时间与试驾时段在门店卡片上设置", body = StoreView),
        (status = 403, description = "仅管理员", body = ErrorBody),
        (status = 409, description = "已有同名门店（field = name）", body = ErrorBody),
        (status = 422, description = "门店名称、城市、地址、电话或营业时间不符合规则", body = ErrorBody),
    )
)]
pub async fn add_store(
    State(state): State<AppState>,
    Admin(staff): Admin,
    Json(new): Json<NewStore>,
) -> Result<(StatusCode, axum::Json<StoreView>), Error> {
    let new = new.validate().map_err(Error::Unprocessable)?;
    let view = console::add_store(&state.db, &staff, &new)
        .await?
        .ok_or_else(|| Error::Conflict(ApiError::invalid("name", "已有同名门店")))?;
    // This instance's home page shows it from the next request; others within a poll.
    state.catalogue.refresh().await?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/stores/{id}",
    tag = "console",
    params(("id" = i64, Path, description = "门店编号")),
    request_body = StoreSetup,
    responses(
        (status = 200, description = "已保存；不在新营业时间内的预约原样保留并列出，待经理改期或取消", body = StoreSaved),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "门店不属于本经销商", body = ErrorBody),
        (status = 422, description = "营业时间或时段模板不符合规则", body = ErrorBody),
    )
)]
pub async fn save_store(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
    Json(setup): Json<StoreSetup>,
) -> Result<axum::Json<StoreSaved>, Error> {
    setup.validate().map_err(Error::Unprocessable)?;
    let (view, stranded) = console::save_store(&state.db, &staff, id, &setup, Clock::now())
        .await?
        .ok_or_else(|| Error::NotFound("未找到该门店".into()))?;
    Ok(axum::Json(StoreSaved { view, stranded }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_from_other_sites_are_recognised() {
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, v.parse().unwrap());
            }
            h
        };
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "http://a.cn"),
            ("host", "a.cn")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "http://evil.cn"),
            ("host", "a.cn")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "null"),
            ("host", "a.cn")
        ])));
        // no browser markers at all: not a browser, so not a forged browser request
        assert!(!is_cross_site(&headers(&[("host", "a.cn")])));
    }
}
