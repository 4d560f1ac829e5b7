//! QR codes of short links: `GET /s/{code}/qr.svg` and `GET /s/{code}/qr.png` encode the
//! link's absolute URL (the configured public origin, else the origin the request came to),
//! drawn by the `qrcode` crate and written as PNG by `image`. A code that is malformed or
//! unknown is a 404; a code's QR never changes, so it is cached for a day. The console's
//! binding codes are drawn by the same `svg_of`.

use std::io::Cursor;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use image::{ImageFormat, Luma};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use shared::link;

use super::Path;
use super::{AppState, Error};
use crate::links;

/// Pixels per QR module in the PNG: a link's code comes out about 330 px square, sharp on a
/// poster and small to send.
const PNG_MODULE_PX: u32 = 10;

/// The absolute URL a code's QR encodes.
async fn link_url(state: &AppState, headers: &HeaderMap, code: &str) -> Result<String, Error> {
    let missing = || Error::NotFound("链接不存在".into());
    if !link::is_code(code) {
        return Err(missing());
    }
    links::open(&state.db, code).await?.ok_or_else(missing)?;
    Ok(format!(
        "{}{}",
        origin(state, headers),
        link::link_path(code)
    ))
}

/// The origin QR codes point at: the configured public origin, else the request's own.
pub fn origin(state: &AppState, headers: &HeaderMap) -> String {
    state
        .public_origin
        .clone()
        .unwrap_or_else(|| super::shell::origin(headers))
}

/// The QR of `url` as an SVG document.
pub fn svg_of(url: &str) -> Result<String, Error> {
    Ok(qr(url)?
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// The QR of a URL; medium error correction keeps it scannable when a poster is creased or
/// a screenshot is compressed.
fn qr(url: &str) -> Result<QrCode, Error> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| Error::Internal(anyhow::anyhow!("QR of {url}: {e}")))
}

fn image_response(content_type: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /s/{code}/qr.svg`
pub async fn svg(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let url = link_url(&state, &headers, &code).await?;
    Ok(image_response("image/svg+xml", svg_of(&url)?.into_bytes()))
}

/// `GET /s/{code}/qr.png`
pub async fn png(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let url = link_url(&state, &headers, &code).await?;
    let image = qr(&url)?
        .render::<Luma<u8>>()
        .module_dimensions(PNG_MODULE_PX, PNG_MODULE_PX)
        .build();
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| Error::Internal(anyhow::anyhow!("PNG of a QR: {e}")))?;
    Ok(image_response("image/png", png))
}
