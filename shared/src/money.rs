//! Money shown to people: integer yuan formatted as `¥89,800` or `8.98万`. Never floats.

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
    let hundredths = (amount + 50) / 100;
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
}
