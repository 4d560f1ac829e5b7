//! Money shown to people and typed by them: integer yuan formatted as `¥89,800` or `8.98万`,
//! and the whole amounts people type (yuan, km) read back. Never floats.

/// `¥89,800`; negative amounts get a leading minus.
pub fn yuan(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}¥{grouped}")
}

/// `8.98万` (two decimals, trailing zeros dropped): how Chinese car prices are quoted.
pub fn wan(amount: i64) -> String {
    // Rounded in i128: the largest amounts must not overflow on the way.
    let hundredths = ((i128::from(amount) + 50) / 100) as i64;
    let whole = hundredths / 100;
    let frac = hundredths % 100;
    match frac {
        0 => format!("{whole}万"),
        f if f % 10 == 0 => format!("{whole}.{}万", f / 10),
        f => format!("{whole}.{f:02}万"),
    }
}

/// A guide-price range as people say it: `8.98-11.98万`, or one price when both ends meet.
pub fn wan_range(min: i64, max: i64) -> String {
    if min == max {
        wan(min)
    } else {
        format!("{}-{}", wan(min).trim_end_matches('万'), wan(max))
    }
}

/// A whole, non-negative amount as a person types it: ASCII or full-width digits (a Chinese
/// IME), with spaces and thousands separators (`,` `，`) between them. `None` for anything
/// else, a sign included, or more than fits.
pub fn parse_amount(text: &str) -> Option<i64> {
    let mut digits = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => digits.push(char::from_u32(u32::from(c) - 0xFEE0)?),
            ',' | '，' => {}
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

/// Yuan as a person types or pastes them: an amount, perhaps written `¥89,800` or `89800元`
/// ([`yuan`] reads back to what it shows).
pub fn parse_yuan(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text
        .strip_prefix(['¥', '￥'])
        .unwrap_or(text)
        .trim_end_matches('元');
    parse_amount(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_yuan_with_thousands_separators() {
        for (amount, shown) in [
            (0, "¥0"),
            (950, "¥950"),
            (89_800, "¥89,800"),
            (1_234_567, "¥1,234,567"),
            (-12_000, "-¥12,000"),
        ] {
            assert_eq!(yuan(amount), shown);
        }
    }

    #[test]
    fn formats_wan_like_a_price_tag() {
        for (amount, shown) in [
            (89_800, "8.98万"),
            (100_000, "10万"),
            (215_900, "21.59万"),
            (231_900, "23.19万"),
            (120_000, "12万"),
            (125_000, "12.5万"),
        ] {
            assert_eq!(wan(amount), shown);
        }
        assert_eq!(wan_range(89_800, 119_800), "8.98-11.98万");
        assert_eq!(wan_range(99_900, 99_900), "9.99万");
    }

    #[test]
    fn reads_amounts_as_people_type_them() {
        for (text, amount) in [
            ("189800", Some(189_800)),
            (" 189,800 ", Some(189_800)),
            ("18 9800", Some(189_800)),
            ("１８９８００", Some(189_800)),
            ("189，800", Some(189_800)),
            ("¥189,800", Some(189_800)),
            ("￥189800元", Some(189_800)),
            ("0", Some(0)),
            ("", None),
            (" , ", None),
            ("-5", None),
            ("+5", None),
            ("1.5", None),
            ("12a", None),
            ("99999999999999999999", None),
        ] {
            assert_eq!(parse_yuan(text), amount, "{text}");
        }
        assert_eq!(parse_amount("¥5"), None);
    }
}
