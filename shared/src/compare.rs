//! Comparison: the standard spec layout, the grouped diff of 2–4 trims with the best value
//! marked, and "what each step up buys" computed from spec differences.

use serde::{Deserialize, Serialize};

use crate::catalog::{format_number, EnergyType, SpecValue, Trim};
use crate::money;
use crate::tax::Listing;

/// At most this many trims side by side: a phone screen holds no more.
pub const MAX_COMPARE: usize = 4;

/// Which way a numeric spec is better, where that is clear (range up, 0-100 time down).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

/// One row of the standard layout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecItem {
    pub key: String,
    pub name_zh: String,
    pub unit: Option<String>,
    pub better: Option<Better>,
}

/// A group of rows (基本信息, 车身, 电动机 ...), in display order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecGroup {
    pub key: String,
    pub name_zh: String,
    pub items: Vec<SpecItem>,
}

/// A compared trim's header cell: name, both prices, and what its on-the-road price depends
/// on (`QuoteRequest::for_trim`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrimHead {
    pub id: String,
    pub series_id: String,
    pub name: String,
    pub guide_price: Option<i64>,
    pub dealer_price: Option<i64>,
    pub energy_type: Option<EnergyType>,
    pub seats: Option<i64>,
    pub displacement_ml: Option<i64>,
    pub eaer_km: Option<i64>,
    pub listings: Vec<Listing>,
}

/// One compared row: a value per trim (`None` is unknown, shown as —).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompareRow {
    pub key: String,
    pub name_zh: String,
    pub unit: Option<String>,
    pub values: Vec<Option<SpecValue>>,
    /// Every trim has the same value (unknown included): hidden by 隐藏相同项.
    pub same: bool,
    /// Per trim: holds the best value of a row where higher or lower is clearly better.
    pub best: Vec<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompareGroup {
    pub key: String,
    pub name_zh: String,
    pub rows: Vec<CompareRow>,
}

impl CompareGroup {
    /// Whether any compared trim has any known value in this group. A group of nothing but
    /// "—" starts collapsed: it says nothing about the choice.
    pub fn has_known_values(&self) -> bool {
        self.rows
            .iter()
            .any(|r| r.values.iter().any(Option::is_some))
    }
}

/// `/api/v1/dealers/{dealer}/compare?trims=...`: the grouped table, plus the requested ids
/// that were unknown and dropped (the page says so).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub trims: Vec<TrimHead>,
    pub groups: Vec<CompareGroup>,
    pub dropped: Vec<String>,
    /// The offers that hold today for the trims compared (a series-wide one for each of its
    /// trims).
    #[serde(default)]
    pub offers: Vec<crate::offer::OfferView>,
}

/// What moving from one trim to the next dearer one buys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrimStep {
    pub from: String,
    pub to: String,
    /// Guide-price difference in yuan, when both prices are known.
    pub price_delta: Option<i64>,
    /// Each gain in words: `激光雷达`, `纯电续航里程CLTC 550km（+120km）`.
    pub gains: Vec<String>,
}

impl TrimStep {
    /// `+¥12,000：激光雷达、20英寸轮毂`
    pub fn summary(&self) -> String {
        let price = self
            .price_delta
            .map(|d| format!("+{}", money::yuan(d)).replace("+-", "-"))
            .unwrap_or_else(|| "价格未公布".into());
        if self.gains.is_empty() {
            format!("{price}：参数表未列出差异")
        } else {
            format!("{price}：{}", self.gains.join("、"))
        }
    }
}

/// Parses the `trims` query value `a,b,c` into distinct ids, in order.
pub fn parse_trim_ids(value: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in value.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        if !ids.iter().any(|seen| seen == id) {
            ids.push(id.to_string());
        }
    }
    ids
}

pub fn head(trim: &Trim) -> TrimHead {
    TrimHead {
        id: trim.id.clone(),
        series_id: trim.series_id.clone(),
        name: trim.full_name(),
        guide_price: trim.guide_price,
        dealer_price: trim.dealer_price,
        energy_type: trim.energy_type,
        seats: trim.seats,
        displacement_ml: trim.displacement_ml,
        eaer_km: trim.eaer_km,
        listings: trim.listings.clone(),
    }
}

/// The grouped comparison of `trims` in the standard `layout`. A row no compared trim has a
/// value for says nothing about the choice and is left out, and so is a group left empty.
pub fn compare(layout: &[SpecGroup], trims: &[Trim]) -> Vec<CompareGroup> {
    layout
        .iter()
        .map(|group| CompareGroup {
            key: group.key.clone(),
            name_zh: group.name_zh.clone(),
            rows: group
                .items
                .iter()
                .map(|item| compare_row(item, trims))
                .filter(|row| row.values.iter().any(Option::is_some))
                .collect(),
        })
        .filter(|group| !group.rows.is_empty())
        .collect()
}

fn compare_row(item: &SpecItem, trims: &[Trim]) -> CompareRow {
    let values: Vec<Option<SpecValue>> = trims
        .iter()
        .map(|t| t.specs.get(&item.key).cloned())
        .collect();
    let same = values.windows(2).all(|pair| pair[0] == pair[1]);
    let best = best_cells(item.better, &values, same);
    CompareRow {
        key: item.key.clone(),
        name_zh: item.name_zh.clone(),
        unit: item.unit.clone(),
        values,
        same,
        best,
    }
}

/// Marks the best numeric cells, only when at least two trims have a number and they differ.
fn best_cells(better: Option<Better>, values: &[Option<SpecValue>], same: bool) -> Vec<bool> {
    let numbers: Vec<Option<f64>> = values
        .iter()
        .map(|v| v.as_ref().and_then(SpecValue::as_number))
        .collect();
    let known: Vec<f64> = numbers.iter().flatten().copied().collect();
    let target = match better {
        Some(_) if same || known.len() < 2 || known.iter().all(|n| *n == known[0]) => None,
        Some(Better::Higher) => known.iter().copied().reduce(f64::max),
        Some(Better::Lower) => known.iter().copied().reduce(f64::min),
        None => None,
    };
    numbers
        .iter()
        .map(|n| target.is_some() && *n == target)
        .collect()
}

/// What each step up the (price-ordered) trim ladder buys, from the spec differences:
/// features gained, numbers improved, text that changed. Unknown values never count.
pub fn trim_steps(layout: &[SpecGroup], trims: &[Trim]) -> Vec<TrimStep> {
    trims
        .windows(2)
        .map(|pair| {
            let (from, to) = (&pair[0], &pair[1]);
            let gains = layout
                .iter()
                .flat_map(|g| g.items.iter())
                .filter(|item| item.key != "official_price_yuan")
                .filter_map(|item| gain(item, from.specs.get(&item.key)?, to.specs.get(&item.key)?))
                .collect();
            TrimStep {
                from: from.id.clone(),
                to: to.id.clone(),
                price_delta: to
                    .guide_price
                    .zip(from.guide_price)
                    .map(|(to, from)| to - from),
                gains,
            }
        })
        .collect()
}

fn gain(item: &SpecItem, from: &SpecValue, to: &SpecValue) -> Option<String> {
    let name = short_name(&item.name_zh);
    let unit = item.unit.as_deref().unwrap_or("");
    match (from, to) {
        (SpecValue::Bool(false), SpecValue::Bool(true)) => Some(name.to_string()),
        (SpecValue::Number(a), SpecValue::Number(b)) if a != b => {
            let improved = match item.better {
                Some(Better::Higher) => b > a,
                Some(Better::Lower) => b < a,
                None => true,
            };
            improved.then(|| {
                let delta = b - a;
                let sign = if delta > 0.0 { "+" } else { "" };
                let delta = (delta * 100.0).round() / 100.0;
                format!(
                    "{name} {}{unit}（{sign}{}{unit}）",
                    format_number(*b),
                    format_number(delta)
                )
            })
        }
        (SpecValue::Text(a), SpecValue::Text(b)) if a != b => Some(format!("{name}：{b}")),
        (SpecValue::Bool(false), SpecValue::Text(b)) => Some(format!("{name}：{b}")),
        _ => None,
    }
}

/// `纯电续航里程(km)CLTC` → `纯电续航里程CLTC`: the unit is printed with the value.
fn short_name(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut depth = 0;
    for c in label.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn item(key: &str, name: &str, unit: Option<&str>, better: Option<Better>) -> SpecItem {
        SpecItem {
            key: key.into(),
            name_zh: name.into(),
            unit: unit.map(Into::into),
            better,
        }
    }

    fn layout() -> Vec<SpecGroup> {
        vec![SpecGroup {
            key: "basic".into(),
            name_zh: "基本信息".into(),
            items: vec![
                item(
                    "official_price_yuan",
                    "官方指导价(元)",
                    Some("元"),
                    Some(Better::Lower),
                ),
                item(
                    "range_cltc_km",
                    "纯电续航里程(km)CLTC",
                    Some("km"),
                    Some(Better::Higher),
                ),
                item(
                    "accel_0_100_s",
                    "官方百公里加速时间(s)",
                    Some("s"),
                    Some(Better::Lower),
                ),
                item("lidar", "激光雷达", None, None),
                item("cruise_control", "巡航系统", None, None),
                item("seat_count", "座位数(个)", Some("个"), None),
            ],
        }]
    }

    fn trim(id: &str, price: Option<i64>, specs: &[(&str, SpecValue)]) -> Trim {
        Trim {
            id: id.into(),
            series_id: "b01".into(),
            series_name: "零跑B01".into(),
            name_zh: id.into(),
            model_year: Some(2025),
            guide_price: price,
            dealer_price: None,
            energy_type: None,
            seats: None,
            displacement_ml: None,
            eaer_km: None,
            listings: Vec::new(),
            specs: specs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    use SpecValue::{Bool, Number, Text};

    #[test]
    fn compare_marks_same_rows_and_the_best_values() {
        let trims = [
            trim(
                "a",
                Some(89_800),
                &[
                    ("range_cltc_km", Number(430.0)),
                    ("accel_0_100_s", Number(7.5)),
                    ("seat_count", Number(5.0)),
                ],
            ),
            trim(
                "b",
                Some(95_800),
                &[
                    ("range_cltc_km", Number(550.0)),
                    ("accel_0_100_s", Number(7.5)),
                    ("seat_count", Number(5.0)),
                ],
            ),
            trim(
                "c",
                Some(99_800),
                &[
                    ("range_cltc_km", Number(550.0)),
                    ("seat_count", Number(5.0)),
                ],
            ),
        ];
        let groups = compare(&layout(), &trims);
        let rows = &groups[0].rows;
        let row = |key: &str| rows.iter().find(|r| r.key == key).unwrap();

        let cases: [(&str, bool, [bool; 3]); 3] = [
            ("range_cltc_km", false, [false, true, true]),
            // equal known values and one unknown: not the same row, but no best either
            ("accel_0_100_s", false, [false, false, false]),
            ("seat_count", true, [false, false, false]),
        ];
        for (key, same, best) in cases {
            assert_eq!(row(key).same, same, "{key} same");
            assert_eq!(row(key).best, best, "{key} best");
        }
        assert_eq!(row("range_cltc_km").values[0], Some(Number(430.0)));
        assert!(groups[0].has_known_values());
        // unknown everywhere says nothing: the row is left out, and an empty group too
        assert!(rows
            .iter()
            .all(|r| r.key != "lidar" && r.key != "official_price_yuan"));
        let unknown = compare(&layout(), &[trim("x", None, &[]), trim("y", None, &[])]);
        assert!(unknown.is_empty());
    }

    #[test]
    fn lower_is_better_marks_the_smallest() {
        let trims = [
            trim("a", None, &[("accel_0_100_s", Number(7.5))]),
            trim("b", None, &[("accel_0_100_s", Number(5.9))]),
        ];
        let groups = compare(&layout(), &trims);
        let row = groups[0]
            .rows
            .iter()
            .find(|r| r.key == "accel_0_100_s")
            .unwrap();
        assert_eq!(row.best, vec![false, true]);
    }

    #[test]
    fn trim_steps_list_what_each_step_up_buys() {
        let trims = [
            trim(
                "430",
                Some(89_800),
                &[
                    ("range_cltc_km", Number(430.0)),
                    ("lidar", Bool(false)),
                    ("cruise_control", Text("定速".into())),
                    ("accel_0_100_s", Number(7.0)),
                ],
            ),
            trim(
                "550",
                Some(101_800),
                &[
                    ("range_cltc_km", Number(550.0)),
                    ("lidar", Bool(true)),
                    ("cruise_control", Text("全速自适应".into())),
                    ("accel_0_100_s", Number(7.5)),
                ],
            ),
            trim("650", Some(109_800), &[("range_cltc_km", Number(650.0))]),
            trim("x", None, &[("range_cltc_km", Number(600.0))]),
        ];
        let steps = trim_steps(&layout(), &trims);
        let cases: [(usize, Option<i64>, &[&str]); 3] = [
            (
                0,
                Some(12_000),
                &[
                    "纯电续航里程CLTC 550km（+120km）",
                    "激光雷达",
                    "巡航系统：全速自适应",
                ],
            ),
            // unknown values on one side never count as a gain or a loss
            (1, Some(8_000), &["纯电续航里程CLTC 650km（+100km）"]),
            // a shorter range is no gain, and an unknown price gives no delta
            (2, None, &[]),
        ];
        for (i, delta, gains) in cases {
            assert_eq!(steps[i].price_delta, delta, "step {i}");
            assert_eq!(steps[i].gains, gains, "step {i}");
        }
        assert_eq!(
            steps[0].summary(),
            "+¥12,000：纯电续航里程CLTC 550km（+120km）、激光雷达、巡航系统：全速自适应"
        );
        assert_eq!(steps[2].summary(), "价格未公布：参数表未列出差异");
    }

    #[test]
    fn trim_ids_are_split_trimmed_and_deduplicated() {
        assert_eq!(parse_trim_ids(" a, b,,a ,c"), vec!["a", "b", "c"]);
        assert!(parse_trim_ids("").is_empty());
    }
}
