//! Offers: `GET /api/v1/dealers/{dealer}/offers` (what holds today, by series and group, from
//! the ready answers of `http::cache`) and the console's `/api/v1/console/offers` (managers:
//! every offer with its state, and adding, changing and removing one).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use shared::offer::{OfferDesk, OfferDraft, OfferGroup, OfferList, OfferSeries, StaffOffer};
use shared::{ApiError, ErrorBody};

use super::cache::{Answer, Ready};
use super::extract::{Dealer, Manager};
use super::{AppState, Error, Json, Path, Query};
use crate::clock::Clock;
use crate::offers::{self, Refused, Scope};

/// What buyers filter offers by: a series, and 购车 or 用车.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfferQuery {
    /// 车系标识
    #[param(max_length = 80)]
    pub series: Option<String>,
    /// purchase（购车优惠）或 usage（用车权益）
    pub group: Option<OfferGroup>,
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/offers",
    tag = "catalogue",
    params(("dealer" = String, Path, description = "经销商标识（slug）"), OfferQuery),
    responses(
        (status = 200, description = "今天有效的优惠（过期的自动不再显示；带 ETag）", body = OfferList),
        (status = 304, description = "未变化"),
        (status = 400, description = "筛选参数无效", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Path(dealer): Path<String>,
    uri: Uri,
    query: Result<Query<OfferQuery>, Error>,
    headers: HeaderMap,
) -> Response {
    let query = match query {
        Ok(Query(query)) => query,
        Err(e) => return e.into_response(),
    };
    let answer = Answer::Offers(uri.query().unwrap_or("").to_string());
    let build = build_list(&state, &dealer, query);
    state
        .catalogue
        .serve(&dealer, answer, &headers, build)
        .await
}

async fn build_list(state: &AppState, dealer: &str, query: OfferQuery) -> Result<Ready, Error> {
    let record = Dealer::find(state, dealer).await?;
    let today = Clock::now().today();
    let all = offers::current(&state.db, record.id, Scope::All, today).await?;
    let mut series: Vec<(String, String)> = Vec::new();
    for o in &all {
        if !series.iter().any(|(id, _)| *id == o.series_id) {
            series.push((o.series_id.clone(), o.series_name.clone()));
        }
    }
    let offers = all
        .into_iter()
        .filter(|o| query.series.as_ref().is_none_or(|s| *s == o.series_id))
        .filter(|o| query.group.is_none_or(|g| o.kind.group() == g))
        .collect();
    Ready::json(&OfferList {
        today,
        offers,
        series,
    })
    .await
}

#[utoipa::path(
    get,
    path = "/api/v1/console/offers",
    tag = "console",
    responses(
        (status = 200, description = "本店全部优惠（进行中、未开始、已结束），及可选的车系、车型和门店", body = OfferDesk),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
    )
)]
pub async fn desk(
    State(state): State<AppState>,
    Manager(staff): Manager,
) -> Result<axum::Json<OfferDesk>, Error> {
    let today = Clock::now().today();
    let book = crate::prices::book(&state.db, staff.dealer_id, today).await?;
    let stores = crate::catalog::stores(&state.db, staff.dealer_id).await?;
    Ok(axum::Json(OfferDesk {
        today,
        offers: offers::all(&state.db, staff.dealer_id, today).await?,
        series: OfferSeries::of(&book.trims),
        stores: stores.into_iter().map(|s| (s.id, s.name)).collect(),
    }))
}

/// A draft naming what the dealer does not sell or have, as the field to correct.
fn refused(refused: Refused) -> Error {
    let (field, message) = match refused {
        Refused::Series => ("series_id", "本店不售该车系"),
        Refused::Trim => ("trim_id", "本店不售该车型，或它不属于所选车系"),
        Refused::Store => ("store_ids", "请选择本店的门店"),
    };
    Error::Unprocessable(ApiError::invalid(field, message))
}

async fn saved(state: &AppState, dealer_id: i64, id: i64) -> Result<StaffOffer, Error> {
    // This instance shows it from the next request; others within a poll.
    state.catalogue.refresh().await?;
    offers::one(&state.db, dealer_id, id, Clock::now().today())
        .await?
        .ok_or_else(|| Error::NotFound("未找到该优惠".into()))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/offers",
    tag = "console",
    request_body = OfferDraft,
    responses(
        (status = 201, description = "已添加；有效期内车型页、对比和优惠页随即显示", body = StaffOffer),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 422, description = "字段不符合规则（field 指明哪一项），或车系、车型、门店不属于本店", body = ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Json(draft): Json<OfferDraft>,
) -> Result<(StatusCode, axum::Json<StaffOffer>), Error> {
    let draft = draft.validate().map_err(Error::Unprocessable)?;
    let id = offers::add(&state.db, &staff, &draft, Clock::now().millis)
        .await?
        .map_err(refused)?;
    tracing::info!(offer = id, staff = staff.id, "offer added");
    let offer = saved(&state, staff.dealer_id, id).await?;
    Ok((StatusCode::CREATED, axum::Json(offer)))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/offers/{id}",
    tag = "console",
    params(("id" = i64, Path, description = "优惠编号")),
    request_body = OfferDraft,
    responses(
        (status = 200, description = "已保存", body = StaffOffer),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店没有该优惠", body = ErrorBody),
        (status = 422, description = "字段不符合规则，或车系、车型、门店不属于本店", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
    Json(draft): Json<OfferDraft>,
) -> Result<axum::Json<StaffOffer>, Error> {
    let draft = draft.validate().map_err(Error::Unprocessable)?;
    offers::update(&state.db, &staff, id, &draft)
        .await?
        .ok_or_else(|| Error::NotFound("未找到该优惠".into()))?
        .map_err(refused)?;
    Ok(axum::Json(saved(&state, staff.dealer_id, id).await?))
}

#[utoipa::path(
    delete,
    path = "/api/v1/console/offers/{id}",
    tag = "console",
    params(("id" = i64, Path, description = "优惠编号")),
    responses(
        (status = 204, description = "已删除；顾客页面随即不再显示"),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店没有该优惠", body = ErrorBody),
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
) -> Result<StatusCode, Error> {
    if !offers::remove(&state.db, &staff, id).await? {
        return Err(Error::NotFound("未找到该优惠".into()));
    }
    state.catalogue.refresh().await?;
    Ok(StatusCode::NO_CONTENT)
}
