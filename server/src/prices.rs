//! A dealer's prices: every trim it sells with its price and the days it holds (the console's
//! 价格), and setting one, logged with who changed it and from what, in the same transaction
//! that marks the catalogue changed.

use shared::date::Date;
use shared::offer::{
    DealerPrice, PriceBook, PriceChange, PriceWindow, TrimPrice, PRICE_CHANGES_SHOWN,
};

use crate::catalog::changed;
use crate::db::Db;
use crate::staff::Staff;

#[derive(sqlx::FromRow)]
struct TrimPriceRow {
    trim_id: String,
    series_id: String,
    series_name: String,
    trim_name: String,
    guide_price: Option<i64>,
    dealer_price: Option<i64>,
    price_from: Option<String>,
    price_until: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    trim_id: String,
    trim_name: String,
    staff_name: Option<String>,
    at: i64,
    old_price: Option<i64>,
    old_from: Option<String>,
    old_until: Option<String>,
    new_price: Option<i64>,
    new_from: Option<String>,
    new_until: Option<String>,
}

fn window(from: Option<String>, until: Option<String>) -> PriceWindow {
    PriceWindow {
        from: from.as_deref().and_then(Date::parse),
        until: until.as_deref().and_then(Date::parse),
    }
}

const TRIM_PRICES: &str = "SELECT t.id AS trim_id, t.series_id, s.name_zh AS series_name, \
     t.name_zh AS trim_name, t.guide_price, dt.dealer_price, dt.price_from, dt.price_until \
     FROM dealer_trims dt JOIN trims t ON t.id = dt.trim_id \
     JOIN series s ON s.id = t.series_id \
     JOIN dealer_series ds ON ds.dealer_id = dt.dealer_id AND ds.series_id = t.series_id \
     WHERE dt.dealer_id = $1";

fn trim_price(r: TrimPriceRow) -> TrimPrice {
    TrimPrice {
        window: window(r.price_from, r.price_until),
        trim_id: r.trim_id,
        series_id: r.series_id,
        series_name: r.series_name,
        trim_name: r.trim_name,
        guide_price: r.guide_price,
        dealer_price: r.dealer_price,
    }
}

/// Every trim the dealer sells, in its series order, with the latest price changes.
pub async fn book(db: &Db, dealer_id: i64, today: Date) -> sqlx::Result<PriceBook> {
    let rows: Vec<TrimPriceRow> =
        sqlx::query_as(&format!("{TRIM_PRICES} ORDER BY ds.position, t.position"))
            .bind(dealer_id)
            .fetch_all(&db.pool)
            .await?;
    let changes: Vec<ChangeRow> = sqlx::query_as(
        "SELECT c.trim_id, t.name_zh AS trim_name, st.name AS staff_name, c.at, \
         c.old_price, c.old_from, c.old_until, c.new_price, c.new_from, c.new_until \
         FROM dealer_price_changes c JOIN trims t ON t.id = c.trim_id \
         LEFT JOIN staff st ON st.id = c.staff_id \
         WHERE c.dealer_id = $1 ORDER BY c.at DESC, c.id DESC LIMIT $2",
    )
    .bind(dealer_id)
    .bind(PRICE_CHANGES_SHOWN as i64)
    .fetch_all(&db.pool)
    .await?;
    Ok(PriceBook {
        today,
        trims: rows.into_iter().map(trim_price).collect(),
        changes: changes
            .into_iter()
            .map(|c| PriceChange {
                old_window: window(c.old_from, c.old_until),
                new_window: window(c.new_from, c.new_until),
                trim_id: c.trim_id,
                trim_name: c.trim_name,
                staff_name: c.staff_name,
                at: c.at,
                old_price: c.old_price,
                new_price: c.new_price,
            })
            .collect(),
    })
}

/// Sets `staff`'s dealer's price of a trim it sells; a change is logged (old → new), setting
/// what is already there logs nothing and leaves the catalogue as it is. `None` when the
/// dealer does not sell the trim.
pub async fn set(
    db: &Db,
    staff: &Staff,
    trim_id: &str,
    price: &DealerPrice,
    now_millis: i64,
) -> sqlx::Result<Option<TrimPrice>> {
    let mut tx = crate::db::begin_write(db).await?;
    // Takes the row's lock on PostgreSQL (SQLite's IMMEDIATE transaction holds the database's)
    // so the old price logged is the one replaced.
    let found = sqlx::query(
        "UPDATE dealer_trims SET dealer_price = dealer_price WHERE dealer_id = $1 AND trim_id = $2",
    )
    .bind(staff.dealer_id)
    .bind(trim_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if found == 0 {
        return Ok(None);
    }
    let old: TrimPriceRow = sqlx::query_as(&format!("{TRIM_PRICES} AND dt.trim_id = $2"))
        .bind(staff.dealer_id)
        .bind(trim_id)
        .fetch_one(&mut *tx)
        .await?;
    let old = trim_price(old);
    let text = |d: Option<Date>| d.map(|d| d.to_string());
    if old.dealer_price != price.dealer_price || old.window != price.window {
        sqlx::query(
            "UPDATE dealer_trims SET dealer_price = $1, price_from = $2, price_until = $3 \
             WHERE dealer_id = $4 AND trim_id = $5",
        )
        .bind(price.dealer_price)
        .bind(text(price.window.from))
        .bind(text(price.window.until))
        .bind(staff.dealer_id)
        .bind(trim_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO dealer_price_changes (dealer_id, trim_id, staff_id, at, old_price, \
             old_from, old_until, new_price, new_from, new_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(staff.dealer_id)
        .bind(trim_id)
        .bind(staff.id)
        .bind(now_millis)
        .bind(old.dealer_price)
        .bind(text(old.window.from))
        .bind(text(old.window.until))
        .bind(price.dealer_price)
        .bind(text(price.window.from))
        .bind(text(price.window.until))
        .execute(&mut *tx)
        .await?;
        changed(&mut tx, staff.dealer_id).await?;
    }
    tx.commit().await?;
    Ok(Some(TrimPrice {
        dealer_price: price.dealer_price,
        window: price.window,
        ..old
    }))
}
