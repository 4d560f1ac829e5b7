//! `GET /api/v1/dealers/{dealer}/compare?trims=a,b,c`: 1–4 trims side by side in the
//! standard layout; ids the dealer does not sell are dropped and listed. Only those trims are
//! read, and the answer is kept ready by `http::cache`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use shared::compare::{compare, head, parse_trim_ids, Comparison, MAX_COMPARE};
use shared::{ApiError, ErrorBody};

use super::cache::{Answer, Ready};
use super::extract::Dealer;
use super::{AppState, Error};
use super::{Path, Query};
use crate::catalog::{self, Scope};
use crate::clock::Clock;
use crate::offers;

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/compare",
    tag = "catalogue",
    params(
        ("dealer" = String, Path, description = "经销商标识（slug）"),
        ("trims" = String, Query, description = "车型标识，逗号分隔，1到4个", min_length = 1, pattern = "^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+){0,3}$"),
    ),
    responses(
        (status = 200, description = "对比表；未知车型列在 dropped（带 ETag；If-None-Match 相同时 304）", body = Comparison),
        (status = 304, description = "未变化"),
        (status = 404, description = "经销商不存在", body = ErrorBody),
        (status = 422, description = "没有车型或超过4个（field = trims）", body = ErrorBody),
    )
)]
pub async fn compare_trims(
    State(state): State<AppState>,
    Path(dealer): Path<String>,
    query: Result<Query<Vec<(String, String)>>, Error>,
    headers: HeaderMap,
) -> Response {
    let ids = match query.and_then(trim_ids) {
        Ok(ids) => ids,
        Err(e) => return e.into_response(),
    };
    let build = build_comparison(&state, &dealer, &ids);
    let answer = Answer::Compare(ids.clone());
    state
        .catalogue
        .serve(&dealer, answer, &headers, build)
        .await
}

/// The ids asked for, 1 to `MAX_COMPARE`, or 422 on `trims`.
fn trim_ids(Query(pairs): Query<Vec<(String, String)>>) -> Result<Vec<String>, Error> {
    let value = pairs
        .iter()
        .filter(|(k, _)| k == "trims")
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let ids = parse_trim_ids(&value);
    if ids.is_empty() {
        return Err(Error::Unprocessable(ApiError::invalid(
            "trims",
            "请至少选择一个车型进行对比",
        )));
    }
    if ids.len() > MAX_COMPARE {
        return Err(Error::Unprocessable(ApiError::invalid(
            "trims",
            format!("最多同时对比{MAX_COMPARE}个车型"),
        )));
    }
    Ok(ids)
}

async fn build_comparison(state: &AppState, dealer: &str, ids: &[String]) -> Result<Ready, Error> {
    let record = Dealer::find(state, dealer).await?;
    let today = Clock::now().today();
    let lineup = catalog::lineup(&state.db, record.id, Scope::Trims(ids), today).await?;
    let (trims, dropped) = lineup.pick(ids);
    let layout = catalog::layout(&state.db).await?;
    let offers = offers::current(&state.db, record.id, offers::Scope::Trims(ids), today).await?;
    Ready::json(&Comparison {
        groups: compare(&layout, &trims),
        trims: trims.iter().map(head).collect(),
        dropped,
        offers,
    })
    .await
}
