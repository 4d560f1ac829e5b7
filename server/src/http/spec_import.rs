//! The console's spec-sheet imports (managers, admins): upload a 参数配置表 (multipart: `series`
//! and `file`) for a preview, confirm it, list the imports, undo one (`spec_import`).

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::StatusCode;
use shared::spec_import::SpecImport;
use shared::spec_sheet::MAX_BYTES;
use shared::{ApiError, ErrorBody};

use super::extract::Manager;
use super::{AppState, Error, Path};
use crate::clock::Clock;
use crate::spec_import::{self, ImportRefused};

impl From<ImportRefused> for Error {
    fn from(r: ImportRefused) -> Self {
        match r {
            ImportRefused::NotFound(what) => Error::NotFound(what.into()),
            ImportRefused::BadSheet(message) => {
                Error::Unprocessable(ApiError::invalid("file", message))
            }
            ImportRefused::Conflict(message) => Error::Conflict(ApiError {
                code: "conflict".into(),
                message,
                field: None,
            }),
            ImportRefused::Database(e) => Error::Database(e),
        }
    }
}

fn too_large() -> Error {
    Error::FileTooLarge(ApiError {
        code: "too_large".into(),
        message: "参数表文件超过 5MB".into(),
        field: Some("file".into()),
    })
}

fn bad_upload(message: &str) -> Error {
    Error::BadRequest(ApiError::invalid("file", message))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/catalog/imports",
    tag = "console",
    request_body(content_type = "multipart/form-data", description = "series：车系标识；file：参数配置表（XLSX，或 UTF-8、GBK 编码的 CSV，5MB 以内）"),
    responses(
        (status = 201, description = "预览：匹配、未识别、冲突的参数及单元格错误；确认前不写入", body = SpecImport),
        (status = 400, description = "没有上传文件或车系", body = ErrorBody),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "没有该车系", body = ErrorBody),
        (status = 413, description = "参数表超过 5MB（too_large，field = file）", body = ErrorBody),
        (status = 422, description = "不是参数表、空表或没有车型列（field = file）", body = ErrorBody),
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    Manager(staff): Manager,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, axum::Json<SpecImport>), Error> {
    let mut multipart = multipart.map_err(|_| bad_upload("请以表单方式上传参数表文件"))?;
    let (mut series, mut file) = (None::<String>, None::<(String, Vec<u8>)>);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(bad_upload("文件没有上传完整，请重试")),
        };
        let name = field.name().map(str::to_string);
        match name.as_deref() {
            Some("series") => {
                series = Some(
                    field
                        .text()
                        .await
                        .map_err(|_| bad_upload("车系没有上传完整"))?,
                );
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("参数表").to_string();
                let bytes = field.bytes().await.map_err(|e| match e.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => too_large(),
                    _ => bad_upload("文件没有上传完整，请重试"),
                })?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let series = series
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| Error::BadRequest(ApiError::invalid("series", "请选择车系")))?;
    let (name, bytes) = file.ok_or_else(|| bad_upload("请选择参数表文件"))?;
    if bytes.len() > MAX_BYTES {
        return Err(too_large());
    }
    if bytes.is_empty() {
        return Err(Error::Unprocessable(ApiError::invalid(
            "file",
            "参数表是空的",
        )));
    }
    // Unzipping and parsing is CPU work: off the async threads.
    let grid = tokio::task::spawn_blocking(move || spec_import::read_file(&bytes))
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("reading a sheet: {e}")))?
        .map_err(|message| Error::Unprocessable(ApiError::invalid("file", message)))?;
    let preview = spec_import::preview(
        &state.db,
        &staff,
        series.trim(),
        &name,
        &grid,
        Clock::now().millis,
    )
    .await?;
    tracing::info!(
        staff = staff.id,
        import = preview.id,
        changes = preview.plan.changes.len(),
        "spec sheet previewed"
    );
    Ok((StatusCode::CREATED, axum::Json(preview)))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/catalog/imports",
    tag = "console",
    responses(
        (status = 200, description = "本店的参数表导入记录（最近 50 条，新的在前），含导入人和时间", body = [SpecImport]),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
    )
)]
pub async fn history(
    State(state): State<AppState>,
    Manager(staff): Manager,
) -> Result<axum::Json<Vec<SpecImport>>, Error> {
    Ok(axum::Json(
        spec_import::history(&state.db, staff.dealer_id).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/catalog/imports/{id}/confirm",
    tag = "console",
    params(("id" = i64, Path, description = "导入记录")),
    responses(
        (status = 200, description = "已写入（没有变化时不写入任何参数）", body = SpecImport),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "没有该导入记录", body = ErrorBody),
        (status = 409, description = "已确认或已撤销，或预览后参数已被修改", body = ErrorBody),
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
) -> Result<axum::Json<SpecImport>, Error> {
    let done = spec_import::confirm(&state.db, staff.dealer_id, id, Clock::now().millis).await?;
    state.catalogue.refresh().await?;
    tracing::info!(staff = staff.id, import = id, "spec sheet imported");
    Ok(axum::Json(done))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/catalog/imports/{id}/undo",
    tag = "console",
    params(("id" = i64, Path, description = "导入记录")),
    responses(
        (status = 200, description = "已撤销：恢复原值，删除导入新建的车型", body = SpecImport),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "没有该导入记录", body = ErrorBody),
        (status = 409, description = "未确认、已撤销，或导入后已被修改，无法撤销（message 说明原因）", body = ErrorBody),
    )
)]
pub async fn undo(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
) -> Result<axum::Json<SpecImport>, Error> {
    let done = spec_import::undo(&state.db, staff.dealer_id, id, Clock::now().millis).await?;
    state.catalogue.refresh().await?;
    tracing::info!(staff = staff.id, import = id, "spec sheet undone");
    Ok(axum::Json(done))
}
