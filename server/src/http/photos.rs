//! `/api/v1/console/catalog/photos/...` (managers and admins): a series' photos (cover,
//! gallery) and a trim's colours uploaded as multipart forms, listed and deleted, each write
//! bumping the catalogue version; and `GET /media/{hash}-{width}.webp`, the stored files
//! served immutable to everyone from the media store. Queries and the pipeline are
//! `crate::photos`.

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::photo::{DealerPhoto, GalleryOrder, PhotoKind, SeriesPhotos, MAX_UPLOAD_BYTES};
use shared::{ApiError, ErrorBody};

use super::extract::Manager;
use super::{AppState, Error, Json, Path};
use crate::catalog;
use crate::photos::{self, NewPhoto, Refused};

/// The form of a series' photo.
#[derive(utoipa::ToSchema)]
#[expect(dead_code, reason = "the OpenAPI description of a multipart form")]
pub struct SeriesUpload {
    /// cover（封面，替换原封面）或 gallery（图集）
    kind: PhotoKind,
    /// JPEG、PNG 或 WebP，不超过 10MB
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The form of a trim's colour.
#[derive(utoipa::ToSchema)]
#[expect(dead_code, reason = "the OpenAPI description of a multipart form")]
pub struct ColourUpload {
    /// 颜色名称，如 冰川白（1–20 字）
    #[schema(min_length = 1, max_length = 20)]
    colour: String,
    /// JPEG、PNG 或 WebP，不超过 10MB
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The route's body limit: the file and the form around it.
pub const UPLOAD_LIMIT: usize = MAX_UPLOAD_BYTES + 64 * 1024;

#[utoipa::path(
    get,
    path = "/api/v1/console/catalog/photos/series/{series}",
    tag = "console",
    params(("series" = String, Path, description = "车系标识")),
    responses(
        (status = 200, description = "本店该车系的图片：封面、图集、各车型颜色", body = SeriesPhotos),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店未在售该车系", body = ErrorBody),
    )
)]
pub async fn series_photos(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(series): Path<String>,
) -> Result<axum::Json<SeriesPhotos>, Error> {
    let name = sold(&state, staff.dealer_id, &series).await?;
    listed(&state, staff.dealer_id, series, name)
        .await
        .map(axum::Json)
}

/// The name of `series` when the dealer sells it; else 404 (photos are of what it sells).
async fn sold(state: &AppState, dealer_id: i64, series: &str) -> Result<String, Error> {
    catalog::series_sold(&state.db, dealer_id, series)
        .await?
        .ok_or_else(not_sold)
}

/// The dealer's photos of `series` (named `name`) as the console lists them.
async fn listed(
    state: &AppState,
    dealer_id: i64,
    series: String,
    name: String,
) -> Result<SeriesPhotos, Error> {
    let trims = photos::trims_sold(&state.db, dealer_id, &series).await?;
    Ok(SeriesPhotos {
        photos: photos::of_series(&state.db, dealer_id, &series).await?,
        series_id: series,
        series_name: name,
        trims,
    })
}

#[utoipa::path(
    put,
    path = "/api/v1/console/catalog/photos/series/{series}/gallery",
    tag = "console",
    params(("series" = String, Path, description = "车系标识")),
    request_body = GalleryOrder,
    responses(
        (status = 200, description = "图集已按新顺序排列；本店该车系的全部图片", body = SeriesPhotos),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店未在售该车系", body = ErrorBody),
        (status = 422, description = "顺序没有恰好列出图集的每张图片（field = order）", body = ErrorBody),
    )
)]
pub async fn order_gallery(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(series): Path<String>,
    Json(order): Json<GalleryOrder>,
) -> Result<axum::Json<SeriesPhotos>, Error> {
    let name = sold(&state, staff.dealer_id, &series).await?;
    photos::order_gallery(&state.db, staff.dealer_id, &series, &order)
        .await?
        .map_err(Error::Unprocessable)?;
    state.catalogue.refresh().await?;
    listed(&state, staff.dealer_id, series, name)
        .await
        .map(axum::Json)
}

#[utoipa::path(
    post,
    path = "/api/v1/console/catalog/photos/series/{series}",
    tag = "console",
    params(("series" = String, Path, description = "车系标识")),
    request_body(content = inline(SeriesUpload), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "已保存为 WebP（三种宽度，去除 EXIF 与定位），顾客页面随即显示", body = DealerPhoto),
        (status = 400, description = "不是表单上传，或缺少 file / kind（field 指明）", body = ErrorBody),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店未在售该车系", body = ErrorBody),
        (status = 413, description = "图片超过 10MB", body = ErrorBody),
        (status = 415, description = "不支持的格式（GIF、SVG、HEIC 等；只收 JPEG、PNG、WebP）", body = ErrorBody),
        (status = 422, description = "不是有效图片、夹带其他内容、尺寸过大（解压炸弹）或过小", body = ErrorBody),
    )
)]
pub async fn upload_series_photo(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(series): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, axum::Json<DealerPhoto>), Response> {
    let form = read_form(form).await?;
    let kind = match form
        .text("kind")
        .map_err(IntoResponse::into_response)?
        .as_str()
    {
        "cover" => PhotoKind::Cover,
        "gallery" => PhotoKind::Gallery,
        _ => {
            return Err(Error::BadRequest(ApiError::invalid(
                "kind",
                "kind 应为 cover（封面）或 gallery（图集）",
            ))
            .into_response())
        }
    };
    sold(&state, staff.dealer_id, &series)
        .await
        .map_err(IntoResponse::into_response)?;
    let new = NewPhoto {
        dealer_id: staff.dealer_id,
        series_id: series,
        kind,
        colour: None,
        photo: store(&state, form.file().map_err(IntoResponse::into_response)?).await?,
        staff_id: staff.id,
    };
    saved(&state, new).await
}

#[utoipa::path(
    post,
    path = "/api/v1/console/catalog/photos/trims/{trim}",
    tag = "console",
    params(("trim" = String, Path, description = "车型标识")),
    request_body(content = inline(ColourUpload), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "已保存该车型的颜色图片，车型页随即显示", body = DealerPhoto),
        (status = 400, description = "不是表单上传，或缺少 file / colour", body = ErrorBody),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店未在售该车型", body = ErrorBody),
        (status = 413, description = "图片超过 10MB", body = ErrorBody),
        (status = 415, description = "不支持的格式（只收 JPEG、PNG、WebP）", body = ErrorBody),
        (status = 422, description = "颜色名称不符合规则（field = colour），或图片无效、夹带其他内容、尺寸过大或过小", body = ErrorBody),
    )
)]
pub async fn upload_trim_colour(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(trim): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, axum::Json<DealerPhoto>), Response> {
    let form = read_form(form).await?;
    let colour = form.text("colour").map_err(IntoResponse::into_response)?;
    shared::photo::check_colour(&colour).map_err(|e| Error::Unprocessable(e).into_response())?;
    let series = catalog::trim_sold(&state.db, staff.dealer_id, &trim)
        .await
        .map_err(|e| Error::from(e).into_response())?
        .ok_or_else(|| Error::NotFound("本店未在售该车型".into()).into_response())?;
    let new = NewPhoto {
        dealer_id: staff.dealer_id,
        series_id: series,
        kind: PhotoKind::Colour,
        colour: Some((trim, colour.trim().to_string())),
        photo: store(&state, form.file().map_err(IntoResponse::into_response)?).await?,
        staff_id: staff.id,
    };
    saved(&state, new).await
}

#[utoipa::path(
    delete,
    path = "/api/v1/console/catalog/photos/{id}",
    tag = "console",
    params(("id" = i64, Path, description = "图片编号")),
    responses(
        (status = 204, description = "已删除，顾客页面随即不再显示"),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店没有这张图片", body = ErrorBody),
    )
)]
pub async fn delete_photo(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<i64>,
) -> Result<StatusCode, Error> {
    if !photos::delete(&state.db, staff.dealer_id, id).await? {
        return Err(Error::NotFound("本店没有这张图片".into()));
    }
    state.catalogue.refresh().await?;
    tracing::info!(
        staff = staff.id,
        dealer = staff.dealer_id,
        id,
        "photo deleted"
    );
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /media/{hash}-{width}.webp`: a stored file, the same bytes forever.
pub async fn media(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let missing = || Error::NotFound("图片不存在".into()).into_response();
    if !photos::is_file_name(&name) {
        return missing();
    }
    match state.media.get(&name).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/webp")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => missing(),
        Err(e) => Error::Internal(e).into_response(),
    }
}

fn not_sold() -> Error {
    Error::NotFound("本店未在售该车系，请先在「车型」中上架".into())
}

/// An upload's fields: its texts and its one file.
struct Form {
    texts: Vec<(String, String)>,
    file: Option<Bytes>,
}

impl Form {
    fn text(&self, name: &str) -> Result<String, Error> {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| Error::BadRequest(ApiError::invalid(name, format!("缺少字段 {name}"))))
    }

    fn file(&self) -> Result<Bytes, Error> {
        self.file
            .clone()
            .ok_or_else(|| Error::BadRequest(ApiError::invalid("file", "请选择一张图片")))
    }
}

async fn read_form(form: Result<Multipart, MultipartRejection>) -> Result<Form, Response> {
    let bad = |message: &str| Error::BadRequest(ApiError::invalid("file", message)).into_response();
    let mut form = form.map_err(|_| bad("请以表单（multipart/form-data）上传图片"))?;
    let mut read = Form {
        texts: Vec::new(),
        file: None,
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(bad("图片没有上传完整，请重试")),
        };
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == "file";
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(bad("图片没有上传完整，请重试")),
        };
        if is_file {
            if bytes.len() > MAX_UPLOAD_BYTES {
                return Err(too_large());
            }
            read.file = Some(bytes);
        } else if bytes.len() <= 1024 {
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| bad(&format!("字段 {name} 不是有效的文字")))?;
            read.texts.push((name, text));
        }
    }
    Ok(read)
}

fn too_large() -> Response {
    Error::FileTooLarge(shared::photo::too_large()).into_response()
}

fn refused(status: StatusCode, error: ApiError) -> Response {
    (status, axum::Json(ErrorBody { error })).into_response()
}

/// Runs the pipeline off the async workers and stores every width; a refusal stores nothing.
async fn store(state: &AppState, upload: Bytes) -> Result<shared::photo::Photo, Response> {
    let processed = tokio::task::spawn_blocking(move || photos::process(&upload))
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("processing a photo: {e}")).into_response())?;
    let processed = processed.map_err(|why| {
        let status = match why {
            Refused::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refused::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let error = ApiError {
            code: why.code().into(),
            message: why.message(),
            field: Some("file".into()),
        };
        refused(status, error)
    })?;
    for (name, bytes) in processed.files {
        state
            .media
            .put(&name, bytes)
            .await
            .map_err(|e| Error::Internal(e).into_response())?;
    }
    Ok(processed.photo)
}

/// Keeps the row, refreshes this instance's answers and answers 201 with the photo.
async fn saved(
    state: &AppState,
    new: NewPhoto,
) -> Result<(StatusCode, axum::Json<DealerPhoto>), Response> {
    let id = photos::add(&state.db, &new)
        .await
        .map_err(|e| Error::from(e).into_response())?;
    state
        .catalogue
        .refresh()
        .await
        .map_err(|e| Error::from(e).into_response())?;
    tracing::info!(
        staff = new.staff_id,
        dealer = new.dealer_id,
        id,
        kind = new.kind.key(),
        "photo saved"
    );
    let (trim_id, colour) = match new.colour {
        Some((trim, colour)) => (Some(trim), Some(colour)),
        None => (None, None),
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(DealerPhoto {
            id,
            kind: new.kind,
            trim_id,
            colour,
            photo: new.photo,
        }),
    ))
}
