//! Buffered share-link visits: `/s/{code}` answers at once and hands its visit to one writer
//! task, which writes what gathered in one transaction at least every `GATHER` (one statement
//! per write, not one transaction per click). A flush (the console before it counts, a booking
//! before it attributes, a clean shutdown) writes what is pending at once, so what is at risk
//! when the process dies without one is the last `GATHER` of visits and the backlog, which is
//! bounded: when the writer falls behind by `DEFAULT_BACKLOG` visits, the redirect still
//! answers and its visit is dropped, counted and logged once per `DROPS_LOGGED_EVERY`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, oneshot};

use crate::db::{self, Backend, Db};

/// How long the writer gathers visits before it writes them.
pub const GATHER: Duration = Duration::from_millis(200);

/// The most visits waiting for the writer (`CHELINK_CLICK_BACKLOG`): under a second of what
/// the writer stored (15–25k visits/s) before it wrote one statement per write, so a crash
/// loses at most `GATHER` of clicks and this many, however fast redirects come.
pub const DEFAULT_BACKLOG: usize = 10_000;

/// The most visits one write holds; more are written in the next.
const MOST_PER_WRITE: usize = 5_000;

/// How often dropped visits are reported, when there are any.
const DROPS_LOGGED_EVERY: Duration = Duration::from_secs(10);

/// One fetch of a share link, as it is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub link_id: i64,
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
    tx: mpsc::Sender<Message>,
    /// Visits dropped because the backlog was full, since the start.
    dropped: Arc<AtomicU64>,
}

impl Clicks {
    /// Starts the writer task for `db`, holding at most `backlog` visits not yet written.
    pub fn holding(db: Db, backlog: usize) -> Self {
        let (tx, rx) = mpsc::channel(backlog.max(1));
        let dropped = Arc::new(AtomicU64::new(0));
        tokio::spawn(write_gathered(db, rx, dropped.clone()));
        Self { tx, dropped }
    }

    /// Keeps a visit; it reaches the database within `GATHER`, or at the next flush. When the
    /// backlog is full the visit is dropped and counted: the redirect never waits for it.
    pub fn keep(&self, visit: Visit) {
        match self.tx.try_send(Message::Visit(visit)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
            Err(TrySendError::Closed(_)) => {
                tracing::error!("the click writer has stopped: a visit was not kept");
            }
        }
    }

    /// Visits dropped since the start because the backlog was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Returns once every visit kept before the call is in the database.
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.tx.send(Message::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

/// The writer task: gathers visits for up to `GATHER` (or until a flush or `MOST_PER_WRITE`),
/// writes them in one transaction, answers the flushes that asked, and repeats until every
/// handle is dropped.
async fn write_gathered(db: Db, mut rx: mpsc::Receiver<Message>, dropped: Arc<AtomicU64>) {
    let mut failing = false;
    let mut drops_logged = 0;
    let mut drops_logged_at = tokio::time::Instant::now();
    while let Some(first) = rx.recv().await {
        let drops = dropped.load(Ordering::Relaxed);
        if drops > drops_logged && drops_logged_at.elapsed() >= DROPS_LOGGED_EVERY {
            tracing::warn!(
                dropped = drops - drops_logged,
                since_start = drops,
                "share-link visits dropped: more redirects than the click writer keeps up with"
            );
            drops_logged = drops;
            drops_logged_at = tokio::time::Instant::now();
        }
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
            let started = std::time::Instant::now();
            let written = write(&db, &visits).await;
            tracing::debug!(
                visits = visits.len(),
                ms = started.elapsed().as_millis(),
                waiting = rx.len(),
                "share-link visits written"
            );
            match written {
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

/// Writes visits in one transaction, one statement: the visits go as one JSON array bound
/// to one parameter, which the database unpacks (`json_each` on SQLite,
/// `json_array_elements` on PostgreSQL). Binding five parameters per row through sqlx's `Any`
/// driver had cost more than storing the rows. A visitor's first and last touch are read from
/// these rows (`attribution::FIRST_TOUCH`, `attribution::LAST_TOUCH`): a click is one row
/// written, nothing updated.
pub async fn write(db: &Db, visits: &[Visit]) -> sqlx::Result<()> {
    let sql = match db.backend {
        Backend::Sqlite => {
            "INSERT INTO link_visits (link_id, at, visitor, agent, counted) \
             SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 \
             FROM json_each($1)"
        }
        Backend::Postgres => {
            "INSERT INTO link_visits (link_id, at, visitor, agent, counted) \
             SELECT CAST(v ->> 0 AS BIGINT), CAST(v ->> 1 AS BIGINT), v ->> 2, v ->> 3, \
                    CAST(v ->> 4 AS BIGINT) \
             FROM json_array_elements(CAST($1 AS JSON)) AS v"
        }
    };
    let mut tx = db::begin_write(db).await?;
    sqlx::query(sql)
        .bind(as_json(visits))
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// `[[link_id, at, visitor, agent, counted], ...]`, the visitor `null` when there is none,
/// written straight into one string (no JSON value per row: the writer's time is the clicks'
/// bound).
fn as_json(visits: &[Visit]) -> String {
    use std::fmt::Write;
    let mut json = String::with_capacity(visits.len() * 64 + 2);
    json.push('[');
    for (i, v) in visits.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        // A JSON string, escaped; `null` for no visitor.
        let text = |s: Option<&str>| serde_json::to_string(&s).unwrap_or_else(|_| "null".into());
        let (visitor, agent) = (text(v.visitor.as_deref()), text(Some(v.agent)));
        let _ = write!(
            json,
            "[{},{},{visitor},{agent},{}]",
            v.link_id,
            v.at,
            i64::from(v.counted)
        );
    }
    json.push(']');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_go_as_one_json_array_with_null_for_no_visitor() {
        let visits = [
            Visit {
                link_id: 7,
                at: 1_700_000_000,
                visitor: Some("v\"1".into()),
                agent: "wechat",
                counted: true,
            },
            Visit {
                link_id: 8,
                at: 1_700_000_001,
                visitor: None,
                agent: "preview",
                counted: false,
            },
        ];
        assert_eq!(
            as_json(&visits),
            r#"[[7,1700000000,"v\"1","wechat",1],[8,1700000001,null,"preview",0]]"#
        );
    }
}
