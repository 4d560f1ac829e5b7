//! `/api/v1/console/settings...` (admins; 403 for others): the dealer's 门店资料 and 报价设置,
//! each form validated by its `shared::settings` rule (422 with the field), and the logo (a
//! PNG or JPEG body, 2 MiB at most); `GET /api/v1/dealers/{dealer}/logo.png` serves the logo
//! to everyone, cached for good under its versioned address. Queries are `crate::settings`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use shared::settings::{DealerSettings, QuoteSettings, StoreProfile};
use shared::{ApiError, ErrorBody};

use super::extract::{Admin, Dealer};
use super::{AppState, Error, Json};
use crate::settings::{self, LogoRefused};

#[utoipa::path(
    get,
    path = "/api/v1/console/settings",
    tag = "console",
    responses(
        (status = 200, description = "门店资料与报价设置", body = DealerSettings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
    )
)]
pub async fn read(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<axum::Json<DealerSettings>, Error> {
    Ok(axum::Json(
        settings::load(&state.db, admin.dealer_id).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/settings/profile",
    tag = "console",
    request_body = StoreProfile,
    responses(
        (status = 200, description = "已保存；顾客页面立即显示新资料；隐私联系方式变更后说明生成新版本", body = DealerSettings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
        (status = 422, description = "资料不符合规则（field 指明字段）", body = ErrorBody),
    )
)]
pub async fn save_profile(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Json(profile): Json<StoreProfile>,
) -> Result<axum::Json<DealerSettings>, Error> {
    profile.validate().map_err(Error::Unprocessable)?;
    settings::save_profile(&state.db, admin.dealer_id, &profile).await?;
    tracing::info!(
        admin = admin.id,
        dealer = admin.dealer_id,
        "store profile saved"
    );
    Ok(axum::Json(
        settings::load(&state.db, admin.dealer_id).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/settings/quote",
    tag = "console",
    request_body = QuoteSettings,
    responses(
        (status = 200, description = "已保存；所有顾客报价立即按新设置计算", body = DealerSettings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
        (status = 422, description = "设置不符合规则（field 指明字段；车船税超出国家税额幅度时为 vessel_tax_rates）", body = ErrorBody),
    )
)]
pub async fn save_quote(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Json(quote): Json<QuoteSettings>,
) -> Result<axum::Json<DealerSettings>, Error> {
    quote.validate().map_err(Error::Unprocessable)?;
    settings::save_quote(&state.db, admin.dealer_id, &quote).await?;
    tracing::info!(
        admin = admin.id,
        dealer = admin.dealer_id,
        "quote settings saved"
    );
    Ok(axum::Json(
        settings::load(&state.db, admin.dealer_id).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/settings/logo",
    tag = "console",
    request_body(content = Vec<u8>, description = "PNG 或 JPEG 图片（不超过 2MB）", content_type = "image/png"),
    responses(
        (status = 200, description = "已保存（缩放到 256 像素以内并转为 PNG），logo_url 为新地址", body = DealerSettings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "仅管理员", body = ErrorBody),
        (status = 413, description = "超过 2MB（too_large，field 为 logo）", body = ErrorBody),
        (status = 422, description = "不是 PNG 或 JPEG 图片（field 为 logo）", body = ErrorBody),
    )
)]
pub async fn save_logo(
    State(state): State<AppState>,
    Admin(admin): Admin,
    body: Result<Bytes, BytesRejection>,
) -> Result<axum::Json<DealerSettings>, Error> {
    // Past the route's limit (axum's own answer would be plain text): ours.
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        _ => Error::BadRequest(ApiError::invalid("logo", "图片没有上传完整，请重试")),
    })?;
    // Decoding and resizing is CPU work: off the async threads.
    let png = tokio::task::spawn_blocking(move || settings::fit_logo(&body))
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("fitting a logo: {e}")))?;
    let png = match png {
        Ok(png) => png,
        Err(LogoRefused::TooLarge) => return Err(too_large()),
        Err(LogoRefused::NotAnImage) => {
            return Err(Error::Unprocessable(ApiError::invalid(
                "logo",
                "请上传 PNG 或 JPEG 格式的图片",
            )))
        }
    };
    settings::save_logo(&state.db, admin.dealer_id, &png).await?;
    tracing::info!(
        admin = admin.id,
        dealer = admin.dealer_id,
        bytes = png.len(),
        "logo saved"
    );
    Ok(axum::Json(
        settings::load(&state.db, admin.dealer_id).await?,
    ))
}

fn too_large() -> Error {
    Error::FileTooLarge(ApiError {
        code: "too_large".into(),
        message: "图片不能超过 2MB，请压缩后再上传".into(),
        field: Some("logo".into()),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/dealers/{dealer}/logo.png",
    tag = "catalogue",
    params(("dealer" = String, Path, description = "经销商标识（slug）")),
    responses(
        (status = 200, description = "经销商标志（PNG；地址带版本号，可长期缓存）", content_type = "image/png"),
        (status = 404, description = "经销商不存在或尚未上传标志", body = ErrorBody),
    )
)]
pub async fn logo(
    State(state): State<AppState>,
    Dealer { record, .. }: Dealer,
) -> Result<impl IntoResponse, Error> {
    let png = settings::logo(&state.db, record.id)
        .await?
        .ok_or_else(|| Error::NotFound("尚未上传标志".into()))?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        "image/png".parse().expect("a header value"),
    );
    // The address changes with every upload (`?v=`): what was fetched never goes stale.
    headers.insert(
        header::CACHE_CONTROL,
        "public, max-age=31536000, immutable"
            .parse()
            .expect("a header value"),
    );
    Ok((headers, png))
}
