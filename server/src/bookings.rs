//! Test drives in the database: the stores that give them, bookings written (a seat of a
//! `crate::slots` slot taken in the transaction that writes the booking and its lead), read,
//! cancelled and moved.

use rand::Rng;
use shared::booking::{Booking, BookingStatus, Consultant, TestDriveStore};
use shared::catalog::Store;
use shared::contact::{Gearbox, Licence};

use crate::clock::Clock;
use crate::db::{self, Db};
use crate::idempotency::{self, Claim, Key};
use crate::leads::{self, By, Event, Touch};
use crate::proofs::Access;
use crate::slots::{self, Holder, Moved, Seat, SlotKind, SlotRow};

#[derive(sqlx::FromRow)]
struct StoreRow {
    id: i64,
    name: String,
    address: String,
    city: String,
    phone: String,
    opening_hours: String,
}

impl From<StoreRow> for Store {
    fn from(r: StoreRow) -> Self {
        Store {
            id: r.id,
            name: r.name,
            address: r.address,
            city: r.city,
            phone: r.phone,
            opening_hours: r.opening_hours,
        }
    }
}

/// The dealer's stores with test-drive cars, and the series of each.
pub async fn test_drive_stores(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<TestDriveStore>> {
    let stores: Vec<StoreRow> = sqlx::query_as(
        "SELECT id, name, address, city, phone, opening_hours FROM stores \
         WHERE dealer_id = $1 ORDER BY position, id",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    let cars: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.store_id, c.series_id FROM test_drive_cars c \
         JOIN stores st ON st.id = c.store_id \
         JOIN dealer_series ds ON ds.dealer_id = st.dealer_id AND ds.series_id = c.series_id \
         WHERE st.dealer_id = $1 ORDER BY ds.position",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(stores
        .into_iter()
        .map(|s| TestDriveStore {
            series_ids: cars
                .iter()
                .filter(|(store, _)| *store == s.id)
                .map(|(_, series)| series.clone())
                .collect(),
            store: s.into(),
        })
        .filter(|s| !s.series_ids.is_empty())
        .collect())
}

/// Whether a store of this dealer has a test-drive car of the series.
pub async fn can_test_drive(
    db: &Db,
    dealer_id: i64,
    store_id: i64,
    series_id: &str,
) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT c.store_id FROM test_drive_cars c JOIN stores st ON st.id = c.store_id \
         WHERE st.dealer_id = $1 AND c.store_id = $2 AND c.series_id = $3",
    )
    .bind(dealer_id)
    .bind(store_id)
    .bind(series_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// The series a trim belongs to and its gearbox as its specs say (when they say).
pub async fn trim_gearbox(
    db: &Db,
    trim_id: &str,
) -> sqlx::Result<Option<(String, Option<Gearbox>)>> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT series_id, specs FROM trims WHERE id = $1")
            .bind(trim_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(series, specs)| {
        let specs: serde_json::Value = serde_json::from_str(&specs).unwrap_or_default();
        let gearbox = [
            "transmission_type",
            "transmission_summary",
            "transmission_description",
        ]
        .iter()
        .filter_map(|key| spec_text(specs.get(key)?))
        .find_map(|text| Gearbox::from_spec(&text));
        (series, gearbox)
    }))
}

/// The text of a spec value, whether stored as a string or an object holding one.
fn spec_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Object(map) => map.values().find_map(spec_text),
        _ => None,
    }
}

/// A booking to write.
pub struct NewBooking<'a> {
    pub touch: Touch<'a>,
    pub slot_id: i64,
    pub series_id: &'a str,
    pub licence: Option<Licence>,
    /// The `Idempotency-Key` the request came with: claimed first, its answer replayed.
    pub idempotency: Option<Key<'a>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Booked {
    Done(String),
    Full,
    Duplicate,
    /// A retry: the code the first request with the same key made.
    Replayed(String),
    /// The key was first used for another request.
    KeyReused,
}

/// Letters and digits that cannot be misread (no 0/O, 1/I/L), in ASCII order.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// An 8-character code from `CODE_ALPHABET`.
pub fn new_code() -> String {
    random_code(8)
}

/// `length` random characters from `CODE_ALPHABET`.
pub fn random_code(length: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..length)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// Takes a seat and writes the booking, its lead and its timeline in one transaction.
pub async fn book(db: &Db, b: &NewBooking<'_>) -> sqlx::Result<Booked> {
    let mut tx = db::begin_write(db).await?;
    let code = new_code();
    if let Some(key) = &b.idempotency {
        match idempotency::claim(&mut tx, b.touch.dealer_id, key, &code, b.touch.now).await? {
            Claim::Fresh => {}
            Claim::Replay(code) => return Ok(Booked::Replayed(code)),
            Claim::Reused => return Ok(Booked::KeyReused),
        }
    }
    let phone = &b.touch.contact.phone;
    match slots::take_seat(&mut tx, b.slot_id, Holder::Phone(phone)).await? {
        Seat::Taken => {}
        Seat::Full => return Ok(Booked::Full),
        Seat::Duplicate => return Ok(Booked::Duplicate),
    }
    let detail = serde_json::json!({
        "code": code, "slot": b.slot_id, "series": b.series_id, "trim": b.touch.trim_id,
        "page": b.touch.origin.page, "button": b.touch.origin.button, "channel": b.touch.origin.channel,
    });
    // Whether the phone was the dealer's customer before: a referral of it earns nothing.
    let known_before: Option<i64> =
        sqlx::query_scalar("SELECT id FROM leads WHERE dealer_id = $1 AND phone = $2")
            .bind(b.touch.dealer_id)
            .bind(phone)
            .fetch_optional(&mut *tx)
            .await?;
    let owned = leads::touch(&mut tx, &b.touch, Event::Booked, &detail.to_string()).await?;
    sqlx::query(
        "INSERT INTO bookings (code, dealer_id, store_id, slot_id, lead_id, series_id, trim_id, \
         licence, name, phone, status, created_at, updated_at, link_id, channel, page, button, \
         visitor, referrer, referral_level) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'booked', $11, $11, $12, $13, $14, $15, \
         $16, $17, $18)",
    )
    .bind(&code)
    .bind(b.touch.dealer_id)
    .bind(b.touch.store_id)
    .bind(b.slot_id)
    .bind(owned.lead_id)
    .bind(b.series_id)
    .bind(b.touch.trim_id)
    .bind(b.licence.map(|l| format!("{l:?}")))
    .bind(&b.touch.contact.name)
    .bind(phone)
    .bind(b.touch.now)
    .bind(owned.came_by.link_id)
    .bind(b.touch.origin.channel.as_deref())
    .bind(&b.touch.origin.page)
    .bind(&b.touch.origin.button)
    .bind(b.touch.visitor)
    .bind(owned.came_by.referrer.as_deref())
    .bind(owned.came_by.level)
    .execute(&mut *tx)
    .await?;
    crate::referrals::on_booking(
        &mut tx,
        &crate::referrals::Booked {
            dealer_id: b.touch.dealer_id,
            lead_id: owned.lead_id,
            phone,
            visitor: b.touch.visitor,
            link_id: owned.came_by.link_id,
            known_before: known_before.is_some(),
            now: b.touch.now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Booked::Done(code))
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    code: String,
    status: String,
    series_id: String,
    trim_id: Option<String>,
    licence: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    series_name: String,
    trim_name: Option<String>,
    consultant_name: Option<String>,
    consultant_phone: Option<String>,
    #[sqlx(flatten)]
    slot: SlotRow,
    store_name: String,
    address: String,
    city: String,
    store_phone: String,
    opening_hours: String,
}

const BOOKING_QUERY: &str =
    "SELECT b.code, b.status, b.series_id, b.trim_id, b.licence, b.name, b.phone, \
     se.name_zh AS series_name, t.name_zh AS trim_name, \
     sf.name AS consultant_name, sf.phone AS consultant_phone, \
     sl.id, sl.store_id, sl.day, sl.start_min, sl.end_min, sl.capacity, sl.booked, \
     st.name AS store_name, st.address, st.city, st.phone AS store_phone, st.opening_hours \
     FROM bookings b JOIN slots sl ON sl.id = b.slot_id JOIN stores st ON st.id = b.store_id \
     JOIN series se ON se.id = b.series_id LEFT JOIN trims t ON t.id = b.trim_id \
     JOIN leads l ON l.id = b.lead_id LEFT JOIN staff sf ON sf.id = l.consultant_id";

impl BookingRow {
    fn booking(self) -> Option<Booking> {
        let store = Store {
            id: self.slot.store_id,
            name: self.store_name,
            address: self.address,
            city: self.city,
            phone: self.store_phone,
            opening_hours: self.opening_hours,
        };
        Some(Booking {
            code: self.code,
            status: BookingStatus::parse(&self.status)?,
            store,
            slot: self.slot.slot()?,
            series_id: self.series_id,
            trim_name: shared::catalog::trim_under_series(
                &self.series_name,
                self.trim_name.as_deref(),
            ),
            series_name: self.series_name,
            trim_id: self.trim_id,
            name: self.name.unwrap_or_default(),
            phone: self
                .phone
                .map(|p| shared::contact::mask_phone(&p))
                .unwrap_or_default(),
            licence: self.licence.and_then(|l| match l.as_str() {
                "C1" => Some(Licence::C1),
                "C2" => Some(Licence::C2),
                _ => None,
            }),
            consultant: match (self.consultant_name, self.consultant_phone) {
                (Some(name), Some(phone)) => Some(Consultant { name, phone }),
                _ => None,
            },
        })
    }
}

/// A booking of the dealer by its code.
pub async fn by_code(db: &Db, dealer_id: i64, code: &str) -> sqlx::Result<Option<Booking>> {
    let row: Option<BookingRow> = sqlx::query_as(&format!(
        "{BOOKING_QUERY} WHERE b.code = $1 AND b.dealer_id = $2"
    ))
    .bind(code)
    .bind(dealer_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.and_then(BookingRow::booking))
}

/// The bookings of the dealer a browser may see (made by its visitor, or tied to a phone it
/// proved), newest slot first.
pub async fn visible(db: &Db, dealer_id: i64, access: &Access) -> sqlx::Result<Vec<Booking>> {
    let (seen, values) = access.condition("b", 2);
    let sql = format!(
        "{BOOKING_QUERY} WHERE b.dealer_id = $1 AND {seen} ORDER BY sl.day DESC, sl.start_min DESC"
    );
    let mut query = sqlx::query_as(&sql).bind(dealer_id);
    for value in values {
        query = query.bind(value);
    }
    let rows: Vec<BookingRow> = query.fetch_all(&db.pool).await?;
    Ok(rows.into_iter().filter_map(BookingRow::booking).collect())
}

/// Whether a browser may see the booking `code` in full.
pub async fn sees(db: &Db, dealer_id: i64, code: &str, access: &Access) -> sqlx::Result<bool> {
    let (seen, values) = access.condition("b", 3);
    let sql =
        format!("SELECT b.id FROM bookings b WHERE b.dealer_id = $1 AND b.code = $2 AND {seen}");
    let mut query = sqlx::query_scalar(&sql).bind(dealer_id).bind(code);
    for value in values {
        query = query.bind(value);
    }
    let found: Option<i64> = query.fetch_optional(&db.pool).await?;
    Ok(found.is_some())
}

/// An open booking a browser may change, with its slot, lead and phone.
async fn open_booking(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    access: &Access,
    code: &str,
) -> sqlx::Result<Option<(i64, i64, i64, String)>> {
    let (seen, values) = access.condition("b", 3);
    let sql = format!(
        "SELECT b.id, b.slot_id, b.lead_id, b.phone FROM bookings b \
         WHERE b.dealer_id = $1 AND b.code = $2 AND b.status IN ('booked', 'confirmed') \
         AND b.phone IS NOT NULL AND {seen}"
    );
    let mut query = sqlx::query_as(&sql).bind(dealer_id).bind(code);
    for value in values {
        query = query.bind(value);
    }
    query.fetch_optional(&mut *conn).await
}

/// Cancels an open booking the browser may change and frees its seat; `false` when there is
/// none.
pub async fn cancel(
    db: &Db,
    dealer_id: i64,
    access: &Access,
    code: &str,
    clock: Clock,
) -> sqlx::Result<bool> {
    let mut tx = db::begin_write(db).await?;
    let Some((id, slot_id, lead_id, _)) = open_booking(&mut tx, dealer_id, access, code).await?
    else {
        return Ok(false);
    };
    slots::cancel_seat(&mut tx, SlotKind::TestDrive, id, slot_id, clock.millis).await?;
    let detail = serde_json::json!({ "code": code, "by": "customer" }).to_string();
    Event::Cancelled
        .write(&mut tx, lead_id, By::Visitor(None), &detail, clock.millis)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Moves an open booking the browser may change to another slot: the new seat is taken by
/// the same conditional update as a booking, the old one freed, in one transaction.
pub async fn reschedule(
    db: &Db,
    dealer_id: i64,
    access: &Access,
    code: &str,
    new_slot: i64,
    clock: Clock,
) -> sqlx::Result<Moved> {
    let mut tx = db::begin_write(db).await?;
    let Some((id, old_slot, lead_id, phone)) =
        open_booking(&mut tx, dealer_id, access, code).await?
    else {
        return Ok(Moved::NoBooking);
    };
    let holder = Holder::Phone(&phone);
    let moved = slots::move_seat(&mut tx, holder, id, old_slot, new_slot, clock.millis).await?;
    if moved != Moved::Done {
        return Ok(moved);
    }
    let detail = serde_json::json!({ "code": code, "from": old_slot, "to": new_slot }).to_string();
    Event::Rescheduled
        .write(&mut tx, lead_id, By::Visitor(None), &detail, clock.millis)
        .await?;
    tx.commit().await?;
    Ok(Moved::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_unambiguous_characters() {
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(code.len(), 8);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
    }
}
