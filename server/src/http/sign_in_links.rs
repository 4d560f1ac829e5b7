//! One-time sign-in links over HTTP: `GET` and `POST /api/v1/console/sign-in-links/{token}`
//! (whom the link is for; set a password and be signed in), the console shell at
//! `/console/welcome/{token}` answered 410 once the link is over (404 for no link at all), and
//! how a link just issued is written out for the admin (its URL and QR).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use shared::console::StaffMe;
use shared::staff::{Invitation, SetPassword, SignInLink};
use shared::{ApiError, ErrorBody};
use tower_sessions::Session;

use super::{AppState, Error, Json, Path};
use crate::clock::Clock;
use crate::sign_in_links::{self, Issued, LinkState};
use crate::staff::{self, SESSION_STAFF};

/// The error of a link that is not open: 410 `link_gone` or 404.
fn closed(state: LinkState) -> Error {
    match state {
        LinkState::Gone => Error::Gone(ApiError {
            code: "link_gone".into(),
            message: "该登录链接已使用或已过期，请联系本店管理员重新发送".into(),
            field: None,
        }),
        _ => Error::NotFound("登录链接不存在，请核对链接是否完整".into()),
    }
}

/// A link just issued, as the admin copies it: the whole URL under the public origin (or the
/// request's), with its QR code.
pub fn written(
    state: &AppState,
    headers: &HeaderMap,
    issued: &Issued,
) -> Result<SignInLink, Error> {
    let url = format!("{}{}", super::qr::origin(state, headers), issued.path());
    Ok(SignInLink {
        qr_svg: super::qr::svg_of(&url)?,
        url,
        expires_at: issued.expires_at,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/console/sign-in-links/{token}",
    tag = "console",
    params(("token" = String, Path, description = "一次性登录链接中的令牌")),
    responses(
        (status = 200, description = "链接可用：为谁设置密码", body = Invitation),
        (status = 404, description = "没有这个链接", body = ErrorBody),
        (status = 410, description = "链接已使用、已过期、已被新链接取代或员工已停用（link_gone）", body = ErrorBody),
    )
)]
pub async fn invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<axum::Json<Invitation>, Error> {
    match sign_in_links::look_up(&state.db, &token, Clock::now().millis).await? {
        LinkState::Open(invitation) => Ok(axum::Json(invitation)),
        other => Err(closed(other)),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/console/sign-in-links/{token}",
    tag = "console",
    params(("token" = String, Path, description = "一次性登录链接中的令牌")),
    request_body = SetPassword,
    responses(
        (status = 200, description = "密码已设置并已登录；该员工的其他会话均已结束，链接作废", body = StaffMe),
        (status = 404, description = "没有这个链接", body = ErrorBody),
        (status = 410, description = "链接已使用或已过期（link_gone）", body = ErrorBody),
        (status = 422, description = "密码不符合要求（field = password）", body = ErrorBody),
    )
)]
pub async fn redeem(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
    Json(request): Json<SetPassword>,
) -> Result<axum::Json<StaffMe>, Error> {
    request.validate().map_err(Error::Unprocessable)?;
    let clock = Clock::now();
    // Nothing is hashed for a link that cannot open.
    if let shut @ (LinkState::Gone | LinkState::Unknown) =
        sign_in_links::look_up(&state.db, &token, clock.millis).await?
    {
        return Err(closed(shut));
    }
    let hash = state.hasher.hash(&request.password).await?;
    let staff_id = sign_in_links::redeem(&state.db, &token, &hash, clock.millis)
        .await?
        .map_err(closed)?;
    let session_error =
        |e: tower_sessions::session::Error| Error::Internal(anyhow::anyhow!("session: {e}"));
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(SESSION_STAFF, staff_id)
        .await
        .map_err(session_error)?;
    let staff = staff::by_id(&state.db, staff_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    tracing::info!(
        staff = staff_id,
        "staff set a password through a one-time link"
    );
    Ok(axum::Json(staff::me(&state.db, &staff).await?))
}

/// `/console/welcome/{token}`: the console's shell, which shows the link's page; answered 410
/// when the link is over and 404 when there never was one, so the status says it too.
pub async fn welcome_shell(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let status = match sign_in_links::look_up(&state.db, &token, Clock::now().millis).await {
        Ok(LinkState::Open(_)) => StatusCode::OK,
        Ok(LinkState::Gone) => StatusCode::GONE,
        Ok(LinkState::Unknown) => StatusCode::NOT_FOUND,
        Err(e) => {
            tracing::error!(error = %e, "looking up a sign-in link");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    // The link's page is not the sign-in page: placeholders until it paints.
    super::shell::console_with(&state, status, None)
}
