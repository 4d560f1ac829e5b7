//! The vehicle identification number (车辆识别代号, ISO 3779 / GB 16735): normalising, the
//! position-9 check digit that is mandatory in China, and masking for display.

use crate::error::ApiError;

/// A VIN's length.
pub const VIN_LEN: usize = 17;

/// Weights of positions 1–17 in the check-digit sum (GB 16735 Annex).
const WEIGHTS: [u32; VIN_LEN] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// Trims, removes spaces and upper-cases; never turns I/O/Q into 1/0 (that would "fix" a
/// mistyped VIN into someone else's car).
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            // Full-width letters and digits typed with a Chinese IME.
            let c = match u32::from(c) {
                code @ 0xFF10..=0xFF5A => char::from_u32(code - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            c.to_ascii_uppercase()
        })
        .collect()
}

/// The value of a character in the check-digit sum: digits as they are, letters by GB 16735's
/// transliteration (A–H 1–8, J–N 1–5, P 7, R 9, S–Z 2–9); `None` for I, O, Q and the rest.
fn value(c: char) -> Option<u32> {
    Some(match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A'..='H' => c as u32 - 'A' as u32 + 1,
        'J'..='N' => c as u32 - 'J' as u32 + 1,
        'P' => 7,
        'R' => 9,
        'S'..='Z' => c as u32 - 'S' as u32 + 2,
        _ => return None,
    })
}

/// The check digit (position 9) a VIN of 17 valid characters must carry: `0`–`9` or `X`.
pub fn check_digit(vin: &str) -> Option<char> {
    let values: Vec<u32> = vin.chars().map(value).collect::<Option<_>>()?;
    if values.len() != VIN_LEN {
        return None;
    }
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    Some(match sum % 11 {
        10 => 'X',
        r => char::from_digit(r, 10)?,
    })
}

/// The normalised VIN, or the Chinese reason it is not one.
pub fn parse(text: &str) -> Result<String, ApiError> {
    let vin = normalize(text);
    let bad = |message: &str| Err(ApiError::invalid("vin", message));
    if vin.is_empty() {
        return bad("请填写车架号（VIN）");
    }
    if !vin.chars().all(|c| c.is_ascii_alphanumeric()) {
        return bad("车架号只能包含数字和字母");
    }
    if vin.chars().any(|c| matches!(c, 'I' | 'O' | 'Q')) {
        return bad("车架号不含字母I、O、Q，请核对（可能是数字1或0）");
    }
    if vin.chars().count() != VIN_LEN {
        return bad("车架号应为17位");
    }
    if check_digit(&vin) != vin.chars().nth(8) {
        return bad("车架号校验位（第9位）不正确，请逐位核对");
    }
    Ok(vin)
}

/// The VIN as others see it: the first 6 (maker and model) and last 6, the rest hidden
/// (`LFV2A2******123456`).
pub fn mask(vin: &str) -> String {
    let chars: Vec<char> = vin.chars().collect();
    if chars.len() != VIN_LEN {
        return "*".repeat(chars.len());
    }
    chars[..6]
        .iter()
        .chain(&['*'; 5])
        .chain(&chars[11..])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_follow_gb_16735() {
        for (vin, digit) in [
            // Wikibooks' worked example.
            ("1M8GDM9AXKP042788", 'X'),
            ("LVSFCFME37F107967", '3'),
            ("11111111111111111", '1'),
            // R is 9 and S is 2 (the letters copied snippets get wrong).
            ("RRRRRRRR0RRRRRRRR", '9'),
            ("SSSSSSSS0SSSSSSSS", '2'),
            ("LFV2A21K9N3123456", '9'),
            ("LGXC74C40R0123456", '0'),
        ] {
            assert_eq!(check_digit(vin), Some(digit), "{vin}");
        }
        assert_eq!(check_digit("LVSFCFME37F10796"), None);
        assert_eq!(check_digit("LVSFCFME37F10796O"), None);
    }

    #[test]
    fn parse_accepts_valid_vins_and_names_what_is_wrong() {
        assert_eq!(
            parse(" lvsfcfme37f107967 ").as_deref(),
            Ok("LVSFCFME37F107967")
        );
        assert_eq!(
            parse("LVSF CFME3 7F107967").as_deref(),
            Ok("LVSFCFME37F107967")
        );
        assert_eq!(
            parse("ＬＶＳＦＣＦＭＥ３７Ｆ１０７９６７").as_deref(),
            Ok("LVSFCFME37F107967")
        );
        for (bad, message) in [
            ("", "请填写车架号（VIN）"),
            (
                "LVSFCFME37F107968",
                "车架号校验位（第9位）不正确，请逐位核对",
            ),
            (
                "LVSFCFME37F1O7967",
                "车架号不含字母I、O、Q，请核对（可能是数字1或0）",
            ),
            (
                "IVSFCFME37F107967",
                "车架号不含字母I、O、Q，请核对（可能是数字1或0）",
            ),
            (
                "QVSFCFME37F107967",
                "车架号不含字母I、O、Q，请核对（可能是数字1或0）",
            ),
            ("LVSFCFME37F10796", "车架号应为17位"),
            ("LVSFCFME37F1079670", "车架号应为17位"),
            ("LVSFCFME3-F107967", "车架号只能包含数字和字母"),
            ("<script>alert(1)</script>", "车架号只能包含数字和字母"),
        ] {
            let error = parse(bad).unwrap_err();
            assert_eq!(error.message, message, "{bad}");
            assert_eq!(error.field.as_deref(), Some("vin"));
        }
    }

    #[test]
    fn masks_the_middle() {
        assert_eq!(mask("LFV2A21K9N3123456"), "LFV2A2*****123456");
        assert_eq!(mask("abc"), "***");
    }
}
