//! Proving a phone over HTTP: `POST .../me/phone-code` sends a one-time code by SMS (limits
//! per phone and address; 503 without a provider) and `POST .../me/phone-proof` checks it and
//! remembers the proven phone in the visitor's cookie for 30 days. [`access_of`] is what a
//! request may see (the `Access` extractor): its visitor, the phone its cookie proved, and,
//! for an owner whose WeChat is bound, the owner's phones.

use axum::extract::State;
use axum_extra::extract::cookie::PrivateCookieJar;
use shared::booking::Me;
use shared::proof::{self, PhoneCodeRequest, PhoneCodeSent, PhoneProofRequest};
use shared::{ApiError, ErrorBody};

use super::extract::{Dealer, Owner};
use super::visitor::{ClientAddr, Visitor};
use super::{AppState, Error, Json};
use crate::clock::Clock;
use crate::proofs::{self, Access, Asker, Checked, ProvedBy, Refused};

/// What a visitor (and the owner the browser's owner cookie names) may see at the dealer.
pub async fn access_of(
    state: &AppState,
    visitor: Option<&Visitor>,
    owner: Option<Owner>,
    dealer_id: i64,
) -> Result<Access, Error> {
    let mut access = Access {
        visitor: visitor.map(|v| v.id.clone()),
        ..Access::default()
    };
    if let Some(phone) = visitor.and_then(|v| v.proven_phone(Clock::now().millis)) {
        access.phones.push(phone.to_string());
        access.by = Some(ProvedBy::Sms);
    }
    if let Some(Owner(owner)) = owner {
        for phone in proofs::owner_phones(&state.db, dealer_id, owner).await? {
            if !access.phones.contains(&phone) {
                access.phones.push(phone);
                access.by.get_or_insert(ProvedBy::WeChat);
            }
        }
    }
    Ok(access)
}

/// The server's key for hashing codes: the cookie key's, shared by every instance.
fn code_key(state: &AppState) -> &[u8] {
    state.cookie_key.signing()
}

fn sms_off() -> Error {
    Error::Unavailable(ApiError {
        code: "sms_off".into(),
        message: "本站未开通短信验证，请联系门店".into(),
        field: Some("phone".into()),
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/me/phone-code",
    tag = "me",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = PhoneCodeRequest,
    responses(
        (status = 200, description = "验证码已发出（6位，5分钟内有效）", body = PhoneCodeSent),
        (status = 400, description = "请求不是有效的JSON", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
        (status = 413, description = "请求内容超过64KB", body = ErrorBody),
        (status = 422, description = "手机号不正确（field 为 phone）", body = ErrorBody),
        (status = 429, description = "发送太频繁：同一手机号60秒内（too_soon）、每天5次（phone_daily）、同一网络每天的上限（address_daily）；Retry-After 秒后再试", body = ErrorBody),
        (status = 503, description = "本站未开通短信验证（sms_off），或短信服务暂时不可用（sms_failed）", body = ErrorBody),
    )
)]
pub async fn send_code(
    State(state): State<AppState>,
    Dealer { slug, record }: Dealer,
    visitor: Visitor,
    jar: PrivateCookieJar,
    addr: ClientAddr,
    Json(request): Json<PhoneCodeRequest>,
) -> Result<(PrivateCookieJar, axum::Json<PhoneCodeSent>), Error> {
    let phone = request.validate().map_err(Error::Unprocessable)?;
    if !state.sms.is_on() {
        return Err(sms_off());
    }
    state.limits.check(&visitor.id, &addr)?;
    let asker = Asker {
        dealer_id: record.id,
        phone: &phone,
        visitor: &visitor.id,
        address: addr.0.map(|ip| ip.to_string()),
    };
    let now = Clock::now().millis;
    let limited = |retry_after: u64, code: &str, message: String| Error::Limited {
        retry_after,
        error: ApiError {
            code: code.into(),
            message,
            field: Some("phone".into()),
        },
    };
    let (id, code) = match proofs::new_code(&state.db, &asker, code_key(&state), now).await? {
        Ok(made) => made,
        Err(Refused::TooSoon(wait)) => {
            return Err(limited(
                wait,
                "too_soon",
                format!("验证码已发送，请{wait}秒后再获取"),
            ))
        }
        Err(Refused::PhoneDaily(wait)) => {
            return Err(limited(
                wait,
                "phone_daily",
                "该手机号今天获取验证码的次数已达上限，请明天再试".into(),
            ))
        }
        Err(Refused::AddressDaily(wait)) => {
            return Err(limited(
                wait,
                "address_daily",
                "当前网络获取验证码的次数已达上限，请稍后再试".into(),
            ))
        }
    };
    if let Err(failure) = state.sms.send_code(&phone, &code).await {
        tracing::warn!(error = %failure, slug = record.id, "an SMS code was not sent");
        proofs::unsent(&state.db, id).await?;
        return Err(Error::Unavailable(ApiError {
            code: "sms_failed".into(),
            message: "短信发送失败，请稍后再试".into(),
            field: Some("phone".into()),
        }));
    }
    tracing::info!(slug = record.id, "an SMS code was sent");
    Ok((
        visitor.save(jar, &slug),
        axum::Json(PhoneCodeSent {
            phone: shared::contact::mask_phone(&phone),
            resend_after: proof::RESEND_SECONDS,
            expires_in: proof::CODE_SECONDS,
        }),
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/me/phone-proof",
    tag = "me",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = PhoneProofRequest,
    responses(
        (status = 200, description = "已验证：本机30天内可查看该手机号的全部信息（写入访客 Cookie），返回“我的信息”", body = Me),
        (status = 400, description = "请求不是有效的JSON", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
        (status = 410, description = "验证码已过期（expired）或错误次数过多已失效（exhausted），请重新获取", body = ErrorBody),
        (status = 413, description = "请求内容超过64KB", body = ErrorBody),
        (status = 422, description = "手机号或验证码格式不对、尚未获取验证码、验证码错误（field 指明字段）", body = ErrorBody),
        (status = 429, description = "操作太频繁", body = ErrorBody),
    )
)]
pub async fn prove(
    State(state): State<AppState>,
    Dealer { slug, record }: Dealer,
    visitor: Option<Visitor>,
    owner: Option<Owner>,
    jar: PrivateCookieJar,
    addr: ClientAddr,
    Json(request): Json<PhoneProofRequest>,
) -> Result<(PrivateCookieJar, axum::Json<Me>), Error> {
    let checked = request.validate().map_err(Error::Unprocessable)?;
    let wrong = |message: String| Error::Unprocessable(ApiError::invalid("code", message));
    let Some(visitor) = visitor else {
        return Err(wrong("请先获取验证码".into()));
    };
    state.limits.check(&visitor.id, &addr)?;
    let asker = Asker {
        dealer_id: record.id,
        phone: &checked.phone,
        visitor: &visitor.id,
        address: None,
    };
    let now = Clock::now().millis;
    let gone = |code: &str, message: &str| {
        Error::Gone(ApiError {
            code: code.into(),
            message: message.into(),
            field: Some("code".into()),
        })
    };
    match proofs::check(&state.db, &asker, &checked.code, code_key(&state), now).await? {
        Checked::Proven => {}
        Checked::NoCode => return Err(wrong("请先获取验证码".into())),
        Checked::Expired => return Err(gone("expired", "验证码已过期，请重新获取")),
        Checked::Exhausted | Checked::Wrong(0) => {
            return Err(gone("exhausted", "验证码错误次数过多，请重新获取"))
        }
        Checked::Wrong(left) => return Err(wrong(format!("验证码不正确，还可以再试{left}次"))),
    }
    tracing::info!(slug = record.id, "a phone was proved");
    let visitor = visitor.proving(&checked.phone, now);
    let access = access_of(&state, Some(&visitor), owner, record.id).await?;
    let jar = visitor.save(jar, &slug);
    let me = super::me::of(&state, record.id, Some(&visitor), &access).await?;
    Ok((jar, axum::Json(me)))
}
