//! Who is asking: the visitor's own cookie for each dealer (encrypted and signed, HttpOnly,
//! holding an anonymous id, once they booked or enquired the name and phone to fill in next
//! time, and a phone they proved with an SMS code, for 30 days), the key every instance
//! shares for it, the client's address, and the limits on how often one visitor or one
//! address may write, and one address look bookings up by code.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, Key, PrivateCookieJar, SameSite};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use shared::booking::Contact;

use super::{AppState, Error};
use crate::db::Db;

impl FromRef<AppState> for Key {
    fn from_ref(state: &AppState) -> Self {
        state.cookie_key.clone()
    }
}

/// The cookie key, made once by the first instance to start and read by every other, so a
/// visitor's cookie is good on any instance.
pub async fn cookie_key(db: &Db) -> sqlx::Result<Key> {
    let fresh: String = Key::generate()
        .master()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    sqlx::query(
        "INSERT INTO server_secrets (name, value) VALUES ('cookie_key', $1) ON CONFLICT (name) DO NOTHING",
    )
    .bind(&fresh)
    .execute(&db.writer)
    .await?;
    let stored: String =
        sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = 'cookie_key'")
            .fetch_one(&db.pool)
            .await?;
    let bytes: Vec<u8> = (0..stored.len() / 2)
        .filter_map(|i| u8::from_str_radix(stored.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    Key::try_from(bytes.as_slice())
        .map_err(|e| sqlx::Error::Decode(format!("server_secrets.cookie_key: {e}").into()))
}

/// What the visitor's cookie holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visitor {
    /// An anonymous id (`new_id`; older cookies hold 8 random characters).
    #[serde(rename = "v")]
    pub id: String,
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A phone this browser proved with an SMS code, and until when (Unix milliseconds).
    #[serde(rename = "pp", default, skip_serializing_if = "Option::is_none")]
    pub proven: Option<(String, i64)>,
}

/// A new visitor's id: the time in milliseconds as 9 characters of `CODE_ALPHABET` (whose
/// order is ASCII's), then 6 random ones. Ids made later sort later, so the clicks of new
/// visitors add to the end of `link_visits`' visitor index instead of all over it: with 8
/// random characters, a write of 5,000 clicks touched thousands of index pages and took
/// 215 ms instead of 25, and at 70,000 redirects a second the click writer fell behind.
pub fn new_id(now_millis: i64) -> String {
    use crate::bookings::{random_code, CODE_ALPHABET};
    let base = CODE_ALPHABET.len() as u64;
    let mut time = u64::try_from(now_millis).unwrap_or(0);
    let mut digits = [0u8; 9];
    for digit in digits.iter_mut().rev() {
        *digit = CODE_ALPHABET[(time % base) as usize];
        time /= base;
    }
    digits.iter().map(|&d| d as char).collect::<String>() + &random_code(6)
}

/// Half a year, in seconds.
const COOKIE_MAX_AGE: i64 = 183 * 24 * 3600;

fn cookie_name(dealer: &str) -> String {
    format!("cl_{dealer}")
}

impl Visitor {
    /// The visitor of this dealer the cookie names, if any.
    pub fn of(jar: &PrivateCookieJar, dealer: &str) -> Option<Self> {
        let cookie = jar.get(&cookie_name(dealer))?;
        serde_json::from_str(cookie.value()).ok()
    }

    /// The cookie's visitor, or a new anonymous one.
    pub fn of_or_new(jar: &PrivateCookieJar, dealer: &str) -> Self {
        Self::of(jar, dealer).unwrap_or_else(Self::anonymous)
    }

    /// A new anonymous visitor, kept once its cookie is saved.
    pub fn anonymous() -> Self {
        Self {
            id: new_id(crate::clock::Clock::now().millis),
            ..Self::default()
        }
    }

    /// This visitor, remembering the contact they just gave.
    pub fn remembering(self, contact: &Contact) -> Self {
        Self {
            name: Some(contact.name.clone()),
            phone: Some(contact.phone.clone()),
            ..self
        }
    }

    /// This visitor, having proved `phone` now (Unix milliseconds).
    pub fn proving(self, phone: &str, now: i64) -> Self {
        let days = i64::from(shared::proof::PROOF_DAYS);
        Self {
            proven: Some((phone.to_string(), now + days * 86_400_000)),
            ..self
        }
    }

    /// The phone this browser proved, while the proof lasts.
    pub fn proven_phone(&self, now: i64) -> Option<&str> {
        self.proven
            .as_ref()
            .filter(|(_, until)| *until > now)
            .map(|(phone, _)| phone.as_str())
    }

    /// The jar with this visitor's cookie set.
    pub fn save(&self, jar: PrivateCookieJar, dealer: &str) -> PrivateCookieJar {
        let value = serde_json::to_string(self).unwrap_or_default();
        let cookie = Cookie::build((cookie_name(dealer), value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .max_age(time::Duration::seconds(COOKIE_MAX_AGE))
            .build();
        jar.add(cookie)
    }

    /// The jar without the dealer's cookie.
    pub fn forget(jar: PrivateCookieJar, dealer: &str) -> PrivateCookieJar {
        jar.remove(Cookie::build(cookie_name(dealer)).path("/"))
    }
}

/// The client's IP address (the TCP peer; `None` when the server runs without connection info).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}

/// How many bookings, enquiries or share links one visitor or staff member may make per minute; one address may send ten
/// times as many (many phones share an address behind a carrier's NAT).
#[derive(Clone, Debug)]
pub struct WriteLimits {
    per_visitor: Arc<DefaultKeyedRateLimiter<String>>,
    per_address: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

/// The default: a person books or enquires a few times, a script a thousand.
pub const WRITES_PER_MINUTE: u32 = 10;

impl WriteLimits {
    pub fn per_minute(writes: u32) -> Self {
        let writes = NonZeroU32::new(writes.max(1)).unwrap_or(NonZeroU32::MIN);
        let address = writes.saturating_mul(NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN));
        Self {
            per_visitor: Arc::new(RateLimiter::keyed(Quota::per_minute(writes))),
            per_address: Arc::new(RateLimiter::keyed(Quota::per_minute(address))),
        }
    }

    /// Counts one write by `who` (a visitor's id, or `staff:{id}` for a staff member) from
    /// `addr`; too many → 429 with the seconds to wait.
    pub fn check(&self, who: &str, addr: &ClientAddr) -> Result<(), Error> {
        // The limiter's own clock: a new one would calibrate itself on every request.
        let clock = self.per_visitor.clock();
        let wait = |not_until: governor::NotUntil<governor::clock::QuantaInstant>| {
            use governor::clock::Clock;
            Error::TooMany {
                retry_after: not_until.wait_time_from(clock.now()).as_secs().max(1),
            }
        };
        self.per_visitor.check_key(&who.to_string()).map_err(wait)?;
        if let Some(ip) = addr.0 {
            self.per_address.check_key(&ip).map_err(wait)?;
        }
        Ok(())
    }
}

/// Booking lookups by code (`GET .../bookings/{code}` and its `.ics`) one address may make per
/// minute: a person opens their confirmation a few times, a script guessing codes thousands.
pub const LOOKUPS_PER_MINUTE: u32 = 30;

/// The per-address limit on booking lookups.
#[derive(Clone, Debug)]
pub struct LookupLimits {
    per_address: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl LookupLimits {
    pub fn per_minute(lookups: u32) -> Self {
        let lookups = NonZeroU32::new(lookups.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            per_address: Arc::new(RateLimiter::keyed(Quota::per_minute(lookups))),
        }
    }

    /// Counts one lookup from `addr`; too many → 429 with the seconds to wait.
    pub fn check(&self, addr: &ClientAddr) -> Result<(), Error> {
        let Some(ip) = addr.0 else {
            return Ok(());
        };
        let clock = self.per_address.clock();
        self.per_address.check_key(&ip).map_err(|not_until| {
            use governor::clock::Clock;
            Error::TooMany {
                retry_after: not_until.wait_time_from(clock.now()).as_secs().max(1),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitor_ids_made_later_sort_later_and_differ_within_a_millisecond() {
        let now = 1_796_000_000_000;
        let (a, b, later) = (new_id(now), new_id(now), new_id(now + 1));
        assert_eq!(a.len(), 15);
        assert_ne!(a, b);
        assert_eq!(a[..9], b[..9]);
        assert!(later > a && later > b, "{later} after {a}, {b}");
        assert!(new_id(now + 86_400_000 * 365 * 30) > later);
    }
}
