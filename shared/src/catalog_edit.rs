//! A dealer's own series and trims (自有车型): the forms that add and edit them, what the
//! console shows of a series and a trim, and their rules, checked in the console as typed and
//! again by the server (422 with the field).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{BodyType, EnergyType, SpecValue};
use crate::compare::SpecGroup;
use crate::error::ApiError;
use crate::text::check_line;

/// Every own series' and trim's id starts so; no platform slug does (the seed refuses it).
pub const OWN_PREFIX: &str = "own-";

/// Whether `id` names a dealer's own entry.
pub fn is_own_id(id: &str) -> bool {
    id.starts_with(OWN_PREFIX)
}

/// The lowest and highest guide price a form takes, in yuan.
pub const PRICE_RANGE: (i64, i64) = (10_000, 100_000_000);

/// `POST /api/v1/console/catalog/series`, `PUT .../series/{id}/details`: a dealer's own series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesForm {
    /// An existing brand's id.
    pub brand_id: String,
    pub name_zh: String,
    pub body_type: BodyType,
    pub energy_types: Vec<EnergyType>,
    pub guide_min: Option<i64>,
    pub guide_max: Option<i64>,
}

fn check_name(name: &str, field: &str, label: &str, max: usize) -> Result<(), ApiError> {
    let chars = name.trim().chars().count();
    if chars == 0 {
        return Err(ApiError::invalid(field, format!("请填写{label}")));
    }
    if chars > max {
        return Err(ApiError::invalid(field, format!("{label}最多{max}个字")));
    }
    check_line(name, field, label)
}

fn check_price(price: Option<i64>, field: &str, label: &str) -> Result<(), ApiError> {
    match price {
        Some(p) if !(PRICE_RANGE.0..=PRICE_RANGE.1).contains(&p) => Err(ApiError::invalid(
            field,
            format!("{label}应在1万元到1亿元之间"),
        )),
        _ => Ok(()),
    }
}

impl SeriesForm {
    pub fn validate(&self) -> Result<(), ApiError> {
        if self.brand_id.trim().is_empty() {
            return Err(ApiError::invalid("brand_id", "请选择品牌"));
        }
        check_name(&self.name_zh, "name_zh", "车系名称", 30)?;
        if self.energy_types.is_empty() {
            return Err(ApiError::invalid("energy_types", "请至少选择一种能源类型"));
        }
        let mut seen = self.energy_types.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.energy_types.len() {
            return Err(ApiError::invalid("energy_types", "能源类型重复"));
        }
        check_price(self.guide_min, "guide_min", "最低指导价")?;
        check_price(self.guide_max, "guide_max", "最高指导价")?;
        if let (Some(min), Some(max)) = (self.guide_min, self.guide_max) {
            if min > max {
                return Err(ApiError::invalid(
                    "guide_max",
                    "最高指导价不能低于最低指导价",
                ));
            }
        }
        Ok(())
    }
}

/// `POST .../series/{id}/trims`, `PUT .../trims/{id}`: a dealer's own trim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrimForm {
    pub name_zh: String,
    pub model_year: Option<i64>,
    pub energy_type: EnergyType,
    pub seats: Option<i64>,
    /// Engine displacement in ml (cars with an engine).
    pub displacement_ml: Option<i64>,
    /// Pure-electric range, CLTC, in km (cars with a plug); kept as the spec `range_cltc_km`.
    pub range_km: Option<i64>,
    pub guide_price: Option<i64>,
}

/// The spec a trim form's range is kept as.
pub const RANGE_SPEC: &str = "range_cltc_km";

impl TrimForm {
    pub fn validate(&self) -> Result<(), ApiError> {
        check_name(&self.name_zh, "name_zh", "车型名称", 40)?;
        if let Some(year) = self.model_year {
            if !(2000..=2100).contains(&year) {
                return Err(ApiError::invalid(
                    "model_year",
                    "年款应为2000到2100之间的年份",
                ));
            }
        }
        if let Some(seats) = self.seats {
            if !(1..=9).contains(&seats) {
                return Err(ApiError::invalid("seats", "座位数应为1到9"));
            }
        }
        let engine = !matches!(self.energy_type, EnergyType::Bev | EnergyType::Fcev);
        let plug = matches!(
            self.energy_type,
            EnergyType::Bev | EnergyType::Phev | EnergyType::Erev
        );
        if let Some(ml) = self.displacement_ml {
            if !engine {
                return Err(ApiError::invalid(
                    "displacement_ml",
                    "纯电和燃料电池车型没有排量",
                ));
            }
            if !(100..=10_000).contains(&ml) {
                return Err(ApiError::invalid(
                    "displacement_ml",
                    "排量应在100到10000毫升之间",
                ));
            }
        }
        if let Some(km) = self.range_km {
            if !plug {
                return Err(ApiError::invalid(
                    "range_km",
                    "只有纯电、插混和增程车型有纯电续航",
                ));
            }
            if !(1..=2_000).contains(&km) {
                return Err(ApiError::invalid("range_km", "纯电续航应在1到2000公里之间"));
            }
        }
        check_price(self.guide_price, "guide_price", "指导价")
    }
}

/// A trim as the console's 车型 lists it under its series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogTrim {
    pub id: String,
    pub name_zh: String,
    pub model_year: Option<i64>,
    pub guide_price: Option<i64>,
    pub energy_type: Option<EnergyType>,
    /// The dealer's own (自有, editable); else the platform's (read-only).
    pub own: bool,
    /// How many spec values it knows.
    pub known_specs: u32,
}

/// `GET .../catalog/series/{id}`: a series the dealer may see, with its form and its trims.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesTrims {
    pub id: String,
    pub brand_name: String,
    pub own: bool,
    pub form: SeriesForm,
    pub trims: Vec<CatalogTrim>,
}

/// `GET .../catalog/trims/{id}`: a trim with its form, its specs and the layout to edit them in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrimSheet {
    pub id: String,
    pub series_id: String,
    pub series_name: String,
    pub own: bool,
    pub form: TrimForm,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub specs: BTreeMap<String, SpecValue>,
    pub layout: Vec<SpecGroup>,
}

/// `PUT .../catalog/trims/{id}/specs`: the changed spec values as typed, by item key; an empty
/// text makes the value unknown again (removed). Read by `spec_sheet::parse_cell`, the rule
/// an imported cell follows too.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecEdits {
    pub values: BTreeMap<String, String>,
}

/// A brand a dealer may put its own series under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandChoice {
    pub id: String,
    pub name_zh: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series() -> SeriesForm {
        SeriesForm {
            brand_id: "byd".into(),
            name_zh: "秦L".into(),
            body_type: BodyType::Sedan,
            energy_types: vec![EnergyType::Phev],
            guide_min: Some(99_800),
            guide_max: Some(139_800),
        }
    }

    fn trim() -> TrimForm {
        TrimForm {
            name_zh: "2026款 DM-i 120km 卓越型".into(),
            model_year: Some(2026),
            energy_type: EnergyType::Phev,
            seats: Some(5),
            displacement_ml: Some(1498),
            range_km: Some(120),
            guide_price: Some(119_800),
        }
    }

    fn field(e: Result<(), ApiError>) -> Option<String> {
        e.err().and_then(|e| e.field)
    }

    #[test]
    fn a_series_names_the_field_it_breaks() {
        assert_eq!(series().validate(), Ok(()));
        let mut s = series();
        s.name_zh = "  ".into();
        assert_eq!(field(s.validate()).as_deref(), Some("name_zh"));
        let mut s = series();
        s.energy_types = vec![];
        assert_eq!(field(s.validate()).as_deref(), Some("energy_types"));
        let mut s = series();
        s.guide_min = Some(200_000);
        assert_eq!(field(s.validate()).as_deref(), Some("guide_max"));
        let mut s = series();
        s.guide_min = Some(5);
        assert_eq!(field(s.validate()).as_deref(), Some("guide_min"));
        let mut s = series();
        s.brand_id = String::new();
        assert_eq!(field(s.validate()).as_deref(), Some("brand_id"));
    }

    #[test]
    fn a_trim_takes_displacement_or_range_as_its_energy_allows() {
        assert_eq!(trim().validate(), Ok(()));
        let mut t = trim();
        t.energy_type = EnergyType::Bev;
        assert_eq!(field(t.validate()).as_deref(), Some("displacement_ml"));
        let mut t = trim();
        t.energy_type = EnergyType::Petrol;
        t.range_km = Some(50);
        assert_eq!(field(t.validate()).as_deref(), Some("range_km"));
        let mut t = trim();
        t.seats = Some(0);
        assert_eq!(field(t.validate()).as_deref(), Some("seats"));
        let mut t = trim();
        t.model_year = Some(1999);
        assert_eq!(field(t.validate()).as_deref(), Some("model_year"));
        let mut t = trim();
        t.guide_price = Some(1);
        assert_eq!(field(t.validate()).as_deref(), Some("guide_price"));
    }

    #[test]
    fn own_ids_are_told_apart() {
        assert!(is_own_id("own-2-9f3a"));
        assert!(!is_own_id("byd-qin-plus"));
    }
}
