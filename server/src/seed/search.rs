//! Search keys of a series: the pinyin and initials of its Chinese name and of its brand's.

use pinyin::ToPinyin;

/// Lower-case search keys of a series: pinyin and initials of its Chinese name and of its
/// brand's, space-separated and without repeats: `秦PLUS`, `比亚迪` → `qinplus qp biyadi byd`.
pub fn search_keys(name_zh: &str, brand_zh: &str) -> String {
    let (name_full, name_initials) = pinyin_keys(name_zh);
    let (brand_full, brand_initials) = pinyin_keys(brand_zh);
    let mut keys: Vec<String> = Vec::new();
    for key in [name_full, name_initials, brand_full, brand_initials] {
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.join(" ")
}

/// Full pinyin without tones (`qinplus`) and initials (`qp`): each Chinese character gives
/// its reading and first letter, each run of ASCII letters and digits itself and its first
/// character; anything else only separates runs.
pub fn pinyin_keys(text: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    let mut in_run = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let lower = c.to_ascii_lowercase();
            full.push(lower);
            if !in_run {
                initials.push(lower);
            }
            in_run = true;
        } else if let Some(reading) = car_reading(c) {
            full.push_str(reading);
            initials.push_str(&reading[..1]);
            in_run = false;
        } else if let Some(py) = c.to_pinyin() {
            full.push_str(py.plain());
            initials.push_str(py.first_letter());
            in_run = false;
        } else {
            in_run = false;
        }
    }
    (full, initials)
}

/// Characters with several readings whose first reading in the pinyin tables is not the one
/// car names use: 长安 is chang'an, 重庆 chongqing, 行政 xingzheng, 乐道 ledao.
fn car_reading(c: char) -> Option<&'static str> {
    match c {
        '长' => Some("chang"),
        '重' => Some("chong"),
        '行' => Some("xing"),
        '乐' => Some("le"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_hold_pinyin_and_initials_of_series_and_brand() {
        let cases = [
            ("秦PLUS", "比亚迪", "qinplus qp biyadi byd"),
            ("零跑B01", "零跑汽车", "lingpaob01 lpb lingpaoqiche lpqc"),
            ("Model 3", "特斯拉", "model3 m3 tesila tsl"),
            ("海鸥", "比亚迪", "haiou ho biyadi byd"),
            (
                "长安CS75 PLUS",
                "长安汽车",
                "changancs75plus cacp changanqiche caqc",
            ),
        ];
        for (name, brand, keys) in cases {
            assert_eq!(search_keys(name, brand), keys, "{name}");
        }
    }
}
