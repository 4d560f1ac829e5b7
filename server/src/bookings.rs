//! Test drives in the database, and the slot machinery service visits share with them: slots
//! planned from each store's templates (per [`SlotKind`], each in its own tables), seats taken
//! by one conditional update in the transaction that writes the booking (the slots' CHECK
//! refuses overbooking whoever writes); test-drive bookings read, cancelled, moved and erased.

use rand::Rng;
use shared::booking::{Booking, BookingStatus, Consultant, Slot, TestDriveStore};
use shared::catalog::Store;
use shared::console::StoreSetup;
use shared::contact::{Gearbox, Licence};
use shared::date::Date;
pub use shared::slots::SlotKind;
use shared::slots::{
    self, Closure, OpeningHours, PlannedSlot, SlotTemplate, TimeOfDay, BOOKING_DAYS,
};

use crate::db::{self, Db};
use crate::idempotency::{self, Claim, Key};
use crate::leads::{self, Event, Touch};
use crate::proofs::Access;

/// Now, in Unix milliseconds, and what it is in Shanghai.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    pub millis: i64,
}

impl Clock {
    pub fn now() -> Self {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Self { millis }
    }

    pub fn today(self) -> Date {
        Date::shanghai_from_unix_millis(self.millis)
    }

    /// Minutes after midnight in Shanghai.
    pub fn minute(self) -> u16 {
        ((self.millis + 8 * 3_600_000).rem_euclid(86_400_000) / 60_000) as u16
    }

    /// The last day of the booking window.
    pub fn last_day(self) -> Date {
        self.today().add_days(i64::from(BOOKING_DAYS) - 1)
    }

    /// A slot that has not started yet and lies inside the booking window.
    pub fn is_bookable(self, slot: &Slot) -> bool {
        let today = self.today();
        slot.date <= self.last_day()
            && (slot.date > today || (slot.date == today && slot.start.minutes() > self.minute()))
    }
}

/// `1,2,3` as stored.
pub fn weekdays_text(weekdays: &[u8]) -> String {
    weekdays
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn time(minutes: i64) -> TimeOfDay {
    TimeOfDay::from_minutes(minutes.clamp(0, 1440) as u16).expect("clamped to a day")
}

/// Where a kind of slot lives: its dated slots, templates, the store's planned-until column,
/// and the bookings that hold its seats (by phone or car) while open.
struct Tables {
    slots: &'static str,
    templates: &'static str,
    planned_until: &'static str,
    bookings: &'static str,
    holder: &'static str,
    open: &'static str,
}

fn tables(kind: SlotKind) -> Tables {
    match kind {
        SlotKind::TestDrive => Tables {
            slots: "slots",
            templates: "slot_templates",
            planned_until: "planned_until",
            bookings: "bookings",
            holder: "phone",
            open: "'booked', 'confirmed'",
        },
        SlotKind::Service => Tables {
            slots: "service_slots",
            templates: "service_templates",
            planned_until: "service_planned_until",
            bookings: "service_bookings",
            holder: "car_id",
            open: "'booked'",
        },
    }
}

/// A store setup's templates of a kind.
pub fn templates_of(setup: &StoreSetup, kind: SlotKind) -> &[SlotTemplate] {
    match kind {
        SlotKind::TestDrive => &setup.templates,
        SlotKind::Service => &setup.service_templates,
    }
}

pub async fn store_ids(db: &Db) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM stores ORDER BY id")
        .fetch_all(&db.pool)
        .await
}

/// Makes sure the store's slots of a kind exist up to the end of the booking window, from its
/// hours, closures and that kind's templates; slots already there (and their bookings) are kept.
pub async fn plan(db: &Db, kind: SlotKind, store_id: i64, today: Date) -> sqlx::Result<()> {
    let t = tables(kind);
    let last = today.add_days(i64::from(BOOKING_DAYS) - 1).to_string();
    let planned: Option<String> = sqlx::query_scalar(&format!(
        "SELECT {} FROM stores WHERE id = $1",
        t.planned_until
    ))
    .bind(store_id)
    .fetch_optional(&db.pool)
    .await?;
    if planned.is_none_or(|p| p >= last) {
        return Ok(());
    }
    let setup = store_setup(db, store_id).await?;
    let planned = slots::plan_slots(
        today,
        BOOKING_DAYS,
        &setup.hours,
        &setup.closures,
        templates_of(&setup, kind),
    );
    let mut tx = db::begin_write(db).await?;
    insert_slots(&mut tx, kind, store_id, &planned).await?;
    set_planned_until(&mut tx, kind, store_id, &last).await?;
    tx.commit().await
}

/// Adds the planned slots a store lacks, inside the caller's transaction.
async fn insert_slots(
    conn: &mut sqlx::AnyConnection,
    kind: SlotKind,
    store_id: i64,
    planned: &[PlannedSlot],
) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO {} (store_id, day, start_min, end_min, capacity) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (store_id, day, start_min) DO NOTHING",
        tables(kind).slots
    );
    for slot in planned {
        sqlx::query(&sql)
            .bind(store_id)
            .bind(slot.date.to_string())
            .bind(i64::from(slot.start.minutes()))
            .bind(i64::from(slot.end.minutes()))
            .bind(i64::from(slot.capacity))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn set_planned_until(
    conn: &mut sqlx::AnyConnection,
    kind: SlotKind,
    store_id: i64,
    last: &str,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "UPDATE stores SET {} = $1 WHERE id = $2",
        tables(kind).planned_until
    ))
    .bind(last)
    .bind(store_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Re-plans a store's slots of a kind from `today` after its setup changed, inside the
/// caller's transaction: slots the new plan keeps stay with their bookings (capacity never
/// below what is booked), new ones are added, unbooked ones the plan drops are removed, and
/// booked ones the plan drops stay; their ids are returned (stranded).
pub async fn replan(
    conn: &mut sqlx::AnyConnection,
    kind: SlotKind,
    store_id: i64,
    setup: &StoreSetup,
    today: Date,
) -> sqlx::Result<Vec<i64>> {
    let t = tables(kind);
    let plan = slots::plan_slots(
        today,
        BOOKING_DAYS,
        &setup.hours,
        &setup.closures,
        templates_of(setup, kind),
    );
    let existing: Vec<(i64, String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT id, day, start_min, booked FROM {} WHERE store_id = $1 AND day >= $2",
        t.slots
    ))
    .bind(store_id)
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut stranded = Vec::new();
    for (id, day, start, booked) in &existing {
        let kept = plan
            .iter()
            .find(|p| p.date.to_string() == *day && i64::from(p.start.minutes()) == *start);
        match kept {
            Some(p) => {
                sqlx::query(&format!(
                    "UPDATE {} SET end_min = $1, capacity = $2 WHERE id = $3",
                    t.slots
                ))
                .bind(i64::from(p.end.minutes()))
                .bind(i64::from(p.capacity).max(*booked))
                .bind(id)
                .execute(&mut *conn)
                .await?;
            }
            None if *booked == 0 => {
                sqlx::query(&format!(
                    "DELETE FROM {} WHERE id = $1 AND booked = 0 \
                     AND NOT EXISTS (SELECT 1 FROM {} WHERE slot_id = $1)",
                    t.slots, t.bookings
                ))
                .bind(id)
                .execute(&mut *conn)
                .await?;
            }
            None => stranded.push(*id),
        }
    }
    insert_slots(conn, kind, store_id, &plan).await?;
    let last = today.add_days(i64::from(BOOKING_DAYS) - 1).to_string();
    set_planned_until(conn, kind, store_id, &last).await?;
    Ok(stranded)
}

/// A store's templates of a kind, as stored.
async fn read_templates(db: &Db, kind: SlotKind, store_id: i64) -> sqlx::Result<Vec<SlotTemplate>> {
    let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT weekdays, start_min, end_min, slot_minutes, capacity FROM {} WHERE store_id = $1 ORDER BY id",
        tables(kind).templates
    ))
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(w, s, e, m, c)| SlotTemplate {
            weekdays: w.split(',').filter_map(|x| x.parse().ok()).collect(),
            start: time(s),
            end: time(e),
            slot_minutes: m as u16,
            capacity: c as u16,
        })
        .collect())
}

/// Writes a store's templates of a kind, inside the caller's transaction.
async fn write_templates(
    conn: &mut sqlx::AnyConnection,
    kind: SlotKind,
    store_id: i64,
    templates: &[SlotTemplate],
) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO {} (store_id, weekdays, start_min, end_min, slot_minutes, capacity) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        tables(kind).templates
    );
    for t in templates {
        sqlx::query(&sql)
            .bind(store_id)
            .bind(weekdays_text(&t.weekdays))
            .bind(i64::from(t.start.minutes()))
            .bind(i64::from(t.end.minutes()))
            .bind(i64::from(t.slot_minutes))
            .bind(i64::from(t.capacity))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A store's setup as stored: hours, closures, test-drive templates and cars, service templates.
pub async fn store_setup(db: &Db, store_id: i64) -> sqlx::Result<StoreSetup> {
    let hours: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT weekday, open_min, close_min FROM store_hours WHERE store_id = $1 ORDER BY weekday, open_min",
    )
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?;
    let closures: Vec<(String, String)> =
        sqlx::query_as("SELECT day, reason FROM store_closures WHERE store_id = $1 ORDER BY day")
            .bind(store_id)
            .fetch_all(&db.pool)
            .await?;
    let series_ids: Vec<String> = sqlx::query_scalar(
        "SELECT series_id FROM test_drive_cars WHERE store_id = $1 ORDER BY series_id",
    )
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(StoreSetup {
        hours: hours
            .into_iter()
            .map(|(w, o, c)| OpeningHours {
                weekday: w as u8,
                open: time(o),
                close: time(c),
            })
            .collect(),
        closures: closures
            .into_iter()
            .filter_map(|(d, reason)| {
                Some(Closure {
                    date: Date::parse(&d)?,
                    reason,
                })
            })
            .collect(),
        templates: read_templates(db, SlotKind::TestDrive, store_id).await?,
        series_ids,
        service_templates: read_templates(db, SlotKind::Service, store_id).await?,
    })
}

/// Writes a store's hours, closures, test-drive templates and cars and service templates,
/// inside the caller's transaction (to a store that has none: the seed, or the console after
/// clearing them).
pub async fn write_store_setup(
    conn: &mut sqlx::AnyConnection,
    store_id: i64,
    setup: &StoreSetup,
) -> sqlx::Result<()> {
    let StoreSetup {
        hours,
        closures,
        templates,
        series_ids,
        service_templates,
    } = setup;
    for h in hours {
        sqlx::query(
            "INSERT INTO store_hours (store_id, weekday, open_min, close_min) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (store_id, weekday, open_min) DO NOTHING",
        )
        .bind(store_id)
        .bind(i64::from(h.weekday))
        .bind(i64::from(h.open.minutes()))
        .bind(i64::from(h.close.minutes()))
        .execute(&mut *conn)
        .await?;
    }
    for c in closures {
        sqlx::query(
            "INSERT INTO store_closures (store_id, day, reason) VALUES ($1, $2, $3) \
             ON CONFLICT (store_id, day) DO NOTHING",
        )
        .bind(store_id)
        .bind(c.date.to_string())
        .bind(c.reason.trim())
        .execute(&mut *conn)
        .await?;
    }
    write_templates(conn, SlotKind::TestDrive, store_id, templates).await?;
    write_templates(conn, SlotKind::Service, store_id, service_templates).await?;
    for series in series_ids {
        sqlx::query(
            "INSERT INTO test_drive_cars (store_id, series_id) VALUES ($1, $2) \
             ON CONFLICT (store_id, series_id) DO NOTHING",
        )
        .bind(store_id)
        .bind(series)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

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

/// Whether a store is the dealer's.
pub async fn store_of(db: &Db, dealer_id: i64, store_id: i64) -> sqlx::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM stores WHERE id = $1 AND dealer_id = $2")
            .bind(store_id)
            .bind(dealer_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.is_some())
}

#[derive(sqlx::FromRow)]
struct SlotRow {
    id: i64,
    store_id: i64,
    day: String,
    start_min: i64,
    end_min: i64,
    capacity: i64,
    booked: i64,
}

impl SlotRow {
    fn slot(self) -> Option<Slot> {
        Some(Slot {
            id: self.id,
            store_id: self.store_id,
            date: Date::parse(&self.day)?,
            start: time(self.start_min),
            end: time(self.end_min),
            seats_left: (self.capacity - self.booked).max(0) as u16,
        })
    }
}

const SLOT_COLUMNS: &str =
    "sl.id, sl.store_id, sl.day, sl.start_min, sl.end_min, sl.capacity, sl.booked";

/// The store's slots of a kind still bookable now, in time order, full ones included.
pub async fn window(
    db: &Db,
    kind: SlotKind,
    store_id: i64,
    clock: Clock,
) -> sqlx::Result<Vec<Slot>> {
    plan(db, kind, store_id, clock.today()).await?;
    let rows: Vec<SlotRow> = sqlx::query_as(&format!(
        "SELECT {SLOT_COLUMNS} FROM {} sl WHERE sl.store_id = $1 AND sl.day >= $2 AND sl.day <= $3 \
         ORDER BY sl.day, sl.start_min",
        tables(kind).slots
    ))
    .bind(store_id)
    .bind(clock.today().to_string())
    .bind(clock.last_day().to_string())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(SlotRow::slot)
        .filter(|s| clock.is_bookable(s))
        .collect())
}

/// A slot of a kind of one of the dealer's stores.
pub async fn slot(
    db: &Db,
    kind: SlotKind,
    dealer_id: i64,
    slot_id: i64,
) -> sqlx::Result<Option<Slot>> {
    let row: Option<SlotRow> = sqlx::query_as(&format!(
        "SELECT {SLOT_COLUMNS} FROM {} sl JOIN stores st ON st.id = sl.store_id \
         WHERE sl.id = $1 AND st.dealer_id = $2",
        tables(kind).slots
    ))
    .bind(slot_id)
    .bind(dealer_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.and_then(SlotRow::slot))
}

/// The free slots of the kind at the store nearest in time to `wanted` (at most `n`).
pub async fn nearest_free(
    db: &Db,
    kind: SlotKind,
    wanted: &Slot,
    clock: Clock,
    n: usize,
) -> sqlx::Result<Vec<Slot>> {
    let at = |s: &Slot| s.date.unix_days() * 1440 + i64::from(s.start.minutes());
    let mut free: Vec<Slot> = window(db, kind, wanted.store_id, clock)
        .await?
        .into_iter()
        .filter(|s| s.seats_left > 0 && s.id != wanted.id)
        .collect();
    free.sort_by_key(|s| ((at(s) - at(wanted)).abs(), at(s)));
    free.truncate(n);
    free.sort_by_key(at);
    Ok(free)
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

/// What taking a seat found.
#[derive(Debug, PartialEq, Eq)]
pub enum Seat {
    Taken,
    Full,
    /// The holder already has an open booking of that slot.
    Duplicate,
}

/// Who holds a seat: a test drive's phone, a service visit's car.
#[derive(Clone, Copy, Debug)]
pub enum Holder<'a> {
    Phone(&'a str),
    Car(i64),
}

impl Holder<'_> {
    fn kind(self) -> SlotKind {
        match self {
            Holder::Phone(_) => SlotKind::TestDrive,
            Holder::Car(_) => SlotKind::Service,
        }
    }

    fn bind<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        match self {
            Holder::Phone(phone) => query.bind(phone.to_string()),
            Holder::Car(car) => query.bind(car),
        }
    }
}

/// Takes a seat of a slot for a holder (a phone's test drive, a car's service) inside the
/// caller's transaction: one conditional update, so a full slot changes nothing.
pub async fn take_seat(
    conn: &mut sqlx::AnyConnection,
    slot_id: i64,
    holder: Holder<'_>,
) -> sqlx::Result<Seat> {
    let t = tables(holder.kind());
    let held = format!(
        "SELECT 1 FROM {} WHERE slot_id = $1 AND {} = $2 AND status IN ({})",
        t.bookings, t.holder, t.open
    );
    // One statement when the seat is there; which refusal it was is asked only after one.
    let seat = holder
        .bind(
            sqlx::query(&format!(
                "UPDATE {} SET booked = booked + 1 WHERE id = $1 AND booked < capacity \
                 AND NOT EXISTS ({held})",
                t.slots
            ))
            .bind(slot_id),
        )
        .execute(&mut *conn)
        .await?;
    if seat.rows_affected() == 1 {
        return Ok(Seat::Taken);
    }
    let twice = holder
        .bind(sqlx::query(&held).bind(slot_id))
        .fetch_optional(&mut *conn)
        .await?;
    Ok(if twice.is_some() {
        Seat::Duplicate
    } else {
        Seat::Full
    })
}

/// Gives a seat of a slot of a kind back, inside the caller's transaction.
pub async fn free_seat(
    conn: &mut sqlx::AnyConnection,
    kind: SlotKind,
    slot_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "UPDATE {} SET booked = booked - 1 WHERE id = $1",
        tables(kind).slots
    ))
    .bind(slot_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Cancels a booking and frees its seat, inside the caller's transaction.
async fn cancel_booking(
    conn: &mut sqlx::AnyConnection,
    booking_id: i64,
    slot_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE bookings SET status = 'cancelled', updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(booking_id)
        .execute(&mut *conn)
        .await?;
    free_seat(conn, SlotKind::TestDrive, slot_id).await
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
    match take_seat(&mut tx, b.slot_id, Holder::Phone(phone)).await? {
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
            series_name: self.series_name,
            trim_id: self.trim_id,
            trim_name: self.trim_name,
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

/// The price enquiries a browser may see: made by its visitor, or on a proven phone's lead.
pub async fn enquiries_seen(db: &Db, dealer_id: i64, access: &Access) -> sqlx::Result<i64> {
    let (seen, values) = access.condition("x", 2);
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT e.visitor, l.phone FROM lead_events e \
         JOIN leads l ON l.id = e.lead_id WHERE l.dealer_id = $1 AND e.kind = 'enquired') x \
         WHERE {seen}"
    );
    let mut query = sqlx::query_scalar(&sql).bind(dealer_id);
    for value in values {
        query = query.bind(value);
    }
    query.fetch_one(&db.pool).await
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
    cancel_booking(&mut tx, id, slot_id, clock.millis).await?;
    let detail = serde_json::json!({ "code": code, "by": "customer" }).to_string();
    leads::record(&mut tx, lead_id, Event::Cancelled, clock.millis, &detail).await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Moved {
    Done,
    NoBooking,
    Full,
    Duplicate,
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
    match take_seat(&mut tx, new_slot, Holder::Phone(&phone)).await? {
        Seat::Taken => {}
        Seat::Full => return Ok(Moved::Full),
        Seat::Duplicate => return Ok(Moved::Duplicate),
    }
    free_seat(&mut tx, SlotKind::TestDrive, old_slot).await?;
    sqlx::query("UPDATE bookings SET slot_id = $1, updated_at = $2 WHERE id = $3")
        .bind(new_slot)
        .bind(clock.millis)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let detail = serde_json::json!({ "code": code, "from": old_slot, "to": new_slot }).to_string();
    leads::record(&mut tx, lead_id, Event::Rescheduled, clock.millis, &detail).await?;
    tx.commit().await?;
    Ok(Moved::Done)
}

/// What the dealer keeps about a phone: the lead's name, consent and number of enquiries.
pub async fn lead_of_phone(
    db: &Db,
    dealer_id: i64,
    phone: &str,
) -> sqlx::Result<Option<(Option<String>, Option<String>, i64)>> {
    sqlx::query_as(
        "SELECT l.name, l.consent_version, \
         (SELECT COUNT(*) FROM lead_events e WHERE e.lead_id = l.id AND e.kind = 'enquired') \
         FROM leads l WHERE l.dealer_id = $1 AND l.phone = $2",
    )
    .bind(dealer_id)
    .bind(phone)
    .fetch_optional(&db.pool)
    .await
}

/// Deletes a person's data at the dealer, at once: future open bookings are cancelled and
/// their seats freed, name and phone are erased from the lead and every booking, staff notes
/// are blanked; the lead stays as an anonymous count.
pub async fn erase(db: &Db, dealer_id: i64, phone: &str, clock: Clock) -> sqlx::Result<()> {
    let mut tx = db::begin_write(db).await?;
    let open: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT b.id, b.slot_id, sl.day, sl.start_min FROM bookings b JOIN slots sl ON sl.id = b.slot_id \
         WHERE b.dealer_id = $1 AND b.phone = $2 AND b.status IN ('booked', 'confirmed')",
    )
    .bind(dealer_id)
    .bind(phone)
    .fetch_all(&mut *tx)
    .await?;
    let today = clock.today().to_string();
    for (id, slot_id, day, start) in open {
        let future = day > today || (day == today && start > i64::from(clock.minute()));
        if !future {
            continue;
        }
        cancel_booking(&mut tx, id, slot_id, clock.millis).await?;
    }
    sqlx::query(
        "UPDATE bookings SET name = NULL, phone = NULL, updated_at = $1 WHERE dealer_id = $2 AND phone = $3",
    )
    .bind(clock.millis)
    .bind(dealer_id)
    .bind(phone)
    .execute(&mut *tx)
    .await?;
    let lead: Option<i64> =
        sqlx::query_scalar("SELECT id FROM leads WHERE dealer_id = $1 AND phone = $2")
            .bind(dealer_id)
            .bind(phone)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(lead_id) = lead {
        sqlx::query(
            "UPDATE leads SET name = NULL, phone = NULL, erased_at = $1, updated_at = $1 WHERE id = $2",
        )
        .bind(clock.millis)
        .bind(lead_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE lead_events SET detail = '' WHERE lead_id = $1 AND kind = 'note'")
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        leads::record(&mut tx, lead_id, Event::Erased, clock.millis, "").await?;
    }
    sqlx::query("DELETE FROM phone_codes WHERE dealer_id = $1 AND phone = $2")
        .bind(dealer_id)
        .bind(phone)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// A price enquiry: the lead created or updated, the event on its timeline, its consultant.
pub async fn enquire(db: &Db, touch: &Touch<'_>) -> sqlx::Result<Option<Consultant>> {
    let mut tx = db::begin_write(db).await?;
    let detail = serde_json::json!({
        "series": touch.series_id, "trim": touch.trim_id,
        "page": touch.origin.page, "button": touch.origin.button, "channel": touch.origin.channel,
    });
    let owned = leads::touch(&mut tx, touch, Event::Enquired, &detail.to_string()).await?;
    let consultant = leads::consultant(&mut tx, owned.consultant_id).await?;
    tx.commit().await?;
    Ok(consultant)
}

/// The series of a trim the dealer sells.
pub async fn trim_sold(db: &Db, dealer_id: i64, trim_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT t.series_id FROM trims t JOIN dealer_trims dt ON dt.trim_id = t.id \
         WHERE dt.dealer_id = $1 AND t.id = $2",
    )
    .bind(dealer_id)
    .bind(trim_id)
    .fetch_optional(&db.pool)
    .await
}

/// Whether the dealer sells a series.
pub async fn series_sold(db: &Db, dealer_id: i64, series_id: &str) -> sqlx::Result<bool> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT series_id FROM dealer_series WHERE dealer_id = $1 AND series_id = $2",
    )
    .bind(dealer_id)
    .bind(series_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// The opening hours (as shown) of the dealer's first store.
pub async fn first_store_hours(db: &Db, dealer_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT opening_hours FROM stores WHERE dealer_id = $1 ORDER BY position, id LIMIT 1",
    )
    .bind(dealer_id)
    .fetch_optional(&db.pool)
    .await
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

    #[test]
    fn the_clock_knows_shanghai_and_the_booking_window() {
        // 2026-12-01T02:30:00Z is 10:30 in Shanghai.
        let clock = Clock {
            millis: 1_796_092_200_000,
        };
        assert_eq!(clock.today(), Date::new(2026, 12, 1));
        assert_eq!(clock.minute(), 10 * 60 + 30);
        assert_eq!(clock.last_day(), Date::new(2026, 12, 14));
        let slot = |date: Date, start: &str| Slot {
            id: 1,
            store_id: 1,
            date,
            start: TimeOfDay::parse(start).unwrap(),
            end: TimeOfDay::parse("23:00").unwrap(),
            seats_left: 1,
        };
        assert!(!clock.is_bookable(&slot(Date::new(2026, 12, 1), "10:00")));
        assert!(clock.is_bookable(&slot(Date::new(2026, 12, 1), "11:00")));
        assert!(clock.is_bookable(&slot(Date::new(2026, 12, 14), "09:00")));
        assert!(!clock.is_bookable(&slot(Date::new(2026, 12, 15), "09:00")));
        assert!(!clock.is_bookable(&slot(Date::new(2026, 11, 30), "23:00")));
    }
}
