//! Proving a phone: a browser sees what it made itself, and everything else tied to a phone
//! only after proving the phone with a one-time SMS code (or, inside WeChat, as the car owner
//! whose WeChat is bound). The requests, the code's shape and the limits both sides show.

use serde::{Deserialize, Serialize};

use crate::contact;
use crate::ApiError;

/// Digits in a code.
pub const CODE_DIGITS: usize = 6;
/// Seconds a code stays good.
pub const CODE_SECONDS: u32 = 5 * 60;
/// Seconds before another code may be sent to the same phone.
pub const RESEND_SECONDS: u32 = 60;
/// Codes one phone may be sent in 24 hours.
pub const SENDS_PER_PHONE_PER_DAY: u32 = 5;
/// Codes one address may ask for in 24 hours (many phones share a carrier's address).
pub const SENDS_PER_ADDRESS_PER_DAY: u32 = 30;
/// Wrong codes tried before a code is spent.
pub const MAX_ATTEMPTS: u32 = 5;
/// Days a proven phone is remembered in this browser.
pub const PROOF_DAYS: u32 = 30;

/// `POST .../me/phone-code`: send a code to this phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneCodeRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub phone: String,
}

impl PhoneCodeRequest {
    /// The phone, normalised, or a field error.
    pub fn validate(&self) -> Result<String, ApiError> {
        contact::validate_phone(&self.phone)
    }
}

/// The answer to a code sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneCodeSent {
    /// The number it went to, masked.
    pub phone: String,
    /// Seconds before another may be asked for.
    pub resend_after: u32,
    /// Seconds the code stays good.
    pub expires_in: u32,
}

/// `POST .../me/phone-proof`: the code received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneProofRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub phone: String,
    /// Six digits (full-width digits and spaces are accepted).
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub code: String,
}

/// A checked proof request: the normalised phone and the six digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneProof {
    pub phone: String,
    pub code: String,
}

impl PhoneProofRequest {
    /// The phone and code, normalised, or the first field error.
    pub fn validate(&self) -> Result<PhoneProof, ApiError> {
        let phone = contact::validate_phone(&self.phone)?;
        let code = validate_code(&self.code)?;
        Ok(PhoneProof { phone, code })
    }
}

/// Six digits; full-width digits typed with a Chinese IME and spaces are accepted.
pub fn validate_code(input: &str) -> Result<String, ApiError> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    if digits.is_empty() {
        return Err(ApiError::invalid("code", "请输入短信验证码"));
    }
    if digits.len() != CODE_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid("code", "验证码为6位数字"));
    }
    Ok(digits)
}

/// How this browser's view of `/me` came about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proof {
    /// The phone this browser proved (SMS code, or the owner's bound WeChat), in full: then
    /// everything tied to it is shown. `None`: only what this browser made.
    pub phone: Option<String>,
    /// `sms` or `wechat`, when proved.
    pub by: Option<String>,
    /// Whether this dealer's site can send SMS codes; without it the page says so.
    pub sms: bool,
}

/// What the page says about what it cannot show yet.
pub fn hidden_note(sms: bool) -> &'static str {
    if sms {
        "其他设备或顾问代约的预约需验证手机号后查看。"
    } else {
        "其他设备或顾问代约的预约需验证手机号后查看；本站未开通短信验证，请联系门店。"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_typed_any_way() {
        for (input, ok) in [
            ("123456", Some("123456")),
            (" 123 456 ", Some("123456")),
            ("１２３４５６", Some("123456")),
            ("12345", None),
            ("1234567", None),
            ("12345a", None),
            ("", None),
        ] {
            assert_eq!(validate_code(input).ok().as_deref(), ok, "{input:?}");
        }
        assert_eq!(validate_code("").unwrap_err().message, "请输入短信验证码");
        assert_eq!(
            validate_code("1").unwrap_err().field.as_deref(),
            Some("code")
        );
    }

    #[test]
    fn a_proof_request_names_the_field_that_is_wrong() {
        let bad_phone = PhoneProofRequest {
            phone: "123".into(),
            code: "123456".into(),
        };
        assert_eq!(
            bad_phone.validate().unwrap_err().field.as_deref(),
            Some("phone")
        );
        let good = PhoneProofRequest {
            phone: "+86 138 1234 5678".into(),
            code: "６５４３２１".into(),
        };
        assert_eq!(
            good.validate().unwrap(),
            PhoneProof {
                phone: "13812345678".into(),
                code: "654321".into()
            }
        );
    }
}
