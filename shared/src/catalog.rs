//! The catalogue on the wire: dealers and their stores, brands, series (车系) and trims
//! (车型) with grouped specs. General on purpose: brand → series → trim → specs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// How a car is powered, as buyers filter it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EnergyType {
    Petrol,
    Hybrid,
    Phev,
    Erev,
    Bev,
    /// 燃料电池 (hydrogen fuel cell): new energy, no engine, no plug.
    Fcev,
}

impl EnergyType {
    pub const ALL: [Self; 6] = [
        Self::Petrol,
        Self::Hybrid,
        Self::Phev,
        Self::Erev,
        Self::Bev,
        Self::Fcev,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Petrol => "petrol",
            Self::Hybrid => "hybrid",
            Self::Phev => "phev",
            Self::Erev => "erev",
            Self::Bev => "bev",
            Self::Fcev => "fcev",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.key() == key)
    }

    /// The short label on filter chips: 燃油/混动/插混/增程/纯电/燃料电池.
    pub fn label(self) -> &'static str {
        match self {
            Self::Petrol => "燃油",
            Self::Hybrid => "混动",
            Self::Phev => "插混",
            Self::Erev => "增程",
            Self::Bev => "纯电",
            Self::Fcev => "燃料电池",
        }
    }

    /// New-energy vehicles (新能源) in the purchase-tax sense: plug-in, range-extended,
    /// battery-electric and fuel-cell (公告2023年第10号).
    pub fn is_new_energy(self) -> bool {
        matches!(self, Self::Phev | Self::Erev | Self::Bev | Self::Fcev)
    }

    /// Whether the car has a combustion engine: its displacement prices the 车船税. Battery-
    /// electric and fuel-cell cars have none and are outside that tax.
    pub fn has_engine(self) -> bool {
        !matches!(self, Self::Bev | Self::Fcev)
    }
}

/// Body style, as buyers filter it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum BodyType {
    Sedan,
    Suv,
    Mpv,
    Hatchback,
}

impl BodyType {
    pub const ALL: [Self; 4] = [Self::Sedan, Self::Suv, Self::Mpv, Self::Hatchback];

    pub fn key(self) -> &'static str {
        match self {
            Self::Sedan => "sedan",
            Self::Suv => "suv",
            Self::Mpv => "mpv",
            Self::Hatchback => "hatchback",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Sedan => "轿车",
            Self::Suv => "SUV",
            Self::Mpv => "MPV",
            Self::Hatchback => "两厢车",
        }
    }
}

/// Whether a series can be bought now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SeriesStatus {
    OnSale,
    ComingSoon,
    Discontinued,
    Unknown,
}

impl SeriesStatus {
    pub const ALL: [Self; 4] = [
        Self::OnSale,
        Self::ComingSoon,
        Self::Discontinued,
        Self::Unknown,
    ];

    /// The stored form, the same as the serde name: `on_sale`, `coming_soon`, ….
    pub fn key(self) -> &'static str {
        match self {
            Self::OnSale => "on_sale",
            Self::ComingSoon => "coming_soon",
            Self::Discontinued => "discontinued",
            Self::Unknown => "unknown",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::OnSale => "在售",
            Self::ComingSoon => "即将上市",
            Self::Discontinued => "停售",
            Self::Unknown => "暂无报价",
        }
    }
}

/// A dealer (经销商), the tenant every consumer URL starts with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dealer {
    pub slug: String,
    pub name: String,
    /// `#RRGGBB`, used as the page's primary colour.
    pub brand_color: String,
    pub phone: String,
    /// 简称 for narrow places; empty until the dealer sets one (设置).
    #[serde(default)]
    pub short_name: String,
    /// The logo's versioned address, once one is uploaded.
    #[serde(default)]
    pub logo_url: Option<String>,
    /// The privacy notice version a consumer consents to (`contact::privacy_version`).
    #[serde(default = "notice_in_force")]
    pub privacy_version: String,
    /// Who to ask about personal data, as the notice names them; empty: the service phone.
    #[serde(default)]
    pub privacy_contact: String,
}

fn notice_in_force() -> String {
    crate::contact::PRIVACY_NOTICE_VERSION.to_string()
}

/// One showroom or service site of a dealer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Store {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub city: String,
    pub phone: String,
    /// As shown to people, e.g. `09:00-18:00`.
    pub opening_hours: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Brand {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

/// A series (车系) as a dealer sells it: enough for cards, filters and sorting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesSummary {
    pub id: String,
    pub brand_id: String,
    pub brand_name: String,
    pub name_zh: String,
    pub name_en: String,
    /// Lower-case search keys: pinyin (`qinplus`), initials (`qp`), brand pinyin.
    pub search_keys: String,
    pub body_type: BodyType,
    pub energy_types: Vec<EnergyType>,
    pub status: SeriesStatus,
    /// 厂商指导价 range in yuan; `None` when no price is published.
    pub guide_min: Option<i64>,
    pub guide_max: Option<i64>,
    /// The lowest price this dealer asks for any trim, when it sets one.
    pub dealer_min: Option<i64>,
    /// Seat counts across the trims (known ones only).
    pub seats: Vec<i64>,
    /// The longest CLTC electric range across the trims, in km.
    pub max_range_km: Option<i64>,
    pub trim_count: i64,
    pub featured: bool,
    /// This dealer's cover photo of the series; none: the drawn silhouette.
    #[serde(default)]
    pub cover: Option<crate::photo::Photo>,
}

impl SeriesSummary {
    /// The price a buyer starts from: this dealer's lowest price, else the guide minimum.
    pub fn from_price(&self) -> Option<i64> {
        self.dealer_min.or(self.guide_min)
    }

    /// A list card's second line: `比亚迪 · 轿车 · 插混/纯电`.
    pub fn card_facts(&self) -> String {
        let energy = self
            .energy_types
            .iter()
            .map(|e| e.label())
            .collect::<Vec<_>>()
            .join("/");
        let mut facts = vec![self.brand_name.clone(), self.body_type.label().to_string()];
        if !energy.is_empty() {
            facts.push(energy);
        }
        facts.join(" · ")
    }

    /// A list card's last line: `纯电续航最高605km · 5座 · 4款车型`.
    pub fn card_meta(&self) -> String {
        let mut meta = Vec::new();
        if let Some(km) = self.max_range_km {
            meta.push(format!("纯电续航最高{km}km"));
        }
        if let (Some(min), Some(max)) = (self.seats.iter().min(), self.seats.iter().max()) {
            meta.push(if min == max {
                format!("{min}座")
            } else {
                format!("{min}-{max}座")
            });
        }
        meta.push(format!("{}款车型", self.trim_count));
        meta.join(" · ")
    }

    /// The guide price as a card shows it: `8.98-11.98万`, or 暂无报价.
    pub fn guide_text(&self) -> String {
        match (self.guide_min, self.guide_max) {
            (Some(min), Some(max)) => crate::money::wan_range(min, max),
            (Some(p), None) | (None, Some(p)) => crate::money::wan(p),
            (None, None) => "暂无报价".into(),
        }
    }
}

/// One spec cell: `true` fitted (●), `false` not fitted (-), a number in the item's unit,
/// or text. An unknown value is absent, never `false`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum SpecValue {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl SpecValue {
    /// How a cell reads in the table: ● / — / `550` / text.
    pub fn display(&self) -> String {
        match self {
            Self::Bool(true) => "●".into(),
            Self::Bool(false) => "-".into(),
            Self::Number(n) => format_number(*n),
            Self::Text(t) => t.clone(),
        }
    }

    /// As [`display`](Self::display), but money (unit 元) reads as `¥215,900`.
    pub fn display_in(&self, unit: Option<&str>) -> String {
        match (self, unit) {
            (Self::Number(n), Some("元")) => crate::money::yuan(n.round() as i64),
            _ => self.display(),
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// `550`, `56.2`, `3.5`: whole numbers without a decimal point, others as written.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A trim (车型) with this dealer's price and its specs keyed by spec item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trim {
    pub id: String,
    pub series_id: String,
    pub series_name: String,
    pub name_zh: String,
    pub model_year: Option<i64>,
    /// 厂商指导价 in yuan, when published.
    pub guide_price: Option<i64>,
    /// This dealer's price in yuan, when it sets one.
    pub dealer_price: Option<i64>,
    pub energy_type: Option<EnergyType>,
    pub seats: Option<i64>,
    /// Engine displacement in millilitres (车船税), when an engine's is published.
    pub displacement_ml: Option<i64>,
    /// Plug-in and range-extended: the equivalent all-electric range (等效全电里程) in km.
    pub eaer_km: Option<i64>,
    /// Listings in the MIIT catalogue of relief-qualifying models, per period; a period not
    /// listed here is unknown.
    pub listings: Vec<crate::tax::Listing>,
    /// Spec item key → value; unknown values are absent.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub specs: BTreeMap<String, SpecValue>,
}

impl Trim {
    /// What the buyer pays before tax and fees: the dealer's price, else the guide price.
    pub fn price(&self) -> Option<i64> {
        self.dealer_price.or(self.guide_price)
    }

    /// Series name and trim name together, without saying the model twice:
    /// `小米SU7` + `SU7 标准版` → `小米SU7 标准版`.
    pub fn full_name(&self) -> String {
        let series = self.series_name.as_str();
        let name = self.name_zh.as_str();
        // The longest start of the trim name that the series name already ends with.
        let overlap = name
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .rfind(|&end| series.ends_with(&name[..end]))
            .unwrap_or(0);
        match overlap {
            0 => format!("{series} {name}"),
            end => format!("{series}{}", &name[end..]),
        }
    }
}

/// `/api/v1/dealers/{dealer}`: what the home page needs in one request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealerHome {
    pub dealer: Dealer,
    pub stores: Vec<Store>,
    pub featured: Vec<SeriesSummary>,
    /// How many series the dealer sells: none yet is a new dealer's "暂无在售车型".
    pub series_on_sale: u32,
}

/// `/api/v1/dealers/{dealer}/series`: the dealer's series after filters, and the brands
/// for the brand filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesList {
    pub items: Vec<SeriesSummary>,
    pub total: i64,
    pub brands: Vec<Brand>,
}

/// `/api/v1/dealers/{dealer}/series/{series}`: the model page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesDetail {
    pub series: SeriesSummary,
    /// Ordered by price, cheapest first.
    pub trims: Vec<Trim>,
    /// What each step up the trim ladder buys.
    pub steps: Vec<crate::compare::TrimStep>,
    /// The offers for the series or one of its trims that hold today.
    #[serde(default)]
    pub offers: Vec<crate::offer::OfferView>,
    /// This dealer's gallery of the series, in its order (the cover is `series.cover`).
    #[serde(default)]
    pub gallery: Vec<crate::photo::Photo>,
    /// Its trims' colours, by trim in `trims` order, then in the order uploaded.
    #[serde(default)]
    pub colours: Vec<crate::photo::TrimColour>,
}

/// Top-level paths that are the platform's, not a dealer's (`/console`, `/s/{code}`, `/api`,
/// `/assets`, and the ones later issues add): no dealer may take one. Files at the root
/// (`/MP_verify_*.txt`, `/favicon.ico`) cannot be slugs by their shape.
pub const RESERVED_SLUGS: [&str; 9] = [
    "api", "assets", "console", "s", "static", "admin", "login", "wx", "media",
];

/// A dealer's slug, the first segment of every consumer URL: 2–32 lower-case letters, digits
/// and hyphens, starting with a letter, and not a reserved path.
pub fn validate_dealer_slug(slug: &str) -> Result<(), ApiError> {
    let field = "slug";
    if RESERVED_SLUGS.contains(&slug) {
        return Err(ApiError::invalid(
            field,
            format!("“{slug}”是系统保留路径，请换一个链接名"),
        ));
    }
    let shape = (2..=32).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !shape {
        return Err(ApiError::invalid(
            field,
            "链接名应为2到32位小写字母、数字或连字符，并以字母开头",
        ));
    }
    Ok(())
}

/// What a trim's name adds to its series: the trim without the longest end of the series it
/// starts with (the whole series, or the series without its brand): `SU7 标准版` under
/// `小米SU7` is `标准版`, `秦PLUS（价格表条目）` under `秦PLUS` is `（价格表条目）`. An end
/// of one character is not taken as the series (`3` of `Model 3`).
pub fn trim_after_series<'a>(series: &str, trim: &'a str) -> &'a str {
    series
        .char_indices()
        .map(|(at, _)| &series[at..])
        .filter(|end| end.len() == series.len() || end.chars().count() >= 2)
        .find(|end| !end.is_empty() && trim.starts_with(end))
        .map_or(trim, |end| &trim[end.len()..])
        .trim()
}

/// A trim as shown after its series' name (a booking's `秦PLUS` then `（价格表条目）`): what
/// it adds to the series, if anything.
pub fn trim_under_series(series: &str, trim: Option<&str>) -> Option<String> {
    trim.map(|trim| trim_after_series(series, trim))
        .filter(|rest| !rest.is_empty())
        .map(str::to_owned)
}

/// A car's name as people say it, from its brand, series and trim, each word once:
/// `小米SU7 标准版` (not `小米汽车 小米SU7 SU7 标准版`), `比亚迪 秦PLUS`, `特斯拉 Model 3
/// 焕新版`. The brand goes when the series already starts with it (`小米汽车` → `小米SU7`);
/// the trim loses the series it repeats (`SU7 标准版`, `理想L7 Air`).
pub fn car_name(brand: &str, series: &str, trim: &str) -> String {
    let short_brand = brand.strip_suffix("汽车").unwrap_or(brand);
    let brand_in_series = !short_brand.is_empty() && series.starts_with(short_brand);
    let rest = trim_after_series(series, trim);
    let mut name = if brand_in_series || brand.is_empty() {
        series.to_string()
    } else {
        format!("{brand} {series}")
    };
    match rest.chars().next() {
        None => {}
        // A bracket follows the name without a space: `蔚来ES6（起售价）`.
        Some('（' | '(') => name.push_str(rest),
        Some(_) => {
            name.push(' ');
            name.push_str(rest);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energy_types_their_keys_labels_and_what_they_are() {
        use EnergyType::*;
        // energy, key, label, new energy, engine
        let cases = [
            (Petrol, "petrol", "燃油", false, true),
            (Hybrid, "hybrid", "混动", false, true),
            (Phev, "phev", "插混", true, true),
            (Erev, "erev", "增程", true, true),
            (Bev, "bev", "纯电", true, false),
            (Fcev, "fcev", "燃料电池", true, false),
        ];
        assert_eq!(cases.len(), EnergyType::ALL.len());
        for (energy, key, label, new_energy, engine) in cases {
            assert_eq!(energy.key(), key);
            assert_eq!(EnergyType::from_key(key), Some(energy));
            assert_eq!(serde_json::to_value(energy).unwrap(), key);
            assert_eq!(energy.label(), label);
            assert_eq!(energy.is_new_energy(), new_energy, "{key}");
            assert_eq!(energy.has_engine(), engine, "{key}");
        }
    }

    #[test]
    fn a_trim_loses_the_series_it_repeats() {
        for (series, trim, rest) in [
            (
                "秦PLUS",
                "秦PLUS（价格表条目，未注明配置）",
                "（价格表条目，未注明配置）",
            ),
            ("小米SU7", "SU7 标准版", "标准版"),
            ("零跑B01", "零跑B01 2025款 430舒享版", "2025款 430舒享版"),
            ("Model 3", "3 标准续航", "3 标准续航"),
            ("汉", "汉EV 荣耀版", "EV 荣耀版"),
            ("海豹", "冠军版 550km", "冠军版 550km"),
        ] {
            assert_eq!(trim_after_series(series, trim), rest, "{series} / {trim}");
        }
    }

    #[test]
    fn a_car_is_named_with_each_word_once() {
        for (brand, series, trim, name) in [
            ("小米汽车", "小米SU7", "SU7 标准版", "小米SU7 标准版"),
            ("理想汽车", "理想L7", "理想L7 Air", "理想L7 Air"),
            (
                "零跑汽车",
                "零跑B01",
                "零跑B01 2025款 430舒享版",
                "零跑B01 2025款 430舒享版",
            ),
            ("小鹏汽车", "小鹏G6", "G6 580 Pro", "小鹏G6 580 Pro"),
            (
                "比亚迪",
                "秦PLUS",
                "秦PLUS（价格表条目，未注明配置）",
                "比亚迪 秦PLUS（价格表条目，未注明配置）",
            ),
            ("蔚来", "蔚来ES6", "ES6（起售价）", "蔚来ES6（起售价）"),
            (
                "特斯拉",
                "Model 3",
                "Model 3 焕新版",
                "特斯拉 Model 3 焕新版",
            ),
            (
                "特斯拉",
                "Model Y",
                "Model Y（基础版）",
                "特斯拉 Model Y（基础版）",
            ),
            (
                "问界",
                "问界M7",
                "问界M7 Plus 五座后驱版",
                "问界M7 Plus 五座后驱版",
            ),
            ("丰田", "凯美瑞", "2.0G 豪华版", "丰田 凯美瑞 2.0G 豪华版"),
            ("本田", "本田CR-V", "本田CR-V", "本田CR-V"),
            ("", "秦PLUS", "DM-i 55km", "秦PLUS DM-i 55km"),
        ] {
            assert_eq!(
                car_name(brand, series, trim),
                name,
                "{brand}|{series}|{trim}"
            );
        }
    }

    #[test]
    fn a_dealer_may_not_take_a_platform_path_as_its_slug() {
        for ok in ["demo", "leapmotor", "byd-hz-01", "s1"] {
            assert_eq!(validate_dealer_slug(ok), Ok(()), "{ok}");
        }
        for reserved in RESERVED_SLUGS {
            let err = validate_dealer_slug(reserved).unwrap_err();
            assert!(
                err.message.contains("系统保留路径"),
                "{reserved}: {}",
                err.message
            );
        }
        for bad in [
            "",
            "a",
            "Demo",
            "1demo",
            "de mo",
            "维修",
            "MP_verify_x.txt",
            &"x".repeat(33),
        ] {
            assert!(validate_dealer_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn series_status_keys_round_trip_and_match_serde() {
        let cases = [
            (SeriesStatus::OnSale, "on_sale"),
            (SeriesStatus::ComingSoon, "coming_soon"),
            (SeriesStatus::Discontinued, "discontinued"),
            (SeriesStatus::Unknown, "unknown"),
        ];
        assert_eq!(cases.len(), SeriesStatus::ALL.len());
        for (status, key) in cases {
            assert_eq!(status.key(), key);
            assert_eq!(SeriesStatus::from_key(key), Some(status));
            assert_eq!(serde_json::to_value(status).unwrap(), key);
        }
        assert_eq!(SeriesStatus::from_key("on sale"), None);
    }

    #[test]
    fn spec_values_read_as_people_write_them() {
        let cases = [
            (SpecValue::Bool(true), None, "●"),
            (SpecValue::Bool(false), None, "-"),
            (SpecValue::Number(550.0), Some("km"), "550"),
            (SpecValue::Number(56.2), Some("kWh"), "56.2"),
            (SpecValue::Number(215_900.0), Some("元"), "¥215,900"),
            (SpecValue::Text("磷酸铁锂".into()), None, "磷酸铁锂"),
        ];
        for (value, unit, shown) in cases {
            assert_eq!(value.display_in(unit), shown);
        }
    }

    #[test]
    fn full_name_says_the_model_once() {
        let cases = [
            ("小米SU7", "SU7 标准版", "小米SU7 标准版"),
            ("Model 3", "Model 3 焕新版", "Model 3 焕新版"),
            ("理想L7", "理想L7 Air", "理想L7 Air"),
            ("蔚来ES6", "ES6（起售价）", "蔚来ES6（起售价）"),
            ("零跑B01", "2025款 430舒享版", "零跑B01 2025款 430舒享版"),
        ];
        for (series, trim, full) in cases {
            let trim = Trim {
                id: "t".into(),
                series_id: "s".into(),
                series_name: series.into(),
                name_zh: trim.into(),
                model_year: None,
                guide_price: None,
                dealer_price: None,
                energy_type: None,
                seats: None,
                displacement_ml: None,
                eaer_km: None,
                listings: Vec::new(),
                specs: BTreeMap::new(),
            };
            assert_eq!(trim.full_name(), full);
        }
    }
}
