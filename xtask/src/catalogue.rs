//! `cargo xtask catalogue --datasets DIR`: picks current trims of popular series from the
//! public datasets (carquote: Dongchedi price list; autocango: NEV spec sheets; ta-analysis:
//! Dongchedi EV values by car id), joins them on guide price, body size and model year (and
//! car id), maps their facts into the standard spec layout and
//! writes `server/seed/datasets.json`. Every trim carries the dataset rows it came from; a fact
//! neither row gives stays absent. The seed reads only the committed JSON, never the datasets.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// How many trims of one series at most: enough to compare grades, not the whole price list.
const MAX_TRIMS: usize = 5;

/// A series we show: its id (existing ids kept), brand, names, body and the carquote
/// series (brand key, series name) its trims come from.
struct Pick {
    id: &'static str,
    brand: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    body: &'static str,
    from: &'static [(&'static str, &'static str)],
}

const fn pick(
    id: &'static str,
    brand: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    body: &'static str,
    from: &'static [(&'static str, &'static str)],
) -> Pick {
    Pick {
        id,
        brand,
        name_zh,
        name_en,
        body,
        from,
    }
}

/// Brands the picks add to catalog-cn.json's: id, Chinese and English name.
const BRANDS: &[(&str, &str, &str)] = &[
    ("denza", "腾势", "Denza"),
    ("geely-galaxy", "吉利银河", "Geely Galaxy"),
    ("zeekr", "极氪", "Zeekr"),
    ("avatr", "阿维塔", "Avatr"),
    ("deepal", "深蓝汽车", "Deepal"),
    ("luxeed", "智界", "Luxeed"),
    ("onvo", "乐道", "ONVO"),
];

/// The series: the demo dealer's existing ones first (ids kept), then the new ones. Body
/// types of new series are editorial, from carquote's 级别 (…SUV → suv, …MPV → mpv).
const PICKS: &[Pick] = &[
    pick(
        "byd-qin-plus",
        "byd",
        "秦PLUS",
        "Qin PLUS",
        "sedan",
        &[("BYD", "秦PLUS DM"), ("BYD", "秦PLUS EV")],
    ),
    pick(
        "byd-song-plus",
        "byd",
        "宋PLUS新能源",
        "Song PLUS",
        "suv",
        &[("BYD", "宋PLUS DM"), ("BYD", "宋PLUS EV")],
    ),
    pick(
        "byd-qin-l",
        "byd",
        "秦L",
        "Qin L",
        "sedan",
        &[("BYD", "秦L DM"), ("BYD", "秦L EV")],
    ),
    pick(
        "byd-seal",
        "byd",
        "海豹",
        "Seal",
        "sedan",
        &[("BYD", "海豹")],
    ),
    pick(
        "byd-seagull",
        "byd",
        "海鸥",
        "Seagull",
        "hatchback",
        &[("BYD", "海鸥")],
    ),
    pick(
        "tesla-model-3",
        "tesla",
        "Model 3",
        "Model 3",
        "sedan",
        &[("Tesla", "Model 3")],
    ),
    pick(
        "tesla-model-y",
        "tesla",
        "Model Y",
        "Model Y",
        "suv",
        &[("Tesla", "Model Y")],
    ),
    pick(
        "li-auto-l6",
        "li-auto",
        "理想L6",
        "L6",
        "suv",
        &[("LiAuto", "L6")],
    ),
    pick(
        "li-auto-l7",
        "li-auto",
        "理想L7",
        "L7",
        "suv",
        &[("LiAuto", "L7")],
    ),
    pick("nio-es6", "nio", "蔚来ES6", "ES6", "suv", &[("Nio", "ES6")]),
    pick(
        "xpeng-g6",
        "xpeng",
        "小鹏G6",
        "G6",
        "suv",
        &[("Xpeng", "G6")],
    ),
    pick(
        "leapmotor-b01",
        "leapmotor",
        "零跑B01",
        "B01",
        "sedan",
        &[("Leapmotor", "B01")],
    ),
    pick(
        "leapmotor-c10",
        "leapmotor",
        "零跑C10",
        "C10",
        "suv",
        &[("Leapmotor", "C10")],
    ),
    pick(
        "leapmotor-b10",
        "leapmotor",
        "零跑B10",
        "B10",
        "suv",
        &[("Leapmotor", "B10")],
    ),
    pick(
        "leapmotor-c11",
        "leapmotor",
        "零跑C11",
        "C11",
        "suv",
        &[("Leapmotor", "C11")],
    ),
    pick(
        "leapmotor-c16",
        "leapmotor",
        "零跑C16",
        "C16",
        "suv",
        &[("Leapmotor", "C16")],
    ),
    pick(
        "leapmotor-t03",
        "leapmotor",
        "零跑T03",
        "T03",
        "hatchback",
        &[("Leapmotor", "T03")],
    ),
    pick(
        "vw-lavida",
        "volkswagen",
        "朗逸",
        "Lavida",
        "sedan",
        &[("Volkswagen", "朗逸")],
    ),
    pick(
        "toyota-camry",
        "toyota",
        "凯美瑞",
        "Camry",
        "sedan",
        &[("Toyota", "凯美瑞")],
    ),
    pick(
        "nissan-sylphy",
        "nissan",
        "轩逸",
        "Sylphy",
        "sedan",
        &[("Nissan", "轩逸")],
    ),
    pick(
        "geely-xingyue-l",
        "geely",
        "星越L",
        "Xingyue L",
        "suv",
        &[("Geely", "星越L")],
    ),
    pick(
        "changan-cs75-plus",
        "changan",
        "长安CS75 PLUS",
        "CS75 PLUS",
        "suv",
        &[("Changan", "CS75 PLUS")],
    ),
    pick(
        "wuling-hongguang-mini-ev",
        "wuling",
        "宏光MINIEV",
        "Hongguang MINIEV",
        "hatchback",
        &[("Wuling", "宏光MINIEV")],
    ),
    pick(
        "wuling-bingo",
        "wuling",
        "五菱缤果",
        "Bingo",
        "hatchback",
        &[("Wuling", "缤果")],
    ),
    // New series on the demo dealer.
    pick(
        "byd-han",
        "byd",
        "汉",
        "Han",
        "sedan",
        &[("BYD", "汉DM"), ("BYD", "汉EV")],
    ),
    pick(
        "byd-tang",
        "byd",
        "唐DM",
        "Tang DM",
        "suv",
        &[("BYD", "唐DM")],
    ),
    pick(
        "byd-song-l",
        "byd",
        "宋L EV",
        "Song L EV",
        "suv",
        &[("BYD", "宋L EV")],
    ),
    pick(
        "byd-song-pro",
        "byd",
        "宋Pro DM",
        "Song Pro DM",
        "suv",
        &[("BYD", "宋Pro DM")],
    ),
    pick(
        "byd-dolphin",
        "byd",
        "海豚",
        "Dolphin",
        "hatchback",
        &[("BYD", "海豚")],
    ),
    pick(
        "byd-yuan-plus",
        "byd",
        "元PLUS",
        "Yuan PLUS",
        "suv",
        &[("BYD", "元PLUS")],
    ),
    pick(
        "byd-seal-06",
        "byd",
        "海豹06",
        "Seal 06",
        "sedan",
        &[("BYD", "海豹06DM"), ("BYD", "海豹06EV")],
    ),
    pick(
        "byd-sealion-07",
        "byd",
        "海狮07EV",
        "Sealion 07 EV",
        "suv",
        &[("BYD", "海狮07EV")],
    ),
    pick(
        "denza-d9",
        "denza",
        "腾势D9",
        "D9",
        "mpv",
        &[("Denza", "腾势D9 DM"), ("Denza", "腾势D9 EV")],
    ),
    pick(
        "geely-galaxy-e8",
        "geely-galaxy",
        "银河E8",
        "Galaxy E8",
        "sedan",
        &[("GeelyGalaxy", "银河E8")],
    ),
    pick(
        "geely-galaxy-starship-7",
        "geely-galaxy",
        "银河星舰7 EM-i",
        "Galaxy Starship 7 EM-i",
        "suv",
        &[("GeelyGalaxy", "银河星舰7 EM-i")],
    ),
    pick(
        "geely-galaxy-xingyuan",
        "geely-galaxy",
        "星愿",
        "Xingyuan",
        "hatchback",
        &[("GeelyGalaxy", "星愿")],
    ),
    pick(
        "zeekr-001",
        "zeekr",
        "极氪001",
        "001",
        "sedan",
        &[("Zeekr", "ZEEKR 001")],
    ),
    pick(
        "zeekr-007",
        "zeekr",
        "极氪007",
        "007",
        "sedan",
        &[("Zeekr", "ZEEKR 007")],
    ),
    pick(
        "zeekr-7x",
        "zeekr",
        "极氪7X",
        "7X",
        "suv",
        &[("Zeekr", "ZEEKR 7X")],
    ),
    pick(
        "zeekr-x",
        "zeekr",
        "极氪X",
        "X",
        "suv",
        &[("Zeekr", "ZEEKR X")],
    ),
    pick("aito-m9", "aito", "问界M9", "M9", "suv", &[("Aito", "M9")]),
    pick("aito-m5", "aito", "问界M5", "M5", "suv", &[("Aito", "M5")]),
    pick(
        "avatr-12",
        "avatr",
        "阿维塔12",
        "12",
        "sedan",
        &[("Avatr", "12")],
    ),
    pick(
        "avatr-11",
        "avatr",
        "阿维塔11",
        "11",
        "suv",
        &[("Avatr", "11")],
    ),
    pick(
        "deepal-s07",
        "deepal",
        "深蓝S07",
        "S07",
        "suv",
        &[("Deepal", "深蓝S07")],
    ),
    pick(
        "deepal-l07",
        "deepal",
        "深蓝L07",
        "L07",
        "sedan",
        &[("Deepal", "深蓝L07")],
    ),
    pick(
        "luxeed-s7",
        "luxeed",
        "智界S7",
        "S7",
        "sedan",
        &[("Luxeed", "S7")],
    ),
    pick(
        "changan-qiyuan-a07",
        "changan",
        "长安启源A07",
        "Qiyuan A07",
        "sedan",
        &[("ChanganNevo", "A07")],
    ),
    pick(
        "xpeng-g9",
        "xpeng",
        "小鹏G9",
        "G9",
        "suv",
        &[("Xpeng", "G9")],
    ),
    pick(
        "xpeng-mona-m03",
        "xpeng",
        "小鹏MONA M03",
        "MONA M03",
        "sedan",
        &[("Xpeng", "MONA M03")],
    ),
    pick(
        "xpeng-x9",
        "xpeng",
        "小鹏X9",
        "X9",
        "mpv",
        &[("Xpeng", "X9")],
    ),
    pick(
        "onvo-l60",
        "onvo",
        "乐道L60",
        "L60",
        "suv",
        &[("Onvo", "L60")],
    ),
    pick(
        "vw-id4-crozz",
        "volkswagen",
        "ID.4 CROZZ",
        "ID.4 CROZZ",
        "suv",
        &[("Volkswagen", "ID.4 CROZZ")],
    ),
    pick(
        "vw-sagitar",
        "volkswagen",
        "速腾",
        "Sagitar",
        "sedan",
        &[("Volkswagen", "速腾")],
    ),
    pick(
        "toyota-bz3x",
        "toyota",
        "铂智3X",
        "bZ3X",
        "suv",
        &[("Toyota", "广汽丰田铂智3X")],
    ),
    pick(
        "honda-civic",
        "honda",
        "思域",
        "Civic",
        "sedan",
        &[("Honda", "思域")],
    ),
    pick(
        "honda-accord",
        "honda",
        "雅阁",
        "Accord",
        "sedan",
        &[("Honda", "雅阁")],
    ),
    pick(
        "wuling-starlight-s",
        "wuling",
        "星光S",
        "Starlight S",
        "suv",
        &[("Wuling", "星光S EV"), ("Wuling", "星光S PHEV")],
    ),
];

/// Existing series whose trims come from other files too: their name, brand and body stay
/// the other files' (only trims are added here).
const KEPT: usize = 24;

#[derive(Deserialize, Clone)]
struct Quote {
    brand_key: String,
    series: String,
    trim: String,
    model_year: String,
    guide_price_yuan: String,
    fuel_type: String,
    length_mm: String,
    width_mm: String,
    height_mm: String,
    vehicle_class: String,
    manufacturer: String,
    power_raw: String,
    max_hp_ps: String,
    engine_displacement: String,
    dcd_car_id: String,
}

type Row = HashMap<String, String>;

pub fn catalogue(root: &Path, args: &[String]) -> Result<()> {
    let dir = match args {
        [flag, dir] if flag == "--datasets" => Path::new(dir).to_path_buf(),
        _ => bail!("usage: cargo xtask catalogue --datasets DIR (e.g. ../shared/datasets)"),
    };
    let quotes: Vec<Quote> = csv::Reader::from_path(dir.join("carquote/trims.csv"))
        .context("carquote/trims.csv")?
        .deserialize()
        .collect::<Result<_, _>>()?;
    let specs: Vec<Row> = csv::Reader::from_path(dir.join("autocango/car_specs_china.csv"))
        .context("autocango/car_specs_china.csv")?
        .deserialize()
        .collect::<Result<_, _>>()?;
    // ta-analysis: Dongchedi EV values per car id (the same ids as carquote's), per file.
    let mut dongchedi: HashMap<String, (String, Map<String, Value>)> = HashMap::new();
    for entry in std::fs::read_dir(dir.join("ta-analysis")).context("ta-analysis")? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if !(name.starts_with("dcd_s") && name.ends_with(".json")) {
            continue;
        }
        let file: Value =
            serde_json::from_str(&std::fs::read_to_string(&path)?).with_context(|| name.clone())?;
        for car in file["cars"].as_array().into_iter().flatten() {
            if let (Some(id), Some(vals)) = (car["id"].as_str(), car["vals"].as_object()) {
                dongchedi.insert(id.to_string(), (name.clone(), vals.clone()));
            }
        }
    }
    // autocango rows by (guide price, length, width, height, model year).
    let mut by_key: HashMap<String, Vec<&Row>> = HashMap::new();
    for row in &specs {
        let n = |k: &str| number(row.get(k).map(String::as_str).unwrap_or("")).map(|n| n as i64);
        if let (Some(p), Some(l), Some(w), Some(h)) =
            (n("msrp"), n("length_mm"), n("width_mm"), n("height_mm"))
        {
            let year = row.get("model_year").cloned().unwrap_or_default();
            by_key
                .entry(format!("{p}/{l}/{w}/{h}/{year}"))
                .or_default()
                .push(row);
        }
    }

    let mut series_out = Vec::new();
    let mut trims_out = Vec::new();
    for (i, p) in PICKS.iter().enumerate() {
        let rows: Vec<&Quote> = quotes
            .iter()
            .filter(|q| {
                p.from
                    .iter()
                    .any(|(b, s)| q.brand_key == *b && q.series == *s)
            })
            .filter(|q| energy(&q.fuel_type).is_some())
            .collect();
        if rows.is_empty() {
            bail!("no carquote trims for {}", p.id);
        }
        let newest = rows
            .iter()
            .filter_map(|q| q.model_year.parse::<i64>().ok())
            .max();
        let Some(newest) = newest.filter(|y| *y >= 2024) else {
            eprintln!("{}: no 2024+ trims in carquote, skipped", p.id);
            continue;
        };
        // Trims joined to a spec sheet first, then the newest 款 (of the newest two), then
        // by price.
        let mut candidates: Vec<(&Quote, Vec<&Row>)> = rows
            .iter()
            .filter(|q| q.model_year.parse::<i64>().is_ok_and(|y| y >= newest - 1))
            .map(|q| (*q, matches(&by_key, q)))
            .collect();
        candidates.sort_by_key(|(q, m)| {
            (
                m.is_empty(),
                q.model_year.parse::<i64>().map(|y| -y).unwrap_or(0),
                q.guide_price_yuan.parse::<i64>().unwrap_or(0),
            )
        });
        let mut seen = BTreeSet::new();
        let mut chosen: Vec<Value> = Vec::new();
        for (q, m) in candidates {
            if chosen.len() == MAX_TRIMS || !seen.insert(q.dcd_car_id.clone()) {
                continue;
            }
            chosen.push(trim(p, q, &m, dongchedi.get(&q.dcd_car_id))?);
        }
        chosen.sort_by_key(|t| t["guide_price_yuan"].as_i64().unwrap_or(0));
        if i >= KEPT {
            let prices: Vec<i64> = chosen
                .iter()
                .filter_map(|t| t["guide_price_yuan"].as_i64())
                .collect();
            let mut energies: Vec<&str> = Vec::new();
            for t in &chosen {
                let e = t["energy_type"].as_str().unwrap_or("");
                if !energies.contains(&e) {
                    energies.push(e);
                }
            }
            series_out.push(json!({
                "id": p.id, "brand_id": p.brand, "name_zh": p.name_zh, "name_en": p.name_en,
                "body_type": p.body, "energy_types": energies,
                "guide_min": prices.iter().min(), "guide_max": prices.iter().max(),
            }));
        }
        trims_out.extend(chosen);
    }
    let brands: Vec<Value> = BRANDS
        .iter()
        .map(|(id, zh, en)| json!({"id": id, "name_zh": zh, "name_en": en}))
        .collect();
    let out = json!({
        "_note": "Generated by `cargo xtask catalogue --datasets ../shared/datasets`; do not edit by hand. Sources per trim in `sources` (carquote = Dongchedi car_id of DTBknight/Car-Quote data/*.json @ 1b1f722; autocango = source_url of jhelvy/us-china-pev-policy-2025 data/car_specs_china.parquet @ 2f38034). See server/seed/README.md.",
        "brands": brands,
        "series": series_out,
        "trims": trims_out,
    });
    let path = root.join("server/seed/datasets.json");
    std::fs::write(&path, serde_json::to_string_pretty(&out)? + "\n")?;
    let joined = trims_out
        .iter()
        .filter(|t| t["sources"]["autocango"].is_string())
        .count();
    println!(
        "wrote {}: {} new series, {} trims ({} joined to a spec sheet)",
        path.display(),
        series_out.len(),
        trims_out.len(),
        joined
    );
    Ok(())
}

/// The autocango rows of the same car: same guide price, body size, model year and energy
/// (a BYD 秦L EV and DM-i share price and size).
fn matches<'a>(by_key: &HashMap<String, Vec<&'a Row>>, q: &Quote) -> Vec<&'a Row> {
    let n = |s: &str| number(s).map(|n| n as i64);
    let fuel = match q.fuel_type.as_str() {
        "纯电动" => "BEV",
        "插电式混合动力" => "PHEV",
        "增程式" => "REEV",
        "汽油" => "Petrol",
        _ => return Vec::new(),
    };
    let rows: Vec<&Row> = match (
        n(&q.guide_price_yuan),
        n(&q.length_mm),
        n(&q.width_mm),
        n(&q.height_mm),
    ) {
        (Some(p), Some(l), Some(w), Some(h)) => by_key
            .get(&format!("{p}/{l}/{w}/{h}/{}", q.model_year))
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    rows.into_iter()
        .filter(|r| r.get("fuel_type").map(String::as_str) == Some(fuel))
        .collect()
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// carquote's 能源类型 → our energy key; 48V轻混 and diesel are left out (no key fits).
fn energy(fuel: &str) -> Option<&'static str> {
    Some(match fuel {
        "汽油" => "petrol",
        "油电混合" => "hybrid",
        "插电式混合动力" => "phev",
        "增程式" => "erev",
        "纯电动" => "bev",
        _ => return None,
    })
}

fn energy_label(key: &str) -> &'static str {
    match key {
        "petrol" => "汽油",
        "hybrid" => "油电混合",
        "phev" => "插电式混合动力",
        "erev" => "增程式",
        _ => "纯电动",
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// One trim: carquote's facts, then every autocango fact the matched rows agree on.
fn trim(
    p: &Pick,
    q: &Quote,
    rows: &[&Row],
    dongchedi: Option<&(String, Map<String, Value>)>,
) -> Result<Value> {
    let mut specs = Map::new();
    let mut put = |key: &str, v: Value| {
        specs.insert(key.to_string(), v);
    };
    let energy_key = energy(&q.fuel_type).unwrap_or("bev");
    let price: i64 = q.guide_price_yuan.parse().context("price")?;
    put("official_price_yuan", json!(price));
    put("energy_type", json!(energy_label(energy_key)));
    for (field, key) in [
        (&q.length_mm, "length_mm"),
        (&q.width_mm, "width_mm"),
        (&q.height_mm, "height_mm"),
    ] {
        if let Some(n) = number(field) {
            put(key, json!(n as i64));
        }
    }
    if !q.vehicle_class.is_empty() {
        put("vehicle_class", json!(q.vehicle_class));
    }
    if !q.manufacturer.is_empty() {
        put("manufacturer", json!(q.manufacturer));
    }
    // Engine size and intake from "1.5T" / "2.0L"; cylinders from "L4" in the power text.
    let mut displacement_ml = None;
    let disp = q.engine_displacement.trim();
    if let Some(litres) = disp
        .strip_suffix('T')
        .or_else(|| disp.strip_suffix('L'))
        .and_then(number)
    {
        put("displacement_l", json!(litres));
        put(
            "intake_type",
            json!(if disp.ends_with('T') {
                "涡轮增压"
            } else {
                "自然吸气"
            }),
        );
        displacement_ml = Some((litres * 1000.0).round() as i64);
    }
    if let Some(cyl) = q
        .power_raw
        .split_whitespace()
        .find_map(|w| w.strip_prefix('L').and_then(|n| n.parse::<i64>().ok()))
    {
        put("cylinder_count", json!(cyl));
    }
    // The horsepower is the engine's for a car with an engine, the motors' for a BEV; an
    // EREV's is ambiguous in the source ("纯电动 231马力"), so it is left out.
    if let Some(hp) = number(&q.max_hp_ps) {
        match energy_key {
            "petrol" | "hybrid" | "phev" if displacement_ml.is_some() => {
                put("engine_max_power_ps", json!(hp as i64))
            }
            "bev" => put("motor_total_power_ps", json!(hp as i64)),
            _ => {}
        }
    }
    // Gearbox named in the trim name (Dongchedi names carry DSG / CVT / 手动 for ICE cars).
    let name = &q.trim;
    let gearbox = if name.contains("DSG") || name.contains("DCT") {
        Some("双离合变速箱(DCT)")
    } else if name.contains("E-CVT") {
        Some("E-CVT无级变速")
    } else if name.contains("CVT") {
        Some("无级变速箱(CVT)")
    } else if name.contains("手动") {
        Some("手动变速箱(MT)")
    } else {
        None
    };
    if let Some(g) = gearbox {
        put("transmission_type", json!(g));
    }

    let mut seats = None;
    if !rows.is_empty() {
        let agreed = |col: &str| -> Option<String> {
            let first = rows[0].get(col)?.trim().to_string();
            (!first.is_empty()
                && first != "-"
                && first != "Unspecified"
                && rows
                    .iter()
                    .all(|r| r.get(col).map(|v| v.trim()) == Some(first.as_str())))
            .then_some(first)
        };
        let num = |col: &str| agreed(col).as_deref().and_then(number);
        for (col, key, int) in NUMBERS {
            if let Some(n) = num(col) {
                // A zero is the source's "none given" on these rows, not a measurement.
                if n > 0.0 {
                    put(
                        key,
                        if *int {
                            json!(n.round() as i64)
                        } else {
                            json!(round2(n))
                        },
                    );
                }
            }
        }
        seats = num("seats").map(|n| n as i64);
        if let Some(s) = seats {
            put("seat_count", json!(s));
        }
        if let Some(d) = agreed("drive_mode").and_then(|v| drive(&v)) {
            put("drive_type", json!(d));
        }
        if let Some(v) = agreed("body_structure").and_then(|v| body_structure(&v)) {
            put("body_structure", json!(v));
        }
        if let Some(v) = agreed("frame_structure") {
            match v.as_str() {
                "Unibody" => put("body_construction", json!("承载式")),
                "Body on Frame" => put("body_construction", json!("非承载式")),
                _ => {}
            }
        }
        if let Some(v) = agreed("battery_type") {
            if v.contains("LFP") {
                put("battery_type", json!("磷酸铁锂电池"));
            } else if v.contains("NCM") && !v.contains("LFP") && !v.contains('+') {
                put("battery_type", json!("三元锂电池"));
            }
        }
        if let Some(v) = agreed("motor_type") {
            let zh = match v.as_str() {
                "Permanent-magnet Synchronous Motor" => Some("永磁/同步"),
                "AC Asynchronous Motor" => Some("交流/异步"),
                "Front: AC Asynchronous Motor Rear: Permanent-magnet Synchronous Motor" => {
                    Some("前交流/异步 后永磁/同步")
                }
                "Front: Permanent-magnet Synchronous Motor Rear: AC Asynchronous Motor" => {
                    Some("前永磁/同步 后交流/异步")
                }
                _ => None,
            };
            if let Some(zh) = zh {
                put("motor_type", json!(zh));
            }
        }
        if let Some(n) = num("motors_n") {
            let zh = match n as i64 {
                1 => "单电机",
                2 => "双电机",
                3 => "三电机",
                4 => "四电机",
                _ => "",
            };
            if !zh.is_empty() {
                put("drive_motor_count", json!(zh));
            }
        }
        if let Some(v) = agreed("motor_layout") {
            let zh = match v.as_str() {
                "Front" => "前置",
                "Rear" => "后置",
                "Front+Rear" => "前置+后置",
                _ => "",
            };
            if !zh.is_empty() {
                put("motor_layout", json!(zh));
            }
        }
        if let Some(v) = agreed("transmission") {
            let zh = match v.as_str() {
                "EV Single-speed Transmission" => Some(("电动车单速变速箱", "固定齿比变速箱")),
                "E-CVT Continuously Variable Transmission" => {
                    Some(("E-CVT无级变速", "E-CVT无级变速"))
                }
                "1-Speed Dedicated Hybrid Transmission" => Some(("1挡DHT", "DHT混动专用变速箱")),
                "4-Speed Dedicated Hybrid Transmission" => Some(("4挡DHT", "DHT混动专用变速箱")),
                "6-Speed Dual Clutch Transmission" => Some(("6挡湿式双离合", "双离合变速箱(DCT)")),
                _ => None,
            };
            if let Some((desc, kind)) = zh {
                put("transmission_description", json!(desc));
                put("transmission_type", json!(kind));
            }
        }
        if let Some(v) = agreed("cruise_control_system") {
            let zh = match v.as_str() {
                "Full Speed Range Adaptive Cruise Control" => Some("全速自适应巡航"),
                "Adaptive Cruise Control" => Some("自适应巡航"),
                "Cruise Control System" => Some("定速巡航"),
                _ => None,
            };
            if let Some(zh) = zh {
                put("cruise_control", json!(zh));
            }
        }
        if let Some(v) = agreed("advanced_driving_assistance_level") {
            if matches!(v.as_str(), "L1" | "L2" | "L3") {
                put("adas_level", json!(format!("{v}级")));
            }
        }
        for (col, key) in [
            ("advanced_driver_assistance_system", "adas_system"),
            ("in_car_intelligent_system", "infotainment_system"),
            ("vehicle_intelligent_chip", "infotainment_chip"),
            ("front_tire_specs", "front_tire_size"),
            ("rear_tire_specs", "rear_tire_size"),
        ] {
            if let Some(v) = agreed(col).filter(|v| v.is_ascii() && !v.contains('●')) {
                put(key, json!(v));
            }
        }
        if let Some(v) = agreed("x4g_5g_network").filter(|v| v == "4G" || v == "5G") {
            put("cellular_network", json!(v));
        }
        if let Some(v) = agreed("lcd_console_screen") {
            match v.as_str() {
                "LCD Touch Screen" => put("center_screen_material", json!("LCD")),
                "OLED Touch Screen" => put("center_screen_material", json!("OLED")),
                _ => {}
            }
        }
        if let Some(v) = agreed("tire_pressure_monitoring") {
            match v.as_str() {
                "Pressure Display" => put("tire_pressure_monitoring", json!("胎压显示")),
                "Low Pressure Warning" => put("tire_pressure_monitoring", json!("胎压报警")),
                _ => {}
            }
        }
        if let Some(v) = agreed("mobile_wireless_charging") {
            match v.as_str() {
                "Front" => put("wireless_phone_charging", json!("前排")),
                "FrontRear" => put("wireless_phone_charging", json!("前排 / 后排")),
                _ => {}
            }
        }
        if let Some(v) = agreed("driver_passenger_airbags") {
            if v == "Driver Seat / Passenger Seat" || v == "Driver Seat/Passenger Seat" {
                put("front_airbags", json!("主驾驶位 / 副驾驶位"));
            }
        }
        if let Some(v) = agreed("battery_cooling_method") {
            match v.as_str() {
                "Liquid cooling" => put("battery_thermal_management", json!("液态冷却")),
                "Air cooling" => put("battery_thermal_management", json!("风冷")),
                "Direct cooling" => put("battery_thermal_management", json!("直冷")),
                _ => {}
            }
        }
        if let Some(v) = agreed("warranty").and_then(|v| warranty(&v)) {
            put("vehicle_warranty", json!(v));
        }
        if let Some(v) = agreed("battery_pack_warranty") {
            if v == "First owner: Lifetime warranty" {
                put("battery_warranty", json!("首任车主终身质保"));
            } else if let Some(w) = warranty(&v) {
                put("battery_warranty", json!(w));
            }
        }
        // 快充电量 is left out: the source's one number is sometimes the window's end (80),
        // sometimes its start (30), so which window the fast-charge time covers is unknown.
        // The battery's kWh is only in the generated name ("2024 MI SU7 BEV 73.6KWH").
        if let Some(kwh) = agreed("vehicle_name").and_then(|name| {
            name.split_whitespace()
                .find_map(|w| w.strip_suffix("KWH").and_then(number))
        }) {
            put("battery_capacity_kwh", json!(round2(kwh)));
        }
        if let Some(v) = agreed("launch_time") {
            put("launch_date", json!(v));
        }
    }
    // ta-analysis (Dongchedi, 2026-09) fills what the other two leave unknown; its 工信部
    // range is the only MIIT figure in any source.
    if let Some((_, vals)) = dongchedi {
        for (field, key) in [
            ("wheelbase", "wheelbase_mm"),
            ("curb_weight", "curb_weight_kg"),
            ("cltc_recharge_mileage", "range_cltc_km"),
            ("recharge_mileage", "range_miit_km"),
            ("power_consumption", "power_consumption_kwh_100km"),
            ("battery_capacity", "battery_capacity_kwh"),
            ("battery_energy_density", "battery_energy_density_wh_kg"),
            // "175kW(238Ps)": the kW before the bracket
            ("total_electric_power", "motor_total_power_kw"),
            ("total_electric_torque", "motor_total_torque_nm"),
            ("front_electric_max_power", "front_motor_max_power_kw"),
            ("front_electric_max_torque", "front_motor_max_torque_nm"),
            ("rear_electric_max_power", "rear_motor_max_power_kw"),
            ("rear_electric_max_torque", "rear_motor_max_torque_nm"),
        ] {
            let text = vals.get(field).and_then(Value::as_str).unwrap_or("");
            let text = text.split("kW").next().unwrap_or("");
            if let Some(n) = number(text).filter(|n| *n > 0.0) {
                specs.entry(key.to_string()).or_insert(json!(n));
            }
        }
        if let Some(t) = vals.get("battery_type").and_then(Value::as_str) {
            if t == "磷酸铁锂电池" || t == "三元锂电池" {
                specs.entry("battery_type".to_string()).or_insert(json!(t));
            }
        }
    }
    let seats = seats.or_else(|| specs.get("seat_count").and_then(Value::as_i64));

    let year: Option<i64> = q.model_year.parse().ok();
    let mut sources = Map::new();
    sources.insert("carquote".into(), json!(q.dcd_car_id));
    if let Some((file, _)) = dongchedi {
        sources.insert(
            "ta_analysis".into(),
            json!(format!("{file} car {}", q.dcd_car_id)),
        );
    }
    match rows {
        [] => {}
        [one] => {
            sources.insert("autocango".into(), json!(one.get("source_url")));
        }
        many => {
            let urls: Vec<&String> = many.iter().filter_map(|r| r.get("source_url")).collect();
            sources.insert(
                "autocango".into(),
                json!(urls
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")),
            );
        }
    }
    Ok(json!({
        "id": format!("{}-{}", p.id, slug(&q.dcd_car_id)),
        "series_id": p.id,
        "name_zh": q.trim,
        "model_year": year,
        "guide_price_yuan": price,
        "energy_type": energy_key,
        "seats": seats,
        "displacement_ml": displacement_ml,
        "specs": specs,
        "sources": sources,
    }))
}

fn round2(n: f64) -> f64 {
    (n * 100.0).round() / 100.0
}

/// autocango numeric columns → spec item, whether a whole number.
const NUMBERS: &[(&str, &str, bool)] = &[
    ("wheelbase_mm", "wheelbase_mm", true),
    ("track_mm_front", "front_track_mm", true),
    ("track_mm_rear", "rear_track_mm", true),
    ("doors", "door_count", true),
    ("weight_kg_curb", "curb_weight_kg", true),
    ("mass_kg_maximum_laden", "gross_weight_kg", true),
    ("trunk_volume_l_rear", "trunk_volume_l", true),
    ("power_kw_maximum", "max_power_kw", false),
    ("torque_na_m_maximum", "max_torque_nm", false),
    (
        "energy_density_wh_kg_battery",
        "battery_energy_density_wh_kg",
        false,
    ),
    (
        "consumption_kwh_100km_electricity",
        "power_consumption_kwh_100km",
        false,
    ),
    ("power_kw_motor_total", "motor_total_power_kw", false),
    ("torque_na_m_motor_total", "motor_total_torque_nm", false),
    ("power_kw_motor_front", "front_motor_max_power_kw", false),
    (
        "torque_na_m_motor_front",
        "front_motor_max_torque_nm",
        false,
    ),
    ("power_kw_motor_rear", "rear_motor_max_power_kw", false),
    ("torque_na_m_motor_rear", "rear_motor_max_torque_nm", false),
    ("power_ps_motor_total", "motor_total_power_ps", true),
    ("range_km_cltc", "range_cltc_km", true),
    ("range_km_miit", "range_miit_km", true),
    ("charging_time_h_fast", "fast_charge_time_h", false),
    ("charging_time_h_slow", "slow_charge_time_h", false),
    ("speed_kmh_top", "top_speed_kmh", true),
    // SOURCE.md: this column holds the official 0-100 km/h time despite its name.
    ("acceleration_s_0_60kmh_oem", "accel_0_100_s", false),
    (
        "consumption_l_100km_equivalent_electricity",
        "fuel_equivalent_l_100km",
        false,
    ),
    ("n_cameras", "exterior_camera_count", true),
    ("n_radars_ultrasonic", "ultrasonic_radar_count", true),
    ("n_radars_millimeter_wave", "mmwave_radar_count", true),
    ("lcd_dashboard_size", "instrument_cluster_size_in", false),
    ("size_inch_console_screen", "center_screen_size_in", false),
];

fn drive(v: &str) -> Option<&'static str> {
    Some(match v.replace(',', "").as_str() {
        "Front-EngineFront-Wheel Drive" => "前置前驱",
        "Rear-EngineRear-Wheel Drive" => "后置后驱",
        "Middle-EngineRear-Wheel Drive" => "中置后驱",
        "Front-EngineRear-Wheel Drive" => "前置后驱",
        "Front-EngineFour-Wheel Drive" => "前置四驱",
        "Dual-MotorFour-Wheel Drive" => "双电机四驱",
        "Tri-MotorFour-Wheel Drive" => "三电机四驱",
        "Quad-MotorFour-Wheel Drive" => "四电机四驱",
        _ => return None,
    })
}

fn body_structure(v: &str) -> Option<&'static str> {
    Some(match v {
        "SUV" => "SUV",
        "Sedan" => "三厢车",
        "Hatchback" => "两厢车",
        "MPV" => "MPV",
        "Wagon" => "旅行车",
        "Coupe" => "轿跑车",
        _ => return None,
    })
}

/// "6yr. / 150000km." → "6年或15万公里".
fn warranty(v: &str) -> Option<String> {
    let lower = v.to_lowercase();
    let (years, km) = lower.split_once('/')?;
    let years: i64 = years.trim().strip_suffix("yr.")?.trim().parse().ok()?;
    let km: i64 = km.trim().strip_suffix("km.")?.trim().parse().ok()?;
    if km % 10_000 != 0 {
        return None;
    }
    Some(format!("{years}年或{}万公里", km / 10_000))
}
