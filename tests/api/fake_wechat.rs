//! A local fake of WeChat's API on 127.0.0.1:0, following its documented endpoints:
//! `GET /cgi-bin/token?grant_type=client_credential&appid=..&secret=..` →
//! `{"access_token","expires_in":7200}` or `{"errcode":40001,"errmsg":"invalid credential"}`,
//! and `GET /cgi-bin/ticket/getticket?access_token=..&type=jsapi` →
//! `{"errcode":0,"errmsg":"ok","ticket","expires_in":7200}` or
//! `{"errcode":42001,"errmsg":"access_token expired"}`; OAuth (`GET /connect/oauth2/authorize`
//! sends the browser back to `redirect_uri?code=..&state=..`, and
//! `GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code` answers
//! `{"access_token","expires_in","refresh_token","openid","scope"}` once per code, else
//! `{"errcode":40029,"errmsg":"invalid code"}`); and subscription messages
//! (`POST /cgi-bin/message/subscribe/bizsend?access_token=..` with
//! `{"touser","template_id","page","data"}` → `{"errcode":0,"errmsg":"ok"}`, 42001 for a
//! token it did not hand out, 47003 for a missing argument). It counts its calls, can expire its
//! tokens, go down, and hand out short-lived tickets. It also serves `/jweixin.js`, a stand-in
//! for WeChat's JS-SDK that records what `wx.config` and the share calls receive (in
//! `window.__wx`), for the browser test. Shared by the API and browser tests.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;

/// The official account the fake accepts.
pub const APP_ID: &str = "wx1234567890abcdef";
pub const SECRET: &str = "0123456789abcdef0123456789abcdef";

/// How long the fake takes to answer a token request: long enough for concurrent signing
/// requests to arrive while the first fetch is under way.
const TOKEN_DELAY: Duration = Duration::from_millis(200);

#[derive(Clone, Default)]
pub struct FakeWeChat {
    /// `http://127.0.0.1:{port}`.
    pub url: String,
    state: Arc<Fake>,
}

#[derive(Default)]
struct Fake {
    token_calls: AtomicUsize,
    ticket_calls: AtomicUsize,
    tokens: Mutex<HashSet<String>>,
    last_ticket: Mutex<String>,
    /// Seconds a ticket lasts; 0 means WeChat's 7,200.
    ticket_expires_in: AtomicI64,
    down: AtomicBool,
    /// OAuth codes handed out and not yet exchanged, with the openid each names.
    codes: Mutex<HashMap<String, String>>,
    code_calls: AtomicUsize,
    /// Subscription messages accepted, in order.
    messages: Mutex<Vec<serde_json::Value>>,
    send_calls: AtomicUsize,
    /// The next this many messages fail with WeChat's "system busy" (-1).
    failing_sends: AtomicUsize,
}

impl FakeWeChat {
    /// Serves the fake on a free loopback port.
    pub async fn start() -> Self {
        let state = Arc::new(Fake::default());
        let app = Router::new()
            .route("/cgi-bin/token", get(token))
            .route("/cgi-bin/ticket/getticket", get(ticket))
            .route("/jweixin.js", get(jweixin))
            .route("/connect/oauth2/authorize", get(authorize))
            .route("/sns/oauth2/access_token", get(oauth_token))
            .route("/cgi-bin/message/subscribe/bizsend", post(bizsend))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake WeChat");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("serve the fake WeChat");
        });
        Self { url, state }
    }

    /// The fake JS-SDK script's URL.
    pub fn script(&self) -> String {
        format!("{}/jweixin.js", self.url)
    }

    pub fn token_calls(&self) -> usize {
        self.state.token_calls.load(Ordering::SeqCst)
    }

    pub fn ticket_calls(&self) -> usize {
        self.state.ticket_calls.load(Ordering::SeqCst)
    }

    /// The ticket handed out last.
    pub fn last_ticket(&self) -> String {
        self.state.last_ticket.lock().unwrap().clone()
    }

    /// Every access_token handed out so far stops working (42001 on the ticket endpoint).
    pub fn expire_tokens(&self) {
        self.state.tokens.lock().unwrap().clear();
    }

    /// Tickets handed out from now on last `seconds`.
    pub fn tickets_last(&self, seconds: i64) {
        self.state
            .ticket_expires_in
            .store(seconds, Ordering::SeqCst);
    }

    /// The subscription messages accepted so far.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        self.state.messages.lock().unwrap().clone()
    }

    /// Subscription messages asked for, accepted or not.
    pub fn send_calls(&self) -> usize {
        self.state.send_calls.load(Ordering::SeqCst)
    }

    /// The next `n` subscription messages fail (`{"errcode":-1,"errmsg":"system error"}`).
    pub fn fail_sends(&self, n: usize) {
        self.state.failing_sends.store(n, Ordering::SeqCst);
    }

    /// WeChat answers 503 to everything (or works again).
    pub fn set_down(&self, down: bool) {
        self.state.down.store(down, Ordering::SeqCst);
    }
}

type Params = Query<HashMap<String, String>>;

async fn token(State(fake): State<Arc<Fake>>, Query(params): Params) -> Response {
    let n = fake.token_calls.fetch_add(1, Ordering::SeqCst) + 1;
    tokio::time::sleep(TOKEN_DELAY).await;
    if fake.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let param = |key: &str| params.get(key).map(String::as_str);
    if param("grant_type") != Some("client_credential")
        || param("appid") != Some(APP_ID)
        || param("secret") != Some(SECRET)
    {
        return axum::Json(json!({"errcode": 40001, "errmsg": "invalid credential"}))
            .into_response();
    }
    let token = format!("ACCESS-TOKEN-{n}");
    fake.tokens.lock().unwrap().insert(token.clone());
    axum::Json(json!({"access_token": token, "expires_in": 7200})).into_response()
}

async fn ticket(State(fake): State<Arc<Fake>>, Query(params): Params) -> Response {
    let n = fake.ticket_calls.fetch_add(1, Ordering::SeqCst) + 1;
    if fake.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let token = params.get("access_token").cloned().unwrap_or_default();
    let valid = fake.tokens.lock().unwrap().contains(&token);
    if !valid || params.get("type").map(String::as_str) != Some("jsapi") {
        return axum::Json(json!({"errcode": 42001, "errmsg": "access_token expired"}))
            .into_response();
    }
    let ticket = format!("JSAPI-TICKET-{n}");
    *fake.last_ticket.lock().unwrap() = ticket.clone();
    let lasts = match fake.ticket_expires_in.load(Ordering::SeqCst) {
        0 => 7200,
        seconds => seconds,
    };
    axum::Json(json!({"errcode": 0, "errmsg": "ok", "ticket": ticket, "expires_in": lasts}))
        .into_response()
}

/// WeChat's consent page for `snsapi_base`: no prompt, straight back with a fresh code.
async fn authorize(State(fake): State<Arc<Fake>>, Query(params): Params) -> Response {
    let param = |key: &str| params.get(key).cloned().unwrap_or_default();
    if param("appid") != APP_ID
        || param("response_type") != "code"
        || param("scope") != "snsapi_base"
    {
        return (StatusCode::BAD_REQUEST, "参数错误").into_response();
    }
    let n = fake.code_calls.fetch_add(1, Ordering::SeqCst) + 1;
    let code = format!("OAUTH-CODE-{n}");
    fake.codes
        .lock()
        .unwrap()
        .insert(code.clone(), format!("OPENID-{n}"));
    let back = reqwest::Url::parse_with_params(
        &param("redirect_uri"),
        [("code", code.as_str()), ("state", param("state").as_str())],
    );
    match back {
        Ok(url) => (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "redirect_uri 参数错误").into_response(),
    }
}

async fn oauth_token(State(fake): State<Arc<Fake>>, Query(params): Params) -> Response {
    let param = |key: &str| params.get(key).map(String::as_str);
    if param("appid") != Some(APP_ID)
        || param("secret") != Some(SECRET)
        || param("grant_type") != Some("authorization_code")
    {
        return axum::Json(json!({"errcode": 40001, "errmsg": "invalid credential"}))
            .into_response();
    }
    let openid = fake
        .codes
        .lock()
        .unwrap()
        .remove(param("code").unwrap_or_default());
    match openid {
        Some(openid) => axum::Json(json!({
            "access_token": "OAUTH-ACCESS", "expires_in": 7200, "refresh_token": "OAUTH-REFRESH",
            "openid": openid, "scope": "snsapi_base"
        }))
        .into_response(),
        None => axum::Json(json!({"errcode": 40029, "errmsg": "invalid code"})).into_response(),
    }
}

async fn bizsend(
    State(fake): State<Arc<Fake>>,
    Query(params): Params,
    axum::Json(body): axum::Json<serde_json::Value>,
) -> Response {
    fake.send_calls.fetch_add(1, Ordering::SeqCst);
    if fake.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let token = params.get("access_token").cloned().unwrap_or_default();
    if !fake.tokens.lock().unwrap().contains(&token) {
        return axum::Json(json!({"errcode": 42001, "errmsg": "access_token expired"}))
            .into_response();
    }
    let given = |key: &str| body.get(key).is_some_and(|v| !v.is_null());
    if !(given("touser") && given("template_id") && given("data")) {
        return axum::Json(json!({"errcode": 47003, "errmsg": "argument invalid!"}))
            .into_response();
    }
    let failing = fake.failing_sends.load(Ordering::SeqCst);
    if failing > 0 {
        fake.failing_sends.store(failing - 1, Ordering::SeqCst);
        return axum::Json(json!({"errcode": -1, "errmsg": "system error"})).into_response();
    }
    fake.messages.lock().unwrap().push(body);
    axum::Json(json!({"errcode": 0, "errmsg": "ok"})).into_response()
}

/// A JS-SDK that keeps what it is given: `wx.config`'s options and each share call's data, in
/// `window.__wx`; `wx.ready` runs its callback once configured, as WeChat's does.
async fn jweixin() -> Response {
    const SCRIPT: &str = r#"(function () {
  var rec = window.__wx = { configs: [], app: [], timeline: [], ready: 0 };
  var configured = false, waiting = [];
  window.wx = {
    config: function (o) {
      rec.configs.push(JSON.parse(JSON.stringify(o)));
      configured = true;
      setTimeout(function () { var w = waiting; waiting = []; w.forEach(function (f) { rec.ready++; f(); }); }, 0);
    },
    ready: function (f) { if (configured) { setTimeout(function () { rec.ready++; f(); }, 0); } else { waiting.push(f); } },
    error: function () {},
    updateAppMessageShareData: function (d) { rec.app.push({ title: d.title, desc: d.desc, link: d.link, imgUrl: d.imgUrl }); if (d.success) d.success(); },
    updateTimelineShareData: function (d) { rec.timeline.push({ title: d.title, link: d.link, imgUrl: d.imgUrl }); if (d.success) d.success(); }
  };
})();"#;
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}
