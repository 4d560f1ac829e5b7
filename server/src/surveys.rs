//! Satisfaction surveys in the database: the completed visits a person may answer for (test
//! drives the browser made or of a phone it proved, services of the owner's cars), one answer per
//! visit (an owner's service survey earns the dealer's survey points, once), and the low
//! scores a manager follows up.

use shared::survey::{Answer, SurveyFollowUp, SurveyVisit, VisitKind, FOLLOW_UP_AT_MOST};

use crate::db::{self, Db};
use crate::points::{self, Award, Reason};
use crate::proofs::Access;

/// Who is answering: what the browser may see of test drives (its own, a proven phone's)
/// and the owner the owner cookie names.
#[derive(Clone, Copy, Debug)]
pub struct Person<'a> {
    pub access: &'a Access,
    pub owner: Option<i64>,
}

/// Service bookings of the owner: their own, or of a car bound to them when the booking
/// names no owner.
const OWNERS_SERVICE: &str = "(sb.owner_id = $2 OR (sb.owner_id IS NULL AND sb.car_id IN \
     (SELECT cb.car_id FROM car_bindings cb WHERE cb.owner_id = $2 AND cb.bound_at IS NOT NULL \
      AND cb.ended_at IS NULL)))";

/// The person's completed visits, newest first, with the score given to any answered.
pub async fn visits(db: &Db, dealer_id: i64, who: Person<'_>) -> sqlx::Result<Vec<SurveyVisit>> {
    let mut out = Vec::new();
    {
        let (seen, values) = who.access.condition("b", 2);
        let sql = format!(
            "SELECT b.code, se.name_zh, st.name, sl.day, s.score FROM bookings b \
             JOIN slots sl ON sl.id = b.slot_id JOIN stores st ON st.id = b.store_id \
             JOIN series se ON se.id = b.series_id \
             LEFT JOIN surveys s ON s.visit_kind = 'test_drive' AND s.visit_id = b.id \
             WHERE b.dealer_id = $1 AND b.status = 'completed' AND {seen}"
        );
        let mut query = sqlx::query_as(&sql).bind(dealer_id);
        for value in values {
            query = query.bind(value);
        }
        let rows: Vec<(String, String, String, String, Option<i64>)> =
            query.fetch_all(&db.pool).await?;
        out.extend(
            rows.into_iter()
                .map(|(code, series, store, day, score)| SurveyVisit {
                    kind: VisitKind::TestDrive,
                    code,
                    title: format!("{series} 试驾 · {store}"),
                    day,
                    answered: score,
                }),
        );
    }
    if let Some(owner) = who.owner {
        let rows: Vec<(String, String, String, String, Option<i64>)> = sqlx::query_as(&format!(
            "SELECT sb.code, c.plate, st.name, sl.day, s.score FROM service_bookings sb \
             JOIN service_slots sl ON sl.id = sb.slot_id JOIN stores st ON st.id = sb.store_id \
             JOIN cars c ON c.id = sb.car_id \
             LEFT JOIN surveys s ON s.visit_kind = 'service' AND s.visit_id = sb.id \
             WHERE sb.dealer_id = $1 AND sb.status = 'completed' AND {OWNERS_SERVICE}"
        ))
        .bind(dealer_id)
        .bind(owner)
        .fetch_all(&db.pool)
        .await?;
        out.extend(
            rows.into_iter()
                .map(|(code, plate, store, day, score)| SurveyVisit {
                    kind: VisitKind::Service,
                    code,
                    title: format!("{plate} 保养维修 · {store}"),
                    day,
                    answered: score,
                }),
        );
    }
    out.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.code.cmp(&b.code)));
    Ok(out)
}

/// What became of an answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Answered {
    /// Kept; the points it earned.
    Yes { points: i64 },
    /// Not a visit of this person at the dealer.
    NotFound,
    /// Their visit, not completed yet.
    NotCompleted,
    /// Answered before.
    Twice,
}

/// Keeps the answer for the person's visit `code`, once; an owner's service survey earns
/// the dealer's survey points in the same transaction.
pub async fn answer(
    db: &Db,
    dealer_id: i64,
    who: Person<'_>,
    code: &str,
    a: &Answer,
    now: i64,
) -> sqlx::Result<Answered> {
    let visit: Option<(i64, String)> = match (a.kind, who.owner) {
        (VisitKind::TestDrive, _) => {
            let (seen, values) = who.access.condition("b", 3);
            let sql = format!(
                "SELECT b.id, b.status FROM bookings b WHERE b.dealer_id = $1 AND b.code = $2 AND {seen}"
            );
            let mut query = sqlx::query_as(&sql).bind(dealer_id).bind(code);
            for value in values {
                query = query.bind(value);
            }
            query.fetch_optional(&db.pool).await?
        }
        (VisitKind::Service, Some(owner)) => {
            sqlx::query_as(&format!(
                "SELECT sb.id, sb.status FROM service_bookings sb \
                 WHERE sb.dealer_id = $1 AND sb.code = $3 AND {OWNERS_SERVICE}"
            ))
            .bind(dealer_id)
            .bind(owner)
            .bind(code)
            .fetch_optional(&db.pool)
            .await?
        }
        (VisitKind::Service, None) => None,
    };
    let Some((visit_id, status)) = visit else {
        return Ok(Answered::NotFound);
    };
    if status != "completed" {
        return Ok(Answered::NotCompleted);
    }
    let owner = match a.kind {
        VisitKind::Service => who.owner,
        VisitKind::TestDrive => None,
    };
    let mut tx = db::begin_write(db).await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO surveys (dealer_id, visit_kind, visit_id, owner_id, score, tags, comment, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (visit_kind, visit_id) DO NOTHING RETURNING id",
    )
    .bind(dealer_id)
    .bind(a.kind.as_str())
    .bind(visit_id)
    .bind(owner)
    .bind(a.score)
    .bind(a.tags_text())
    .bind(&a.comment)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(Answered::Twice);
    };
    let mut earned = 0;
    if let Some(owner_id) = owner {
        let points = points::milestones_on(&mut tx, dealer_id)
            .await?
            .survey_points;
        let detail = format!("评价{}（{code}）", a.kind.label());
        let source = format!("survey:{id}");
        let added = points::award(
            &mut tx,
            &Award {
                dealer_id,
                owner_id,
                points,
                reason: Reason::Survey,
                detail: &detail,
                source: &source,
                now,
            },
        )
        .await?;
        if added {
            earned = points;
        }
    }
    tx.commit().await?;
    Ok(Answered::Yes { points: earned })
}

#[derive(sqlx::FromRow)]
struct FollowUpRow {
    id: i64,
    visit_kind: String,
    code: String,
    name: Option<String>,
    phone: Option<String>,
    score: i64,
    tags: String,
    comment: String,
    created_at: i64,
}

/// The answers to a car's service surveys, newest first.
pub async fn of_car(db: &Db, car_id: i64) -> sqlx::Result<Vec<shared::survey::CarSurvey>> {
    let rows: Vec<(String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT sb.code, s.score, s.tags, s.comment, s.created_at FROM surveys s \
         JOIN service_bookings sb ON sb.id = s.visit_id \
         WHERE s.visit_kind = 'service' AND sb.car_id = $1 ORDER BY s.created_at DESC, s.id DESC",
    )
    .bind(car_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(code, score, tags, comment, created_at)| shared::survey::CarSurvey {
                code,
                score,
                tags: tags
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
                comment,
                created_at,
            },
        )
        .collect())
}

/// The dealer's low scores nobody followed up yet, oldest first.
pub async fn follow_ups(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<SurveyFollowUp>> {
    let mut rows: Vec<FollowUpRow> = sqlx::query_as(
        "SELECT s.id, s.visit_kind, b.code, b.name, b.phone, s.score, s.tags, s.comment, s.created_at \
         FROM surveys s JOIN bookings b ON b.id = s.visit_id \
         WHERE s.visit_kind = 'test_drive' AND s.dealer_id = $1 AND s.score <= $2 \
         AND s.followed_up_at IS NULL",
    )
    .bind(dealer_id)
    .bind(FOLLOW_UP_AT_MOST)
    .fetch_all(&db.pool)
    .await?;
    let services: Vec<FollowUpRow> = sqlx::query_as(
        "SELECT s.id, s.visit_kind, sb.code, le.name, le.phone, s.score, s.tags, s.comment, s.created_at \
         FROM surveys s JOIN service_bookings sb ON sb.id = s.visit_id JOIN cars c ON c.id = sb.car_id \
         LEFT JOIN leads le ON le.id = c.lead_id \
         WHERE s.visit_kind = 'service' AND s.dealer_id = $1 AND s.score <= $2 \
         AND s.followed_up_at IS NULL",
    )
    .bind(dealer_id)
    .bind(FOLLOW_UP_AT_MOST)
    .fetch_all(&db.pool)
    .await?;
    rows.extend(services);
    rows.sort_by_key(|r| (r.created_at, r.id));
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(SurveyFollowUp {
                id: r.id,
                kind: VisitKind::parse(&r.visit_kind)?,
                code: r.code,
                name: r.name.unwrap_or_default(),
                // Managers and admins see whole numbers: they call the person back.
                phone: r.phone.unwrap_or_default(),
                score: r.score,
                tags: r
                    .tags
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
                comment: r.comment,
                created_at: r.created_at,
            })
        })
        .collect())
}

/// What marking a follow-up done found.
#[derive(Debug, PartialEq, Eq)]
pub enum FollowedUp {
    Done,
    /// Not a low score of the dealer.
    NotFound,
    /// Marked done before.
    Already,
}

/// Marks a low score followed up by `staff_id`.
pub async fn mark_followed_up(
    db: &Db,
    dealer_id: i64,
    id: i64,
    staff_id: i64,
    now: i64,
) -> sqlx::Result<FollowedUp> {
    let found: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT followed_up_at FROM surveys WHERE id = $1 AND dealer_id = $2 AND score <= $3",
    )
    .bind(id)
    .bind(dealer_id)
    .bind(FOLLOW_UP_AT_MOST)
    .fetch_optional(&db.pool)
    .await?;
    match found {
        None => return Ok(FollowedUp::NotFound),
        Some((Some(_),)) => return Ok(FollowedUp::Already),
        Some((None,)) => {}
    }
    let done = sqlx::query(
        "UPDATE surveys SET followed_up_at = $1, followed_up_by = $2 \
         WHERE id = $3 AND followed_up_at IS NULL",
    )
    .bind(now)
    .bind(staff_id)
    .bind(id)
    .execute(&db.writer)
    .await?;
    Ok(if done.rows_affected() == 1 {
        FollowedUp::Done
    } else {
        FollowedUp::Already
    })
}
