//! The demo catalogue: catalog-cn.json and leapmotor.json merged into series and trims, the
//! current trims and tax facts of trims.json added, then the series and trims picked from the
//! public datasets (datasets.json), with the spec layout and the dealers of
//! `seed/dealers.json`, checked before it is returned.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context};
use serde::Deserialize;
use shared::catalog::{EnergyType, SeriesStatus, SpecValue};

use super::catalog_cn::{catalog_trim, energy_from_label, Editorial, RawCatalog};
use super::{layout, search_keys, BrandSeed, Catalogue, DealerSeed, SeriesSeed, TrimSeed};

const CATALOG_CN: &str = include_str!("../../seed/catalog-cn.json");
const LEAPMOTOR: &str = include_str!("../../seed/leapmotor.json");
const EDITORIAL: &str = include_str!("../../seed/editorial.json");
const DEALERS: &str = include_str!("../../seed/dealers.json");
const TRIMS: &str = include_str!("../../seed/trims.json");
const DATASETS: &str = include_str!("../../seed/datasets.json");

/// Builds the demo catalogue from the embedded files, checking it as it goes.
pub fn demo_catalogue() -> anyhow::Result<Catalogue> {
    let layout = layout().context("spec layout")?;
    let editorial: Editorial = serde_json::from_str(EDITORIAL).context("seed/editorial.json")?;
    let catalog: RawCatalog = serde_json::from_str(CATALOG_CN).context("seed/catalog-cn.json")?;
    let leapmotor: RawLeapmotor = serde_json::from_str(LEAPMOTOR).context("seed/leapmotor.json")?;
    let dealers: RawDealers = serde_json::from_str(DEALERS).context("seed/dealers.json")?;

    let mut brands: Vec<BrandSeed> = catalog.brands;
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

    super::trims::add(&mut trims, TRIMS).context("seed/trims.json")?;
    super::datasets::add(&mut brands, &mut series, &mut trims, DATASETS)
        .context("seed/datasets.json")?;

    let catalogue = Catalogue {
        layout,
        brands,
        series,
        trims,
        dealers: dealers.dealers,
        staff_password: dealers.demo_staff_password,
    };
    catalogue.check()?;
    Ok(catalogue)
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
        displacement_ml: None,
        eaer_km: None,
        listings: Vec::new(),
        specs,
    })
}

#[derive(Deserialize)]
struct RawDealers {
    dealers: Vec<DealerSeed>,
    demo_staff_password: String,
}

#[cfg(test)]
mod tests {
    use shared::catalog::BodyType;

    use super::*;

    #[test]
    fn the_demo_catalogue_merges_both_sources_without_inventing_specs() {
        let c = demo_catalogue().unwrap();
        // 24 catalog-cn series, the 11 Leapmotor series catalog-cn does not have, and the 34
        // series datasets.json adds.
        assert_eq!(c.series.len(), 24 + 11 + 34);
        // no placeholder is a trim: every trim can be priced by its energy type
        assert!(c
            .trims
            .iter()
            .all(|t| t.energy_type.is_some() && !t.name_zh.contains("未注明")));
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
        // the thin trims carry only what the sources give: leapmotor.json's six, and the
        // price list's size, level and maker for the same car (same guide price, same 款)
        let thin = &b01[1].specs;
        assert_eq!(thin.get("length_mm"), Some(&SpecValue::Number(4770.0)));
        assert_eq!(
            thin.get("vehicle_class"),
            Some(&SpecValue::Text("紧凑型车".into()))
        );
        assert!(!thin.contains_key("lidar"));
        assert!(!thin.contains_key("wheelbase_mm"));

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
    fn demo_dealers_sell_their_catalogues() {
        let c = demo_catalogue().unwrap();
        let demo = c.dealers.iter().find(|d| d.slug == "demo").unwrap();
        assert_eq!(demo.series.len(), 24 + 34);
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
