//! `/api/v1/console/prices` (managers): every trim the dealer sells with its price and the
//! days it holds, the change log, and setting one; a change shows on every consumer page at
//! once and ends by itself on its last day.

use axum::extract::State;
use shared::offer::{DealerPrice, PriceBook, TrimPrice};
use shared::ErrorBody;

use super::extract::Manager;
use super::{AppState, Error, Json, Path};
use crate::clock::Clock;
use crate::prices;

#[utoipa::path(
    get,
    path = "/api/v1/console/prices",
    tag = "console",
    responses(
        (status = 200, description = "本店在售车型的报价及有效日期，和最近的改价记录（谁、何时、原价 → 新价）", body = PriceBook),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
    )
)]
pub async fn book(
    State(state): State<AppState>,
    Manager(staff): Manager,
) -> Result<axum::Json<PriceBook>, Error> {
    let book = prices::book(&state.db, staff.dealer_id, Clock::now().today()).await?;
    Ok(axum::Json(book))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/prices/{trim}",
    tag = "console",
    params(("trim" = String, Path, description = "车型标识")),
    request_body = DealerPrice,
    responses(
        (status = 200, description = "已保存并记入改价记录；有效期内车型库、车系、对比与首页随即显示本店价，过期后恢复指导价", body = TrimPrice),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本经销商不售该车型", body = ErrorBody),
        (status = 422, description = "报价须在1元到1000万元之间（field = dealer_price），截止日期不能早于开始日期（field = until）", body = ErrorBody),
    )
)]
pub async fn set(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(trim): Path<String>,
    Json(price): Json<DealerPrice>,
) -> Result<axum::Json<TrimPrice>, Error> {
    price.validate().map_err(Error::Unprocessable)?;
    let saved = prices::set(&state.db, &staff, &trim, &price, Clock::now().millis)
        .await?
        .ok_or_else(|| Error::NotFound("本店不售该车型".into()))?;
    // This instance answers with the new price from the next request; others within a poll.
    state.catalogue.refresh().await?;
    Ok(axum::Json(saved))
}
