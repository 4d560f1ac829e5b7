//! Slots, the machine test drives and service visits share: planned from each store's hours,
//! closures and templates (per [`SlotKind`], each kind in its own tables), the store's setup
//! they are planned from, the bookable window and the nearest free slots, and seats taken,
//! moved and given back inside the caller's transaction by one conditional update (the slots'
//! CHECK refuses overbooking whoever writes).

use shared::booking::Slot;
use shared::console::StoreSetup;
use shared::date::Date;
pub use shared::slots::SlotKind;
use shared::slots::{
    self, Closure, OpeningHours, PlannedSlot, SlotTemplate, TimeOfDay, BOOKING_DAYS,
};

use crate::clock::Clock;
use crate::db::{self, Db};

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

/// A slot as stored (also read flattened into a booking's row).
#[derive(sqlx::FromRow)]
pub(crate) struct SlotRow {
    id: i64,
    pub(crate) store_id: i64,
    day: String,
    start_min: i64,
    end_min: i64,
    capacity: i64,
    booked: i64,
}

impl SlotRow {
    pub(crate) fn slot(self) -> Option<Slot> {
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

/// Cancels an open booking of a kind and gives its seat back, inside the caller's
/// transaction; a booking no longer open (cancelled meanwhile) keeps the seat count as it is.
pub async fn cancel_seat(
    conn: &mut sqlx::AnyConnection,
    kind: SlotKind,
    booking_id: i64,
    slot_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    let t = tables(kind);
    let cancelled = sqlx::query(&format!(
        "UPDATE {} SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND status IN ({})",
        t.bookings, t.open
    ))
    .bind(now)
    .bind(booking_id)
    .execute(&mut *conn)
    .await?;
    if cancelled.rows_affected() == 1 {
        free_seat(conn, kind, slot_id).await?;
    }
    Ok(())
}

/// What moving a booking to another slot found.
#[derive(Debug, PartialEq, Eq)]
pub enum Moved {
    Done,
    NoBooking,
    Full,
    Duplicate,
}

/// Moves a booking of the holder's (a test drive's phone, a service visit's car) from the slot
/// `from` to `to`, inside the caller's transaction: the new seat is taken by the same
/// conditional update as a booking, the old one freed. Test drives and service visits both
/// move this way.
pub async fn move_seat(
    conn: &mut sqlx::AnyConnection,
    holder: Holder<'_>,
    booking_id: i64,
    from: i64,
    to: i64,
    now: i64,
) -> sqlx::Result<Moved> {
    match take_seat(conn, to, holder).await? {
        Seat::Taken => {}
        Seat::Full => return Ok(Moved::Full),
        Seat::Duplicate => return Ok(Moved::Duplicate),
    }
    let kind = holder.kind();
    free_seat(conn, kind, from).await?;
    sqlx::query(&format!(
        "UPDATE {} SET slot_id = $1, updated_at = $2 WHERE id = $3",
        tables(kind).bookings
    ))
    .bind(to)
    .bind(now)
    .bind(booking_id)
    .execute(&mut *conn)
    .await?;
    Ok(Moved::Done)
}
