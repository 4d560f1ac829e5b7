//! `seed/catalog-cn.json` read and mapped: its brands and models, each flat trim record turned
//! into spec values (English free text through `seed/editorial.json`), and the 能源类型 labels.

use std::collections::{BTreeMap, HashMap};

use anyhow::{anyhow, bail};
use serde::Deserialize;
use serde_json::Value;
use shared::catalog::{BodyType, EnergyType, SpecValue};

use super::{BrandSeed, TrimSeed};

#[derive(Deserialize)]
pub(super) struct RawCatalog {
    pub(super) brands: Vec<BrandSeed>,
    pub(super) models: Vec<RawModel>,
}

#[derive(Deserialize)]
pub(super) struct RawModel {
    pub(super) id: String,
    pub(super) brand_id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) body_type: BodyType,
    pub(super) energy_types: Vec<EnergyType>,
    pub(super) price_range_yuan: Option<RawRange>,
    pub(super) trims: Vec<serde_json::Map<String, Value>>,
}

#[derive(Default, Deserialize)]
pub(super) struct RawRange {
    pub(super) min: Option<i64>,
    pub(super) max: Option<i64>,
}

#[derive(Deserialize)]
pub(super) struct Editorial {
    pub(super) leapmotor_series: HashMap<String, EditorialSeries>,
    catalog_cn_text: HashMap<String, Wording>,
}

#[derive(Deserialize)]
pub(super) struct EditorialSeries {
    pub(super) body_type: BodyType,
    pub(super) energy_types: Vec<EnergyType>,
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
    shared::derive::energy_label(energy)
}

pub(super) fn energy_from_label(label: &str) -> Option<EnergyType> {
    EnergyType::ALL
        .into_iter()
        .find(|e| energy_label(*e) == label)
}

pub(super) fn catalog_trim(
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
        displacement_ml: raw
            .get("engine_displacement_l")
            .and_then(Value::as_f64)
            .map(|litres| (litres * 1000.0).round() as i64),
        eaer_km: None,
        listings: Vec::new(),
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
