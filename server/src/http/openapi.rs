//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` attributes and
//! served at `/api/v1/openapi.json`, completed with the answers the edge gives any operation
//! (a bad address, a body that is not JSON or too large, no session, a cross-site write).

use shared::filter::Sort;
use shared::offer::OfferGroup;
use shared::{ApiError, ErrorBody};
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Chelink API",
        description = "车链：经销商H5的车型库、对比、购车计算器与智能选车接口。所有拒绝都是4xx，正文为 {\"error\":{\"code\",\"message\",\"field\"}}。"
    ),
    components(schemas(ErrorBody, ApiError, Sort, OfferGroup)),
    tags(
        (name = "catalogue", description = "经销商、车型库、车系与对比"),
        (name = "activities", description = "本店活动（试驾会、车主讲堂、新车上市）与在线报名"),
        (name = "calculator", description = "购车计算器"),
        (name = "selection", description = "智能选车"),
        (name = "wechat", description = "微信 JS-SDK 签名与分享卡片"),
        (name = "showcase", description = "顾问名片：顾问展厅与访客的专属顾问"),
        (name = "staff", description = "员工：添加、角色与门店、重置密码（一次性登录链接）、停用与变更记录"),
    )
)]
pub struct ApiDoc;

/// The document of every API route (the router registers the same handlers).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = super::api_router().split_for_parts().1;
    complete(&mut doc);
    doc
}

/// Adds to every operation the answers our edge gives it wherever its handler does not
/// describe them itself: 400 for an address (or a body) that cannot be read, 413 and 422 for a
/// JSON body, 404 where the path names something, and for the staff console 401 without a
/// session and 403 for a write from another site.
pub fn complete(doc: &mut utoipa::openapi::OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let console = path.starts_with("/api/v1/console/");
        // Signing in, and opening a one-time sign-in link, need no session.
        let sign_in =
            path == "/api/v1/console/session" || path.starts_with("/api/v1/console/sign-in-links/");
        let named = path.contains('{');
        let operations = [
            (false, item.get.as_mut()),
            (false, item.head.as_mut()),
            (true, item.post.as_mut()),
            (true, item.put.as_mut()),
            (true, item.patch.as_mut()),
            (true, item.delete.as_mut()),
        ];
        for (write, operation) in operations {
            let Some(operation) = operation else { continue };
            if operation.request_body.is_some() {
                add(
                    operation,
                    "400",
                    "请求内容不是有效的JSON（bad_json），或网址、查询参数无效（field 指明）",
                );
                add(operation, "413", "请求内容超过64KB（too_large）");
                add(
                    operation,
                    "422",
                    "字段缺失、类型不对、含控制字符或不符合规则（field 指明）",
                );
            } else {
                add(operation, "400", "网址或查询参数无效：含控制字符、不是UTF-8或类型不对（bad_request、invalid，field 指明）");
            }
            if named {
                add(operation, "404", "网址所指的对象不存在或不可见");
            }
            if console && !sign_in {
                add(operation, "401", "请先登录（unauthorized）");
            }
            if console && write {
                add(operation, "403", "拒绝来自其他网站的请求（cross_site）");
            }
        }
    }
}

/// The error answer `status` with `description`, unless the operation describes it already.
fn add(operation: &mut Operation, status: &str, description: &str) {
    let responses = &mut operation.responses.responses;
    if responses.contains_key(status) {
        return;
    }
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    let response = ResponseBuilder::new()
        .description(description)
        .content("application/json", content)
        .build();
    responses.insert(status.to_string(), response.into());
}
