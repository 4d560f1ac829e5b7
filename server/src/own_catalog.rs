//! A dealer's own catalogue entries (自有车系、车型): adding and editing its own series and
//! trims, a series' trims and a trim's specs as the console shows them, each write in one
//! transaction that marks the dealer's catalogue changed. Platform entries are read-only here;
//! another dealer's own are never found (`catalog::VISIBLE_SERIES`).

use std::collections::BTreeMap;

use rand::Rng;
use shared::catalog::{BodyType, EnergyType, SpecValue};
use shared::catalog_edit::{
    BrandChoice, CatalogTrim, SeriesForm, SeriesTrims, SpecEdits, TrimForm, TrimSheet, OWN_PREFIX,
    RANGE_SPEC,
};
use shared::ApiError;

use crate::catalog::{self, VISIBLE_SERIES, VISIBLE_TRIMS};
use crate::db::Db;

/// Why an edit was refused.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// No such series or trim that this dealer may see.
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// A platform entry: read-only for dealers.
    #[error("read-only")]
    ReadOnly,
    /// A value that breaks a rule (the field named).
    #[error("invalid: {0}")]
    Invalid(ApiError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A new own id: `own-{dealer}-{12 hex}`, never a platform slug (they never start `own-`).
pub fn new_id(dealer_id: i64) -> String {
    let n: u64 = rand::thread_rng().gen();
    format!("{OWN_PREFIX}{dealer_id}-{:012x}", n & 0xffff_ffff_ffff)
}

/// The brands a dealer may put its own series under.
pub async fn brands(db: &Db) -> sqlx::Result<Vec<BrandChoice>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name_zh FROM brands ORDER BY position, id")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name_zh)| BrandChoice { id, name_zh })
        .collect())
}

#[derive(sqlx::FromRow)]
struct SeriesRow {
    id: String,
    brand_id: String,
    brand_name: String,
    name_zh: String,
    body_type: String,
    energy_types: String,
    guide_min: Option<i64>,
    guide_max: Option<i64>,
    dealer_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct TrimRow {
    id: String,
    series_id: String,
    series_name: String,
    name_zh: String,
    model_year: Option<i64>,
    guide_price: Option<i64>,
    energy_type: Option<String>,
    seats: Option<i64>,
    displacement_ml: Option<i64>,
    specs: String,
    dealer_id: Option<i64>,
}

fn corrupt(what: String) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}

fn specs_of(id: &str, json: &str) -> sqlx::Result<BTreeMap<String, SpecValue>> {
    serde_json::from_str(json).map_err(|e| corrupt(format!("trim {id}: specs: {e}")))
}

fn energy_of(key: &str) -> sqlx::Result<EnergyType> {
    EnergyType::from_key(key).ok_or_else(|| corrupt(format!("energy type {key}")))
}

/// A series the dealer may see, with its trims it may see, in catalogue order.
pub async fn series_trims(
    db: &Db,
    dealer_id: i64,
    series_id: &str,
) -> sqlx::Result<Option<SeriesTrims>> {
    let sql = format!(
        "SELECT s.id, s.brand_id, b.name_zh AS brand_name, s.name_zh, s.body_type, \
         s.energy_types, s.guide_min, s.guide_max, s.dealer_id \
         FROM series s JOIN brands b ON b.id = s.brand_id WHERE {VISIBLE_SERIES} AND s.id = $2"
    );
    let Some(s): Option<SeriesRow> = sqlx::query_as(&sql)
        .bind(dealer_id)
        .bind(series_id)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let trims = trim_rows(db, dealer_id, "t.series_id = $2", series_id).await?;
    let trims = trims
        .into_iter()
        .map(|t| {
            Ok(CatalogTrim {
                known_specs: specs_of(&t.id, &t.specs)?.len() as u32,
                energy_type: t.energy_type.as_deref().map(energy_of).transpose()?,
                own: t.dealer_id.is_some(),
                id: t.id,
                name_zh: t.name_zh,
                model_year: t.model_year,
                guide_price: t.guide_price,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Some(SeriesTrims {
        form: SeriesForm {
            body_type: BodyType::from_key(&s.body_type)
                .ok_or_else(|| corrupt(format!("series {}: body {}", s.id, s.body_type)))?,
            energy_types: s
                .energy_types
                .split(',')
                .filter(|k| !k.is_empty())
                .map(energy_of)
                .collect::<sqlx::Result<_>>()?,
            brand_id: s.brand_id,
            name_zh: s.name_zh,
            guide_min: s.guide_min,
            guide_max: s.guide_max,
        },
        id: s.id,
        brand_name: s.brand_name,
        own: s.dealer_id.is_some(),
        trims,
    }))
}

async fn trim_rows(
    db: &Db,
    dealer_id: i64,
    condition: &str,
    bind: &str,
) -> sqlx::Result<Vec<TrimRow>> {
    let sql = format!(
        "SELECT t.id, t.series_id, s.name_zh AS series_name, t.name_zh, t.model_year, \
         t.guide_price, t.energy_type, t.seats, t.displacement_ml, t.specs, t.dealer_id \
         FROM trims t JOIN series s ON s.id = t.series_id \
         WHERE {VISIBLE_TRIMS} AND {VISIBLE_SERIES} AND {condition} \
         ORDER BY t.dealer_id IS NOT NULL, t.position, t.id"
    );
    sqlx::query_as(&sql)
        .bind(dealer_id)
        .bind(bind)
        .fetch_all(&db.pool)
        .await
}

/// A trim the dealer may see, with its form, specs and the layout to edit them in.
pub async fn trim_sheet(db: &Db, dealer_id: i64, trim_id: &str) -> sqlx::Result<Option<TrimSheet>> {
    let Some(t) = trim_rows(db, dealer_id, "t.id = $2", trim_id)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let specs = specs_of(&t.id, &t.specs)?;
    let energy_type = match t.energy_type.as_deref() {
        Some(k) => energy_of(k)?,
        // A platform trim without one is shown, never saved (read-only).
        None => EnergyType::Petrol,
    };
    Ok(Some(TrimSheet {
        form: TrimForm {
            name_zh: t.name_zh,
            model_year: t.model_year,
            energy_type,
            seats: t.seats,
            displacement_ml: t.displacement_ml,
            range_km: specs
                .get(RANGE_SPEC)
                .and_then(SpecValue::as_number)
                .map(|n| n.round() as i64),
            guide_price: t.guide_price,
        },
        specs,
        layout: catalog::layout(db).await?,
        id: t.id,
        series_id: t.series_id,
        series_name: t.series_name,
        own: t.dealer_id.is_some(),
    }))
}

/// Adds an own series, on sale at once (last in the dealer's order). Its id.
pub async fn add_series(db: &Db, dealer_id: i64, form: &SeriesForm) -> Result<String, Refused> {
    form.validate().map_err(Refused::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    let brand: Option<String> = sqlx::query_scalar("SELECT name_zh FROM brands WHERE id = $1")
        .bind(&form.brand_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(brand) = brand else {
        return Err(Refused::Invalid(ApiError::invalid(
            "brand_id",
            "没有该品牌",
        )));
    };
    let id = new_id(dealer_id);
    sqlx::query(
        "INSERT INTO series (id, brand_id, name_zh, name_en, search_keys, body_type, energy_types, \
         status, guide_min, guide_max, position, dealer_id) \
         VALUES ($1, $2, $3, '', $4, $5, $6, 'on_sale', $7, $8, \
         (SELECT COALESCE(MAX(position), 0) + 1 FROM series), $9)",
    )
    .bind(&id)
    .bind(&form.brand_id)
    .bind(form.name_zh.trim())
    .bind(crate::seed::search_keys(form.name_zh.trim(), &brand))
    .bind(form.body_type.key())
    .bind(energy_keys(&form.energy_types))
    .bind(form.guide_min)
    .bind(form.guide_max)
    .bind(dealer_id)
    .execute(&mut *tx)
    .await?;
    on_sale(&mut tx, dealer_id, &id).await?;
    catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(id)
}

fn energy_keys(types: &[EnergyType]) -> String {
    types.iter().map(|e| e.key()).collect::<Vec<_>>().join(",")
}

/// The series on sale at the dealer (after what it sells), if it was not.
async fn on_sale(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    series_id: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO dealer_series (dealer_id, series_id, featured, position) \
         SELECT $1, $2, 0, COALESCE(MAX(position), 0) + 1 FROM dealer_series WHERE dealer_id = $1 \
         ON CONFLICT (dealer_id, series_id) DO NOTHING",
    )
    .bind(dealer_id)
    .bind(series_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the dealer may see `series_id`, and whether it is its own.
async fn series_owner(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    series_id: &str,
) -> sqlx::Result<Option<bool>> {
    let sql = format!("SELECT s.dealer_id FROM series s WHERE {VISIBLE_SERIES} AND s.id = $2");
    let row: Option<(Option<i64>,)> = sqlx::query_as(&sql)
        .bind(dealer_id)
        .bind(series_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(owner,)| owner.is_some()))
}

/// Saves an own series' details.
pub async fn save_series(
    db: &Db,
    dealer_id: i64,
    series_id: &str,
    form: &SeriesForm,
) -> Result<(), Refused> {
    form.validate().map_err(Refused::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    match series_owner(&mut tx, dealer_id, series_id).await? {
        None => return Err(Refused::NotFound("没有该车系")),
        Some(false) => return Err(Refused::ReadOnly),
        Some(true) => {}
    }
    let brand: Option<String> = sqlx::query_scalar("SELECT name_zh FROM brands WHERE id = $1")
        .bind(&form.brand_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(brand) = brand else {
        return Err(Refused::Invalid(ApiError::invalid(
            "brand_id",
            "没有该品牌",
        )));
    };
    sqlx::query(
        "UPDATE series SET brand_id = $1, name_zh = $2, search_keys = $3, body_type = $4, \
         energy_types = $5, guide_min = $6, guide_max = $7 WHERE id = $8 AND dealer_id = $9",
    )
    .bind(&form.brand_id)
    .bind(form.name_zh.trim())
    .bind(crate::seed::search_keys(form.name_zh.trim(), &brand))
    .bind(form.body_type.key())
    .bind(energy_keys(&form.energy_types))
    .bind(form.guide_min)
    .bind(form.guide_max)
    .bind(series_id)
    .bind(dealer_id)
    .execute(&mut *tx)
    .await?;
    catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds an own trim to a series the dealer may see (its own or the platform's), on sale at
/// once with its series. Its id.
pub async fn add_trim(
    db: &Db,
    dealer_id: i64,
    series_id: &str,
    form: &TrimForm,
) -> Result<String, Refused> {
    form.validate().map_err(Refused::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    if series_owner(&mut tx, dealer_id, series_id).await?.is_none() {
        return Err(Refused::NotFound("没有该车系"));
    }
    let mut specs = BTreeMap::new();
    if let Some(km) = form.range_km {
        specs.insert(RANGE_SPEC.to_string(), SpecValue::Number(km as f64));
    }
    let id = insert_trim(&mut tx, dealer_id, series_id, form, &specs).await?;
    catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes a new own trim with `specs` and puts it (and its series) on sale; its id. The
/// caller marks the catalogue changed.
pub async fn insert_trim(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    series_id: &str,
    form: &TrimForm,
    specs: &BTreeMap<String, SpecValue>,
) -> sqlx::Result<String> {
    let id = new_id(dealer_id);
    sqlx::query(
        "INSERT INTO trims (id, series_id, name_zh, model_year, guide_price, energy_type, seats, \
         displacement_ml, specs, position, dealer_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         (SELECT COALESCE(MAX(position), 0) + 1 FROM trims WHERE series_id = $2), $10)",
    )
    .bind(&id)
    .bind(series_id)
    .bind(form.name_zh.trim())
    .bind(form.model_year)
    .bind(form.guide_price)
    .bind(form.energy_type.key())
    .bind(form.seats)
    .bind(form.displacement_ml)
    .bind(serde_json::to_string(specs).map_err(|e| corrupt(e.to_string()))?)
    .bind(dealer_id)
    .execute(&mut *conn)
    .await?;
    on_sale(&mut *conn, dealer_id, series_id).await?;
    sqlx::query("INSERT INTO dealer_trims (dealer_id, trim_id) VALUES ($1, $2)")
        .bind(dealer_id)
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// An own trim's specs, for a writer that holds the transaction; `ReadOnly`/`NotFound` as
/// the dealer may not write it.
pub async fn own_specs(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    trim_id: &str,
) -> Result<BTreeMap<String, SpecValue>, Refused> {
    let sql =
        format!("SELECT t.dealer_id, t.specs FROM trims t WHERE {VISIBLE_TRIMS} AND t.id = $2");
    let row: Option<(Option<i64>, String)> = sqlx::query_as(&sql)
        .bind(dealer_id)
        .bind(trim_id)
        .fetch_optional(conn)
        .await?;
    match row {
        None => Err(Refused::NotFound("没有该车型")),
        Some((None, _)) => Err(Refused::ReadOnly),
        Some((Some(_), specs)) => Ok(specs_of(trim_id, &specs)?),
    }
}

/// Writes an own trim's specs (the caller checked it is own and marks the change).
pub async fn write_specs(
    conn: &mut sqlx::AnyConnection,
    trim_id: &str,
    specs: &BTreeMap<String, SpecValue>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE trims SET specs = $1 WHERE id = $2")
        .bind(serde_json::to_string(specs).map_err(|e| corrupt(e.to_string()))?)
        .bind(trim_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Saves an own trim's details (its range kept as the spec `range_cltc_km`).
pub async fn save_trim(
    db: &Db,
    dealer_id: i64,
    trim_id: &str,
    form: &TrimForm,
) -> Result<(), Refused> {
    form.validate().map_err(Refused::Invalid)?;
    let mut tx = crate::db::begin_write(db).await?;
    let mut specs = own_specs(&mut tx, dealer_id, trim_id).await?;
    match form.range_km {
        Some(km) => specs.insert(RANGE_SPEC.to_string(), SpecValue::Number(km as f64)),
        None => specs.remove(RANGE_SPEC),
    };
    sqlx::query(
        "UPDATE trims SET name_zh = $1, model_year = $2, guide_price = $3, energy_type = $4, \
         seats = $5, displacement_ml = $6, specs = $7 WHERE id = $8 AND dealer_id = $9",
    )
    .bind(form.name_zh.trim())
    .bind(form.model_year)
    .bind(form.guide_price)
    .bind(form.energy_type.key())
    .bind(form.seats)
    .bind(form.displacement_ml)
    .bind(serde_json::to_string(&specs).map_err(|e| corrupt(e.to_string()))?)
    .bind(trim_id)
    .bind(dealer_id)
    .execute(&mut *tx)
    .await?;
    catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Applies spec edits to an own trim: each value read by the item's rule
/// (`spec_sheet::parse_cell`), an empty one removed; an unknown key or a bad value refuses the
/// whole edit (the field is the item's key).
pub async fn save_specs(
    db: &Db,
    dealer_id: i64,
    trim_id: &str,
    edits: &SpecEdits,
) -> Result<(), Refused> {
    let layout = catalog::layout(db).await?;
    let mut tx = crate::db::begin_write(db).await?;
    let mut specs = own_specs(&mut tx, dealer_id, trim_id).await?;
    for (key, text) in &edits.values {
        let Some(item) = layout.iter().flat_map(|g| &g.items).find(|i| &i.key == key) else {
            return Err(Refused::Invalid(ApiError::invalid(key, "没有该参数项")));
        };
        match shared::spec_sheet::parse_cell(item, 1.0, text) {
            Ok(Some(value)) => specs.insert(key.clone(), value),
            Ok(None) => specs.remove(key),
            Err(message) => {
                return Err(Refused::Invalid(ApiError::invalid(
                    key,
                    format!("{}：{message}", item.name_zh),
                )))
            }
        };
    }
    write_specs(&mut tx, trim_id, &specs).await?;
    catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(())
}
