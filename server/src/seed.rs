//! The demo data: the two sourced catalogues (`seed/catalog-cn.json`, `seed/leapmotor.json`)
//! merged into one brand → series → trim → specs catalogue in the standard spec layout, and two
//! fictional demo dealers. Everything is embedded in the binary; loading is idempotent.
//!
//! Rules: a spec the sources do not give is absent (the UI shows —), never guessed. English
//! free text of catalog-cn.json is mapped through `seed/editorial.json`, which also holds the
//! editorial body and energy types of the Leapmotor series; an unmapped field stops the seed.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::{anyhow, bail, ensure, Context};
use pinyin::ToPinyin;
use serde::Deserialize;
use serde_json::Value;
use shared::catalog::{BodyType, EnergyType, SeriesStatus, SpecValue};
use shared::compare::{Better, SpecGroup, SpecItem};

use crate::db::Db;

const CATALOG_CN: &str = include_str!("../seed/catalog-cn.json");
const LEAPMOTOR: &str = include_str!("../seed/leapmotor.json");
const SPEC_GROUPS: &str = include_str!("../seed/spec-groups.json");
const SPEC_EXTRA: &str = include_str!("../seed/spec-extra.json");
const EDITORIAL: &str = include_str!("../seed/editorial.json");
const DEALERS: &str = include_str!("../seed/dealers.json");

/// A whole catalogue and the dealers selling from it, ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalogue {
    pub layout: Vec<SpecGroup>,
    pub brands: Vec<BrandSeed>,
    pub series: Vec<SeriesSeed>,
    pub trims: Vec<TrimSeed>,
    pub dealers: Vec<DealerSeed>,
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
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StoreSeed {
    pub name: String,
    pub address: String,
    pub city: String,
    pub phone: String,
    pub opening_hours: String,
}

/// Builds the demo catalogue from the embedded files, checking it as it goes.
pub fn demo_catalogue() -> anyhow::Result<Catalogue> {
    let layout = layout().context("spec layout")?;
    let editorial: Editorial = serde_json::from_str(EDITORIAL).context("seed/editorial.json")?;
    let catalog: RawCatalog = serde_json::from_str(CATALOG_CN).context("seed/catalog-cn.json")?;
    let leapmotor: RawLeapmotor = serde_json::from_str(LEAPMOTOR).context("seed/leapmotor.json")?;
    let dealers: RawDealers = serde_json::from_str(DEALERS).context("seed/dealers.json")?;

    let brands: Vec<BrandSeed> = catalog.brands;
    let brand_name = |id: &str| {
        brands
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name_zh.clone())
            .ok_or_else(|| anyhow!("unknown brand {id}"))
    };

    let mut series = Vec::new();
    let mut trims = Vec::new();
    for model in catalog.models {
        let brand_zh = brand_name(&model.brand_id)?;
        let range = model.price_range_yuan.unwrap_or_default();
        let mut model_trims = Vec::new();
        for raw in &model.trims {
            model_trims.push(
                catalog_trim(&model.id, &model.energy_types, raw, &editorial)
                    .with_context(|| format!("catalog-cn.json trim of {}", model.id))?,
            );
        }
        let priced = range.min.is_some() || model_trims.iter().any(|t| t.guide_price.is_some());
        series.push(SeriesSeed {
            search_keys: search_keys(&model.name_zh, &brand_zh),
            id: model.id,
            brand_id: model.brand_id,
            name_zh: model.name_zh,
            name_en: model.name_en,
            body_type: model.body_type,
            energy_types: model.energy_types,
            // catalog-cn.json has no status: a series with a published price is on sale.
            status: if priced {
                SeriesStatus::OnSale
            } else {
                SeriesStatus::Unknown
            },
            guide_min: range.min,
            guide_max: range.max,
        });
        trims.extend(model_trims);
    }

    // leapmotor.json: the newer Dongchedi snapshot wins for the series both files have
    // (B01, C10); its trims replace catalog-cn.json's.
    let brand_id = "leapmotor";
    let brand_zh = brand_name(brand_id)?;
    for raw in leapmotor.series {
        let id = format!("leapmotor-{}", raw.key.replace('_', "-"));
        let edit = editorial
            .leapmotor_series
            .get(&raw.key)
            .ok_or_else(|| anyhow!("editorial.json has no body/energy for {}", raw.key))?;
        let (guide_min, guide_max) = match raw.guide_price_yuan {
            Some([min, max]) => (Some(min), Some(max)),
            None => (None, None),
        };
        let seed = SeriesSeed {
            id: id.clone(),
            brand_id: brand_id.into(),
            search_keys: search_keys(&raw.name_zh, &brand_zh),
            name_zh: raw.name_zh,
            name_en: raw.name_en,
            body_type: edit.body_type,
            energy_types: edit.energy_types.clone(),
            status: raw.status,
            guide_min,
            guide_max,
        };
        match series.iter_mut().find(|s| s.id == id) {
            Some(existing) => {
                // Keep catalog-cn's editorial body and energy types; take names, status, prices.
                existing.name_zh = seed.name_zh;
                existing.search_keys = seed.search_keys;
                existing.status = seed.status;
                existing.guide_min = seed.guide_min.or(existing.guide_min);
                existing.guide_max = seed.guide_max.or(existing.guide_max);
            }
            None => series.push(seed),
        }
        if !raw.trims.is_empty() {
            trims.retain(|t| t.series_id != id);
            let energy = series
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.energy_types.clone())
                .unwrap_or_default();
            for trim in raw.trims {
                trims.push(leapmotor_trim(&id, &energy, trim)?);
            }
        }
    }

    let catalogue = Catalogue {
        layout,
        brands,
        series,
        trims,
        dealers: dealers.dealers,
    };
    catalogue.check()?;
    Ok(catalogue)
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
            for trim in d.prices.keys() {
                let sold = self
                    .trims
                    .iter()
                    .any(|t| &t.id == trim && d.series.contains(&t.series_id));
                ensure!(sold, "dealer {}: price for unsold trim {trim}", d.slug);
            }
        }
        Ok(())
    }
}

/// Lower-case search keys of a series: pinyin and initials of its Chinese name and of its
/// brand's, space-separated and without repeats: `秦PLUS`, `比亚迪` → `qinplus qp biyadi byd`.
pub fn search_keys(name_zh: &str, brand_zh: &str) -> String {
    let (name_full, name_initials) = pinyin_keys(name_zh);
    let (brand_full, brand_initials) = pinyin_keys(brand_zh);
    let mut keys: Vec<String> = Vec::new();
    for key in [name_full, name_initials, brand_full, brand_initials] {
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.join(" ")
}

/// Full pinyin without tones (`qinplus`) and initials (`qp`): each Chinese character gives
/// its reading and first letter, each run of ASCII letters and digits itself and its first
/// character; anything else only separates runs.
pub fn pinyin_keys(text: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    let mut in_run = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let lower = c.to_ascii_lowercase();
            full.push(lower);
            if !in_run {
                initials.push(lower);
            }
            in_run = true;
        } else if let Some(reading) = car_reading(c) {
            full.push_str(reading);
            initials.push_str(&reading[..1]);
            in_run = false;
        } else if let Some(py) = c.to_pinyin() {
            full.push_str(py.plain());
            initials.push_str(py.first_letter());
            in_run = false;
        } else {
            in_run = false;
        }
    }
    (full, initials)
}

/// Characters with several readings whose first reading in the pinyin tables is not the one
/// car names use: 长安 is chang'an, 重庆 chongqing, 行政 xingzheng, 乐道 ledao.
fn car_reading(c: char) -> Option<&'static str> {
    match c {
        '长' => Some("chang"),
        '重' => Some("chong"),
        '行' => Some("xing"),
        '乐' => Some("le"),
        _ => None,
    }
}

// ---- the spec layout ----

#[derive(Deserialize)]
struct RawGroup {
    key: String,
    name_zh: String,
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
struct RawItem {
    key: String,
    name_zh: String,
    unit: Option<String>,
}

#[derive(Deserialize)]
struct SpecExtra {
    groups: Vec<ExtraGroup>,
    items: Vec<ExtraItem>,
    better: BTreeMap<String, Better>,
}

#[derive(Deserialize)]
struct ExtraGroup {
    key: String,
    name_zh: String,
    after: String,
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
struct ExtraItem {
    group: String,
    after: String,
    key: String,
    name_zh: String,
    unit: Option<String>,
}

fn item(raw: RawItem) -> SpecItem {
    SpecItem {
        key: raw.key,
        name_zh: raw.name_zh,
        unit: raw.unit,
        better: None,
    }
}

/// The standard layout: spec-groups.json plus spec-extra.json's groups, items and directions.
pub fn layout() -> anyhow::Result<Vec<SpecGroup>> {
    let raw: Vec<RawGroup> = serde_json::from_str(SPEC_GROUPS).context("spec-groups.json")?;
    let extra: SpecExtra = serde_json::from_str(SPEC_EXTRA).context("spec-extra.json")?;
    let mut groups: Vec<SpecGroup> = raw
        .into_iter()
        .map(|g| SpecGroup {
            key: g.key,
            name_zh: g.name_zh,
            items: g.items.into_iter().map(item).collect(),
        })
        .collect();
    for g in extra.groups {
        let at = groups
            .iter()
            .position(|x| x.key == g.after)
            .ok_or_else(|| anyhow!("spec-extra: no group {}", g.after))?;
        groups.insert(
            at + 1,
            SpecGroup {
                key: g.key,
                name_zh: g.name_zh,
                items: g.items.into_iter().map(item).collect(),
            },
        );
    }
    for x in extra.items {
        let group = groups
            .iter_mut()
            .find(|g| g.key == x.group)
            .ok_or_else(|| anyhow!("spec-extra: no group {}", x.group))?;
        let at = group
            .items
            .iter()
            .position(|i| i.key == x.after)
            .ok_or_else(|| anyhow!("spec-extra: no item {}", x.after))?;
        group.items.insert(
            at + 1,
            item(RawItem {
                key: x.key,
                name_zh: x.name_zh,
                unit: x.unit,
            }),
        );
    }
    let mut seen = HashSet::new();
    for i in groups.iter().flat_map(|g| g.items.iter()) {
        ensure!(seen.insert(i.key.clone()), "spec item {} twice", i.key);
    }
    for (key, better) in extra.better {
        let item = groups
            .iter_mut()
            .flat_map(|g| g.items.iter_mut())
            .find(|i| i.key == key)
            .ok_or_else(|| anyhow!("spec-extra better: no item {key}"))?;
        item.better = Some(better);
    }
    Ok(groups)
}

// ---- catalog-cn.json ----

#[derive(Deserialize)]
struct RawCatalog {
    brands: Vec<BrandSeed>,
    models: Vec<RawModel>,
}

#[derive(Deserialize)]
struct RawModel {
    id: String,
    brand_id: String,
    name_zh: String,
    name_en: String,
    body_type: BodyType,
    energy_types: Vec<EnergyType>,
    price_range_yuan: Option<RawRange>,
    trims: Vec<serde_json::Map<String, Value>>,
}

#[derive(Default, Deserialize)]
struct RawRange {
    min: Option<i64>,
    max: Option<i64>,
}

#[derive(Deserialize)]
struct Editorial {
    leapmotor_series: HashMap<String, EditorialSeries>,
    catalog_cn_text: HashMap<String, Wording>,
}

#[derive(Deserialize)]
struct EditorialSeries {
    body_type: BodyType,
    energy_types: Vec<EnergyType>,
}

#[derive(Deserialize)]
struct Wording {
    highlight: Option<String>,
    specs: BTreeMap<String, SpecValue>,
}

/// catalog-cn.json's flat trim fields that map one-to-one onto a spec item.
const NUMBER_FIELDS: [(&str, &str); 17] = [
    ("guide_price_yuan", "official_price_yuan"),
    ("seats", "seat_count"),
    ("length_mm", "length_mm"),
    ("width_mm", "width_mm"),
    ("height_mm", "height_mm"),
    ("wheelbase_mm", "wheelbase_mm"),
    ("engine_displacement_l", "displacement_l"),
    ("engine_power_kw", "engine_max_power_kw"),
    ("motor_power_kw", "motor_total_power_kw"),
    ("motor_torque_nm", "motor_total_torque_nm"),
    ("battery_kwh", "battery_capacity_kwh"),
    ("range_cltc_km", "range_cltc_km"),
    ("fuel_l_100km", "fuel_consumption_l_100km"),
    ("power_consumption_kwh_100km", "power_consumption_kwh_100km"),
    ("accel_0_100_s", "accel_0_100_s"),
    ("top_speed_kmh", "top_speed_kmh"),
    ("center_screen_in", "center_screen_size_in"),
];

/// Fields that describe the record rather than the car.
const META_FIELDS: [&str; 7] = [
    "id",
    "name_zh",
    "name_en",
    "model_year",
    "price_as_of",
    "source",
    "body_type",
];

/// 能源类型 as the Dongchedi layout writes it.
pub fn energy_label(energy: EnergyType) -> &'static str {
    match energy {
        EnergyType::Petrol => "汽油",
        EnergyType::Hybrid => "油电混合",
        EnergyType::Phev => "插电式混合动力",
        EnergyType::Erev => "增程式",
        EnergyType::Bev => "纯电动",
    }
}

fn energy_from_label(label: &str) -> Option<EnergyType> {
    EnergyType::ALL
        .into_iter()
        .find(|e| energy_label(*e) == label)
}

fn catalog_trim(
    series_id: &str,
    series_energy: &[EnergyType],
    raw: &serde_json::Map<String, Value>,
    editorial: &Editorial,
) -> anyhow::Result<TrimSeed> {
    let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_string);
    let id = text("id").ok_or_else(|| anyhow!("trim without id"))?;
    let mut specs = BTreeMap::new();
    let mut highlights = Vec::new();
    let mut energy_type = None;
    for (field, value) in raw {
        if value.is_null() || META_FIELDS.contains(&field.as_str()) {
            continue;
        }
        if let Some((_, key)) = NUMBER_FIELDS.iter().find(|(f, _)| f == field) {
            let n = value
                .as_f64()
                .ok_or_else(|| anyhow!("{id}.{field} is not a number"))?;
            specs.insert(key.to_string(), SpecValue::Number(n));
            continue;
        }
        let string = || {
            value
                .as_str()
                .ok_or_else(|| anyhow!("{id}.{field} is not text"))
        };
        match field.as_str() {
            "energy_type" => {
                let e: EnergyType = serde_json::from_value(value.clone())?;
                energy_type = Some(e);
                specs.insert(
                    "energy_type".into(),
                    SpecValue::Text(energy_label(e).into()),
                );
            }
            "drive_type" => {
                let label = match string()? {
                    "fwd" => "前驱",
                    "rwd" => "后驱",
                    "awd" => "四驱",
                    other => bail!("{id}: unknown drive_type {other}"),
                };
                specs.insert("drive_type".into(), SpecValue::Text(label.into()));
            }
            "battery_type" => {
                let label = match string()? {
                    "LFP" => "磷酸铁锂电池",
                    "NCM" => "三元锂电池",
                    other => bail!("{id}: unknown battery_type {other}"),
                };
                specs.insert("battery_type".into(), SpecValue::Text(label.into()));
            }
            // Dongchedi writes the level as `L2级`.
            "adas_level" => {
                specs.insert(
                    "adas_level".into(),
                    SpecValue::Text(format!("{}级", string()?)),
                );
            }
            "adas_hardware" | "warranty" => {
                apply_wording(&id, string()?, editorial, &mut specs, &mut highlights)?
            }
            "features" => {
                let list = value
                    .as_array()
                    .ok_or_else(|| anyhow!("{id}.features is not a list"))?;
                for feature in list {
                    let feature = feature
                        .as_str()
                        .ok_or_else(|| anyhow!("{id}: a feature is not text"))?;
                    apply_wording(&id, feature, editorial, &mut specs, &mut highlights)?;
                }
            }
            other => bail!("{id}: catalog-cn field {other} has no spec item"),
        }
    }
    // 长x宽x高 is exactly the three measurements when all three are known.
    if let (Some(l), Some(w), Some(h)) = (
        number(&specs, "length_mm"),
        number(&specs, "width_mm"),
        number(&specs, "height_mm"),
    ) {
        specs.insert(
            "dimensions_lwh_mm".into(),
            SpecValue::Text(format!("{l}x{w}x{h}")),
        );
    }
    if !highlights.is_empty() {
        specs.insert("highlights".into(), SpecValue::Text(highlights.join("、")));
    }
    let single_energy = match series_energy {
        [only] => Some(*only),
        _ => None,
    };
    Ok(TrimSeed {
        id,
        series_id: series_id.into(),
        name_zh: text("name_zh").ok_or_else(|| anyhow!("trim without name"))?,
        model_year: raw.get("model_year").and_then(Value::as_i64),
        guide_price: raw.get("guide_price_yuan").and_then(Value::as_i64),
        energy_type: energy_type.or(single_energy),
        seats: raw.get("seats").and_then(Value::as_i64),
        specs,
    })
}

fn number(specs: &BTreeMap<String, SpecValue>, key: &str) -> Option<String> {
    specs
        .get(key)
        .and_then(SpecValue::as_number)
        .map(shared::catalog::format_number)
}

fn apply_wording(
    id: &str,
    english: &str,
    editorial: &Editorial,
    specs: &mut BTreeMap<String, SpecValue>,
    highlights: &mut Vec<String>,
) -> anyhow::Result<()> {
    let wording = editorial
        .catalog_cn_text
        .get(english)
        .ok_or_else(|| anyhow!("{id}: editorial.json has no Chinese for {english:?}"))?;
    if let Some(h) = &wording.highlight {
        highlights.push(h.clone());
    }
    for (key, value) in &wording.specs {
        specs.insert(key.clone(), value.clone());
    }
    Ok(())
}

// ---- leapmotor.json ----

#[derive(Deserialize)]
struct RawLeapmotor {
    series: Vec<RawLeapSeries>,
}

#[derive(Deserialize)]
struct RawLeapSeries {
    key: String,
    name_zh: String,
    name_en: String,
    status: SeriesStatus,
    guide_price_yuan: Option<[i64; 2]>,
    trims: Vec<RawLeapTrim>,
}

#[derive(Deserialize)]
struct RawLeapTrim {
    key: String,
    name_zh: String,
    year: Option<i64>,
    guide_price_yuan: Option<i64>,
    specs: BTreeMap<String, Option<SpecValue>>,
}

fn leapmotor_trim(
    series_id: &str,
    series_energy: &[EnergyType],
    raw: RawLeapTrim,
) -> anyhow::Result<TrimSeed> {
    let specs: BTreeMap<String, SpecValue> = raw
        .specs
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
    let energy_type = match specs.get("energy_type") {
        Some(SpecValue::Text(label)) => Some(
            energy_from_label(label)
                .ok_or_else(|| anyhow!("{}: unknown 能源类型 {label}", raw.key))?,
        ),
        _ => match series_energy {
            [only] => Some(*only),
            _ => None,
        },
    };
    let seats = specs
        .get("seat_count")
        .and_then(SpecValue::as_number)
        .map(|n| n as i64);
    Ok(TrimSeed {
        id: format!("leapmotor-{}", raw.key.replace('_', "-")),
        series_id: series_id.into(),
        name_zh: match raw.year {
            Some(year) => format!("{year}款 {}", raw.name_zh),
            None => raw.name_zh,
        },
        model_year: raw.year,
        guide_price: raw.guide_price_yuan,
        energy_type,
        seats,
        specs,
    })
}

#[derive(Deserialize)]
struct RawDealers {
    dealers: Vec<DealerSeed>,
}

// ---- writing ----

/// Loads the demo catalogue and dealers (`CHELINK_DEMO=1`). Idempotent.
pub async fn load_demo(db: &Db) -> anyhow::Result<()> {
    let catalogue = demo_catalogue()?;
    load(db, &catalogue).await
}

/// Writes a catalogue in one transaction. Catalogue rows (layout, brands, series, trims) are
/// upserted, so they follow the seed files; dealers, stores and what each sells at which price
/// are only created when missing, so a dealer's later edits survive a restart. Running it
/// twice changes nothing.
pub async fn load(db: &Db, catalogue: &Catalogue) -> anyhow::Result<()> {
    let mut tx = db.pool.begin().await?;

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
        .bind(status_key(s.status))
        .bind(s.guide_min)
        .bind(s.guide_max)
        .bind(pos as i64)
        .execute(&mut *tx)
        .await?;
    }

    for (pos, t) in catalogue.trims.iter().enumerate() {
        sqlx::query(
            "INSERT INTO trims (id, series_id, name_zh, model_year, guide_price, energy_type, \
             seats, specs, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (id) DO UPDATE SET series_id = excluded.series_id, \
             name_zh = excluded.name_zh, model_year = excluded.model_year, \
             guide_price = excluded.guide_price, energy_type = excluded.energy_type, \
             seats = excluded.seats, specs = excluded.specs, position = excluded.position",
        )
        .bind(&t.id)
        .bind(&t.series_id)
        .bind(&t.name_zh)
        .bind(t.model_year)
        .bind(t.guide_price)
        .bind(t.energy_type.map(|e| e.key()))
        .bind(t.seats)
        .bind(serde_json::to_string(&t.specs)?)
        .bind(pos as i64)
        .execute(&mut *tx)
        .await?;
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
        for (pos, store) in d.stores.iter().enumerate() {
            sqlx::query(
                "INSERT INTO stores (dealer_id, name, address, city, phone, opening_hours, position) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dealer_id, name) DO NOTHING",
            )
            .bind(dealer_id)
            .bind(&store.name)
            .bind(&store.address)
            .bind(&store.city)
            .bind(&store.phone)
            .bind(&store.opening_hours)
            .bind(pos as i64)
            .execute(&mut *tx)
            .await?;
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
    tx.commit().await?;
    Ok(())
}

/// The stored form of a [`SeriesStatus`].
pub fn status_key(status: SeriesStatus) -> &'static str {
    match status {
        SeriesStatus::OnSale => "on_sale",
        SeriesStatus::ComingSoon => "coming_soon",
        SeriesStatus::Discontinued => "discontinued",
        SeriesStatus::Unknown => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_hold_pinyin_and_initials_of_series_and_brand() {
        let cases = [
            ("秦PLUS", "比亚迪", "qinplus qp biyadi byd"),
            ("零跑B01", "零跑汽车", "lingpaob01 lpb lingpaoqiche lpqc"),
            ("Model 3", "特斯拉", "model3 m3 tesila tsl"),
            ("海鸥", "比亚迪", "haiou ho biyadi byd"),
            (
                "长安CS75 PLUS",
                "长安汽车",
                "changancs75plus cacp changanqiche caqc",
            ),
        ];
        for (name, brand, keys) in cases {
            assert_eq!(search_keys(name, brand), keys, "{name}");
        }
    }

    #[test]
    fn the_demo_catalogue_merges_both_sources_without_inventing_specs() {
        let c = demo_catalogue().unwrap();
        // 24 catalog-cn series, plus the 11 Leapmotor series catalog-cn does not have.
        assert_eq!(c.series.len(), 24 + 11);
        assert_eq!(
            c.series.iter().filter(|s| s.id == "leapmotor-b01").count(),
            1
        );
        let b01: Vec<&TrimSeed> = c
            .trims
            .iter()
            .filter(|t| t.series_id == "leapmotor-b01")
            .collect();
        assert_eq!(b01.len(), 6);
        assert_eq!(b01[0].name_zh, "2025款 430舒享版");
        assert_eq!(b01[0].energy_type, Some(EnergyType::Bev));
        assert_eq!(b01[0].seats, Some(5));
        // the thin trims carry only what the source gives
        assert_eq!(b01[1].specs.len(), 6);
        assert!(!b01[1].specs.contains_key("lidar"));

        let su7 = c.trims.iter().find(|t| t.id == "xiaomi-su7-std").unwrap();
        let spec = |key: &str| su7.specs.get(key).cloned();
        assert_eq!(
            spec("official_price_yuan"),
            Some(SpecValue::Number(215_900.0))
        );
        assert_eq!(spec("motor_total_power_kw"), Some(SpecValue::Number(220.0)));
        assert_eq!(
            spec("battery_type"),
            Some(SpecValue::Text("磷酸铁锂电池".into()))
        );
        assert_eq!(spec("drive_type"), Some(SpecValue::Text("后驱".into())));
        assert_eq!(spec("energy_type"), Some(SpecValue::Text("纯电动".into())));
        assert_eq!(
            spec("dimensions_lwh_mm"),
            Some(SpecValue::Text("4997x1963x1455".into()))
        );
        assert_eq!(
            spec("ultrasonic_radar_count"),
            Some(SpecValue::Number(12.0))
        );
        assert!(matches!(spec("highlights"), Some(SpecValue::Text(t)) if t.contains("小米澎湃OS")));
        assert_eq!(spec("accel_0_100_s"), Some(SpecValue::Number(5.28)));
        assert_eq!(spec("range_nedc_km"), None);

        // Pro has no published guide price: absent, not zero.
        let pro = c.trims.iter().find(|t| t.id == "xiaomi-su7-pro").unwrap();
        assert_eq!(pro.guide_price, None);
        assert!(!pro.specs.contains_key("official_price_yuan"));

        let c10 = c.series.iter().find(|s| s.id == "leapmotor-c10").unwrap();
        assert_eq!(c10.energy_types, [EnergyType::Bev, EnergyType::Erev]);
        let t03 = c.series.iter().find(|s| s.id == "leapmotor-t03").unwrap();
        assert_eq!(t03.body_type, BodyType::Hatchback);
        assert_eq!(t03.guide_min, Some(59_900));
        let lafa5 = c.series.iter().find(|s| s.id == "leapmotor-lafa5").unwrap();
        assert_eq!(lafa5.status, SeriesStatus::ComingSoon);
        assert_eq!(lafa5.guide_min, None);
    }

    #[test]
    fn the_layout_adds_the_engine_group_and_directions() {
        let layout = layout().unwrap();
        let keys: Vec<&str> = layout.iter().map(|g| g.key.as_str()).collect();
        let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
        assert_eq!(at("engine"), at("battery_charging") + 1);
        assert!(keys.contains(&"transmission"));
        let find = |k: &str| {
            layout
                .iter()
                .flat_map(|g| g.items.iter())
                .find(|i| i.key == k)
                .unwrap()
                .clone()
        };
        assert_eq!(find("range_cltc_km").better, Some(Better::Higher));
        assert_eq!(find("accel_0_100_s").better, Some(Better::Lower));
        assert_eq!(find("official_price_yuan").better, Some(Better::Lower));
        assert_eq!(find("seat_count").better, None);
        assert_eq!(
            find("fuel_consumption_l_100km").unit.as_deref(),
            Some("L/100km")
        );
        assert_eq!(find("highlights").name_zh, "亮点配置");
    }

    #[test]
    fn demo_dealers_sell_their_catalogues() {
        let c = demo_catalogue().unwrap();
        let demo = c.dealers.iter().find(|d| d.slug == "demo").unwrap();
        assert_eq!(demo.series.len(), 24);
        let leap = c.dealers.iter().find(|d| d.slug == "leapmotor").unwrap();
        assert_eq!(leap.series.len(), 13);
        assert!(leap.series.iter().all(|s| s.starts_with("leapmotor-")));
        for d in &c.dealers {
            assert!((4..=6).contains(&d.featured.len()));
            assert!((1..=2).contains(&d.stores.len()));
            assert!(d.name.contains("演示"));
        }
    }
}
