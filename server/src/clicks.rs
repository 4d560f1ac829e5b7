//! Buffered share-link visits: `/s/{code}` answers at once and hands its visit to one writer
//! task, which writes what gathered in one transaction at least every `GATHER` (a few
//! multi-row statements, not one transaction per click). A flush (the console before it
//! counts, a booking before it attributes, a clean shutdown) writes what is pending at once,
//! so at most `GATHER` of visits is at risk when the process dies without one.

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::db::{self, Backend, Db};

/// How long the writer gathers visits before it writes them.
pub const GATHER: Duration = Duration::from_millis(200);

/// The most visits one write holds; more are written in the next.
const MOST_PER_WRITE: usize = 2_000;

/// Rows per multi-row `INSERT`: 5 binds each keeps well under SQLite's and PostgreSQL's limits.
const ROWS_PER_STATEMENT: usize = 200;

/// One fetch of a share link, as it is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub link_id: i64,
    pub dealer_id: i64,
    pub at: i64,
    /// The visitor's anonymous id; none for a preview fetch.
    pub visitor: Option<String>,
    /// `shared::link::Agent::as_str`.
    pub agent: &'static str,
    /// A person's click (not a preview, not the dealer's own staff).
    pub counted: bool,
}

enum Message {
    Visit(Visit),
    /// Write what is pending now, then answer.
    Flush(oneshot::Sender<()>),
}

/// The handle every request holds: cheap to clone, sending to the one writer task.
#[derive(Clone, Debug)]
pub struct Clicks {
    tx: mpsc::UnboundedSender<Message>,
}

impl Clicks {
    /// Starts the writer task for `db`.
    pub fn start(db: Db) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_gathered(db, rx));
        Self { tx }
    }

    /// Keeps a visit; it reaches the database within `GATHER`, or at the next flush.
    pub fn keep(&self, visit: Visit) {
        if self.tx.send(Message::Visit(visit)).is_err() {
            tracing::error!("the click writer has stopped: a visit was not kept");
        }
    }

    /// Returns once every visit kept before the call is in the database.
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.tx.send(Message::Flush(done)).is_ok() {
            let _ = written.await;
        }
    }
}

/// The writer task: gathers visits for up to `GATHER` (or until a flush or `MOST_PER_WRITE`),
/// writes them in one transaction, answers the flushes that asked, and repeats until every
/// handle is dropped.
async fn write_gathered(db: Db, mut rx: mpsc::UnboundedReceiver<Message>) {
    let mut failing = false;
    while let Some(first) = rx.recv().await {
        let mut visits = Vec::new();
        let mut flushes = Vec::new();
        let mut next = Some(first);
        let deadline = tokio::time::sleep(GATHER);
        tokio::pin!(deadline);
        loop {
            match next.take() {
                Some(Message::Visit(visit)) => visits.push(visit),
                Some(Message::Flush(done)) => {
                    flushes.push(done);
                    break;
                }
                None => {}
            }
            if visits.len() >= MOST_PER_WRITE {
                break;
            }
            // Whatever is already queued is taken without waiting.
            if let Ok(message) = rx.try_recv() {
                next = Some(message);
                continue;
            }
            tokio::select! {
                message = rx.recv() => match message {
                    Some(message) => next = Some(message),
                    None => break,
                },
                () = &mut deadline => break,
            }
        }
        if !visits.is_empty() {
            match write(&db, &visits).await {
                Ok(()) if failing => {
                    tracing::info!("share-link visits are written again");
                    failing = false;
                }
                Ok(()) => {}
                // Logged once when writing starts to fail, not for every batch after.
                Err(e) if !failing => {
                    tracing::error!(error = %e, lost = visits.len(), "cannot write share-link visits");
                    failing = true;
                }
                Err(_) => {}
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// Writes visits in one transaction: the visits themselves, then for the clicks each
/// visitor's touch (the first link that brought them stays, the last moves on).
pub async fn write(db: &Db, visits: &[Visit]) -> sqlx::Result<()> {
    let mut tx = db::begin_write(db).await?;
    for chunk in visits.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO link_visits (link_id, at, visitor, agent, counted) VALUES {}",
            placeholders(db.backend, chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for v in chunk {
            query = query
                .bind(v.link_id)
                .bind(v.at)
                .bind(v.visitor.as_deref())
                .bind(v.agent)
                .bind(i64::from(v.counted));
        }
        query.execute(&mut *tx).await?;
    }
    let touches = touches(visits);
    for chunk in touches.chunks(ROWS_PER_STATEMENT) {
        // One row per visitor: PostgreSQL refuses to update a row twice in one statement.
        let sql = format!(
            "INSERT INTO visitor_touches (dealer_id, visitor, first_link_id, first_at, \
             last_link_id, last_at) VALUES {} ON CONFLICT (dealer_id, visitor) DO UPDATE SET \
             last_link_id = excluded.last_link_id, last_at = excluded.last_at \
             WHERE visitor_touches.last_at <= excluded.last_at",
            placeholders(db.backend, chunk.len(), 6)
        );
        let mut query = sqlx::query(&sql);
        for t in chunk {
            query = query
                .bind(t.dealer_id)
                .bind(&t.visitor)
                .bind(t.first.0)
                .bind(t.first.1)
                .bind(t.last.0)
                .bind(t.last.1);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// A visitor's first and last click at a dealer within one write: (link, time) each.
#[derive(Debug, PartialEq, Eq)]
struct Touch {
    dealer_id: i64,
    visitor: String,
    first: (i64, i64),
    last: (i64, i64),
}

/// The clicks folded into one touch per dealer and visitor, in the order first seen.
fn touches(visits: &[Visit]) -> Vec<Touch> {
    let mut index: HashMap<(i64, &str), usize> = HashMap::new();
    let mut out: Vec<Touch> = Vec::new();
    for v in visits.iter().filter(|v| v.counted) {
        let Some(visitor) = v.visitor.as_deref() else {
            continue;
        };
        let here = (v.link_id, v.at);
        match index.get(&(v.dealer_id, visitor)) {
            Some(&i) => {
                let t = &mut out[i];
                if here.1 < t.first.1 {
                    t.first = here;
                }
                if here.1 >= t.last.1 {
                    t.last = here;
                }
            }
            None => {
                index.insert((v.dealer_id, visitor), out.len());
                out.push(Touch {
                    dealer_id: v.dealer_id,
                    visitor: visitor.to_string(),
                    first: here,
                    last: here,
                });
            }
        }
    }
    out
}

/// `($1, $2), ($3, $4)` for `rows` rows of `columns` binds; on SQLite `(?, ?), (?, ?)`:
/// SQLite finds a numbered parameter's name by walking all of them, which made binding a
/// 1,000-parameter statement cost more than running it.
fn placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let binds: Vec<String> = (1..=columns)
                .map(|c| match backend {
                    Backend::Sqlite => "?".to_string(),
                    Backend::Postgres => format!("${}", r * columns + c),
                })
                .collect();
            format!("({})", binds.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(link_id: i64, at: i64, visitor: Option<&str>, counted: bool) -> Visit {
        Visit {
            link_id,
            dealer_id: 1,
            at,
            visitor: visitor.map(str::to_string),
            agent: "wechat",
            counted,
        }
    }

    #[test]
    fn placeholders_number_every_bind_once() {
        assert_eq!(placeholders(Backend::Postgres, 1, 2), "($1, $2)");
        assert_eq!(
            placeholders(Backend::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
    }

    #[test]
    fn a_visitors_clicks_fold_into_one_touch_and_previews_touch_nobody() {
        let visits = [
            visit(7, 100, Some("a"), true),
            visit(8, 50, None, false),
            visit(9, 300, Some("a"), true),
            visit(8, 200, Some("b"), true),
            visit(5, 400, Some("b"), false),
        ];
        assert_eq!(
            touches(&visits),
            [
                Touch {
                    dealer_id: 1,
                    visitor: "a".into(),
                    first: (7, 100),
                    last: (9, 300)
                },
                Touch {
                    dealer_id: 1,
                    visitor: "b".into(),
                    first: (8, 200),
                    last: (8, 200)
                },
            ]
        );
    }
}
