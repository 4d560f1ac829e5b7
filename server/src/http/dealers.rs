//! `GET /api/v1/dealers/{dealer}`: what the home page needs in one request (from the ready
//! answers of `http::cache`), and `GET /api/v1/dealers/{dealer}/terms`: what every price the
//! dealer shows depends on.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use shared::catalog::DealerHome;
use shared::quote::DealerTerms;
use shared::ErrorBody;

use super::cache::{Answer, Ready};
use super::extract::Dealer;
use super::Path;
use super::{AppState, Error};
use crate::catalog::{self, Scope};
use crate::clock::Clock;

/// The dealer, its stores and its featured series.
#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}",
    tag = "catalogue",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "经销商首页（带 ETag；If-None-Match 相同时 304）", body = DealerHome),
        (status = 304, description = "未变化"),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn home(
    State(state): State<AppState>,
    Path(dealer): Path<String>,
    headers: HeaderMap,
) -> Response {
    let build = build_home(&state, &dealer);
    state
        .catalogue
        .serve(&dealer, Answer::Home, &headers, build)
        .await
}

async fn build_home(state: &AppState, dealer: &str) -> Result<Ready, Error> {
    let record = Dealer::find(state, dealer).await?;
    let stores = catalog::stores(&state.db, record.id).await?;
    let lineup =
        catalog::lineup(&state.db, record.id, Scope::Featured, Clock::now().today()).await?;
    let featured = lineup.summaries();
    let series_on_sale = catalog::series_on_sale(&state.db, record.id).await?;
    Ready::json(&DealerHome {
        dealer: record.dealer,
        stores,
        featured,
        series_on_sale,
    })
    .await
}

/// The dealer's quoting terms: its province's 车船税 amounts and its default loan rate. The
/// calculator, the model page and the comparison fetch it beside their own data.
#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/terms",
    tag = "calculator",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "车船税税额与默认贷款利率", body = DealerTerms),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn terms(Dealer { record, .. }: Dealer) -> axum::Json<DealerTerms> {
    axum::Json(record.terms)
}
