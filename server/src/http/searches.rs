//! 热门搜索: `POST /api/v1/dealers/{dealer}/searches` records a buyer's catalogue search
//! (a signed-in staff member's is not counted, nor one that finds nothing the dealer sells),
//! and `GET .../hot-searches` answers the most searched queries of the last seven days.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum_extra::extract::PrivateCookieJar;
use shared::catalog::SeriesSummary;
use shared::filter::matches_query;
use shared::search::{HotSearches, SearchMade, HOT_SHOWN};
use shared::ErrorBody;

use super::extract::Dealer;
use super::visitor::Visitor;
use super::{AppState, Error, Json};
use crate::catalog::{self, Scope};
use crate::clock::Clock;
use crate::searches;
use crate::staff::Staff;

/// The series the dealer sells today, kept with the catalogue's answers.
async fn on_sale(
    state: &AppState,
    slug: &str,
    dealer_id: i64,
) -> Result<Arc<Vec<SeriesSummary>>, Error> {
    let build = async move {
        let today = Clock::now().today();
        let lineup = catalog::lineup(&state.db, dealer_id, Scope::All, today).await?;
        Ok(lineup.summaries())
    };
    state.catalogue.summaries(slug, build).await
}

#[utoipa::path(
    post,
    path = "/api/v1/dealers/{dealer}/searches",
    tag = "catalogue",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    request_body = SearchMade,
    responses(
        (status = 204, description = "已记录（工作人员的搜索、找不到在售车系的搜索不计入热门搜索）"),
        (status = 404, description = "经销商不存在", body = ErrorBody),
        (status = 422, description = "搜索内容为空、超过20个字或含不可见字符（field = q）", body = ErrorBody),
    )
)]
pub async fn record(
    State(state): State<AppState>,
    Dealer { slug, record }: Dealer,
    staff: Option<Staff>,
    visitor: Visitor,
    jar: PrivateCookieJar,
    Json(search): Json<SearchMade>,
) -> Result<impl IntoResponse, Error> {
    let query = search.normalized().map_err(Error::Unprocessable)?;
    // A staff member's search is not counted, nor one that finds nothing on sale.
    let counted = staff.is_none()
        && on_sale(&state, &slug, record.id)
            .await?
            .iter()
            .any(|s| matches_query(s, &query));
    if counted {
        searches::record(
            &state.db,
            record.id,
            &query,
            &visitor.id,
            Clock::now().millis,
        )
        .await?;
    }
    // The visitor keeps its id, so its next search is not counted as another person's.
    Ok((visitor.save(jar, &slug), StatusCode::NO_CONTENT))
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/hot-searches",
    tag = "catalogue",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "近7天顾客搜索最多、且能找到在售车系的搜索词（最多8个；缓存5分钟）", body = HotSearches),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn hot(
    State(state): State<AppState>,
    Dealer { slug, record }: Dealer,
) -> Result<impl IntoResponse, Error> {
    let series = on_sale(&state, &slug, record.id).await?;
    let queries = searches::hot(&state.db, record.id, Clock::now().millis)
        .await?
        .into_iter()
        .filter(|q| series.iter().any(|s| matches_query(s, q)))
        .take(HOT_SHOWN)
        .collect();
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=300")],
        axum::Json(HotSearches { queries }),
    ))
}
