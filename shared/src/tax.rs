//! The taxes in an on-the-road price, by the rules in force on the purchase date: purchase
//! tax (车辆购置税) with the dated new-energy relief, and the vehicle and vessel tax (车船税) by
//! engine displacement with the province's amounts. Who qualifies for a relief is a dated fact
//! per trim (listed in the MIIT catalogue for a period: yes, no, or unknown), never guessed
//! from the energy type. Money is integer yuan outside, integer fen inside.

use serde::{Deserialize, Serialize};

use crate::catalog::EnergyType;
use crate::date::Date;
use crate::error::ApiError;

/// A relief period: the purchase dates one set of MIIT technical requirements and its
/// catalogue (《减免车辆购置税的新能源汽车车型目录》, and with it the 车船税 catalogue of
/// energy-saving and new-energy models) covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub enum ReliefPeriod {
    /// 2014-09-01 to 2023-12-31: listed new-energy cars exempt.
    #[cfg_attr(feature = "openapi", schema(rename = "2014-2023"))]
    From2014To2023,
    /// 2024–2025: exempt, capped at 30,000 yuan (公告2023年第10号).
    #[cfg_attr(feature = "openapi", schema(rename = "2024-2025"))]
    From2024To2025,
    /// 2026–2027: halved, the reduction capped at 15,000 yuan; stricter requirements (PHEV and
    /// EREV need an equivalent all-electric range of at least 100 km).
    #[cfg_attr(feature = "openapi", schema(rename = "2026-2027"))]
    From2026To2027,
}

impl ReliefPeriod {
    pub const ALL: [Self; 3] = [
        Self::From2014To2023,
        Self::From2024To2025,
        Self::From2026To2027,
    ];

    /// The wire and storage form: `2026-2027`.
    pub fn key(self) -> &'static str {
        match self {
            Self::From2014To2023 => "2014-2023",
            Self::From2024To2025 => "2024-2025",
            Self::From2026To2027 => "2026-2027",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// As people read it: `2026—2027年`.
    pub fn label(self) -> &'static str {
        match self {
            Self::From2014To2023 => "2014—2023年",
            Self::From2024To2025 => "2024—2025年",
            Self::From2026To2027 => "2026—2027年",
        }
    }

    /// The period a purchase on `date` falls in; none before the first catalogue
    /// (2014-09-01) or after the last announced one (from 2028).
    pub fn of(date: Date) -> Option<Self> {
        match date {
            d if d < Date::new(2014, 9, 1) => None,
            d if d < Date::new(2024, 1, 1) => Some(Self::From2014To2023),
            d if d < Date::new(2026, 1, 1) => Some(Self::From2024To2025),
            d if d < Date::new(2028, 1, 1) => Some(Self::From2026To2027),
            _ => None,
        }
    }
}

impl TryFrom<String> for ReliefPeriod {
    type Error = String;
    fn try_from(key: String) -> Result<Self, Self::Error> {
        Self::from_key(&key)
            .ok_or_else(|| format!("没有“{key}”这一减免时段，可选 2014-2023、2024-2025、2026-2027"))
    }
}

impl From<ReliefPeriod> for String {
    fn from(period: ReliefPeriod) -> Self {
        period.key().into()
    }
}

/// Whether a trim is listed in the MIIT catalogue for a period. A period without a listing is
/// unknown. `source` says where the fact comes from; a listing without one is an assumption
/// the buyer chose in the calculator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Listing {
    pub period: ReliefPeriod,
    pub listed: bool,
    pub source: Option<String>,
}

/// The all-electric range a plug-in or range-extended car needs from 2026 (有条件的等效全电里程).
pub const MIN_EAER_KM_2026: i64 = 100;

/// Why the rules rule out a listing for `period`, when they do: a plug-in hybrid or
/// range-extended car whose equivalent all-electric range is known to be under 100 km cannot
/// be in the 2026–2027 catalogue. `None` when a listing is possible (or nothing is known).
pub fn ruled_out(energy: EnergyType, eaer_km: Option<i64>, period: ReliefPeriod) -> Option<String> {
    let plug_in = matches!(energy, EnergyType::Phev | EnergyType::Erev);
    match eaer_km {
        Some(km) if plug_in && period == ReliefPeriod::From2026To2027 && km < MIN_EAER_KM_2026 => {
            Some(format!(
                "等效全电里程{km}km，低于2026—2027年技术要求的{MIN_EAER_KM_2026}km"
            ))
        }
        _ => None,
    }
}

/// What is known of a trim's listing for `period`: its stated listing, else "not listed" with
/// the reason when the rules rule a listing out ([`ruled_out`]); else unknown (`None`).
pub fn known_listing(
    energy: EnergyType,
    eaer_km: Option<i64>,
    listings: &[Listing],
    period: ReliefPeriod,
) -> Option<Listing> {
    if let Some(stated) = listings.iter().find(|l| l.period == period) {
        return Some(stated.clone());
    }
    ruled_out(energy, eaer_km, period).map(|why| Listing {
        period,
        listed: false,
        source: Some(why),
    })
}

/// The new-energy purchase-tax relief in force from a date on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NevRelief {
    /// Fully exempt, with the exemption capped per car (yuan), or uncapped.
    Exempt { cap: Option<i64> },
    /// Half the tax, with the reduction capped per car (yuan).
    Halved { cap: i64 },
    /// The full tax.
    None,
}

/// Dated relief rules, oldest first: a car bought on a day gets the last rule started by then.
/// 财政部 税务总局 公告2014年第53号 (exempt from 2014-09-01, extended to 2023-12-31 by
/// 公告2022年第27号); 财政部 税务总局 工业和信息化部 公告2023年第10号 (2024–2027).
pub const NEV_RULES: [(Date, NevRelief, &str); 5] = [
    (Date::new(1900, 1, 1), NevRelief::None, "全额征收"),
    (
        Date::new(2014, 9, 1),
        NevRelief::Exempt { cap: None },
        "免征购置税",
    ),
    (
        Date::new(2024, 1, 1),
        NevRelief::Exempt { cap: Some(30_000) },
        "免征购置税，每辆车免税额不超过3万元",
    ),
    (
        Date::new(2026, 1, 1),
        NevRelief::Halved { cap: 15_000 },
        "减半征收购置税，每辆车减税额不超过1.5万元",
    ),
    (
        Date::new(2028, 1, 1),
        NevRelief::None,
        "新能源汽车购置税减免已到期，全额征收",
    ),
];

/// Purchase tax in yuan and the rule that gave it: price / 1.13 × 10%, less the relief of the
/// day for a new-energy car listed for the period (`listing` as [`known_listing`] gives it).
pub fn purchase_tax(
    price: i64,
    energy: EnergyType,
    listing: Option<&Listing>,
    date: Date,
) -> (i64, String) {
    // In fen: price × 100 / 1.13 × 10% = price × 1000 / 113.
    let full = div_round(i128::from(price) * 1000, 113);
    let full_rule = "车价÷1.13×10%";
    let period = ReliefPeriod::of(date);
    if !energy.is_new_energy() {
        return (fen_to_yuan(full), full_rule.into());
    }
    let (_, relief, rule) = NEV_RULES
        .iter()
        .rev()
        .find(|(from, _, _)| *from <= date)
        .copied()
        .unwrap_or(NEV_RULES[0]);
    let Some(period) = period.filter(|_| relief != NevRelief::None) else {
        return (fen_to_yuan(full), format!("{rule}：{full_rule}"));
    };
    let label = period.label();
    match listing {
        None => (
            fen_to_yuan(full),
            format!("未确认是否列入{label}减免目录，按全额计算（{full_rule}），以工信部目录为准"),
        ),
        Some(l) if !l.listed => {
            let note = match &l.source {
                Some(why) => format!("未列入{label}减免目录（{why}），全额征收：{full_rule}"),
                None => {
                    format!("按未列入{label}减免目录计算，全额征收：{full_rule}，以工信部目录为准")
                }
            };
            (fen_to_yuan(full), note)
        }
        Some(l) => {
            let due = match relief {
                NevRelief::None => full,
                NevRelief::Exempt { cap: None } => 0,
                NevRelief::Exempt { cap: Some(cap) } => (full - i128::from(cap) * 100).max(0),
                NevRelief::Halved { cap } => full - (full / 2).min(i128::from(cap) * 100),
            };
            let note = match &l.source {
                Some(_) => format!("已列入{label}减免目录：{rule}"),
                None => format!("按已列入{label}减免目录计算：{rule}，以工信部目录为准"),
            };
            (fen_to_yuan(due), note)
        }
    }
}

/// The 车船税法 schedule for passenger cars: per displacement band, its upper bound in
/// millilitres (inclusive), the national range of yearly amounts in yuan, and its name.
pub const VESSEL_TAX_BANDS: [(i64, i64, i64, &str); 7] = [
    (1_000, 60, 360, "1.0升（含）以下"),
    (1_600, 300, 540, "1.0升以上至1.6升（含）"),
    (2_000, 360, 660, "1.6升以上至2.0升（含）"),
    (2_500, 660, 1_200, "2.0升以上至2.5升（含）"),
    (3_000, 1_200, 2_400, "2.5升以上至3.0升（含）"),
    (4_000, 2_400, 3_600, "3.0升以上至4.0升（含）"),
    (i64::MAX, 3_600, 5_400, "4.0升以上"),
];

/// The engine sizes the calculator accepts: 0.1 to 10 litres.
pub const DISPLACEMENT_ML: (i64, i64) = (100, 10_000);

/// An engine size as people write it: `1.5`, `1.5T`, `1.498L`, `2.0升` (litres) or `1498`,
/// `1498mL` (millilitres), in millilitres. `None` for anything else.
///
/// Read with integers, never `f64::from_str`: its 10 KB table of powers of five would sit
/// in the browser's main wasm module (a chunk's data stays in the main module).
pub fn parse_displacement_ml(text: &str) -> Option<i64> {
    let lower = text.trim().to_ascii_lowercase();
    let number = lower
        .trim_end_matches("ml")
        .trim_end_matches(['l', 't', '升'])
        .trim();
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || whole.len() + fraction.len() == 0 || whole.len() > 6 {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let litres = number.contains('.') || whole < 20;
    let ml = if litres {
        // Millilitres are the first three decimals; the fourth rounds them.
        let decimal = |i: usize| {
            fraction
                .as_bytes()
                .get(i)
                .map_or(0, |b| i64::from(b - b'0'))
        };
        let round = i64::from(decimal(3) >= 5);
        whole * 1000 + decimal(0) * 100 + decimal(1) * 10 + decimal(2) + round
    } else {
        whole
    };
    (ml > 0).then_some(ml)
}

/// Millilitres as the litres people read: 1498 → `1.498`, 1500 → `1.5`.
pub fn litres(displacement_ml: i64) -> String {
    let text = format!("{}.{:03}", displacement_ml / 1000, displacement_ml % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The band a displacement falls in (an index into [`VESSEL_TAX_BANDS`]).
pub fn vessel_tax_band(displacement_ml: i64) -> usize {
    VESSEL_TAX_BANDS
        .iter()
        .position(|(upper, ..)| displacement_ml <= *upper)
        .unwrap_or(VESSEL_TAX_BANDS.len() - 1)
}

/// A province's yearly 车船税 amounts for passenger cars, one per band of
/// [`VESSEL_TAX_BANDS`], each inside the national range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VesselTaxRates {
    /// 省份, e.g. `浙江`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20))]
    pub province: String,
    /// Yuan a year per band, smallest engines first.
    #[cfg_attr(feature = "openapi", schema(min_items = 7, max_items = 7))]
    pub annual: Vec<i64>,
    /// Where the amounts come from; absent for demo amounts (演示).
    pub source: Option<String>,
}

impl VesselTaxRates {
    /// Seven amounts, each within its national band; the first broken band is named.
    pub fn validate(&self) -> Result<(), ApiError> {
        let field = "vessel_tax_rates";
        let province = self.province.trim().chars().count();
        if !(1..=20).contains(&province) {
            return Err(ApiError::invalid(field, "请填写省份（1到20个字）"));
        }
        if self.annual.len() != VESSEL_TAX_BANDS.len() {
            return Err(ApiError::invalid(
                field,
                format!("车船税年税额应有{}档", VESSEL_TAX_BANDS.len()),
            ));
        }
        for (amount, (_, min, max, name)) in self.annual.iter().zip(VESSEL_TAX_BANDS) {
            if !(min..=max).contains(amount) {
                return Err(ApiError::invalid(
                    field,
                    format!("排量{name}的车船税年税额应在{min}到{max}元之间"),
                ));
            }
        }
        Ok(())
    }
}

/// 车船税 due in the year of purchase, in yuan, and the rule that gave it; `None` when the
/// displacement it depends on is unknown. Counted by month from the purchase month
/// (annual × remaining months / 12). Battery-electric and fuel-cell passenger cars are outside
/// the tax (财税〔2018〕74号); listed plug-in and range-extended cars are exempt; listed
/// energy-saving (petrol, hybrid) cars pay half.
pub fn vessel_tax(
    energy: EnergyType,
    displacement_ml: Option<i64>,
    listing: Option<&Listing>,
    rates: Option<&VesselTaxRates>,
    date: Date,
) -> (Option<i64>, String) {
    match energy {
        EnergyType::Bev => return (Some(0), "纯电动乘用车不属于车船税征税范围".into()),
        EnergyType::Fcev => return (Some(0), "燃料电池乘用车不属于车船税征税范围".into()),
        _ => {}
    }
    let listed_for = listing.filter(|l| l.listed).map(|l| l.period.label());
    if let (EnergyType::Phev | EnergyType::Erev, Some(label)) = (energy, listed_for) {
        return (
            Some(0),
            format!("列入{label}节能与新能源车型目录，免征车船税"),
        );
    }
    let Some(ml) = displacement_ml else {
        return (None, "排量未知，未计入车船税，请填写排量".into());
    };
    let Some(rates) = rates else {
        return (None, "未设置上牌地的车船税税额，未计入".into());
    };
    let band = vessel_tax_band(ml);
    let annual = rates.annual.get(band).copied().unwrap_or(0);
    let months = i128::from(13 - date.month.clamp(1, 12));
    let mut due = div_round(i128::from(annual) * 100 * months, 12);
    let mut note = format!(
        "{}{}年税额{annual}元×{months}/12（当年按月计）",
        rates.province, VESSEL_TAX_BANDS[band].3
    );
    if let Some(label) = listed_for {
        due = div_round(due, 2);
        note.push_str(&format!("，列入{label}节能车型目录减半"));
    }
    if rates.source.is_none() {
        note.push_str("，税额为演示数据");
    }
    (Some(fen_to_yuan(due)), note)
}

pub(crate) fn div_round(numerator: i128, denominator: i128) -> i128 {
    (numerator * 2 + denominator) / (denominator * 2)
}

pub(crate) fn fen_to_yuan(fen: i128) -> i64 {
    div_round(fen, 100) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(period: ReliefPeriod, yes: bool) -> Listing {
        Listing {
            period,
            listed: yes,
            source: Some("测试来源".into()),
        }
    }

    fn zhejiang() -> VesselTaxRates {
        VesselTaxRates {
            province: "浙江".into(),
            annual: vec![180, 360, 420, 720, 1_800, 3_000, 4_500],
            source: Some("测试".into()),
        }
    }

    #[test]
    fn the_rules_rule_out_a_listing_only_for_a_short_range_plug_in_from_2026() {
        use EnergyType::*;
        use ReliefPeriod::*;
        let cases = [
            // energy, equivalent all-electric range, period, ruled out
            (Phev, Some(55), From2026To2027, true),
            (Erev, Some(99), From2026To2027, true),
            (Phev, Some(100), From2026To2027, false),
            (Erev, Some(180), From2026To2027, false),
            (Phev, None, From2026To2027, false),
            (Phev, Some(55), From2024To2025, false),
            (Phev, Some(55), From2014To2023, false),
            (Bev, Some(55), From2026To2027, false),
            (Petrol, Some(0), From2026To2027, false),
        ];
        for (energy, km, period, out) in cases {
            let why = ruled_out(energy, km, period);
            assert_eq!(why.is_some(), out, "{energy:?} {km:?} {period:?}");
            if let Some(why) = why {
                assert!(
                    why.contains("等效全电里程") && why.contains("100km"),
                    "{why}"
                );
            }
        }
    }

    #[test]
    fn a_purchase_date_falls_in_its_relief_period() {
        use ReliefPeriod::*;
        let cases = [
            (Date::new(2014, 8, 31), None),
            (Date::new(2014, 9, 1), Some(From2014To2023)),
            (Date::new(2023, 12, 31), Some(From2014To2023)),
            (Date::new(2024, 1, 1), Some(From2024To2025)),
            (Date::new(2025, 12, 31), Some(From2024To2025)),
            (Date::new(2026, 1, 1), Some(From2026To2027)),
            (Date::new(2027, 12, 31), Some(From2026To2027)),
            (Date::new(2028, 1, 1), None),
        ];
        for (date, period) in cases {
            assert_eq!(ReliefPeriod::of(date), period, "{date}");
        }
        for p in ReliefPeriod::ALL {
            assert_eq!(ReliefPeriod::from_key(p.key()), Some(p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.key());
        }
        let err = serde_json::from_str::<ReliefPeriod>("\"2030-2031\"").unwrap_err();
        assert!(
            err.to_string().contains("没有“2030-2031”这一减免时段"),
            "{err}"
        );
    }

    #[test]
    fn purchase_tax_follows_the_rule_and_the_listing_of_the_day() {
        use EnergyType::*;
        use ReliefPeriod::*;
        let yes = |p| Some(listed(p, true));
        let no = |p| Some(listed(p, false));
        let cases = [
            // price, energy, listing, date, tax, words in the note
            (
                100_000,
                Petrol,
                None,
                Date::new(2026, 11, 23),
                8_850,
                "车价÷1.13×10%",
            ),
            (
                113_000,
                Hybrid,
                None,
                Date::new(2025, 1, 1),
                10_000,
                "车价÷1.13×10%",
            ),
            // a listed plug-in hybrid, period by period
            (
                189_800,
                Phev,
                yes(From2014To2023),
                Date::new(2023, 12, 31),
                0,
                "免征",
            ),
            (
                189_800,
                Phev,
                yes(From2024To2025),
                Date::new(2024, 1, 1),
                0,
                "不超过3万元",
            ),
            // a listed fuel-cell car has the new-energy relief
            (
                300_000,
                Fcev,
                yes(From2024To2025),
                Date::new(2025, 6, 1),
                0,
                "已列入2024—2025年",
            ),
            (
                300_000,
                Fcev,
                yes(From2026To2027),
                Date::new(2026, 6, 1),
                13_274,
                "减半征收",
            ),
            // exemption capped at 30,000: tax 44,248 on 500,000 → 14,248 due
            (
                500_000,
                Bev,
                yes(From2024To2025),
                Date::new(2025, 12, 31),
                14_248,
                "已列入2024—2025年",
            ),
            // halved from 2026: 16,796.46 → 8,398.23
            (
                189_800,
                Erev,
                yes(From2026To2027),
                Date::new(2026, 1, 1),
                8_398,
                "减半",
            ),
            // reduction capped at 15,000: tax 44,248 → 29,248 due
            (
                500_000,
                Bev,
                yes(From2026To2027),
                Date::new(2027, 12, 31),
                29_248,
                "不超过1.5万元",
            ),
            // not listed for 2026–2027: full tax, though it was exempt in 2025
            (
                100_000,
                Phev,
                no(From2026To2027),
                Date::new(2026, 3, 1),
                8_850,
                "未列入2026—2027年",
            ),
            // unknown: full tax, said plainly
            (
                100_000,
                Phev,
                None,
                Date::new(2026, 3, 1),
                8_850,
                "以工信部目录为准",
            ),
            (100_000, Bev, None, Date::new(2025, 3, 1), 8_850, "未确认"),
            // a listing for another period does not count
            (
                100_000,
                Phev,
                yes(From2024To2025),
                Date::new(2026, 3, 1),
                8_850,
                "未确认",
            ),
            // no relief outside the periods, whatever the listing
            (189_800, Bev, None, Date::new(2028, 1, 1), 16_796, "已到期"),
            (
                189_800,
                Bev,
                None,
                Date::new(2014, 8, 31),
                16_796,
                "全额征收",
            ),
        ];
        for (price, energy, listing, date, tax, words) in cases {
            let period = ReliefPeriod::of(date);
            let own = listing.filter(|l: &Listing| Some(l.period) == period);
            let (due, note) = purchase_tax(price, energy, own.as_ref(), date);
            assert_eq!(due, tax, "{price} {energy:?} {date}");
            assert!(note.contains(words), "{note} lacks {words}");
        }
    }

    #[test]
    fn an_assumed_listing_says_it_is_an_assumption() {
        let assumed = Listing {
            period: ReliefPeriod::From2026To2027,
            listed: true,
            source: None,
        };
        let (due, note) = purchase_tax(
            189_800,
            EnergyType::Phev,
            Some(&assumed),
            Date::new(2026, 5, 1),
        );
        assert_eq!(due, 8_398);
        assert!(
            note.starts_with("按已列入2026—2027年减免目录计算"),
            "{note}"
        );
    }

    #[test]
    fn a_short_electric_range_is_known_not_to_qualify_from_2026() {
        use ReliefPeriod::*;
        let got = known_listing(EnergyType::Phev, Some(55), &[], From2026To2027).unwrap();
        assert!(!got.listed);
        assert!(got.source.unwrap().contains("55km"));
        // 100 km meets the requirement, but meeting it is not being listed: unknown
        assert_eq!(
            known_listing(EnergyType::Phev, Some(100), &[], From2026To2027),
            None
        );
        // the 2024–2025 requirements differ: unknown
        assert_eq!(
            known_listing(EnergyType::Erev, Some(55), &[], From2024To2025),
            None
        );
        // a stated listing wins
        let stated = listed(From2026To2027, true);
        assert_eq!(
            known_listing(
                EnergyType::Phev,
                Some(55),
                std::slice::from_ref(&stated),
                From2026To2027
            ),
            Some(stated)
        );
    }

    #[test]
    fn displacement_reads_as_people_write_it() {
        let cases = [
            ("1.5", Some(1_500)),
            ("1.5T", Some(1_500)),
            (" 1.498L ", Some(1_498)),
            ("2.0升", Some(2_000)),
            ("1498", Some(1_498)),
            ("1498mL", Some(1_498)),
            ("2", Some(2_000)),
            ("1.4985", Some(1_499)),
            (".5", Some(500)),
            ("abc", None),
            ("-1.5", None),
            ("0", None),
            ("0.0", None),
            ("1.5.1", None),
            (".", None),
            ("", None),
        ];
        for (text, ml) in cases {
            assert_eq!(parse_displacement_ml(text), ml, "{text}");
        }
        for ml in [998, 1_000, 1_498, 1_500, 1_984, 2_000, 6_750] {
            assert_eq!(parse_displacement_ml(&litres(ml)), Some(ml));
        }
        assert_eq!(litres(1_500), "1.5");
        assert_eq!(litres(2_000), "2");
    }

    #[test]
    fn displacement_bands_close_at_their_upper_edge() {
        let cases = [
            (999, 0),
            (1_000, 0),
            (1_001, 1),
            (1_498, 1),
            (1_600, 1),
            (1_601, 2),
            (1_999, 2),
            (2_000, 2),
            (2_001, 3),
            (2_500, 3),
            (3_000, 4),
            (4_000, 5),
            (4_001, 6),
            (6_750, 6),
        ];
        for (ml, band) in cases {
            assert_eq!(vessel_tax_band(ml), band, "{ml}");
        }
    }

    #[test]
    fn vessel_tax_counts_the_months_left_in_the_year() {
        use EnergyType::*;
        let rates = zhejiang();
        let jan = Date::new(2026, 1, 15);
        let nov = Date::new(2026, 11, 24);
        let dec = Date::new(2026, 12, 31);
        let cases = [
            // energy, ml, date, due
            (Petrol, 1_000, jan, Some(180)),
            (Petrol, 1_498, jan, Some(360)),
            (Petrol, 1_600, nov, Some(60)), // 360 × 2/12
            (Petrol, 2_000, nov, Some(70)), // 420 × 2/12
            (Petrol, 1_984, dec, Some(35)), // 420 × 1/12
            (Hybrid, 2_487, Date::new(2026, 7, 1), Some(360)), // 720 × 6/12
            (Phev, 1_498, nov, Some(60)),   // unknown listing: by displacement
        ];
        for (energy, ml, date, due) in cases {
            let (got, note) = vessel_tax(energy, Some(ml), None, Some(&rates), date);
            assert_eq!(got, due, "{energy:?} {ml} {date}: {note}");
            assert!(note.contains("浙江"), "{note}");
        }
    }

    #[test]
    fn vessel_tax_exempts_halves_or_asks() {
        use EnergyType::*;
        let rates = zhejiang();
        let date = Date::new(2026, 1, 1);
        let yes = listed(ReliefPeriod::From2026To2027, true);
        let no = listed(ReliefPeriod::From2026To2027, false);
        let cases = [
            (Bev, None, None, Some(0), "纯电动"),
            (Fcev, None, None, Some(0), "燃料电池"),
            (
                Fcev,
                Some(1_498),
                Some(&no),
                Some(0),
                "不属于车船税征税范围",
            ),
            (Phev, Some(1_498), Some(&yes), Some(0), "免征"),
            (Erev, Some(1_496), Some(&no), Some(360), "按月计"),
            (Hybrid, Some(2_487), Some(&yes), Some(360), "减半"), // 720 / 2
            (Petrol, Some(1_498), Some(&yes), Some(180), "减半"),
            (Petrol, None, None, None, "排量未知"),
            (Phev, None, Some(&no), None, "请填写排量"),
        ];
        for (energy, ml, listing, due, words) in cases {
            let (got, note) = vessel_tax(energy, ml, listing, Some(&rates), date);
            assert_eq!(got, due, "{energy:?} {ml:?}");
            assert!(note.contains(words), "{note} lacks {words}");
        }
        let (got, note) = vessel_tax(Petrol, Some(1_498), None, None, date);
        assert_eq!(got, None, "{note}");
    }

    #[test]
    fn province_amounts_stay_inside_the_national_bands() {
        assert_eq!(zhejiang().validate(), Ok(()));
        let edges = VesselTaxRates {
            annual: VESSEL_TAX_BANDS.iter().map(|b| b.1).collect(),
            ..zhejiang()
        };
        assert_eq!(edges.validate(), Ok(()));
        let cases = [
            (
                vec![59, 360, 420, 720, 1_800, 3_000, 4_500],
                "1.0升（含）以下",
            ),
            (vec![180, 541, 420, 720, 1_800, 3_000, 4_500], "300到540元"),
            (vec![180, 360, 420, 720, 1_800, 3_000, 5_401], "4.0升以上"),
            (vec![180, 360], "7档"),
        ];
        for (annual, words) in cases {
            let bad = VesselTaxRates {
                annual,
                ..zhejiang()
            };
            let err = bad.validate().unwrap_err();
            assert_eq!(err.field.as_deref(), Some("vessel_tax_rates"));
            assert!(err.message.contains(words), "{}", err.message);
        }
        let nameless = VesselTaxRates {
            province: " ".into(),
            ..zhejiang()
        };
        assert!(nameless.validate().is_err());
    }
}
