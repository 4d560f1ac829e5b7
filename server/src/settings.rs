//! The dealer's settings in the database (设置): 门店资料 (a change of the privacy notice's
//! contact makes a new notice version), 报价设置 (province, 车船税 amounts, default loan,
//! attribution window) and the logo (checked, resized and kept as a PNG with a version for
//! cache-busting URLs). Every save is one transaction that also bumps the dealer's catalogue
//! version, so every cached page and price shows the change at once.

use base64::Engine;
use shared::contact::privacy_version;
use shared::settings::{DealerSettings, QuoteSettings, StoreProfile};
use shared::tax::VESSEL_TAX_BANDS;

use crate::db::{self, Db};

/// Where the amounts an admin enters come from, as the quote's 车船税 line names it.
pub const SET_BY_DEALER: &str = "经销商设置";

/// The longest side of a stored logo, in pixels: sharp on a 3x phone at 80 CSS px.
pub const LOGO_SIZE: u32 = 256;
/// The largest logo upload accepted, in bytes.
pub const LOGO_MAX_BYTES: usize = 2 * 1024 * 1024;

#[derive(sqlx::FromRow)]
struct Row {
    slug: String,
    name: String,
    short_name: String,
    brand_color: String,
    phone: String,
    privacy_contact: String,
    privacy_revision: i64,
    province: String,
    loan_rate_bp: i64,
    loan_term_months: i64,
    down_payment_pct: i64,
    attribution_days: i64,
    logo_version: Option<i64>,
}

/// The logo's address: the dealer's, with its version so a new one is fetched at once.
pub fn logo_url(slug: &str, version: i64) -> String {
    format!("/api/v1/dealers/{slug}/logo.png?v={version}")
}

/// Both forms as saved, the logo's address and the notice version in force.
pub async fn load(db: &Db, dealer_id: i64) -> sqlx::Result<DealerSettings> {
    let row: Row = sqlx::query_as(
        "SELECT d.slug, d.name, d.short_name, d.brand_color, d.phone, d.privacy_contact, \
         d.privacy_revision, d.province, d.loan_rate_bp, d.loan_term_months, d.down_payment_pct, \
         d.attribution_days, g.version AS logo_version \
         FROM dealers d LEFT JOIN dealer_logos g ON g.dealer_id = d.id WHERE d.id = $1",
    )
    .bind(dealer_id)
    .fetch_one(&db.pool)
    .await?;
    let annual: Vec<i64> = sqlx::query_scalar(
        "SELECT annual_yuan FROM dealer_vessel_tax WHERE dealer_id = $1 ORDER BY band",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(DealerSettings {
        logo_url: row.logo_version.map(|v| logo_url(&row.slug, v)),
        privacy_version: privacy_version(row.privacy_revision),
        profile: StoreProfile {
            // Until the dealer sets a short name, the form offers the name's first characters.
            short_name: if row.short_name.is_empty() {
                row.name.chars().take(12).collect()
            } else {
                row.short_name
            },
            name: row.name,
            brand_color: row.brand_color,
            phone: row.phone,
            privacy_contact: row.privacy_contact,
        },
        quote: QuoteSettings {
            province: row.province,
            // A dealer who never set them starts from the lowest amounts the law allows.
            vessel_tax: if annual.len() == VESSEL_TAX_BANDS.len() {
                annual
            } else {
                VESSEL_TAX_BANDS.iter().map(|band| band.1).collect()
            },
            loan_rate_bp: row.loan_rate_bp,
            loan_term_months: row.loan_term_months,
            down_payment_pct: row.down_payment_pct,
            attribution_days: row.attribution_days,
        },
    })
}

/// Saves a validated 门店资料; a changed privacy contact is a new notice revision.
pub async fn save_profile(db: &Db, dealer_id: i64, profile: &StoreProfile) -> sqlx::Result<()> {
    let mut tx = db::begin_write(db).await?;
    sqlx::query(
        "UPDATE dealers SET name = $1, short_name = $2, brand_color = $3, phone = $4, \
         privacy_revision = privacy_revision + CASE WHEN privacy_contact = $5 THEN 0 ELSE 1 END, \
         privacy_contact = $5 WHERE id = $6",
    )
    .bind(profile.name.trim())
    .bind(profile.short_name.trim())
    .bind(profile.brand_color.trim().to_ascii_uppercase())
    .bind(profile.phone.trim())
    .bind(profile.privacy_contact.trim())
    .bind(dealer_id)
    .execute(&mut *tx)
    .await?;
    crate::catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await
}

/// Saves a validated 报价设置: the amounts of all seven bands replace the old ones.
pub async fn save_quote(db: &Db, dealer_id: i64, quote: &QuoteSettings) -> sqlx::Result<()> {
    let mut tx = db::begin_write(db).await?;
    sqlx::query(
        "UPDATE dealers SET province = $1, vessel_tax_source = $2, loan_rate_bp = $3, \
         loan_term_months = $4, down_payment_pct = $5, attribution_days = $6 WHERE id = $7",
    )
    .bind(quote.province.trim())
    .bind(SET_BY_DEALER)
    .bind(quote.loan_rate_bp)
    .bind(quote.loan_term_months)
    .bind(quote.down_payment_pct)
    .bind(quote.attribution_days)
    .bind(dealer_id)
    .execute(&mut *tx)
    .await?;
    for (band, amount) in quote.vessel_tax.iter().enumerate() {
        sqlx::query(
            "INSERT INTO dealer_vessel_tax (dealer_id, band, annual_yuan) VALUES ($1, $2, $3) \
             ON CONFLICT (dealer_id, band) DO UPDATE SET annual_yuan = excluded.annual_yuan",
        )
        .bind(dealer_id)
        .bind(band as i64)
        .bind(*amount)
        .execute(&mut *tx)
        .await?;
    }
    crate::catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await
}

/// Why an uploaded logo was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum LogoRefused {
    TooLarge,
    /// Not a PNG or JPEG image that decodes.
    NotAnImage,
}

/// An uploaded PNG or JPEG, checked by decoding it, fitted inside [`LOGO_SIZE`] and encoded
/// again as PNG (nothing of the upload but its pixels is kept).
pub fn fit_logo(upload: &[u8]) -> Result<Vec<u8>, LogoRefused> {
    if upload.len() > LOGO_MAX_BYTES {
        return Err(LogoRefused::TooLarge);
    }
    let format = image::guess_format(upload).map_err(|_| LogoRefused::NotAnImage)?;
    if !matches!(format, image::ImageFormat::Png | image::ImageFormat::Jpeg) {
        return Err(LogoRefused::NotAnImage);
    }
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(upload), format);
    // A small file that claims a huge canvas is refused before it is allocated.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(8_000);
    limits.max_image_height = Some(8_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|_| LogoRefused::NotAnImage)?;
    let fitted = if decoded.width() > LOGO_SIZE || decoded.height() > LOGO_SIZE {
        decoded.resize(LOGO_SIZE, LOGO_SIZE, image::imageops::FilterType::Lanczos3)
    } else {
        decoded
    };
    let mut png = Vec::new();
    fitted
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|_| LogoRefused::NotAnImage)?;
    Ok(png)
}

/// Keeps a fitted logo as the dealer's; its new version.
pub async fn save_logo(db: &Db, dealer_id: i64, png: &[u8]) -> sqlx::Result<i64> {
    let data = base64::engine::general_purpose::STANDARD.encode(png);
    let mut tx = db::begin_write(db).await?;
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO dealer_logos (dealer_id, png, version) VALUES ($1, $2, 1) \
         ON CONFLICT (dealer_id) DO UPDATE SET png = excluded.png, version = dealer_logos.version + 1 \
         RETURNING version",
    )
    .bind(dealer_id)
    .bind(data)
    .fetch_one(&mut *tx)
    .await?;
    crate::catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(version)
}

/// The dealer's logo as PNG bytes, if it has one.
pub async fn logo(db: &Db, dealer_id: i64) -> sqlx::Result<Option<Vec<u8>>> {
    let data: Option<String> =
        sqlx::query_scalar("SELECT png FROM dealer_logos WHERE dealer_id = $1")
            .bind(dealer_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(data.and_then(|d| base64::engine::general_purpose::STANDARD.decode(d).ok()))
}
