//! What a browser may see and change of a person's data, and proving a phone in the
//! database. [`Access`] is the visitor a browser is and the phones it proved; queries over
//! bookings and enquiries take its condition. One-time codes are kept as HMAC-SHA256 under
//! the server's secret (never the digits), good for five minutes and five wrong attempts; the
//! rows of the last 24 hours are what the resend limits count (a minute between two codes to
//! a phone, five a day per phone, a cap per address).

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use shared::proof::{
    CODE_SECONDS, MAX_ATTEMPTS, RESEND_SECONDS, SENDS_PER_ADDRESS_PER_DAY, SENDS_PER_PHONE_PER_DAY,
};

use crate::db::{self, Db};

/// How a phone was proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProvedBy {
    Sms,
    WeChat,
}

impl ProvedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::WeChat => "wechat",
        }
    }
}

/// What a browser may see: what its visitor made, and everything tied to the phones it proved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// The anonymous id of the browser's visitor cookie.
    pub visitor: Option<String>,
    /// Proven phones, the SMS-proved one first.
    pub phones: Vec<String>,
    pub by: Option<ProvedBy>,
}

impl Access {
    /// An SQL condition over a table aliased `alias` with `visitor` and `phone` columns, its
    /// placeholders numbered from `$first`, and the values to bind to them in order.
    pub fn condition(&self, alias: &str, first: usize) -> (String, Vec<String>) {
        let mut parts = Vec::new();
        let mut values = Vec::new();
        if let Some(visitor) = &self.visitor {
            parts.push(format!("{alias}.visitor = ${}", first + values.len()));
            values.push(visitor.clone());
        }
        if !self.phones.is_empty() {
            let marks: Vec<String> = (0..self.phones.len())
                .map(|i| format!("${}", first + values.len() + i))
                .collect();
            parts.push(format!("{alias}.phone IN ({})", marks.join(", ")));
            values.extend(self.phones.iter().cloned());
        }
        if parts.is_empty() {
            return ("1 = 0".into(), values);
        }
        (format!("({})", parts.join(" OR ")), values)
    }

    pub fn proved(&self) -> bool {
        !self.phones.is_empty()
    }
}

/// The phones of the owner's bound cars' leads, when the owner's WeChat openid is bound (the
/// owner went through WeChat's OAuth in this browser): that counts as proof of them.
pub async fn owner_phones(db: &Db, dealer_id: i64, owner_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT l.phone FROM owners o \
         JOIN car_bindings cb ON cb.owner_id = o.id AND cb.bound_at IS NOT NULL AND cb.ended_at IS NULL \
         JOIN cars c ON c.id = cb.car_id JOIN leads l ON l.id = c.lead_id \
         WHERE o.id = $1 AND o.dealer_id = $2 AND o.wechat_openid IS NOT NULL AND l.phone IS NOT NULL",
    )
    .bind(owner_id)
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await
}

/// Why no code was sent.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// A code went to this phone less than a minute ago; seconds to wait.
    TooSoon(u64),
    /// Five codes went to this phone in 24 hours; seconds until the oldest leaves the window.
    PhoneDaily(u64),
    /// The address asked for too many codes in 24 hours.
    AddressDaily(u64),
}

/// Who asks for a code.
pub struct Asker<'a> {
    pub dealer_id: i64,
    pub phone: &'a str,
    pub visitor: &'a str,
    pub address: Option<String>,
}

const DAY_MILLIS: i64 = 86_400_000;

fn hash(key: &[u8], dealer_id: i64, phone: &str, code: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("{dealer_id}:{phone}:{code}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Makes a code for the asker unless a limit stands in the way: its row id and the digits
/// (to send; only their hash is kept).
pub async fn new_code(
    db: &Db,
    asker: &Asker<'_>,
    key: &[u8],
    now: i64,
) -> sqlx::Result<Result<(i64, String), Refused>> {
    let mut tx = db::begin_write(db).await?;
    sqlx::query("DELETE FROM phone_codes WHERE created_at < $1")
        .bind(now - 2 * DAY_MILLIS)
        .execute(&mut *tx)
        .await?;
    let wait = |from: i64, window: i64| ((from + window - now).max(1000) as u64).div_ceil(1000);
    let to_phone: Vec<i64> = sqlx::query_scalar(
        "SELECT created_at FROM phone_codes WHERE phone = $1 AND created_at > $2 ORDER BY created_at",
    )
    .bind(asker.phone)
    .bind(now - DAY_MILLIS)
    .fetch_all(&mut *tx)
    .await?;
    if let Some(last) = to_phone.last() {
        if now - last < i64::from(RESEND_SECONDS) * 1000 {
            return Ok(Err(Refused::TooSoon(wait(
                *last,
                i64::from(RESEND_SECONDS) * 1000,
            ))));
        }
    }
    if to_phone.len() >= SENDS_PER_PHONE_PER_DAY as usize {
        return Ok(Err(Refused::PhoneDaily(wait(to_phone[0], DAY_MILLIS))));
    }
    if let Some(address) = &asker.address {
        let from_address: Vec<i64> = sqlx::query_scalar(
            "SELECT created_at FROM phone_codes WHERE address = $1 AND created_at > $2 ORDER BY created_at",
        )
        .bind(address)
        .bind(now - DAY_MILLIS)
        .fetch_all(&mut *tx)
        .await?;
        if from_address.len() >= SENDS_PER_ADDRESS_PER_DAY as usize {
            return Ok(Err(Refused::AddressDaily(wait(
                from_address[0],
                DAY_MILLIS,
            ))));
        }
    }
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO phone_codes (dealer_id, phone, visitor, address, code_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(asker.dealer_id)
    .bind(asker.phone)
    .bind(asker.visitor)
    .bind(asker.address.as_deref())
    .bind(hash(key, asker.dealer_id, asker.phone, &code))
    .bind(now)
    .bind(now + i64::from(CODE_SECONDS) * 1000)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok((id, code)))
}

/// Removes a code the provider did not send, so it counts against no limit.
pub async fn unsent(db: &Db, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM phone_codes WHERE id = $1")
        .bind(id)
        .execute(&db.writer)
        .await?;
    Ok(())
}

/// What checking a code found.
#[derive(Debug, PartialEq, Eq)]
pub enum Checked {
    Proven,
    /// No code was sent to this phone for this browser (or it was used).
    NoCode,
    Expired,
    /// Five wrong codes: this one is spent.
    Exhausted,
    /// Wrong; tries left on this code.
    Wrong(u32),
}

/// Checks `code` against the latest unused code sent to `phone` for this visitor.
pub async fn check(
    db: &Db,
    asker: &Asker<'_>,
    code: &str,
    key: &[u8],
    now: i64,
) -> sqlx::Result<Checked> {
    let mut tx = db::begin_write(db).await?;
    let latest: Option<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT id, code_hash, attempts, expires_at FROM phone_codes \
         WHERE dealer_id = $1 AND visitor = $2 AND phone = $3 AND used_at IS NULL \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(asker.dealer_id)
    .bind(asker.visitor)
    .bind(asker.phone)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, stored, attempts, expires_at)) = latest else {
        return Ok(Checked::NoCode);
    };
    if attempts >= i64::from(MAX_ATTEMPTS) {
        return Ok(Checked::Exhausted);
    }
    if expires_at <= now {
        return Ok(Checked::Expired);
    }
    let checked = if hash(key, asker.dealer_id, asker.phone, code) == stored {
        sqlx::query("UPDATE phone_codes SET used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Checked::Proven
    } else {
        sqlx::query("UPDATE phone_codes SET attempts = attempts + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Checked::Wrong(MAX_ATTEMPTS.saturating_sub(attempts as u32 + 1))
    };
    tx.commit().await?;
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_is_what_the_visitor_made_or_a_proven_phone() {
        assert_eq!(
            Access::default().condition("b", 1),
            ("1 = 0".into(), vec![])
        );
        let visitor = Access {
            visitor: Some("v1".into()),
            ..Access::default()
        };
        assert_eq!(
            visitor.condition("b", 2),
            ("(b.visitor = $2)".into(), vec!["v1".to_string()])
        );
        let both = Access {
            visitor: Some("v1".into()),
            phones: vec!["13800000001".into(), "13800000002".into()],
            by: Some(ProvedBy::Sms),
        };
        assert_eq!(
            both.condition("b", 3).0,
            "(b.visitor = $3 OR b.phone IN ($4, $5))"
        );
        assert_eq!(both.condition("b", 3).1.len(), 3);
    }

    #[test]
    fn a_code_is_kept_only_as_its_keyed_hash() {
        let a = hash(b"key", 1, "13800000001", "123456");
        assert_eq!(a.len(), 64);
        assert_ne!(a, hash(b"other", 1, "13800000001", "123456"));
        assert_ne!(a, hash(b"key", 2, "13800000001", "123456"));
        assert!(!a.contains("123456"));
    }
}
