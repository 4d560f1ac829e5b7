//! The people who book and enquire: mobile numbers (normalise, validate, mask, risk), names,
//! the driving licence a test drive needs, and consent to the privacy notice.

use serde::{Deserialize, Serialize};

use crate::console::Role;
use crate::error::ApiError;

/// Every character whose NFKC form is made only of the characters a phone number can hold
/// (`0`–`9`, `+`, `-`, `(`, `)`, space): full-width digits from a Chinese IME, circled and
/// parenthesised numbers, mathematical digits, ideographic space... As runs `(first code
/// point, length, NFKC of the first)`: along a run of length > 1 both sides count up by one.
/// A test checks it against the `unicode-normalization` crate for every code point, so the
/// browser gets NFKC's answer for phone numbers without carrying Unicode's tables.
const PHONE_NFKC: [(u32, u32, &str); RUNS] = [
    (0x00A0, 1, " "),
    (0x00B2, 2, "2"),
    (0x00B9, 1, "1"),
    (0x2000, 1, " "),
    (0x2001, 1, " "),
    (0x2002, 1, " "),
    (0x2003, 1, " "),
    (0x2004, 1, " "),
    (0x2005, 1, " "),
    (0x2006, 1, " "),
    (0x2007, 1, " "),
    (0x2008, 1, " "),
    (0x2009, 1, " "),
    (0x200A, 1, " "),
    (0x202F, 1, " "),
    (0x205F, 1, " "),
    (0x2070, 1, "0"),
    (0x2074, 6, "4"),
    (0x207A, 1, "+"),
    (0x207D, 2, "("),
    (0x2080, 10, "0"),
    (0x208A, 1, "+"),
    (0x208D, 2, "("),
    (0x2460, 9, "1"),
    (0x2469, 1, "10"),
    (0x246A, 1, "11"),
    (0x246B, 1, "12"),
    (0x246C, 1, "13"),
    (0x246D, 1, "14"),
    (0x246E, 1, "15"),
    (0x246F, 1, "16"),
    (0x2470, 1, "17"),
    (0x2471, 1, "18"),
    (0x2472, 1, "19"),
    (0x2473, 1, "20"),
    (0x2474, 1, "(1)"),
    (0x2475, 1, "(2)"),
    (0x2476, 1, "(3)"),
    (0x2477, 1, "(4)"),
    (0x2478, 1, "(5)"),
    (0x2479, 1, "(6)"),
    (0x247A, 1, "(7)"),
    (0x247B, 1, "(8)"),
    (0x247C, 1, "(9)"),
    (0x247D, 1, "(10)"),
    (0x247E, 1, "(11)"),
    (0x247F, 1, "(12)"),
    (0x2480, 1, "(13)"),
    (0x2481, 1, "(14)"),
    (0x2482, 1, "(15)"),
    (0x2483, 1, "(16)"),
    (0x2484, 1, "(17)"),
    (0x2485, 1, "(18)"),
    (0x2486, 1, "(19)"),
    (0x2487, 1, "(20)"),
    (0x24EA, 1, "0"),
    (0x3000, 1, " "),
    (0x3251, 1, "21"),
    (0x3252, 1, "22"),
    (0x3253, 1, "23"),
    (0x3254, 1, "24"),
    (0x3255, 1, "25"),
    (0x3256, 1, "26"),
    (0x3257, 1, "27"),
    (0x3258, 1, "28"),
    (0x3259, 1, "29"),
    (0x325A, 1, "30"),
    (0x325B, 1, "31"),
    (0x325C, 1, "32"),
    (0x325D, 1, "33"),
    (0x325E, 1, "34"),
    (0x325F, 1, "35"),
    (0x32B1, 1, "36"),
    (0x32B2, 1, "37"),
    (0x32B3, 1, "38"),
    (0x32B4, 1, "39"),
    (0x32B5, 1, "40"),
    (0x32B6, 1, "41"),
    (0x32B7, 1, "42"),
    (0x32B8, 1, "43"),
    (0x32B9, 1, "44"),
    (0x32BA, 1, "45"),
    (0x32BB, 1, "46"),
    (0x32BC, 1, "47"),
    (0x32BD, 1, "48"),
    (0x32BE, 1, "49"),
    (0x32BF, 1, "50"),
    (0xFB29, 1, "+"),
    (0xFE35, 2, "("),
    (0xFE59, 2, "("),
    (0xFE62, 1, "+"),
    (0xFE63, 1, "-"),
    (0xFF08, 2, "("),
    (0xFF0B, 1, "+"),
    (0xFF0D, 1, "-"),
    (0xFF10, 10, "0"),
    (0x1CCF0, 10, "0"),
    (0x1D7CE, 10, "0"),
    (0x1D7D8, 10, "0"),
    (0x1D7E2, 10, "0"),
    (0x1D7EC, 10, "0"),
    (0x1D7F6, 10, "0"),
    (0x1FBF0, 10, "0"),
];
const RUNS: usize = 103;

/// A character's NFKC form when it is made of phone characters, pushed onto `out`; any other
/// character as it is (it fails validation either way).
fn push_phone_nfkc(c: char, out: &mut String) {
    let cp = u32::from(c);
    let at = PHONE_NFKC.partition_point(|&(start, _, _)| start <= cp);
    match at.checked_sub(1).map(|i| PHONE_NFKC[i]) {
        Some((start, len, first)) if cp < start + len => {
            if len == 1 {
                out.push_str(first);
            } else {
                let base = u32::from(first.chars().next().unwrap_or('0'));
                out.push(char::from_u32(base + cp - start).unwrap_or(c));
            }
        }
        _ => out.push(c),
    }
}

/// Cleans a typed mobile number: NFKC (full-width digits from a Chinese IME become ASCII),
/// drops whitespace, `-`, `(`, `)` and invisible format characters, then drops a leading
/// `+86`, `0086` or `86` when exactly 11 digits remain.
pub fn normalize_phone(input: &str) -> String {
    let mut folded = String::with_capacity(input.len());
    for c in input.chars() {
        push_phone_nfkc(c, &mut folded);
    }
    let cleaned: String = folded
        .chars()
        .filter(|&c| {
            !(c.is_whitespace() || matches!(c, '-' | '(' | ')') || crate::text::is_format(c))
        })
        .collect();
    for prefix in ["+86", "0086", "86"] {
        if let Some(rest) = cleaned.strip_prefix(prefix) {
            if rest.len() == 11 && rest.bytes().all(|b| b.is_ascii_digit()) {
                return rest.to_owned();
            }
        }
    }
    cleaned
}

/// A mainland mobile number (11 digits: `1`, then `3`–`9`, then 9 digits), normalised.
/// New prefixes are accepted; [`phone_risk`] flags the doubtful ones instead of refusing.
pub fn validate_phone(input: &str) -> Result<String, ApiError> {
    let phone = normalize_phone(input);
    if phone.is_empty() {
        return Err(ApiError::invalid("phone", "请填写手机号"));
    }
    let b = phone.as_bytes();
    let mobile = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    if mobile {
        Ok(phone)
    } else {
        Err(ApiError::invalid("phone", "请输入正确的11位手机号"))
    }
}

/// A number as shown to everyone but its assigned staff member: `138****5678`. Anything
/// else keeps at most its last 4 characters, and never all of them.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() == 11 {
        return chars[..3]
            .iter()
            .chain(&['*'; 4])
            .chain(&chars[7..])
            .collect();
    }
    let shown = if chars.len() > 4 { 4 } else { 0 };
    let hidden = chars.len() - shown;
    std::iter::repeat_n('*', hidden)
        .chain(chars[hidden..].iter().copied())
        .collect()
}

/// Who sees a phone number in full: managers and admins, and the staff member it is assigned
/// to (a lead's consultant, a car's advisor). Everyone else sees it masked ([`mask_phone`]).
pub fn sees_phone(role: Role, viewer: i64, assigned: Option<i64>) -> bool {
    role.manages() || assigned == Some(viewer)
}

/// `phone` as a staff member sees it: in full when [`sees_phone`] says so, masked otherwise.
pub fn phone_as_seen(phone: String, in_full: bool) -> String {
    if in_full {
        phone
    } else {
        mask_phone(&phone)
    }
}

/// A name as shown to someone who did not give it: its first character and a star for each
/// of the rest (`王小明` → `王**`, `买买提·艾力` → `买*****`); a one-character name is all
/// star, and an empty name stays empty.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.as_slice() {
        [] => String::new(),
        [_] => "*".into(),
        [first, rest @ ..] => std::iter::once(*first)
            .chain(rest.iter().map(|_| '*'))
            .collect(),
    }
}

/// Why a valid number deserves a second look (reward fraud favours these ranges), if it
/// does. Expects a number from [`validate_phone`]; it is a signal, never a refusal.
pub fn phone_risk(phone: &str) -> Option<&'static str> {
    // Only mainland mobiles have ranges: an HK/Macau or IoT number is no 14x data card.
    if phone.len() != 11 {
        return None;
    }
    let prefix = phone.get(..3)?;
    match prefix.as_bytes() {
        b"162" | b"165" | b"167" | b"170" | b"171" => Some("虚拟运营商号段"),
        [b'1', b'4', d] if d.is_ascii_digit() => Some("物联网/上网卡号段"),
        _ => None,
    }
}

/// The chip staff see on a lead whose number is in a risky range: the range and what to do.
pub fn phone_risk_note(phone: &str) -> Option<String> {
    phone_risk(phone).map(|why| format!("{why}，注意核实"))
}

/// The longest name we keep, in characters.
pub const NAME_MAX_CHARS: usize = 20;

/// A person's name as they typed it, trimmed. Any script and punctuation is fine
/// (`买买提·艾力`, `O'Brien`); it is plain text, escaped by whoever shows it.
pub fn validate_name(input: &str) -> Result<String, ApiError> {
    let name = input.trim();
    if name.is_empty() {
        return Err(ApiError::invalid("name", "请填写姓名"));
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(ApiError::invalid("name", "姓名最多20个字"));
    }
    crate::text::check_line(name, "name", "姓名")?;
    Ok(name.to_owned())
}

/// The mainland driving-licence classes that allow a car test drive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Licence {
    C1,
    C2,
}

impl Licence {
    pub fn label(self) -> &'static str {
        match self {
            Self::C1 => "C1（手动挡/自动挡）",
            Self::C2 => "C2（仅自动挡）",
        }
    }
}

/// What a licence class cares about in a car.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gearbox {
    Manual,
    Automatic,
}

impl Gearbox {
    /// Reads a transmission spec such as `6挡手动`, `5MT`, `8挡手自一体`, `7DCT双离合` or
    /// `电动车单速变速箱`; `None` when it says neither.
    pub fn from_spec(text: &str) -> Option<Self> {
        // Full-width Latin letters (ＭＴ) read as ASCII; spec texts hold nothing stranger.
        let text: String = text
            .chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect::<String>()
            .to_ascii_uppercase();
        // `MT` only as a word of its own: `AMT` is an automated gearbox.
        if text.contains("手动") || contains_word(&text, "MT") {
            return Some(Self::Manual);
        }
        const AUTOMATIC: [&str; 13] = [
            "自动",
            "手自一体",
            "无级",
            "AT",
            "DCT",
            "CVT",
            "AMT",
            "DHT",
            "双离合",
            "E-CVT",
            "单速",
            "固定齿比",
            "电动车",
        ];
        AUTOMATIC
            .iter()
            .any(|word| text.contains(word))
            .then_some(Self::Automatic)
    }
}

/// Whether the licence shown covers the car. No licence given is fine: it is optional on
/// the form and checked at the store.
pub fn check_licence(licence: Option<Licence>, gearbox: Option<Gearbox>) -> Result<(), ApiError> {
    match (licence, gearbox) {
        (Some(Licence::C2), Some(Gearbox::Manual)) => Err(ApiError::invalid(
            "licence",
            "C2驾照只能驾驶自动挡车型，该车型为手动挡",
        )),
        _ => Ok(()),
    }
}

/// The version of the privacy notice (《个人信息保护说明》) a person must agree to before we
/// store their number; bump it when the notice changes so everyone agrees again.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-12-01";

/// The notice version a dealer's consumers consent to: the notice's own version, and after the
/// dealer changed the notice's contact `revision` times (设置 → 门店资料), `{version}.{revision}`.
pub fn privacy_version(revision: i64) -> String {
    if revision <= 0 {
        PRIVACY_NOTICE_VERSION.to_string()
    } else {
        format!("{PRIVACY_NOTICE_VERSION}.{revision}")
    }
}

/// Consent to the dealer's privacy notice in force (`notice`, from [`privacy_version`]), as
/// sent by the form.
pub fn check_consent(consent_version: Option<&str>, notice: &str) -> Result<(), ApiError> {
    match consent_version.map(str::trim) {
        None | Some("") => Err(ApiError::invalid(
            "consent",
            "请先阅读并同意《个人信息保护说明》",
        )),
        Some(version) if version == notice => Ok(()),
        Some(_) => Err(ApiError::invalid(
            "consent",
            "隐私说明已更新，请重新阅读并同意",
        )),
    }
}

/// `word` occurs in `text` with no ASCII letter right before or after it.
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphabetic())
            && !after.is_some_and(|c| c.is_ascii_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_and_the_assigned_staff_member_see_a_phone_in_full() {
        let phone = "13812345678";
        for (role, viewer, assigned, seen) in [
            (Role::Consultant, 7, Some(7), "13812345678"),
            (Role::Consultant, 7, Some(8), "138****5678"),
            (Role::Consultant, 7, None, "138****5678"),
            (Role::ServiceAdvisor, 9, Some(9), "13812345678"),
            (Role::ServiceAdvisor, 9, None, "138****5678"),
            (Role::Manager, 1, Some(7), "13812345678"),
            (Role::Admin, 1, None, "13812345678"),
        ] {
            let in_full = sees_phone(role, viewer, assigned);
            assert_eq!(
                phone_as_seen(phone.into(), in_full),
                seen,
                "{role:?} {viewer} {assigned:?}"
            );
        }
    }

    #[test]
    fn phone_numbers_are_normalised_before_checking() {
        for (input, normalised) in [
            ("13812345678", "13812345678"),
            ("138 1234 5678", "13812345678"),
            ("138-1234-5678", "13812345678"),
            ("(138)12345678", "13812345678"),
            ("１３８１２３４５６７８", "13812345678"),
            ("１３８－１２３４－５６７８", "13812345678"),
            ("（138）1234\u{3000}5678", "13812345678"),
            ("\u{200B}138\u{200D}1234\u{FEFF}5678\u{00AD}", "13812345678"),
            ("\u{202E}13812345678\u{202C}", "13812345678"),
            ("\u{2060}138\t1234\n5678\u{00A0}", "13812345678"),
            ("+86 138 1234 5678", "13812345678"),
            ("+86-13812345678", "13812345678"),
            ("＋８６１３８１２３４５６７８", "13812345678"),
            ("0086 13812345678", "13812345678"),
            ("8613812345678", "13812345678"),
            // No prefix is dropped unless exactly 11 digits remain.
            ("86138123456", "86138123456"),
            ("+8613812345", "+8613812345"),
            ("+86138123456789", "+86138123456789"),
            ("+852 9123 4567", "+85291234567"),
            ("861381234567", "861381234567"),
            ("", ""),
            ("   ", ""),
        ] {
            assert_eq!(normalize_phone(input), normalised, "{input:?}");
        }
    }

    #[test]
    fn only_mainland_mobiles_pass_validation() {
        for (input, result) in [
            ("13812345678", Ok("13812345678")),
            ("+86 199 1234 5678", Ok("19912345678")),
            ("１７０１２３４５６７８", Ok("17012345678")),
            ("14512345678", Ok("14512345678")),
            ("", Err("请填写手机号")),
            (" \u{200B} ", Err("请填写手机号")),
            ("12812345678", Err("请输入正确的11位手机号")),
            ("10012345678", Err("请输入正确的11位手机号")),
            ("23812345678", Err("请输入正确的11位手机号")),
            ("1381234567", Err("请输入正确的11位手机号")),
            ("138123456789", Err("请输入正确的11位手机号")),
            ("1381234567a", Err("请输入正确的11位手机号")),
            ("91234567", Err("请输入正确的11位手机号")),
            ("+852 9123 4567", Err("请输入正确的11位手机号")),
            ("+853 6612 3456", Err("请输入正确的11位手机号")),
            ("1440123456789", Err("请输入正确的11位手机号")),
            ("1064812345678", Err("请输入正确的11位手机号")),
            ("138.1234.5678", Err("请输入正确的11位手机号")),
        ] {
            let expected = result
                .map(str::to_owned)
                .map_err(|message| ApiError::invalid("phone", message));
            assert_eq!(validate_phone(input), expected, "{input:?}");
        }
    }

    #[test]
    fn masked_names_keep_only_the_first_character() {
        for (name, masked) in [
            ("王小明", "王**"),
            ("李娜", "李*"),
            ("王", "*"),
            ("", ""),
            (" 买买提·艾力 ", "买*****"),
        ] {
            assert_eq!(mask_name(name), masked, "{name:?}");
        }
    }

    #[test]
    fn masked_numbers_never_show_in_full() {
        for (phone, masked) in [
            ("13812345678", "138****5678"),
            ("19912345678", "199****5678"),
            ("91234567", "****4567"),
            ("1440123456789", "*********6789"),
            ("12345", "*2345"),
            ("1234", "****"),
            ("12", "**"),
            ("", ""),
        ] {
            assert_eq!(mask_phone(phone), masked, "{phone:?}");
        }
    }

    #[test]
    fn virtual_and_data_card_ranges_are_flagged_not_refused() {
        for (phone, risk) in [
            ("16212345678", Some("虚拟运营商号段")),
            ("16512345678", Some("虚拟运营商号段")),
            ("16712345678", Some("虚拟运营商号段")),
            ("17012345678", Some("虚拟运营商号段")),
            ("17112345678", Some("虚拟运营商号段")),
            ("14012345678", Some("物联网/上网卡号段")),
            ("14512345678", Some("物联网/上网卡号段")),
            ("14912345678", Some("物联网/上网卡号段")),
            ("13812345678", None),
            ("16612345678", None),
            ("17212345678", None),
            ("19912345678", None),
            ("", None),
            ("1701234", None),
        ] {
            assert_eq!(phone_risk(phone), risk, "{phone:?}");
            assert_eq!(
                phone_risk_note(phone),
                risk.map(|r| format!("{r}，注意核实")),
                "{phone:?}"
            );
            if risk.is_some() {
                assert!(validate_phone(phone).is_ok(), "{phone} is still accepted");
            }
        }
    }

    #[test]
    fn names_are_trimmed_plain_text_up_to_twenty_characters() {
        for (input, result) in [
            ("张三", Ok("张三")),
            ("  张三\u{3000}", Ok("张三")),
            ("买买提·艾力", Ok("买买提·艾力")),
            ("O'Brien", Ok("O'Brien")),
            ("Mary-Jane Smith", Ok("Mary-Jane Smith")),
            ("<script>", Ok("<script>")),
            (
                "欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜",
                Ok("欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜"),
            ),
            ("", Err("请填写姓名")),
            (" \t\u{3000}", Err("请填写姓名")),
            (
                "欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜",
                Err("姓名最多20个字"),
            ),
            ("张\u{200B}三", Err("姓名含有不可见或无法显示的字符")),
            ("张三\u{202E}", Err("姓名含有不可见或无法显示的字符")),
            ("\u{FEFF}张三", Err("姓名含有不可见或无法显示的字符")),
            ("张\n三", Err("姓名含有不可见或无法显示的字符")),
            ("张\u{0}三", Err("姓名含有不可见或无法显示的字符")),
            ("张\u{7F}三", Err("姓名含有不可见或无法显示的字符")),
            ("张\u{2028}三", Err("姓名含有不可见或无法显示的字符")),
            ("张三\u{E000}", Err("姓名含有不可见或无法显示的字符")),
            ("张\u{FFFF}三", Err("姓名含有不可见或无法显示的字符")),
        ] {
            let expected = result
                .map(str::to_owned)
                .map_err(|message| ApiError::invalid("name", message));
            assert_eq!(validate_name(input), expected, "{input:?}");
        }
    }

    #[test]
    fn licences_travel_as_their_class_and_show_what_they_cover() {
        for (licence, json, label) in [
            (Licence::C1, "\"C1\"", "C1（手动挡/自动挡）"),
            (Licence::C2, "\"C2\"", "C2（仅自动挡）"),
        ] {
            assert_eq!(serde_json::to_string(&licence).unwrap(), json);
            assert_eq!(serde_json::from_str::<Licence>(json).unwrap(), licence);
            assert_eq!(licence.label(), label);
        }
        assert!(serde_json::from_str::<Licence>("\"B1\"").is_err());
    }

    #[test]
    fn gearboxes_are_read_from_spec_text() {
        use Gearbox::{Automatic, Manual};
        for (spec, gearbox) in [
            ("6挡手动", Some(Manual)),
            ("5MT", Some(Manual)),
            ("手动变速箱(MT)", Some(Manual)),
            ("6mt", Some(Manual)),
            ("ＭＴ", Some(Manual)),
            ("8挡手自一体", Some(Automatic)),
            ("6AT", Some(Automatic)),
            ("自动变速箱(AT)", Some(Automatic)),
            ("7挡湿式双离合", Some(Automatic)),
            ("7DCT", Some(Automatic)),
            ("CVT无级变速", Some(Automatic)),
            ("E-CVT", Some(Automatic)),
            ("5AMT", Some(Automatic)),
            ("机械式自动变速箱(AMT)", Some(Automatic)),
            ("电动车单速变速箱", Some(Automatic)),
            ("固定齿比变速箱", Some(Automatic)),
            ("3挡DHT", Some(Automatic)),
            ("", None),
            ("变速箱", None),
            ("未知", None),
        ] {
            assert_eq!(Gearbox::from_spec(spec), gearbox, "{spec:?}");
        }
    }

    #[test]
    fn c2_licences_cannot_test_drive_manual_cars() {
        use Gearbox::{Automatic, Manual};
        let refused = Err(ApiError::invalid(
            "licence",
            "C2驾照只能驾驶自动挡车型，该车型为手动挡",
        ));
        for (licence, gearbox, result) in [
            (Some(Licence::C2), Some(Manual), refused),
            (Some(Licence::C2), Some(Automatic), Ok(())),
            (Some(Licence::C2), None, Ok(())),
            (Some(Licence::C1), Some(Manual), Ok(())),
            (Some(Licence::C1), Some(Automatic), Ok(())),
            (None, Some(Manual), Ok(())),
            (None, None, Ok(())),
        ] {
            assert_eq!(
                check_licence(licence, gearbox),
                result,
                "{licence:?} {gearbox:?}"
            );
        }
    }

    #[test]
    fn consent_must_be_to_the_current_privacy_notice() {
        let missing = "请先阅读并同意《个人信息保护说明》";
        let outdated = "隐私说明已更新，请重新阅读并同意";
        for (version, result) in [
            (Some(PRIVACY_NOTICE_VERSION), Ok(())),
            (Some("2026-12-01"), Ok(())),
            (None, Err(missing)),
            (Some(""), Err(missing)),
            (Some("  "), Err(missing)),
            (Some("2025-01-01"), Err(outdated)),
            (Some("yes"), Err(outdated)),
        ] {
            let expected = result.map_err(|message| ApiError::invalid("consent", message));
            assert_eq!(
                check_consent(version, PRIVACY_NOTICE_VERSION),
                expected,
                "{version:?}"
            );
        }
        // A dealer who changed the notice's contact asks for consent to its new version.
        let revised = privacy_version(1);
        assert_eq!(revised, format!("{PRIVACY_NOTICE_VERSION}.1"));
        assert_eq!(check_consent(Some(&revised), &revised), Ok(()));
        assert_eq!(
            check_consent(Some(PRIVACY_NOTICE_VERSION), &revised),
            Err(ApiError::invalid("consent", outdated))
        );
        assert_eq!(privacy_version(0), PRIVACY_NOTICE_VERSION);
    }

    #[test]
    fn phone_characters_fold_exactly_as_nfkc_does() {
        use unicode_normalization::UnicodeNormalization;
        let phone_char = |c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | ' ');
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let nfkc: String = c.to_string().nfkc().collect();
            let mut ours = String::new();
            push_phone_nfkc(c, &mut ours);
            if !nfkc.is_empty() && nfkc.chars().all(phone_char) {
                assert_eq!(ours, nfkc, "U+{:04X}", u32::from(c));
            } else {
                assert_eq!(
                    ours,
                    c.to_string(),
                    "U+{:04X} is no phone character",
                    u32::from(c)
                );
            }
        }
    }
}
