//! Catalogue filters and sorting: parsed from the URL query (the browser's address bar and
//! the API's query string alike), validated once, applied by the same function on both sides.

use serde::{Deserialize, Serialize};

use crate::catalog::{BodyType, EnergyType, SeriesSummary};
use crate::error::ApiError;

/// The highest price a filter may name, in yuan (no passenger car on sale costs more).
pub const PRICE_LIMIT: i64 = 10_000_000;
/// Longest search text accepted.
pub const QUERY_LIMIT: usize = 40;
/// The catalogue's search box hint.
pub const SEARCH_HINT: &str = "搜索车型，如 秦、qin、sqb";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Featured first, then the dealer's order.
    #[default]
    Recommended,
    PriceAsc,
    PriceDesc,
    RangeDesc,
}

impl Sort {
    pub const ALL: [Self; 4] = [
        Self::Recommended,
        Self::PriceAsc,
        Self::PriceDesc,
        Self::RangeDesc,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Recommended => "recommended",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
            Self::RangeDesc => "range_desc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Recommended => "推荐",
            Self::PriceAsc => "价格从低到高",
            Self::PriceDesc => "价格从高到低",
            Self::RangeDesc => "续航从长到短",
        }
    }
}

/// A price band chip: `(min, max)` in yuan, either end open.
pub const PRICE_BANDS: [(&str, Option<i64>, Option<i64>); 5] = [
    ("10万以下", None, Some(100_000)),
    ("10-15万", Some(100_000), Some(150_000)),
    ("15-20万", Some(150_000), Some(200_000)),
    ("20-30万", Some(200_000), Some(300_000)),
    ("30万以上", Some(300_000), None),
];

/// A row of chips on the catalogue, in the order the page shows them; the same rows are
/// painted by the server before the app runs and by the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChipGroup {
    Price,
    Energy,
    Body,
    Seats,
    Brand,
}

impl ChipGroup {
    pub const ALL: [Self; 5] = [
        Self::Price,
        Self::Energy,
        Self::Body,
        Self::Seats,
        Self::Brand,
    ];

    /// The row's name in `data-test="chip-{key}-{value}"`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Price => "price",
            Self::Energy => "energy",
            Self::Body => "body",
            Self::Seats => "seats",
            Self::Brand => "brand",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Price => "价格",
            Self::Energy => "能源",
            Self::Body => "车身",
            Self::Seats => "座位",
            Self::Brand => "品牌",
        }
    }

    /// The row's chips after 不限, as `(value, label)`; the brand row's are the dealer's
    /// brands, `(id, name)`.
    pub fn options(self, brands: &[(String, String)]) -> Vec<(String, String)> {
        match self {
            Self::Price => PRICE_BANDS
                .iter()
                .enumerate()
                .map(|(i, (label, _, _))| (i.to_string(), label.to_string()))
                .collect(),
            Self::Energy => EnergyType::ALL
                .iter()
                .map(|e| (e.key().to_string(), e.label().to_string()))
                .collect(),
            Self::Body => BodyType::ALL
                .iter()
                .map(|b| (b.key().to_string(), b.label().to_string()))
                .collect(),
            Self::Seats => [5, 6, 7]
                .iter()
                .map(|n| (n.to_string(), format!("{n}座及以上")))
                .collect(),
            Self::Brand => brands.to_vec(),
        }
    }
}

/// What the buyer asked the catalogue for. The default shows everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct CatalogFilter {
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub energy: Option<EnergyType>,
    pub body: Option<BodyType>,
    /// At least this many seats.
    pub seats: Option<i64>,
    pub brand: Option<String>,
    pub q: Option<String>,
    #[serde(default)]
    pub sort: Sort,
}

impl CatalogFilter {
    /// Parses and validates query pairs ([`Self::parse`], then [`Self::validate`]); the first
    /// bad one is the error, naming its field.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ApiError> {
        let filter = Self::parse(pairs)?;
        filter.validate()?;
        Ok(filter)
    }

    /// Parses query pairs: a value that is not what its key takes (a price out of range, an
    /// unknown energy type) is the error, naming its field; the server answers it 400.
    /// Unknown keys are ignored, empty values mean "not set".
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ApiError> {
        let mut filter = Self::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "price_min" => filter.price_min = Some(price(key, value)?),
                "price_max" => filter.price_max = Some(price(key, value)?),
                "energy" => {
                    filter.energy = Some(EnergyType::from_key(value).ok_or_else(|| {
                        ApiError::invalid(
                            key,
                            "能源类型只能是燃油、混动、插混、增程、纯电或燃料电池",
                        )
                    })?)
                }
                "body" => {
                    filter.body = Some(BodyType::from_key(value).ok_or_else(|| {
                        ApiError::invalid(key, "车身类型只能是轿车、SUV、MPV或两厢车")
                    })?)
                }
                "seats" => {
                    filter.seats = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|n| (2..=9).contains(n))
                            .ok_or_else(|| ApiError::invalid(key, "座位数应在2到9之间"))?,
                    )
                }
                "brand" => {
                    let ok = value.len() <= 40
                        && value
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if !ok {
                        return Err(ApiError::invalid(key, "品牌参数无效"));
                    }
                    filter.brand = Some(value.to_string());
                }
                "q" => {
                    if value.chars().count() > QUERY_LIMIT {
                        return Err(ApiError::invalid(
                            key,
                            format!("搜索词最多{QUERY_LIMIT}个字"),
                        ));
                    }
                    filter.q = Some(value.to_string());
                }
                "sort" => {
                    filter.sort = Sort::ALL
                        .into_iter()
                        .find(|s| s.key() == value)
                        .ok_or_else(|| ApiError::invalid(key, "排序方式无效"))?
                }
                _ => {}
            }
        }
        Ok(filter)
    }

    /// The filter in a page's URL, keeping each value that parses and dropping each one that
    /// does not (a shared link with one bad value still opens, with that value's default).
    pub fn lenient<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut accepted: Vec<(&str, &str)> = Vec::new();
        for (key, value) in pairs {
            let mut tried = accepted.clone();
            tried.retain(|(k, _)| *k != key);
            tried.push((key, value));
            if Self::from_pairs(tried.iter().copied()).is_ok() {
                accepted = tried;
            }
        }
        Self::from_pairs(accepted).unwrap_or_default()
    }

    /// The chip chosen in `group`'s row: none is 不限.
    pub fn chosen(&self, group: ChipGroup) -> Option<String> {
        match group {
            ChipGroup::Price => PRICE_BANDS
                .iter()
                .position(|(_, min, max)| *min == self.price_min && *max == self.price_max)
                .map(|i| i.to_string()),
            ChipGroup::Energy => self.energy.map(|e| e.key().to_string()),
            ChipGroup::Body => self.body.map(|b| b.key().to_string()),
            ChipGroup::Seats => self.seats.map(|n| n.to_string()),
            ChipGroup::Brand => self.brand.clone(),
        }
    }

    /// Chooses `value` (one of [`ChipGroup::options`], or none for 不限) in `group`'s row.
    pub fn choose(&mut self, group: ChipGroup, value: Option<String>) {
        match group {
            ChipGroup::Price => {
                let band = value
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| PRICE_BANDS.get(i));
                self.price_min = band.and_then(|b| b.1);
                self.price_max = band.and_then(|b| b.2);
            }
            ChipGroup::Energy => self.energy = value.and_then(|k| EnergyType::from_key(&k)),
            ChipGroup::Body => self.body = value.and_then(|k| BodyType::from_key(&k)),
            ChipGroup::Seats => self.seats = value.and_then(|n| n.parse().ok()),
            ChipGroup::Brand => self.brand = value,
        }
    }

    /// The rule between the values of a well-formed filter: the lowest price is not above the
    /// highest (else `invalid` on `price_min`; the server answers it 422, as it answers the
    /// smart selection's budget).
    pub fn validate(&self) -> Result<(), ApiError> {
        if let (Some(min), Some(max)) = (self.price_min, self.price_max) {
            if min > max {
                return Err(ApiError::invalid("price_min", "最低价不能高于最高价"));
            }
        }
        Ok(())
    }

    /// The query pairs that reproduce this filter (defaults left out), for URLs.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(v) = self.price_min {
            pairs.push(("price_min", v.to_string()));
        }
        if let Some(v) = self.price_max {
            pairs.push(("price_max", v.to_string()));
        }
        if let Some(v) = self.energy {
            pairs.push(("energy", v.key().to_string()));
        }
        if let Some(v) = self.body {
            pairs.push(("body", v.key().to_string()));
        }
        if let Some(v) = self.seats {
            pairs.push(("seats", v.to_string()));
        }
        if let Some(v) = &self.brand {
            pairs.push(("brand", v.clone()));
        }
        if let Some(v) = &self.q {
            pairs.push(("q", v.clone()));
        }
        if self.sort != Sort::Recommended {
            pairs.push(("sort", self.sort.key().to_string()));
        }
        pairs
    }

    pub fn matches(&self, series: &SeriesSummary) -> bool {
        let price_ok = match (self.price_min, self.price_max) {
            (None, None) => true,
            (min, max) => {
                // A series is in a band when any of its prices is: its range overlaps the band.
                let (Some(low), Some(high)) = (
                    series.from_price(),
                    series.guide_max.or(series.from_price()),
                ) else {
                    return false;
                };
                min.is_none_or(|min| high >= min) && max.is_none_or(|max| low <= max)
            }
        };
        price_ok
            && self.energy.is_none_or(|e| series.energy_types.contains(&e))
            && self.body.is_none_or(|b| series.body_type == b)
            && self
                .seats
                .is_none_or(|n| series.seats.iter().any(|&s| s >= n))
            && self.brand.as_ref().is_none_or(|b| &series.brand_id == b)
            && self.q.as_ref().is_none_or(|q| matches_query(series, q))
    }

    /// The matching series in the requested order.
    pub fn apply<'a>(&self, series: &'a [SeriesSummary]) -> Vec<&'a SeriesSummary> {
        let mut found: Vec<&SeriesSummary> = series.iter().filter(|s| self.matches(s)).collect();
        match self.sort {
            Sort::Recommended => found.sort_by_key(|s| !s.featured),
            Sort::PriceAsc => found.sort_by_key(|s| s.from_price().unwrap_or(i64::MAX)),
            Sort::PriceDesc => {
                found.sort_by_key(|s| std::cmp::Reverse(s.from_price().unwrap_or(-1)))
            }
            Sort::RangeDesc => {
                found.sort_by_key(|s| std::cmp::Reverse(s.max_range_km.unwrap_or(-1)))
            }
        }
        found
    }
}

fn price(field: &str, value: &str) -> Result<i64, ApiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|p| (0..=PRICE_LIMIT).contains(p))
        .ok_or_else(|| ApiError::invalid(field, "价格应为0到1000万之间的整数（元）"))
}

/// Finds a series by Chinese name, English name, pinyin or pinyin initials, ignoring case
/// and spaces: `秦`, `qin`, `qinplus`, `qp`, `model 3`. Names are Chinese and ASCII, so ASCII
/// case folding is enough (full Unicode folding would put its 12 KB table in the browser's
/// main wasm module).
pub fn matches_query(series: &SeriesSummary, query: &str) -> bool {
    let q: String = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if q.is_empty() {
        return true;
    }
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    squash(&series.name_zh).contains(&q)
        || squash(&series.name_en).contains(&q)
        || squash(&series.brand_name).contains(&q)
        || series.search_keys.split(' ').any(|key| key.contains(&q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::SeriesStatus;

    #[test]
    fn a_url_keeps_what_parses_and_chips_choose_what_they_show() {
        let f = CatalogFilter::lenient([
            ("energy", "bev"),
            ("seats", "99"),
            ("price_min", "300000"),
            ("price_max", "100000"),
            ("brand", "BYD!"),
            ("q", "秦"),
        ]);
        assert_eq!(f.energy, Some(EnergyType::Bev));
        assert_eq!(
            (f.seats, f.price_min, f.price_max),
            (None, Some(300_000), None)
        );
        assert_eq!((f.brand, f.q.as_deref()), (None, Some("秦")));

        let brands = vec![("byd".to_string(), "比亚迪".to_string())];
        let mut f = CatalogFilter::default();
        for group in ChipGroup::ALL {
            assert_eq!(f.chosen(group), None, "{group:?}");
            let (value, _) = group.options(&brands)[0].clone();
            f.choose(group, Some(value.clone()));
            assert_eq!(f.chosen(group), Some(value), "{group:?}");
        }
        assert_eq!((f.price_min, f.price_max), (None, Some(100_000)));
        assert_eq!(f.to_pairs().len(), 5);
        f.choose(ChipGroup::Price, None);
        assert_eq!((f.price_min, f.price_max), (None, None));
    }

    fn series(
        id: &str,
        name_zh: &str,
        keys: &str,
        min: Option<i64>,
        max: Option<i64>,
    ) -> SeriesSummary {
        SeriesSummary {
            id: id.into(),
            brand_id: "byd".into(),
            brand_name: "比亚迪".into(),
            name_zh: name_zh.into(),
            name_en: "Qin PLUS".into(),
            search_keys: keys.into(),
            body_type: BodyType::Sedan,
            energy_types: vec![EnergyType::Phev, EnergyType::Bev],
            status: SeriesStatus::OnSale,
            guide_min: min,
            guide_max: max,
            dealer_min: None,
            seats: vec![5],
            max_range_km: None,
            trim_count: 1,
            featured: false,
            cover: None,
        }
    }

    #[test]
    fn parses_good_queries_and_names_the_bad_field() {
        let ok = CatalogFilter::from_pairs([
            ("price_min", "100000"),
            ("energy", "bev"),
            ("seats", "6"),
            ("sort", "price_asc"),
            ("x", "y"),
            ("brand", ""),
        ])
        .unwrap();
        assert_eq!(ok.price_min, Some(100_000));
        assert_eq!(ok.energy, Some(EnergyType::Bev));
        assert_eq!(ok.seats, Some(6));
        assert_eq!(ok.sort, Sort::PriceAsc);
        assert_eq!(ok.brand, None);

        let cases = [
            ("price_min", "-1", "price_min"),
            ("price_max", "abc", "price_max"),
            ("price_max", "99999999999", "price_max"),
            ("energy", "diesel", "energy"),
            ("body", "truck", "body"),
            ("seats", "1", "seats"),
            ("seats", "12", "seats"),
            ("brand", "BYD!", "brand"),
            ("sort", "random", "sort"),
            ("q", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", "q"),
        ];
        for (key, value, field) in cases {
            let err = CatalogFilter::from_pairs([(key, value)]).unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{key}={value}");
            assert_eq!(err.code, "invalid");
        }
        // Each value well-formed, the rule between them broken.
        let crossed = [("price_min", "200000"), ("price_max", "100000")];
        let parsed = CatalogFilter::parse(crossed).unwrap();
        let err = parsed.validate().unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("invalid", Some("price_min"))
        );
        assert_eq!(CatalogFilter::from_pairs(crossed).unwrap_err(), err);
    }

    #[test]
    fn round_trips_through_query_pairs() {
        let filter = CatalogFilter::from_pairs([
            ("price_max", "150000"),
            ("body", "suv"),
            ("q", "qin"),
            ("sort", "range_desc"),
        ])
        .unwrap();
        let pairs = filter.to_pairs();
        let again = CatalogFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(filter, again);
    }

    #[test]
    fn search_finds_chinese_english_pinyin_and_initials() {
        let qin = series(
            "byd-qin-plus",
            "秦PLUS",
            "qinplus qp biyadi byd",
            Some(79_800),
            Some(179_800),
        );
        for (q, found) in [
            ("秦", true),
            ("qin", true),
            ("QP", true),
            ("qin plus", true),
            ("byd", true),
            ("比亚迪", true),
            ("han", false),
            ("", true),
        ] {
            assert_eq!(matches_query(&qin, q), found, "{q}");
        }
    }

    #[test]
    fn price_bands_match_overlapping_ranges_and_exclude_unknown_prices() {
        let qin = series("qin", "秦PLUS", "", Some(79_800), Some(179_800));
        let unknown = series("lafa5", "Lafa5", "", None, None);
        for (min, max, expect) in [
            (None, Some(100_000), true),
            (Some(150_000), Some(200_000), true),
            (Some(200_000), None, false),
        ] {
            let f = CatalogFilter {
                price_min: min,
                price_max: max,
                ..Default::default()
            };
            assert_eq!(f.matches(&qin), expect, "{min:?}-{max:?}");
            assert!(!f.matches(&unknown));
        }
        assert!(CatalogFilter::default().matches(&unknown));
    }

    #[test]
    fn sorts_by_price_with_unknown_prices_last() {
        let all = [
            series("b", "B", "", Some(200_000), Some(250_000)),
            series("n", "N", "", None, None),
            series("a", "A", "", Some(100_000), Some(120_000)),
        ];
        let asc = CatalogFilter {
            sort: Sort::PriceAsc,
            ..Default::default()
        };
        let ids: Vec<&str> = asc.apply(&all).iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "n"]);
        let desc = CatalogFilter {
            sort: Sort::PriceDesc,
            ..Default::default()
        };
        let ids: Vec<&str> = desc.apply(&all).iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["b", "a", "n"]);
    }
}
