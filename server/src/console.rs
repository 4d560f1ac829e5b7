//! The staff console's queries, every one scoped to the staff member's dealer and, for a
//! consultant, to their own leads (another's is simply not found): bookings as staff see
//! them, today's tasks and bookings, booking status, and a store's test-drive setup. The
//! leads themselves are `crate::leads`.

use shared::booking::BookingStatus;
use shared::console::{
    FirstSteps, NewStore, Role, StaffBooking, StoreSetup, StoreView, Task, TaskKind, Today,
};
use shared::contact::phone_as_seen;
use shared::date::Date;
use shared::slots::{SlotKind, TimeOfDay, BOOKING_DAYS};

use crate::clock::Clock;
use crate::db::{self, Db};
use crate::leads::{By, Event};
use crate::slots;
use crate::staff::Staff;

/// Which bookings a list shows.
pub enum BookingScope {
    /// One lead's.
    Lead(i64),
    /// A day's at the viewer's stores.
    Day(Date),
    /// One booking by code.
    Code(String),
}

#[derive(sqlx::FromRow)]
struct StaffBookingRow {
    code: String,
    status: String,
    slot_id: i64,
    store_id: i64,
    day: String,
    start_min: i64,
    end_min: i64,
    capacity: i64,
    booked: i64,
    store_name: String,
    series_name: String,
    trim_name: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    lead_id: i64,
    consultant_id: Option<i64>,
    consultant_name: Option<String>,
}

/// Bookings the viewer may see: their stores' (a manager: every store of the dealer), with
/// phones masked and leads closed unless the viewer owns the lead or manages.
pub async fn staff_bookings(
    db: &Db,
    viewer: &Staff,
    scope: BookingScope,
) -> sqlx::Result<Vec<StaffBooking>> {
    let base = "SELECT b.code, b.status, sl.id AS slot_id, sl.store_id, sl.day, sl.start_min, sl.end_min, \
         sl.capacity, sl.booked, st.name AS store_name, se.name_zh AS series_name, t.name_zh AS trim_name, \
         b.name, b.phone, b.lead_id, l.consultant_id, sf.name AS consultant_name \
         FROM bookings b JOIN slots sl ON sl.id = b.slot_id JOIN stores st ON st.id = b.store_id \
         JOIN series se ON se.id = b.series_id LEFT JOIN trims t ON t.id = b.trim_id \
         JOIN leads l ON l.id = b.lead_id LEFT JOIN staff sf ON sf.id = l.consultant_id \
         WHERE b.dealer_id = $1 AND ($2 = 1 OR b.store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = $3) \
         OR l.consultant_id = $3)";
    let (clause, value) = match &scope {
        BookingScope::Lead(id) => (" AND b.lead_id = $4", id.to_string()),
        BookingScope::Day(day) => (" AND sl.day = $4", day.to_string()),
        BookingScope::Code(code) => (" AND b.code = $4", code.clone()),
    };
    let sql = format!("{base}{clause} ORDER BY st.position, sl.day, sl.start_min, b.id");
    let query = sqlx::query_as::<_, StaffBookingRow>(&sql)
        .bind(viewer.dealer_id)
        .bind(i64::from(viewer.manages()))
        .bind(viewer.id);
    let query = match scope {
        BookingScope::Lead(id) => query.bind(id),
        _ => query.bind(value),
    };
    let rows = query.fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let visible = viewer.sees_phone(r.consultant_id);
            let slot = shared::booking::Slot {
                id: r.slot_id,
                store_id: r.store_id,
                date: Date::parse(&r.day)?,
                start: TimeOfDay::from_minutes(r.start_min as u16)?,
                end: TimeOfDay::from_minutes(r.end_min as u16)?,
                seats_left: (r.capacity - r.booked).max(0) as u16,
            };
            Some(StaffBooking {
                code: r.code,
                status: BookingStatus::parse(&r.status)?,
                slot,
                store_name: r.store_name,
                trim_name: shared::catalog::trim_under_series(
                    &r.series_name,
                    r.trim_name.as_deref(),
                ),
                series_name: r.series_name,
                name: r.name.unwrap_or_default(),
                phone: r
                    .phone
                    .map(|p| phone_as_seen(p, visible))
                    .unwrap_or_default(),
                lead_id: visible.then_some(r.lead_id),
                consultant: r.consultant_name,
            })
        })
        .collect())
}

/// A lead task's title: the tag beside it says what to do; the title is whom, and for which car.
fn lead_title(name: Option<String>, series: Option<String>) -> String {
    format!(
        "{}{}",
        name.unwrap_or_default(),
        series.map(|s| format!("（{s}）")).unwrap_or_default()
    )
}

/// 今日: the viewer's tasks and today's bookings at their stores.
pub async fn today(db: &Db, viewer: &Staff, clock: Clock) -> sqlx::Result<Today> {
    let mut tasks = Vec::new();
    let waiting: Vec<(i64, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT l.id, l.name, se.name_zh, l.created_at FROM leads l LEFT JOIN series se ON se.id = l.series_id \
         WHERE l.dealer_id = $1 AND ($2 = 1 OR l.consultant_id = $3) AND l.status = 'new' \
         AND l.first_response_at IS NULL AND l.handed_over_at IS NULL AND l.erased_at IS NULL \
         ORDER BY l.created_at",
    )
    .bind(viewer.dealer_id)
    .bind(i64::from(viewer.manages()))
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    for (id, name, series, created_at) in waiting {
        tasks.push(Task {
            kind: TaskKind::CallBack,
            lead_id: Some(id),
            booking_code: None,
            title: lead_title(name, series),
            since: created_at,
        });
    }
    // Customers handed to the viewer (离职继承) wait until the viewer first responds.
    let handed: Vec<(i64, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT l.id, l.name, se.name_zh, l.handed_over_at FROM leads l LEFT JOIN series se ON se.id = l.series_id \
         WHERE l.dealer_id = $1 AND l.consultant_id = $2 AND l.handed_over_at IS NOT NULL \
         AND l.status NOT IN ('delivered', 'lost') AND l.erased_at IS NULL ORDER BY l.handed_over_at, l.id",
    )
    .bind(viewer.dealer_id)
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    for (id, name, series, at) in handed {
        tasks.push(Task {
            kind: TaskKind::HandedOver,
            lead_id: Some(id),
            booking_code: None,
            title: lead_title(name, series),
            since: at,
        });
    }
    let tomorrow = clock.today().add_days(1);
    for b in staff_bookings(db, viewer, BookingScope::Day(tomorrow)).await? {
        if b.status == BookingStatus::Booked && b.lead_id.is_some() {
            tasks.push(Task {
                kind: TaskKind::ConfirmBooking,
                lead_id: b.lead_id,
                title: format!("{} {} 试驾{}", b.slot.start, b.name, b.series_name),
                since: Clock::midnight(b.slot.date) + i64::from(b.slot.start.minutes()) * 60_000,
                booking_code: Some(b.code),
            });
        }
    }
    if viewer.manages() {
        let claims: Vec<(i64, Option<String>, String, i64)> = sqlx::query_as(
            "SELECT id, name, lost_claim, updated_at FROM leads WHERE dealer_id = $1 AND lost_claim IS NOT NULL \
             ORDER BY updated_at",
        )
        .bind(viewer.dealer_id)
        .fetch_all(&db.pool)
        .await?;
        for (id, name, reason, at) in claims {
            tasks.push(Task {
                kind: TaskKind::ApproveLost,
                lead_id: Some(id),
                booking_code: None,
                title: format!("{}：{reason}", name.unwrap_or_default()),
                since: at,
            });
        }
    }
    let bookings = staff_bookings(db, viewer, BookingScope::Day(clock.today())).await?;
    let follow_ups = if viewer.manages() {
        crate::surveys::follow_ups(db, viewer.dealer_id).await?
    } else {
        Vec::new()
    };
    let first_steps = match viewer.role {
        Role::Admin => Some(first_steps(db, viewer.dealer_id).await?).filter(|s| !s.done()),
        _ => None,
    };
    Ok(Today {
        tasks,
        bookings,
        follow_ups,
        first_steps,
    })
}

/// How far the dealer's set-up has come.
pub async fn first_steps(db: &Db, dealer_id: i64) -> sqlx::Result<FirstSteps> {
    let (stores, colleagues, series, wechat): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM stores WHERE dealer_id = $1), \
         (SELECT COUNT(*) FROM staff WHERE dealer_id = $1 AND active = 1 AND role <> 'admin'), \
         (SELECT COUNT(*) FROM dealer_series WHERE dealer_id = $1), \
         (SELECT COUNT(*) FROM wechat_settings WHERE dealer_id = $1)",
    )
    .bind(dealer_id)
    .fetch_one(&db.pool)
    .await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(FirstSteps {
        stores: count(stores),
        colleagues: count(colleagues),
        series_on_sale: count(series),
        wechat: wechat > 0,
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum BookingChanged {
    Done(Box<StaffBooking>),
    NotFound,
    NotAllowed(BookingStatus),
}

/// Works a booking at the store (confirm, arrived, completed, no-show, cancel) on a lead the
/// viewer owns or manages; a cancellation frees the seat, a completed test drive moves the
/// lead to 已试驾.
pub async fn update_booking(
    db: &Db,
    viewer: &Staff,
    code: &str,
    to: BookingStatus,
    clock: Clock,
) -> sqlx::Result<BookingChanged> {
    let found = staff_bookings(db, viewer, BookingScope::Code(code.into())).await?;
    let Some(current) = found.into_iter().next().filter(|b| b.lead_id.is_some()) else {
        return Ok(BookingChanged::NotFound);
    };
    if !shared::console::booking_can_move(current.status, to) {
        return Ok(BookingChanged::NotAllowed(current.status));
    }
    let lead_id = current.lead_id.unwrap_or_default();
    let mut tx = db::begin_write(db).await?;
    let moved = sqlx::query(
        "UPDATE bookings SET status = $1, updated_at = $2 WHERE code = $3 AND status = $4",
    )
    .bind(to.as_str())
    .bind(clock.millis)
    .bind(code)
    .bind(current.status.as_str())
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(BookingChanged::NotAllowed(current.status));
    }
    if to == BookingStatus::Cancelled {
        slots::free_seat(&mut tx, SlotKind::TestDrive, current.slot.id).await?;
    }
    if to == BookingStatus::Completed {
        sqlx::query("UPDATE leads SET status = 'test_driven', updated_at = $1 WHERE id = $2 AND status IN ('new', 'contacted')")
            .bind(clock.millis)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        crate::referrals::reached(
            &mut tx,
            viewer.dealer_id,
            lead_id,
            crate::referrals::Milestone::Drive,
            clock.millis,
        )
        .await?;
    }
    let text = format!("预约 {code}：{} → {}", current.status.label(), to.label());
    Event::Status
        .write(&mut tx, lead_id, By::Staff(viewer.id), &text, clock.millis)
        .await?;
    tx.commit().await?;
    let updated = staff_bookings(db, viewer, BookingScope::Code(code.into())).await?;
    Ok(updated
        .into_iter()
        .next()
        .map_or(BookingChanged::NotFound, |b| {
            BookingChanged::Done(Box::new(b))
        }))
}

/// The dealer's stores with their setups.
pub async fn stores(db: &Db, viewer: &Staff) -> sqlx::Result<Vec<StoreView>> {
    let me = crate::staff::me(db, viewer).await?;
    let mut views = Vec::new();
    for store in me.stores {
        views.push(StoreView {
            setup: slots::store_setup(db, store.id).await?,
            store,
        });
    }
    Ok(views)
}

/// Adds a store to the viewer's dealer, after its others, with no hours or slots yet (they are
/// set on its card); the home page shows it at once. `None` when the dealer has a store of
/// that name already.
pub async fn add_store(db: &Db, viewer: &Staff, new: &NewStore) -> sqlx::Result<Option<StoreView>> {
    let mut tx = db::begin_write(db).await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM stores WHERE dealer_id = $1 AND name = $2")
            .bind(viewer.dealer_id)
            .bind(&new.name)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO stores (dealer_id, name, address, city, phone, opening_hours, position) \
         SELECT $1, $2, $3, $4, $5, $6, COALESCE(MAX(position), 0) + 1 FROM stores WHERE dealer_id = $1 \
         RETURNING id",
    )
    .bind(viewer.dealer_id)
    .bind(&new.name)
    .bind(&new.address)
    .bind(&new.city)
    .bind(&new.phone)
    .bind(&new.opening_hours)
    .fetch_one(&mut *tx)
    .await?;
    crate::catalog::changed(&mut tx, viewer.dealer_id).await?;
    tx.commit().await?;
    Ok(stores(db, viewer)
        .await?
        .into_iter()
        .find(|v| v.store.id == id))
}

/// Replaces a store's setup and re-plans its slots: slots the new plan keeps stay with their
/// bookings (capacity never below what is booked), new ones are added, unbooked ones the plan
/// drops are removed, and booked ones the plan drops stay and are returned as stranded
/// bookings for the manager to move or cancel. `None` when the store is not the dealer's.
pub async fn save_store(
    db: &Db,
    viewer: &Staff,
    store_id: i64,
    new: &StoreSetup,
    clock: Clock,
) -> sqlx::Result<Option<(StoreView, Vec<StaffBooking>)>> {
    if !slots::store_of(db, viewer.dealer_id, store_id).await? {
        return Ok(None);
    }
    let sold: Vec<String> =
        sqlx::query_scalar("SELECT series_id FROM dealer_series WHERE dealer_id = $1")
            .bind(viewer.dealer_id)
            .fetch_all(&db.pool)
            .await?;
    let today = clock.today();
    let mut tx = db::begin_write(db).await?;
    for table in [
        "store_hours",
        "store_closures",
        "slot_templates",
        "test_drive_cars",
        "service_templates",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE store_id = $1"))
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
    }
    let setup = StoreSetup {
        series_ids: new
            .series_ids
            .iter()
            .filter(|s| sold.contains(s))
            .cloned()
            .collect(),
        ..new.clone()
    };
    slots::write_store_setup(&mut tx, store_id, &setup).await?;
    let stranded_slots =
        slots::replan(&mut tx, SlotKind::TestDrive, store_id, &setup, today).await?;
    // Service bookings a new plan strands stay with their slots, as test drives do; the
    // advisor sees them in the service list.
    slots::replan(&mut tx, SlotKind::Service, store_id, &setup, today).await?;
    tx.commit().await?;
    let mut stranded = Vec::new();
    for day in 0..i64::from(BOOKING_DAYS) {
        for b in staff_bookings(db, viewer, BookingScope::Day(today.add_days(day))).await? {
            if stranded_slots.contains(&b.slot.id) && b.status.is_open() {
                stranded.push(b);
            }
        }
    }
    let view = StoreView {
        store: crate::staff::me(db, viewer)
            .await?
            .stores
            .into_iter()
            .find(|s| s.id == store_id)
            .expect("the store was just checked"),
        setup: slots::store_setup(db, store_id).await?,
    };
    Ok(Some((view, stranded)))
}
