//! The server under faults: a full disk (SQLite on a small tmpfs the test mounts and fills)
//! and a read-only database (PostgreSQL's `default_transaction_read_only`) answer 503 with
//! `Retry-After`, write nothing half, and writes resume within a second of the cause going
//! away.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use server::db::Backend;
use shared::booking::{Booking, EnquiryReceipt, EnquiryRequest, Origin};
use sqlx::Connection;

use crate::bookings::{booking, contact, created, free_slot, phone};
use crate::helpers::{err, TestApp};

const DEMO: &str = "/api/v1/dealers/demo";

static MOUNTS: AtomicUsize = AtomicUsize::new(0);

/// A tmpfs of its own, unmounted when dropped. Mounting needs root, which the developers and
/// CI have: a machine where it fails fails the test, it never skips it.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(bytes: u64) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "chelink-tmpfs-{}-{}",
            std::process::id(),
            MOUNTS.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("mount point");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(&dir)
            .status()
            .expect("cannot run mount");
        assert!(
            status.success(),
            "cannot mount a tmpfs at {} ({status}): this test fills a small filesystem and \
             needs root, as the developers and CI run",
            dir.display()
        );
        Self { dir }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazily: the server's pools may still hold the database open.
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// Writes a file in `dir` until its filesystem is full; returns the file's path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).expect("filler");
    // Big blocks, then small ones for what is left: not one byte free.
    for size in [64 * 1024, 512] {
        let block = vec![0u8; size];
        while file.write_all(&block).is_ok() {}
    }
    path
}

fn enquiry(n: usize) -> EnquiryRequest {
    EnquiryRequest {
        series_id: Some("xiaomi-su7".into()),
        trim_id: None,
        contact: contact("满盘", &phone(n)),
        origin: Origin {
            page: "compare".into(),
            button: "ask-price".into(),
            channel: None,
        },
    }
}

/// A 503 with a `Retry-After` of whole seconds and the given error code.
async fn refused(response: reqwest::Response, code: &str) {
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    assert!(
        retry_after.is_some_and(|s| s > 0),
        "Retry-After in seconds: {:?}",
        response.headers()
    );
    let body = err(response, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(body.error.code, code, "{}", body.error.message);
}

/// Books until one is created, for up to a second; returns how long it took.
async fn book_within_a_second(app: &TestApp, n: usize) -> Duration {
    let slot = free_slot(app, "byd-qin-plus").await;
    let start = Instant::now();
    loop {
        let response = app
            .post_json(
                &format!("{DEMO}/bookings"),
                &booking("byd-qin-plus", &slot, "恢复", &phone(n)),
            )
            .await;
        if response.status() == StatusCode::CREATED {
            let _: Booking = created(response).await;
            return start.elapsed();
        }
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "writes did not resume within a second: {status} {text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_storage_full_and_writes_resume_once_space_is_freed() {
    let tmpfs = Tmpfs::mount(64 * 1024 * 1024);
    let dir = tmpfs.dir.clone();
    crate::helpers::run_in(Backend::Sqlite, &tmpfs.dir, move |app| async move {
        let slot = free_slot(&app, "byd-qin-plus").await;
        // An empty log: the next commit must grow the file, not reuse frames already there.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&app.db.writer)
            .await
            .expect("checkpoint");
        let filler = fill(&dir);
        let before = app.row_counts().await;
        for n in 0..3 {
            let response = app
                .post_json(
                    &format!("{DEMO}/bookings"),
                    &booking("byd-qin-plus", &slot, "满盘", &phone(n)),
                )
                .await;
            refused(response, "storage_full").await;
        }
        refused(
            app.post_json(&format!("{DEMO}/enquiries"), &enquiry(10))
                .await,
            "storage_full",
        )
        .await;
        assert_eq!(app.row_counts().await, before, "nothing half-written");

        std::fs::remove_file(&filler).expect("free the space");
        let took = book_within_a_second(&app, 20).await;
        let _: EnquiryReceipt = created(
            app.post_json(&format!("{DEMO}/enquiries"), &enquiry(21))
                .await,
        )
        .await;
        eprintln!("the first booking after freeing space took {took:?}");
    })
    .await;
    drop(tmpfs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_answers_503_and_writes_resume_once_it_is_writable() {
    crate::helpers::run(Backend::Postgres, |app| async move {
        let name: String = sqlx::query_scalar("SELECT CAST(current_database() AS TEXT)")
            .fetch_one(&app.db.pool)
            .await
            .expect("name");
        let admin = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
        let mut admin = sqlx::PgConnection::connect(&admin).await.expect("admin");
        // New sessions start read-only, as on a standby; the pool's sessions are ended so it
        // opens new ones.
        let read_only =
            |on: &str| format!("ALTER DATABASE {name} SET default_transaction_read_only = {on}");
        let end_sessions = format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        );
        let slot = free_slot(&app, "byd-qin-plus").await;
        sqlx::query(&read_only("on"))
            .execute(&mut admin)
            .await
            .expect("read-only");
        sqlx::query(&end_sessions)
            .execute(&mut admin)
            .await
            .expect("end sessions");
        let before = app.row_counts().await;
        for n in 0..2 {
            let response = app
                .post_json(
                    &format!("{DEMO}/bookings"),
                    &booking("byd-qin-plus", &slot, "只读", &phone(n)),
                )
                .await;
            refused(response, "read_only").await;
        }
        refused(
            app.post_json(&format!("{DEMO}/enquiries"), &enquiry(10))
                .await,
            "read_only",
        )
        .await;
        assert_eq!(app.row_counts().await, before, "nothing half-written");

        sqlx::query(&read_only("off"))
            .execute(&mut admin)
            .await
            .expect("writable");
        sqlx::query(&end_sessions)
            .execute(&mut admin)
            .await
            .expect("end sessions");
        book_within_a_second(&app, 20).await;
        let _ = admin.close().await;
    })
    .await;
}

/// The write-ahead log's bound in the test below: small, so a few seconds of writes pass it
/// many times over.
const WAL_LIMIT: u64 = 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_log_stays_near_its_bound_under_steady_writes_and_reads() {
    let file = std::env::temp_dir().join(format!("chelink-wal-{}.db", std::process::id()));
    let wal = PathBuf::from(format!("{}-wal", file.display()));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let db = server::db::connect_with(&url, WAL_LIMIT)
        .await
        .expect("connect");
    server::db::migrate(&db).await.expect("migrate");
    sqlx::query("CREATE TABLE burst (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .execute(&db.writer)
        .await
        .expect("table");
    let body = "车".repeat(340); // about 1 KB
    let written = std::sync::Arc::new(AtomicUsize::new(0));
    // Readers always in the log: without a checkpoint that waits for them, SQLite never
    // starts the log over.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut readers = Vec::new();
    for _ in 0..4 {
        let (db, stop) = (db.clone(), stop.clone());
        readers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let _: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM burst")
                    .fetch_one(&db.pool)
                    .await
                    .expect("read");
            }
        }));
    }
    let mut writers = Vec::new();
    for _ in 0..8 {
        let (db, body, written) = (db.clone(), body.clone(), written.clone());
        writers.push(tokio::spawn(async move {
            while written.load(Ordering::Relaxed) < 12 * WAL_LIMIT as usize {
                let mut tx = server::db::begin_write(&db).await.expect("begin");
                for _ in 0..16 {
                    sqlx::query("INSERT INTO burst (body) VALUES ($1)")
                        .bind(&body)
                        .execute(&mut *tx)
                        .await
                        .expect("insert");
                }
                tx.commit().await.expect("commit");
                written.fetch_add(16 * body.len(), Ordering::Relaxed);
            }
        }));
    }
    let mut largest = 0;
    while writers.iter().any(|w| !w.is_finished()) {
        largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    // With the writes over, the log is cut back to its bound within a second or so.
    let start = Instant::now();
    let mut settled = u64::MAX;
    while start.elapsed() < Duration::from_secs(3) {
        settled = std::fs::metadata(&wal).map_or(0, |m| m.len());
        if settled <= WAL_LIMIT {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.await.expect("reader");
    }
    db.pool.close().await;
    db.writer.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let total = written.load(Ordering::Relaxed);
    eprintln!("wrote {total} B of rows; the log peaked at {largest} B, settled at {settled} B");
    assert!(
        largest < 8 * WAL_LIMIT,
        "the log grew to {largest} B for {total} B written; its bound is {WAL_LIMIT} B"
    );
    assert!(
        settled <= WAL_LIMIT,
        "the log stayed at {settled} B after the writes"
    );
}
