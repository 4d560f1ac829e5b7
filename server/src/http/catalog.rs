//! The console's 车型 (managers): the platform catalogue with what the dealer sells switched
//! on and its featured series; a change shows on every consumer page at once.

use axum::extract::State;
use shared::console::{CatalogSeries, SeriesOnSale};
use shared::ErrorBody;

use super::extract::Manager;
use super::{AppState, Error, Json, Path};
use crate::catalog;

#[utoipa::path(
    get,
    path = "/api/v1/console/catalog/series",
    tag = "console",
    responses(
        (status = 200, description = "平台车型库的车系，及本店是否在售、主推", body = [CatalogSeries]),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
    )
)]
pub async fn series(
    State(state): State<AppState>,
    Manager(staff): Manager,
) -> Result<axum::Json<Vec<CatalogSeries>>, Error> {
    Ok(axum::Json(
        catalog::platform_series(&state.db, staff.dealer_id).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/catalog/series/{series}",
    tag = "console",
    params(("series" = String, Path, description = "车系标识")),
    request_body = SeriesOnSale,
    responses(
        (status = 200, description = "已保存；车型库、首页与选车随即更新", body = CatalogSeries),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "平台车型库没有该车系", body = ErrorBody),
        (status = 422, description = "未上架的车系不能主推（field = featured）", body = ErrorBody),
    )
)]
pub async fn put_on_sale(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(series): Path<String>,
    Json(change): Json<SeriesOnSale>,
) -> Result<axum::Json<CatalogSeries>, Error> {
    change.validate().map_err(Error::Unprocessable)?;
    let saved = catalog::put_on_sale(&state.db, staff.dealer_id, &series, change)
        .await?
        .ok_or_else(|| Error::NotFound("平台车型库没有该车系".into()))?;
    // This instance answers from the new rows at once; others within a poll.
    state.catalogue.refresh().await?;
    Ok(axum::Json(saved))
}
