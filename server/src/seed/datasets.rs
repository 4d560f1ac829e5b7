//! `seed/datasets.json` (written by `cargo xtask catalogue`) applied: its brands and series
//! added, and each of its trims either merged into the same car already in the catalogue
//! (same series and guide price, same model year where the other file gives one: the other
//! files' values win, the dataset only fills what they leave unknown) or added. A series'
//! 级别 the dataset gives alike for all its trims there is the series' level: trims of it the
//! dataset has no row for get it too. A trim without its dataset row ids stops the seed.

use std::collections::BTreeMap;

use anyhow::{anyhow, ensure};
use serde::Deserialize;
use shared::catalog::{BodyType, EnergyType, SeriesStatus, SpecValue};

use super::{search_keys, BrandSeed, SeriesSeed, TrimSeed};

#[derive(Deserialize)]
struct RawFile {
    brands: Vec<BrandSeed>,
    series: Vec<RawSeries>,
    trims: Vec<RawTrim>,
}

#[derive(Deserialize)]
struct RawSeries {
    id: String,
    brand_id: String,
    name_zh: String,
    name_en: String,
    body_type: BodyType,
    energy_types: Vec<EnergyType>,
    guide_min: Option<i64>,
    guide_max: Option<i64>,
}

#[derive(Deserialize)]
struct RawTrim {
    id: String,
    series_id: String,
    name_zh: String,
    model_year: Option<i64>,
    guide_price_yuan: i64,
    energy_type: EnergyType,
    seats: Option<i64>,
    displacement_ml: Option<i64>,
    specs: BTreeMap<String, SpecValue>,
    /// The dataset rows the facts come from: `carquote` (a Dongchedi car id) and, when the
    /// trim was joined to a spec sheet, `autocango` (its source URL).
    sources: BTreeMap<String, String>,
}

/// Adds the file's brands, series and trims.
pub(super) fn add(
    brands: &mut Vec<BrandSeed>,
    series: &mut Vec<SeriesSeed>,
    trims: &mut Vec<TrimSeed>,
    json: &str,
) -> anyhow::Result<()> {
    let file: RawFile = serde_json::from_str(json)?;
    brands.extend(file.brands);
    for s in file.series {
        let brand_zh = brands
            .iter()
            .find(|b| b.id == s.brand_id)
            .map(|b| b.name_zh.clone())
            .ok_or_else(|| anyhow!("series {}: unknown brand {}", s.id, s.brand_id))?;
        series.push(SeriesSeed {
            search_keys: search_keys(&s.name_zh, &brand_zh),
            id: s.id,
            brand_id: s.brand_id,
            name_zh: s.name_zh,
            name_en: s.name_en,
            body_type: s.body_type,
            energy_types: s.energy_types,
            // Every trim of the file is on Dongchedi's price list with a guide price.
            status: SeriesStatus::OnSale,
            guide_min: s.guide_min,
            guide_max: s.guide_max,
        });
    }
    let mut dataset_levels = Vec::new();
    // Only trims of the other files are merged into: two dataset rows are two cars.
    let others = trims.len();
    for raw in file.trims {
        if let Some(level) = raw.specs.get("vehicle_class") {
            dataset_levels.push((raw.series_id.clone(), level.clone()));
        }
        ensure!(
            raw.sources.contains_key("carquote"),
            "trim {} has no source row",
            raw.id
        );
        let owner = series
            .iter_mut()
            .find(|s| s.id == raw.series_id)
            .ok_or_else(|| anyhow!("trim {}: unknown series {}", raw.id, raw.series_id))?;
        if !owner.energy_types.contains(&raw.energy_type) {
            owner.energy_types.push(raw.energy_type);
        }
        let same_car = trims[..others].iter_mut().find(|t| {
            t.series_id == raw.series_id
                && t.energy_type.is_none_or(|e| e == raw.energy_type)
                && (t.model_year.is_none() || t.model_year == raw.model_year)
                && t.guide_price == Some(raw.guide_price_yuan)
        });
        match same_car {
            Some(t) => {
                for (key, value) in raw.specs {
                    t.specs.entry(key).or_insert(value);
                }
                t.energy_type = t.energy_type.or(Some(raw.energy_type));
                t.seats = t.seats.or(raw.seats);
                t.displacement_ml = t.displacement_ml.or(raw.displacement_ml);
            }
            None => trims.push(TrimSeed {
                id: raw.id,
                series_id: raw.series_id,
                name_zh: raw.name_zh,
                model_year: raw.model_year,
                guide_price: Some(raw.guide_price_yuan),
                energy_type: Some(raw.energy_type),
                seats: raw.seats,
                displacement_ml: raw.displacement_ml,
                eaer_km: None,
                listings: Vec::new(),
                specs: raw.specs,
            }),
        }
    }
    // 级别 is Dongchedi's per series: where every dataset trim of a series says the same,
    // the series' other trims (thin ones from the other files) are of that level too.
    let mut levels: BTreeMap<String, Option<SpecValue>> = BTreeMap::new();
    for (series_id, level) in &dataset_levels {
        levels
            .entry(series_id.clone())
            .and_modify(|seen| {
                if seen.as_ref() != Some(level) {
                    *seen = None;
                }
            })
            .or_insert_with(|| Some(level.clone()));
    }
    for t in trims.iter_mut() {
        if let Some(Some(level)) = levels.get(&t.series_id) {
            t.specs
                .entry("vehicle_class".into())
                .or_insert_with(|| level.clone());
        }
    }
    Ok(())
}
