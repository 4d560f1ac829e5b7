//! `/api/v1/dealers/{dealer}/owner...`: the owner centre. Binding a car with the one-time code
//! a delivery printed sets the owner's own cookie for the dealer (encrypted and signed by the
//! visitor cookie's key, HttpOnly); the owner's cars and their readings are found only
//! through it, so another owner's car is a 404. An owner allows WeChat reminders through
//! WeChat's OAuth (`snsapi_base`, which names them by openid), guarded by a one-time state
//! kept in a private cookie, and can stop them.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Redirect;
use axum_extra::extract::cookie::{Cookie, PrivateCookieJar, SameSite};
use shared::owner::{Bind, NewReading, OwnerCar, OwnerHome};
use shared::page::Page;
use shared::{ApiError, ErrorBody};

use super::extract::{Dealer, Owner};
use super::visitor::{ClientAddr, Visitor};
use super::{AppState, Error, Json};
use super::{Path, Query};
use crate::clock::Clock;
use crate::owners::{self, Bound};
use crate::reminders;

/// Ten years: a car stays bound until a new code ends it, not until a cookie expires.
const OWNER_COOKIE_MAX_AGE: i64 = 10 * 366 * 24 * 3600;

fn cookie_name(dealer: &str) -> String {
    format!("co_{dealer}")
}

/// The owner the dealer's owner cookie names (read by the `Owner` extractor).
pub(super) fn owner_of(jar: &PrivateCookieJar, dealer: &str) -> Option<i64> {
    jar.get(&cookie_name(dealer))?.value().parse().ok()
}

fn remember(jar: PrivateCookieJar, dealer: &str, owner_id: i64, secure: bool) -> PrivateCookieJar {
    jar.add(
        Cookie::build((cookie_name(dealer), owner_id.to_string()))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .max_age(time::Duration::seconds(OWNER_COOKIE_MAX_AGE))
            .build(),
    )
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/owner",
    tag = "owner",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "本人绑定的车辆、到期事项与服务预约（凭车主 Cookie；没有则为空）", body = OwnerHome),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn home(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    owner: Option<Owner>,
) -> Result<axum::Json<OwnerHome>, Error> {
    let owner = owner.map(|Owner(id)| id);
    let wechat_reminders = reminders::wechat_state(&state.db, record.id, owner).await?;
    let Some(owner) = owner else {
        return Ok(axum::Json(OwnerHome {
            cars: Vec::new(),
            service: Vec::new(),
            wechat_reminders,
        }));
    };
    Ok(axum::Json(OwnerHome {
        cars: owners::cars_of(&state.db, record.id, owner, Clock::now()).await?,
        service: crate::service::of_owner(&state.db, record.id, owner).await?,
        wechat_reminders,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/owner/bind",
    tag = "owner",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = Bind,
    responses(
        (status = 200, description = "已绑定（设置车主 Cookie），返回本人的全部车辆", body = OwnerHome),
        (status = 404, description = "绑定码无效", body = ErrorBody),
        (status = 409, description = "绑定码已被使用", body = ErrorBody),
        (status = 410, description = "绑定码已过期或已被新绑定码取代", body = ErrorBody),
        (status = 429, description = "操作太频繁", body = ErrorBody),
    )
)]
pub async fn bind(
    State(state): State<AppState>,
    Dealer { slug, record }: Dealer,
    visitor: Visitor,
    owner: Option<Owner>,
    jar: PrivateCookieJar,
    addr: ClientAddr,
    Json(request): Json<Bind>,
) -> Result<(PrivateCookieJar, axum::Json<OwnerHome>), Error> {
    state.limits.check(&visitor.id, &addr)?;
    let clock = Clock::now();
    let gone = |message: &str| {
        Error::Gone(ApiError {
            code: "expired".into(),
            message: message.into(),
            field: Some("code".into()),
        })
    };
    let owner_id = match owners::bind(
        &state.db,
        record.id,
        request.code.trim(),
        owner.map(|Owner(id)| id),
        &visitor.id,
        clock,
    )
    .await?
    {
        Bound::Yes { owner_id } => owner_id,
        Bound::Unknown => {
            return Err(Error::NotFound(
                "绑定码无效，请扫描交车时服务顾问提供的二维码".into(),
            ))
        }
        Bound::Used => {
            return Err(Error::Conflict(ApiError {
                code: "used".into(),
                message: "该绑定码已被使用。如需重新绑定，请联系服务顾问生成新的绑定码".into(),
                field: Some("code".into()),
            }))
        }
        Bound::Expired => {
            return Err(gone(
                "绑定码已过期（7天内有效），请联系服务顾问生成新的绑定码",
            ))
        }
        Bound::Replaced => return Err(gone("该绑定码已失效，服务顾问已生成新的绑定码")),
    };
    let cars = owners::cars_of(&state.db, record.id, owner_id, clock).await?;
    let service = crate::service::of_owner(&state.db, record.id, owner_id).await?;
    tracing::info!(owner = owner_id, "car bound");
    let jar = visitor.save(jar, &slug);
    Ok((
        remember(jar, &slug, owner_id, state.secure_cookies),
        axum::Json(OwnerHome {
            cars,
            service,
            wechat_reminders: reminders::wechat_state(&state.db, record.id, Some(owner_id)).await?,
        }),
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/owner/cars/{id}/readings",
    tag = "owner",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("id" = i64, Path, description = "车辆编号"),
    ),
    request_body = NewReading,
    responses(
        (status = 200, description = "已记录，返回更新后的车辆", body = OwnerCar),
        (status = 404, description = "不是本人绑定的车辆", body = ErrorBody),
        (status = 422, description = "里程低于上次记录或超出范围", body = ErrorBody),
        (status = 429, description = "操作太频繁（rate_limited），Retry-After 秒后再试", body = ErrorBody),
    )
)]
pub async fn add_reading(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Owner(owner): Owner,
    Path((_dealer, car_id)): Path<(String, i64)>,
    addr: ClientAddr,
    Json(request): Json<NewReading>,
) -> Result<axum::Json<OwnerCar>, Error> {
    let missing = || Error::NotFound("未找到该车辆".into());
    state.limits.check(&format!("owner:{owner}"), &addr)?;
    let clock = Clock::now();
    let mine = |cars: &[OwnerCar]| cars.iter().any(|c| c.id == car_id);
    if !mine(&owners::cars_of(&state.db, record.id, owner, clock).await?) {
        return Err(missing());
    }
    owners::add_reading(&state.db, car_id, request.km, (Some(owner), None), clock).await?;
    owners::cars_of(&state.db, record.id, owner, clock)
        .await?
        .into_iter()
        .find(|c| c.id == car_id)
        .map(axum::Json)
        .ok_or_else(missing)
}

fn consent_cookie(dealer: &str) -> String {
    format!("cw_{dealer}")
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/owner/wechat",
    tag = "owner",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 303, description = "前往微信授权（snsapi_base），授权后回到车主页"),
        (status = 404, description = "不是车主，或经销商未开通微信提醒", body = ErrorBody),
    )
)]
pub async fn wechat_consent(
    State(state): State<AppState>,
    Dealer { slug, record }: Dealer,
    Owner(owner): Owner,
    jar: PrivateCookieJar,
    headers: HeaderMap,
) -> Result<(PrivateCookieJar, Redirect), Error> {
    let settings = crate::wechat::settings(&state.db, record.id)
        .await?
        .filter(crate::wechat::Settings::sends_reminders)
        .ok_or_else(|| Error::NotFound("本店尚未开通微信提醒".into()))?;
    let nonce: String =
        shared::link::code_from(rand::random::<[u8; 32]>()).unwrap_or_else(|| owner.to_string());
    let back = format!(
        "{}/api/v1/dealers/{slug}/owner/wechat/back",
        super::qr::origin(&state, &headers)
    );
    let jar = jar.add(
        Cookie::build((consent_cookie(&slug), nonce.clone()))
            .path("/")
            .http_only(true)
            .secure(state.secure_cookies)
            .same_site(SameSite::Lax)
            .max_age(time::Duration::minutes(10))
            .build(),
    );
    let url = state.wechat.consent_url(&settings.app_id, &back, &nonce);
    Ok((jar, Redirect::to(&url)))
}

/// What WeChat's OAuth brings back.
#[derive(serde::Deserialize)]
pub struct ConsentBack {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/owner/wechat/back",
    tag = "owner",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("code" = String, Query, description = "微信授权码"),
        ("state" = String, Query, description = "发起授权时的一次性状态"),
    ),
    responses(
        (status = 303, description = "回到车主页：?wechat=on 已开启；?wechat=failed 未能开启"),
    )
)]
pub async fn wechat_back(
    State(state): State<AppState>,
    Dealer { slug, record }: Dealer,
    owner: Option<Owner>,
    jar: PrivateCookieJar,
    Query(back): Query<ConsentBack>,
) -> Result<(PrivateCookieJar, Redirect), Error> {
    let page = Page::Owner.href(&slug);
    let expected = jar
        .get(&consent_cookie(&slug))
        .map(|c| c.value().to_string());
    let jar = jar.remove(Cookie::build(consent_cookie(&slug)).path("/"));
    let owner = owner.map(|Owner(id)| id);
    let settings = crate::wechat::settings(&state.db, record.id).await?;
    let failed = |jar| Ok((jar, Redirect::to(&format!("{page}?wechat=failed"))));
    let (Some(owner), Some(settings), Some(expected)) = (owner, settings, expected) else {
        return failed(jar);
    };
    if back.code.is_empty() || back.state != expected {
        return failed(jar);
    }
    match state
        .wechat
        .openid(&settings.app_id, &settings.app_secret, &back.code)
        .await
    {
        Ok(openid) => {
            reminders::set_wechat(&state.db, record.id, owner, Some(&openid)).await?;
            Ok((jar, Redirect::to(&format!("{page}?wechat=on"))))
        }
        Err(failure) => {
            tracing::warn!(error = %failure, "no openid for an owner's reminder consent");
            failed(jar)
        }
    }
}

#[utoipa::path(
    delete,
    path = "/api/v1/dealers/{dealer}/owner/wechat",
    tag = "owner",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 204, description = "已关闭微信提醒（提醒仍显示在车主页）"),
        (status = 404, description = "不是车主", body = ErrorBody),
    )
)]
pub async fn wechat_stop(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Owner(owner): Owner,
) -> Result<StatusCode, Error> {
    reminders::set_wechat(&state.db, record.id, owner, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
