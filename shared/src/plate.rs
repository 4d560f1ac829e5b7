//! Licence plates (号牌, GA 36-2018): the ordinary 7-character plate (province, authority
//! letter, five letters or digits of which at most two letters) and the 8-character new-energy
//! plate (small cars: D/F third — or one of the letters the 2020s expansions added, A B C E /
//! G H J K, whose energy is not inferred —, four digits last; large vehicles: five digits then
//! D/F), normalised the way people type them.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// The 31 provincial abbreviations a plate may open with.
pub const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// What a plate says about the car's energy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlateKind {
    /// 7 characters, blue or yellow.
    Ordinary,
    /// 8 characters, green, D: pure electric.
    Electric,
    /// 8 characters, green, F: other new energy (plug-in, range extender).
    OtherNewEnergy,
    /// 8 characters, green, a further city letter in place of D/F: new energy, type unknown.
    NewEnergy,
}

impl PlateKind {
    /// As the console and the owner page show it beside the plate.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ordinary => "普通号牌",
            Self::Electric => "新能源·纯电",
            Self::OtherNewEnergy => "新能源·非纯电",
            Self::NewEnergy => "新能源",
        }
    }
}

/// The kind of a plate as stored (already checked); `None` for one that no longer parses.
pub fn kind_of(plate: &str) -> Option<PlateKind> {
    parse(plate).ok().map(|(_, kind)| kind)
}

/// The letters a small new-energy plate may carry third besides D and F (序号扩容: A B C E
/// for pure electric, G H J K for the others). Only D and F say the energy type.
const EXPANSION_LETTERS: &str = "ABCEGHJK";

/// At most this many letters among an ordinary plate's five (GA 36-2018).
const MAX_ORDINARY_LETTERS: usize = 2;

/// NFKC for what plates hold (full-width letters and digits to ASCII), upper-cased, with
/// spaces and the `·` separator (and its look-alikes) removed.
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '・' | '.' | '-' | '．'))
        .map(|c| match u32::from(c) {
            code @ 0xFF10..=0xFF5A => char::from_u32(code - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn letter(c: char) -> bool {
    c.is_ascii_uppercase() && c != 'I' && c != 'O'
}

fn letter_or_digit(c: char) -> bool {
    letter(c) || c.is_ascii_digit()
}

/// The normalised plate and its kind, or the Chinese reason it is not a plate.
pub fn parse(text: &str) -> Result<(String, PlateKind), ApiError> {
    let plate = normalize(text);
    let bad = |message: &str| Err(ApiError::invalid("plate", message));
    let chars: Vec<char> = plate.chars().collect();
    let Some(&first) = chars.first() else {
        return bad("请填写车牌号");
    };
    if !PROVINCES.contains(first) {
        return bad("车牌号应以省份简称开头，如“京A12345”");
    }
    if chars.len() < 2 || !letter(chars[1]) {
        return bad("车牌号第2位应为发牌机关字母（不含I、O）");
    }
    let rest = &chars[2..];
    if rest.iter().any(|c| matches!(c, 'I' | 'O')) {
        return bad("车牌号不含字母I、O，请核对（可能是数字1或0）");
    }
    let kind = match rest.len() {
        5 if rest.iter().all(|&c| letter_or_digit(c)) => {
            if rest.iter().filter(|c| c.is_ascii_uppercase()).count() > MAX_ORDINARY_LETTERS {
                return bad("车牌号后5位最多含2个字母，请核对");
            }
            PlateKind::Ordinary
        }
        6 => {
            let small = (matches!(rest[0], 'D' | 'F') || EXPANSION_LETTERS.contains(rest[0]))
                && letter_or_digit(rest[1])
                && rest[2..].iter().all(char::is_ascii_digit);
            let large = rest[..5].iter().all(char::is_ascii_digit) && matches!(rest[5], 'D' | 'F');
            let energy = |c: char| match c {
                'D' => PlateKind::Electric,
                'F' => PlateKind::OtherNewEnergy,
                _ => PlateKind::NewEnergy,
            };
            if small {
                energy(rest[0])
            } else if large {
                energy(rest[5])
            } else {
                return bad("新能源车牌格式不正确，如“粤BD12345”或“粤B12345D”");
            }
        }
        _ => return bad("车牌号应为7位（新能源8位），如“京A12345”"),
    };
    Ok((plate, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plates_of_each_format() {
        for (text, plate, kind) in [
            ("京A12345", "京A12345", PlateKind::Ordinary),
            ("粤b·8x8h8", "粤B8X8H8", PlateKind::Ordinary),
            (" 沪 C 1234Z ", "沪C1234Z", PlateKind::Ordinary),
            ("苏Ａ１２３４５", "苏A12345", PlateKind::Ordinary),
            // A 7-character plate with D third is ordinary.
            ("浙AD1234", "浙AD1234", PlateKind::Ordinary),
            ("粤BD12345", "粤BD12345", PlateKind::Electric),
            ("粤BDA1234", "粤BDA1234", PlateKind::Electric),
            ("京AF12345", "京AF12345", PlateKind::OtherNewEnergy),
            ("沪AK12345", "沪AK12345", PlateKind::NewEnergy),
            ("沪AA12345", "沪AA12345", PlateKind::NewEnergy),
            ("京AG12345", "京AG12345", PlateKind::NewEnergy),
            // Two letters among the five are allowed.
            ("京AB12C4", "京AB12C4", PlateKind::Ordinary),
            ("京A1234Z", "京A1234Z", PlateKind::Ordinary),
            ("川A12345D", "川A12345D", PlateKind::Electric),
            ("川A12345F", "川A12345F", PlateKind::OtherNewEnergy),
            ("琼A·D1234 5", "琼AD12345", PlateKind::Electric),
        ] {
            assert_eq!(parse(text), Ok((plate.to_string(), kind)), "{text}");
        }
    }

    #[test]
    fn bad_plates_say_why() {
        for (text, message) in [
            ("", "请填写车牌号"),
            ("A12345", "车牌号应以省份简称开头，如“京A12345”"),
            ("港A12345", "车牌号应以省份简称开头，如“京A12345”"),
            ("京112345", "车牌号第2位应为发牌机关字母（不含I、O）"),
            ("京I12345", "车牌号第2位应为发牌机关字母（不含I、O）"),
            ("京A1O345", "车牌号不含字母I、O，请核对（可能是数字1或0）"),
            ("京A1234", "车牌号应为7位（新能源8位），如“京A12345”"),
            ("京A1234567", "车牌号应为7位（新能源8位），如“京A12345”"),
            ("京A12#45", "车牌号应为7位（新能源8位），如“京A12345”"),
            (
                "粤BD1234A",
                "新能源车牌格式不正确，如“粤BD12345”或“粤B12345D”",
            ),
            (
                "粤B12345X",
                "新能源车牌格式不正确，如“粤BD12345”或“粤B12345D”",
            ),
            (
                "粤B1D2345",
                "新能源车牌格式不正确，如“粤BD12345”或“粤B12345D”",
            ),
            // Z and L are no new-energy letters: only D and F (and the expansion letters).
            (
                "京AZ12345",
                "新能源车牌格式不正确，如“粤BD12345”或“粤B12345D”",
            ),
            (
                "京AL12345",
                "新能源车牌格式不正确，如“粤BD12345”或“粤B12345D”",
            ),
            ("京AABCDE", "车牌号后5位最多含2个字母，请核对"),
            ("京AAB1CD", "车牌号后5位最多含2个字母，请核对"),
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.message, message, "{text}");
            assert_eq!(error.field.as_deref(), Some("plate"));
        }
    }

    #[test]
    fn a_plates_kind_is_labelled() {
        for (plate, label) in [
            ("京A12345", Some("普通号牌")),
            ("粤BD12345", Some("新能源·纯电")),
            ("川A12345F", Some("新能源·非纯电")),
            ("沪AK12345", Some("新能源")),
            ("京AZ12345", None),
        ] {
            assert_eq!(kind_of(plate).map(PlateKind::label), label, "{plate}");
        }
    }
}
