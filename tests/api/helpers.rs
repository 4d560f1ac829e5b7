//! The harness: `TestApp::spawn_in(backend, dir)` serves `server::http::app` on
//! 127.0.0.1:0 with a fresh, migrated, seeded database (a temp SQLite file, or a uniquely
//! named PostgreSQL database created from `TEST_DATABASE_URL` and dropped afterwards) and a
//! temp `dist` folder; `both!` turns one test body into `<name>::sqlite` and
//! `<name>::postgres`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use server::db::{self, Backend, Db};
use server::http::connections::{serve_until, ConnectionLimits};
use server::http::{app, AppState};
use server::media_store::MediaStore;
use server::seed;
use shared::ErrorBody;
use sqlx::Connection;

use crate::fake_sms::FakeSms;
use crate::fake_wechat::FakeWeChat;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The shell the temp `dist` folder holds, as `cargo xtask` would build it.
pub const SHELL: &str = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<!--meta--><link rel=\"stylesheet\" href=\"/assets/t1/app.css\"></head>\
<body><div id=\"skeleton\"></div><script type=\"module\" src=\"/assets/t1/consumer.js\"></script></body></html>";
/// The staff console's shell.
pub const CONSOLE_SHELL: &str = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<title>车链 · 员工工作台</title><link rel=\"stylesheet\" href=\"/assets/t1/console.css\"></head>\
<body><!--skeleton--><div id=\"app\"></div><script type=\"module\" src=\"/assets/t1/console/console.js\"></script></body></html>";
/// The asset body and its (pretend) brotli variant.
pub const JS: &str = "console.log('consumer');";
pub const JS_BR: &[u8] = b"BROTLI-BYTES";

/// Writes one test body as two tests: `$name::sqlite` and `$name::postgres`.
macro_rules! both {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        $(#[$meta])*
        async fn $name($app: $crate::helpers::TestApp) $body

        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::helpers::run(server::db::Backend::Sqlite, super::$name).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::helpers::run(server::db::Backend::Postgres, super::$name).await;
            }
        }
    };
}

/// Spawns an app on `backend`, runs `body`, cleans up even when the body panics, and then
/// re-raises the panic.
pub async fn run<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    run_in(backend, &std::env::temp_dir(), body).await;
}

/// [`run`] with a SQLite database file in `dir` (a small filesystem the test fills).
pub async fn run_in<F, Fut>(backend: Backend, dir: &Path, body: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(app) = TestApp::spawn_in(backend, dir).await else {
        return;
    };
    let cleanup = app.cleanup.clone();
    let db = app.db.clone();
    let result = tokio::spawn(body(app)).await;
    db.pool.close().await;
    cleanup.run().await;
    if let Err(e) = result {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task failed: {e}");
    }
}

/// What to remove after a test.
#[derive(Clone, Debug)]
pub struct Cleanup {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
    /// (admin URL, database name) of a PostgreSQL test database.
    database: Option<(String, String)>,
}

impl Cleanup {
    async fn run(&self) {
        for file in &self.files {
            let _ = std::fs::remove_file(file);
        }
        for dir in &self.dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((admin, name)) = &self.database {
            match sqlx::PgConnection::connect(admin).await {
                Ok(mut conn) => {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    if let Err(e) = sqlx::query(&drop).execute(&mut conn).await {
                        eprintln!("warning: could not drop test database {name}: {e}");
                    }
                    let _ = conn.close().await;
                }
                Err(e) => eprintln!("warning: could not drop test database {name}: {e}"),
            }
        }
    }
}

/// A running server on a fresh database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub dist: PathBuf,
    pub backend: Backend,
    /// The first instance's share-link visits on their way to the database.
    pub clicks: server::clicks::Clicks,
    /// The fake WeChat API the server calls (`AppState::with_wechat`).
    pub wechat: FakeWeChat,
    /// The fake SMS API (Aliyun's) the server sends one-time codes through (`AppState::with_sms`).
    pub sms: FakeSms,
    /// Where the instances keep photos: a fresh local directory per test.
    pub media: MediaStore,
    cleanup: Cleanup,
}

/// Writes per visitor and minute the test servers allow: the concurrency tests send hundreds
/// from one address; the rate-limit test starts an instance of its own with a low limit.
pub const WRITES_PER_MINUTE: u32 = 100_000;

/// Starts a server for `state` on a free loopback port and returns its `http://` address.
async fn serve(state: AppState) -> String {
    serve_within(state, ConnectionLimits::default()).await
}

/// [`serve`] holding connections to `limits`, as the server binary does.
async fn serve_within(state: AppState, limits: ConnectionLimits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(serve_until(
        listener,
        app(state),
        limits,
        std::future::pending(),
    ));
    address
}

impl TestApp {
    /// A dealer's id, by its slug.
    pub async fn dealer_id(&self, slug: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM dealers WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    /// A second server instance on the same database, serving the app built in `dist`; its
    /// `http://` address. Several instances on one PostgreSQL database are how Chelink scales.
    pub async fn another_instance(&self, dist: &Path) -> String {
        self.instance(dist, WRITES_PER_MINUTE).await
    }

    /// Another instance holding connections to `limits`; its `http://` address.
    pub async fn instance_within(&self, limits: ConnectionLimits) -> String {
        let state = AppState::new(self.db.clone(), &self.dist)
            .await
            .expect("state")
            .with_write_limit(WRITES_PER_MINUTE)
            .with_media(self.media.clone());
        serve_within(state, limits).await
    }

    /// Another instance allowing `writes` bookings and enquiries per visitor and minute.
    pub async fn instance(&self, dist: &Path, writes: u32) -> String {
        self.instance_with(dist, |state| state.with_write_limit(writes))
            .await
    }

    /// Another instance on the same database, its state changed by `configure` first
    /// (`secure_cookies`, no SMS provider, other limits).
    pub async fn instance_with(
        &self,
        dist: &Path,
        configure: impl FnOnce(AppState) -> AppState,
    ) -> String {
        let state = AppState::new(self.db.clone(), dist)
            .await
            .expect("state")
            .with_write_limit(WRITES_PER_MINUTE)
            .with_wechat(&self.wechat.url, &self.wechat.url, &self.wechat.script())
            .with_sms(Some(self.sms.config()))
            .with_media(self.media.clone());
        serve(configure(state)).await
    }

    /// A server on a fresh migrated and seeded database (on SQLite a file in `dir`), or `None`
    /// for PostgreSQL when `TEST_DATABASE_URL` is unset outside CI (it says so loudly; under
    /// `CI=true` it panics).
    pub async fn spawn_in(backend: Backend, dir: &Path) -> Option<Self> {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let pid = std::process::id();
        let tmp = std::env::temp_dir();
        let dist = tmp.join(format!("chelink-dist-{pid}-{n}"));
        let media_dir = tmp.join(format!("chelink-media-{pid}-{n}"));
        let mut cleanup = Cleanup {
            files: Vec::new(),
            dirs: vec![dist.clone(), media_dir.clone()],
            database: None,
        };
        let url = match backend {
            Backend::Sqlite => {
                let file = dir.join(format!("chelink-test-{pid}-{n}.db"));
                for suffix in ["", "-wal", "-shm"] {
                    cleanup
                        .files
                        .push(PathBuf::from(format!("{}{suffix}", file.display())));
                }
                format!("sqlite://{}?mode=rwc", file.display())
            }
            Backend::Postgres => {
                let admin = postgres_url()?;
                let name = format!("chelink_t_{pid}_{n}");
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("cannot connect to TEST_DATABASE_URL: {e}"));
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create the test database");
                let _ = conn.close().await;
                let url = database_url(&admin, &name);
                cleanup.database = Some((admin, name));
                url
            }
        };
        write_dist(&dist);
        let db = db::connect(&url).await.expect("connect");
        db::migrate(&db).await.expect("migrate");
        seed::load_demo(&db).await.expect("seed");
        let wechat = FakeWeChat::start().await;
        let sms = FakeSms::start().await;
        let media = MediaStore::local(&media_dir).expect("media directory");
        let state = AppState::new(db.clone(), &dist)
            .await
            .expect("state")
            .with_write_limit(WRITES_PER_MINUTE)
            .with_wechat(&wechat.url, &wechat.url, &wechat.script())
            .with_sms(Some(sms.config()))
            .with_media(media.clone());
        let clicks = state.clicks.clone();
        let address = serve(state).await;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Some(Self {
            address,
            client,
            db,
            dist,
            backend,
            clicks,
            wechat,
            sms,
            media,
            cleanup,
        })
    }

    /// A client that keeps its cookies, as one phone's browser does.
    pub fn phone(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &impl Serialize) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// GET and decode a successful body.
    pub async fn get_ok<T: DeserializeOwned>(&self, path: &str) -> T {
        ok(self.get(path).await).await
    }

    /// GET and decode an error body with the expected status.
    pub async fn get_err(&self, path: &str, status: StatusCode) -> ErrorBody {
        err(self.get(path).await, status).await
    }

    /// Rows in every table, to show that a request wrote nothing.
    /// Every table's row count, the tables read from the schema itself, so a new table is
    /// counted without anyone listing it.
    pub async fn row_counts(&self) -> Vec<(String, i64)> {
        let mut counts = Vec::new();
        for table in self.tables().await {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&self.db.pool)
                .await
                .expect("count");
            counts.push((table, n));
        }
        counts
    }

    /// The application's tables (not the migration bookkeeping), by name.
    pub async fn tables(&self) -> Vec<String> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite%' AND name <> '_sqlx_migrations' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' \
                 ORDER BY table_name"
            }
        };
        sqlx::query_scalar(sql)
            .fetch_all(&self.db.pool)
            .await
            .expect("tables")
    }
}

/// Decodes a 200 response into `T`, showing the body when it is not one.
pub async fn ok<T: DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let url = response.url().clone();
    let text = response.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "{url}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}: {text}"))
}

/// Decodes an error response, checking its status, JSON content type and Chinese message.
pub async fn err(response: reqwest::Response, status: StatusCode) -> ErrorBody {
    let got = response.status();
    let url = response.url().clone();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = response.text().await.expect("body");
    assert_eq!(got, status, "{url}: {text}");
    assert!(
        content_type.starts_with("application/json"),
        "{url}: {content_type}"
    );
    let body: ErrorBody =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}: {text}"));
    assert!(
        body.error
            .message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "the message is in Chinese: {}",
        body.error.message
    );
    body
}

fn postgres_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(
                !ci,
                "TEST_DATABASE_URL is not set but CI=true: the PostgreSQL API tests must run in CI \
                 (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)"
            );
            // Straight to stderr: the test harness captures `eprintln!` of passing tests.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\n!!!!!!!! WARNING: TEST_DATABASE_URL is not set: this PostgreSQL test was \
                 SKIPPED (it passes without running). Set TEST_DATABASE_URL=postgres://... \
                 to run it. !!!!!!!!\n"
            );
            None
        }
    }
}

/// The URL of database `name` on the server of `admin`.
fn database_url(admin: &str, name: &str) -> String {
    let (base, query) = match admin.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let server = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// Writes a built app's stand-in into `dist`: the shells and one asset.
pub fn write_dist(dist: &Path) {
    let assets = dist.join("assets").join("t1");
    std::fs::create_dir_all(&assets).expect("dist");
    std::fs::write(dist.join("index.html"), SHELL).expect("shell");
    std::fs::write(dist.join("console.html"), CONSOLE_SHELL).expect("console shell");
    std::fs::write(assets.join("consumer.js"), JS).expect("js");
    std::fs::write(assets.join("consumer.js.br"), JS_BR).expect("br");
}

#[test]
fn test_database_urls_keep_the_server_and_options() {
    assert_eq!(
        database_url("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        database_url("postgres://u:p@h/test?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(database_url("postgres://h", "x"), "postgres://h/x");
}
