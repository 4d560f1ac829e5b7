//! The console's own catalogue entries (managers, admins): a series' trims, a trim's sheet, and
//! adding and editing the dealer's own series, trims and specs (`own_catalog`). Platform entries
//! answer read-only (403 `read_only`); another dealer's own are 404.

use axum::extract::State;
use axum::http::StatusCode;
use shared::catalog_edit::{BrandChoice, SeriesForm, SeriesTrims, SpecEdits, TrimForm, TrimSheet};
use shared::{ApiError, ErrorBody};

use super::extract::Manager;
use super::{AppState, Error, Json, Path};
use crate::own_catalog::{self, Refused};

impl From<Refused> for Error {
    fn from(r: Refused) -> Self {
        match r {
            Refused::NotFound(what) => Error::NotFound(what.into()),
            Refused::ReadOnly => Error::Denied(ApiError {
                code: "read_only".into(),
                message: "平台车型库的车系和车型为只读，请新增自有车型".into(),
                field: None,
            }),
            Refused::Invalid(e) => Error::Unprocessable(e),
            Refused::Database(e) => Error::Database(e),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/console/catalog/brands",
    tag = "console",
    responses(
        (status = 200, description = "可新增自有车系的品牌", body = [BrandChoice]),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
    )
)]
pub async fn brands(
    State(state): State<AppState>,
    Manager(_staff): Manager,
) -> Result<axum::Json<Vec<BrandChoice>>, Error> {
    Ok(axum::Json(own_catalog::brands(&state.db).await?))
}

async fn series_answer(state: &AppState, dealer_id: i64, id: &str) -> Result<SeriesTrims, Error> {
    own_catalog::series_trims(&state.db, dealer_id, id)
        .await?
        .ok_or_else(|| Error::NotFound("没有该车系".into()))
}

async fn trim_answer(state: &AppState, dealer_id: i64, id: &str) -> Result<TrimSheet, Error> {
    own_catalog::trim_sheet(&state.db, dealer_id, id)
        .await?
        .ok_or_else(|| Error::NotFound("没有该车型".into()))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/catalog/series",
    tag = "console",
    request_body = SeriesForm,
    responses(
        (status = 201, description = "已新增自有车系并上架", body = SeriesTrims),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 422, description = "品牌、名称、能源类型或指导价不符合规则（field 为字段）", body = ErrorBody),
    )
)]
pub async fn add_series(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Json(form): Json<SeriesForm>,
) -> Result<(StatusCode, axum::Json<SeriesTrims>), Error> {
    let id = own_catalog::add_series(&state.db, staff.dealer_id, &form).await?;
    state.catalogue.refresh().await?;
    tracing::info!(staff = staff.id, series = %id, "own series added");
    Ok((
        StatusCode::CREATED,
        axum::Json(series_answer(&state, staff.dealer_id, &id).await?),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/catalog/series/{series}",
    tag = "console",
    params(("series" = String, Path, description = "车系标识")),
    responses(
        (status = 200, description = "车系及其车型（自有的可编辑）", body = SeriesTrims),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "没有该车系", body = ErrorBody),
    )
)]
pub async fn series(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(series): Path<String>,
) -> Result<axum::Json<SeriesTrims>, Error> {
    Ok(axum::Json(
        series_answer(&state, staff.dealer_id, &series).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/catalog/series/{series}/details",
    tag = "console",
    params(("series" = String, Path, description = "自有车系标识")),
    request_body = SeriesForm,
    responses(
        (status = 200, description = "已保存", body = SeriesTrims),
        (status = 403, description = "仅经理和管理员；平台车系只读（read_only）", body = ErrorBody),
        (status = 404, description = "没有该车系", body = ErrorBody),
        (status = 422, description = "字段不符合规则", body = ErrorBody),
    )
)]
pub async fn save_series(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(series): Path<String>,
    Json(form): Json<SeriesForm>,
) -> Result<axum::Json<SeriesTrims>, Error> {
    own_catalog::save_series(&state.db, staff.dealer_id, &series, &form).await?;
    state.catalogue.refresh().await?;
    Ok(axum::Json(
        series_answer(&state, staff.dealer_id, &series).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/catalog/series/{series}/trims",
    tag = "console",
    params(("series" = String, Path, description = "车系标识（自有或平台）")),
    request_body = TrimForm,
    responses(
        (status = 201, description = "已新增自有车型并上架", body = TrimSheet),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "没有该车系", body = ErrorBody),
        (status = 422, description = "字段不符合规则", body = ErrorBody),
    )
)]
pub async fn add_trim(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(series): Path<String>,
    Json(form): Json<TrimForm>,
) -> Result<(StatusCode, axum::Json<TrimSheet>), Error> {
    let id = own_catalog::add_trim(&state.db, staff.dealer_id, &series, &form).await?;
    state.catalogue.refresh().await?;
    tracing::info!(staff = staff.id, trim = %id, "own trim added");
    Ok((
        StatusCode::CREATED,
        axum::Json(trim_answer(&state, staff.dealer_id, &id).await?),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/catalog/trims/{trim}",
    tag = "console",
    params(("trim" = String, Path, description = "车型标识")),
    responses(
        (status = 200, description = "车型、参数及参数表布局", body = TrimSheet),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "没有该车型", body = ErrorBody),
    )
)]
pub async fn trim(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(trim): Path<String>,
) -> Result<axum::Json<TrimSheet>, Error> {
    Ok(axum::Json(
        trim_answer(&state, staff.dealer_id, &trim).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/catalog/trims/{trim}",
    tag = "console",
    params(("trim" = String, Path, description = "自有车型标识")),
    request_body = TrimForm,
    responses(
        (status = 200, description = "已保存", body = TrimSheet),
        (status = 403, description = "仅经理和管理员；平台车型只读（read_only）", body = ErrorBody),
        (status = 404, description = "没有该车型", body = ErrorBody),
        (status = 422, description = "字段不符合规则", body = ErrorBody),
    )
)]
pub async fn save_trim(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(trim): Path<String>,
    Json(form): Json<TrimForm>,
) -> Result<axum::Json<TrimSheet>, Error> {
    own_catalog::save_trim(&state.db, staff.dealer_id, &trim, &form).await?;
    state.catalogue.refresh().await?;
    Ok(axum::Json(
        trim_answer(&state, staff.dealer_id, &trim).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/catalog/trims/{trim}/specs",
    tag = "console",
    params(("trim" = String, Path, description = "自有车型标识")),
    request_body = SpecEdits,
    responses(
        (status = 200, description = "已保存改动的参数（空值为未知）", body = TrimSheet),
        (status = 403, description = "仅经理和管理员；平台车型只读（read_only）", body = ErrorBody),
        (status = 404, description = "没有该车型", body = ErrorBody),
        (status = 422, description = "参数值不符合该项的类型（field 为参数项）", body = ErrorBody),
    )
)]
pub async fn save_specs(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(trim): Path<String>,
    Json(edits): Json<SpecEdits>,
) -> Result<axum::Json<TrimSheet>, Error> {
    own_catalog::save_specs(&state.db, staff.dealer_id, &trim, &edits).await?;
    state.catalogue.refresh().await?;
    Ok(axum::Json(
        trim_answer(&state, staff.dealer_id, &trim).await?,
    ))
}
