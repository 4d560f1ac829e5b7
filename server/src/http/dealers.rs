//! `GET /api/v1/dealers/{dealer}`: what the home page needs in one request, and
//! `GET /api/v1/dealers/{dealer}/terms`: what every price the dealer shows depends on.

use axum::extract::{Path, State};
use shared::catalog::DealerHome;
use shared::quote::DealerTerms;
use shared::ErrorBody;

use super::{dealer_or_404, AppState, Error};
use crate::catalog;

/// The dealer, its stores and its featured series.
#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}",
    tag = "catalogue",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "经销商首页", body = DealerHome),
        (status = 404, description = "经销商不存在", body = ErrorBody),
    )
)]
pub async fn home(
    State(state): State<AppState>,
    Path(dealer): Path<String>,
) -> Result<axum::Json<DealerHome>, Error> {
    let record = dealer_or_404(&state, &dealer).await?;
    let stores = catalog::stores(&state.db, record.id).await?;
    let offer = catalog::offer(&state.db, record.id, None).await?;
    let featured = offer
        .series
        .iter()
        .filter(|s| s.featured)
        .map(|s| offer.summary(s))
        .collect();
    Ok(axum::Json(DealerHome {
        dealer: record.dealer,
        stores,
        featured,
    }))
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
pub async fn terms(
    State(state): State<AppState>,
    Path(dealer): Path<String>,
) -> Result<axum::Json<DealerTerms>, Error> {
    Ok(axum::Json(dealer_or_404(&state, &dealer).await?.terms))
}
