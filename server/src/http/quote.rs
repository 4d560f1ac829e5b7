//! `POST /api/v1/dealers/{dealer}/quote` (the purchase calculator, exactly
//! `shared::quote::quote` with the dealer's 车船税 amounts) and `POST /api/v1/dealers/{dealer}/recommendations` (smart
//! selection, exactly `shared::select::rank`). Neither writes anything.

use axum::extract::State;
use shared::quote::{Quote, QuoteRequest};
use shared::select::{rank, Answers, Recommendation};
use shared::ErrorBody;

use super::extract::Dealer;
use super::{AppState, Error, Json};
use crate::catalog;
use crate::clock::Clock;

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/quote",
    tag = "calculator",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = QuoteRequest,
    responses(
        (status = 200, description = "落地价明细与贷款", body = Quote),
        (status = 400, description = "请求不是有效的JSON", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
        (status = 413, description = "请求内容超过64KB", body = ErrorBody),
        (status = 422, description = "输入不符合规则（field 指明字段）", body = ErrorBody),
    )
)]
pub async fn quote(
    Dealer { record, .. }: Dealer,
    Json(request): Json<QuoteRequest>,
) -> Result<axum::Json<Quote>, Error> {
    request.validate().map_err(Error::Unprocessable)?;
    let rates = record.terms.vessel_tax.as_ref();
    Ok(axum::Json(shared::quote::quote(&request, rates)))
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/recommendations",
    tag = "selection",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = Answers,
    responses(
        (status = 200, description = "推荐车型，最合适的在前", body = Vec<Recommendation>),
        (status = 400, description = "请求不是有效的JSON", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
        (status = 413, description = "请求内容超过64KB", body = ErrorBody),
        (status = 422, description = "回答不符合规则（field 指明字段），含预算下限高于上限（field = budget）", body = ErrorBody),
    )
)]
pub async fn recommendations(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
    Json(answers): Json<Answers>,
) -> Result<axum::Json<Vec<Recommendation>>, Error> {
    answers.validate().map_err(Error::Unprocessable)?;
    let lineup = catalog::lineup(
        &state.db,
        record.id,
        catalog::Scope::All,
        Clock::now().today(),
    )
    .await?;
    Ok(axum::Json(rank(&answers, &lineup.candidates())))
}
