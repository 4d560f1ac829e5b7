//! `/api/v1/console/...` for cars and owners: delivering a lead's car (the form's trims and
//! advisors, then the delivery with its binding QR), the 车主 list with search by plate, VIN
//! tail or phone tail, a car's detail (bindings, readings, the annual inspection and the
//! marks that put it under Art. 16, `PUT .../inspection`), a new binding code, and the
//! dealer's maintenance plans per series, and the reminders an advisor follows up. A car's page
//! also carries its service visits, their survey answers and its owner's points ledger. VINs and phones are shown in full only to the car's
//! service advisor, managers and admins.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use shared::console::{Role, StaffRef};
use shared::contact::phone_as_seen;
use shared::date::Date;
use shared::inspection::{self, InspectionDue, InspectionFacts};
use shared::maintenance::MaintenancePlan;
use shared::owner::{
    BindingCode, BindingRow, BindingState, CarDetail, CarSummary, Deliver, Delivered, DeliveryForm,
    InspectionMarks, PlanRow, ReadingRow, TrimChoice,
};
use shared::page::Page;
use shared::reminder::ReminderTask;
use shared::{vin, ApiError, ErrorBody};

use super::extract::{Manager, Seller};
use super::visitor::ClientAddr;
use super::{AppState, Error, Json};
use super::{Path, Query};
use crate::clock::Clock;
use crate::owners::{self, NotDelivered};
use crate::staff::Staff;

fn car_not_found() -> Error {
    Error::NotFound("未找到该车辆".into())
}

/// The binding code as printed: its page on the public origin and that page's QR.
fn binding_code(
    state: &AppState,
    headers: &HeaderMap,
    dealer: &str,
    code: String,
    expires_at: i64,
) -> Result<BindingCode, Error> {
    let url = format!(
        "{}{}",
        super::qr::origin(state, headers),
        Page::OwnerBind(code.clone()).href(dealer)
    );
    Ok(BindingCode {
        qr_svg: super::qr::svg_of(&url)?,
        url,
        code,
        expires_at,
    })
}

async fn dealer_slug(state: &AppState, dealer_id: i64) -> Result<String, Error> {
    Ok(sqlx::query_scalar("SELECT slug FROM dealers WHERE id = $1")
        .bind(dealer_id)
        .fetch_one(&state.db.pool)
        .await?)
}

/// A binding as the car detail reads it: code, created, owner name, expires, bound, ended.
type BindingColumns = (String, i64, Option<String>, i64, Option<i64>, Option<i64>);
/// A reading as the car detail reads it: day, km, owner, staff name, plausible.
type ReadingColumns = (String, i64, Option<i64>, Option<String>, i64);
/// A maintenance plan's columns: series, brand, series name, first km and months, interval
/// km and months, demo.
type PlanColumns = (String, String, String, i64, i64, i64, i64, i64);

#[utoipa::path(
    get,
    path = "/api/v1/console/leads/{id}/delivery",
    tag = "console",
    params(("id" = i64, Path, description = "线索编号")),
    responses(
        (status = 200, description = "交车表单可选的车型与服务顾问", body = DeliveryForm),
        (status = 404, description = "不是本人可见的线索", body = ErrorBody),
    )
)]
pub async fn delivery_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(lead_id): Path<i64>,
) -> Result<axum::Json<DeliveryForm>, Error> {
    let series: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT series_id FROM leads WHERE id = $1 AND dealer_id = $2 AND ($3 = 1 OR consultant_id = $4)",
    )
    .bind(lead_id)
    .bind(staff.dealer_id)
    .bind(i64::from(staff.manages()))
    .bind(staff.id)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some((series,)) = series else {
        return Err(Error::NotFound("未找到该线索".into()));
    };
    let trims: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT t.id, br.name_zh, s.name_zh, t.name_zh FROM dealer_trims dt \
         JOIN trims t ON t.id = dt.trim_id JOIN series s ON s.id = t.series_id \
         JOIN brands br ON br.id = s.brand_id \
         JOIN dealer_series ds ON ds.dealer_id = dt.dealer_id AND ds.series_id = s.id \
         WHERE dt.dealer_id = $1 \
         ORDER BY CASE WHEN s.id = $2 THEN 0 ELSE 1 END, ds.position, t.position, t.id",
    )
    .bind(staff.dealer_id)
    .bind(series.unwrap_or_default())
    .fetch_all(&state.db.pool)
    .await?;
    let advisors: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM staff WHERE dealer_id = $1 AND role = 'service_advisor' AND active = 1 ORDER BY id",
    )
    .bind(staff.dealer_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(axum::Json(DeliveryForm {
        trims: trims
            .into_iter()
            .map(|(id, brand, series, trim)| TrimChoice {
                id,
                name: shared::catalog::car_name(&brand, &series, &trim),
            })
            .collect(),
        advisors: advisors
            .into_iter()
            .map(|(id, name)| StaffRef {
                id,
                name,
                role: Role::ServiceAdvisor,
            })
            .collect(),
        today: Clock::now().today(),
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/leads/{id}/delivery",
    tag = "console",
    params(("id" = i64, Path, description = "线索编号")),
    request_body = Deliver,
    responses(
        (status = 201, description = "已交车：车辆与一次性绑定码（7天有效）及其二维码", body = Delivered),
        (status = 403, description = "服务顾问不能交车", body = ErrorBody),
        (status = 404, description = "不是本人可见的线索", body = ErrorBody),
        (status = 409, description = "该车架号已交付", body = ErrorBody),
        (status = 422, description = "车架号、车牌、日期、里程或服务顾问不符合规则", body = ErrorBody),
        (status = 429, description = "操作太频繁（rate_limited），Retry-After 秒后再试", body = ErrorBody),
    )
)]
pub async fn deliver(
    State(state): State<AppState>,
    Seller(staff): Seller,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(lead_id): Path<i64>,
    Json(request): Json<Deliver>,
) -> Result<(StatusCode, axum::Json<Delivered>), Error> {
    state.limits.check(&format!("staff:{}", staff.id), &addr)?;
    let clock = Clock::now();
    let delivery = request
        .validate(clock.today())
        .map_err(Error::Unprocessable)?;
    let refused =
        |field: &str, message: &str| Error::Unprocessable(ApiError::invalid(field, message));
    let (car_id, code, expires_at) =
        match owners::deliver(&state.db, &staff, lead_id, &delivery, clock).await? {
            Ok(done) => done,
            Err(NotDelivered::NoLead) => return Err(Error::NotFound("未找到该线索".into())),
            Err(NotDelivered::Lost) => return Err(refused("lead", "战败的线索不能交车")),
            Err(NotDelivered::Trim) => return Err(refused("trim_id", "请选择本店在售的车型")),
            Err(NotDelivered::Advisor) => {
                return Err(refused("advisor_id", "请选择本店的服务顾问"))
            }
            Err(NotDelivered::Vin) => {
                return Err(Error::Conflict(ApiError {
                    code: "duplicate_vin".into(),
                    message: "该车架号已交付过，请在车主列表中查看".into(),
                    field: Some("vin".into()),
                }))
            }
        };
    let dealer = dealer_slug(&state, staff.dealer_id).await?;
    tracing::info!(car = car_id, staff = staff.id, "car delivered");
    Ok((
        StatusCode::CREATED,
        axum::Json(Delivered {
            car_id,
            binding: binding_code(&state, &headers, &dealer, code, expires_at)?,
        }),
    ))
}

#[derive(sqlx::FromRow)]
struct CarRow {
    id: i64,
    lead_id: Option<i64>,
    brand: String,
    series: String,
    trim: String,
    plate: String,
    vin: String,
    owner_name: Option<String>,
    owner_phone: Option<String>,
    delivered_on: String,
    registered_on: String,
    insurance_ends_on: Option<String>,
    odometer_km: i64,
    manufactured_on: Option<String>,
    casualty_accident: i64,
    modification_penalty: i64,
    advisor_id: Option<i64>,
    advisor: Option<String>,
    bound: i64,
}

const CAR_QUERY: &str = "SELECT c.id, c.lead_id, br.name_zh AS brand, s.name_zh AS series, \
         t.name_zh AS trim, c.plate, c.vin, l.name AS owner_name, l.phone AS owner_phone, \
         c.delivered_on, c.registered_on, c.insurance_ends_on, c.odometer_km, \
         c.manufactured_on, c.casualty_accident, c.modification_penalty, c.advisor_id, \
         a.name AS advisor, \
         (SELECT COUNT(*) FROM car_bindings b WHERE b.car_id = c.id AND b.bound_at IS NOT NULL \
              AND b.ended_at IS NULL) AS bound \
     FROM cars c JOIN series s ON s.id = c.series_id JOIN brands br ON br.id = s.brand_id \
     JOIN trims t ON t.id = c.trim_id LEFT JOIN leads l ON l.id = c.lead_id \
     LEFT JOIN staff a ON a.id = c.advisor_id \
     WHERE c.dealer_id = $1 AND ($2 = 1 OR c.advisor_id = $3 OR l.consultant_id = $3)";

/// The car's advisor, managers and admins issue its codes (and see its VIN and phone in
/// full: `Staff::sees_phone`).
fn serves(viewer: &Staff, advisor_id: Option<i64>) -> bool {
    viewer.sees_phone(advisor_id)
}

impl CarRow {
    fn registered_on(&self) -> Date {
        Date::parse(&self.registered_on).unwrap_or(Date::new(1970, 1, 1))
    }

    fn inspection_facts(&self) -> InspectionFacts {
        InspectionFacts {
            manufactured_on: self.manufactured_on.as_deref().and_then(Date::parse),
            casualty_accident: self.casualty_accident == 1,
            modification_penalty: self.modification_penalty == 1,
        }
    }

    fn summary(&self, viewer: &Staff) -> CarSummary {
        let full = viewer.sees_phone(self.advisor_id);
        CarSummary {
            id: self.id,
            lead_id: self.lead_id,
            model: shared::catalog::car_name(&self.brand, &self.series, &self.trim),
            plate: self.plate.clone(),
            vin: if full {
                self.vin.clone()
            } else {
                vin::mask(&self.vin)
            },
            owner_name: self.owner_name.clone(),
            owner_phone: self.owner_phone.clone().map(|p| phone_as_seen(p, full)),
            delivered_on: Date::parse(&self.delivered_on).unwrap_or(Date::new(1970, 1, 1)),
            advisor: self.advisor.clone(),
            bound: self.bound > 0,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CarSearch {
    /// 车牌、车架号后几位或手机号后几位。
    #[serde(default)]
    q: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/console/cars",
    tag = "console",
    params(CarSearch),
    responses((status = 200, description = "车主车辆（最新交车在前，最多200辆）", body = Vec<CarSummary>))
)]
pub async fn cars(
    State(state): State<AppState>,
    staff: Staff,
    Query(search): Query<CarSearch>,
) -> Result<axum::Json<Vec<CarSummary>>, Error> {
    // Letters, digits and Chinese only: nothing LIKE would read as a wildcard.
    let q: String = shared::plate::normalize(&search.q)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(17)
        .collect();
    let rows: Vec<CarRow> = sqlx::query_as(&format!(
        "{CAR_QUERY} AND ($4 = '' OR c.plate LIKE '%' || $4 || '%' OR c.vin LIKE '%' || $4 \
         OR l.phone LIKE '%' || $4) ORDER BY c.delivered_on DESC, c.id DESC LIMIT 200"
    ))
    .bind(staff.dealer_id)
    .bind(i64::from(staff.manages()))
    .bind(staff.id)
    .bind(&q)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(axum::Json(rows.iter().map(|r| r.summary(&staff)).collect()))
}

async fn car_row(state: &AppState, staff: &Staff, car_id: i64) -> Result<CarRow, Error> {
    let row: Option<CarRow> = sqlx::query_as(&format!("{CAR_QUERY} AND c.id = $4"))
        .bind(staff.dealer_id)
        .bind(i64::from(staff.manages()))
        .bind(staff.id)
        .bind(car_id)
        .fetch_optional(&state.db.pool)
        .await?;
    row.ok_or_else(car_not_found)
}

#[utoipa::path(
    get,
    path = "/api/v1/console/cars/{id}",
    tag = "console",
    params(("id" = i64, Path, description = "车辆编号")),
    responses(
        (status = 200, description = "车辆详情：绑定、里程、提醒、服务记录、评价与车主积分", body = CarDetail),
        (status = 404, description = "不是本人可见的车辆", body = ErrorBody),
    )
)]
pub async fn car(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(car_id): Path<i64>,
) -> Result<axum::Json<CarDetail>, Error> {
    let row = car_row(&state, &staff, car_id).await?;
    let now = Clock::now().millis;
    let bindings: Vec<BindingColumns> = sqlx::query_as(
        "SELECT b.code, b.issued_at, s.name, b.expires_at, b.bound_at, b.ended_at \
             FROM car_bindings b LEFT JOIN staff s ON s.id = b.issued_by \
             WHERE b.car_id = $1 ORDER BY b.id DESC",
    )
    .bind(car_id)
    .fetch_all(&state.db.pool)
    .await?;
    let mut waiting = None;
    let mut rows = Vec::with_capacity(bindings.len());
    for (code, issued_at, issued_by, expires_at, bound_at, ended_at) in bindings {
        let state_now = match (bound_at, ended_at) {
            (_, Some(_)) => BindingState::Ended,
            (Some(_), None) => BindingState::Bound,
            (None, None) if expires_at <= now => BindingState::Expired,
            (None, None) => BindingState::Waiting,
        };
        if state_now == BindingState::Waiting && serves(&staff, row.advisor_id) {
            let dealer = dealer_slug(&state, staff.dealer_id).await?;
            waiting = Some(binding_code(&state, &headers, &dealer, code, expires_at)?);
        }
        rows.push(BindingRow {
            state: state_now,
            issued_at,
            issued_by,
            expires_at,
            bound_at,
            ended_at,
        });
    }
    let readings: Vec<ReadingColumns> = sqlx::query_as(
        "SELECT r.day, r.km, r.owner_id, s.name, r.plausible FROM mileage_readings r \
         LEFT JOIN staff s ON s.id = r.staff_id WHERE r.car_id = $1 ORDER BY r.id DESC",
    )
    .bind(car_id)
    .fetch_all(&state.db.pool)
    .await?;
    let reminders = crate::reminders::of_car(&state.db, car_id).await?;
    let owner: Option<i64> = sqlx::query_scalar(
        "SELECT owner_id FROM car_bindings WHERE car_id = $1 AND bound_at IS NOT NULL \
         AND ended_at IS NULL",
    )
    .bind(car_id)
    .fetch_optional(&state.db.pool)
    .await?
    .flatten();
    let points = match owner {
        Some(owner) => crate::points::ledger(&state.db, staff.dealer_id, owner).await?,
        None => Vec::new(),
    };
    Ok(axum::Json(CarDetail {
        reminders,
        service: crate::service::of_car(&state.db, staff.dealer_id, car_id).await?,
        surveys: crate::surveys::of_car(&state.db, car_id).await?,
        points,
        car: row.summary(&staff),
        registered_on: row.registered_on(),
        inspection_facts: row.inspection_facts(),
        inspection: Some(inspection::next_inspection(
            row.registered_on(),
            Clock::now().today(),
            &row.inspection_facts(),
        )),
        insurance_ends_on: row.insurance_ends_on.as_deref().and_then(Date::parse),
        odometer_km: row.odometer_km,
        bindings: rows,
        readings: readings
            .into_iter()
            .filter_map(|(day, km, owner, staff_name, plausible)| {
                Some(ReadingRow {
                    day: Date::parse(&day)?,
                    km,
                    by: match (owner, staff_name) {
                        (Some(_), _) => "车主".into(),
                        (None, Some(name)) => name,
                        (None, None) => "—".into(),
                    },
                    plausible: plausible == 1,
                })
            })
            .collect(),
        waiting,
    }))
}

#[utoipa::path(
    put,
    path = "/api/v1/console/cars/{id}/inspection",
    tag = "console",
    params(("id" = i64, Path, description = "车辆编号")),
    request_body = InspectionMarks,
    responses(
        (status = 200, description = "已记录：按这些情况的下次年检（出现任一情况即按《实施条例》第16条）", body = InspectionDue),
        (status = 403, description = "仅该车的服务顾问、经理和管理员", body = ErrorBody),
        (status = 404, description = "不是本人可见的车辆", body = ErrorBody),
    )
)]
pub async fn mark_inspection(
    State(state): State<AppState>,
    staff: Staff,
    Path(car_id): Path<i64>,
    Json(marks): Json<InspectionMarks>,
) -> Result<axum::Json<InspectionDue>, Error> {
    let row = car_row(&state, &staff, car_id).await?;
    if !serves(&staff, row.advisor_id) {
        return Err(Error::Forbidden);
    }
    owners::mark_inspection(&state.db, car_id, marks).await?;
    tracing::info!(car = car_id, staff = staff.id, "inspection marks set");
    let facts = InspectionFacts {
        casualty_accident: marks.casualty_accident,
        modification_penalty: marks.modification_penalty,
        ..row.inspection_facts()
    };
    Ok(axum::Json(inspection::next_inspection(
        row.registered_on(),
        Clock::now().today(),
        &facts,
    )))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/cars/{id}/binding",
    tag = "console",
    params(("id" = i64, Path, description = "车辆编号")),
    responses(
        (status = 201, description = "新的绑定码（7天有效）；原绑定与未用的绑定码随即失效", body = BindingCode),
        (status = 403, description = "仅该车的服务顾问、经理和管理员", body = ErrorBody),
        (status = 404, description = "不是本人可见的车辆", body = ErrorBody),
    )
)]
pub async fn new_binding(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(car_id): Path<i64>,
) -> Result<(StatusCode, axum::Json<BindingCode>), Error> {
    let row = car_row(&state, &staff, car_id).await?;
    if !serves(&staff, row.advisor_id) {
        return Err(Error::Forbidden);
    }
    let now = Clock::now().millis;
    let mut tx = crate::db::begin_write(&state.db).await?;
    let (code, expires_at) = owners::issue_code(&mut tx, car_id, staff.id, now).await?;
    tx.commit().await?;
    let dealer = dealer_slug(&state, staff.dealer_id).await?;
    tracing::info!(car = car_id, staff = staff.id, "new binding code");
    Ok((
        StatusCode::CREATED,
        axum::Json(binding_code(&state, &headers, &dealer, code, expires_at)?),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/maintenance-plans",
    tag = "console",
    responses((status = 200, description = "本店在售车系的保养计划（演示计划标注“演示”）", body = Vec<PlanRow>))
)]
pub async fn plans(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<axum::Json<Vec<PlanRow>>, Error> {
    Ok(axum::Json(plan_rows(&state, staff.dealer_id, None).await?))
}

async fn plan_rows(
    state: &AppState,
    dealer_id: i64,
    series: Option<&str>,
) -> Result<Vec<PlanRow>, Error> {
    let rows: Vec<PlanColumns> = sqlx::query_as(
        "SELECT s.id, br.name_zh, s.name_zh, p.first_km, p.first_months, p.interval_km, \
             p.interval_months, p.demo \
         FROM maintenance_plans p JOIN series s ON s.id = p.series_id \
         JOIN brands br ON br.id = s.brand_id \
         JOIN dealer_series ds ON ds.dealer_id = p.dealer_id AND ds.series_id = p.series_id \
         WHERE p.dealer_id = $1 AND ($2 = '' OR p.series_id = $2) ORDER BY ds.position",
    )
    .bind(dealer_id)
    .bind(series.unwrap_or(""))
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, brand, name, fk, fm, ik, im, demo)| PlanRow {
            series_id: id,
            series: shared::catalog::car_name(&brand, &name, ""),
            plan: MaintenancePlan {
                first_km: fk,
                first_months: fm as i32,
                interval_km: ik,
                interval_months: im as i32,
            },
            demo: demo == 1,
        })
        .collect())
}

#[utoipa::path(
    put,
    path = "/api/v1/console/maintenance-plans/{series}",
    tag = "console",
    params(("series" = String, Path, description = "车系标识")),
    request_body = MaintenancePlan,
    responses(
        (status = 200, description = "已保存（不再标注为演示计划）", body = PlanRow),
        (status = 403, description = "仅经理和管理员", body = ErrorBody),
        (status = 404, description = "本店不销售该车系", body = ErrorBody),
        (status = 422, description = "里程或月数超出范围", body = ErrorBody),
    )
)]
pub async fn save_plan(
    State(state): State<AppState>,
    Manager(staff): Manager,
    Path(series): Path<String>,
    Json(plan): Json<MaintenancePlan>,
) -> Result<axum::Json<PlanRow>, Error> {
    plan.validate().map_err(Error::Unprocessable)?;
    let sold: Option<i64> = sqlx::query_scalar(
        "SELECT dealer_id FROM dealer_series WHERE dealer_id = $1 AND series_id = $2",
    )
    .bind(staff.dealer_id)
    .bind(&series)
    .fetch_optional(&state.db.pool)
    .await?;
    if sold.is_none() {
        return Err(Error::NotFound("本店不销售该车系".into()));
    }
    sqlx::query(
        "INSERT INTO maintenance_plans (dealer_id, series_id, first_km, first_months, interval_km, \
             interval_months, demo, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7) \
         ON CONFLICT (dealer_id, series_id) DO UPDATE SET first_km = excluded.first_km, \
             first_months = excluded.first_months, interval_km = excluded.interval_km, \
             interval_months = excluded.interval_months, demo = 0, updated_at = excluded.updated_at",
    )
    .bind(staff.dealer_id)
    .bind(&series)
    .bind(plan.first_km)
    .bind(i64::from(plan.first_months))
    .bind(plan.interval_km)
    .bind(i64::from(plan.interval_months))
    .bind(Clock::now().millis)
    .execute(&state.db.writer)
    .await?;
    plan_rows(&state, staff.dealer_id, Some(&series))
        .await?
        .pop()
        .map(axum::Json)
        .ok_or_else(|| Error::NotFound("本店不销售该车系".into()))
}

#[utoipa::path(
    get,
    path = "/api/v1/console/reminders",
    tag = "console",
    responses(
        (status = 200, description = "待跟进的提醒（服务顾问：本人负责的车辆；经理、管理员：全部）", body = Vec<ReminderTask>),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn reminder_tasks(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<axum::Json<Vec<ReminderTask>>, Error> {
    Ok(axum::Json(
        crate::reminders::tasks(&state.db, &staff).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/console/reminders/{id}/done",
    tag = "console",
    params(("id" = i64, Path, description = "提醒编号")),
    responses(
        (status = 204, description = "已标记为已跟进"),
        (status = 404, description = "不是本人负责车辆的提醒", body = ErrorBody),
    )
)]
pub async fn follow_up(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<StatusCode, Error> {
    if crate::reminders::follow_up(&state.db, &staff, id, Clock::now().millis).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound("未找到该提醒".into()))
    }
}
