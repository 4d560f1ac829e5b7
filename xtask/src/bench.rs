//! `cargo xtask bench`: serves the release build and measures what the issues' bars name:
//! first-load bytes of the consumer app and the staff console (raw, gzip, brotli), Lighthouse
//! mobile scores, requests per second with p99 latency under a bounded local load, and
//! booking writes per second on SQLite and PostgreSQL (wrk, 10 s each), checking afterwards
//! that no slot was overbooked. `cargo xtask bench writes` runs only the booking writes;
//! `cargo xtask bench reads` only the catalogue reads and the shell against nginx serving the
//! same bytes. `cargo xtask bench scheduler` times the reminder scheduler's pass over
//! 100,000 cars on SQLite. `cargo xtask bench signin` times catalogue reads alone and while
//! bursts of 24 staff sign-ins hash their passwords. This file is the harness (the server,
//! the databases, wrk, nginx and the report); each benchmark is a file of `bench/`.

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use shared::booking::{SlotList, TestDriveOffer};

use crate::loopback::{get, post_json, request, sign_in, MANAGER};
use crate::{build, run, tools};

mod pages;
mod photos;
mod reads;
mod redirects;
mod scheduler;
mod sign_in;
mod writes;

use pages::{first_load, lighthouse};
use photos::upload_covers;
use reads::reads;
use redirects::redirects;
use scheduler::scheduler;
use sign_in::reads_during_sign_ins;
use writes::{book_test_drives, booking_writes_report};

/// What `cargo xtask bench` measures.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Everything: first loads, Lighthouse, read throughput, booking writes.
    All,
    /// Only the catalogue reads and the shell against nginx: the app's debug build for the
    /// shell (its bytes are the release shell's but for the asset names).
    Reads,
    /// Only the booking writes: no wasm build, the server's API alone.
    Writes,
    /// Only the share-link redirects against nginx: no wasm build.
    Redirects,
    /// Only the reminder scheduler's pass over 100,000 cars on SQLite: no server, no wasm.
    Scheduler,
    /// Only the consumer's first load and Lighthouse (the release app is built): the loop
    /// for work on how pages paint.
    Pages,
    /// Only catalogue reads timed alone and during bursts of 24 parallel staff sign-ins
    /// (argon2 hashes), on the debug server: no wasm or release build.
    SignIn,
}

/// The WeChat in-app browser on an iPhone, as our buyers arrive.
const WECHAT_UA: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
     (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/4G Language/zh_CN";

/// The PostgreSQL database the bench creates beside `TEST_DATABASE_URL`'s and drops after.
const POSTGRES_BENCH_DATABASE: &str = "chelink_bench";

/// The release server on a loopback port, stopped when dropped.
struct Server {
    process: Child,
    port: u16,
}

impl Server {
    /// Starts the server on `database_url` with the demo data, its write limit lifted so that
    /// the booking load measures the database rather than 429s, and waits until it answers.
    fn start(root: &Path, dist: &Path, database_url: &str) -> Result<Self> {
        Self::start_built(
            &root.join("target/release/chelink-server"),
            dist,
            database_url,
        )
    }

    /// The same, with the server binary at `binary`.
    fn start_built(binary: &Path, dist: &Path, database_url: &str) -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let process = Command::new(binary)
            .env("PORT", port.to_string())
            .env("DATABASE_URL", database_url)
            .env("CHELINK_DIST", dist)
            .env("CHELINK_DEMO", "1")
            .env("CHELINK_WRITES_PER_MINUTE", "100000000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .context("starting the server")?;
        let mut server = Self { process, port };
        server.wait_until_up()?;
        Ok(server)
    }

    fn wait_until_up(&mut self) -> Result<()> {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Some(status) = self.process.try_wait()? {
                bail!("the server exited with {status} before answering");
            }
            if get(self.port, "/api/v1/dealers/demo", "identity").is_ok_and(|r| r.status == 200) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        bail!("the server did not answer within 60 s")
    }
}

impl Server {
    /// Stops the server as an operator would (SIGTERM) and waits for it to finish writing.
    fn stop(mut self) -> Result<()> {
        run(Command::new("kill")
            .arg("-TERM")
            .arg(self.process.id().to_string()))?;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if let Some(status) = self.process.try_wait()? {
                ensure!(status.success(), "the server stopped with {status}");
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bail!("the server did not stop within 30 s of SIGTERM")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Runs `part`; `only` keeps the Lighthouse pages whose name or path contains one of its
/// words (every page when empty).
pub fn bench(root: &Path, part: Part, only: &[String]) -> Result<()> {
    if part == Part::Scheduler {
        let mut report = String::from("# Chelink benchmark\n\n");
        scheduler(root, &mut report)?;
        return write_report(root, "report-scheduler.md", &report);
    }
    let postgres = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty());
    tools::ensure_wrk()?;
    tools::ensure_sqlite3()?;
    if matches!(part, Part::All | Part::Reads | Part::Redirects) {
        tools::ensure_nginx()?;
    }
    if postgres.is_some() {
        tools::ensure_psql()?;
    }
    let dist = match part {
        Part::All | Part::Pages => {
            tools::ensure_app_toolchain(root)?;
            tools::ensure_chromium()?;
            tools::ensure_lighthouse(root)?;
            build::build(root, build::Mode::Release)?
        }
        Part::Reads => {
            tools::ensure_app_toolchain(root)?;
            build::build(root, build::Mode::Dev)?
        }
        // The API needs no built app; the server only warns that pages are missing.
        Part::Writes | Part::Redirects | Part::Scheduler | Part::SignIn => root.join("dist"),
    };
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out)?;
    let sqlite = BenchDatabase::fresh_sqlite(out.join("bench.db"))?;
    if part == Part::SignIn {
        // The debug server: argon2 is built with opt-level 3 in dev too, so a sign-in costs
        // what it costs in release, and the bench needs no release build (minutes with LTO).
        run(Command::new("cargo").args(["build", "--package", "chelink-server"]))?;
        let server = Server::start_built(
            &root.join("target/debug/chelink-server"),
            &dist,
            &sqlite.url(),
        )?;
        let mut report = String::from("# Chelink benchmark\n\n");
        reads_during_sign_ins(server.port, &mut report)?;
        drop(server);
        return write_report(root, "report-signin.md", &report);
    }
    run(Command::new("cargo").args(["build", "--release", "--package", "chelink-server"]))?;
    let server = Server::start(root, &dist, &sqlite.url())?;

    let mut report = String::from("# Chelink benchmark\n\n");
    if matches!(part, Part::All | Part::Pages) {
        first_load(
            server.port,
            "/demo/",
            "the home page needs no lazy chunk",
            Some((150, 130)),
            &mut report,
        )?;
        first_load(
            server.port,
            "/console/",
            "the staff console's sign-in; each tab is a chunk loaded when opened",
            Some((200, 200)),
            &mut report,
        )?;
        // Every series on sale gets a cover, so the pages are measured with their photos.
        upload_covers(server.port, &mut report)?;
        lighthouse(root, server.port, &out, only, &mut report)?;
    }
    if matches!(part, Part::All | Part::Reads) {
        reads(server.port, &out, &mut report)?;
    }
    if part == Part::All {
        reads_during_sign_ins(server.port, &mut report)?;
    }
    if matches!(part, Part::All | Part::Redirects) {
        // Stops the server cleanly, to count the clicks it wrote.
        redirects(server, &sqlite, &out, &mut report)?;
    } else {
        drop(server);
    }
    if matches!(part, Part::All | Part::Writes) {
        // Writes come last: they fill the database the read figures were taken on.
        let server = Server::start(root, &dist, &sqlite.url())?;
        let mut runs = vec![book_test_drives(&server, &sqlite, &out)?];
        drop(server);
        if let Some(admin_url) = &postgres {
            let scratch = ScratchPostgres::create(admin_url)?;
            // Declared after the database, so it stops before the database is dropped.
            let server = Server::start(root, &dist, &scratch.database.url())?;
            runs.push(book_test_drives(&server, &scratch.database, &out)?);
        }
        booking_writes_report(&runs, postgres.is_some(), &mut report);
    }

    if part == Part::All {
        scheduler(root, &mut report)?;
    }

    let file = match part {
        Part::All => "report.md",
        Part::Reads => "report-reads.md",
        Part::Writes => "report-writes.md",
        Part::Redirects => "report-redirects.md",
        Part::Pages => "report-pages.md",
        Part::Scheduler => "report-scheduler.md",
        Part::SignIn => "report-signin.md",
    };
    write_report(root, file, &report)
}

fn write_report(root: &Path, file: &str, report: &str) -> Result<()> {
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join(file), report)?;
    println!("{report}");
    println!("(written to target/bench/{file})");
    Ok(())
}

/// A database the bench owns, read and adjusted through the database's own client, so the
/// checks do not go through the server they check.
enum BenchDatabase {
    /// The SQLite file.
    Sqlite(PathBuf),
    /// A `postgres://` URL.
    Postgres(String),
}

impl BenchDatabase {
    /// A new SQLite file at `path`, any earlier one (and its journal) removed.
    fn fresh_sqlite(path: PathBuf) -> Result<Self> {
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            match std::fs::remove_file(&file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| format!("removing {}", file.display()))
                }
                _ => {}
            }
        }
        Ok(Self::Sqlite(path))
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "SQLite",
            Self::Postgres(_) => "PostgreSQL",
        }
    }

    /// The server's `DATABASE_URL`.
    fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}?mode=rwc", path.display()),
            Self::Postgres(url) => url.clone(),
        }
    }

    /// Runs one SQL statement with `sqlite3` or `psql` and returns what it prints, trimmed.
    fn sql(&self, statement: &str) -> Result<String> {
        let mut command = match self {
            Self::Sqlite(path) => {
                let mut command = Command::new("sqlite3");
                // The server holds the file open: wait for its write lock rather than fail.
                command.args(["-bail", "-cmd", ".timeout 10000"]).arg(path);
                command
            }
            Self::Postgres(url) => {
                let mut command = Command::new("psql");
                command.args([
                    "-X",
                    "-q",
                    "-t",
                    "-A",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    url,
                    "-c",
                ]);
                command
            }
        };
        let output = command
            .arg(statement)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("starting the {} client", self.name()))?;
        if !output.status.success() {
            bail!(
                "{} refused `{statement}`: {}",
                self.name(),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    }

    /// A statement that prints one number.
    fn count(&self, statement: &str) -> Result<u64> {
        let text = self.sql(statement)?;
        text.parse()
            .with_context(|| format!("{} printed {text:?} for `{statement}`", self.name()))
    }
}

/// `chelink_bench` on `TEST_DATABASE_URL`'s server: created empty, dropped when this drops.
struct ScratchPostgres {
    admin: BenchDatabase,
    database: BenchDatabase,
}

impl ScratchPostgres {
    fn create(admin_url: &str) -> Result<Self> {
        let admin = BenchDatabase::Postgres(admin_url.to_string());
        let drop_statement =
            format!("DROP DATABASE IF EXISTS {POSTGRES_BENCH_DATABASE} WITH (FORCE)");
        admin.sql(&drop_statement)?;
        admin.sql(&format!("CREATE DATABASE {POSTGRES_BENCH_DATABASE}"))?;
        let url = with_database_name(admin_url, POSTGRES_BENCH_DATABASE)?;
        Ok(Self {
            admin,
            database: BenchDatabase::Postgres(url),
        })
    }
}

impl Drop for ScratchPostgres {
    fn drop(&mut self) {
        let statement = format!("DROP DATABASE IF EXISTS {POSTGRES_BENCH_DATABASE} WITH (FORCE)");
        if let Err(e) = self.admin.sql(&statement) {
            eprintln!("could not drop {POSTGRES_BENCH_DATABASE}: {e:#}");
        }
    }
}

/// `url` with its database (the path) replaced by `name`; user, host and options kept.
fn with_database_name(url: &str, name: &str) -> Result<String> {
    let (scheme, rest) = url
        .split_once("://")
        .with_context(|| format!("{url:?} is not a postgres:// URL"))?;
    let (location, options) = match rest.split_once('?') {
        Some((location, options)) => (location, Some(options)),
        None => (rest, None),
    };
    let authority = location.split('/').next().unwrap_or(location);
    let mut named = format!("{scheme}://{authority}/{name}");
    if let Some(options) = options {
        let _ = write!(named, "?{options}");
    }
    Ok(named)
}

/// The machine's load averages (`uptime`), to read the figures by: other work on the machine
/// takes cores from both servers alike, but not from wrk's share alike.
fn uptime() -> String {
    Command::new("uptime")
        .output()
        .ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            text.split_once("load average:")
                .map(|(_, load)| format!("load average {}", load.trim()))
        })
        .unwrap_or_else(|| "unknown".into())
}

/// wrk's figures for one redirect target.
struct Wrk {
    requests: u64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

impl Wrk {
    /// A report row's cells: requests per second, p50 and p99.
    fn cells(&self) -> String {
        format!(
            "{:.0} | {:.2} ms | {:.2} ms",
            self.per_second, self.p50_ms, self.p99_ms
        )
    }
}

/// `wrk -t2 -c{connections} -d10s --latency` on `url` with these request headers; every
/// answer must be a 2xx or 3xx, and wrk's output is kept in `out/{stem}.txt`.
fn wrk(url: &str, connections: u32, headers: &[String], out: &Path, stem: &str) -> Result<Wrk> {
    let mut command = Command::new("wrk");
    command.args(["-t2", &format!("-c{connections}"), "-d10s", "--latency"]);
    for header in headers {
        command.arg("-H").arg(header);
    }
    let output = command.arg(url).output().context("running wrk")?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    std::fs::write(out.join(format!("{stem}.txt")), &text)?;
    ensure!(
        output.status.success() && !text.contains("Non-2xx") && !text.contains("Socket errors"),
        "wrk on {url} saw errors:\n{text}"
    );
    let field = |prefix: &str| -> Result<String> {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_string()))
            .with_context(|| format!("wrk printed no {prefix:?}:\n{text}"))
    };
    let millis = |value: String| -> Result<f64> {
        let (number, unit) = value
            .find(|c: char| c.is_ascii_alphabetic())
            .map(|i| value.split_at(i))
            .with_context(|| format!("a latency without a unit: {value:?}"))?;
        let number: f64 = number.parse()?;
        Ok(match unit {
            "us" => number / 1000.0,
            "ms" => number,
            "s" => number * 1000.0,
            _ => bail!("a latency in {unit:?}"),
        })
    };
    let requests = text
        .lines()
        .find_map(|l| {
            l.trim()
                .split_once(" requests in ")
                .map(|(n, _)| n.to_string())
        })
        .with_context(|| format!("wrk printed no request count:\n{text}"))?
        .parse()?;
    Ok(Wrk {
        requests,
        per_second: field("Requests/sec:")?.parse()?,
        p50_ms: millis(field("50%")?)?,
        p99_ms: millis(field("99%")?)?,
    })
}

/// nginx on a loopback port, stopped when dropped.
struct Nginx(Child);

impl Nginx {
    /// nginx answering the same 302 from its config.
    fn start(out: &Path, location: &str) -> Result<(Self, u16)> {
        Self::serving(
            out,
            &format!("location / {{ add_header Cache-Control no-store; return 302 {location}; }}"),
            ("/", 302),
        )
    }

    /// nginx with these `server` directives, once `probe` answers its status.
    fn serving(out: &Path, directives: &str, probe: (&str, u16)) -> Result<(Self, u16)> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let prefix = out.join("nginx");
        std::fs::create_dir_all(prefix.join("logs"))?;
        // As many workers as cores, as Debian's default configuration has.
        let conf = format!(
            "worker_processes auto;\npid {pid};\nerror_log {log} warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; client_body_temp_path {tmp}; proxy_temp_path {tmp}; \
             fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp}; scgi_temp_path {tmp};\n\
             server {{ listen 127.0.0.1:{port}; {directives} }} }}\n",
            pid = prefix.join("nginx.pid").display(),
            log = prefix.join("logs/error.log").display(),
            tmp = prefix.display(),
        );
        let file = prefix.join("nginx.conf");
        std::fs::write(&file, conf)?;
        let child = Command::new(tools::NGINX)
            .arg("-p")
            .arg(&prefix)
            .arg("-e")
            .arg(prefix.join("logs/error.log"))
            .arg("-c")
            .arg(&file)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .spawn()
            .context("starting nginx")?;
        let nginx = Self(child);
        let started = Instant::now();
        while get(port, probe.0, "identity").map_or(true, |r| r.status != probe.1) {
            ensure!(
                started.elapsed() < Duration::from_secs(10),
                "nginx did not answer on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok((nginx, port))
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bench_database_replaces_only_the_url_path() {
        for (url, named) in [
            (
                "postgres://postgres@127.0.0.1:5432/test",
                "postgres://postgres@127.0.0.1:5432/chelink_bench",
            ),
            (
                "postgres://u:p@db/test?sslmode=disable",
                "postgres://u:p@db/chelink_bench?sslmode=disable",
            ),
            ("postgres://db", "postgres://db/chelink_bench"),
        ] {
            assert_eq!(with_database_name(url, "chelink_bench").unwrap(), named);
        }
        assert!(with_database_name("not a url", "x").is_err());
    }
}
