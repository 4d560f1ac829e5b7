//! The dealer's own settings (设置, admins): 门店资料 (name, short name, brand colour, service
//! phone, the privacy notice's contact; the logo is uploaded apart) and 报价设置 (province,
//! the seven 车船税 amounts, the default loan, the attribution window), with one validation
//! per form that the console and the server both run.

use serde::{Deserialize, Serialize};

use crate::attribution::AttributionWindow;
use crate::error::ApiError;
use crate::quote::{MAX_DOWN_PAYMENT_PCT, MAX_TERM, MIN_TERM};
use crate::tax::VesselTaxRates;

/// The highest loan rate a dealer may show by default: 36% a year (the database's bound).
pub const MAX_LOAN_RATE_BP: i64 = 3600;

/// `PUT /api/v1/console/settings/profile`: 门店资料.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreProfile {
    /// 经销商全称，如“车链汽车城”（2到40个字）
    pub name: String,
    /// 简称，用于页面标题等窄处（1到12个字）
    pub short_name: String,
    /// 品牌色 `#RRGGBB`
    pub brand_color: String,
    /// 服务电话（座机、400 或手机号）
    pub phone: String,
    /// 《个人信息保护说明》中的联系方式（电话或邮箱；留空则为服务电话）；修改后说明生成新版本，顾客需重新同意
    pub privacy_contact: String,
}

/// `PUT /api/v1/console/settings/quote`: 报价设置.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteSettings {
    /// 省份，如“浙江”
    pub province: String,
    /// 七档排量的车船税年税额（元），从 1.0 升及以下到 4.0 升以上，均须在国家税额幅度内
    pub vessel_tax: Vec<i64>,
    /// 默认贷款年利率，基点（3.5% = 350）
    pub loan_rate_bp: i64,
    /// 默认贷款期限（月）
    pub loan_term_months: i64,
    /// 默认首付比例（%）
    pub down_payment_pct: i64,
    /// 客户归属期（天）
    pub attribution_days: i64,
}

/// `GET /api/v1/console/settings`: both forms as saved, the logo's address and the privacy
/// notice's version in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealerSettings {
    pub profile: StoreProfile,
    /// The logo's address with its version (`?v=`), absent until one is uploaded.
    pub logo_url: Option<String>,
    pub privacy_version: String,
    pub quote: QuoteSettings,
}

fn chars(text: &str) -> usize {
    text.trim().chars().count()
}

/// `#RRGGBB`.
pub fn validate_brand_color(color: &str) -> Result<(), ApiError> {
    let ok = color.len() == 7
        && color.starts_with('#')
        && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "brand_color",
            "品牌色须为 # 加六位十六进制数，如 #C8102E",
        ))
    }
}

/// A phone number as a dealer prints it: digits with spaces, dashes or a leading `+`, 5 to
/// 20 characters holding at least 5 digits (400 lines, landlines with area codes, mobiles).
fn printable_phone(phone: &str) -> bool {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&phone.chars().count())
        && digits >= 5
        && phone
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '-' || c == ' ' || (i == 0 && c == '+'))
}

impl StoreProfile {
    /// Every field's rule; the first broken one is named.
    pub fn validate(&self) -> Result<(), ApiError> {
        if !(2..=40).contains(&chars(&self.name)) {
            return Err(ApiError::invalid("name", "请填写经销商名称（2到40个字）"));
        }
        if !(1..=12).contains(&chars(&self.short_name)) {
            return Err(ApiError::invalid("short_name", "请填写简称（1到12个字）"));
        }
        validate_brand_color(self.brand_color.trim())?;
        if !printable_phone(&self.phone) {
            return Err(ApiError::invalid(
                "phone",
                "请填写服务电话，如 400-000-0000 或 0571-8888 0000",
            ));
        }
        // Empty: the notice names the service phone.
        let contact = self.privacy_contact.trim();
        let email = contact.contains('@') && contact.contains('.') && !contact.contains(' ');
        if !(contact.is_empty() || printable_phone(contact) || email) || chars(contact) > 60 {
            return Err(ApiError::invalid(
                "privacy_contact",
                "请填写个人信息保护的联系电话或邮箱",
            ));
        }
        Ok(())
    }
}

impl QuoteSettings {
    /// Every field's rule; the 车船税 amounts by `VesselTaxRates::validate` (the national
    /// bands the database also holds them to).
    pub fn validate(&self) -> Result<(), ApiError> {
        if !(1..=20).contains(&chars(&self.province)) {
            return Err(ApiError::invalid("province", "请填写省份（1到20个字）"));
        }
        self.vessel_tax_rates(None).validate()?;
        if !(0..=MAX_LOAN_RATE_BP).contains(&self.loan_rate_bp) {
            return Err(ApiError::invalid(
                "loan_rate_bp",
                "贷款年利率须在 0% 到 36% 之间",
            ));
        }
        if !(MIN_TERM..=MAX_TERM).contains(&self.loan_term_months)
            || self.loan_term_months % 12 != 0
        {
            return Err(ApiError::invalid(
                "loan_term_months",
                format!("贷款期限须为 {MIN_TERM} 到 {MAX_TERM} 个月中的整年"),
            ));
        }
        if !(0..=MAX_DOWN_PAYMENT_PCT).contains(&self.down_payment_pct) {
            return Err(ApiError::invalid(
                "down_payment_pct",
                format!("首付比例须在 0% 到 {MAX_DOWN_PAYMENT_PCT}% 之间"),
            ));
        }
        AttributionWindow {
            days: self.attribution_days,
        }
        .validate()
        .map_err(|e| ApiError::invalid("attribution_days", e.message))
    }

    /// The amounts as the quote reads them, with their source.
    pub fn vessel_tax_rates(&self, source: Option<String>) -> VesselTaxRates {
        VesselTaxRates {
            province: self.province.trim().to_string(),
            annual: self.vessel_tax.clone(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change that breaks one rule, and the field it names.
    type Breaks<T> = (fn(&mut T), &'static str);

    fn profile() -> StoreProfile {
        StoreProfile {
            name: "车链汽车城".into(),
            short_name: "车链".into(),
            brand_color: "#C8102E".into(),
            phone: "400-000-0000".into(),
            privacy_contact: "privacy@example.com".into(),
        }
    }

    fn quote() -> QuoteSettings {
        QuoteSettings {
            province: "浙江".into(),
            vessel_tax: vec![180, 300, 360, 660, 1500, 3000, 4500],
            loan_rate_bp: 350,
            loan_term_months: 36,
            down_payment_pct: 30,
            attribution_days: 30,
        }
    }

    #[test]
    fn each_profile_rule_names_its_field() {
        assert_eq!(profile().validate(), Ok(()));
        let table: [Breaks<StoreProfile>; 7] = [
            (|p| p.name = "车".into(), "name"),
            (|p| p.short_name = " ".into(), "short_name"),
            (|p| p.brand_color = "red".into(), "brand_color"),
            (|p| p.brand_color = "#12345G".into(), "brand_color"),
            (|p| p.phone = "打电话".into(), "phone"),
            (|p| p.privacy_contact = "a@b".into(), "privacy_contact"),
            (|p| p.privacy_contact = "找经理".into(), "privacy_contact"),
        ];
        for (break_it, field) in table {
            let mut p = profile();
            break_it(&mut p);
            assert_eq!(p.validate().unwrap_err().field.as_deref(), Some(field));
        }
        let mut p = profile();
        p.privacy_contact = "0571-8888 0000".into();
        assert_eq!(p.validate(), Ok(()));
        p.privacy_contact = String::new();
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn each_quote_rule_names_its_field() {
        assert_eq!(quote().validate(), Ok(()));
        let table: [Breaks<QuoteSettings>; 8] = [
            (|q| q.province = String::new(), "province"),
            (|q| q.vessel_tax[0] = 59, "vessel_tax_rates"),
            (|q| q.vessel_tax[6] = 5401, "vessel_tax_rates"),
            (|q| q.vessel_tax.pop().map_or((), drop), "vessel_tax_rates"),
            (|q| q.loan_rate_bp = 3601, "loan_rate_bp"),
            (|q| q.loan_term_months = 30, "loan_term_months"),
            (|q| q.down_payment_pct = 91, "down_payment_pct"),
            (|q| q.attribution_days = 0, "attribution_days"),
        ];
        for (break_it, field) in table {
            let mut q = quote();
            break_it(&mut q);
            assert_eq!(q.validate().unwrap_err().field.as_deref(), Some(field));
        }
    }
}
