//! Smart selection (智能选车): five questions and a pure ranking of the dealer's trims, each
//! with the reasons it fits.

use serde::{Deserialize, Serialize};

use crate::catalog::{BodyType, EnergyType, SpecValue, Trim};
use crate::compare::{head, TrimHead};
use crate::error::ApiError;
use crate::money;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Usage {
    Commute,
    Family,
    LongTrip,
    Business,
}

impl Usage {
    pub const ALL: [Self; 4] = [Self::Commute, Self::Family, Self::LongTrip, Self::Business];
    pub fn label(self) -> &'static str {
        match self {
            Self::Commute => "城市通勤",
            Self::Family => "家庭出游",
            Self::LongTrip => "经常跑长途",
            Self::Business => "商务接待",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Range,
    Space,
    Tech,
    Economy,
    Performance,
}

impl Priority {
    pub const ALL: [Self; 5] = [
        Self::Range,
        Self::Space,
        Self::Tech,
        Self::Economy,
        Self::Performance,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Self::Range => "续航",
            Self::Space => "空间",
            Self::Tech => "智能科技",
            Self::Economy => "省钱",
            Self::Performance => "动力性能",
        }
    }
}

/// The buyer's answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answers {
    /// Budget in yuan; either end may be open. Not above `budget_max` (JSON Schema cannot
    /// say so): a lower bound above the upper answers 422 on `budget`.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000000))]
    pub budget_min: Option<i64>,
    /// Not below `budget_min` (else 422 on `budget`).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000000))]
    pub budget_max: Option<i64>,
    pub usage: Usage,
    /// People who usually ride along, driver included.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 9))]
    pub family_size: i64,
    pub home_charging: bool,
    pub priority: Priority,
}

impl Answers {
    pub fn validate(&self) -> Result<(), ApiError> {
        let in_range =
            |v: Option<i64>| v.is_none_or(|v| (0..=crate::filter::PRICE_LIMIT).contains(&v));
        if !in_range(self.budget_min) || !in_range(self.budget_max) {
            return Err(ApiError::invalid("budget", "预算应在0到1000万元之间"));
        }
        if let (Some(min), Some(max)) = (self.budget_min, self.budget_max) {
            if min > max {
                return Err(ApiError::invalid("budget", "预算下限不能高于上限"));
            }
        }
        if !(1..=9).contains(&self.family_size) {
            return Err(ApiError::invalid("family_size", "乘车人数应在1到9人之间"));
        }
        Ok(())
    }
}

/// A trim the ranking may choose, with its series' body type.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub trim: Trim,
    pub body_type: BodyType,
}

/// A ranked trim and why it fits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendation {
    pub trim: TrimHead,
    pub score: i64,
    pub reasons: Vec<String>,
}

/// How many recommendations a buyer sees.
pub const TOP: usize = 8;

/// Ranks the candidates for the answers: best first, cheaper first on a tie. Trims without a
/// price, or far over budget, or with too few seats, are left out.
pub fn rank(answers: &Answers, candidates: &[Candidate]) -> Vec<Recommendation> {
    let mut ranked: Vec<(i64, Recommendation)> = candidates
        .iter()
        .filter_map(|c| {
            let (score, reasons) = score(answers, c)?;
            let price = c.trim.price()?;
            Some((
                price,
                Recommendation {
                    trim: head(&c.trim),
                    score,
                    reasons,
                },
            ))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.score.cmp(&a.1.score).then(a.0.cmp(&b.0)));
    ranked.into_iter().map(|(_, r)| r).take(TOP).collect()
}

fn number(trim: &Trim, key: &str) -> Option<f64> {
    trim.specs.get(key).and_then(SpecValue::as_number)
}

fn score(answers: &Answers, candidate: &Candidate) -> Option<(i64, Vec<String>)> {
    let trim = &candidate.trim;
    let body = candidate.body_type;
    let price = trim.price()?;
    let mut score = 0;
    let mut reasons = Vec::new();

    // Budget: inside scores most; up to 10% over is a stretch; further over is out.
    match (answers.budget_min, answers.budget_max) {
        (_, Some(max)) if price > max + max / 10 => return None,
        (_, Some(max)) if price > max => {
            score += 10;
            reasons.push(format!("{}，略超预算", money::wan(price)));
        }
        (Some(min), _) if price < min => {
            score += 25;
            reasons.push(format!("{}，低于预算更省钱", money::wan(price)));
        }
        _ => {
            score += 40;
            reasons.push(format!("{}，在预算内", money::wan(price)));
        }
    }

    // Seats: a known seat count below the party size is out.
    match trim.seats {
        Some(seats) if seats < answers.family_size => return None,
        // A sedan or hatchback seats five: more people need a known larger car.
        None if answers.family_size > 5
            && matches!(body, BodyType::Sedan | BodyType::Hatchback) =>
        {
            return None
        }
        Some(seats) if answers.family_size >= 5 && seats >= 6 => {
            score += 25;
            reasons.push(format!("{seats}座，全家出行坐得下"));
        }
        None if answers.family_size >= 5 && matches!(body, BodyType::Suv | BodyType::Mpv) => {
            score += 10
        }
        _ => {}
    }

    // Energy against home charging.
    match (trim.energy_type, answers.home_charging) {
        (Some(EnergyType::Bev), true) => {
            score += 15;
            reasons.push("家里能装充电桩，纯电用车成本最低".into());
        }
        (Some(EnergyType::Bev), false) => score -= 10,
        (Some(EnergyType::Phev | EnergyType::Erev), false) => {
            score += 15;
            reasons.push("不依赖充电桩，能充电也能加油".into());
        }
        (Some(EnergyType::Phev | EnergyType::Erev), true) => {
            score += 10;
            reasons.push("在家充电日常用电，长途加油无焦虑".into());
        }
        (Some(EnergyType::Petrol | EnergyType::Hybrid), false) => {
            score += 10;
            reasons.push("加油方便，无补能焦虑".into());
        }
        _ => {}
    }

    let range = number(trim, "range_cltc_km");
    match answers.usage {
        Usage::Commute if matches!(body, BodyType::Sedan | BodyType::Hatchback) => {
            score += 10;
            reasons.push(format!("{}，城市通勤好开好停", body.label()));
        }
        Usage::Family if matches!(body, BodyType::Suv | BodyType::Mpv) => {
            score += 10;
            reasons.push(format!("{}空间大，适合家用", body.label()));
        }
        Usage::LongTrip
            if matches!(
                trim.energy_type,
                Some(EnergyType::Phev | EnergyType::Erev | EnergyType::Petrol | EnergyType::Hybrid)
            ) =>
        {
            score += 10;
            reasons.push("长途不用等充电".into());
        }
        Usage::LongTrip if range.is_some_and(|r| r >= 600.0) => {
            score += 10;
            reasons.push("续航长，跑长途更从容".into());
        }
        Usage::Business if matches!(body, BodyType::Sedan | BodyType::Mpv) => {
            score += 10;
            reasons.push(format!("{}，商务接待得体", body.label()));
        }
        _ => {}
    }

    match answers.priority {
        Priority::Range => {
            if let Some(km) = range {
                score += (km / 40.0).round() as i64;
                reasons.push(format!(
                    "CLTC纯电续航{}km",
                    crate::catalog::format_number(km)
                ));
            }
        }
        Priority::Space => {
            if let Some(mm) = number(trim, "wheelbase_mm") {
                score += ((mm - 2600.0) / 25.0).round().max(0.0) as i64;
                reasons.push(format!("轴距{}mm", crate::catalog::format_number(mm)));
            } else if matches!(body, BodyType::Suv | BodyType::Mpv) {
                score += 8;
            }
        }
        Priority::Tech => {
            if let Some(inches) = number(trim, "center_screen_size_in") {
                score += inches.round() as i64;
                reasons.push(format!(
                    "{}英寸中控屏",
                    crate::catalog::format_number(inches)
                ));
            }
            if let Some(SpecValue::Text(level)) = trim.specs.get("adas_level") {
                score += 8;
                reasons.push(format!("{}级辅助驾驶", level.trim_end_matches('级')));
            }
        }
        Priority::Economy => {
            let cap = answers.budget_max.unwrap_or(400_000).max(1);
            score += (20 * (cap - price).max(0) / cap).min(20);
            if matches!(trim.energy_type, Some(EnergyType::Bev)) {
                score += 5;
            }
        }
        Priority::Performance => {
            if let Some(seconds) = number(trim, "accel_0_100_s") {
                score += ((10.0 - seconds) * 4.0).round().max(0.0) as i64;
                reasons.push(format!(
                    "百公里加速{}秒",
                    crate::catalog::format_number(seconds)
                ));
            }
            if let Some(kw) =
                number(trim, "max_power_kw").or_else(|| number(trim, "motor_total_power_kw"))
            {
                score += (kw / 40.0).round() as i64;
                reasons.push(format!("最大功率{}kW", crate::catalog::format_number(kw)));
            }
        }
    }
    Some((score, reasons))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn candidate(
        id: &str,
        price: i64,
        energy: EnergyType,
        seats: Option<i64>,
        body: BodyType,
        specs: &[(&str, f64)],
    ) -> Candidate {
        Candidate {
            trim: Trim {
                id: id.into(),
                series_id: id.into(),
                series_name: id.into(),
                name_zh: id.into(),
                model_year: None,
                guide_price: Some(price),
                dealer_price: None,
                energy_type: Some(energy),
                seats,
                displacement_ml: None,
                eaer_km: None,
                listings: Vec::new(),
                specs: specs
                    .iter()
                    .map(|(k, v)| (k.to_string(), SpecValue::Number(*v)))
                    .collect::<BTreeMap<_, _>>(),
            },
            body_type: body,
        }
    }

    fn answers(max: i64, usage: Usage, family: i64, home: bool, priority: Priority) -> Answers {
        Answers {
            budget_min: None,
            budget_max: Some(max),
            usage,
            family_size: family,
            home_charging: home,
            priority,
        }
    }

    fn cars() -> Vec<Candidate> {
        vec![
            candidate(
                "b01",
                89_800,
                EnergyType::Bev,
                Some(5),
                BodyType::Sedan,
                &[("range_cltc_km", 430.0)],
            ),
            candidate(
                "su7",
                215_900,
                EnergyType::Bev,
                Some(5),
                BodyType::Sedan,
                &[
                    ("range_cltc_km", 700.0),
                    ("accel_0_100_s", 5.28),
                    ("max_power_kw", 220.0),
                ],
            ),
            candidate(
                "m7-6",
                329_800,
                EnergyType::Erev,
                Some(6),
                BodyType::Suv,
                &[],
            ),
            candidate(
                "m7-5",
                249_800,
                EnergyType::Erev,
                Some(5),
                BodyType::Suv,
                &[],
            ),
            candidate(
                "lavida",
                99_800,
                EnergyType::Petrol,
                None,
                BodyType::Sedan,
                &[],
            ),
        ]
    }

    fn ids(recs: &[Recommendation]) -> Vec<&str> {
        recs.iter().map(|r| r.trim.id.as_str()).collect()
    }

    #[test]
    fn ranking_follows_the_answers() {
        let cases: [(Answers, &[&str]); 4] = [
            // cheap commuter with a home charger: the cheap BEV first, far-over-budget cars out
            (
                answers(120_000, Usage::Commute, 2, true, Priority::Economy),
                &["b01", "lavida"],
            ),
            // six people: only the six-seater fits
            (
                answers(400_000, Usage::Family, 6, false, Priority::Space),
                &["m7-6"],
            ),
            // no charger, long trips, family of four within 30万: range-extended first, 10% over last
            (
                answers(300_000, Usage::LongTrip, 4, false, Priority::Range),
                &["m7-5", "lavida", "su7", "b01", "m7-6"],
            ),
            // performance within 25万: the fast one first
            (
                answers(250_000, Usage::Commute, 2, true, Priority::Performance),
                &["su7", "b01", "lavida", "m7-5"],
            ),
        ];
        for (a, expected) in cases {
            assert_eq!(ids(&rank(&a, &cars())), expected, "{a:?}");
        }
    }

    #[test]
    fn every_recommendation_says_why() {
        let recs = rank(
            &answers(400_000, Usage::Family, 6, false, Priority::Space),
            &cars(),
        );
        assert_eq!(
            recs[0].reasons,
            [
                "32.98万，在预算内",
                "6座，全家出行坐得下",
                "不依赖充电桩，能充电也能加油",
                "SUV空间大，适合家用"
            ]
        );
    }

    #[test]
    fn answers_are_validated() {
        let good = answers(200_000, Usage::Commute, 2, true, Priority::Range);
        assert!(good.validate().is_ok());
        let cases = [
            (
                Answers {
                    family_size: 0,
                    ..good.clone()
                },
                "family_size",
            ),
            (
                Answers {
                    family_size: 12,
                    ..good.clone()
                },
                "family_size",
            ),
            (
                Answers {
                    budget_min: Some(300_000),
                    ..good.clone()
                },
                "budget",
            ),
            (
                Answers {
                    budget_max: Some(-1),
                    ..good.clone()
                },
                "budget",
            ),
        ];
        for (a, field) in cases {
            assert_eq!(a.validate().unwrap_err().field.as_deref(), Some(field));
        }
    }
}
