//! Points and referrals over HTTP: the owner's ledger, total and tier
//! (`GET .../owner/points`) and referral link (`POST .../owner/referral-link`), both found
//! only through the owner cookie; the admin's milestone points and worth text
//! (`/api/v1/console/loyalty`); every referral per owner with its status and withheld reason
//! (`GET /api/v1/console/referrals`, admins and managers).

use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::cookie::PrivateCookieJar;
use shared::link;
use shared::loyalty::{
    LoyaltySettings, NewReferralLink, OwnerPoints, OwnerReferrals, ReferralLink, Tier,
};
use shared::ErrorBody;

use super::extract::{Admin, Dealer, Manager, Owner};
use super::links::ClicksWritten;
use super::visitor::{ClientAddr, Visitor};
use super::{AppState, Error, Json};
use crate::clock::Clock;
use crate::{points, referrals};

fn no_owner() -> Error {
    Error::NotFound("请先绑定车辆".into())
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/owner/points",
    tag = "owner",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "本人的积分明细（最新在前）、总分、等级、下一等级，以及本店积分规则与说明", body = OwnerPoints),
        (status = 404, description = "经销商不存在，或没有车主 Cookie", body = ErrorBody),
    )
)]
pub async fn owner_points(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Owner(owner): Owner,
) -> Result<axum::Json<OwnerPoints>, Error> {
    let entries = points::ledger(&state.db, record.id, owner).await?;
    let total = entries.iter().map(|e| e.points).sum();
    Ok(axum::Json(OwnerPoints {
        total,
        tier: Tier::of(total),
        next_tier: Tier::next(total),
        entries,
        settings: points::settings(&state.db, record.id).await?,
        referrals: referrals::counts(&state.db, owner).await?,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/owner/referral-link",
    tag = "owner",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = NewReferralLink,
    responses(
        (status = 201, description = "已生成本人的推荐链接（默认门店首页）与二维码地址", body = ReferralLink),
        (status = 200, description = "本人此前为同一页面生成的推荐链接", body = ReferralLink),
        (status = 404, description = "经销商不存在，或没有车主 Cookie", body = ErrorBody),
        (status = 422, description = "页面不是本店的（field 为 target）", body = ErrorBody),
        (status = 429, description = "操作太频繁", body = ErrorBody),
    )
)]
#[expect(
    clippy::too_many_arguments,
    reason = "each argument is an extractor: who is asking, what they send, and the limits"
)]
pub async fn referral_link(
    State(state): State<AppState>,
    _: ClicksWritten,
    Dealer { slug, record }: Dealer,
    Owner(owner): Owner,
    visitor: Visitor,
    jar: PrivateCookieJar,
    addr: ClientAddr,
    Json(request): Json<NewReferralLink>,
) -> Result<(StatusCode, PrivateCookieJar, axum::Json<ReferralLink>), Error> {
    state.limits.check(&format!("owner:{owner}"), &addr)?;
    let home = format!("/{slug}/");
    let target = link::check_target(&slug, request.target.as_deref().unwrap_or(&home))
        .map_err(Error::Unprocessable)?;
    let (made, new) = referrals::link(
        &state.db,
        record.id,
        owner,
        &visitor.id,
        &target,
        Clock::now().millis,
    )
    .await?
    .ok_or_else(no_owner)?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let qr_svg = format!("{}/qr.svg", made.path);
    Ok((
        status,
        visitor.save(jar, &slug),
        axum::Json(ReferralLink { link: made, qr_svg }),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/loyalty",
    tag = "console",
    responses(
        (status = 200, description = "本店各里程碑的积分与积分说明（未设置时为默认值）", body = LoyaltySettings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
    )
)]
pub async fn settings(
    State(state): State<AppState>,
    Admin(staff): Admin,
) -> Result<axum::Json<LoyaltySettings>, Error> {
    Ok(axum::Json(
        points::settings(&state.db, staff.dealer_id).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/loyalty",
    tag = "console",
    request_body = LoyaltySettings,
    responses(
        (status = 200, description = "已保存，此后获得的积分按新规则计算", body = LoyaltySettings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
        (status = 422, description = "积分须为 0 到 100000，说明最多 200 字（field 指明字段）", body = ErrorBody),
    )
)]
pub async fn save_settings(
    State(state): State<AppState>,
    Admin(staff): Admin,
    Json(request): Json<LoyaltySettings>,
) -> Result<axum::Json<LoyaltySettings>, Error> {
    let checked = request.validate().map_err(Error::Unprocessable)?;
    points::save_settings(&state.db, staff.dealer_id, &checked, Clock::now().millis).await?;
    tracing::info!(
        staff = staff.id,
        dealer = staff.dealer_id,
        "loyalty settings saved"
    );
    Ok(axum::Json(checked))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/referrals",
    tag = "console",
    responses(
        (status = 200, description = "每位车主的推荐：好友、状态、所得积分、不发放奖励的原因", body = Vec<OwnerReferrals>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅店长和管理员", body = ErrorBody),
    )
)]
pub async fn referrals_list(
    State(state): State<AppState>,
    Manager(staff): Manager,
) -> Result<axum::Json<Vec<OwnerReferrals>>, Error> {
    Ok(axum::Json(
        referrals::of_dealer(&state.db, staff.dealer_id).await?,
    ))
}
