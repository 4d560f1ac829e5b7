//! Server configuration from the environment: database URL, listen address, the built app's
//! folder and whether to load the demo data.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;

/// The SQLite file used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://chelink.db?mode=rwc";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `sqlite://...` or `postgres://...`.
    pub database_url: String,
    pub host: String,
    pub port: u16,
    /// The built app (`index.html` and `assets/`), from `cargo xtask`.
    pub dist: PathBuf,
    /// Load the demo dealers and catalogue at start (`CHELINK_DEMO=1`).
    pub demo: bool,
    /// Bookings and enquiries one visitor may send per minute (`CHELINK_WRITES_PER_MINUTE`;
    /// one address ten times as many).
    pub writes_per_minute: u32,
    /// Mark cookies Secure (`CHELINK_SECURE_COOKIES=1`, behind a TLS proxy).
    pub secure_cookies: bool,
    /// WeChat's API base URL (`CHELINK_WECHAT_API`), for access_token and jsapi_ticket.
    pub wechat_api: String,
    /// Where owners are sent to consent to WeChat reminders (`CHELINK_WECHAT_OAUTH`).
    pub wechat_oauth: String,
    /// The JS-SDK script pages load inside WeChat (`CHELINK_WECHAT_JS`).
    pub wechat_js: String,
    /// Seconds between two passes of the reminder scheduler (`CHELINK_REMINDER_SECONDS`; 0: off).
    pub reminder_seconds: u64,
    /// The origin short links and their QR codes are written with (`CHELINK_PUBLIC_ORIGIN`,
    /// such as `https://che.example.com`); unset: the origin each request came to.
    pub public_origin: Option<String>,
    /// Seconds a request's headers may take, and a keep-alive connection may stay idle
    /// (`CHELINK_HEADER_TIMEOUT_SECS`).
    pub header_timeout_secs: u64,
    /// Connections held at once (`CHELINK_MAX_CONNECTIONS`; kept below the open-file limit).
    pub max_connections: usize,
    /// The SQLite write-ahead log's bound in MiB (`CHELINK_WAL_LIMIT_MB`).
    pub wal_limit_mb: u64,
    /// Share-link visits waiting for the writer at most (`CHELINK_CLICK_BACKLOG`).
    pub click_backlog: usize,
    /// The SMS provider for one-time codes (`CHELINK_SMS` and its keys); `None`: no SMS.
    pub sms: Option<crate::sms::SmsConfig>,
    /// Where photos live: `CHELINK_S3_*`, `CHELINK_MEDIA_DIR`, or beside the SQLite database.
    pub media: crate::media_store::MediaConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.into(),
            host: "127.0.0.1".into(),
            port: 3000,
            dist: PathBuf::from("dist"),
            demo: false,
            writes_per_minute: crate::http::visitor::WRITES_PER_MINUTE,
            secure_cookies: false,
            wechat_api: crate::wechat::DEFAULT_API.into(),
            wechat_oauth: crate::wechat::DEFAULT_OAUTH.into(),
            wechat_js: shared::wechat::JS_SDK_URL.into(),
            reminder_seconds: 60,
            public_origin: None,
            header_timeout_secs: crate::http::connections::DEFAULT_HEADER_TIMEOUT.as_secs(),
            max_connections: crate::http::connections::DEFAULT_MAX_CONNECTIONS,
            wal_limit_mb: crate::db::DEFAULT_WAL_LIMIT / (1024 * 1024),
            click_backlog: crate::clicks::DEFAULT_BACKLOG,
            sms: None,
            media: crate::media_store::MediaConfig::Local("chelink-media".into()),
        }
    }
}

impl Config {
    /// Reads `DATABASE_URL`, `HOST`, `PORT`, `CHELINK_DIST`, `CHELINK_DEMO`,
    /// `CHELINK_WRITES_PER_MINUTE`, `CHELINK_SECURE_COOKIES`, `CHELINK_WECHAT_API`,
    /// `CHELINK_WECHAT_JS`, `CHELINK_PUBLIC_ORIGIN`, `CHELINK_HEADER_TIMEOUT_SECS`,
    /// `CHELINK_MAX_CONNECTIONS`, `CHELINK_WAL_LIMIT_MB`, `CHELINK_CLICK_BACKLOG`, the SMS
    /// provider's (`CHELINK_SMS...`) and the media store's (`CHELINK_MEDIA_DIR`, `CHELINK_S3_*`).
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// The same as [`Config::from_env`] with any source of variables (tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let defaults = Self::default();
        let set = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        let port = match set("PORT") {
            Some(port) => port
                .trim()
                .parse()
                .with_context(|| format!("PORT must be a port number, got {port:?}"))?,
            None => defaults.port,
        };
        let flag = |key: &str| match set(key).as_deref().map(str::trim) {
            None | Some("0" | "false" | "no") => Ok(false),
            Some("1" | "true" | "yes") => Ok(true),
            Some(other) => anyhow::bail!("{key} must be 1 or 0, got {other:?}"),
        };
        let demo = flag("CHELINK_DEMO")?;
        let secure_cookies = flag("CHELINK_SECURE_COOKIES")?;
        let writes_per_minute = match set("CHELINK_WRITES_PER_MINUTE") {
            Some(n) => n.trim().parse().ok().filter(|n| *n > 0).with_context(|| {
                format!("CHELINK_WRITES_PER_MINUTE must be a positive number, got {n:?}")
            })?,
            None => defaults.writes_per_minute,
        };
        let public_origin = match set("CHELINK_PUBLIC_ORIGIN") {
            Some(origin) => {
                let origin = origin.trim().trim_end_matches('/').to_string();
                let plain = |rest: &str| {
                    !rest.is_empty()
                        && rest.chars().all(|c| {
                            c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']')
                        })
                };
                let ok = ["https://", "http://"]
                    .iter()
                    .any(|scheme| origin.strip_prefix(scheme).is_some_and(plain));
                anyhow::ensure!(
                    ok,
                    "CHELINK_PUBLIC_ORIGIN must be like https://che.example.com, got {origin:?}"
                );
                Some(origin)
            }
            None => None,
        };
        let positive = |key: &str, default: u64| match set(key) {
            Some(n) => n
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .with_context(|| format!("{key} must be a positive number, got {n:?}")),
            None => Ok(default),
        };
        let count = |key: &str, default: usize| {
            positive(key, default as u64).map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        };
        let header_timeout_secs =
            positive("CHELINK_HEADER_TIMEOUT_SECS", defaults.header_timeout_secs)?;
        let max_connections = count("CHELINK_MAX_CONNECTIONS", defaults.max_connections)?;
        let wal_limit_mb = positive("CHELINK_WAL_LIMIT_MB", defaults.wal_limit_mb)?;
        let click_backlog = count("CHELINK_CLICK_BACKLOG", defaults.click_backlog)?;
        let url = |key: &str, default: String| match set(key) {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                Ok(url.trim().to_string())
            }
            Some(url) => anyhow::bail!("{key} must be an http(s) URL, got {url:?}"),
            None => Ok(default),
        };
        Ok(Self {
            wechat_api: url("CHELINK_WECHAT_API", defaults.wechat_api)?,
            wechat_oauth: url("CHELINK_WECHAT_OAUTH", defaults.wechat_oauth)?,
            wechat_js: url("CHELINK_WECHAT_JS", defaults.wechat_js)?,
            reminder_seconds: match set("CHELINK_REMINDER_SECONDS") {
                Some(text) => text.trim().parse().with_context(|| {
                    format!("CHELINK_REMINDER_SECONDS must be a number of seconds, got {text:?}")
                })?,
                None => defaults.reminder_seconds,
            },
            public_origin,
            header_timeout_secs,
            max_connections,
            wal_limit_mb,
            click_backlog,
            sms: crate::sms::SmsConfig::from_lookup(set)?,
            media: crate::media_store::MediaConfig::from_lookup(
                set,
                &set("DATABASE_URL").unwrap_or_else(|| defaults.database_url.clone()),
            )?,
            writes_per_minute,
            secure_cookies,
            database_url: set("DATABASE_URL").unwrap_or(defaults.database_url),
            host: set("HOST").unwrap_or(defaults.host),
            port,
            dist: set("CHELINK_DIST")
                .map(PathBuf::from)
                .unwrap_or(defaults.dist),
            demo,
        })
    }

    /// How connections are held: the header timeout, and the connection cap kept below
    /// `descriptors`, the open-file limit in force.
    pub fn connection_limits(
        &self,
        descriptors: Option<u64>,
    ) -> crate::http::connections::ConnectionLimits {
        crate::http::connections::ConnectionLimits {
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs),
            max_connections: crate::http::connections::max_connections(
                self.max_connections,
                descriptors,
            ),
        }
    }

    pub fn addr(&self) -> anyhow::Result<SocketAddr> {
        let text = format!("{}:{}", self.host, self.port);
        text.parse()
            .or_else(|_| format!("[{}]:{}", self.host, self.port).parse())
            .with_context(|| format!("HOST must be an IP address, got {:?}", self.host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_environment_with_defaults() {
        let config = Config::from_lookup(|_| None).unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.addr().unwrap().to_string(), "127.0.0.1:3000");

        let config = Config::from_lookup(|key| match key {
            "PORT" => Some("8080".into()),
            "CHELINK_DEMO" => Some("1".into()),
            "DATABASE_URL" => Some("postgres://x@h/db".into()),
            "HOST" => Some("::1".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(config.port, 8080);
        assert!(config.demo);
        assert_eq!(config.database_url, "postgres://x@h/db");
        assert_eq!(config.addr().unwrap().to_string(), "[::1]:8080");

        assert!(Config::from_lookup(|k| (k == "PORT").then(|| "x".into())).is_err());
        assert!(Config::from_lookup(|k| (k == "CHELINK_DEMO").then(|| "maybe".into())).is_err());
        for key in [
            "CHELINK_HEADER_TIMEOUT_SECS",
            "CHELINK_MAX_CONNECTIONS",
            "CHELINK_WAL_LIMIT_MB",
            "CHELINK_CLICK_BACKLOG",
        ] {
            assert!(Config::from_lookup(|k| (k == key).then(|| "0".into())).is_err());
            assert!(Config::from_lookup(|k| (k == key).then(|| "x".into())).is_err());
            assert!(Config::from_lookup(|k| (k == key).then(|| "7".into())).is_ok());
        }
        let limits =
            Config::from_lookup(|k| (k == "CHELINK_MAX_CONNECTIONS").then(|| "100000".into()))
                .unwrap()
                .connection_limits(Some(1_024));
        assert_eq!(limits.max_connections, 768);
        assert_eq!(limits.header_timeout.as_secs(), 10);
        assert_eq!(config.wechat_api, "https://api.weixin.qq.com");
        let fake = Config::from_lookup(|k| {
            (k == "CHELINK_WECHAT_API").then(|| "http://127.0.0.1:9/".into())
        })
        .unwrap();
        assert_eq!(fake.wechat_api, "http://127.0.0.1:9/");
        assert!(
            Config::from_lookup(|k| (k == "CHELINK_WECHAT_JS").then(|| "jweixin.js".into()))
                .is_err()
        );

        let origin = |value: &str| {
            let value = value.to_string();
            Config::from_lookup(move |k| (k == "CHELINK_PUBLIC_ORIGIN").then(|| value.clone()))
        };
        assert_eq!(
            origin("https://che.example.com/")
                .unwrap()
                .public_origin
                .as_deref(),
            Some("https://che.example.com")
        );
        for bad in [
            "che.example.com",
            "https://",
            "https://a.com/path",
            "javascript:x",
        ] {
            assert!(origin(bad).is_err(), "{bad}");
        }
    }
}
