//! The demo data: the two sourced catalogues (`seed/catalog-cn.json`, `seed/leapmotor.json`)
//! merged into one brand → series → trim → specs catalogue in the standard spec layout, and two
//! fictional demo dealers. Everything is embedded in the binary; loading is idempotent.
//!
//! Rules: a spec the sources do not give is absent (the UI shows —), never guessed. English
//! free text of catalog-cn.json is mapped through `seed/editorial.json`, which also holds the
//! editorial body and energy types of the Leapmotor series; an unmapped field stops the seed.
//!
//! This file owns the catalogue types, their cross-reference check and writing a catalogue to
//! the database; `demo` builds the demo catalogue from the embedded files (`catalog_cn` and
//! `layout` map their parts), `search` makes the pinyin search keys.

use std::collections::{BTreeMap, HashSet};

use anyhow::ensure;
use serde::Deserialize;
use shared::catalog::{BodyType, EnergyType, SeriesStatus, SpecValue};
use shared::compare::{Better, SpecGroup};
use shared::console::StoreSetup;
use shared::slots::{Closure, OpeningHours, SlotKind, SlotTemplate};
use shared::tax::{Listing, VesselTaxRates};

use crate::db::Db;
use crate::slots;

mod catalog_cn;
mod datasets;
mod demo;
mod layout;
mod search;
mod trims;

pub use catalog_cn::energy_label;
pub use demo::demo_catalogue;
pub use layout::layout;
pub use search::{pinyin_keys, search_keys};

/// A whole catalogue and the dealers selling from it, ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalogue {
    pub layout: Vec<SpecGroup>,
    pub brands: Vec<BrandSeed>,
    pub series: Vec<SeriesSeed>,
    pub trims: Vec<TrimSeed>,
    pub dealers: Vec<DealerSeed>,
    /// The password every seeded staff member starts with (the demo's, printed in the README).
    pub staff_password: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct BrandSeed {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesSeed {
    pub id: String,
    pub brand_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub search_keys: String,
    pub body_type: BodyType,
    pub energy_types: Vec<EnergyType>,
    pub status: SeriesStatus,
    /// The published guide-price range of the series, when the source gives one.
    pub guide_min: Option<i64>,
    pub guide_max: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrimSeed {
    pub id: String,
    pub series_id: String,
    pub name_zh: String,
    pub model_year: Option<i64>,
    pub guide_price: Option<i64>,
    pub energy_type: Option<EnergyType>,
    pub seats: Option<i64>,
    pub displacement_ml: Option<i64>,
    pub eaer_km: Option<i64>,
    pub listings: Vec<Listing>,
    pub specs: BTreeMap<String, SpecValue>,
}

/// A dealer as `seed/dealers.json` describes it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct DealerSeed {
    pub slug: String,
    pub name: String,
    pub brand_color: String,
    pub phone: String,
    pub stores: Vec<StoreSeed>,
    /// Series sold, in the dealer's order; every trim of each is sold.
    pub series: Vec<String>,
    pub featured: Vec<String>,
    /// The dealer's own price per trim id, in yuan.
    #[serde(default)]
    pub prices: BTreeMap<String, i64>,
    /// Its province's 车船税 amounts, with their source (none: demo amounts, 演示).
    pub vessel_tax: VesselTaxRates,
    /// The annual loan rate its comparison shows, in basis points.
    pub loan_rate_bp: i64,
    /// Its admin, manager and consultants.
    pub staff: Vec<StaffSeed>,
}

/// A member of a dealer's staff; `stores` are the indexes of the stores a consultant serves.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StaffSeed {
    pub name: String,
    pub login: String,
    pub role: String,
    pub phone: String,
    pub stores: Vec<usize>,
    /// Their card: title, WeChat id and the handle of their showcase.
    pub title: String,
    pub wechat: Option<String>,
    pub handle: String,
}

/// A store's test drives: hours, closures, how slots are cut, and its test-drive cars.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TestDriveSeed {
    pub hours: Vec<OpeningHours>,
    pub closures: Vec<Closure>,
    pub templates: Vec<SlotTemplate>,
    pub series: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StoreSeed {
    pub name: String,
    pub address: String,
    pub city: String,
    pub phone: String,
    pub opening_hours: String,
    /// How its service slots (保养/维修) are cut.
    #[serde(default)]
    pub service: Vec<SlotTemplate>,
    pub test_drive: TestDriveSeed,
}

impl Catalogue {
    /// Every reference resolves: spec keys are in the layout, trims and dealers name real
    /// series and trims, ids are unique, colours are `#RRGGBB`.
    pub fn check(&self) -> anyhow::Result<()> {
        let items: HashSet<&str> = self
            .layout
            .iter()
            .flat_map(|g| g.items.iter().map(|i| i.key.as_str()))
            .collect();
        let brands: HashSet<&str> = self.brands.iter().map(|b| b.id.as_str()).collect();
        let mut series_ids = HashSet::new();
        for s in &self.series {
            ensure!(series_ids.insert(s.id.as_str()), "series {} twice", s.id);
            ensure!(
                brands.contains(s.brand_id.as_str()),
                "series {} brand",
                s.id
            );
        }
        let mut trim_ids = HashSet::new();
        for t in &self.trims {
            ensure!(trim_ids.insert(t.id.as_str()), "trim {} twice", t.id);
            // A trim the calculator cannot price is a placeholder, not a trim.
            ensure!(t.energy_type.is_some(), "trim {} has no energy type", t.id);
            ensure!(
                series_ids.contains(t.series_id.as_str()),
                "trim {} series",
                t.id
            );
            for key in t.specs.keys() {
                ensure!(
                    items.contains(key.as_str()),
                    "trim {}: spec {key} is not in the layout",
                    t.id
                );
            }
        }
        let mut slugs = HashSet::new();
        for d in &self.dealers {
            ensure!(slugs.insert(d.slug.as_str()), "dealer {} twice", d.slug);
            shared::catalog::validate_dealer_slug(&d.slug)
                .map_err(|e| anyhow::anyhow!("dealer {}: {}", d.slug, e.message))?;
            ensure!(
                d.brand_color.len() == 7
                    && d.brand_color.starts_with('#')
                    && d.brand_color[1..].chars().all(|c| c.is_ascii_hexdigit()),
                "dealer {} colour",
                d.slug
            );
            for s in d.series.iter().chain(&d.featured) {
                ensure!(
                    series_ids.contains(s.as_str()),
                    "dealer {}: series {s}",
                    d.slug
                );
            }
            for f in &d.featured {
                ensure!(
                    d.series.contains(f),
                    "dealer {}: featured {f} not sold",
                    d.slug
                );
            }
            d.vessel_tax
                .validate()
                .map_err(|e| anyhow::anyhow!("dealer {}: {e}", d.slug))?;
            ensure!(
                (0..=shared::quote::MAX_RATE_BP).contains(&d.loan_rate_bp),
                "dealer {}: loan rate",
                d.slug
            );
            for trim in d.prices.keys() {
                let sold = self
                    .trims
                    .iter()
                    .any(|t| &t.id == trim && d.series.contains(&t.series_id));
                ensure!(sold, "dealer {}: price for unsold trim {trim}", d.slug);
            }
            for store in &d.stores {
                let td = &store.test_drive;
                for h in &td.hours {
                    shared::slots::validate_hours(h)
                        .map_err(|e| anyhow::anyhow!("store {}: {e}", store.name))?;
                }
                for t in td.templates.iter().chain(&store.service) {
                    shared::slots::validate_template(t)
                        .map_err(|e| anyhow::anyhow!("store {}: {e}", store.name))?;
                }
                for series in &td.series {
                    ensure!(
                        d.series.contains(series),
                        "store {}: test drives of unsold series {series}",
                        store.name
                    );
                }
            }
            for member in &d.staff {
                ensure!(
                    shared::console::Role::parse(&member.role).is_some(),
                    "staff {}: role {}",
                    member.name,
                    member.role
                );
                ensure!(
                    member.stores.iter().all(|&i| i < d.stores.len()),
                    "staff {}: store index",
                    member.name
                );
                let card = shared::profile::Profile {
                    name: member.name.clone(),
                    title: member.title.clone(),
                    phone: member.phone.clone(),
                    wechat: member.wechat.clone(),
                    handle: member.handle.clone(),
                };
                card.validate(&member.login)
                    .map_err(|e| anyhow::anyhow!("staff {}: {}", member.name, e.message))?;
            }
        }
        Ok(())
    }
}

/// Loads the demo catalogue and dealers (`CHELINK_DEMO=1`). Idempotent.
pub async fn load_demo(db: &Db) -> anyhow::Result<()> {
    let catalogue = demo_catalogue()?;
    load(db, &catalogue).await?;
    // Every store's slots for the booking window, from today.
    let today = crate::clock::Clock::now().today();
    for store_id in slots::store_ids(db).await? {
        for kind in [SlotKind::TestDrive, SlotKind::Service] {
            slots::plan(db, kind, store_id, today).await?;
        }
    }
    seed_activities(db, today).await?;
    Ok(())
}

/// Two activities of the `demo` dealer, 5 and 12 days from today, whenever it has none still
/// to come: a demo always has something to sign up for (演示).
async fn seed_activities(db: &Db, today: shared::date::Date) -> anyhow::Result<()> {
    let Some((dealer_id,)): Option<(i64,)> =
        sqlx::query_as("SELECT id FROM dealers WHERE slug = 'demo'")
            .fetch_optional(&db.pool)
            .await?
    else {
        return Ok(());
    };
    let now = crate::clock::Clock::now().millis;
    let upcoming: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM activities WHERE dealer_id = $1 AND cancelled = 0 AND ends_at > $2",
    )
    .bind(dealer_id)
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    if upcoming > 0 {
        return Ok(());
    }
    let store: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM stores WHERE dealer_id = $1 ORDER BY position, id LIMIT 1",
    )
    .bind(dealer_id)
    .fetch_optional(&db.pool)
    .await?;
    let activities = [
        (
            5,
            "test_drive_day",
            "周末试驾会（演示）",
            "小米SU7、特斯拉Model 3 同场试驾，专业顾问陪同讲解；到店即送精美车模一份。\n请携带驾驶证，名额有限，先到先得。",
            (14 * 60, 17 * 60),
            "本店展厅及试驾路线",
            30_i64,
            Some("xiaomi-su7"),
        ),
        (
            12,
            "owner_class",
            "车主讲堂：冬季用车与充电（演示）",
            "冬季续航为什么会变短？怎样预热电池、规划充电？售后技师现场讲解并解答提问，车主和准车主都欢迎。",
            (10 * 60, 11 * 60 + 30),
            "本店二楼客户休息区",
            20_i64,
            None,
        ),
    ];
    let mut tx = crate::db::begin_write(db).await?;
    for (days, kind, title, description, (start, end), place, seats, series) in activities {
        let day = today.add_days(days);
        let midnight = crate::clock::Clock::midnight(day);
        sqlx::query(
            "INSERT INTO activities (dealer_id, store_id, kind, title, description, day, starts_at, \
             ends_at, place, seats, series_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        )
        .bind(dealer_id)
        .bind(store)
        .bind(kind)
        .bind(title)
        .bind(description)
        .bind(day.to_string())
        .bind(midnight + start * 60_000)
        .bind(midnight + end * 60_000)
        .bind(place)
        .bind(seats)
        .bind(series)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    crate::catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The platform catalogue alone (layout, brands, series, trims), without the demo dealers:
/// what a new dealer picks from (`dealer add`). Idempotent.
pub async fn load_platform_catalogue(db: &Db) -> anyhow::Result<()> {
    let mut catalogue = demo_catalogue()?;
    catalogue.dealers.clear();
    load(db, &catalogue).await
}

/// Writes a catalogue in one transaction. Catalogue rows (layout, brands, series, trims) are
/// upserted, so they follow the seed files; dealers, stores and what each sells at which price
/// are only created when missing, so a dealer's later edits survive a restart. Running it
/// twice changes nothing.
pub async fn load(db: &Db, catalogue: &Catalogue) -> anyhow::Result<()> {
    // `own-` names a dealer's own entries: a platform id never starts so.
    let ids = catalogue.series.iter().map(|s| &s.id);
    if let Some(id) = ids
        .chain(catalogue.trims.iter().map(|t| &t.id))
        .find(|id| shared::catalog_edit::is_own_id(id))
    {
        anyhow::bail!("catalogue id {id}: `own-` is kept for dealers' own entries");
    }
    let mut tx = crate::db::begin_write(db).await?;

    for (gpos, group) in catalogue.layout.iter().enumerate() {
        sqlx::query(
            "INSERT INTO spec_groups (key, name_zh, position) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET name_zh = excluded.name_zh, position = excluded.position",
        )
        .bind(&group.key)
        .bind(&group.name_zh)
        .bind(gpos as i64)
        .execute(&mut *tx)
        .await?;
        for (ipos, item) in group.items.iter().enumerate() {
            let better = item.better.map(|b| match b {
                Better::Higher => "higher",
                Better::Lower => "lower",
            });
            sqlx::query(
                "INSERT INTO spec_items (key, group_key, name_zh, unit, better, position) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (key) DO UPDATE SET group_key = excluded.group_key, \
                 name_zh = excluded.name_zh, unit = excluded.unit, better = excluded.better, \
                 position = excluded.position",
            )
            .bind(&item.key)
            .bind(&group.key)
            .bind(&item.name_zh)
            .bind(item.unit.clone())
            .bind(better)
            .bind((gpos * 1000 + ipos) as i64)
            .execute(&mut *tx)
            .await?;
        }
    }

    for (pos, brand) in catalogue.brands.iter().enumerate() {
        sqlx::query(
            "INSERT INTO brands (id, name_zh, name_en, position) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, \
             name_en = excluded.name_en, position = excluded.position",
        )
        .bind(&brand.id)
        .bind(&brand.name_zh)
        .bind(&brand.name_en)
        .bind(pos as i64)
        .execute(&mut *tx)
        .await?;
    }

    for (pos, s) in catalogue.series.iter().enumerate() {
        let energy: Vec<&str> = s.energy_types.iter().map(|e| e.key()).collect();
        sqlx::query(
            "INSERT INTO series (id, brand_id, name_zh, name_en, search_keys, body_type, \
             energy_types, status, guide_min, guide_max, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (id) DO UPDATE SET brand_id = excluded.brand_id, \
             name_zh = excluded.name_zh, name_en = excluded.name_en, \
             search_keys = excluded.search_keys, body_type = excluded.body_type, \
             energy_types = excluded.energy_types, status = excluded.status, \
             guide_min = excluded.guide_min, guide_max = excluded.guide_max, \
             position = excluded.position",
        )
        .bind(&s.id)
        .bind(&s.brand_id)
        .bind(&s.name_zh)
        .bind(&s.name_en)
        .bind(&s.search_keys)
        .bind(s.body_type.key())
        .bind(energy.join(","))
        .bind(s.status.key())
        .bind(s.guide_min)
        .bind(s.guide_max)
        .bind(pos as i64)
        .execute(&mut *tx)
        .await?;
    }

    for (pos, t) in catalogue.trims.iter().enumerate() {
        sqlx::query(
            "INSERT INTO trims (id, series_id, name_zh, model_year, guide_price, energy_type, \
             seats, displacement_ml, eaer_km, specs, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (id) DO UPDATE SET series_id = excluded.series_id, \
             name_zh = excluded.name_zh, model_year = excluded.model_year, \
             guide_price = excluded.guide_price, energy_type = excluded.energy_type, \
             seats = excluded.seats, displacement_ml = excluded.displacement_ml, \
             eaer_km = excluded.eaer_km, specs = excluded.specs, position = excluded.position",
        )
        .bind(&t.id)
        .bind(&t.series_id)
        .bind(&t.name_zh)
        .bind(t.model_year)
        .bind(t.guide_price)
        .bind(t.energy_type.map(|e| e.key()))
        .bind(t.seats)
        .bind(t.displacement_ml)
        .bind(t.eaer_km)
        .bind(serde_json::to_string(&t.specs)?)
        .bind(pos as i64)
        .execute(&mut *tx)
        .await?;
        // The listings follow the seed files, like the rest of the catalogue.
        sqlx::query("DELETE FROM trim_listings WHERE trim_id = $1")
            .bind(&t.id)
            .execute(&mut *tx)
            .await?;
        for l in &t.listings {
            sqlx::query(
                "INSERT INTO trim_listings (trim_id, period, listed, source) VALUES ($1, $2, $3, $4)",
            )
            .bind(&t.id)
            .bind(l.period.key())
            .bind(i64::from(l.listed))
            .bind(l.source.clone().unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        }
    }

    for d in &catalogue.dealers {
        // The no-op update makes RETURNING give the id of an existing dealer too.
        let dealer_id: i64 = sqlx::query_scalar(
            "INSERT INTO dealers (slug, name, brand_color, phone) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id",
        )
        .bind(&d.slug)
        .bind(&d.name)
        .bind(&d.brand_color)
        .bind(&d.phone)
        .fetch_one(&mut *tx)
        .await?;
        // Terms are the dealer's to change: set once, when the dealer has none yet.
        sqlx::query(
            "UPDATE dealers SET province = $2, vessel_tax_source = $3, loan_rate_bp = $4 \
             WHERE id = $1 AND province = ''",
        )
        .bind(dealer_id)
        .bind(&d.vessel_tax.province)
        .bind(d.vessel_tax.source.clone())
        .bind(d.loan_rate_bp)
        .execute(&mut *tx)
        .await?;
        for (band, amount) in d.vessel_tax.annual.iter().enumerate() {
            sqlx::query(
                "INSERT INTO dealer_vessel_tax (dealer_id, band, annual_yuan) VALUES ($1, $2, $3) \
                 ON CONFLICT (dealer_id, band) DO NOTHING",
            )
            .bind(dealer_id)
            .bind(band as i64)
            .bind(*amount)
            .execute(&mut *tx)
            .await?;
        }
        let mut store_ids = Vec::new();
        for (pos, store) in d.stores.iter().enumerate() {
            let store_id: i64 = sqlx::query_scalar(
                "INSERT INTO stores (dealer_id, name, address, city, phone, opening_hours, position) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (dealer_id, name) DO UPDATE SET name = excluded.name RETURNING id",
            )
            .bind(dealer_id)
            .bind(&store.name)
            .bind(&store.address)
            .bind(&store.city)
            .bind(&store.phone)
            .bind(&store.opening_hours)
            .bind(pos as i64)
            .fetch_one(&mut *tx)
            .await?;
            store_ids.push(store_id);
        }
        // The dealer's own to change from here on: written once, while the dealer has none.
        for (store, &store_id) in d.stores.iter().zip(&store_ids) {
            seed_test_drive(&mut tx, store_id, &store.test_drive).await?;
            seed_service(&mut tx, store_id, &store.service).await?;
        }
        for member in &d.staff {
            let staff_id: i64 = sqlx::query_scalar(
                // Found again by login: the name is the staff member's to change (我的).
                "INSERT INTO staff (dealer_id, role, name, phone, login) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (login) DO UPDATE SET login = excluded.login RETURNING id",
            )
            .bind(dealer_id)
            .bind(&member.role)
            .bind(&member.name)
            .bind(&member.phone)
            .bind(&member.login)
            .fetch_one(&mut *tx)
            .await?;
            // A password is set once; the staff member changes it in the console.
            let hash: Option<String> =
                sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1")
                    .bind(staff_id)
                    .fetch_one(&mut *tx)
                    .await?;
            if hash.is_none() {
                sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
                    .bind(crate::staff::hash_password(&catalogue.staff_password)?)
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?;
            }
            // The card too is written once, while the staff member has none.
            sqlx::query(
                "UPDATE staff SET title = $1, wechat = $2, handle = $3 WHERE id = $4 AND handle IS NULL",
            )
            .bind(&member.title)
            .bind(member.wechat.as_deref())
            .bind(&member.handle)
            .bind(staff_id)
            .execute(&mut *tx)
            .await?;
            for &index in &member.stores {
                sqlx::query(
                    "INSERT INTO staff_stores (staff_id, store_id) VALUES ($1, $2) \
                     ON CONFLICT (staff_id, store_id) DO NOTHING",
                )
                .bind(staff_id)
                .bind(store_ids[index])
                .execute(&mut *tx)
                .await?;
            }
        }
        for (pos, series_id) in d.series.iter().enumerate() {
            sqlx::query(
                "INSERT INTO dealer_series (dealer_id, series_id, featured, position) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (dealer_id, series_id) DO NOTHING",
            )
            .bind(dealer_id)
            .bind(series_id)
            .bind(i64::from(d.featured.contains(series_id)))
            .bind(pos as i64)
            .execute(&mut *tx)
            .await?;
            for trim in catalogue.trims.iter().filter(|t| &t.series_id == series_id) {
                sqlx::query(
                    "INSERT INTO dealer_trims (dealer_id, trim_id, dealer_price) \
                     VALUES ($1, $2, $3) ON CONFLICT (dealer_id, trim_id) DO NOTHING",
                )
                .bind(dealer_id)
                .bind(&trim.id)
                .bind(d.prices.get(&trim.id).copied())
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    seed_owner_terms(&mut tx).await?;
    // Every dealer shows catalogue rows the seed may have changed.
    crate::catalog::all_changed(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Demo maintenance plans for every dealer's series that has none (electric cars first at
/// 10,000 km or 12 months, then every 20,000 km or 12 months; the rest first at 5,000 km or 6
/// months, then every 10,000 km or 12 months) and demo warranty terms (3 years or 100,000 km)
/// for every series without terms: both marked demo, shown with "以厂家保养手册为准", until
/// the dealer enters the maker's own.
// `WHERE 1 = 1`: SQLite reads `ON CONFLICT` after a bare `SELECT ... FROM` as a join's.
async fn seed_owner_terms(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO maintenance_plans (dealer_id, series_id, first_km, first_months, interval_km, \
             interval_months, demo, updated_at) \
         SELECT ds.dealer_id, s.id, \
             CASE WHEN s.energy_types = 'bev' THEN 10000 ELSE 5000 END, \
             CASE WHEN s.energy_types = 'bev' THEN 12 ELSE 6 END, \
             CASE WHEN s.energy_types = 'bev' THEN 20000 ELSE 10000 END, 12, 1, 0 \
         FROM dealer_series ds JOIN series s ON s.id = ds.series_id WHERE 1 = 1 \
         ON CONFLICT (dealer_id, series_id) DO NOTHING",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO warranty_terms (series_id, years, km, demo) \
         SELECT id, 3, 100000, 1 FROM series WHERE 1 = 1 ON CONFLICT (series_id) DO NOTHING",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A store's hours, closures, slot templates and test-drive cars, when it has none yet.
async fn seed_test_drive(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    store_id: i64,
    seed: &TestDriveSeed,
) -> anyhow::Result<()> {
    let templates: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM slot_templates WHERE store_id = $1")
            .bind(store_id)
            .fetch_one(&mut **tx)
            .await?;
    if templates > 0 {
        return Ok(());
    }
    let setup = StoreSetup {
        hours: seed.hours.clone(),
        closures: seed.closures.clone(),
        templates: seed.templates.clone(),
        series_ids: seed.series.clone(),
        service_templates: Vec::new(),
    };
    slots::write_store_setup(tx, store_id, &setup).await?;
    Ok(())
}

/// A store's service templates, when it has none yet (a database seeded before service
/// bookings gets them too).
async fn seed_service(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    store_id: i64,
    templates: &[SlotTemplate],
) -> anyhow::Result<()> {
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM service_templates WHERE store_id = $1")
            .bind(store_id)
            .fetch_one(&mut **tx)
            .await?;
    if stored > 0 {
        return Ok(());
    }
    let setup = StoreSetup {
        hours: Vec::new(),
        closures: Vec::new(),
        templates: Vec::new(),
        series_ids: Vec::new(),
        service_templates: templates.to_vec(),
    };
    slots::write_store_setup(tx, store_id, &setup).await?;
    Ok(())
}
