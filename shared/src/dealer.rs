//! Setting up a dealer: the provinces a dealer can be in (the 31 mainland province-level
//! divisions, by the short names the quote prints) and the rules of a new dealer, which the
//! server's `dealer add` command checks before it writes anything.

use crate::error::ApiError;

/// The mainland's province-level divisions by their short names (`浙江`, `广西`, `上海`).
pub const PROVINCES: [&str; 31] = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
];

/// What full names add to a short one (`浙江省`, `上海市`, `广西壮族自治区`).
const SUFFIXES: [&str; 6] = [
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "自治区",
    "省",
    "市",
];

/// The province's short name, from its short or full name; else an error on `province`.
pub fn validate_province(input: &str) -> Result<&'static str, ApiError> {
    let name = input.trim();
    let short = SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    PROVINCES
        .iter()
        .find(|p| **p == short || **p == name)
        .copied()
        .ok_or_else(|| {
            ApiError::invalid(
                "province",
                "请填写省份，如“浙江”“广东”“上海”（省、自治区或直辖市）",
            )
        })
}

/// A dealer's name: 2 to 40 characters of one line.
pub fn validate_dealer_name(input: &str) -> Result<String, ApiError> {
    let name = input.trim();
    if !(2..=40).contains(&name.chars().count()) {
        return Err(ApiError::invalid("name", "经销商名称为2到40个字"));
    }
    crate::text::check_line(name, "name", "经销商名称")?;
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_province_is_known_by_its_short_or_full_name() {
        for (input, short) in [
            ("浙江", Some("浙江")),
            (" 浙江省 ", Some("浙江")),
            ("上海市", Some("上海")),
            ("广西壮族自治区", Some("广西")),
            ("新疆维吾尔自治区", Some("新疆")),
            ("内蒙古自治区", Some("内蒙古")),
            ("杭州", None),
            ("", None),
            ("Zhejiang", None),
        ] {
            assert_eq!(validate_province(input).ok(), short, "{input}");
        }
        assert_eq!(
            validate_province("x").unwrap_err().field.as_deref(),
            Some("province")
        );
    }

    #[test]
    fn a_dealer_name_is_one_short_line() {
        assert_eq!(
            validate_dealer_name(" 杭州某某汽车 ").unwrap(),
            "杭州某某汽车"
        );
        assert!(validate_dealer_name("车").is_err());
        assert!(validate_dealer_name(&"车".repeat(41)).is_err());
        assert!(validate_dealer_name("车链\u{200b}汽车").is_err());
    }
}
