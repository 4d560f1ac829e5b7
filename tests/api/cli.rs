//! The `chelink-server` binary as an operator runs it, on an empty SQLite database: `dealer
//! add` prints a one-time link that signs the first admin in on a server started (with no
//! subcommand) on that database; `dealer list` and `staff reset-password` answer; a taken
//! slug or login, or a bad value, exits non-zero with nothing created; an unknown argument
//! is a usage error.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use shared::console::{Role, StaffMe};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::write_dist;

/// A fresh SQLite file in a temp folder of its own (removed when dropped).
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("chelink-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Self { dir }
    }

    fn database_url(&self) -> String {
        format!(
            "sqlite://{}?mode=rwc",
            self.dir.join("chelink.db").display()
        )
    }

    /// Runs the binary with `args` on this database.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(chelink_tests::server_binary())
            .args(args)
            .env("DATABASE_URL", self.database_url())
            .env_remove("CHELINK_PUBLIC_ORIGIN")
            .env_remove("CHELINK_DEMO")
            .env_remove("RUST_LOG")
            .output()
            .expect("run chelink-server")
    }

    async fn count(&self, sql: &str) -> i64 {
        let db = server::db::connect(&self.database_url())
            .await
            .expect("connect");
        let n = sqlx::query_scalar(sql)
            .fetch_one(&db.pool)
            .await
            .expect(sql);
        db.pool.close().await;
        n
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `/console/welcome/{token}` path in a command's output.
fn link_path(stdout: &str) -> String {
    let start = stdout
        .find("/console/welcome/")
        .expect("a link in the output");
    stdout[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches(['）', ')', '.'])
        .to_string()
}

/// The status a GET answers.
async fn status(client: &reqwest::Client, url: &str) -> StatusCode {
    client.get(url).send().await.expect("request").status()
}

const ADD: [&str; 12] = [
    "dealer",
    "add",
    "--slug",
    "hz-auto",
    "--name",
    "杭州测试汽车",
    "--province",
    "浙江省",
    "--admin-login",
    "hz-admin",
    "--admin-name",
    "周测试",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dealer_add_on_an_empty_database_prints_a_link_that_signs_the_admin_in() {
    let scratch = Scratch::new("add");
    let added = scratch.run(&ADD);
    let stdout = text(&added.stdout);
    assert!(added.status.success(), "{stdout}\n{}", text(&added.stderr));
    assert!(
        stdout.contains("杭州测试汽车") && stdout.contains("浙江"),
        "{stdout}"
    );
    assert!(
        stdout.contains("http://127.0.0.1:3000/console/welcome/"),
        "{stdout}"
    );
    assert!(
        stdout.contains("CHELINK_PUBLIC_ORIGIN"),
        "says how the link is formed: {stdout}"
    );
    let path = link_path(&stdout);

    let listed = scratch.run(&["dealer", "list"]);
    assert!(listed.status.success());
    assert!(
        text(&listed.stdout).contains("hz-auto\t杭州测试汽车\t浙江\t1"),
        "{}",
        text(&listed.stdout)
    );
    // the platform catalogue to pick from; nothing on sale and no stores yet
    assert!(scratch.count("SELECT COUNT(*) FROM series").await > 0);
    assert_eq!(scratch.count("SELECT COUNT(*) FROM dealer_series").await, 0);
    assert_eq!(scratch.count("SELECT COUNT(*) FROM stores").await, 0);

    // serve that database with no subcommand, as the README does
    let dist = scratch.dir.join("dist");
    write_dist(&dist);
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut serving = tokio::process::Command::new(chelink_tests::server_binary())
        .env("DATABASE_URL", scratch.database_url())
        .env("PORT", port.to_string())
        .env("CHELINK_DIST", &dist)
        .env("CHELINK_REMINDER_SECONDS", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(serving.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("the server starts")
        .unwrap()
        .unwrap_or_default();
    assert!(line.contains("is serving on"), "{line}");
    let base = format!("http://127.0.0.1:{port}");
    let admin = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    assert_eq!(
        status(&admin, &format!("{base}{path}")).await,
        StatusCode::OK
    );
    let token = path.trim_start_matches("/console/welcome/");
    let set = admin
        .post(format!("{base}/api/v1/console/sign-in-links/{token}"))
        .json(&json!({"password": "hz-admin-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::OK);
    let me: StaffMe = set.json().await.unwrap();
    assert_eq!(
        (me.dealer_slug.as_str(), me.staff.role),
        ("hz-auto", Role::Admin)
    );
    assert_eq!(
        status(&admin, &format!("{base}{path}")).await,
        StatusCode::GONE
    );

    // the operator resets the admin: the session ends, a new link is printed
    let reset = scratch.run(&[
        "staff",
        "reset-password",
        "--dealer",
        "hz-auto",
        "--login",
        "hz-admin",
    ]);
    assert!(reset.status.success(), "{}", text(&reset.stderr));
    let again = link_path(&text(&reset.stdout));
    assert_ne!(again, path);
    assert_eq!(
        status(&admin, &format!("{base}/api/v1/console/me")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(&admin, &format!("{base}{again}")).await,
        StatusCode::OK
    );
    let unknown = scratch.run(&[
        "staff",
        "reset-password",
        "--dealer",
        "hz-auto",
        "--login",
        "nobody",
    ]);
    assert!(!unknown.status.success());
    serving.kill().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_slug_or_a_bad_value_exits_non_zero_and_creates_nothing() {
    let scratch = Scratch::new("refused");
    assert!(scratch.run(&ADD).status.success());
    let counts = || async {
        (
            scratch.count("SELECT COUNT(*) FROM dealers").await,
            scratch.count("SELECT COUNT(*) FROM staff").await,
            scratch.count("SELECT COUNT(*) FROM sign_in_links").await,
        )
    };
    let before = counts().await;
    let mut taken_slug = ADD;
    taken_slug[9] = "another-admin";
    let mut taken_login = ADD;
    taken_login[3] = "nb-auto";
    let mut bad_province = ADD;
    bad_province[3] = "nb-auto";
    bad_province[7] = "杭州";
    let mut bad_slug = ADD;
    bad_slug[3] = "API";
    let mut bad_login = ADD;
    bad_login[3] = "nb-auto";
    bad_login[9] = "X Y";
    for (args, chinese, english) in [
        (taken_slug, "已被", "slug is taken"),
        (taken_login, "已被使用", "login is taken"),
        (bad_province, "省份", "province"),
        (bad_slug, "链接名", "slug must be"),
        (bad_login, "登录账号", "login must be"),
    ] {
        let out = scratch.run(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(chinese) && stderr.contains(english),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty() || !text(&out.stdout).contains("/console/welcome/"));
        assert_eq!(counts().await, before, "{args:?} created nothing");
    }
}

#[test]
fn an_unknown_argument_is_a_usage_error() {
    let scratch = Scratch::new("usage");
    for args in [
        vec!["--nope"],
        vec!["frobnicate"],
        vec!["dealer", "add", "--slug", "x-y", "--bogus", "1"],
        vec!["dealer", "add", "--slug", "x-y"],
        vec!["staff", "reset-password", "--dealer", "demo"],
    ] {
        let out = scratch.run(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("Usage"), "{args:?}: {stderr}");
    }
    assert!(
        !scratch.dir.join("chelink.db").exists(),
        "nothing was opened"
    );
}
