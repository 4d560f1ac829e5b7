//! `cargo xtask test`'s contract check: Schemathesis (pinned, from PyPI into `.tools/venv`)
//! generates requests from `/api/v1/openapi.json` of a real server (the debug
//! `chelink-server` on a fresh SQLite database with the demo data, on a free loopback port)
//! and fails the tests on any 5xx or any answer the document does not describe: once without
//! a session, once with a manager's session cookie.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::loopback::{get, sign_in, MANAGER};
use crate::{run, tools};

/// The Schemathesis release the contract is checked with.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";
/// The checks that mean "no 5xx and no answer the document does not describe": no server
/// error; a status, content type and body the operation documents; and a request that breaks
/// the document's rules (a type, a bound, a pattern, a missing field) refused with a 4xx.
pub const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
response_schema_conformance,negative_data_rejection";
/// Test cases per operation and phase: enough to find a missing answer, a few minutes in all.
const MAX_EXAMPLES: &str = "25";
/// A fixed seed: a failure found once is found again on the next run.
const SEED: &str = "2026";

/// Runs Schemathesis against a fresh server, without and with a manager's session.
pub fn check_contract(root: &Path) -> Result<()> {
    let schemathesis = ensure_schemathesis(root)?;
    run(Command::new("cargo").args(["build", "--package", "chelink-server"]))?;
    let dir = root.join("target/schemathesis");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("dist"))?;
    let server = Server::start(root, &dir)?;
    let schema = format!("http://127.0.0.1:{}/api/v1/openapi.json", server.port);
    // Signed in first: the anonymous run's sign-in attempts must not lock the manager out.
    let cookie = sign_in(server.port, MANAGER)?;
    let common = |report: &str| {
        let mut command = Command::new(&schemathesis);
        command
            .args(["run", &schema, "--checks", CHECKS])
            .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
            .args(["--phases", "examples,coverage,fuzzing", "--workers", "2"])
            .args(["--suppress-health-check", "all", "--no-color"])
            .args(["--report", "junit", "--report-junit-path"])
            .arg(dir.join(format!("{report}.xml")))
            .current_dir(&dir);
        command
    };
    eprintln!("Schemathesis without a session:");
    run(&mut common("anonymous"))?;
    eprintln!("Schemathesis with a manager's session:");
    run(common("manager")
        .args(["--header", &format!("Cookie: {cookie}")])
        // Signing out would end the session the run works in.
        .args(["--exclude-path", "/api/v1/console/session"]))?;
    server.stop();
    Ok(())
}

/// `.tools/venv/bin/schemathesis` at the pinned version, installed when missing.
fn ensure_schemathesis(root: &Path) -> Result<PathBuf> {
    let venv = tools::tools_dir(root).join("venv");
    let binary = venv.join("bin/schemathesis");
    let version = SCHEMATHESIS.rsplit("==").next().unwrap_or_default();
    let current = Command::new(&binary).arg("--version").output().ok();
    if current.is_some_and(|out| String::from_utf8_lossy(&out.stdout).contains(version)) {
        return Ok(binary);
    }
    if !venv.join("bin/pip").exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(Command::new(venv.join("bin/pip")).args(["install", "--quiet", SCHEMATHESIS]))?;
    Ok(binary)
}

/// The debug server on a fresh SQLite file with the demo data, stopped when dropped.
struct Server {
    process: Child,
    port: u16,
}

impl Server {
    fn start(root: &Path, dir: &Path) -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let database = format!("sqlite://{}?mode=rwc", dir.join("chelink.db").display());
        let process = Command::new(root.join("target/debug/chelink-server"))
            .env("PORT", port.to_string())
            .env("DATABASE_URL", database)
            .env("CHELINK_DIST", dir.join("dist"))
            .env("CHELINK_DEMO", "1")
            // Thousands of generated writes from one address are the point here, not abuse.
            .env("CHELINK_WRITES_PER_MINUTE", "100000000")
            .env("CHELINK_REMINDER_SECONDS", "0")
            // WeChat is never reached: a closed local port, so its answers are the outage's.
            .env("CHELINK_WECHAT_API", "http://127.0.0.1:9")
            .env("CHELINK_WECHAT_OAUTH", "http://127.0.0.1:9")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .context("starting chelink-server")?;
        let mut server = Self { process, port };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Some(status) = server.process.try_wait()? {
                bail!("the server exited with {status} before answering");
            }
            if get(port, "/api/v1/dealers/demo", "identity").is_ok_and(|r| r.status == 200) {
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        server.stop();
        bail!("the server did not answer within 60 s")
    }

    fn stop(mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
