//! Service visits (保养/维修) in the database: an owner's booking of a bound car takes a seat of
//! a service slot (`slots::take_seat`, the test drives' conditional update) in the
//! transaction that writes it; cancel and reschedule free and take seats in one transaction;
//! the service advisor's list, and a visit completed at the workshop (status, odometer reading
//! and the owner's points in one transaction) or marked no-show.

use shared::booking::Slot;
use shared::catalog::Store;
use shared::contact::phone_as_seen;
use shared::date::Date;
use shared::maintenance::Reading;
use shared::service::{
    ServiceBooking, ServiceOutcome, ServiceStatus, ServiceWork, StaffService, ValidService,
};
use shared::slots::TimeOfDay;

use crate::bookings::{self, Booked};
use crate::clock::Clock;
use crate::db::{self, Db};
use crate::idempotency::{self, Claim, Key};
use crate::owners::ReadingRefused;
use crate::points::{self, Award, Reason};
use crate::slots::{self, Holder, Moved, Seat, SlotKind};
use crate::staff::Staff;

/// The dealer's stores that take service bookings (they have service templates).
pub async fn stores(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<Store>> {
    let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, name, address, city, phone, opening_hours FROM stores st WHERE dealer_id = $1 \
         AND EXISTS (SELECT 1 FROM service_templates t WHERE t.store_id = st.id) \
         ORDER BY position, id",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, address, city, phone, opening_hours)| Store {
            id,
            name,
            address,
            city,
            phone,
            opening_hours,
        })
        .collect())
}

/// Whether the car is bound to the owner now, at this dealer.
pub async fn owns(db: &Db, dealer_id: i64, owner_id: i64, car_id: i64) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT c.id FROM car_bindings b JOIN cars c ON c.id = b.car_id \
         WHERE b.owner_id = $1 AND b.car_id = $2 AND c.dealer_id = $3 \
         AND b.bound_at IS NOT NULL AND b.ended_at IS NULL",
    )
    .bind(owner_id)
    .bind(car_id)
    .bind(dealer_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// The last maintenance done at the workshop, by car: the day it was completed and the km
/// read. `car_id` 0: every car (the reminder scheduler's pass).
pub async fn last_maintenance(
    db: &Db,
    car_id: i64,
) -> sqlx::Result<std::collections::HashMap<i64, Reading>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT car_id, completed_at, km FROM service_bookings \
         WHERE ($1 = 0 OR car_id = $1) AND work = 'maintenance' AND status = 'completed' \
         AND km IS NOT NULL AND completed_at IS NOT NULL ORDER BY completed_at, id",
    )
    .bind(car_id)
    .fetch_all(&db.pool)
    .await?;
    // In time order: each car keeps its latest.
    Ok(rows
        .into_iter()
        .map(|(car, at, km)| {
            let day = Date::shanghai_from_unix_millis(at);
            (car, Reading { day, km })
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    code: String,
    car_id: i64,
    owner_id: Option<i64>,
    plate: String,
    work: String,
    note: String,
    status: String,
    km: Option<i64>,
    slot_id: i64,
    store_id: i64,
    day: String,
    start_min: i64,
    end_min: i64,
    capacity: i64,
    booked: i64,
    store_name: String,
    address: String,
    city: String,
    store_phone: String,
    opening_hours: String,
}

/// A booking's columns with its slot, store and car, and where they come from.
const COLUMNS: &str = "b.id, b.code, b.car_id, b.owner_id, c.plate, b.work, b.note, b.status, \
     b.km, sl.id AS slot_id, sl.store_id, sl.day, sl.start_min, sl.end_min, sl.capacity, sl.booked, \
     st.name AS store_name, st.address, st.city, st.phone AS store_phone, st.opening_hours";
const FROM: &str = "FROM service_bookings b JOIN service_slots sl ON sl.id = b.slot_id \
     JOIN stores st ON st.id = b.store_id JOIN cars c ON c.id = b.car_id";

fn slot_of(id: i64, store_id: i64, day: &str, start: i64, end: i64, left: i64) -> Option<Slot> {
    Some(Slot {
        id,
        store_id,
        date: Date::parse(day)?,
        start: TimeOfDay::from_minutes(start.clamp(0, 1440) as u16)?,
        end: TimeOfDay::from_minutes(end.clamp(0, 1440) as u16)?,
        seats_left: left.max(0) as u16,
    })
}

impl Row {
    fn booking(self) -> Option<ServiceBooking> {
        Some(ServiceBooking {
            slot: slot_of(
                self.slot_id,
                self.store_id,
                &self.day,
                self.start_min,
                self.end_min,
                self.capacity - self.booked,
            )?,
            store: Store {
                id: self.store_id,
                name: self.store_name,
                address: self.address,
                city: self.city,
                phone: self.store_phone,
                opening_hours: self.opening_hours,
            },
            code: self.code,
            car_id: self.car_id,
            plate: self.plate,
            work: ServiceWork::parse(&self.work)?,
            note: self.note,
            status: ServiceStatus::parse(&self.status)?,
            km: self.km,
        })
    }
}

/// The owner's service bookings of the cars bound to them now, the latest slot first.
pub async fn of_owner(db: &Db, dealer_id: i64, owner_id: i64) -> sqlx::Result<Vec<ServiceBooking>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} {FROM} WHERE b.dealer_id = $1 AND b.owner_id = $2 AND EXISTS (SELECT 1 FROM car_bindings cb \
         WHERE cb.car_id = b.car_id AND cb.owner_id = $2 AND cb.bound_at IS NOT NULL AND cb.ended_at IS NULL) \
         ORDER BY sl.day DESC, sl.start_min DESC, b.id DESC"
    ))
    .bind(dealer_id)
    .bind(owner_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(Row::booking).collect())
}

/// A car's service bookings, the latest slot first (the console's car page).
pub async fn of_car(db: &Db, dealer_id: i64, car_id: i64) -> sqlx::Result<Vec<ServiceBooking>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} {FROM} WHERE b.dealer_id = $1 AND b.car_id = $2 \
         ORDER BY sl.day DESC, sl.start_min DESC, b.id DESC"
    ))
    .bind(dealer_id)
    .bind(car_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(Row::booking).collect())
}

/// One of the owner's service bookings by its code.
pub async fn of_owner_by_code(
    db: &Db,
    dealer_id: i64,
    owner_id: i64,
    code: &str,
) -> sqlx::Result<Option<ServiceBooking>> {
    Ok(of_owner(db, dealer_id, owner_id)
        .await?
        .into_iter()
        .find(|b| b.code == code))
}

/// A service visit to write: the owner's car, the slot and what is to be done.
pub struct NewService<'a> {
    pub dealer_id: i64,
    pub slot: &'a Slot,
    pub car_id: i64,
    pub owner_id: i64,
    pub request: &'a ValidService,
    /// The `Idempotency-Key` the request came with: claimed first, its answer replayed.
    pub idempotency: Option<Key<'a>>,
}

/// Takes a seat of the service slot and writes the booking in one transaction (the test
/// drives' outcomes: done, full, a duplicate, or a retry's replay).
pub async fn book(db: &Db, visit: &NewService<'_>, clock: Clock) -> sqlx::Result<Booked> {
    let NewService {
        dealer_id,
        slot,
        car_id,
        owner_id,
        request,
        ..
    } = *visit;
    let mut tx = db::begin_write(db).await?;
    let code = bookings::new_code();
    if let Some(key) = &visit.idempotency {
        match idempotency::claim(&mut tx, dealer_id, key, &code, clock.millis).await? {
            Claim::Fresh => {}
            Claim::Replay(code) => return Ok(Booked::Replayed(code)),
            Claim::Reused => return Ok(Booked::KeyReused),
        }
    }
    match slots::take_seat(&mut tx, slot.id, Holder::Car(car_id)).await? {
        Seat::Taken => {}
        Seat::Full => return Ok(Booked::Full),
        Seat::Duplicate => return Ok(Booked::Duplicate),
    }
    sqlx::query(
        "INSERT INTO service_bookings (code, dealer_id, store_id, slot_id, car_id, owner_id, work, \
         note, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'booked', $9, $9)",
    )
    .bind(&code)
    .bind(dealer_id)
    .bind(slot.store_id)
    .bind(slot.id)
    .bind(car_id)
    .bind(owner_id)
    .bind(request.work.as_str())
    .bind(&request.note)
    .bind(clock.millis)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Booked::Done(code))
}

/// An open booking of the owner's: its id and slot.
async fn open_of_owner(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    owner_id: i64,
    code: &str,
) -> sqlx::Result<Option<(i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT id, slot_id, car_id FROM service_bookings WHERE dealer_id = $1 AND owner_id = $2 \
         AND code = $3 AND status = 'booked'",
    )
    .bind(dealer_id)
    .bind(owner_id)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await
}

/// Cancels an open booking of the owner's and frees its seat; `false` when there is none.
pub async fn cancel(
    db: &Db,
    dealer_id: i64,
    owner_id: i64,
    code: &str,
    clock: Clock,
) -> sqlx::Result<bool> {
    let mut tx = db::begin_write(db).await?;
    let Some((id, slot_id, _)) = open_of_owner(&mut tx, dealer_id, owner_id, code).await? else {
        return Ok(false);
    };
    slots::cancel_seat(&mut tx, SlotKind::Service, id, slot_id, clock.millis).await?;
    tx.commit().await?;
    Ok(true)
}

/// Moves an open booking of the owner's to another service slot: the new seat taken by the
/// same conditional update as a booking, the old one freed, in one transaction.
pub async fn reschedule(
    db: &Db,
    dealer_id: i64,
    owner_id: i64,
    code: &str,
    new_slot: i64,
    clock: Clock,
) -> sqlx::Result<Moved> {
    let mut tx = db::begin_write(db).await?;
    let Some((id, old_slot, car_id)) = open_of_owner(&mut tx, dealer_id, owner_id, code).await?
    else {
        return Ok(Moved::NoBooking);
    };
    let holder = Holder::Car(car_id);
    let moved = slots::move_seat(&mut tx, holder, id, old_slot, new_slot, clock.millis).await?;
    if moved == Moved::Done {
        tx.commit().await?;
    }
    Ok(moved)
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    #[sqlx(flatten)]
    row: Row,
    model: String,
    odometer_km: i64,
    advisor_id: Option<i64>,
    advisor: Option<String>,
    owner_name: Option<String>,
    owner_phone: Option<String>,
}

/// Which service bookings the console lists.
pub enum Scope<'a> {
    /// From a week back (those still open: to mark) through the booking window.
    Board(Date),
    Code(&'a str),
}

/// Service bookings the viewer may see: a manager's or admin's, all of the dealer's; a service
/// advisor's, those at their stores or of the cars they look after. Phones are shown in full
/// to the car's advisor, managers and admins.
pub async fn staff_list(
    db: &Db,
    viewer: &Staff,
    scope: Scope<'_>,
) -> sqlx::Result<Vec<(i64, Option<i64>, StaffService)>> {
    let base = format!(
        "SELECT {COLUMNS}, br.name_zh || ' ' || se.name_zh AS model, c.odometer_km, c.advisor_id, \
         a.name AS advisor, l.name AS owner_name, l.phone AS owner_phone {FROM} \
         JOIN series se ON se.id = c.series_id JOIN brands br ON br.id = se.brand_id \
         LEFT JOIN staff a ON a.id = c.advisor_id LEFT JOIN leads l ON l.id = c.lead_id \
         WHERE b.dealer_id = $1 AND ($2 = 1 OR c.advisor_id = $3 \
         OR b.store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = $3))"
    );
    let query = match scope {
        Scope::Board(today) => {
            sqlx::query_as::<_, StaffRow>(&format!(
                "{base} AND ((sl.day >= $4 AND sl.day <= $5 AND b.status <> 'cancelled') \
             OR (sl.day < $4 AND sl.day >= $6 AND b.status = 'booked')) \
             ORDER BY sl.day, sl.start_min, st.position, b.id"
            ))
            .bind(viewer.dealer_id)
            .bind(i64::from(viewer.manages()))
            .bind(viewer.id)
            .bind(today.to_string())
            .bind(
                today
                    .add_days(i64::from(shared::slots::BOOKING_DAYS) - 1)
                    .to_string(),
            )
            .bind(today.add_days(-7).to_string())
            .fetch_all(&db.pool)
            .await?
        }
        Scope::Code(code) => {
            sqlx::query_as::<_, StaffRow>(&format!("{base} AND b.code = $4"))
                .bind(viewer.dealer_id)
                .bind(i64::from(viewer.manages()))
                .bind(viewer.id)
                .bind(code)
                .fetch_all(&db.pool)
                .await?
        }
    };
    Ok(query
        .into_iter()
        .filter_map(|r| {
            let full = viewer.sees_phone(r.advisor_id);
            let (id, owner_id) = (r.row.id, r.row.owner_id);
            let b = r.row.booking()?;
            Some((
                id,
                owner_id,
                StaffService {
                    code: b.code,
                    status: b.status,
                    work: b.work,
                    note: b.note,
                    slot: b.slot,
                    store_name: b.store.name,
                    car_id: b.car_id,
                    model: r.model,
                    plate: b.plate,
                    odometer_km: r.odometer_km,
                    owner_name: r.owner_name,
                    owner_phone: r.owner_phone.map(|p| phone_as_seen(p, full)),
                    advisor: r.advisor,
                    km: b.km,
                },
            ))
        })
        .collect())
}

/// What recording a visit found.
#[derive(Debug)]
pub enum Recorded {
    Done(Box<StaffService>),
    NotFound,
    /// Not open any more: what it is now.
    NotOpen(ServiceStatus),
    /// Its day has not come yet.
    TooEarly,
}

/// Records a visit the viewer may see: completed (its status, a reading of the km read at the
/// workshop and the owner's service points, once, in one transaction; a reading below the last
/// writes nothing) or no-show.
pub async fn record(
    db: &Db,
    viewer: &Staff,
    code: &str,
    outcome: ServiceOutcome,
    clock: Clock,
) -> Result<Recorded, ReadingRefused> {
    let Some((id, owner_id, current)) = staff_list(db, viewer, Scope::Code(code))
        .await?
        .into_iter()
        .next()
    else {
        return Ok(Recorded::NotFound);
    };
    if !current.status.is_open() {
        return Ok(Recorded::NotOpen(current.status));
    }
    if current.slot.date > clock.today() {
        return Ok(Recorded::TooEarly);
    }
    let milestones = points::milestones(db, viewer.dealer_id).await?;
    let mut tx = db::begin_write(db).await?;
    let (status, km) = match outcome {
        ServiceOutcome::Completed { km } => (ServiceStatus::Completed, Some(km)),
        ServiceOutcome::NoShow => (ServiceStatus::NoShow, None),
    };
    let moved = sqlx::query(
        "UPDATE service_bookings SET status = $1, km = $2, completed_at = $3, completed_by = $4, \
         updated_at = $5 WHERE id = $6 AND status = 'booked'",
    )
    .bind(status.as_str())
    .bind(km)
    .bind(km.map(|_| clock.millis))
    .bind(viewer.id)
    .bind(clock.millis)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(Recorded::NotOpen(current.status));
    }
    if let Some(km) = km {
        crate::owners::write_reading(&mut tx, current.car_id, km, (None, Some(viewer.id)), clock)
            .await?;
        if let Some(owner_id) = owner_id {
            let detail = format!("{}完成（{}）", current.work.label(), current.plate);
            points::award(
                &mut tx,
                &Award {
                    dealer_id: viewer.dealer_id,
                    owner_id,
                    points: milestones.service_points,
                    reason: Reason::Service,
                    detail: &detail,
                    source: &format!("service:{id}"),
                    now: clock.millis,
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(staff_list(db, viewer, Scope::Code(code))
        .await?
        .into_iter()
        .next()
        .map_or(Recorded::NotFound, |(_, _, b)| Recorded::Done(Box::new(b))))
}
