//! Car photos as both sides see them: a [`Photo`] (its content hash, size and the widths it
//! is stored at) with the `srcset` pages use, what a dealer's photo is of ([`PhotoKind`]),
//! and the rules an upload meets before it is sent (size, accepted formats, a colour's name).

use serde::{Deserialize, Serialize};

use crate::ApiError;

/// The largest upload accepted, in bytes (10 MB); more is a 413.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// The widths a photo is stored at, in pixels; a narrower original is never enlarged, so its
/// largest stored width is its own.
pub const WIDTHS: [u32; 3] = [360, 720, 1080];

/// The narrowest photo accepted, in pixels: every photo has the smallest stored width.
pub const MIN_WIDTH: u32 = WIDTHS[0];

/// The formats accepted, as the refusal names them.
pub const ACCEPTED: &str = "JPEG、PNG 或 WebP";

/// The MIME types a file picker offers (`accept`).
pub const ACCEPT_TYPES: &str = "image/jpeg,image/png,image/webp";

/// `sizes` of a photo as wide as the page: the phone's width, at most the 480 px column the
/// app sits in on a desktop.
pub const PAGE_SIZES: &str = "(min-width: 480px) 480px, 100vw";

/// `sizes` of a card's picture (the 车型库 and home cards, 120 CSS px wide).
pub const CARD_SIZES: &str = "120px";

/// The longest colour name, in characters (`冰川白`, `星空灰（哑光）`).
pub const MAX_COLOUR_CHARS: usize = 20;

/// A stored photo: every width is `/media/{hash}-{width}.webp`, served immutable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photo {
    /// The content hash the files are addressed by (32 hex digits).
    pub hash: String,
    /// The largest stored width, in pixels, as shown (EXIF orientation applied).
    pub width: u32,
    /// The height at that width, in pixels.
    pub height: u32,
    /// Every stored width, narrowest first; the last is `width`.
    pub widths: Vec<u32>,
}

impl Photo {
    /// The address of one stored width.
    pub fn url(&self, width: u32) -> String {
        format!("/media/{}-{width}.webp", self.hash)
    }

    /// The narrowest stored width that is at least `width` px (else the widest): sharp where
    /// it is drawn `width` px wide (a share poster's canvas).
    pub fn url_for(&self, width: u32) -> String {
        let stored = self
            .widths
            .iter()
            .copied()
            .find(|w| *w >= width)
            .or_else(|| self.widths.iter().copied().max())
            .unwrap_or(self.width);
        self.url(stored)
    }

    /// `srcset` with every stored width (`/media/…-360.webp 360w, …`).
    pub fn srcset(&self) -> String {
        self.widths
            .iter()
            .map(|w| format!("{} {w}w", self.url(*w)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `src` for a browser without `srcset`: the narrowest width at least 720 px (a phone at
    /// 2x), else the largest.
    pub fn src(&self) -> String {
        let width = self
            .widths
            .iter()
            .copied()
            .find(|w| *w >= 720)
            .unwrap_or(self.width);
        self.url(width)
    }

    /// The height at `width`, as the stored files are scaled (rounded).
    pub fn height_at(&self, width: u32) -> u32 {
        scaled_height(self.width, self.height, width)
    }
}

/// The height of a `width` × `height` picture scaled to `to` pixels wide, at least 1.
pub fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    if width == 0 {
        return 1;
    }
    let h = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// The widths a picture `width` pixels wide is stored at: each of [`WIDTHS`] it reaches, and
/// its own width where it falls short of the largest (never enlarged).
pub fn stored_widths(width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = WIDTHS.iter().map(|w| (*w).min(width)).collect();
    widths.dedup();
    widths
}

/// What a dealer's photo shows: the series' cover (one), its gallery, or a trim's colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PhotoKind {
    /// 封面: the model page's first image and the cards' picture; a new one replaces it.
    Cover,
    /// 图集: below the model page's head, in the dealer's order.
    Gallery,
    /// 颜色: a trim in one colour.
    Colour,
}

impl PhotoKind {
    pub fn key(self) -> &'static str {
        match self {
            Self::Cover => "cover",
            Self::Gallery => "gallery",
            Self::Colour => "colour",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [Self::Cover, Self::Gallery, Self::Colour]
            .into_iter()
            .find(|k| k.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Cover => "封面",
            Self::Gallery => "图集",
            Self::Colour => "颜色",
        }
    }
}

/// A trim in one colour, as the model page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrimColour {
    pub trim_id: String,
    /// The colour's name, as the dealer wrote it (`冰川白`).
    pub colour: String,
    pub photo: Photo,
}

/// One of a dealer's photos in the console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealerPhoto {
    pub id: i64,
    pub kind: PhotoKind,
    /// The trim a colour photo shows.
    pub trim_id: Option<String>,
    pub colour: Option<String>,
    pub photo: Photo,
}

/// `GET /api/v1/console/catalog/photos/series/{series}`: a series' photos at this dealer, and
/// its trims to give a colour to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesPhotos {
    pub series_id: String,
    pub series_name: String,
    /// (trim id, trim name), in catalogue order.
    pub trims: Vec<(String, String)>,
    /// The cover first, then the gallery in order, then colours by trim.
    pub photos: Vec<DealerPhoto>,
}

/// A series' gallery in a new order: every one of its photos' ids, each once, first first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GalleryOrder {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub order: Vec<i64>,
}

/// The most photos a gallery's order names.
pub const MAX_GALLERY: usize = 100;

impl GalleryOrder {
    /// Whether the order names `gallery` (the ids the series' gallery has), each once; the
    /// 422 on `order` when it does not.
    pub fn check(&self, gallery: &[i64]) -> Result<(), ApiError> {
        let mut asked = self.order.clone();
        asked.sort_unstable();
        let mut held = gallery.to_vec();
        held.sort_unstable();
        if self.order.len() > MAX_GALLERY || asked != held {
            return Err(ApiError::invalid(
                "order",
                "图集已有变化，请刷新后再调整顺序",
            ));
        }
        Ok(())
    }

    /// `gallery` with the photo at `at` moved one place earlier (`earlier`) or later.
    pub fn moved(gallery: &[i64], at: usize, earlier: bool) -> Self {
        let mut order = gallery.to_vec();
        let to = if earlier {
            at.checked_sub(1)
        } else {
            Some(at + 1)
        };
        if let Some(to) = to.filter(|to| *to < order.len()) {
            order.swap(at, to);
        }
        Self { order }
    }
}

/// A file about to be uploaded, checked in the browser before it is sent and again by the
/// server: at most [`MAX_UPLOAD_BYTES`], and a type the picker offers (an empty type — some
/// phones send none — is left to the server, which reads the bytes).
pub fn check_file(size: usize, mime: &str) -> Result<(), ApiError> {
    if size > MAX_UPLOAD_BYTES {
        return Err(too_large());
    }
    if size == 0 {
        return Err(ApiError::invalid("file", "请选择一张图片"));
    }
    let mime = mime.trim().to_ascii_lowercase();
    if !mime.is_empty() && !ACCEPT_TYPES.split(',').any(|t| t == mime) {
        return Err(unsupported(None));
    }
    Ok(())
}

/// A colour's name: 1–[`MAX_COLOUR_CHARS`] characters on one line.
pub fn check_colour(name: &str) -> Result<(), ApiError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid("colour", "请填写颜色名称，如：冰川白"));
    }
    if name.chars().count() > MAX_COLOUR_CHARS {
        return Err(ApiError::invalid(
            "colour",
            format!("颜色名称不能超过 {MAX_COLOUR_CHARS} 个字"),
        ));
    }
    crate::text::check_line(name, "colour", "颜色名称")
}

/// 413: the file is over 10 MB.
pub fn too_large() -> ApiError {
    ApiError {
        code: "too_large".into(),
        message: "图片不能超过 10MB，请压缩后再上传".into(),
        field: Some("file".into()),
    }
}

/// A format we do not take, named when known (`GIF`), with the ones we do.
pub fn unsupported(format: Option<&str>) -> ApiError {
    let what = match format {
        Some(format) => format!("不支持 {format} 格式"),
        None => "不支持该文件格式".into(),
    };
    ApiError {
        code: "unsupported_format".into(),
        message: format!("{what}，请上传 {ACCEPTED} 图片"),
        field: Some("file".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poster_takes_the_narrowest_width_that_fills_it() {
        let photo = Photo {
            hash: "ab".into(),
            width: 1080,
            height: 720,
            widths: vec![360, 720, 1080],
        };
        assert_eq!(photo.url_for(750), "/media/ab-1080.webp");
        assert_eq!(photo.url_for(700), "/media/ab-720.webp");
        assert_eq!(photo.url_for(2000), "/media/ab-1080.webp");
    }

    #[test]
    fn a_gallery_order_names_every_photo_once() {
        let gallery = [7, 3, 9];
        assert!(GalleryOrder {
            order: vec![9, 7, 3]
        }
        .check(&gallery)
        .is_ok());
        for bad in [vec![9, 7], vec![9, 7, 3, 3], vec![9, 7, 4], vec![]] {
            let e = GalleryOrder { order: bad.clone() }
                .check(&gallery)
                .unwrap_err();
            assert_eq!(e.field.as_deref(), Some("order"), "{bad:?}");
        }
        assert_eq!(GalleryOrder::moved(&gallery, 1, true).order, [3, 7, 9]);
        assert_eq!(GalleryOrder::moved(&gallery, 1, false).order, [7, 9, 3]);
        assert_eq!(GalleryOrder::moved(&gallery, 0, true).order, gallery);
        assert_eq!(GalleryOrder::moved(&gallery, 2, false).order, gallery);
    }

    fn photo(widths: Vec<u32>) -> Photo {
        Photo {
            hash: "ab".repeat(16),
            width: *widths.last().unwrap(),
            height: 600,
            widths,
        }
    }

    #[test]
    fn srcset_lists_every_stored_width_and_src_is_the_phone_one() {
        let p = photo(vec![360, 720, 1080]);
        let h = "ab".repeat(16);
        assert_eq!(
            p.srcset(),
            format!(
                "/media/{h}-360.webp 360w, /media/{h}-720.webp 720w, /media/{h}-1080.webp 1080w"
            )
        );
        assert_eq!(p.src(), format!("/media/{h}-720.webp"));
        assert_eq!(photo(vec![360, 500]).src(), format!("/media/{h}-500.webp"));
        assert_eq!(p.height_at(360), 200);
    }

    #[test]
    fn a_narrow_picture_is_never_enlarged() {
        assert_eq!(stored_widths(4000), vec![360, 720, 1080]);
        assert_eq!(stored_widths(1080), vec![360, 720, 1080]);
        assert_eq!(stored_widths(800), vec![360, 720, 800]);
        assert_eq!(stored_widths(720), vec![360, 720]);
        assert_eq!(stored_widths(500), vec![360, 500]);
        assert_eq!(stored_widths(360), vec![360]);
        assert_eq!(scaled_height(1200, 800, 360), 240);
        assert_eq!(scaled_height(3, 1, 360), 120);
    }

    #[test]
    fn files_and_colours_are_checked_before_they_are_sent() {
        assert!(check_file(1000, "image/jpeg").is_ok());
        assert!(check_file(1000, "IMAGE/WEBP").is_ok());
        assert!(check_file(1000, "").is_ok());
        assert_eq!(
            check_file(MAX_UPLOAD_BYTES + 1, "image/png")
                .unwrap_err()
                .code,
            "too_large"
        );
        let gif = check_file(10, "image/gif").unwrap_err();
        assert_eq!(gif.code, "unsupported_format");
        assert!(gif.message.contains("JPEG、PNG 或 WebP"), "{}", gif.message);
        assert!(check_file(0, "image/png").is_err());
        assert!(check_colour("冰川白").is_ok());
        assert!(check_colour(" ").is_err());
        assert!(check_colour(&"白".repeat(21)).is_err());
        assert!(check_colour("白\n色").is_err());
        for kind in [PhotoKind::Cover, PhotoKind::Gallery, PhotoKind::Colour] {
            assert_eq!(PhotoKind::from_key(kind.key()), Some(kind));
        }
    }
}
