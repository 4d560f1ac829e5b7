//! The database: sqlx `Any` pools on SQLite (default, WAL, foreign keys, busy timeout,
//! checked at start-up; readers in parallel, writers queued on one connection) or PostgreSQL,
//! and the migrations of each backend.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::error::DatabaseError;
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

/// How long a SQLite writer waits for a lock before giving up, in milliseconds.
pub const SQLITE_BUSY_TIMEOUT_MS: i64 = 5_000;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a URL names: `postgres://` / `postgresql://` or `sqlite:`.
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://")
        }
    }
}

/// The pools and the backend behind them.
#[derive(Clone, Debug)]
pub struct Db {
    /// Where reads go.
    pub pool: AnyPool,
    /// Where writes go. On SQLite, which has one writer at a time, a pool of one connection:
    /// writers wait their turn in the pool's fair queue instead of sleeping in SQLite's busy
    /// handler, whose growing back-off (up to 100 ms a try) made the slowest bookings wait
    /// hundreds of milliseconds. On PostgreSQL the same pool as `pool`.
    pub writer: AnyPool,
    pub backend: Backend,
}

/// The write-ahead log's bound when none is configured: 16 MiB. A booking appends about 75 KB
/// of pages to the log, so under 1,300 bookings a second the log is emptied every second or so;
/// the smaller the log, the less each emptying holds the writer (`cargo xtask bench writes`,
/// p99: 46-48 ms at 16 MiB, 53-58 ms at 32, 105-110 ms at 64 and 256, 313 ms unbounded).
pub const DEFAULT_WAL_LIMIT: u64 = 16 * 1024 * 1024;

/// Connects to `url` with the default write-ahead log bound ([`connect_with`]).
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    connect_with(url, DEFAULT_WAL_LIMIT).await
}

/// Connects to `url`. On SQLite every connection gets WAL, foreign keys and a busy timeout,
/// and a connection of each pool is checked before they are handed out: a pragma not in force
/// is an error, never a silent default. The write-ahead log is kept near `wal_limit` bytes
/// (`checkpoint_beside_the_writer`).
pub async fn connect_with(url: &str, wal_limit: u64) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url)?;
    let open = |connections: u32| {
        let options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(connections);
        let options = match backend {
            Backend::Postgres => options,
            // A local file cannot drop a connection: no ping before each use, which on
            // SQLite is a round trip to the connection's worker thread.
            Backend::Sqlite => options
                .test_before_acquire(false)
                .after_connect(move |conn, _meta| Box::pin(sqlite_pragmas(conn, wal_limit)))
                .after_release(|conn, _meta| Box::pin(transaction_ended(conn))),
        };
        async move {
            options
                .connect(url)
                .await
                .with_context(|| format!("cannot open the database {}", redact(url)))
        }
    };
    let db = match backend {
        Backend::Postgres => {
            let pool = open(10).await?;
            Db {
                writer: pool.clone(),
                pool,
                backend,
            }
        }
        Backend::Sqlite => {
            let db = Db {
                pool: open(8).await?,
                writer: open(1).await?,
                backend,
            };
            check_sqlite(&mut *db.pool.acquire().await?).await?;
            check_sqlite(&mut *db.writer.acquire().await?).await?;
            let wal = wal_file(&db).await?;
            checkpoint_beside_the_writer(db.clone(), wal, wal_limit);
            db
        }
    };
    Ok(db)
}

async fn sqlite_pragmas(conn: &mut AnyConnection, wal_limit: u64) -> Result<(), sqlx::Error> {
    conn.execute("PRAGMA journal_mode = WAL").await?;
    conn.execute("PRAGMA foreign_keys = ON").await?;
    conn.execute(format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}").as_str())
        .await?;
    conn.execute("PRAGMA synchronous = NORMAL").await?;
    // Checkpoints run beside the writer (`checkpoint_beside_the_writer`), not inside the
    // commit that happens to fill the log: that commit used to wait for the copy.
    conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
    // A log reset by a checkpoint is cut back to this size, not left at its largest.
    conn.execute(format!("PRAGMA journal_size_limit = {wal_limit}").as_str())
        .await?;
    Ok(())
}

/// The path of the database's write-ahead log: the main file's with `-wal`.
async fn wal_file(db: &Db) -> anyhow::Result<PathBuf> {
    let file: String =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(&db.pool)
            .await
            .context("reading where the SQLite database is")?;
    Ok(PathBuf::from(format!("{file}-wal")))
}

/// Whether a SQLite connection going back to its pool may be used again: not while sqlx
/// still counts a transaction on it. A COMMIT or ROLLBACK that failed (a full disk, an I/O
/// error) leaves SQLite's transaction ended and sqlx's open, and every `BEGIN IMMEDIATE` on
/// that connection after it fails (`InvalidSavePointStatement`); the writer pool holds one
/// connection, so every write failed until the pool happened to replace it. Closed here, it is
/// replaced by the next write. A transaction dropped without a commit (a 409, an early `?`)
/// has queued its ROLLBACK: the ping runs it, and a connection whose rollback worked is kept.
async fn transaction_ended(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!(
            "a SQLite transaction could not end (a failed COMMIT or ROLLBACK): \
             its connection is closed and the next write opens a new one"
        );
        return Ok(false);
    }
    Ok(true)
}

/// Why the database refuses writes for now, from its error's code: the disk is full
/// (SQLite's `SQLITE_FULL`, PostgreSQL's `53100 disk_full`) or the database is read-only
/// (`SQLITE_READONLY` and its extended codes, PostgreSQL's `25006 read_only_sql_transaction`,
/// as on a standby). Both pass once the cause goes away, so they are worth a retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    StorageFull,
    ReadOnly,
}

impl Refusal {
    /// The refusal `e` is, if it is one.
    pub fn of(e: &sqlx::Error) -> Option<Self> {
        let e = e.as_database_error()?;
        if let Some(sqlite) = e.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
            // The extended result code: its low byte is the primary code.
            let code: i32 = sqlite.code()?.parse().ok()?;
            return match code & 0xff {
                13 => Some(Self::StorageFull),
                8 => Some(Self::ReadOnly),
                _ => None,
            };
        }
        if let Some(postgres) = e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
            return match postgres.code() {
                "53100" => Some(Self::StorageFull),
                "25006" => Some(Self::ReadOnly),
                _ => None,
            };
        }
        None
    }
}

/// How often the write-ahead log is copied into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// How often the write-ahead log's size is looked at (a `stat`, no lock).
const WAL_LOOK_EVERY: Duration = Duration::from_millis(100);

/// Keeps the write-ahead log small beside the writer. Every second its pages are copied into
/// the database file from a reading connection (PASSIVE: it waits for no reader and no
/// writer), so no booking waits for it. That alone never shortens the log under steady
/// writes and reads: SQLite starts the log over only when a writer begins while no reader
/// still reads from it, which under load never happens (16 writers for 60 s left a 2.56 GB log
/// beside a 22 MB database, replayed whole after a crash). So when the log passes `limit`, a
/// PASSIVE checkpoint copies what it can, then a TRUNCATE checkpoint is taken on the writer's
/// own connection: writers wait their turn in the pool, as for any write, while it copies the
/// few pages written since, waits for the readers of the log to finish (milliseconds) and
/// empties the file.
fn checkpoint_beside_the_writer(db: Db, wal: PathBuf, limit: u64) {
    tokio::spawn(async move {
        let mut look = tokio::time::interval(WAL_LOOK_EVERY);
        look.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_passive = tokio::time::Instant::now();
        let mut failing = false;
        while !db.pool.is_closed() {
            look.tick().await;
            let size = tokio::fs::metadata(&wal).await.map_or(0, |m| m.len());
            let outcome = if size > limit {
                // What can be copied without the writer is copied first, so the writer is held
                // only for the pages written since.
                let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&db.pool)
                    .await;
                sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(&db.writer)
                    .await
                    .map(|(busy, _, _)| busy == 0)
            } else if last_passive.elapsed() >= CHECKPOINT_EVERY {
                last_passive = tokio::time::Instant::now();
                sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&db.pool)
                    .await
                    .map(|_| true)
            } else {
                continue;
            };
            match outcome {
                Ok(true) if failing => {
                    tracing::info!("SQLite checkpoints work again");
                    failing = false;
                }
                Ok(true) => {}
                // Readers held the log past the busy timeout: the next look tries again.
                Ok(false) => tracing::warn!(wal_bytes = size, "SQLite could not empty its log"),
                Err(e) if !failing => {
                    tracing::warn!(error = %e, "SQLite checkpoint failed");
                    failing = true;
                }
                Err(_) => {}
            }
        }
    });
}

/// Reads the pragmas back on a connection and fails loudly if any is not in force.
async fn check_sqlite(conn: &mut AnyConnection) -> anyhow::Result<()> {
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?;
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await?;
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await?;
    anyhow::ensure!(
        journal.eq_ignore_ascii_case("wal"),
        "SQLite journal_mode is {journal:?}, expected WAL (an in-memory database cannot use WAL)"
    );
    anyhow::ensure!(foreign_keys == 1, "SQLite foreign_keys is off");
    anyhow::ensure!(
        busy == SQLITE_BUSY_TIMEOUT_MS,
        "SQLite busy_timeout is {busy} ms, expected {SQLITE_BUSY_TIMEOUT_MS}"
    );
    Ok(())
}

/// A transaction for writes, on the writer. On SQLite it begins IMMEDIATE, taking the write
/// lock at once, so a read-then-write inside it can never be overtaken; on PostgreSQL rows are
/// locked by the statements themselves.
pub async fn begin_write(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    match db.backend {
        Backend::Sqlite => db.writer.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => db.writer.begin().await,
    }
}

/// Brings the schema up to date (the migrations of the pool's backend).
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    let migrator = match db.backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator
        .run(&db.pool)
        .await
        .context("database migration failed")?;
    if db.backend == Backend::Sqlite {
        // Migration 0010's part: the staff table's role CHECK gains `service_advisor`.
        sqlite_rebuild(
            db,
            "staff",
            |sql| sql.contains("service_advisor"),
            STAFF_REBUILD,
        )
        .await
        .context("adding the service advisor role")?;
        // Migration 0016's part: `cars.old_inspection_cycle`, which a CHECK names, goes.
        sqlite_rebuild(
            db,
            "cars",
            |sql| !sql.contains("old_inspection_cycle"),
            CARS_REBUILD,
        )
        .await
        .context("dropping cars.old_inspection_cycle")?;
    }
    Ok(())
}

/// A migration's part SQLite cannot do inside sqlx's migration transaction: a CHECK cannot be
/// altered, nor a column dropped that a CHECK names, so `table` is rebuilt the documented way
/// (<https://www.sqlite.org/lang_altertable.html#otheralter>) by `rebuild` with foreign keys
/// off, which is possible only outside a transaction: with them on, dropping the old table
/// would cascade to the rows referring to it. Runs once: a table whose `CREATE` statement is
/// `done` already is left alone.
async fn sqlite_rebuild(
    db: &Db,
    table: &str,
    done: impl Fn(&str) -> bool,
    rebuild: &str,
) -> anyhow::Result<()> {
    let sql: String =
        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
            .bind(table)
            .fetch_one(&db.writer)
            .await?;
    if done(&sql) {
        return Ok(());
    }
    let mut conn = db.writer.acquire().await?;
    conn.execute("PRAGMA foreign_keys = OFF").await?;
    let rebuilt = async {
        conn.execute(rebuild).await?;
        let broken: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&mut *conn)
            .await?;
        anyhow::ensure!(broken.is_empty(), "foreign keys broken: {broken:?}");
        conn.execute("COMMIT").await?;
        Ok(())
    }
    .await;
    if rebuilt.is_err() {
        let _ = conn.execute("ROLLBACK").await;
    }
    conn.execute("PRAGMA foreign_keys = ON").await?;
    rebuilt
}

/// The staff table as migrations 0003, 0004, 0008, 0016, 0017 and 0018 made it, with the role
/// check of 0010 (a column a later migration adds to staff must be added here too: on a fresh
/// database this rebuild runs after every migration); left open for `sqlite_rebuild` to check
/// the foreign keys before it commits.
const STAFF_REBUILD: &str = "BEGIN IMMEDIATE;
CREATE TABLE staff_new (
    id               INTEGER PRIMARY KEY,
    dealer_id        INTEGER NOT NULL,
    role             TEXT    NOT NULL,   -- admin | manager | consultant | service_advisor
    name             TEXT    NOT NULL,
    phone            TEXT    NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    last_assigned_at INTEGER NOT NULL DEFAULT 0,
    login            TEXT,
    password_hash    TEXT,
    title            TEXT,
    wechat           TEXT,
    handle           TEXT,
    successor_id     INTEGER,
    disabled_at      INTEGER,
    CONSTRAINT staff_successor_fk FOREIGN KEY (successor_id) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT staff_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT staff_dealer_name_key UNIQUE (dealer_id, name),
    CONSTRAINT staff_role_check CHECK (role IN ('admin', 'manager', 'consultant', 'service_advisor')),
    CONSTRAINT staff_active_check CHECK (active IN (0, 1))
);
INSERT INTO staff_new (id, dealer_id, role, name, phone, active, last_assigned_at, login,
                       password_hash, title, wechat, handle, successor_id, disabled_at)
SELECT id, dealer_id, role, name, phone, active, last_assigned_at, login,
       password_hash, title, wechat, handle, successor_id, disabled_at
FROM staff;
DROP TABLE staff;
ALTER TABLE staff_new RENAME TO staff;
CREATE UNIQUE INDEX staff_login_key ON staff (login);
CREATE UNIQUE INDEX staff_dealer_handle_key ON staff (dealer_id, handle);
CREATE INDEX staff_successor ON staff (successor_id);
";

/// The cars table as migrations 0010 and 0015 made it, without `old_inspection_cycle` and
/// its check (0016); left open for `sqlite_rebuild` to check the foreign keys before it
/// commits.
const CARS_REBUILD: &str = "BEGIN IMMEDIATE;
CREATE TABLE cars_new (
    id                   INTEGER PRIMARY KEY,
    dealer_id            INTEGER NOT NULL,
    lead_id              INTEGER,
    series_id            TEXT    NOT NULL,
    trim_id              TEXT    NOT NULL,
    vin                  TEXT    NOT NULL,
    plate                TEXT    NOT NULL,
    delivered_on         TEXT    NOT NULL,
    registered_on        TEXT    NOT NULL,
    insurance_ends_on    TEXT,
    odometer_km          INTEGER NOT NULL,
    advisor_id           INTEGER,
    delivered_by         INTEGER,
    created_at           INTEGER NOT NULL,
    manufactured_on      TEXT,
    casualty_accident    INTEGER NOT NULL DEFAULT 0,
    modification_penalty INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT cars_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT cars_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE SET NULL,
    CONSTRAINT cars_series_fk FOREIGN KEY (series_id) REFERENCES series (id),
    CONSTRAINT cars_trim_fk FOREIGN KEY (trim_id) REFERENCES trims (id),
    CONSTRAINT cars_advisor_fk FOREIGN KEY (advisor_id) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT cars_delivered_by_fk FOREIGN KEY (delivered_by) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT cars_dealer_vin_key UNIQUE (dealer_id, vin),
    CONSTRAINT cars_vin_check CHECK (length(vin) = 17),
    CONSTRAINT cars_odometer_check CHECK (odometer_km >= 0),
    CONSTRAINT cars_dates_check CHECK (registered_on <= delivered_on),
    CONSTRAINT cars_manufactured_check CHECK (manufactured_on IS NULL OR manufactured_on <= registered_on),
    CONSTRAINT cars_casualty_check CHECK (casualty_accident IN (0, 1)),
    CONSTRAINT cars_modification_check CHECK (modification_penalty IN (0, 1))
);
INSERT INTO cars_new (id, dealer_id, lead_id, series_id, trim_id, vin, plate, delivered_on,
                      registered_on, insurance_ends_on, odometer_km, advisor_id, delivered_by,
                      created_at, manufactured_on, casualty_accident, modification_penalty)
SELECT id, dealer_id, lead_id, series_id, trim_id, vin, plate, delivered_on,
       registered_on, insurance_ends_on, odometer_km, advisor_id, delivered_by,
       created_at, manufactured_on, casualty_accident, modification_penalty
FROM cars;
DROP TABLE cars;
ALTER TABLE cars_new RENAME TO cars;
CREATE INDEX cars_dealer_plate ON cars (dealer_id, plate);
CREATE INDEX cars_lead ON cars (lead_id);
";

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_backend_and_hides_passwords() {
        assert_eq!(
            Backend::of_url("sqlite://x.db?mode=rwc").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::of_url("postgres://u@h/d").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/d").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::of_url("mysql://u@h/d").is_err());
        assert_eq!(redact("postgres://u:secret@h/d"), "postgres://u:***@h/d");
        assert_eq!(redact("postgres://u@h/d"), "postgres://u@h/d");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }

    #[tokio::test]
    async fn sqlite_pragmas_are_in_force_and_memory_databases_are_refused() {
        let path = std::env::temp_dir().join(format!("chelink-db-unit-{}.db", std::process::id()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = connect(&url).await.unwrap();
        check_sqlite(&mut db.pool.acquire().await.unwrap())
            .await
            .unwrap();
        check_sqlite(&mut db.writer.acquire().await.unwrap())
            .await
            .unwrap();
        migrate(&db).await.unwrap();
        migrate(&db).await.unwrap();
        db.pool.close().await;
        db.writer.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        assert!(connect("sqlite::memory:").await.is_err());
    }
}
