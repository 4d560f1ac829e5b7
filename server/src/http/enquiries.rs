//! `POST /api/v1/dealers/{dealer}/enquiries`: 询底价. The contact is checked by the shared
//! rules, the lead created or updated and given a consultant, and the answer says who will
//! call back and when.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::PrivateCookieJar;
use shared::booking::{EnquiryReceipt, EnquiryRequest};
use shared::{ApiError, ErrorBody};

use super::extract::Dealer;
use super::links::ClicksWritten;
use super::visitor::{ClientAddr, Visitor};
use super::{AppState, Error, Json};
use crate::catalog;
use crate::clock::Clock;
use crate::enquiries;
use crate::leads::Touch;

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/enquiries",
    tag = "test-drive",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = EnquiryRequest,
    responses(
        (status = 201, description = "已收到：谁会在何时回电", body = EnquiryReceipt),
        (status = 400, description = "请求不是有效的JSON", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
        (status = 422, description = "输入不符合规则（field 指明字段）", body = ErrorBody),
        (status = 429, description = "操作太频繁（Retry-After 秒后再试）", body = ErrorBody),
    )
)]
pub async fn enquire(
    State(state): State<AppState>,
    _: ClicksWritten,
    Dealer { slug, record }: Dealer,
    visitor: Visitor,
    jar: PrivateCookieJar,
    addr: ClientAddr,
    Json(request): Json<EnquiryRequest>,
) -> Result<impl IntoResponse, Error> {
    state.limits.check(&visitor.id, &addr)?;
    let contact = request
        .contact
        .validate(&record.dealer.privacy_version)
        .map_err(Error::Unprocessable)?;
    request.origin.validate().map_err(Error::Unprocessable)?;
    let series = match (&request.series_id, &request.trim_id) {
        (_, Some(trim)) => {
            let series = catalog::trim_sold(&state.db, record.id, trim).await?;
            if series.is_none()
                || request
                    .series_id
                    .as_ref()
                    .is_some_and(|s| Some(s) != series.as_ref())
            {
                return Err(Error::Unprocessable(ApiError::invalid(
                    "trim",
                    "该经销商不销售所选配置",
                )));
            }
            series
        }
        (Some(series), None) => {
            if catalog::series_sold(&state.db, record.id, series)
                .await?
                .is_none()
            {
                return Err(Error::Unprocessable(ApiError::invalid(
                    "series",
                    "该经销商不销售所选车型",
                )));
            }
            Some(series.clone())
        }
        (None, None) => None,
    };
    let clock = Clock::now();
    let touch = Touch {
        dealer_id: record.id,
        contact: &contact,
        consent_version: request
            .contact
            .consent_version
            .as_deref()
            .unwrap_or_default(),
        store_id: None,
        series_id: series.as_deref(),
        trim_id: request.trim_id.as_deref(),
        origin: &request.origin,
        visitor: Some(&visitor.id),
        now: clock.millis,
    };
    let consultant = enquiries::enquire(&state.db, &touch).await?;
    let hours = enquiries::first_store_hours(&state.db, record.id).await?;
    let callback = callback(
        consultant.as_ref().map(|c| c.name.as_str()),
        hours.as_deref(),
        clock,
    );
    let jar = visitor.remembering(&contact).save(jar, &slug);
    Ok((
        StatusCode::CREATED,
        jar,
        axum::Json(EnquiryReceipt {
            consultant,
            callback,
        }),
    ))
}

/// Who calls back and when: within 30 minutes while the store is open (its hours as shown,
/// `09:00-18:00`), else after it opens.
pub fn callback(consultant: Option<&str>, hours: Option<&str>, clock: Clock) -> String {
    let who = consultant.map_or("我们的销售顾问".to_string(), |n| {
        format!("销售顾问{n}")
    });
    let parse = |t: &str| shared::slots::TimeOfDay::parse(t).map(|t| t.minutes());
    let open_close = hours
        .and_then(|h| h.split_once('-'))
        .and_then(|(o, c)| Some((parse(o)?, parse(c)?)));
    match open_close {
        Some((open, close)) if !(open..close).contains(&clock.minute()) => {
            let day = if clock.minute() < open {
                "今天"
            } else {
                "明天"
            };
            let hours = hours.unwrap_or_default();
            format!("{who}将在{day}开店后尽快致电您（营业时间 {hours}）")
        }
        Some(_) => {
            let hours = hours.unwrap_or_default();
            format!("{who}将在30分钟内致电您（营业时间 {hours}）")
        }
        None => format!("{who}将在30分钟内致电您"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_callback_promise_follows_the_opening_hours() {
        // 2026-12-01T02:30:00Z is 10:30 in Shanghai.
        let at = |hh: i64| Clock {
            millis: 1_796_092_200_000 + (hh - 10) * 3_600_000,
        };
        assert_eq!(
            callback(Some("王磊"), Some("09:00-18:00"), at(10)),
            "销售顾问王磊将在30分钟内致电您（营业时间 09:00-18:00）"
        );
        assert!(callback(Some("王磊"), Some("09:00-18:00"), at(20)).contains("明天开店后"));
        assert!(
            callback(None, Some("09:00-18:00"), at(7)).starts_with("我们的销售顾问将在今天开店后")
        );
        assert_eq!(
            callback(None, None, at(10)),
            "我们的销售顾问将在30分钟内致电您"
        );
    }
}
