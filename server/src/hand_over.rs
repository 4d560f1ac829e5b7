//! 离职继承 in the database: what each staff member of a dealer holds (open leads and their
//! upcoming test drives, the cars they advise and their upcoming service visits, share
//! links), and the hand-over that moves all of it to a colleague in one transaction, with a
//! line on each moved lead's timeline and the successor recorded on the departed's row (their
//! links, posters and showcase then credit the successor: `attribution::heir`,
//! `consultants::card`).

use shared::console::Role;
use shared::error::ApiError;
use shared::hand_over::{check_successor, HandOverPerson, HandedOver, Holdings};
use sqlx::AnyConnection;

use crate::clock::Clock;
use crate::db::{self, Db};
use crate::leads::{By, Event};
use crate::staff::Staff;

/// Why a hand-over was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The departing person or the successor is not a staff member of the dealer.
    NotFound(&'static str),
    /// The successor may not take over (`shared::hand_over::check_successor`).
    Invalid(ApiError),
}

/// A lead's status while it is worked: a hand-over moves these, closed ones keep their history.
const OPEN: &str = "NOT IN ('delivered', 'lost')";

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    role: String,
    active: i64,
    successor: Option<String>,
}

const PERSON: &str = "SELECT s.id, s.name, s.role, s.active, h.name AS successor \
     FROM staff s LEFT JOIN staff h ON h.id = s.successor_id WHERE s.dealer_id = $1";

impl PersonRow {
    fn person(self, holds: Holdings) -> Option<HandOverPerson> {
        Some(HandOverPerson {
            id: self.id,
            name: self.name,
            role: Role::parse(&self.role)?,
            active: self.active == 1,
            successor: self.successor,
            holds,
        })
    }
}

/// What `staff_id` holds today (`day`: upcoming visits are on it or later).
async fn holdings(conn: &mut AnyConnection, staff_id: i64, day: &str) -> sqlx::Result<Holdings> {
    let (leads, bookings, owners, service_visits, links): (i64, i64, i64, i64, i64) =
        sqlx::query_as(&format!(
            "SELECT \
             (SELECT COUNT(*) FROM leads l WHERE l.consultant_id = $1 AND l.status {OPEN}), \
             (SELECT COUNT(*) FROM bookings b JOIN slots sl ON sl.id = b.slot_id \
              JOIN leads l ON l.id = b.lead_id WHERE l.consultant_id = $1 AND l.status {OPEN} \
              AND b.status IN ('booked', 'confirmed') AND sl.day >= $2), \
             (SELECT COUNT(*) FROM cars WHERE advisor_id = $1), \
             (SELECT COUNT(*) FROM service_bookings b JOIN service_slots sl ON sl.id = b.slot_id \
              JOIN cars c ON c.id = b.car_id WHERE c.advisor_id = $1 AND b.status = 'booked' \
              AND sl.day >= $2), \
             (SELECT COUNT(*) FROM links WHERE staff_id = $1)"
        ))
        .bind(staff_id)
        .bind(day)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Holdings {
        leads,
        bookings,
        owners,
        service_visits,
        links,
    })
}

/// The dealer's staff with what each holds: departed (inactive or handed over) first, then
/// by name.
pub async fn board(db: &Db, dealer_id: i64, clock: Clock) -> sqlx::Result<Vec<HandOverPerson>> {
    let mut conn = db.pool.acquire().await?;
    let rows: Vec<PersonRow> = sqlx::query_as(&format!("{PERSON} ORDER BY s.active, s.id"))
        .bind(dealer_id)
        .fetch_all(&mut *conn)
        .await?;
    let day = clock.today().to_string();
    let mut staff = Vec::new();
    for row in rows {
        let holds = holdings(&mut conn, row.id, &day).await?;
        staff.extend(row.person(holds));
    }
    staff.sort_by_key(|p| (p.active && p.successor.is_none(), p.id));
    Ok(staff)
}

/// One staff member of the dealer, read inside the caller's transaction.
async fn person(
    conn: &mut AnyConnection,
    dealer_id: i64,
    staff_id: i64,
) -> sqlx::Result<Option<HandOverPerson>> {
    let row: Option<PersonRow> = sqlx::query_as(&format!("{PERSON} AND s.id = $2"))
        .bind(dealer_id)
        .bind(staff_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.and_then(|r| r.person(Holdings::default())))
}

/// `ids` as a SQL list (`(1, 2, 3)`); they are the database's own integers.
fn id_list(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("({})", ids.join(", "))
}

/// Hands staff member `from_id` of the admin's dealer over to `to_id`, in one transaction:
/// the successor is recorded first (on PostgreSQL that row lock orders the hand-over with
/// every booking crediting `from`: see `attribution::heir`), then open leads (each with a
/// timeline line), the visitors bound to `from`, share links and advised cars move. Run
/// again, it finds nothing left to move.
pub async fn hand_over(
    db: &Db,
    admin: &Staff,
    from_id: i64,
    to_id: i64,
    clock: Clock,
) -> sqlx::Result<Result<HandedOver, Refusal>> {
    let dealer_id = admin.dealer_id;
    let now = clock.millis;
    let mut tx = db::begin_write(db).await?;
    let Some(from) = person(&mut tx, dealer_id, from_id).await? else {
        return Ok(Err(Refusal::NotFound("未找到该员工")));
    };
    let Some(to) = person(&mut tx, dealer_id, to_id).await? else {
        return Ok(Err(Refusal::NotFound("未找到接手的同事")));
    };
    if let Err(e) = check_successor(from.id, from.role, &to) {
        return Ok(Err(Refusal::Invalid(e)));
    }
    // Whoever was handed to `from` before now points at `to`: a successor is one step away.
    sqlx::query("UPDATE staff SET successor_id = $1 WHERE dealer_id = $2 AND (id = $3 OR successor_id = $3)")
        .bind(to.id)
        .bind(dealer_id)
        .bind(from.id)
        .execute(&mut *tx)
        .await?;
    let leads: Vec<i64> = sqlx::query_scalar(&format!(
        "UPDATE leads SET consultant_id = $1, handed_over_at = $2, updated_at = $2 \
         WHERE dealer_id = $3 AND consultant_id = $4 AND status {OPEN} RETURNING id"
    ))
    .bind(to.id)
    .bind(now)
    .bind(dealer_id)
    .bind(from.id)
    .fetch_all(&mut *tx)
    .await?;
    let line = format!("离职继承：{}的客户交给{}", from.name, to.name);
    for lead in &leads {
        Event::HandedOver
            .write(&mut tx, *lead, By::Staff(admin.id), &line, now)
            .await?;
    }
    sqlx::query("UPDATE visitor_bindings SET staff_id = $1 WHERE dealer_id = $2 AND staff_id = $3")
        .bind(to.id)
        .bind(dealer_id)
        .bind(from.id)
        .execute(&mut *tx)
        .await?;
    let links =
        sqlx::query("UPDATE links SET staff_id = $1 WHERE dealer_id = $2 AND staff_id = $3")
            .bind(to.id)
            .bind(dealer_id)
            .bind(from.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    let cars: Vec<i64> = sqlx::query_scalar(
        "UPDATE cars SET advisor_id = $1 WHERE dealer_id = $2 AND advisor_id = $3 RETURNING id",
    )
    .bind(to.id)
    .bind(dealer_id)
    .bind(from.id)
    .fetch_all(&mut *tx)
    .await?;
    let day = clock.today().to_string();
    let bookings: i64 = if leads.is_empty() {
        0
    } else {
        sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM bookings b JOIN slots sl ON sl.id = b.slot_id \
             WHERE b.lead_id IN {} AND b.status IN ('booked', 'confirmed') AND sl.day >= $1",
            id_list(&leads)
        ))
        .bind(&day)
        .fetch_one(&mut *tx)
        .await?
    };
    let service_visits: i64 = if cars.is_empty() {
        0
    } else {
        sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM service_bookings b JOIN service_slots sl ON sl.id = b.slot_id \
             WHERE b.car_id IN {} AND b.status = 'booked' AND sl.day >= $1",
            id_list(&cars)
        ))
        .bind(&day)
        .fetch_one(&mut *tx)
        .await?
    };
    // The showcase and page shells name the consultant: cached answers go stale now.
    crate::catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(Ok(HandedOver {
        from: from.name,
        to: to.name,
        moved: Holdings {
            leads: leads.len() as i64,
            bookings,
            owners: cars.len() as i64,
            service_visits,
            links: i64::try_from(links).unwrap_or(i64::MAX),
        },
    }))
}
