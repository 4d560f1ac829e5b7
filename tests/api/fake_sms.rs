//! A local fake of Aliyun's SMS API (dysmsapi) on 127.0.0.1:0, following its documented RPC
//! protocol: `GET /?Action=SendSms&Version=2017-05-25&AccessKeyId=..&PhoneNumbers=..&SignName=..
//! &TemplateCode=..&TemplateParam={"code":".."}&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0
//! &SignatureNonce=..&Timestamp=..&Format=JSON&Signature=..` → `{"Code":"OK","Message":"OK",
//! "BizId","RequestId"}`; an unknown AccessKeyId is `InvalidAccessKeyId.NotFound`, a signature
//! that does not match the query `SignatureDoesNotMatch`, a missing parameter
//! `MissingParameter`. It recomputes the signature from the query it received (so what the
//! server sends is what it signed) and records each message, so a test can read the code.
//! Shared by the API and browser tests.

use std::sync::{Arc, Mutex};

use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

/// The account the fake accepts.
pub const KEY_ID: &str = "LTAI-test-key";
pub const KEY_SECRET: &str = "test-secret-0123456789";
pub const SIGN_NAME: &str = "车链";
pub const TEMPLATE: &str = "SMS_123456789";

/// One message the fake accepted.
#[derive(Clone, Debug)]
pub struct Message {
    pub phone: String,
    pub code: String,
}

#[derive(Clone, Default)]
pub struct FakeSms {
    /// `http://127.0.0.1:{port}/`.
    pub url: String,
    messages: Arc<Mutex<Vec<Message>>>,
}

impl FakeSms {
    /// Serves the fake on a free loopback port.
    pub async fn start() -> Self {
        let messages = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/", get(send_sms))
            .with_state(messages.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake SMS API");
        let url = format!("http://{}/", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("serve the fake SMS API");
        });
        Self { url, messages }
    }

    /// The server's configuration pointing at this fake.
    pub fn config(&self) -> server::sms::SmsConfig {
        server::sms::SmsConfig {
            provider: server::sms::Provider::Aliyun,
            key_id: KEY_ID.into(),
            key_secret: server::sms::Secret(KEY_SECRET.into()),
            sign_name: SIGN_NAME.into(),
            template: TEMPLATE.into(),
            endpoint: self.url.clone(),
        }
    }

    /// Every message sent to `phone`, oldest first.
    pub fn sent_to(&self, phone: &str) -> Vec<Message> {
        self.messages
            .lock()
            .expect("messages")
            .iter()
            .filter(|m| m.phone == phone)
            .cloned()
            .collect()
    }

    /// The code in the latest message to `phone`.
    pub fn last_code(&self, phone: &str) -> String {
        self.sent_to(phone)
            .last()
            .unwrap_or_else(|| panic!("no SMS to {phone}"))
            .code
            .clone()
    }
}

fn answer(code: &str, message: &str) -> Json<serde_json::Value> {
    Json(
        json!({ "Code": code, "Message": message, "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990" }),
    )
}

async fn send_sms(
    State(messages): State<Arc<Mutex<Vec<Message>>>>,
    RawQuery(query): RawQuery,
) -> Json<serde_json::Value> {
    let query = query.unwrap_or_default();
    let mut params: Vec<(String, String)> = Vec::new();
    let mut signature = None;
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k == "Signature" {
            signature = Some(percent_decode(v));
        } else {
            params.push((percent_decode(k), percent_decode(v)));
        }
    }
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    for required in [
        "AccessKeyId",
        "Action",
        "PhoneNumbers",
        "SignName",
        "TemplateCode",
        "TemplateParam",
        "SignatureNonce",
        "Timestamp",
    ] {
        if get(required).is_none() {
            return answer("MissingParameter", required);
        }
    }
    if get("AccessKeyId").as_deref() != Some(KEY_ID) {
        return answer(
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        );
    }
    if signature.as_deref() != Some(&server::sms::aliyun_signature(&params, KEY_SECRET)) {
        return answer(
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation.",
        );
    }
    if get("Action").as_deref() != Some("SendSms") || get("SignName").as_deref() != Some(SIGN_NAME)
    {
        return answer("isv.SMS_SIGNATURE_ILLEGAL", "签名不合法");
    }
    let param: serde_json::Value =
        serde_json::from_str(&get("TemplateParam").unwrap_or_default()).unwrap_or_default();
    let Some(code) = param.get("code").and_then(|c| c.as_str()) else {
        return answer("isv.TEMPLATE_PARAMS_ILLEGAL", "模板变量不合法");
    };
    messages.lock().expect("messages").push(Message {
        phone: get("PhoneNumbers").unwrap_or_default(),
        code: code.to_string(),
    });
    Json(
        json!({ "Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5" }),
    )
}

/// `%XX` back to bytes (the query is RFC 3986 encoded; `+` is not a space there).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
