//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` attributes and
//! served at `/api/v1/openapi.json`.

use shared::filter::Sort;
use shared::{ApiError, ErrorBody};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Chelink API",
        description = "车链：经销商H5的车型库、对比、购车计算器与智能选车接口。所有拒绝都是4xx，正文为 {\"error\":{\"code\",\"message\",\"field\"}}。"
    ),
    components(schemas(ErrorBody, ApiError, Sort)),
    tags(
        (name = "catalogue", description = "经销商、车型库、车系与对比"),
        (name = "calculator", description = "购车计算器"),
        (name = "selection", description = "智能选车"),
        (name = "wechat", description = "微信 JS-SDK 签名与分享卡片"),
        (name = "showcase", description = "顾问名片：顾问展厅与访客的专属顾问"),
    )
)]
pub struct ApiDoc;

/// The document of every API route (the router registers the same handlers).
pub fn document() -> utoipa::openapi::OpenApi {
    super::api_router().split_for_parts().1
}
