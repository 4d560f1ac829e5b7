//! Owners and their cars: delivering a lead's car (the car, its first reading, a binding code
//! and the lead marked delivered, in one transaction), binding codes (a new one ends every
//! earlier binding of the car; each binds once, within 7 days), odometer readings that only
//! go up, and a car with everything due, as the owner sees it.

use shared::date::Date;
use shared::inspection::{self, InspectionFacts};
use shared::link;
use shared::maintenance::{self, MaintenancePlan, Reading, WarrantyTerms};
use shared::owner::{Advisor, Delivery, InspectionMarks, OwnerCar, BINDING_DAYS};
use shared::vin;

use crate::clock::Clock;
use crate::db::{self, Db};
use crate::leads::{By, Event};

const DAY_MS: i64 = 86_400_000;

/// Ends every binding of the car (waiting or bound) and issues a new code, valid 7 days.
pub async fn issue_code(
    conn: &mut sqlx::AnyConnection,
    car_id: i64,
    staff_id: i64,
    now: i64,
) -> sqlx::Result<(String, i64)> {
    sqlx::query("UPDATE car_bindings SET ended_at = $1 WHERE car_id = $2 AND ended_at IS NULL")
        .bind(now)
        .bind(car_id)
        .execute(&mut *conn)
        .await?;
    let expires_at = now + BINDING_DAYS * DAY_MS;
    loop {
        let Some(code) = link::code_from(rand::random::<[u8; 32]>()) else {
            continue;
        };
        let inserted = sqlx::query(
            "INSERT INTO car_bindings (car_id, code, issued_by, issued_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING",
        )
        .bind(car_id)
        .bind(&code)
        .bind(staff_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok((code, expires_at));
        }
    }
}

/// What refused a delivery.
#[derive(Debug, PartialEq, Eq)]
pub enum NotDelivered {
    /// Not a lead the staff member may see.
    NoLead,
    /// A lost lead buys nothing.
    Lost,
    /// Not a trim the dealer sells.
    Trim,
    /// Not an active service advisor of the dealer.
    Advisor,
    /// The dealer delivered that VIN already.
    Vin,
}

/// Delivers the lead's car: the car, its first reading, the lead delivered (with a line on
/// its timeline) and a binding code. Returns the car and its code.
pub async fn deliver(
    db: &Db,
    staff: &crate::staff::Staff,
    lead_id: i64,
    d: &Delivery,
    clock: Clock,
) -> sqlx::Result<Result<(i64, String, i64), NotDelivered>> {
    let lead: Option<(String,)> = sqlx::query_as(
        "SELECT status FROM leads WHERE id = $1 AND dealer_id = $2 AND erased_at IS NULL \
         AND ($3 = 1 OR consultant_id = $4)",
    )
    .bind(lead_id)
    .bind(staff.dealer_id)
    .bind(i64::from(staff.manages()))
    .bind(staff.id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((status,)) = lead else {
        return Ok(Err(NotDelivered::NoLead));
    };
    if status == "lost" {
        return Ok(Err(NotDelivered::Lost));
    }
    let series: Option<(String,)> = sqlx::query_as(
        "SELECT t.series_id FROM dealer_trims dt JOIN trims t ON t.id = dt.trim_id \
         WHERE dt.dealer_id = $1 AND dt.trim_id = $2",
    )
    .bind(staff.dealer_id)
    .bind(&d.trim_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((series_id,)) = series else {
        return Ok(Err(NotDelivered::Trim));
    };
    let advisor: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM staff WHERE id = $1 AND dealer_id = $2 AND role = 'service_advisor' AND active = 1",
    )
    .bind(d.advisor_id)
    .bind(staff.dealer_id)
    .fetch_optional(&db.pool)
    .await?;
    if advisor.is_none() {
        return Ok(Err(NotDelivered::Advisor));
    }
    let mut tx = db::begin_write(db).await?;
    let car_id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO cars (dealer_id, lead_id, series_id, trim_id, vin, plate, delivered_on, \
             registered_on, insurance_ends_on, odometer_km, advisor_id, delivered_by, created_at, \
             manufactured_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (dealer_id, vin) DO NOTHING RETURNING id",
    )
    .bind(staff.dealer_id)
    .bind(lead_id)
    .bind(&series_id)
    .bind(&d.trim_id)
    .bind(&d.vin)
    .bind(&d.plate)
    .bind(d.delivered_on.to_string())
    .bind(d.registered_on.to_string())
    .bind(d.insurance_ends_on.map(|x| x.to_string()))
    .bind(d.odometer_km)
    .bind(d.advisor_id)
    .bind(staff.id)
    .bind(clock.millis)
    .bind(d.manufactured_on.map(|x| x.to_string()))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(car_id) = car_id else {
        return Ok(Err(NotDelivered::Vin));
    };
    sqlx::query(
        "INSERT INTO mileage_readings (car_id, day, km, staff_id, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(car_id)
    .bind(d.delivered_on.to_string())
    .bind(d.odometer_km)
    .bind(staff.id)
    .bind(clock.millis)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE leads SET status = 'delivered', updated_at = $1 WHERE id = $2")
        .bind(clock.millis)
        .bind(lead_id)
        .execute(&mut *tx)
        .await?;
    let delivered = format!("交车：{}，{}", d.plate, vin::mask(&d.vin));
    Event::Status
        .write(
            &mut tx,
            lead_id,
            By::Staff(staff.id),
            &delivered,
            clock.millis,
        )
        .await?;
    crate::referrals::reached(
        &mut tx,
        staff.dealer_id,
        lead_id,
        crate::referrals::Milestone::Deliver,
        clock.millis,
    )
    .await?;
    let (code, expires_at) = issue_code(&mut tx, car_id, staff.id, clock.millis).await?;
    tx.commit().await?;
    Ok(Ok((car_id, code, expires_at)))
}

/// What became of a binding code.
#[derive(Debug, PartialEq, Eq)]
pub enum Bound {
    /// Bound now (or already, to this same owner).
    Yes {
        owner_id: i64,
    },
    /// No such code at this dealer.
    Unknown,
    Expired,
    /// Bound by someone (else) already.
    Used,
    /// A newer code replaced it.
    Replaced,
}

/// A binding code's state: binding id, expires, owner, bound, ended.
type BindingState = (i64, i64, Option<i64>, Option<i64>, Option<i64>);

/// Binds the car of `code` to the owner `owner` (a new owner when `None` or not of this dealer),
/// keeping the visitor cookie they bound with (the first one: a referral from it is their own).
pub async fn bind(
    db: &Db,
    dealer_id: i64,
    code: &str,
    owner: Option<i64>,
    visitor: &str,
    clock: Clock,
) -> sqlx::Result<Bound> {
    if !link::is_code(code) {
        return Ok(Bound::Unknown);
    }
    let mut tx = db::begin_write(db).await?;
    let row: Option<BindingState> = sqlx::query_as(
        "SELECT b.id, b.expires_at, b.owner_id, b.bound_at, b.ended_at FROM car_bindings b \
         JOIN cars c ON c.id = b.car_id WHERE b.code = $1 AND c.dealer_id = $2",
    )
    .bind(code)
    .bind(dealer_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((binding_id, expires_at, bound_owner, bound_at, ended_at)) = row else {
        return Ok(Bound::Unknown);
    };
    if bound_at.is_some() {
        return Ok(match (ended_at, bound_owner) {
            (None, Some(o)) if Some(o) == owner => Bound::Yes { owner_id: o },
            _ => Bound::Used,
        });
    }
    if ended_at.is_some() {
        return Ok(Bound::Replaced);
    }
    if expires_at <= clock.millis {
        return Ok(Bound::Expired);
    }
    let known: Option<i64> = match owner {
        Some(id) => {
            sqlx::query_scalar("SELECT id FROM owners WHERE id = $1 AND dealer_id = $2")
                .bind(id)
                .bind(dealer_id)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    let owner_id = match known {
        Some(id) => id,
        None => sqlx::query_scalar(
            "INSERT INTO owners (dealer_id, created_at, visitor) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(dealer_id)
        .bind(clock.millis)
        .bind(visitor)
        .fetch_one(&mut *tx)
        .await?,
    };
    let done = sqlx::query(
        "UPDATE car_bindings SET owner_id = $1, bound_at = $2 \
         WHERE id = $3 AND bound_at IS NULL AND ended_at IS NULL",
    )
    .bind(owner_id)
    .bind(clock.millis)
    .bind(binding_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(Bound::Used);
    }
    sqlx::query("UPDATE owners SET visitor = $1 WHERE id = $2 AND visitor IS NULL")
        .bind(visitor)
        .bind(owner_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Bound::Yes { owner_id })
}

/// The car's readings, oldest first.
pub async fn readings(db: &Db, car_id: i64) -> sqlx::Result<Vec<Reading>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT day, km FROM mileage_readings WHERE car_id = $1 ORDER BY id")
            .bind(car_id)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, km)| {
            Some(Reading {
                day: Date::parse(&day)?,
                km,
            })
        })
        .collect())
}

/// Why a reading was not written: it breaks a rule of `shared::maintenance` (below the last
/// reading, out of range; the handler's 422), or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadingRefused {
    #[error("reading refused: {0}")]
    Rule(shared::ApiError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Adds a reading of `km` today, by the owner or a staff member, in a transaction of its own.
pub async fn add_reading(
    db: &Db,
    car_id: i64,
    km: i64,
    by: (Option<i64>, Option<i64>),
    clock: Clock,
) -> Result<(), ReadingRefused> {
    let mut tx = db::begin_write(db).await?;
    write_reading(&mut tx, car_id, km, by, clock).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a reading of `km` today inside the caller's transaction (a service completed at
/// the workshop writes it with its status and points). Never below the last reading: the
/// car's odometer moves up in one conditional UPDATE, so two readings at once cannot make it
/// go down; a refusal is a 422 and the caller's transaction is dropped.
pub async fn write_reading(
    conn: &mut sqlx::AnyConnection,
    car_id: i64,
    km: i64,
    by: (Option<i64>, Option<i64>),
    clock: Clock,
) -> Result<(), ReadingRefused> {
    let today = clock.today();
    let last: Option<(String, i64)> = sqlx::query_as(
        "SELECT day, km FROM mileage_readings WHERE car_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(car_id)
    .fetch_optional(&mut *conn)
    .await?;
    let last = last.and_then(|(day, km)| {
        Some(Reading {
            day: Date::parse(&day)?,
            km,
        })
    });
    let plausible = maintenance::check_reading(last, Reading { day: today, km })
        .map_err(ReadingRefused::Rule)?;
    let moved = sqlx::query("UPDATE cars SET odometer_km = $1 WHERE id = $2 AND odometer_km <= $1")
        .bind(km)
        .bind(car_id)
        .execute(&mut *conn)
        .await?;
    if moved.rows_affected() == 0 {
        let current: i64 = sqlx::query_scalar("SELECT odometer_km FROM cars WHERE id = $1")
            .bind(car_id)
            .fetch_one(&mut *conn)
            .await?;
        return Err(ReadingRefused::Rule(maintenance::mileage_decreased(
            current,
        )));
    }
    sqlx::query(
        "INSERT INTO mileage_readings (car_id, day, km, owner_id, staff_id, plausible, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(car_id)
    .bind(today.to_string())
    .bind(km)
    .bind(by.0)
    .bind(by.1)
    .bind(i64::from(plausible))
    .bind(clock.millis)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records staff's marks on a car: an accident with casualties, a penalty for illegal
/// modification (either puts its annual inspection under Art. 16).
pub async fn mark_inspection(db: &Db, car_id: i64, marks: InspectionMarks) -> sqlx::Result<()> {
    sqlx::query("UPDATE cars SET casualty_accident = $1, modification_penalty = $2 WHERE id = $3")
        .bind(i64::from(marks.casualty_accident))
        .bind(i64::from(marks.modification_penalty))
        .bind(car_id)
        .execute(&db.writer)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CarRow {
    id: i64,
    brand: String,
    series: String,
    trim: String,
    plate: String,
    vin: String,
    delivered_on: String,
    registered_on: String,
    insurance_ends_on: Option<String>,
    odometer_km: i64,
    manufactured_on: Option<String>,
    casualty_accident: i64,
    modification_penalty: i64,
    advisor_name: Option<String>,
    advisor_phone: Option<String>,
    advisor_wechat: Option<String>,
    first_km: Option<i64>,
    first_months: Option<i64>,
    interval_km: Option<i64>,
    interval_months: Option<i64>,
    plan_demo: Option<i64>,
    warranty_years: Option<i64>,
    warranty_km: Option<i64>,
}

/// The cars bound to `owner_id` now, each with what is due on `clock`'s day.
pub async fn cars_of(
    db: &Db,
    dealer_id: i64,
    owner_id: i64,
    clock: Clock,
) -> sqlx::Result<Vec<OwnerCar>> {
    let rows: Vec<CarRow> = sqlx::query_as(
        "SELECT c.id, br.name_zh AS brand, s.name_zh AS series, t.name_zh AS trim, \
             c.plate, c.vin, c.delivered_on, c.registered_on, c.insurance_ends_on, c.odometer_km, \
             c.manufactured_on, c.casualty_accident, c.modification_penalty, a.name AS advisor_name, a.phone AS advisor_phone, \
             a.wechat AS advisor_wechat, p.first_km, p.first_months, p.interval_km, \
             p.interval_months, p.demo AS plan_demo, w.years AS warranty_years, w.km AS warranty_km \
         FROM car_bindings b JOIN cars c ON c.id = b.car_id \
         JOIN series s ON s.id = c.series_id JOIN brands br ON br.id = s.brand_id \
         JOIN trims t ON t.id = c.trim_id \
         LEFT JOIN staff a ON a.id = c.advisor_id AND a.active = 1 \
         LEFT JOIN maintenance_plans p ON p.dealer_id = c.dealer_id AND p.series_id = c.series_id \
         LEFT JOIN warranty_terms w ON w.series_id = c.series_id \
         WHERE b.owner_id = $1 AND b.bound_at IS NOT NULL AND b.ended_at IS NULL AND c.dealer_id = $2 \
         ORDER BY c.id",
    )
    .bind(owner_id)
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    let today = clock.today();
    let mut reminders = crate::reminders::of_owner(db, owner_id).await?;
    let mut cars = Vec::with_capacity(rows.len());
    for row in rows {
        let readings = readings(db, row.id).await?;
        let (Some(delivered), Some(registered)) = (
            Date::parse(&row.delivered_on),
            Date::parse(&row.registered_on),
        ) else {
            continue;
        };
        let plan = match (
            row.first_km,
            row.first_months,
            row.interval_km,
            row.interval_months,
        ) {
            (Some(first_km), Some(fm), Some(interval_km), Some(im)) => Some(MaintenancePlan {
                first_km,
                first_months: fm as i32,
                interval_km,
                interval_months: im as i32,
            }),
            _ => None,
        };
        // From the last maintenance done at the workshop; none yet: the first service is due.
        let last_service = crate::service::last_maintenance(db, row.id)
            .await?
            .remove(&row.id);
        let maintenance =
            plan.map(|p| maintenance::next_maintenance(&p, delivered, last_service, &readings));
        let warranty = row.warranty_years.map(|years| {
            maintenance::warranty_left(
                &WarrantyTerms {
                    years: years as i32,
                    km: row.warranty_km,
                },
                delivered,
                today,
                row.odometer_km,
            )
        });
        cars.push(OwnerCar {
            id: row.id,
            model: shared::catalog::car_name(&row.brand, &row.series, &row.trim),
            plate: row.plate,
            vin: vin::mask(&row.vin),
            delivered_on: delivered,
            odometer_km: row.odometer_km,
            plan_demo: row.plan_demo == Some(1),
            maintenance,
            inspection: inspection::next_inspection(
                registered,
                today,
                &InspectionFacts {
                    manufactured_on: row.manufactured_on.as_deref().and_then(Date::parse),
                    casualty_accident: row.casualty_accident == 1,
                    modification_penalty: row.modification_penalty == 1,
                },
            ),
            insurance_ends_on: row.insurance_ends_on.as_deref().and_then(Date::parse),
            warranty,
            advisor: match (row.advisor_name, row.advisor_phone) {
                (Some(name), Some(phone)) => Some(Advisor {
                    name,
                    phone,
                    wechat: row.advisor_wechat,
                }),
                _ => None,
            },
            reminders: reminders.remove(&row.id).unwrap_or_default(),
        });
    }
    Ok(cars)
}
