//! Derived spec rows: what a trim's other facts already say, written into the rows the
//! comparison shows, so a page never shows "—" for something the data knows. Applied once,
//! where the server reads trims (`catalog::lineup`), so every page and answer gets them.
//!
//! Only real derivations: a label of a known field (能源类型, 官方指导价, 座位数, 排量), a unit
//! conversion (kW → Ps), an identity (a pure electric car's 最大功率 is its motors' total),
//! and 厂商 for the brands that have one maker. A stored value always wins. Deliberately
//! not derived: 级别 from the length alone (on carquote's 2024–2026 trims a length rule
//! agrees with Dongchedi's own level only 75 % of the time; the seed takes the dataset's
//! level instead), 百公里电耗 from battery ÷ range (gross capacity is not the energy drawn
//! from the grid) and 电能当量燃料消耗量 from 电耗 (the published pairs do not follow one
//! factor).

use std::collections::BTreeMap;

use crate::catalog::{format_number, EnergyType, SpecValue, Trim};

/// 能源类型 as the Dongchedi layout writes it.
pub fn energy_label(energy: EnergyType) -> &'static str {
    match energy {
        EnergyType::Petrol => "汽油",
        EnergyType::Hybrid => "油电混合",
        EnergyType::Phev => "插电式混合动力",
        EnergyType::Erev => "增程式",
        EnergyType::Bev => "纯电动",
        EnergyType::Fcev => "燃料电池",
    }
}

/// The maker (厂商) of every car of a brand, for the brands that have exactly one: in the
/// Dongchedi price list (shared/datasets/carquote, 2025-09) every trim of these brands
/// names this 厂商. Brands with several makers (大众: 上汽大众 / 一汽-大众; 丰田: 一汽丰田 /
/// 广汽丰田; 本田, 日产, 特斯拉 China / import …) are not here: their trims keep what
/// their source says.
pub fn maker(brand_id: &str) -> Option<&'static str> {
    Some(match brand_id {
        "byd" => "比亚迪",
        "xiaomi" => "小米汽车",
        "li-auto" => "理想汽车",
        "nio" | "onvo" => "蔚来",
        "xpeng" => "小鹏汽车",
        "aito" => "赛力斯汽车",
        "leapmotor" => "零跑汽车",
        "denza" => "腾势汽车",
        "avatr" => "阿维塔科技",
        "deepal" => "深蓝汽车",
        "luxeed" => "奇瑞汽车",
        _ => return None,
    })
}

/// 1 Ps (metric horsepower) = 0.73549875 kW; Dongchedi writes 220 kW as 299 Ps.
const KW_PER_PS: f64 = 0.735_498_75;

/// Fills the rows `trim`'s own fields and specs imply, where they are unknown.
pub fn derive(trim: &mut Trim, brand_id: &str) {
    let specs = &mut trim.specs;
    let fill = |specs: &mut BTreeMap<String, SpecValue>, key: &str, value: SpecValue| {
        specs.entry(key.to_string()).or_insert(value);
    };
    if let Some(e) = trim.energy_type {
        fill(
            specs,
            "energy_type",
            SpecValue::Text(energy_label(e).into()),
        );
    }
    if let Some(price) = trim.guide_price {
        fill(
            specs,
            "official_price_yuan",
            SpecValue::Number(price as f64),
        );
    }
    if let Some(seats) = trim.seats {
        fill(specs, "seat_count", SpecValue::Number(seats as f64));
    }
    if let Some(ml) = trim.displacement_ml {
        // 1498 ml is written 1.5 L, as the spec sheets do.
        let litres = (ml as f64 / 100.0).round() / 10.0;
        fill(specs, "displacement_l", SpecValue::Number(litres));
    }
    if let Some(m) = maker(brand_id) {
        fill(specs, "manufacturer", SpecValue::Text(m.into()));
    }
    let number = |specs: &BTreeMap<String, SpecValue>, key: &str| {
        specs.get(key).and_then(SpecValue::as_number)
    };
    if let (Some(l), Some(w), Some(h)) = (
        number(specs, "length_mm"),
        number(specs, "width_mm"),
        number(specs, "height_mm"),
    ) {
        let text = format!(
            "{}x{}x{}",
            format_number(l),
            format_number(w),
            format_number(h)
        );
        fill(specs, "dimensions_lwh_mm", SpecValue::Text(text));
    }
    // A pure electric car's power and torque are its motors'.
    if trim.energy_type == Some(EnergyType::Bev) {
        for (total, motors) in [
            ("max_power_kw", "motor_total_power_kw"),
            ("max_torque_nm", "motor_total_torque_nm"),
        ] {
            match (number(specs, total), number(specs, motors)) {
                (Some(n), None) => fill(specs, motors, SpecValue::Number(n)),
                (None, Some(n)) => fill(specs, total, SpecValue::Number(n)),
                _ => {}
            }
        }
    }
    if let Some(kw) = number(specs, "motor_total_power_kw") {
        fill(
            specs,
            "motor_total_power_ps",
            SpecValue::Number((kw / KW_PER_PS).round()),
        );
    }
    if let Some(kw) = number(specs, "engine_max_power_kw") {
        fill(
            specs,
            "engine_max_power_ps",
            SpecValue::Number((kw / KW_PER_PS).round()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trim(energy: EnergyType, specs: &[(&str, SpecValue)]) -> Trim {
        Trim {
            id: "t".into(),
            series_id: "s".into(),
            series_name: "S".into(),
            name_zh: "2025款 标准版".into(),
            model_year: Some(2025),
            guide_price: Some(215_900),
            dealer_price: None,
            energy_type: Some(energy),
            seats: Some(5),
            displacement_ml: None,
            eaer_km: None,
            listings: Vec::new(),
            specs: specs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    #[test]
    fn known_fields_fill_their_rows_and_stored_values_win() {
        let mut t = trim(
            EnergyType::Bev,
            &[
                ("max_power_kw", SpecValue::Number(220.0)),
                ("length_mm", SpecValue::Number(4997.0)),
                ("width_mm", SpecValue::Number(1963.0)),
                ("height_mm", SpecValue::Number(1455.0)),
                ("manufacturer", SpecValue::Text("北京小米".into())),
            ],
        );
        derive(&mut t, "xiaomi");
        let s = |k: &str| t.specs.get(k).cloned();
        assert_eq!(s("energy_type"), Some(SpecValue::Text("纯电动".into())));
        assert_eq!(s("official_price_yuan"), Some(SpecValue::Number(215_900.0)));
        assert_eq!(s("seat_count"), Some(SpecValue::Number(5.0)));
        assert_eq!(s("motor_total_power_kw"), Some(SpecValue::Number(220.0)));
        // Dongchedi's own figure for 220 kW
        assert_eq!(s("motor_total_power_ps"), Some(SpecValue::Number(299.0)));
        assert_eq!(
            s("dimensions_lwh_mm"),
            Some(SpecValue::Text("4997x1963x1455".into()))
        );
        assert_eq!(s("manufacturer"), Some(SpecValue::Text("北京小米".into())));
        // nothing it cannot know
        assert_eq!(s("power_consumption_kwh_100km"), None);
        assert_eq!(s("vehicle_class"), None);
    }

    #[test]
    fn a_hybrid_power_is_not_the_motors_and_brands_with_several_makers_get_none() {
        let mut t = trim(
            EnergyType::Phev,
            &[("max_power_kw", SpecValue::Number(160.0))],
        );
        t.displacement_ml = Some(1498);
        derive(&mut t, "volkswagen");
        assert_eq!(t.specs.get("motor_total_power_kw"), None);
        assert_eq!(t.specs.get("manufacturer"), None);
        assert_eq!(t.specs.get("displacement_l"), Some(&SpecValue::Number(1.5)));
        assert_eq!(
            t.specs.get("energy_type"),
            Some(&SpecValue::Text("插电式混合动力".into()))
        );
    }
}
