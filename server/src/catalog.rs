//! Reading a dealer's catalogue from the database into the shared wire types: the dealer and
//! its stores, the series and trims it sells with its prices, and the spec layout.

use std::collections::BTreeMap;

use shared::catalog::{
    BodyType, Brand, Dealer, EnergyType, SeriesStatus, SeriesSummary, SpecValue, Store, Trim,
};
use shared::compare::{Better, SpecGroup, SpecItem};
use shared::console::{CatalogSeries, SeriesOnSale};
use shared::date::Date;
use shared::quote::DealerTerms;
use shared::select::Candidate;
use shared::tax::{Listing, ReliefPeriod, VesselTaxRates, VESSEL_TAX_BANDS};

use crate::db::Db;

/// A dealer, its row id, and the terms it quotes by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealerRecord {
    pub id: i64,
    pub dealer: Dealer,
    pub terms: DealerTerms,
}

#[derive(sqlx::FromRow)]
struct DealerRow {
    id: i64,
    slug: String,
    name: String,
    brand_color: String,
    phone: String,
    short_name: String,
    privacy_contact: String,
    privacy_revision: i64,
    logo_version: Option<i64>,
    province: String,
    vessel_tax_source: Option<String>,
    loan_rate_bp: i64,
    loan_term_months: i64,
    down_payment_pct: i64,
    annual_yuan: Option<i64>,
}

/// A dealer by slug with its terms, in one query: a row per 车船税 band (or one without).
pub async fn dealer(db: &Db, slug: &str) -> sqlx::Result<Option<DealerRecord>> {
    let rows: Vec<DealerRow> = sqlx::query_as(
        "SELECT d.id, d.slug, d.name, d.brand_color, d.phone, d.short_name, d.privacy_contact, \
         d.privacy_revision, g.version AS logo_version, d.province, d.vessel_tax_source, \
         d.loan_rate_bp, d.loan_term_months, d.down_payment_pct, v.annual_yuan FROM dealers d \
         LEFT JOIN dealer_vessel_tax v ON v.dealer_id = d.id \
         LEFT JOIN dealer_logos g ON g.dealer_id = d.id WHERE d.slug = $1 ORDER BY v.band",
    )
    .bind(slug)
    .fetch_all(&db.pool)
    .await?;
    let annual: Vec<i64> = rows.iter().filter_map(|r| r.annual_yuan).collect();
    let Some(r) = rows.into_iter().next() else {
        return Ok(None);
    };
    // Amounts for every band, or none: a dealer half set up has not set them.
    let vessel_tax = (annual.len() == VESSEL_TAX_BANDS.len()).then_some(VesselTaxRates {
        province: r.province,
        annual,
        source: r.vessel_tax_source,
    });
    Ok(Some(DealerRecord {
        id: r.id,
        dealer: Dealer {
            logo_url: r
                .logo_version
                .map(|v| crate::settings::logo_url(&r.slug, v)),
            slug: r.slug,
            name: r.name,
            brand_color: r.brand_color,
            phone: r.phone,
            short_name: r.short_name,
            privacy_version: shared::contact::privacy_version(r.privacy_revision),
            privacy_contact: r.privacy_contact,
        },
        terms: DealerTerms {
            vessel_tax,
            loan_rate_bp: r.loan_rate_bp,
            loan_term_months: r.loan_term_months,
            down_payment_pct: r.down_payment_pct,
        },
    }))
}

/// A dealer's slug by id.
pub async fn dealer_slug(db: &Db, dealer_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT slug FROM dealers WHERE id = $1")
        .bind(dealer_id)
        .fetch_optional(&db.pool)
        .await
}

/// The first dealer by id, if any (where `/` leads).
pub async fn first_dealer_slug(db: &Db) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT slug FROM dealers ORDER BY id LIMIT 1")
        .fetch_optional(&db.pool)
        .await
}

#[derive(sqlx::FromRow)]
struct StoreRow {
    id: i64,
    name: String,
    address: String,
    city: String,
    phone: String,
    opening_hours: String,
}

/// How many series the dealer sells.
pub async fn series_on_sale(db: &Db, dealer_id: i64) -> sqlx::Result<u32> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dealer_series WHERE dealer_id = $1")
        .bind(dealer_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// The series' name when the dealer sells it.
pub async fn series_sold(db: &Db, dealer_id: i64, series_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT s.name_zh FROM dealer_series ds JOIN series s ON s.id = ds.series_id \
         WHERE ds.dealer_id = $1 AND ds.series_id = $2",
    )
    .bind(dealer_id)
    .bind(series_id)
    .fetch_optional(&db.pool)
    .await
}

/// The series of a trim the dealer sells.
pub async fn trim_sold(db: &Db, dealer_id: i64, trim_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT t.series_id FROM dealer_trims dt JOIN trims t ON t.id = dt.trim_id \
         WHERE dt.dealer_id = $1 AND dt.trim_id = $2",
    )
    .bind(dealer_id)
    .bind(trim_id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn stores(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<Store>> {
    let rows: Vec<StoreRow> = sqlx::query_as(
        "SELECT id, name, address, city, phone, opening_hours FROM stores \
         WHERE dealer_id = $1 ORDER BY position, id",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Store {
            id: r.id,
            name: r.name,
            address: r.address,
            city: r.city,
            phone: r.phone,
            opening_hours: r.opening_hours,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    group_key: String,
    group_name: String,
    key: String,
    name_zh: String,
    unit: Option<String>,
    better: Option<String>,
}

/// The standard spec layout, groups and items in display order.
pub async fn layout(db: &Db) -> sqlx::Result<Vec<SpecGroup>> {
    let rows: Vec<ItemRow> = sqlx::query_as(
        "SELECT g.key AS group_key, g.name_zh AS group_name, i.key, i.name_zh, i.unit, i.better \
         FROM spec_items i JOIN spec_groups g ON g.key = i.group_key \
         ORDER BY g.position, i.position",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut groups: Vec<SpecGroup> = Vec::new();
    for r in rows {
        let better = match r.better.as_deref() {
            None => None,
            Some("higher") => Some(Better::Higher),
            Some("lower") => Some(Better::Lower),
            Some(other) => return Err(corrupt(format!("spec item {}: better {other:?}", r.key))),
        };
        let item = SpecItem {
            key: r.key,
            name_zh: r.name_zh,
            unit: r.unit,
            better,
        };
        match groups.last_mut() {
            Some(g) if g.key == r.group_key => g.items.push(item),
            _ => groups.push(SpecGroup {
                key: r.group_key,
                name_zh: r.group_name,
                items: vec![item],
            }),
        }
    }
    Ok(groups)
}

/// A series as the dealer sells it, before its trims are summed up.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesRecord {
    pub id: String,
    pub brand: Brand,
    pub name_zh: String,
    pub name_en: String,
    pub search_keys: String,
    pub body_type: BodyType,
    pub energy_types: Vec<EnergyType>,
    pub status: SeriesStatus,
    pub guide_min: Option<i64>,
    pub guide_max: Option<i64>,
    pub featured: bool,
    /// The dealer's cover photo of it (`photos.rs`).
    pub cover: Option<shared::photo::Photo>,
}

/// Everything one dealer sells: its series in its order, and their trims with its prices.
#[derive(Clone, Debug, PartialEq)]
pub struct Lineup {
    pub series: Vec<SeriesRecord>,
    /// In the dealer's series order, then catalogue order.
    pub trims: Vec<Trim>,
}

#[derive(sqlx::FromRow)]
struct SeriesRow {
    id: String,
    brand_id: String,
    brand_zh: String,
    brand_en: String,
    name_zh: String,
    name_en: String,
    search_keys: String,
    body_type: String,
    energy_types: String,
    status: String,
    guide_min: Option<i64>,
    guide_max: Option<i64>,
    featured: i64,
}

#[derive(sqlx::FromRow)]
struct TrimRow {
    id: String,
    series_id: String,
    series_name: String,
    name_zh: String,
    model_year: Option<i64>,
    guide_price: Option<i64>,
    dealer_price: Option<i64>,
    energy_type: Option<String>,
    seats: Option<i64>,
    displacement_ml: Option<i64>,
    eaer_km: Option<i64>,
    specs: String,
}

#[derive(sqlx::FromRow)]
struct ListingRow {
    trim_id: String,
    period: String,
    listed: i64,
    source: String,
}

/// Which part of a dealer's lineup to read: the database is asked for those rows only.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// Everything it sells (the catalogue, the selection).
    All,
    /// The series it features (the home page).
    Featured,
    /// One series (the model page).
    Series(&'a str),
    /// These trims, with their series (a comparison, the calculator); at most
    /// `MAX_TRIMS` ids are read.
    Trims(&'a [String]),
}

/// The most trims a `Scope::Trims` reads: a comparison's four, with room to spare.
pub const MAX_TRIMS: usize = 8;

impl Scope<'_> {
    /// The condition on `s` (series), `ds` (dealer_series) and, when `trims`, `t` (trims), with
    /// its binds after `$1` (the dealer id).
    fn condition(&self, trims: bool) -> (String, Vec<String>) {
        match self {
            Self::All => ("TRUE".into(), vec![]),
            Self::Featured => ("ds.featured <> 0".into(), vec![]),
            Self::Series(id) => ("s.id = $2".into(), vec![id.to_string()]),
            Self::Trims(ids) => {
                let ids: Vec<String> = ids.iter().take(MAX_TRIMS).cloned().collect();
                let column = if trims { "t.id" } else { "s.id" };
                let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
                let subject = match trims {
                    true => format!("{column} IN ({})", list.join(", ")),
                    // The series of the trims asked for.
                    false => format!(
                        "s.id IN (SELECT series_id FROM trims WHERE id IN ({}))",
                        list.join(", ")
                    ),
                };
                match ids.is_empty() {
                    true => ("FALSE".into(), vec![]),
                    false => (subject, ids),
                }
            }
        }
    }
}

/// Loads the part of what a dealer sells that `scope` names, with the dealer prices that hold
/// on `today` (outside its days a dealer price is not shown: the guide price holds).
pub async fn lineup(
    db: &Db,
    dealer_id: i64,
    scope: Scope<'_>,
    today: Date,
) -> sqlx::Result<Lineup> {
    let (series_where, series_binds) = scope.condition(false);
    let sql = format!(
        "SELECT s.id, s.brand_id, b.name_zh AS brand_zh, b.name_en AS brand_en, s.name_zh, \
         s.name_en, s.search_keys, s.body_type, s.energy_types, s.status, s.guide_min, \
         s.guide_max, ds.featured \
         FROM dealer_series ds JOIN series s ON s.id = ds.series_id \
         JOIN brands b ON b.id = s.brand_id \
         WHERE ds.dealer_id = $1 AND {series_where} \
         ORDER BY ds.position, s.position"
    );
    let mut query = sqlx::query_as(&sql).bind(dealer_id);
    for bind in &series_binds {
        query = query.bind(bind.as_str());
    }
    let series_rows: Vec<SeriesRow> = query.fetch_all(&db.pool).await?;
    let mut covers = crate::photos::covers(db, dealer_id, &series_where, &series_binds).await?;
    let (trim_where, trim_binds) = scope.condition(true);
    let day = format!("${}", trim_binds.len() + 2);
    let sql = format!(
        "SELECT t.id, t.series_id, s.name_zh AS series_name, t.name_zh, t.model_year, \
         t.guide_price, \
         CASE WHEN (dt.price_from IS NULL OR dt.price_from <= {day}) \
              AND (dt.price_until IS NULL OR dt.price_until >= {day}) \
              THEN dt.dealer_price END AS dealer_price, \
         t.energy_type, t.seats, t.displacement_ml, t.eaer_km, t.specs \
         FROM dealer_trims dt JOIN trims t ON t.id = dt.trim_id \
         JOIN series s ON s.id = t.series_id \
         JOIN dealer_series ds ON ds.dealer_id = dt.dealer_id AND ds.series_id = t.series_id \
         WHERE dt.dealer_id = $1 AND {trim_where} \
         ORDER BY ds.position, t.position"
    );
    let mut query = sqlx::query_as(&sql).bind(dealer_id);
    for bind in &trim_binds {
        query = query.bind(bind.as_str());
    }
    let trim_rows: Vec<TrimRow> = query.bind(today.to_string()).fetch_all(&db.pool).await?;
    let sql = format!(
        "SELECT l.trim_id, l.period, l.listed, l.source \
         FROM trim_listings l JOIN dealer_trims dt ON dt.trim_id = l.trim_id \
         JOIN trims t ON t.id = l.trim_id JOIN series s ON s.id = t.series_id \
         JOIN dealer_series ds ON ds.dealer_id = dt.dealer_id AND ds.series_id = t.series_id \
         WHERE dt.dealer_id = $1 AND {trim_where} \
         ORDER BY l.trim_id, l.period"
    );
    let mut query = sqlx::query_as(&sql).bind(dealer_id);
    for bind in &trim_binds {
        query = query.bind(bind.as_str());
    }
    let listing_rows: Vec<ListingRow> = query.fetch_all(&db.pool).await?;
    let mut listings: BTreeMap<String, Vec<Listing>> = BTreeMap::new();
    for r in listing_rows {
        let period = ReliefPeriod::from_key(&r.period)
            .ok_or_else(|| corrupt(format!("trim {}: period {}", r.trim_id, r.period)))?;
        listings.entry(r.trim_id).or_default().push(Listing {
            period,
            listed: r.listed != 0,
            source: Some(r.source),
        });
    }

    let series = series_rows
        .into_iter()
        .map(|r| {
            Ok(SeriesRecord {
                cover: covers.remove(&r.id),
                body_type: BodyType::from_key(&r.body_type).ok_or_else(|| {
                    corrupt(format!("series {}: body type {}", r.id, r.body_type))
                })?,
                energy_types: r
                    .energy_types
                    .split(',')
                    .filter(|k| !k.is_empty())
                    .map(|k| {
                        EnergyType::from_key(k)
                            .ok_or_else(|| corrupt(format!("series {}: energy type {k}", r.id)))
                    })
                    .collect::<sqlx::Result<_>>()?,
                status: SeriesStatus::from_key(&r.status)
                    .ok_or_else(|| corrupt(format!("series {}: status {}", r.id, r.status)))?,
                brand: Brand {
                    id: r.brand_id,
                    name_zh: r.brand_zh,
                    name_en: r.brand_en,
                },
                id: r.id,
                name_zh: r.name_zh,
                name_en: r.name_en,
                search_keys: r.search_keys,
                guide_min: r.guide_min,
                guide_max: r.guide_max,
                featured: r.featured != 0,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    let brand_of: BTreeMap<&str, &str> = series
        .iter()
        .map(|s| (s.id.as_str(), s.brand.id.as_str()))
        .collect();
    let trims = trim_rows
        .into_iter()
        .map(|r| {
            let specs: BTreeMap<String, SpecValue> = serde_json::from_str(&r.specs)
                .map_err(|e| corrupt(format!("trim {}: specs: {e}", r.id)))?;
            Ok(Trim {
                listings: listings.remove(&r.id).unwrap_or_default(),
                energy_type: match r.energy_type.as_deref() {
                    None => None,
                    Some(k) => Some(
                        EnergyType::from_key(k)
                            .ok_or_else(|| corrupt(format!("trim {}: energy type {k}", r.id)))?,
                    ),
                },
                id: r.id,
                series_id: r.series_id,
                series_name: r.series_name,
                name_zh: r.name_zh,
                model_year: r.model_year,
                guide_price: r.guide_price,
                dealer_price: r.dealer_price,
                seats: r.seats,
                displacement_ml: r.displacement_ml,
                eaer_km: r.eaer_km,
                specs,
            })
        })
        .map(|trim: sqlx::Result<Trim>| {
            let mut trim = trim?;
            let brand = brand_of.get(trim.series_id.as_str()).copied().unwrap_or("");
            shared::derive::derive(&mut trim, brand);
            Ok(trim)
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Lineup { series, trims })
}

impl Lineup {
    /// The trims of one series, cheapest guide price first, unknown prices last.
    pub fn series_trims(&self, series_id: &str) -> Vec<Trim> {
        let mut trims: Vec<Trim> = self
            .trims
            .iter()
            .filter(|t| t.series_id == series_id)
            .cloned()
            .collect();
        // A stable sort keeps catalogue order among equal or unknown prices.
        trims.sort_by_key(|t| t.guide_price.unwrap_or(i64::MAX));
        trims
    }

    /// One card per series, in the dealer's order.
    pub fn summaries(&self) -> Vec<SeriesSummary> {
        self.series.iter().map(|s| self.summary(s)).collect()
    }

    pub fn summary(&self, s: &SeriesRecord) -> SeriesSummary {
        let trims: Vec<&Trim> = self.trims.iter().filter(|t| t.series_id == s.id).collect();
        let guide: Vec<i64> = trims.iter().filter_map(|t| t.guide_price).collect();
        // The published series range when there is one, else the range of the trims.
        let (guide_min, guide_max) = match (s.guide_min, s.guide_max) {
            (Some(min), Some(max)) => (Some(min), Some(max)),
            _ => (guide.iter().copied().min(), guide.iter().copied().max()),
        };
        // The lowest price the dealer asks: once it prices any trim, a trim it has not
        // priced is on offer at the guide price.
        let dealer_min = if trims.iter().any(|t| t.dealer_price.is_some()) {
            trims.iter().filter_map(|t| t.price()).min()
        } else {
            None
        };
        let mut seats: Vec<i64> = trims.iter().filter_map(|t| t.seats).collect();
        seats.sort_unstable();
        seats.dedup();
        let max_range_km = trims
            .iter()
            .filter_map(|t| t.specs.get("range_cltc_km").and_then(SpecValue::as_number))
            .map(|km| km.round() as i64)
            .max();
        SeriesSummary {
            id: s.id.clone(),
            brand_id: s.brand.id.clone(),
            brand_name: s.brand.name_zh.clone(),
            name_zh: s.name_zh.clone(),
            name_en: s.name_en.clone(),
            search_keys: s.search_keys.clone(),
            body_type: s.body_type,
            energy_types: s.energy_types.clone(),
            status: s.status,
            guide_min,
            guide_max,
            dealer_min,
            seats,
            max_range_km,
            trim_count: trims.len() as i64,
            featured: s.featured,
            cover: s.cover.clone(),
        }
    }

    /// The brands of the series on offer, each once, in the dealer's order.
    pub fn brands(&self) -> Vec<Brand> {
        let mut brands: Vec<Brand> = Vec::new();
        for s in &self.series {
            if !brands.iter().any(|b| b.id == s.brand.id) {
                brands.push(s.brand.clone());
            }
        }
        brands
    }

    /// The requested trims in the requested order, and the ids not on offer.
    pub fn pick(&self, ids: &[String]) -> (Vec<Trim>, Vec<String>) {
        let mut found = Vec::new();
        let mut dropped = Vec::new();
        for id in ids {
            match self.trims.iter().find(|t| &t.id == id) {
                Some(t) => found.push(t.clone()),
                None => dropped.push(id.clone()),
            }
        }
        (found, dropped)
    }

    /// Every trim with its series' body type, for the ranking.
    pub fn candidates(&self) -> Vec<Candidate> {
        self.trims
            .iter()
            .filter_map(|t| {
                let s = self.series.iter().find(|s| s.id == t.series_id)?;
                Some(Candidate {
                    trim: t.clone(),
                    body_type: s.body_type,
                })
            })
            .collect()
    }
}

/// Marks a dealer's catalogue changed, in the writer's transaction: every instance then answers
/// from the new rows (`http::cache`). Every write to what a dealer's catalogue answers or page
/// shells show calls it.
pub async fn changed(conn: &mut sqlx::AnyConnection, dealer_id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO catalogue_versions (dealer_id, version) VALUES ($1, 1) \
         ON CONFLICT (dealer_id) DO UPDATE SET version = catalogue_versions.version + 1",
    )
    .bind(dealer_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks every dealer's catalogue changed (the seed writes rows all of them show).
pub async fn all_changed(conn: &mut sqlx::AnyConnection) -> sqlx::Result<()> {
    // `WHERE TRUE`: SQLite reads `ON CONFLICT` after a bare `SELECT ... FROM` as a join clause.
    sqlx::query(
        "INSERT INTO catalogue_versions (dealer_id, version) SELECT id, 1 FROM dealers WHERE TRUE \
         ON CONFLICT (dealer_id) DO UPDATE SET version = catalogue_versions.version + 1",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The condition on a series `s` or trim `t` row that the dealer `$1` may see: the platform's
/// and its own (`own_catalog`), never another dealer's own.
pub const VISIBLE_SERIES: &str = "(s.dealer_id IS NULL OR s.dealer_id = $1)";
pub const VISIBLE_TRIMS: &str = "(t.dealer_id IS NULL OR t.dealer_id = $1)";

/// The platform catalogue's series and the dealer's own, with whether the dealer sells and
/// features each, by brand (its own after the platform's of a brand).
pub async fn platform_series(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<CatalogSeries>> {
    let sql = format!(
        "SELECT s.id, b.name_zh AS brand, s.name_zh AS name, \
         (SELECT COUNT(*) FROM trims t WHERE t.series_id = s.id AND {VISIBLE_TRIMS}) AS trims, \
         ds.featured, s.dealer_id AS owner \
         FROM series s JOIN brands b ON b.id = s.brand_id \
         LEFT JOIN dealer_series ds ON ds.series_id = s.id AND ds.dealer_id = $1 \
         WHERE {VISIBLE_SERIES} \
         ORDER BY b.position, b.id, s.dealer_id IS NOT NULL, s.position, s.id"
    );
    let rows: Vec<PlatformRow> = sqlx::query_as(&sql)
        .bind(dealer_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| CatalogSeries {
            id: r.id,
            brand: r.brand,
            name: r.name,
            trims: u32::try_from(r.trims).unwrap_or(0),
            on_sale: r.featured.is_some(),
            featured: r.featured.unwrap_or(0) != 0,
            own: r.owner.is_some(),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PlatformRow {
    id: String,
    brand: String,
    name: String,
    trims: i64,
    /// Sold when present; featured when not 0.
    featured: Option<i64>,
    /// The dealer whose own series it is.
    owner: Option<i64>,
}

/// Puts a series it may see on sale at the dealer (every trim of it it may see, after what it
/// already sells) or takes it off, and features it or not, the catalogue marked changed in the same
/// transaction. `None` when there is no such series.
pub async fn put_on_sale(
    db: &Db,
    dealer_id: i64,
    series_id: &str,
    change: SeriesOnSale,
) -> sqlx::Result<Option<CatalogSeries>> {
    let mut tx = crate::db::begin_write(db).await?;
    let sql = format!("SELECT s.id FROM series s WHERE {VISIBLE_SERIES} AND s.id = $2");
    let known: Option<String> = sqlx::query_scalar(&sql)
        .bind(dealer_id)
        .bind(series_id)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Ok(None);
    }
    if change.on_sale {
        sqlx::query(
            "INSERT INTO dealer_series (dealer_id, series_id, featured, position) \
             SELECT $1, $2, $3, COALESCE(MAX(position), 0) + 1 FROM dealer_series WHERE dealer_id = $1 \
             ON CONFLICT (dealer_id, series_id) DO UPDATE SET featured = $3",
        )
        .bind(dealer_id)
        .bind(series_id)
        .bind(i64::from(change.featured))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO dealer_trims (dealer_id, trim_id) SELECT $1, t.id FROM trims t \
             WHERE t.series_id = $2 AND (t.dealer_id IS NULL OR t.dealer_id = $1) \
             ON CONFLICT (dealer_id, trim_id) DO NOTHING",
        )
        .bind(dealer_id)
        .bind(series_id)
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query(
            "DELETE FROM dealer_trims WHERE dealer_id = $1 AND trim_id IN (SELECT id FROM trims WHERE series_id = $2)",
        )
        .bind(dealer_id)
        .bind(series_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM dealer_series WHERE dealer_id = $1 AND series_id = $2")
            .bind(dealer_id)
            .bind(series_id)
            .execute(&mut *tx)
            .await?;
    }
    changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(platform_series(db, dealer_id)
        .await?
        .into_iter()
        .find(|s| s.id == series_id))
}

/// A row the schema allows but the code cannot read (an unknown key, bad JSON): a decode error,
/// so it stays a database error and answers 500.
fn corrupt(what: String) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}
