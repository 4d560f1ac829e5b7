//! WeChat's API and a dealer's official-account settings. `WeChat::notify` sends a reminder as
//! a subscription message (订阅通知) and `WeChat::openid` reads a follower's openid from an
//! OAuth code (`snsapi_base`, the owner's consent to reminders). `WeChat::ticket` hands out the
//! jsapi_ticket the JS-SDK signature needs: access_token and ticket are fetched from the
//! configured API base (`CHELINK_WECHAT_API`), kept until shortly before they expire, and
//! fetched once for all the requests that need them at the same moment (one lock per
//! official account, held across the fetch). An outage or a bad credential is logged when it
//! starts and when it ends, never per request, and for a minute after a failure requests are
//! answered from it without calling WeChat again. Tokens, tickets and secrets are never
//! logged: the types holding them print as `[redacted]`, and request errors drop their URL
//! (whose query carries the secret).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::wechat::SaveWeChat;

use crate::db::Db;

/// WeChat's API, unless the server is told otherwise.
pub const DEFAULT_API: &str = "https://api.weixin.qq.com";
/// Where a follower is sent to grant an OAuth code, unless the server is told otherwise.
pub const DEFAULT_OAUTH: &str = "https://open.weixin.qq.com";
/// How long WeChat says a token and a ticket last (7,200 s); each is refreshed this much
/// before its own `expires_in` runs out, so a signature is never made with a dying ticket.
const REFRESH_EARLY: Duration = Duration::from_secs(300);
/// After a failure, requests are answered with it for this long before WeChat is asked again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);

/// WeChat's error codes for an AppID or AppSecret it does not accept.
const BAD_CREDENTIAL: [i64; 3] = [40001, 40013, 40125];
/// Its codes for an access_token that no longer works (expired, replaced, malformed).
const TOKEN_GONE: [i64; 3] = [42001, 40001, 40014];

/// Why no ticket could be had. Prints without any secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// WeChat refused the AppID or AppSecret.
    #[error("WeChat refused the AppID or AppSecret (errcode {0})")]
    Credential(i64),
    /// WeChat answered with another error code (an IP not on the account's allow list: 40164).
    #[error("WeChat refused the request (errcode {0})")]
    Refused(i64),
    /// WeChat could not be reached or answered nonsense.
    #[error("WeChat's API is unreachable or answered unexpectedly")]
    Unavailable,
}

/// The WeChat client all requests share.
#[derive(Clone, Debug)]
pub struct WeChat {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    api: String,
    oauth: String,
    script: String,
    http: reqwest::Client,
    /// One entry per AppID; its lock is held while its token or ticket is fetched.
    accounts: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Account>>>>,
}

/// What is known of one official account.
#[derive(Debug, Default)]
struct Account {
    /// SHA-256 of the secret the token was fetched with: a new secret starts afresh.
    secret: [u8; 32],
    token: Option<Expiring>,
    ticket: Option<Expiring>,
    /// The last failure and when it happened.
    failed: Option<(Instant, Failure)>,
}

/// A token or ticket and when it should be replaced.
struct Expiring {
    value: String,
    until: Instant,
}

impl std::fmt::Debug for Expiring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Expiring {
    fn new(value: String, expires_in: i64, now: Instant) -> Self {
        let lasts = Duration::from_secs(expires_in.clamp(0, 7200) as u64);
        Self {
            value,
            until: now + lasts.saturating_sub(REFRESH_EARLY),
        }
    }

    fn fresh(&self, now: Instant) -> Option<String> {
        (now < self.until).then(|| self.value.clone())
    }
}

/// `GET /cgi-bin/token` and `GET /cgi-bin/ticket/getticket` answers: a value, or an error code.
#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    errcode: i64,
    access_token: Option<String>,
    ticket: Option<String>,
    openid: Option<String>,
    #[serde(default)]
    expires_in: i64,
}

/// A subscription message to one follower: the body of
/// `POST /cgi-bin/message/subscribe/bizsend?access_token=..`; WeChat answers
/// `{"errcode":0,"errmsg":"ok"}` or an error code (43101: the follower refused it).
#[derive(Debug, Serialize)]
pub struct Notice<'a> {
    pub touser: &'a str,
    pub template_id: &'a str,
    /// The page the message opens.
    pub page: &'a str,
    /// `{"thing1":{"value":".."},"time2":{"value":".."}}`, as the template names its fields.
    pub data: serde_json::Value,
}

impl WeChat {
    /// A client of the API at `api` (`https://api.weixin.qq.com`), sending followers to
    /// `oauth` (`https://open.weixin.qq.com`) for consent, telling pages to load the JS-SDK
    /// from `script`.
    pub fn new(api: &str, oauth: &str, script: &str) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(8))
            .build()
            .unwrap_or_default();
        Self {
            inner: Arc::new(Inner {
                api: api.trim_end_matches('/').to_string(),
                oauth: oauth.trim_end_matches('/').to_string(),
                script: script.to_string(),
                http,
                accounts: Mutex::default(),
            }),
        }
    }

    /// The JS-SDK script pages load.
    pub fn script(&self) -> &str {
        &self.inner.script
    }

    /// Forgets what is known of an account (its settings changed).
    pub fn forget(&self, app_id: &str) {
        if let Ok(mut accounts) = self.inner.accounts.lock() {
            accounts.remove(app_id);
        }
    }

    /// The account's entry, locked; a new secret starts it afresh.
    async fn account(
        &self,
        app_id: &str,
        secret: &str,
    ) -> Result<tokio::sync::OwnedMutexGuard<Account>, Failure> {
        let slot = {
            let mut accounts = self
                .inner
                .accounts
                .lock()
                .map_err(|_| Failure::Unavailable)?;
            accounts.entry(app_id.to_string()).or_default().clone()
        };
        let mut account = slot.lock_owned().await;
        let secret_hash: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        if account.secret != secret_hash {
            *account = Account {
                secret: secret_hash,
                ..Account::default()
            };
        }
        Ok(account)
    }

    /// Where a follower grants the OAuth code that names them (`snsapi_base`: no prompt in
    /// WeChat), coming back to `back` with `code` and `state`.
    pub fn consent_url(&self, app_id: &str, back: &str, state: &str) -> String {
        let base = format!("{}/connect/oauth2/authorize", self.inner.oauth);
        let params = [
            ("appid", app_id),
            ("redirect_uri", back),
            ("response_type", "code"),
            ("scope", "snsapi_base"),
            ("state", state),
        ];
        match reqwest::Url::parse_with_params(&base, params) {
            Ok(mut url) => {
                url.set_fragment(Some("wechat_redirect"));
                url.into()
            }
            Err(_) => base,
        }
    }

    /// The follower's openid for an OAuth code:
    /// `GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code` →
    /// `{"access_token","expires_in","refresh_token","openid","scope"}` or an error code
    /// (40029: the code is invalid or used).
    pub async fn openid(&self, app_id: &str, secret: &str, code: &str) -> Result<String, Failure> {
        let url = format!("{}/sns/oauth2/access_token", self.inner.api);
        let query = [
            ("appid", app_id),
            ("secret", secret),
            ("code", code),
            ("grant_type", "authorization_code"),
        ];
        let answer = self.call(self.inner.http.get(url).query(&query)).await?;
        match answer.openid {
            Some(openid) if answer.errcode == 0 && !openid.is_empty() => Ok(openid),
            _ if BAD_CREDENTIAL.contains(&answer.errcode) => {
                Err(Failure::Credential(answer.errcode))
            }
            _ if answer.errcode != 0 => Err(Failure::Refused(answer.errcode)),
            _ => Err(Failure::Unavailable),
        }
    }

    /// Sends a subscription message with the account's access_token, fetching a new token
    /// once when WeChat says the kept one is gone.
    pub async fn notify(
        &self,
        app_id: &str,
        secret: &str,
        notice: &Notice<'_>,
    ) -> Result<(), Failure> {
        let token = self.token(app_id, secret, None).await?;
        match self.bizsend(&token, notice).await? {
            0 => Ok(()),
            code if TOKEN_GONE.contains(&code) => {
                let token = self.token(app_id, secret, Some(&token)).await?;
                match self.bizsend(&token, notice).await? {
                    0 => Ok(()),
                    code => Err(Failure::Refused(code)),
                }
            }
            code => Err(Failure::Refused(code)),
        }
    }

    /// The kept access_token unless it is `stale`, else a new one.
    async fn token(
        &self,
        app_id: &str,
        secret: &str,
        stale: Option<&str>,
    ) -> Result<String, Failure> {
        let mut account = self.account(app_id, secret).await?;
        let kept = account.token.as_ref().and_then(|t| t.fresh(Instant::now()));
        match kept {
            Some(token) if Some(token.as_str()) != stale => Ok(token),
            _ => self.fetch_token(&mut account, app_id, secret).await,
        }
    }

    /// WeChat's error code for a subscription message (0: sent).
    async fn bizsend(&self, token: &str, notice: &Notice<'_>) -> Result<i64, Failure> {
        let url = format!("{}/cgi-bin/message/subscribe/bizsend", self.inner.api);
        let request = self
            .inner
            .http
            .post(url)
            .query(&[("access_token", token)])
            .json(notice);
        Ok(self.call(request).await?.errcode)
    }

    /// The account's jsapi_ticket: the kept one while it lasts, else fetched once however many
    /// requests wait for it.
    pub async fn ticket(&self, app_id: &str, secret: &str) -> Result<String, Failure> {
        let mut account = self.account(app_id, secret).await?;
        let now = Instant::now();
        if let Some(ticket) = account.ticket.as_ref().and_then(|t| t.fresh(now)) {
            return Ok(ticket);
        }
        if let Some((at, failure)) = account.failed {
            if now.duration_since(at) < RETRY_AFTER_FAILURE {
                return Err(failure);
            }
        }
        match self.fetch_ticket(&mut account, app_id, secret).await {
            Ok(ticket) => {
                if account.failed.take().is_some() {
                    tracing::info!(app_id, "WeChat's API answers again");
                }
                Ok(ticket)
            }
            Err(failure) => {
                if account.failed.is_none() {
                    tracing::error!(app_id, error = %failure, "no jsapi_ticket: pages share plain links until WeChat answers (logged once)");
                }
                account.failed = Some((Instant::now(), failure));
                Err(failure)
            }
        }
    }

    /// A new ticket with the kept token, or with a new token when WeChat says the kept one is
    /// gone (once).
    async fn fetch_ticket(
        &self,
        account: &mut Account,
        app_id: &str,
        secret: &str,
    ) -> Result<String, Failure> {
        let kept = account.token.as_ref().and_then(|t| t.fresh(Instant::now()));
        let (token, new) = match kept {
            Some(token) => (token, false),
            None => (self.fetch_token(account, app_id, secret).await?, true),
        };
        let answer = match self.get_ticket(&token).await? {
            Err(code) if TOKEN_GONE.contains(&code) && !new => {
                account.token = None;
                let token = self.fetch_token(account, app_id, secret).await?;
                self.get_ticket(&token).await?
            }
            answer => answer,
        };
        let (ticket, expires_in) = answer.map_err(Failure::Refused)?;
        account.ticket = Some(Expiring::new(ticket.clone(), expires_in, Instant::now()));
        Ok(ticket)
    }

    async fn fetch_token(
        &self,
        account: &mut Account,
        app_id: &str,
        secret: &str,
    ) -> Result<String, Failure> {
        let url = format!("{}/cgi-bin/token", self.inner.api);
        let query = [
            ("grant_type", "client_credential"),
            ("appid", app_id),
            ("secret", secret),
        ];
        let answer = self.call(self.inner.http.get(url).query(&query)).await?;
        match answer.access_token {
            Some(token) if answer.errcode == 0 && !token.is_empty() => {
                account.token = Some(Expiring::new(
                    token.clone(),
                    answer.expires_in,
                    Instant::now(),
                ));
                Ok(token)
            }
            _ if BAD_CREDENTIAL.contains(&answer.errcode) => {
                Err(Failure::Credential(answer.errcode))
            }
            _ if answer.errcode != 0 => Err(Failure::Refused(answer.errcode)),
            _ => Err(Failure::Unavailable),
        }
    }

    /// The ticket and its lifetime, or WeChat's error code.
    async fn get_ticket(&self, token: &str) -> Result<Result<(String, i64), i64>, Failure> {
        let url = format!("{}/cgi-bin/ticket/getticket", self.inner.api);
        let query = [("access_token", token), ("type", "jsapi")];
        let answer = self.call(self.inner.http.get(url).query(&query)).await?;
        Ok(match answer.ticket {
            Some(ticket) if answer.errcode == 0 && !ticket.is_empty() => {
                Ok((ticket, answer.expires_in))
            }
            _ if answer.errcode != 0 => Err(answer.errcode),
            _ => return Err(Failure::Unavailable),
        })
    }

    async fn call(&self, request: reqwest::RequestBuilder) -> Result<Answer, Failure> {
        // The request's URL carries the secret or the token: errors are logged without it.
        let unavailable = |e: reqwest::Error| {
            tracing::debug!(error = %e.without_url(), "WeChat API request failed");
            Failure::Unavailable
        };
        let response = request
            .send()
            .await
            .map_err(unavailable)?
            .error_for_status()
            .map_err(unavailable)?;
        response.json::<Answer>().await.map_err(unavailable)
    }
}

/// A dealer's stored settings. The secret prints as `[redacted]`.
#[derive(Clone, sqlx::FromRow)]
pub struct Settings {
    pub app_id: String,
    pub app_secret: String,
    pub domain: String,
    pub verify_name: Option<String>,
    /// The subscription-message template reminders go out with ('' : none).
    pub reminder_template: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("app_id", &self.app_id)
            .field("app_secret", &"[redacted]")
            .field("domain", &self.domain)
            .field("verify_name", &self.verify_name)
            .field("reminder_template", &self.reminder_template)
            .finish()
    }
}

impl Settings {
    /// Reminders go out as subscription messages: a template is set (and a secret, always
    /// stored with the settings, to fetch the token).
    pub fn sends_reminders(&self) -> bool {
        !self.reminder_template.is_empty() && !self.app_secret.is_empty()
    }

    /// As the console sees them: without the secret.
    pub fn view(&self) -> shared::wechat::WeChatSettings {
        shared::wechat::WeChatSettings {
            app_id: self.app_id.clone(),
            secret_set: !self.app_secret.is_empty(),
            domain: self.domain.clone(),
            verify_file: self.verify_name.clone(),
            reminder_template: self.reminder_template.clone(),
        }
    }
}

/// The dealer's settings, if an admin has saved them.
pub async fn settings(db: &Db, dealer_id: i64) -> sqlx::Result<Option<Settings>> {
    sqlx::query_as(
        "SELECT app_id, app_secret, domain, verify_name, reminder_template FROM wechat_settings \
         WHERE dealer_id = $1",
    )
    .bind(dealer_id)
    .fetch_optional(&db.pool)
    .await
}

/// Saves checked settings (`SaveWeChat::validate`): an empty secret keeps the stored one, no
/// verification file keeps the stored one.
pub async fn save(db: &Db, dealer_id: i64, new: &SaveWeChat, now: i64) -> sqlx::Result<()> {
    let (verify_name, verify_content) = match &new.verify_file {
        Some(file) => (Some(file.name.as_str()), Some(file.content.as_str())),
        None => (None, None),
    };
    sqlx::query(
        "INSERT INTO wechat_settings (dealer_id, app_id, app_secret, domain, verify_name, \
             verify_content, updated_at, reminder_template) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (dealer_id) DO UPDATE SET app_id = excluded.app_id, \
             app_secret = CASE WHEN excluded.app_secret = '' THEN wechat_settings.app_secret \
                 ELSE excluded.app_secret END, \
             domain = excluded.domain, \
             verify_name = COALESCE(excluded.verify_name, wechat_settings.verify_name), \
             verify_content = COALESCE(excluded.verify_content, wechat_settings.verify_content), \
             updated_at = excluded.updated_at, reminder_template = excluded.reminder_template",
    )
    .bind(dealer_id)
    .bind(&new.app_id)
    .bind(&new.app_secret)
    .bind(&new.domain)
    .bind(verify_name)
    .bind(verify_content)
    .bind(now)
    .bind(&new.reminder_template)
    .execute(&db.writer)
    .await?;
    Ok(())
}

/// The content of a verification file, by its name.
pub async fn verify_file(db: &Db, name: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT verify_content FROM wechat_settings WHERE verify_name = $1 \
         ORDER BY dealer_id LIMIT 1",
    )
    .bind(name)
    .fetch_optional(&db.pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_tokens_and_tickets_never_print() {
        let settings = Settings {
            app_id: "wx1234567890abcdef".into(),
            app_secret: "0123456789abcdef0123456789abcdef".into(),
            domain: "che.example.com".into(),
            verify_name: None,
            reminder_template: String::new(),
        };
        let printed = format!("{settings:?}");
        assert!(printed.contains("wx1234567890abcdef") && !printed.contains("0123456789abcdef0"));
        let account = Account {
            token: Some(Expiring::new("ACCESS-TOKEN".into(), 7200, Instant::now())),
            ticket: Some(Expiring::new("JSAPI-TICKET".into(), 7200, Instant::now())),
            ..Account::default()
        };
        let printed = format!("{account:?}");
        assert!(
            !printed.contains("ACCESS-TOKEN") && !printed.contains("JSAPI-TICKET"),
            "{printed}"
        );
        for failure in [
            Failure::Credential(40001),
            Failure::Refused(40164),
            Failure::Unavailable,
        ] {
            assert!(!failure.to_string().contains("secret="));
        }
    }

    #[test]
    fn tokens_and_tickets_are_replaced_before_they_expire() {
        let now = Instant::now();
        let kept = Expiring::new("t".into(), 7200, now);
        assert_eq!(
            kept.fresh(now + Duration::from_secs(6800)),
            Some("t".into())
        );
        assert_eq!(kept.fresh(now + Duration::from_secs(6900)), None);
        // A lifetime shorter than the margin is not kept at all; a longer one is capped.
        assert_eq!(Expiring::new("t".into(), 60, now).fresh(now), None);
        let long = Expiring::new("t".into(), 1_000_000, now);
        assert_eq!(long.fresh(now + Duration::from_secs(7000)), None);
    }
}
