//! A staff member's public card (名片): the profile they edit in the console (name, title,
//! work phone, WeChat id and the handle of their showcase's URL) with its rules, and the card
//! the showcase and the landing pages show a visitor.

use serde::{Deserialize, Serialize};

use crate::contact::{self, normalize_phone};
use crate::error::ApiError;

/// A staff member's profile as they edit it (`GET`/`PUT /api/v1/console/profile`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// 姓名, as the card shows it.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20))]
    pub name: String,
    /// 职位: 销售顾问, 销售经理 ...
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 12))]
    pub title: String,
    /// The work phone a customer taps to call: a mobile, a landline or a 400/800 number.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub phone: String,
    /// 微信号 (optional).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub wechat: Option<String>,
    /// The showcase's URL name (`/{dealer}/c/{handle}`), unique within the dealer.
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 20))]
    pub handle: String,
}

/// The longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 12;
/// A handle's length, in letters.
pub const HANDLE_MIN: usize = 2;
pub const HANDLE_MAX: usize = 20;
/// A WeChat id's length, in characters.
pub const WECHAT_MIN: usize = 6;
pub const WECHAT_MAX: usize = 20;

impl Profile {
    /// The profile as stored: every field checked and cleaned (trimmed; the phone as digits;
    /// the handle in lower case). `login` is the staff member's sign-in name, which the
    /// public handle may not reveal. The first broken rule names its field.
    pub fn validate(&self, login: &str) -> Result<Profile, ApiError> {
        Ok(Profile {
            name: contact::validate_name(&self.name)?,
            title: validate_title(&self.title)?,
            phone: validate_work_phone(&self.phone)?,
            wechat: validate_wechat(self.wechat.as_deref().unwrap_or_default())?,
            handle: validate_handle(&self.handle, login)?,
        })
    }
}

/// 职位: 1–12 characters of plain text.
pub fn validate_title(input: &str) -> Result<String, ApiError> {
    let title = input.trim();
    if title.is_empty() {
        return Err(ApiError::invalid("title", "请填写职位，如销售顾问"));
    }
    if title.chars().count() > TITLE_MAX_CHARS {
        return Err(ApiError::invalid("title", "职位最多12个字"));
    }
    crate::text::check_line(title, "title", "职位")?;
    Ok(title.to_owned())
}

/// A number a customer can call, as digits: a mainland mobile (11 digits, `+86` dropped),
/// a landline with its area code (`0` then 9–11 digits) or a 400/800 service number.
pub fn validate_work_phone(input: &str) -> Result<String, ApiError> {
    let phone = normalize_phone(input);
    if phone.is_empty() {
        return Err(ApiError::invalid("phone", "请填写工作电话"));
    }
    let b = phone.as_bytes();
    let digits = b.iter().all(u8::is_ascii_digit);
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = (10..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0';
    let service = b.len() == 10 && (phone.starts_with("400") || phone.starts_with("800"));
    if digits && (mobile || landline || service) {
        Ok(phone)
    } else {
        Err(ApiError::invalid(
            "phone",
            "请输入正确的电话：手机号，或带区号的座机号",
        ))
    }
}

/// 微信号: empty (none), or 6–20 letters, digits, `_` and `-` starting with a letter, as
/// WeChat itself allows.
pub fn validate_wechat(input: &str) -> Result<Option<String>, ApiError> {
    let id = input.trim();
    if id.is_empty() {
        return Ok(None);
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let ok = (WECHAT_MIN..=WECHAT_MAX).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id.chars().all(allowed);
    if ok {
        Ok(Some(id.to_owned()))
    } else {
        Err(ApiError::invalid(
            "wechat",
            "微信号为6-20位字母、数字、下划线或减号，以字母开头",
        ))
    }
}

/// The showcase's URL name: 2–20 lower-case letters, digits and single `-` between them,
/// starting with a letter (`wang`, `li-na`), and not the sign-in name (`login`), so the
/// public page gives no half of a password guess away. Upper case is folded.
pub fn validate_handle(input: &str, login: &str) -> Result<String, ApiError> {
    let handle = input.trim().to_ascii_lowercase();
    if handle.is_empty() {
        return Err(ApiError::invalid("handle", "请填写名片网址"));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    let shape = (HANDLE_MIN..=HANDLE_MAX).contains(&handle.len())
        && handle.starts_with(|c: char| c.is_ascii_lowercase())
        && !handle.ends_with('-')
        && !handle.contains("--")
        && handle.chars().all(allowed);
    if !shape {
        return Err(ApiError::invalid(
            "handle",
            "名片网址为2-20位小写字母、数字或减号，以字母开头",
        ));
    }
    if handle.eq_ignore_ascii_case(login.trim()) {
        return Err(ApiError::invalid(
            "handle",
            "名片网址不能与登录账号相同，请另取一个",
        ));
    }
    Ok(handle)
}

/// The message when a colleague of the same dealer has the handle already.
pub const HANDLE_TAKEN: &str = "这个名片网址已被同事使用，请换一个";

/// A consultant's card as a visitor sees it
/// (`GET /api/v1/dealers/{dealer}/consultants/{handle}`, `GET .../my-consultant`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsultantCard {
    pub handle: String,
    pub name: String,
    pub title: String,
    /// The work phone as digits (see [`display_phone`] and [`tel_href`]).
    pub phone: String,
    pub wechat: Option<String>,
}

/// A phone number as people read it: `138 0013 8000`, `0571-8888 1234`, `010-8888 1234`,
/// `400-888-1234`; anything else as it is.
pub fn display_phone(digits: &str) -> String {
    let ascii = digits.bytes().all(|b| b.is_ascii_digit());
    if !ascii {
        return digits.to_owned();
    }
    let (a, rest) = match digits.len() {
        11 if digits.starts_with('1') => (&digits[..3], &digits[3..]),
        10 if digits.starts_with("400") || digits.starts_with("800") => {
            return format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]);
        }
        // Beijing (010) and the big cities' 02x have three-digit area codes; the rest four.
        10..=12 if digits.starts_with("01") || digits.starts_with("02") => {
            (&digits[..3], &digits[3..])
        }
        10..=12 if digits.starts_with('0') => (&digits[..4], &digits[4..]),
        _ => return digits.to_owned(),
    };
    let (b, c) = rest.split_at(rest.len() - 4);
    let joint = if a.starts_with('1') { " " } else { "-" };
    format!("{a}{joint}{b} {c}")
}

/// The `tel:` link that dials the number.
pub fn tel_href(digits: &str) -> String {
    let dial: String = digits
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{dial}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(result: Result<impl std::fmt::Debug, ApiError>) -> Option<String> {
        result.err().and_then(|e| e.field)
    }

    #[test]
    fn titles_are_short_plain_text() {
        for (input, expected) in [
            ("销售顾问", Some("销售顾问")),
            ("  高级销售顾问 ", Some("高级销售顾问")),
            ("一二三四五六七八九十一二", Some("一二三四五六七八九十一二")),
            ("一二三四五六七八九十一二三", None),
            ("", None),
            ("   ", None),
            ("销售\u{7}顾问", None),
            ("销售\u{2029}顾问", None),
            ("销售\u{F8FF}", None),
        ] {
            assert_eq!(validate_title(input).ok().as_deref(), expected, "{input:?}");
        }
    }

    #[test]
    fn work_phones_are_mobiles_landlines_or_service_numbers() {
        for (input, expected) in [
            ("13800138000", Some("13800138000")),
            ("+86 138-0013-8000", Some("13800138000")),
            ("１３８００１３８０００", Some("13800138000")),
            ("0571-8888 1234", Some("057188881234")),
            ("010-88881234", Some("01088881234")),
            ("0571-0000 0102", Some("057100000102")),
            ("400-888-1234", Some("4008881234")),
            ("88881234", None),
            ("12800138000", None),
            ("0012345678", None),
            ("138001380001", None),
            ("13800l38000", None),
            ("", None),
        ] {
            assert_eq!(
                validate_work_phone(input).ok().as_deref(),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn wechat_ids_follow_wechats_rule_and_may_be_left_out() {
        for (input, expected) in [
            ("", Ok(None)),
            ("  ", Ok(None)),
            ("wanglei_88", Ok(Some("wanglei_88"))),
            (" Wang-Lei ", Ok(Some("Wang-Lei"))),
            ("abcdef", Ok(Some("abcdef"))),
            ("abcde", Err(())),
            ("8wanglei", Err(())),
            ("wang lei", Err(())),
            ("王磊wanglei", Err(())),
            ("a23456789012345678901", Err(())),
        ] {
            let got = validate_wechat(input).map_err(|e| {
                assert_eq!(e.field.as_deref(), Some("wechat"));
            });
            assert_eq!(
                got.as_ref().map(|o| o.as_deref()).map_err(|_| ()),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn handles_are_url_names_that_hide_the_login() {
        for (input, login, expected) in [
            ("wang", "demo-wang", Ok("wang")),
            (" Li-Na ", "demo-li", Ok("li-na")),
            ("w2", "demo-wang", Ok("w2")),
            ("a2345678901234567890", "x", Ok("a2345678901234567890")),
            (
                "demo-wang",
                "demo-wang",
                Err("名片网址不能与登录账号相同，请另取一个"),
            ),
            (
                "DEMO-WANG",
                "demo-wang",
                Err("名片网址不能与登录账号相同，请另取一个"),
            ),
            (
                "w",
                "x",
                Err("名片网址为2-20位小写字母、数字或减号，以字母开头"),
            ),
            (
                "2wang",
                "x",
                Err("名片网址为2-20位小写字母、数字或减号，以字母开头"),
            ),
            (
                "wang-",
                "x",
                Err("名片网址为2-20位小写字母、数字或减号，以字母开头"),
            ),
            (
                "wa--ng",
                "x",
                Err("名片网址为2-20位小写字母、数字或减号，以字母开头"),
            ),
            (
                "wang/lei",
                "x",
                Err("名片网址为2-20位小写字母、数字或减号，以字母开头"),
            ),
            (
                "wang lei",
                "x",
                Err("名片网址为2-20位小写字母、数字或减号，以字母开头"),
            ),
            (
                "王磊",
                "x",
                Err("名片网址为2-20位小写字母、数字或减号，以字母开头"),
            ),
            (
                "a23456789012345678901",
                "x",
                Err("名片网址为2-20位小写字母、数字或减号，以字母开头"),
            ),
            ("", "x", Err("请填写名片网址")),
        ] {
            let got = validate_handle(input, login);
            match expected {
                Ok(handle) => assert_eq!(got.as_deref(), Ok(handle), "{input:?}"),
                Err(message) => {
                    let e = got.unwrap_err();
                    assert_eq!(
                        (e.field.as_deref(), e.message.as_str()),
                        (Some("handle"), message),
                        "{input:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_profile_is_cleaned_whole_and_names_its_first_bad_field() {
        let typed = Profile {
            name: " 王磊 ".into(),
            title: " 销售顾问".into(),
            phone: "138 0013 8000".into(),
            wechat: Some(" ".into()),
            handle: "Wang".into(),
        };
        assert_eq!(
            typed.validate("demo-wang"),
            Ok(Profile {
                name: "王磊".into(),
                title: "销售顾问".into(),
                phone: "13800138000".into(),
                wechat: None,
                handle: "wang".into(),
            })
        );
        type Breaks = fn(&mut Profile);
        let cases: [(Breaks, &str); 5] = [
            (|p| p.name = String::new(), "name"),
            (|p| p.title = "x".repeat(13), "title"),
            (|p| p.phone = "123".into(), "phone"),
            (|p| p.wechat = Some("1abcdef".into()), "wechat"),
            (|p| p.handle = "demo-wang".into(), "handle"),
        ];
        for (breaks, name) in cases {
            let mut bad = typed.clone();
            breaks(&mut bad);
            assert_eq!(field(bad.validate("demo-wang")).as_deref(), Some(name));
        }
    }

    #[test]
    fn phones_are_shown_grouped_and_dialled_as_digits() {
        for (digits, shown) in [
            ("13800138000", "138 0013 8000"),
            ("057188881234", "0571-8888 1234"),
            ("01088881234", "010-8888 1234"),
            ("02088881234", "020-8888 1234"),
            ("4008881234", "400-888-1234"),
            ("12345", "12345"),
            ("0571-0000 0102", "0571-0000 0102"),
        ] {
            assert_eq!(display_phone(digits), shown, "{digits}");
        }
        assert_eq!(tel_href("057188881234"), "tel:057188881234");
        assert_eq!(tel_href("0571-0000 0102"), "tel:057100000102");
    }
}
