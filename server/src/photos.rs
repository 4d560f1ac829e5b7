//! A dealer's photos: the pipeline an upload goes through ([`process`]: the format read from
//! the bytes, polyglots and decompression bombs refused before anything is allocated or
//! stored, EXIF orientation applied, then re-encoded as lossy WebP at up to three widths,
//! which leaves EXIF and GPS behind) and the `photos` rows that say which dealer uses which
//! files for what (a series' cover and gallery, a trim's colours). Every write bumps the
//! dealer's catalogue version in its transaction. Files no photo names any more are deleted
//! by [`collect`], an hour after they were written.

use std::collections::HashSet;
use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use shared::photo::{
    scaled_height, stored_widths, DealerPhoto, GalleryOrder, Photo, PhotoKind, TrimColour,
    MAX_UPLOAD_BYTES, MIN_WIDTH,
};
use shared::ApiError;

use crate::db::{self, Db};
use crate::media_store::MediaStore;

/// The longest side a picture may declare, in pixels: 20,000 × 20,000 is refused from its
/// header, before a pixel is allocated.
pub const MAX_SIDE: u32 = 12_000;
/// The most pixels a picture may have (a 50-megapixel phone photo is 51 million).
pub const MAX_PIXELS: u64 = 64_000_000;
/// The decoder's allocation cap.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// libwebp's lossy quality (0–100).
const QUALITY: f32 = 80.0;

/// Why an upload was refused; nothing of it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Over [`MAX_UPLOAD_BYTES`] (413).
    TooLarge,
    /// Not a picture at all, or a broken one.
    NotAnImage,
    /// A picture format we do not take, by name (GIF, SVG, HEIC, AVIF, BMP, TIFF).
    Unsupported(&'static str),
    /// Something else rides with the picture: bytes after its end, markup, an archive.
    Polyglot,
    /// It declares more pixels than [`MAX_SIDE`] / [`MAX_PIXELS`] allow.
    TooManyPixels { width: u32, height: u32 },
    /// Narrower than [`MIN_WIDTH`] once turned upright.
    TooSmall { width: u32 },
}

impl Refused {
    /// The Chinese message the uploader reads.
    pub fn message(&self) -> String {
        match self {
            Self::TooLarge => shared::photo::too_large().message,
            Self::NotAnImage => format!(
                "文件不是有效的图片，请上传 {} 图片",
                shared::photo::ACCEPTED
            ),
            Self::Unsupported(format) => shared::photo::unsupported(Some(format)).message,
            Self::Polyglot => {
                "图片文件中夹带了其他内容（如网页代码、压缩包或图片结尾后的数据），请用手机相册或修图软件重新导出后上传".into()
            }
            Self::TooManyPixels { width, height } => format!(
                "图片尺寸过大（{width}×{height} 像素），长边不能超过 {MAX_SIDE} 像素、总像素不超过 6400 万"
            ),
            Self::TooSmall { width } => {
                format!("图片太小（宽 {width} 像素），宽度至少 {MIN_WIDTH} 像素")
            }
        }
    }

    /// The error code beside the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge => "too_large",
            Self::NotAnImage => "not_an_image",
            Self::Unsupported(_) => "unsupported_format",
            Self::Polyglot => "polyglot",
            Self::TooManyPixels { .. } => "too_many_pixels",
            Self::TooSmall { .. } => "too_small",
        }
    }
}

/// An upload made into the files to store: the photo as pages show it, and each width's
/// WebP bytes, named `{hash}-{width}.webp`.
#[derive(Clone, Debug)]
pub struct Processed {
    pub photo: Photo,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Checks, decodes, turns upright and re-encodes an upload (CPU work: call it off the async
/// workers). Nothing is kept of the original bytes: no EXIF, no GPS, no ICC, no trailing data.
pub fn process(upload: &[u8]) -> Result<Processed, Refused> {
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(Refused::TooLarge);
    }
    let format = sniff(upload)?;
    let end = end_of_image(upload, format).ok_or(Refused::NotAnImage)?;
    // Zero padding after the end is harmless; anything else is a second file.
    if upload[end..].iter().any(|b| *b != 0) || carries_markup_or_archive(upload) {
        return Err(Refused::Polyglot);
    }
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    // The header is read and the limits checked here, before any pixel buffer exists.
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => too_many_pixels(upload, format),
        _ => Refused::NotAnImage,
    })?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Refused::TooManyPixels { width, height });
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => Refused::TooManyPixels { width, height },
        _ => Refused::NotAnImage,
    })?;
    picture.apply_orientation(orientation);
    let (width, height) = (picture.width(), picture.height());
    if width < MIN_WIDTH {
        return Err(Refused::TooSmall { width });
    }
    let widths = stored_widths(width);
    let alpha = picture.color().has_alpha();
    // Largest first, each smaller one from the one before: fewer pixels to filter.
    let mut encoded: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut source = picture;
    for &w in widths.iter().rev() {
        let h = scaled_height(width, height, w);
        let scaled = if w == source.width() {
            source
        } else {
            source.resize_exact(w, h, image::imageops::FilterType::Lanczos3)
        };
        let bytes = if alpha {
            let rgba = scaled.to_rgba8();
            webp::Encoder::from_rgba(rgba.as_raw(), w, h)
                .encode(QUALITY)
                .to_vec()
        } else {
            let rgb = scaled.to_rgb8();
            webp::Encoder::from_rgb(rgb.as_raw(), w, h)
                .encode(QUALITY)
                .to_vec()
        };
        encoded.push((w, bytes));
        source = scaled;
    }
    encoded.reverse();
    let mut digest = Sha256::new();
    for (w, bytes) in &encoded {
        digest.update(w.to_be_bytes());
        digest.update(bytes);
    }
    let hash: String = digest.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let files = encoded
        .into_iter()
        .map(|(w, bytes)| (file_name(&hash, w), bytes))
        .collect();
    Ok(Processed {
        photo: Photo {
            hash,
            width: *widths.last().unwrap_or(&width),
            height: scaled_height(width, height, *widths.last().unwrap_or(&width)),
            widths,
        },
        files,
    })
}

/// A stored width's file name.
pub fn file_name(hash: &str, width: u32) -> String {
    format!("{hash}-{width}.webp")
}

/// `{hash}-{width}.webp` → whether it is a name we could have written (32 lower-case hex
/// digits, a width of 1–5 digits): anything else is a 404 without asking the store.
pub fn is_file_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".webp") else {
        return false;
    };
    let Some((hash, width)) = stem.split_once('-') else {
        return false;
    };
    hash.len() == 32
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && (1..=5).contains(&width.len())
        && width.bytes().all(|b| b.is_ascii_digit())
}

fn too_many_pixels(upload: &[u8], format: ImageFormat) -> Refused {
    // The decoder refused the header's size; read it again without limits to name it.
    let (width, height) = ImageReader::with_format(Cursor::new(upload), format)
        .into_dimensions()
        .unwrap_or((0, 0));
    Refused::TooManyPixels { width, height }
}

/// The format the bytes are (never the file name or the type the browser claims).
fn sniff(bytes: &[u8]) -> Result<ImageFormat, Refused> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageFormat::Jpeg);
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageFormat::Png);
    }
    if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Ok(ImageFormat::WebP);
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Err(Refused::Unsupported("GIF"));
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        let brand = bytes.get(8..12).unwrap_or_default();
        return Err(Refused::Unsupported(match brand {
            b"avif" | b"avis" => "AVIF",
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => "HEIC",
            _ => return Err(Refused::NotAnImage),
        }));
    }
    if starts(b"BM") {
        return Err(Refused::Unsupported("BMP"));
    }
    if starts(b"II*\0") || starts(b"MM\0*") {
        return Err(Refused::Unsupported("TIFF"));
    }
    let text = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(bytes)
        .trim_ascii_start();
    let head = text.get(..256.min(text.len())).unwrap_or_default();
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    if head.starts_with("<svg") || (head.starts_with("<?xml") && head.contains("<svg")) {
        return Err(Refused::Unsupported("SVG"));
    }
    Err(Refused::NotAnImage)
}

/// Where the picture's own bytes end (after JPEG's EOI, PNG's IEND chunk, the RIFF size), or
/// `None` when its structure is broken.
fn end_of_image(bytes: &[u8], format: ImageFormat) -> Option<usize> {
    match format {
        ImageFormat::Jpeg => jpeg_end(bytes),
        ImageFormat::Png => {
            let mut at = 8usize;
            loop {
                let length = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?);
                let kind = bytes.get(at + 4..at + 8)?;
                let next = at.checked_add(12)?.checked_add(length as usize)?;
                if next > bytes.len() {
                    return None;
                }
                if kind == b"IEND" {
                    return Some(next);
                }
                at = next;
            }
        }
        ImageFormat::WebP => {
            let size = u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?) as usize;
            let end = 8usize.checked_add(size)?.checked_add(size & 1)?;
            // Some writers leave out the last chunk's pad byte.
            (bytes.len() >= end - (size & 1)).then_some(end.min(bytes.len()))
        }
        _ => None,
    }
}

/// JPEG: markers and their segments up to each scan, the entropy-coded data to the next
/// marker, until EOI. An EXIF thumbnail's own EOI sits inside its APP1 segment and is skipped
/// with it.
fn jpeg_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 2usize;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            0xD9 => return Some(at),
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let length = u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]) as usize;
        if length < 2 {
            return None;
        }
        at = at.checked_add(length)?;
        if at > bytes.len() {
            return None;
        }
        if marker == 0xDA {
            // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart.
            loop {
                let ff = at + bytes.get(at..)?.iter().position(|b| *b == 0xFF)?;
                match *bytes.get(ff + 1)? {
                    0x00 | 0xD0..=0xD7 | 0xFF => at = ff + 1,
                    _ => {
                        at = ff;
                        break;
                    }
                }
            }
        }
    }
}

/// Markup a browser would run or render (`<script`, `<html`, `<svg` ...) or a ZIP archive's
/// directory anywhere in the bytes: the file is also something other than a picture. The
/// needles are long enough that a photo's compressed data holds one by chance about once in
/// ten thousand 10 MB uploads.
fn carries_markup_or_archive(bytes: &[u8]) -> bool {
    const MARKUP: [&[u8]; 9] = [
        b"<script",
        b"<html",
        b"<body",
        b"<iframe",
        b"<?php",
        b"<!doctype",
        b"<svg ",
        b"<svg>",
        b"javascript:",
    ];
    let lower_at = |at: usize, needle: &[u8]| {
        bytes
            .get(at..at + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    };
    for (at, b) in bytes.iter().enumerate() {
        let hit = match b {
            b'<' => MARKUP.iter().any(|m| m[0] == b'<' && lower_at(at, m)),
            b'j' | b'J' => lower_at(at, b"javascript:"),
            _ => false,
        };
        if hit {
            return true;
        }
    }
    // A ZIP is read from its end-of-directory record near the file's end, which points at a
    // central directory: both present is an archive riding inside the picture.
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    let has = |hay: &[u8], needle: &[u8; 4]| hay.windows(4).any(|w| w == needle);
    has(tail, b"PK\x05\x06") && has(bytes, b"PK\x01\x02")
}

/// What a new photo is of.
#[derive(Clone, Debug)]
pub struct NewPhoto {
    pub dealer_id: i64,
    pub series_id: String,
    pub kind: PhotoKind,
    /// A colour's trim and name.
    pub colour: Option<(String, String)>,
    pub photo: Photo,
    pub staff_id: i64,
}

/// The trims of a series the dealer sells, (id, name) in catalogue order.
pub async fn trims_sold(
    db: &Db,
    dealer_id: i64,
    series_id: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT t.id, t.name_zh FROM dealer_trims dt JOIN trims t ON t.id = dt.trim_id \
         WHERE dt.dealer_id = $1 AND t.series_id = $2 ORDER BY t.position, t.id",
    )
    .bind(dealer_id)
    .bind(series_id)
    .fetch_all(&db.pool)
    .await
}

/// Keeps a photo's row (its files already stored): a cover replaces the series' old one, the
/// rest go last in their order; the catalogue is marked changed in the same transaction.
pub async fn add(db: &Db, new: &NewPhoto) -> sqlx::Result<i64> {
    let mut tx = db::begin_write(db).await?;
    if new.kind == PhotoKind::Cover {
        sqlx::query(
            "DELETE FROM photos WHERE dealer_id = $1 AND series_id = $2 AND kind = 'cover'",
        )
        .bind(new.dealer_id)
        .bind(&new.series_id)
        .execute(&mut *tx)
        .await?;
    }
    let widths: Vec<String> = new.photo.widths.iter().map(u32::to_string).collect();
    let (trim, colour) = match &new.colour {
        Some((trim, colour)) => (Some(trim.as_str()), Some(colour.trim())),
        None => (None, None),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO photos (dealer_id, series_id, trim_id, kind, colour, hash, width, height, \
         widths, position, created_by, created_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE(MAX(position), 0) + 1, $10, $11 \
         FROM photos WHERE dealer_id = $1 AND series_id = $2 AND kind = $4 \
         RETURNING id",
    )
    .bind(new.dealer_id)
    .bind(&new.series_id)
    .bind(trim)
    .bind(new.kind.key())
    .bind(colour)
    .bind(&new.photo.hash)
    .bind(i64::from(new.photo.width))
    .bind(i64::from(new.photo.height))
    .bind(widths.join(","))
    .bind(new.staff_id)
    .bind(crate::clock::Clock::now().millis)
    .fetch_one(&mut *tx)
    .await?;
    crate::catalog::changed(&mut tx, new.dealer_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes one of the dealer's photos (its files stay until `collect` finds no photo naming
/// them: another row, or another dealer, may use the same content). `false` when the dealer
/// has no such photo.
pub async fn delete(db: &Db, dealer_id: i64, id: i64) -> sqlx::Result<bool> {
    let mut tx = db::begin_write(db).await?;
    let gone = sqlx::query("DELETE FROM photos WHERE id = $1 AND dealer_id = $2")
        .bind(id)
        .bind(dealer_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Ok(false);
    }
    crate::catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// Puts the dealer's gallery of `series_id` in the order asked (checked against the gallery
/// as it is, in the transaction that writes it); the 422 on `order` when the order does not
/// name exactly its photos.
pub async fn order_gallery(
    db: &Db,
    dealer_id: i64,
    series_id: &str,
    order: &GalleryOrder,
) -> sqlx::Result<Result<(), ApiError>> {
    let mut tx = db::begin_write(db).await?;
    let gallery: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM photos WHERE dealer_id = $1 AND series_id = $2 AND kind = 'gallery'",
    )
    .bind(dealer_id)
    .bind(series_id)
    .fetch_all(&mut *tx)
    .await?;
    if let Err(e) = order.check(&gallery) {
        return Ok(Err(e));
    }
    for (position, id) in (1_i64..).zip(&order.order) {
        sqlx::query("UPDATE photos SET position = $1 WHERE id = $2 AND dealer_id = $3")
            .bind(position)
            .bind(id)
            .bind(dealer_id)
            .execute(&mut *tx)
            .await?;
    }
    crate::catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// How long a file no photo names is kept: an upload writes its files before its row, so a
/// younger file may be one whose row is on its way.
pub const COLLECT_AFTER_MS: i64 = 3_600_000;

/// Deletes the stored files that no photo of any dealer names and that were written more than
/// [`COLLECT_AFTER_MS`] before `now` (Unix ms); how many. Several instances may run it at
/// once: a file already deleted is no error.
pub async fn collect(db: &Db, media: &MediaStore, now: i64) -> anyhow::Result<usize> {
    let named: HashSet<String> = sqlx::query_scalar("SELECT DISTINCT hash FROM photos")
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .collect();
    let mut deleted = 0;
    for (name, written) in media.listed().await? {
        let hash = name.split('-').next().unwrap_or_default();
        if !named.contains(hash) && written < now - COLLECT_AFTER_MS {
            media.delete(&name).await?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// Runs `collect` every `every` until the process ends; a failure is logged and the next run
/// tries again.
pub fn run_collector(db: Db, media: MediaStore, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match collect(&db, &media, crate::clock::Clock::now().millis).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "unused photo files deleted"),
                Err(e) => tracing::error!(error = %e, "collecting unused photo files failed"),
            }
        }
    });
}

#[derive(sqlx::FromRow)]
struct PhotoRow {
    id: i64,
    series_id: String,
    kind: String,
    trim_id: Option<String>,
    colour: Option<String>,
    hash: String,
    width: i64,
    height: i64,
    widths: String,
}

impl PhotoRow {
    fn photo(&self) -> sqlx::Result<Photo> {
        let corrupt = || sqlx::Error::Decode(format!("photo {}: size", self.id).into());
        let widths = self
            .widths
            .split(',')
            .map(|w| w.parse::<u32>().map_err(|_| corrupt()))
            .collect::<sqlx::Result<Vec<_>>>()?;
        Ok(Photo {
            hash: self.hash.clone(),
            width: u32::try_from(self.width).map_err(|_| corrupt())?,
            height: u32::try_from(self.height).map_err(|_| corrupt())?,
            widths,
        })
    }

    fn dealer_photo(&self) -> sqlx::Result<DealerPhoto> {
        Ok(DealerPhoto {
            id: self.id,
            kind: PhotoKind::from_key(&self.kind).ok_or_else(|| {
                sqlx::Error::Decode(format!("photo {}: kind {}", self.id, self.kind).into())
            })?,
            trim_id: self.trim_id.clone(),
            colour: self.colour.clone(),
            photo: self.photo()?,
        })
    }
}

const COLUMNS: &str = "p.id, p.series_id, p.kind, p.trim_id, p.colour, p.hash, p.width, \
                       p.height, p.widths";

/// A series' photos at the dealer: the cover, the gallery in order, then the colours.
pub async fn of_series(db: &Db, dealer_id: i64, series_id: &str) -> sqlx::Result<Vec<DealerPhoto>> {
    let rows: Vec<PhotoRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM photos p WHERE p.dealer_id = $1 AND p.series_id = $2 \
         ORDER BY CASE p.kind WHEN 'cover' THEN 0 WHEN 'gallery' THEN 1 ELSE 2 END, \
         p.trim_id, p.position, p.id"
    ))
    .bind(dealer_id)
    .bind(series_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(PhotoRow::dealer_photo).collect()
}

/// The gallery and the trims' colours of a series, as its model page shows them.
pub async fn for_model_page(
    db: &Db,
    dealer_id: i64,
    series_id: &str,
) -> sqlx::Result<(Vec<Photo>, Vec<TrimColour>)> {
    let mut gallery = Vec::new();
    let mut colours = Vec::new();
    for p in of_series(db, dealer_id, series_id).await? {
        match (p.kind, p.trim_id, p.colour) {
            (PhotoKind::Gallery, _, _) => gallery.push(p.photo),
            (PhotoKind::Colour, Some(trim_id), Some(colour)) => colours.push(TrimColour {
                trim_id,
                colour,
                photo: p.photo,
            }),
            _ => {}
        }
    }
    Ok((gallery, colours))
}

/// The covers of the dealer's series that `series_where` picks (a condition on `s`, `ds`,
/// with binds after `$1`), by series id.
pub async fn covers(
    db: &Db,
    dealer_id: i64,
    series_where: &str,
    binds: &[String],
) -> sqlx::Result<std::collections::HashMap<String, Photo>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM photos p JOIN series s ON s.id = p.series_id \
         JOIN dealer_series ds ON ds.dealer_id = p.dealer_id AND ds.series_id = p.series_id \
         WHERE p.dealer_id = $1 AND p.kind = 'cover' AND {series_where}"
    );
    let mut query = sqlx::query_as(&sql).bind(dealer_id);
    for bind in binds {
        query = query.bind(bind.as_str());
    }
    let rows: Vec<PhotoRow> = query.fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| Ok((r.series_id.clone(), r.photo()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
            .unwrap();
        out
    }

    #[test]
    fn a_photo_becomes_lossy_webp_at_each_width() {
        let done = process(&jpeg(1200, 800)).unwrap();
        assert_eq!(done.photo.widths, vec![360, 720, 1080]);
        assert_eq!((done.photo.width, done.photo.height), (1080, 720));
        assert_eq!(done.files.len(), 3);
        for (name, bytes) in &done.files {
            assert!(is_file_name(name), "{name}");
            assert_eq!(&bytes[..4], b"RIFF");
            // Lossy: the simple format's `VP8 ` chunk, not lossless `VP8L`.
            assert_eq!(&bytes[12..16], b"VP8 ", "{name}");
        }
        // The same picture is the same files.
        assert_eq!(process(&jpeg(1200, 800)).unwrap().photo, done.photo);
    }

    #[test]
    fn end_markers_are_found_and_trailing_bytes_refused() {
        let picture = jpeg(400, 300);
        assert_eq!(jpeg_end(&picture), Some(picture.len()));
        let mut with_zip = picture.clone();
        with_zip.extend_from_slice(b"PK\x03\x04 trailing archive");
        assert_eq!(process(&with_zip).unwrap_err(), Refused::Polyglot);
        let mut padded = picture.clone();
        padded.extend_from_slice(&[0, 0, 0]);
        assert!(process(&padded).is_ok());
        assert_eq!(
            process(b"GIF89a....").unwrap_err(),
            Refused::Unsupported("GIF")
        );
        assert_eq!(
            process(b"  <svg xmlns='http://www.w3.org/2000/svg'/>").unwrap_err(),
            Refused::Unsupported("SVG")
        );
        assert_eq!(
            process(b"\0\0\0\x18ftypheic\0\0\0\0").unwrap_err(),
            Refused::Unsupported("HEIC")
        );
        assert_eq!(process(b"hello").unwrap_err(), Refused::NotAnImage);
        assert_eq!(
            process(&jpeg(200, 100)).unwrap_err(),
            Refused::TooSmall { width: 200 }
        );
    }

    #[test]
    fn stored_names_are_recognised_and_nothing_else() {
        let hash = "0123456789abcdef0123456789abcdef";
        assert!(is_file_name(&format!("{hash}-360.webp")));
        for bad in [
            format!("{hash}-360.png"),
            format!("{hash}.webp"),
            format!("{}-360.webp", hash.to_uppercase()),
            format!("../{hash}-360.webp"),
            format!("{hash}-123456.webp"),
            "x-360.webp".into(),
        ] {
            assert!(!is_file_name(&bad), "{bad}");
        }
    }
}
