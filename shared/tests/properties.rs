//! Property tests (proptest) for every parser in `shared`: mobile numbers, VINs, plates,
//! dates, money and the amounts people type (yuan, km, percentages, engine sizes). Each never
//! panics on any string, normalises idempotently, reads back what it formats, accepts what
//! its grammar generates and refuses known-bad mutations of it.

use chelink_shared::contact::{normalize_phone, validate_phone};
use chelink_shared::date::Date;
use chelink_shared::money::{parse_amount, parse_yuan, wan, yuan};
use chelink_shared::plate::{self, PlateKind, PROVINCES};
use chelink_shared::quote::{parse_percent_bp, percent_text};
use chelink_shared::tax::{litres, parse_displacement_ml, DISPLACEMENT_ML};
use chelink_shared::vin;
use proptest::prelude::*;

/// Any text, weighted towards what these parsers meet: digits, letters, separators,
/// full-width forms, Chinese.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-zA-Z +\\-().,，·¥￥元０-９Ａ-Ｚａ-ｚ京粤沪川IOQ]{0,24}",
        // Long numbers: what overflows a careless parser.
        "[+-]?[0-9]{0,24}[.]?[0-9]{0,5}(%|L|T|ml|元)?",
    ]
}

/// A mainland mobile number: `1`, `3`–`9`, nine digits.
fn mobile() -> impl Strategy<Value = String> {
    "1[3-9][0-9]{9}"
}

/// Full-width forms of ASCII digits and letters, as a Chinese IME types them.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' | 'A'..='Z' | 'a'..='z' => char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

// Mobile numbers (`contact.rs`).
proptest! {
    #[test]
    fn phone_parsing_never_panics(s in text()) {
        let _ = validate_phone(&s);
    }

    #[test]
    fn phone_normalisation_is_idempotent(s in text()) {
        let once = normalize_phone(&s);
        prop_assert_eq!(normalize_phone(&once), once);
    }

    #[test]
    fn an_accepted_phone_is_accepted_as_itself(s in text()) {
        if let Ok(phone) = validate_phone(&s) {
            prop_assert_eq!(validate_phone(&phone), Ok(phone));
        }
    }

    #[test]
    fn mobile_numbers_are_accepted_however_they_are_written(
        phone in mobile(),
        prefix in prop::sample::select(vec!["", "+86", "+86 ", "0086", "86", "(+86) "]),
        wide in any::<bool>(),
        split in any::<bool>(),
    ) {
        let mut typed = phone.clone();
        if split {
            typed = format!("{} {}-{}", &phone[..3], &phone[3..7], &phone[7..]);
        }
        if wide {
            typed = full_width(&typed);
        }
        let typed = format!("{prefix}{typed}");
        prop_assert_eq!(validate_phone(&typed), Ok(phone));
    }

    #[test]
    fn a_number_off_by_a_digit_or_prefix_is_refused(
        phone in mobile(),
        second in "[0-2]",
        cut in 0..11_usize,
        extra in "[0-9]",
    ) {
        let bad_prefix = format!("1{second}{}", &phone[2..]);
        prop_assert!(validate_phone(&bad_prefix).is_err());
        let short = format!("{}{}", &phone[..cut], &phone[cut + 1..]);
        prop_assert!(validate_phone(&short).is_err());
        let long = format!("{phone}{extra}");
        prop_assert!(validate_phone(&long).is_err());
    }
}

/// The characters a VIN may hold: digits and letters but I, O, Q.
const VIN_CHARS: &str = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

/// A VIN with its right check digit, from 16 generated characters.
fn valid_vin() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(VIN_CHARS.chars().collect::<Vec<_>>()),
        16,
    )
    .prop_map(|chars| {
        let mut vin: String = chars[..8].iter().collect();
        vin.push('0');
        vin.extend(&chars[8..]);
        let digit = vin::check_digit(&vin).expect("17 valid characters");
        vin.replace_range(8..9, &digit.to_string());
        vin
    })
}

/// A character's value in the check-digit sum (GB 16735), as `vin.rs` counts it.
fn vin_value(c: char) -> u32 {
    match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A'..='H' => c as u32 - 'A' as u32 + 1,
        'J'..='N' => c as u32 - 'J' as u32 + 1,
        'P' => 7,
        'R' => 9,
        _ => c as u32 - 'S' as u32 + 2,
    }
}

// VINs (`vin.rs`).
proptest! {
    #[test]
    fn vin_parsing_never_panics(s in text()) {
        let _ = vin::parse(&s);
        let _ = vin::check_digit(&s);
        let _ = vin::mask(&s);
    }

    #[test]
    fn vin_normalisation_is_idempotent(s in text()) {
        let once = vin::normalize(&s);
        prop_assert_eq!(vin::normalize(&once), once);
    }

    #[test]
    fn an_accepted_vin_is_accepted_as_itself(s in text()) {
        if let Ok(v) = vin::parse(&s) {
            prop_assert_eq!(vin::parse(&v), Ok(v));
        }
    }

    #[test]
    fn vins_with_their_check_digit_are_accepted_however_they_are_typed(
        v in valid_vin(),
        lower in any::<bool>(),
        wide in any::<bool>(),
        gap in 0..17_usize,
    ) {
        let mut typed = if lower { v.to_lowercase() } else { v.clone() };
        if wide {
            typed = full_width(&typed);
        }
        let at = typed.char_indices().nth(gap).map_or(typed.len(), |(i, _)| i);
        typed.insert(at, ' ');
        prop_assert_eq!(vin::parse(&format!(" {typed} ")), Ok(v));
    }

    #[test]
    fn a_vin_with_another_check_digit_is_refused(
        v in valid_vin(),
        digit in prop::sample::select("0123456789X".chars().collect::<Vec<_>>()),
    ) {
        prop_assume!(v.chars().nth(8) != Some(digit));
        let mut bad = v.clone();
        bad.replace_range(8..9, &digit.to_string());
        prop_assert!(vin::parse(&bad).is_err());
    }

    #[test]
    fn a_vin_with_one_character_changed_is_refused(
        v in valid_vin(),
        at in (0..17_usize).prop_filter("not the check digit", |i| *i != 8),
        c in prop::sample::select(VIN_CHARS.chars().collect::<Vec<_>>()),
    ) {
        let old = v.chars().nth(at).expect("17 characters");
        // A letter that counts as the same digit (A and 1) is not a detectable change.
        prop_assume!(vin_value(old) != vin_value(c));
        let mut bad: Vec<char> = v.chars().collect();
        bad[at] = c;
        let bad: String = bad.into_iter().collect();
        prop_assert!(vin::parse(&bad).is_err());
    }

    #[test]
    fn a_vin_holding_i_o_or_q_or_of_another_length_is_refused(
        v in valid_vin(),
        at in 0..17_usize,
        c in prop::sample::select(vec!['I', 'O', 'Q']),
    ) {
        let mut bad: Vec<char> = v.chars().collect();
        bad[at] = c;
        prop_assert!(vin::parse(&bad.iter().collect::<String>()).is_err());
        prop_assert!(vin::parse(&v[..16]).is_err());
        let long = format!("{v}1");
        prop_assert!(vin::parse(&long).is_err());
    }
}

/// Plates every reading of GA 36-2018 accepts: authority `A` or `B` (every province has
/// both), five digits; new-energy plates with D or F first (small cars) or last (large).
fn valid_plate() -> impl Strategy<Value = (String, PlateKind)> {
    let province = prop::sample::select(PROVINCES.chars().collect::<Vec<_>>());
    let authority = prop::sample::select(vec!['A', 'B']);
    let form = prop::sample::select(vec!["ordinary", "small-D", "small-F", "large-D", "large-F"]);
    (province, authority, "[0-9]{5}", form).prop_map(|(p, a, digits, form)| match form {
        "ordinary" => (format!("{p}{a}{digits}"), PlateKind::Ordinary),
        "small-D" => (format!("{p}{a}D{digits}"), PlateKind::Electric),
        "small-F" => (format!("{p}{a}F{digits}"), PlateKind::OtherNewEnergy),
        "large-D" => (format!("{p}{a}{digits}D"), PlateKind::Electric),
        _ => (format!("{p}{a}{digits}F"), PlateKind::OtherNewEnergy),
    })
}

// Plates (`plate.rs`): what holds for any correct reading of the rules.
proptest! {
    #[test]
    fn plate_parsing_never_panics(s in text()) {
        let _ = plate::parse(&s);
    }

    #[test]
    fn plate_normalisation_is_idempotent(s in text()) {
        let once = plate::normalize(&s);
        prop_assert_eq!(plate::normalize(&once), once);
    }

    #[test]
    fn an_accepted_plate_is_accepted_as_itself(s in text()) {
        if let Ok((p, kind)) = plate::parse(&s) {
            prop_assert_eq!(plate::parse(&p), Ok((p.clone(), kind)));
        }
    }

    #[test]
    fn plates_are_accepted_however_they_are_typed(
        (p, kind) in valid_plate(),
        lower in any::<bool>(),
        wide in any::<bool>(),
        dot in any::<bool>(),
    ) {
        let mut typed = if lower { p.to_lowercase() } else { p.clone() };
        if wide {
            typed = full_width(&typed);
        }
        if dot {
            let after_two = typed.char_indices().nth(2).map_or(typed.len(), |(i, _)| i);
            typed.insert(after_two, '·');
        }
        prop_assert_eq!(plate::parse(&format!(" {typed} ")), Ok((p, kind)));
    }

    #[test]
    fn a_plate_of_no_province_holding_i_or_o_or_of_another_length_is_refused(
        (p, _) in valid_plate(),
        han in prop::sample::select("中国车链上海北广深".chars().collect::<Vec<_>>()),
        at in 2..7_usize,
        letter in prop::sample::select(vec!['I', 'O']),
    ) {
        let chars: Vec<char> = p.chars().collect();
        let elsewhere: String = std::iter::once(han).chain(chars[1..].iter().copied()).collect();
        prop_assert!(plate::parse(&elsewhere).is_err());
        let mut with_letter = chars.clone();
        with_letter[at] = letter;
        prop_assert!(plate::parse(&with_letter.iter().collect::<String>()).is_err());
        prop_assert!(plate::parse(&chars[..chars.len() - 2].iter().collect::<String>()).is_err());
        let long = format!("{p}12");
        prop_assert!(plate::parse(&long).is_err());
    }
}

/// A real day: any month's days of a year from 0 to 9999.
fn valid_date() -> impl Strategy<Value = Date> {
    (0..=9999_i32, 1..=12_u32)
        .prop_flat_map(|(year, month)| {
            let last = Date::new(year, month, 1).end_of_month().day;
            (Just(year), Just(month), 1..=last)
        })
        .prop_map(|(y, m, d)| Date::new(y, m, d))
}

// Dates (`date.rs`).
proptest! {
    #[test]
    fn date_parsing_never_panics(s in prop_oneof![text(), "[+-]?[0-9]{1,12}-[+-]?[0-9]{1,4}-[+-]?[0-9]{1,4}"]) {
        if let Some(date) = Date::parse(&s) {
            // Whatever it accepts is a real day.
            prop_assert!((1..=12).contains(&date.month));
            prop_assert!(date.day >= 1 && date.day <= date.end_of_month().day);
        }
    }

    #[test]
    fn a_date_reads_back_what_it_shows(date in valid_date()) {
        let shown = date.to_string();
        prop_assert_eq!(Date::parse(&shown), Some(date));
        prop_assert_eq!(Date::parse(&format!(" {shown} ")), Some(date));
        prop_assert_eq!(Date::from_unix_days(date.unix_days()), date);
    }

    #[test]
    fn a_day_past_the_end_of_its_month_is_refused(date in valid_date(), past in 1..=5_u32) {
        let last = date.end_of_month().day;
        let bad = format!("{:04}-{:02}-{:02}", date.year, date.month, last + past);
        prop_assert_eq!(Date::parse(&bad), None);
        let month = format!("{:04}-{:02}-01", date.year, 13 + past);
        prop_assert_eq!(Date::parse(&month), None);
        let zero = format!("{:04}-{:02}-00", date.year, date.month);
        prop_assert_eq!(Date::parse(&zero), None);
    }
}

/// `1,234,567` with `sep` between the groups of three.
fn grouped(amount: i64, sep: &str) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

// Money (`money.rs`) and the amounts people type: yuan, km (`parse_amount`), percentages
// (`quote.rs`) and engine sizes (`tax.rs`).
proptest! {
    #[test]
    fn money_formatting_never_panics(
        amount in prop_oneof![any::<i64>(), Just(i64::MAX), Just(i64::MIN), Just(0)],
    ) {
        let shown = yuan(amount);
        prop_assert!(shown.contains('¥'));
        let _ = wan(amount);
    }

    #[test]
    fn amount_parsing_never_panics(s in text()) {
        let _ = parse_amount(&s);
        let _ = parse_yuan(&s);
        let _ = parse_percent_bp(&s);
        let _ = parse_displacement_ml(&s);
    }

    #[test]
    fn parsed_amounts_are_never_negative(s in text()) {
        prop_assert!(parse_amount(&s).is_none_or(|a| a >= 0));
        prop_assert!(parse_yuan(&s).is_none_or(|a| a >= 0));
        prop_assert!(parse_percent_bp(&s).is_none_or(|a| a >= 0));
        prop_assert!(parse_displacement_ml(&s).is_none_or(|a| a > 0));
    }

    #[test]
    fn yuan_reads_back_what_it_shows(amount in 0..=i64::MAX) {
        prop_assert_eq!(parse_yuan(&yuan(amount)), Some(amount));
        prop_assert_eq!(parse_yuan(&format!("{amount}元")), Some(amount));
    }

    #[test]
    fn amounts_are_read_however_they_are_grouped(
        amount in 0..=10_000_000_000_i64,
        sep in prop::sample::select(vec!["", ",", "，", " "]),
        wide in any::<bool>(),
    ) {
        let mut typed = grouped(amount, sep);
        if wide {
            typed = full_width(&typed);
        }
        prop_assert_eq!(parse_amount(&format!(" {typed} ")), Some(amount));
    }

    #[test]
    fn a_signed_decimal_or_lettered_amount_is_refused(
        amount in 0..=10_000_000_i64,
        bad in prop::sample::select(vec!["-", "+", ".", "e", "万", "km"]),
        at_end in any::<bool>(),
    ) {
        let typed = if at_end { format!("{amount}{bad}5") } else { format!("{bad}{amount}") };
        prop_assert_eq!(parse_amount(&typed), None);
    }

    #[test]
    fn percentages_read_back_what_they_show(bp in 0..=1_000_000_i64, sign in any::<bool>()) {
        let shown = percent_text(bp);
        prop_assert_eq!(parse_percent_bp(&shown), Some(bp));
        prop_assert_eq!(parse_percent_bp(&format!("{shown}%")), Some(bp));
        if sign && bp > 0 {
            prop_assert_eq!(parse_percent_bp(&format!("-{shown}")), None);
        }
    }

    #[test]
    fn engine_sizes_read_back_what_they_show(
        ml in DISPLACEMENT_ML.0..=DISPLACEMENT_ML.1,
        unit in prop::sample::select(vec!["", "L", "T", "升", " l"]),
    ) {
        prop_assert_eq!(parse_displacement_ml(&format!("{}{unit}", litres(ml))), Some(ml));
    }
}
