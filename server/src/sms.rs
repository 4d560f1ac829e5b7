//! Sending a one-time code by SMS through the provider the server is configured with
//! (`CHELINK_SMS=aliyun|tencent`, see the README): Aliyun's dysmsapi `SendSms` (RPC style,
//! signed with HMAC-SHA1 over the canonicalised query) or Tencent Cloud's `SendSms`
//! (2021-01-11, signed with TC3-HMAC-SHA256). The signatures are pure functions with tests;
//! the endpoint can be pointed at a local fake. Secrets never print: `Secret` debugs as
//! `[redacted]`, and request errors drop their URL (whose query carries the signature).

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Aliyun's SMS endpoint, unless told otherwise.
pub const ALIYUN_ENDPOINT: &str = "https://dysmsapi.aliyuncs.com/";
/// Tencent Cloud's SMS endpoint, unless told otherwise.
pub const TENCENT_ENDPOINT: &str = "https://sms.tencentcloudapi.com/";

/// A secret that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Which provider, with its account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Provider {
    Aliyun,
    Tencent {
        /// `SmsSdkAppId`.
        app_id: String,
        /// `X-TC-Region`, `ap-guangzhou` unless told otherwise.
        region: String,
    },
}

/// How the server sends SMS: `None` when no provider is configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsConfig {
    pub provider: Provider,
    pub key_id: String,
    pub key_secret: Secret,
    /// The approved signature (签名), e.g. `车链`.
    pub sign_name: String,
    /// The approved template (Aliyun `SMS_...`, Tencent a number) with one parameter, the code
    /// (Aliyun `${code}`; Tencent `{1}`).
    pub template: String,
    pub endpoint: String,
}

impl SmsConfig {
    /// Reads `CHELINK_SMS` (`aliyun`, `tencent`, or unset: no SMS), `CHELINK_SMS_KEY_ID`,
    /// `CHELINK_SMS_KEY_SECRET`, `CHELINK_SMS_SIGN_NAME`, `CHELINK_SMS_TEMPLATE`,
    /// `CHELINK_SMS_APP_ID` and `CHELINK_SMS_REGION` (Tencent), `CHELINK_SMS_ENDPOINT`.
    pub fn from_lookup(set: impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<Self>> {
        let Some(kind) = set("CHELINK_SMS") else {
            return Ok(None);
        };
        let need = |key: &str| {
            set(key)
                .map(|v| v.trim().to_string())
                .ok_or_else(|| anyhow::anyhow!("CHELINK_SMS={kind} needs {key}"))
        };
        let (provider, endpoint) = match kind.trim() {
            "aliyun" => (Provider::Aliyun, ALIYUN_ENDPOINT),
            "tencent" => (
                Provider::Tencent {
                    app_id: need("CHELINK_SMS_APP_ID")?,
                    region: set("CHELINK_SMS_REGION").unwrap_or_else(|| "ap-guangzhou".into()),
                },
                TENCENT_ENDPOINT,
            ),
            other => anyhow::bail!("CHELINK_SMS must be aliyun or tencent, got {other:?}"),
        };
        let endpoint = set("CHELINK_SMS_ENDPOINT").unwrap_or_else(|| endpoint.into());
        anyhow::ensure!(
            endpoint.starts_with("https://") || endpoint.starts_with("http://"),
            "CHELINK_SMS_ENDPOINT must be an http(s) URL, got {endpoint:?}"
        );
        Ok(Some(Self {
            provider,
            key_id: need("CHELINK_SMS_KEY_ID")?,
            key_secret: Secret(need("CHELINK_SMS_KEY_SECRET")?),
            sign_name: need("CHELINK_SMS_SIGN_NAME")?,
            template: need("CHELINK_SMS_TEMPLATE")?,
            endpoint,
        }))
    }
}

/// Why a code was not sent. Prints without any secret.
#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("the SMS provider could not be reached")]
    Unreachable,
    #[error("the SMS provider refused: {0}")]
    Refused(String),
}

/// The SMS sender all requests share; `Off` without a provider.
#[derive(Clone, Debug)]
pub enum Sms {
    Off,
    On {
        config: SmsConfig,
        http: reqwest::Client,
    },
}

impl Sms {
    pub fn new(config: Option<SmsConfig>) -> Self {
        match config {
            None => Self::Off,
            Some(config) => Self::On {
                config,
                http: reqwest::Client::builder()
                    .timeout(std::time::Duration::from_secs(10))
                    .build()
                    .unwrap_or_default(),
            },
        }
    }

    pub fn is_on(&self) -> bool {
        matches!(self, Self::On { .. })
    }

    /// Sends `code` to the mainland mobile `phone` (11 digits).
    pub async fn send_code(&self, phone: &str, code: &str) -> Result<(), SmsError> {
        let Self::On { config, http } = self else {
            return Err(SmsError::Refused("no SMS provider configured".into()));
        };
        let now = unix_seconds();
        match &config.provider {
            Provider::Aliyun => {
                let nonce = format!("{:032x}", rand::random::<u128>());
                let params = aliyun_params(config, phone, code, now, &nonce);
                let query = aliyun_signed_query(&params, &config.key_secret.0);
                let url = format!("{}?{query}", config.endpoint);
                let answer = answer_of(http.get(url)).await?;
                match answer.get("Code").and_then(|c| c.as_str()) {
                    Some("OK") => Ok(()),
                    other => Err(SmsError::Refused(other.unwrap_or("?").to_string())),
                }
            }
            Provider::Tencent { app_id, region } => {
                let body = serde_json::json!({
                    "PhoneNumberSet": [format!("+86{phone}")],
                    "SmsSdkAppId": app_id,
                    "SignName": config.sign_name,
                    "TemplateId": config.template,
                    "TemplateParamSet": [code],
                })
                .to_string();
                let host = host_of(&config.endpoint);
                let auth =
                    tencent_authorization(&config.key_id, &config.key_secret.0, &host, &body, now);
                let answer = answer_of(
                    http.post(&config.endpoint)
                        .header("Authorization", auth)
                        .header("Content-Type", TENCENT_CONTENT_TYPE)
                        .header("Host", host)
                        .header("X-TC-Action", "SendSms")
                        .header("X-TC-Timestamp", now.to_string())
                        .header("X-TC-Version", "2021-01-11")
                        .header("X-TC-Region", region)
                        .body(body),
                )
                .await?;
                let response = answer.get("Response");
                let status = response
                    .and_then(|r| r.get("SendStatusSet"))
                    .and_then(|s| s.get(0))
                    .and_then(|s| s.get("Code"))
                    .and_then(|c| c.as_str());
                match status {
                    Some("Ok") => Ok(()),
                    other => {
                        let error = response
                            .and_then(|r| r.get("Error"))
                            .and_then(|e| e.get("Code"))
                            .and_then(|c| c.as_str());
                        Err(SmsError::Refused(
                            error.or(other).unwrap_or("?").to_string(),
                        ))
                    }
                }
            }
        }
    }
}

/// The provider's JSON answer to `request`; no answer, or one that is not JSON, is
/// `Unreachable` (the error, whose URL carries the signature, is dropped).
async fn answer_of(request: reqwest::RequestBuilder) -> Result<serde_json::Value, SmsError> {
    request
        .send()
        .await
        .map_err(|_| SmsError::Unreachable)?
        .json()
        .await
        .map_err(|_| SmsError::Unreachable)
}

fn unix_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `2017-07-12T02:42:19Z` for a Unix time.
fn iso8601(seconds: i64) -> String {
    let date = shared::date::Date::from_unix_days(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year,
        date.month,
        date.day,
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `2019-02-25` (UTC) for a Unix time: the date in Tencent's credential scope.
fn utc_date(seconds: i64) -> String {
    iso8601(seconds)[..10].to_string()
}

fn host_of(endpoint: &str) -> String {
    let rest = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    rest.split('/').next().unwrap_or_default().to_string()
}

/// The request parameters of Aliyun's `SendSms`, before signing.
pub fn aliyun_params(
    config: &SmsConfig,
    phone: &str,
    code: &str,
    now: i64,
    nonce: &str,
) -> Vec<(String, String)> {
    [
        ("AccessKeyId", config.key_id.clone()),
        ("Action", "SendSms".into()),
        ("Format", "JSON".into()),
        ("PhoneNumbers", phone.into()),
        ("RegionId", "cn-hangzhou".into()),
        ("SignName", config.sign_name.clone()),
        ("SignatureMethod", "HMAC-SHA1".into()),
        ("SignatureNonce", nonce.into()),
        ("SignatureVersion", "1.0".into()),
        ("TemplateCode", config.template.clone()),
        (
            "TemplateParam",
            serde_json::json!({ "code": code }).to_string(),
        ),
        ("Timestamp", iso8601(now)),
        ("Version", "2017-05-25".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Aliyun's percent-encoding (RFC 3986: only `A-Z a-z 0-9 - _ . ~` stay as they are, so a
/// space is `%20`, `*` is `%2A` and `~` stays).
pub fn aliyun_encode(text: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, KEEP).to_string()
}

/// The RPC signature of Aliyun's POP API (`SignatureVersion=1.0`): the parameters sorted by
/// name and encoded into the canonicalised query, `GET&%2F&` + its encoding is signed with
/// HMAC-SHA1 under `secret + "&"`, in base64.
pub fn aliyun_signature(params: &[(String, String)], secret: &str) -> String {
    let mut sorted: Vec<_> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let canonical = sorted
        .iter()
        .map(|(k, v)| format!("{}={}", aliyun_encode(k), aliyun_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let to_sign = format!("GET&{}&{}", aliyun_encode("/"), aliyun_encode(&canonical));
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The query to send: the parameters and their `Signature`, each encoded.
pub fn aliyun_signed_query(params: &[(String, String)], secret: &str) -> String {
    let signature = aliyun_signature(params, secret);
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([("Signature", signature.as_str())])
        .map(|(k, v)| format!("{}={}", aliyun_encode(k), aliyun_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

const TENCENT_CONTENT_TYPE: &str = "application/json; charset=utf-8";

fn hmac256(key: &[u8], message: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The `Authorization` header of Tencent Cloud's API 3.0 (TC3-HMAC-SHA256) for a JSON POST
/// to `/` of `host` with the signed headers `content-type;host`, for the service `sms`.
pub fn tencent_authorization(
    secret_id: &str,
    secret_key: &str,
    host: &str,
    payload: &str,
    timestamp: i64,
) -> String {
    let date = utc_date(timestamp);
    let canonical = format!(
        "POST\n/\n\ncontent-type:{TENCENT_CONTENT_TYPE}\nhost:{host}\n\ncontent-type;host\n{}",
        sha256_hex(payload)
    );
    let scope = format!("{date}/sms/tc3_request");
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha256_hex(&canonical)
    );
    let secret_date = hmac256(format!("TC3{secret_key}").as_bytes(), &date);
    let secret_service = hmac256(&secret_date, "sms");
    let secret_signing = hmac256(&secret_service, "tc3_request");
    let signature = hex::encode(hmac256(&secret_signing, &to_sign));
    format!(
        "TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={signature}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn aliyun_signs_its_documented_example() {
        // The worked example of Aliyun's RPC signature documentation (ECS DescribeRegions,
        // AccessKeySecret `testsecret`).
        let params = pairs(&[
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Format", "XML"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Version", "2014-05-26"),
            ("SignatureVersion", "1.0"),
        ]);
        assert_eq!(
            aliyun_signature(&params, "testsecret"),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn aliyun_encodes_as_rfc_3986_and_signs_a_send_sms() {
        assert_eq!(aliyun_encode("a b*c~d/é"), "a%20b%2Ac~d%2F%C3%A9");
        let config = SmsConfig {
            provider: Provider::Aliyun,
            key_id: "testId".into(),
            key_secret: Secret("testSecret".into()),
            sign_name: "阿里云短信测试专用".into(),
            template: "SMS_71390007".into(),
            endpoint: ALIYUN_ENDPOINT.into(),
        };
        // 2017-07-12T02:42:19Z
        let params = aliyun_params(&config, "15300000001", "123456", 1_499_827_339, "nonce-1");
        assert!(params.contains(&("Timestamp".into(), "2017-07-12T02:42:19Z".into())));
        assert!(params.contains(&("TemplateParam".into(), r#"{"code":"123456"}"#.into())));
        // Checked by hand with Python's hmac/hashlib/urllib.parse.quote(safe='~').
        assert_eq!(
            aliyun_signature(&params, "testSecret"),
            "gExWMx0L0dboYA1ojE9wkB64krE="
        );
        let query = aliyun_signed_query(&params, "testSecret");
        assert!(query.contains("SignName=%E9%98%BF%E9%87%8C"), "{query}");
        assert!(query.ends_with(&format!(
            "Signature={}",
            aliyun_encode("gExWMx0L0dboYA1ojE9wkB64krE=")
        )));
    }

    #[test]
    fn tencent_signs_with_tc3_hmac_sha256() {
        let payload = r#"{"PhoneNumberSet":["+8613800000000"],"SmsSdkAppId":"1400006666","SignName":"车链","TemplateId":"1234","TemplateParamSet":["123456"]}"#;
        // 1551113065 is 2019-02-25T16:44:25Z.
        let auth = tencent_authorization(
            "AKIDEXAMPLE",
            "SECRETEXAMPLE",
            "sms.tencentcloudapi.com",
            payload,
            1_551_113_065,
        );
        // Checked by hand with Python's hmac/hashlib following the documented steps.
        assert_eq!(
            auth,
            "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/sms/tc3_request, \
             SignedHeaders=content-type;host, Signature=94a93b98f2399c26de307bd8fd34553d2e978f2c96e8f71b23f292b3ae6a7981"
        );
    }

    #[test]
    fn the_provider_comes_from_the_environment() {
        assert_eq!(SmsConfig::from_lookup(|_| None).unwrap(), None);
        let env = |extra: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                [
                    ("CHELINK_SMS_KEY_ID", "id"),
                    ("CHELINK_SMS_KEY_SECRET", "secret"),
                    ("CHELINK_SMS_SIGN_NAME", "车链"),
                    ("CHELINK_SMS_TEMPLATE", "SMS_1"),
                ]
                .iter()
                .chain(extra)
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
            }
        };
        let aliyun = SmsConfig::from_lookup(env(&[("CHELINK_SMS", "aliyun")]))
            .unwrap()
            .unwrap();
        assert_eq!(aliyun.endpoint, ALIYUN_ENDPOINT);
        assert!(
            !format!("{aliyun:?}").contains("\"secret\""),
            "the secret never prints"
        );
        assert!(SmsConfig::from_lookup(env(&[("CHELINK_SMS", "tencent")])).is_err());
        assert!(SmsConfig::from_lookup(env(&[("CHELINK_SMS", "other")])).is_err());
        let tencent = SmsConfig::from_lookup(env(&[
            ("CHELINK_SMS", "tencent"),
            ("CHELINK_SMS_APP_ID", "1400006666"),
            ("CHELINK_SMS_ENDPOINT", "http://127.0.0.1:9/"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(tencent.endpoint, "http://127.0.0.1:9/");
        assert_eq!(host_of(&tencent.endpoint), "127.0.0.1:9");
    }
}
