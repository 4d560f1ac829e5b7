//! What buyers search the catalogue for: a search recorded once per visitor and query within
//! [`HOT_DAYS`] (older ones deleted as new ones come), and the queries most visitors searched
//! in those days, for 热门搜索.

use shared::search::{HOT_DAYS, HOT_SHOWN};

use crate::db::Db;

const DAY_MS: i64 = 86_400_000;

/// Records that `visitor_id` searched `query` (normalised) at `dealer_id`, unless it already
/// did in the last [`HOT_DAYS`] days; drops the dealer's searches older than that.
pub async fn record(
    db: &Db,
    dealer_id: i64,
    query: &str,
    visitor_id: &str,
    now_millis: i64,
) -> sqlx::Result<()> {
    let since = now_millis - HOT_DAYS * DAY_MS;
    let mut tx = crate::db::begin_write(db).await?;
    sqlx::query("DELETE FROM searches WHERE dealer_id = $1 AND at < $2")
        .bind(dealer_id)
        .bind(since)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO searches (dealer_id, query, visitor_id, at) \
         SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM searches \
         WHERE dealer_id = $1 AND query = $2 AND visitor_id = $3)",
    )
    .bind(dealer_id)
    .bind(query)
    .bind(visitor_id)
    .bind(now_millis)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The queries most visitors searched at `dealer_id` in the last [`HOT_DAYS`] days, the most
/// recent first among equals; at most `HOT_SHOWN * 2`, for the caller to keep those that
/// still find a series.
pub async fn hot(db: &Db, dealer_id: i64, now_millis: i64) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT query FROM searches WHERE dealer_id = $1 AND at >= $2 \
         GROUP BY query ORDER BY COUNT(*) DESC, MAX(at) DESC, query LIMIT $3",
    )
    .bind(dealer_id)
    .bind(now_millis - HOT_DAYS * DAY_MS)
    .bind((HOT_SHOWN * 2) as i64)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(q,)| q).collect())
}
