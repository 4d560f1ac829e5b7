//! A dealer's offers (优惠): those that hold on a day for what buyers are looking at (a series,
//! some trims, or all, by group), every offer for the console, and adding, changing and
//! removing one, each write marking the catalogue changed. An offer is only ever for a series
//! the dealer sells (and a trim of it it sells) at its own stores.

use std::collections::HashMap;

use shared::date::Date;
use shared::offer::{OfferDraft, OfferGroup, OfferKind, OfferState, OfferView, StaffOffer};

use crate::catalog::changed;
use crate::db::Db;
use crate::staff::Staff;

/// Which part of a draft names something the dealer does not sell or have.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// A series it does not sell.
    Series,
    /// A trim not of the series or not sold.
    Trim,
    /// A store not its own.
    Store,
}

/// Which of the dealer's offers to read.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// Every offer of every series it sells (the console, the offers page).
    All,
    /// One series' (the model page).
    Series(&'a str),
    /// Those holding for these trims the dealer sells: the trims' own and their series' (a
    /// comparison).
    Trims(&'a [String]),
    /// One offer (the console, after a change).
    Offer(i64),
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    id: i64,
    series_id: String,
    series_name: String,
    trim_id: Option<String>,
    trim_name: Option<String>,
    kind: String,
    amount_yuan: Option<i64>,
    detail: String,
    valid_from: String,
    valid_until: String,
}

#[derive(sqlx::FromRow)]
struct StoreRow {
    offer_id: i64,
    store_id: i64,
    name: String,
}

fn corrupt(what: String) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}

fn day(text: &str, id: i64) -> sqlx::Result<Date> {
    Date::parse(text).ok_or_else(|| corrupt(format!("offer {id}: day {text}")))
}

/// The dealer's offers in `scope` (of series and trims it still sells), holding on `today`
/// when `today` is given, in its series order, purchase offers first, the largest first;
/// each with the ids of its stores (none: every store).
async fn read(
    db: &Db,
    dealer_id: i64,
    scope: Scope<'_>,
    today: Option<Date>,
) -> sqlx::Result<Vec<(OfferView, Vec<i64>)>> {
    let mut binds: Vec<String> = Vec::new();
    let mut condition = String::new();
    if let Some(today) = today {
        binds.push(today.to_string());
        condition.push_str(" AND o.valid_from <= $2 AND o.valid_until >= $2");
    }
    match scope {
        Scope::All => {}
        Scope::Series(series) => {
            condition.push_str(&format!(" AND o.series_id = ${}", binds.len() + 2));
            binds.push(series.to_string());
        }
        Scope::Trims(ids) => {
            let mut list = Vec::new();
            for id in ids.iter().take(crate::catalog::MAX_TRIMS) {
                list.push(format!("${}", binds.len() + 2));
                binds.push(id.clone());
            }
            if list.is_empty() {
                return Ok(Vec::new());
            }
            let list = list.join(", ");
            condition.push_str(&format!(
                " AND (o.trim_id IN ({list}) OR (o.trim_id IS NULL AND o.series_id IN \
                 (SELECT t.series_id FROM trims t JOIN dealer_trims dt ON dt.trim_id = t.id \
                 WHERE dt.dealer_id = $1 AND t.id IN ({list}))))"
            ));
        }
        // An integer, written into the query: the binds are text.
        Scope::Offer(id) => condition.push_str(&format!(" AND o.id = {id}")),
    }
    let sql = format!(
        "SELECT o.id, o.series_id, s.name_zh AS series_name, o.trim_id, t.name_zh AS trim_name, \
         o.kind, o.amount_yuan, o.detail, o.valid_from, o.valid_until \
         FROM offers o JOIN dealer_series ds ON ds.dealer_id = o.dealer_id AND ds.series_id = o.series_id \
         JOIN series s ON s.id = o.series_id \
         LEFT JOIN trims t ON t.id = o.trim_id \
         WHERE o.dealer_id = $1 \
         AND (o.trim_id IS NULL OR EXISTS (SELECT 1 FROM dealer_trims dt \
              WHERE dt.dealer_id = o.dealer_id AND dt.trim_id = o.trim_id)){condition} \
         ORDER BY ds.position, o.valid_until, o.id"
    );
    let mut query = sqlx::query_as(&sql).bind(dealer_id);
    for bind in &binds {
        query = query.bind(bind.as_str());
    }
    let rows: Vec<OfferRow> = query.fetch_all(&db.pool).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let stores: Vec<StoreRow> = sqlx::query_as(
        "SELECT os.offer_id, st.id AS store_id, st.name FROM offer_stores os \
         JOIN offers o ON o.id = os.offer_id JOIN stores st ON st.id = os.store_id \
         WHERE o.dealer_id = $1 ORDER BY st.position, st.id",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    let mut by_offer: HashMap<i64, Vec<StoreRow>> = HashMap::new();
    for s in stores {
        by_offer.entry(s.offer_id).or_default().push(s);
    }
    let mut offers = rows
        .into_iter()
        .map(|r| {
            let stores = by_offer.remove(&r.id).unwrap_or_default();
            let view = OfferView {
                kind: OfferKind::from_key(&r.kind)
                    .ok_or_else(|| corrupt(format!("offer {}: kind {}", r.id, r.kind)))?,
                valid_from: day(&r.valid_from, r.id)?,
                valid_until: day(&r.valid_until, r.id)?,
                id: r.id,
                series_id: r.series_id,
                series_name: r.series_name,
                trim_id: r.trim_id,
                trim_name: r.trim_name,
                amount_yuan: r.amount_yuan,
                detail: r.detail,
                stores: stores.iter().map(|s| s.name.clone()).collect(),
            };
            Ok((view, stores.iter().map(|s| s.store_id).collect()))
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    // Within a series (the query's order is kept by a stable sort): purchase offers, then the
    // largest amount.
    offers.sort_by_key(|(o, _)| {
        (
            o.kind.group() == OfferGroup::Usage,
            std::cmp::Reverse(o.amount_yuan),
        )
    });
    let order: HashMap<String, usize> = {
        let mut order = HashMap::new();
        for (o, _) in &offers {
            let next = order.len();
            order.entry(o.series_id.clone()).or_insert(next);
        }
        order
    };
    offers.sort_by_key(|(o, _)| order[&o.series_id]);
    Ok(offers)
}

/// The offers that hold on `today` in `scope`, as buyers see them.
pub async fn current(
    db: &Db,
    dealer_id: i64,
    scope: Scope<'_>,
    today: Date,
) -> sqlx::Result<Vec<OfferView>> {
    Ok(read(db, dealer_id, scope, Some(today))
        .await?
        .into_iter()
        .map(|(o, _)| o)
        .collect())
}

/// Every offer of the dealer for the console, with its state on `today`: current and upcoming
/// ones first, then those over, most recently ended first.
pub async fn all(db: &Db, dealer_id: i64, today: Date) -> sqlx::Result<Vec<StaffOffer>> {
    let mut offers = for_staff(db, dealer_id, Scope::All, today).await?;
    offers.sort_by_key(|o| match o.state {
        OfferState::Over => (1, std::cmp::Reverse(o.offer.valid_until)),
        _ => (0, std::cmp::Reverse(Date::new(0, 1, 1))),
    });
    Ok(offers)
}

/// The offers in `scope` with their stores and their state on `today`, as staff see them.
async fn for_staff(
    db: &Db,
    dealer_id: i64,
    scope: Scope<'_>,
    today: Date,
) -> sqlx::Result<Vec<StaffOffer>> {
    Ok(read(db, dealer_id, scope, None)
        .await?
        .into_iter()
        .map(|(offer, store_ids)| StaffOffer {
            state: OfferState::of(offer.valid_from, offer.valid_until, today),
            offer,
            store_ids,
        })
        .collect())
}

/// Whether the draft names a series the dealer sells, a trim of it it sells, and its own
/// stores.
async fn check(
    tx: &mut sqlx::AnyConnection,
    dealer_id: i64,
    draft: &OfferDraft,
) -> sqlx::Result<Result<(), Refused>> {
    let sold: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM dealer_series WHERE dealer_id = $1 AND series_id = $2")
            .bind(dealer_id)
            .bind(&draft.series_id)
            .fetch_optional(&mut *tx)
            .await?;
    if sold.is_none() {
        return Ok(Err(Refused::Series));
    }
    if let Some(trim) = &draft.trim_id {
        let sold: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM dealer_trims dt JOIN trims t ON t.id = dt.trim_id \
             WHERE dt.dealer_id = $1 AND dt.trim_id = $2 AND t.series_id = $3",
        )
        .bind(dealer_id)
        .bind(trim)
        .bind(&draft.series_id)
        .fetch_optional(&mut *tx)
        .await?;
        if sold.is_none() {
            return Ok(Err(Refused::Trim));
        }
    }
    for store in &draft.store_ids {
        let own: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM stores WHERE dealer_id = $1 AND id = $2")
                .bind(dealer_id)
                .bind(store)
                .fetch_optional(&mut *tx)
                .await?;
        if own.is_none() {
            return Ok(Err(Refused::Store));
        }
    }
    Ok(Ok(()))
}

async fn write_stores(
    tx: &mut sqlx::AnyConnection,
    offer_id: i64,
    store_ids: &[i64],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM offer_stores WHERE offer_id = $1")
        .bind(offer_id)
        .execute(&mut *tx)
        .await?;
    for store in store_ids {
        sqlx::query("INSERT INTO offer_stores (offer_id, store_id) VALUES ($1, $2)")
            .bind(offer_id)
            .bind(store)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Adds a checked draft (`OfferDraft::validate`) as `staff`'s dealer's offer; its id.
pub async fn add(
    db: &Db,
    staff: &Staff,
    draft: &OfferDraft,
    now_millis: i64,
) -> sqlx::Result<Result<i64, Refused>> {
    let mut tx = crate::db::begin_write(db).await?;
    if let Err(refused) = check(&mut tx, staff.dealer_id, draft).await? {
        return Ok(Err(refused));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO offers (dealer_id, series_id, trim_id, kind, amount_yuan, detail, \
         valid_from, valid_until, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(staff.dealer_id)
    .bind(&draft.series_id)
    .bind(draft.trim_id.as_deref())
    .bind(draft.kind.key())
    .bind(draft.amount_yuan)
    .bind(&draft.detail)
    .bind(draft.valid_from.to_string())
    .bind(draft.valid_until.to_string())
    .bind(staff.id)
    .bind(now_millis)
    .fetch_one(&mut *tx)
    .await?;
    write_stores(&mut tx, id, &draft.store_ids).await?;
    changed(&mut tx, staff.dealer_id).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Replaces offer `id` of `staff`'s dealer with a checked draft; `None` when it has no such
/// offer.
pub async fn update(
    db: &Db,
    staff: &Staff,
    id: i64,
    draft: &OfferDraft,
) -> sqlx::Result<Option<Result<(), Refused>>> {
    let mut tx = crate::db::begin_write(db).await?;
    if let Err(refused) = check(&mut tx, staff.dealer_id, draft).await? {
        return Ok(Some(Err(refused)));
    }
    let updated = sqlx::query(
        "UPDATE offers SET series_id = $1, trim_id = $2, kind = $3, amount_yuan = $4, \
         detail = $5, valid_from = $6, valid_until = $7 WHERE id = $8 AND dealer_id = $9",
    )
    .bind(&draft.series_id)
    .bind(draft.trim_id.as_deref())
    .bind(draft.kind.key())
    .bind(draft.amount_yuan)
    .bind(&draft.detail)
    .bind(draft.valid_from.to_string())
    .bind(draft.valid_until.to_string())
    .bind(id)
    .bind(staff.dealer_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(None);
    }
    write_stores(&mut tx, id, &draft.store_ids).await?;
    changed(&mut tx, staff.dealer_id).await?;
    tx.commit().await?;
    Ok(Some(Ok(())))
}

/// Removes offer `id` of `staff`'s dealer; `false` when it has no such offer.
pub async fn remove(db: &Db, staff: &Staff, id: i64) -> sqlx::Result<bool> {
    let mut tx = crate::db::begin_write(db).await?;
    let removed = sqlx::query("DELETE FROM offers WHERE id = $1 AND dealer_id = $2")
        .bind(id)
        .bind(staff.dealer_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 0 {
        return Ok(false);
    }
    changed(&mut tx, staff.dealer_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// One offer of the dealer for the console, as `all` lists it.
pub async fn one(
    db: &Db,
    dealer_id: i64,
    id: i64,
    today: Date,
) -> sqlx::Result<Option<StaffOffer>> {
    Ok(for_staff(db, dealer_id, Scope::Offer(id), today)
        .await?
        .pop())
}
