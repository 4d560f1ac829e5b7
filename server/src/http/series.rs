//! `GET /api/v1/dealers/{dealer}/series` (the filtered catalogue) and
//! `GET /api/v1/dealers/{dealer}/series/{series}` (the model page), from the ready answers of
//! `http::cache`.

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use shared::catalog::{BodyType, EnergyType, SeriesDetail, SeriesList};
use shared::compare::trim_steps;
use shared::filter::{CatalogFilter, Sort};
use shared::ErrorBody;

use super::cache::{Answer, Ready};
use super::extract::Dealer;
use super::{AppState, Error};
use super::{Path, Query};
use crate::catalog::{self, Scope};
use crate::clock::Clock;
use crate::offers;

/// The dealer's series after the filters, in the requested order, and the brands it sells.
#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/series",
    tag = "catalogue",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("price_min" = Option<i64>, Query, description = "最低价（元），不高于最高价（高于时 422，field = price_min；JSON Schema 无法表达）", minimum = 0, maximum = 10000000),
        ("price_max" = Option<i64>, Query, description = "最高价（元）", minimum = 0, maximum = 10000000),
        ("energy" = Option<EnergyType>, Query, description = "能源类型"),
        ("body" = Option<BodyType>, Query, description = "车身类型"),
        ("seats" = Option<i64>, Query, description = "至少几座", minimum = 2, maximum = 9),
        ("brand" = Option<String>, Query, description = "品牌标识", max_length = 40, pattern = "^[a-z0-9-]*$"),
        ("q" = Option<String>, Query, description = "中文名、英文名、拼音或拼音首字母，最多40个字", max_length = 40),
        ("sort" = Option<Sort>, Query, description = "排序"),
    ),
    responses(
        (status = 200, description = "车型库（带 ETag；If-None-Match 相同时 304）", body = SeriesList),
        (status = 304, description = "未变化"),
        (status = 400, description = "筛选参数无效（field 指明参数），含控制字符", body = ErrorBody),
        (status = 422, description = "最低价高于最高价（invalid，field = price_min）", body = ErrorBody),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Path(dealer): Path<String>,
    uri: Uri,
    query: Result<Query<Vec<(String, String)>>, Error>,
    headers: HeaderMap,
) -> Response {
    // A value that is no filter is a bad address (400); well-formed values that break the
    // rule between them are a refused request (422).
    let filter = match query.and_then(|Query(pairs)| {
        let filter = CatalogFilter::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(Error::BadRequest)?;
        filter.validate().map_err(Error::Unprocessable)?;
        Ok(filter)
    }) {
        Ok(filter) => filter,
        Err(e) => return e.into_response(),
    };
    let answer = Answer::Series(uri.query().unwrap_or("").to_string());
    let build = build_list(&state, &dealer, filter);
    state
        .catalogue
        .serve(&dealer, answer, &headers, build)
        .await
}

async fn build_list(state: &AppState, dealer: &str, filter: CatalogFilter) -> Result<Ready, Error> {
    let record = Dealer::find(state, dealer).await?;
    let lineup = catalog::lineup(&state.db, record.id, Scope::All, Clock::now().today()).await?;
    let all = lineup.summaries();
    let items: Vec<_> = filter.apply(&all).into_iter().cloned().collect();
    Ready::json(&SeriesList {
        total: items.len() as i64,
        items,
        brands: lineup.brands(),
    })
    .await
}

/// One series with its trims (cheapest guide price first, unknown prices last) and what
/// each step up buys.
#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/series/{series}",
    tag = "catalogue",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("series" = String, Path, description = "车系标识"),
    ),
    responses(
        (status = 200, description = "车系详情（带 ETag；If-None-Match 相同时 304）", body = SeriesDetail),
        (status = 304, description = "未变化"),
        (status = 404, description = "经销商或车系不存在", body = ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<AppState>,
    Path((dealer, series)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let build = build_detail(&state, &dealer, &series);
    let answer = Answer::Detail(series.clone());
    state
        .catalogue
        .serve(&dealer, answer, &headers, build)
        .await
}

async fn build_detail(state: &AppState, dealer: &str, series: &str) -> Result<Ready, Error> {
    let record = Dealer::find(state, dealer).await?;
    let today = Clock::now().today();
    let lineup = catalog::lineup(&state.db, record.id, Scope::Series(series), today).await?;
    let summary = lineup
        .series
        .first()
        .map(|s| lineup.summary(s))
        .ok_or_else(|| Error::NotFound("未找到该车系".into()))?;
    let trims = lineup.series_trims(&summary.id);
    let layout = catalog::layout(&state.db).await?;
    let steps = trim_steps(&layout, &trims);
    let offers =
        offers::current(&state.db, record.id, offers::Scope::Series(series), today).await?;
    let (gallery, colours) =
        crate::photos::for_model_page(&state.db, record.id, &summary.id).await?;
    Ready::json(&SeriesDetail {
        series: summary,
        trims,
        steps,
        offers,
        gallery,
        colours,
    })
    .await
}
