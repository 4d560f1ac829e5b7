//! `cargo xtask <command>`: the two README commands (`serve`, `test`) plus `build` and
//! `bench`. Each installs what it needs first, so a fresh machine runs them as they are.

mod bench;
mod build;
mod catalogue;
mod loopback;
mod moto;
mod schemathesis;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

const USAGE: &str = "usage: cargo xtask <command>

  serve          build the app for release, start the server on http://127.0.0.1:3000
                 (PORT to change) with SQLite and the demo data
  test           run every test: unit, API on SQLite and PostgreSQL, the API's contract
                 (Schemathesis against /api/v1/openapi.json), browser end-to-end
  contract       only the API's contract check (Schemathesis)
  build [--dev]  build the app into dist/ (--dev: debug wasm, no wasm-opt)
  catalogue --datasets DIR
                 regenerate server/seed/datasets.json from the public datasets in DIR
                 (e.g. ../shared/datasets: carquote/trims.csv, autocango/car_specs_china.csv)
  bench [reads|writes|redirects|scheduler|signin|pages [WORD...]]
                 measure first-load bytes (consumer app and console), Lighthouse mobile
                 scores, catalogue reads and the shell against nginx, share-link redirects
                 against nginx and booking writes on SQLite (and PostgreSQL when
                 TEST_DATABASE_URL is set); `reads`, `writes` or `redirects`: only that part
                 (`reads` builds the app's debug wasm for its shell; the others build no app);
                 `pages`: only the first loads and Lighthouse (of the pages whose name or
                 path has a WORD); `signin`: catalogue reads alone and during bursts of
                 24 staff sign-ins";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("serve") => serve(&root),
        Some("test") => test(&root),
        Some("contract") => schemathesis::check_contract(&root),
        Some("catalogue") => catalogue::catalogue(&root, &args[1..]),
        Some("build") => {
            let dev = args.iter().any(|a| a == "--dev");
            tools::ensure_app_toolchain(&root)?;
            build::build(
                &root,
                if dev {
                    build::Mode::Dev
                } else {
                    build::Mode::Release
                },
            )
            .map(drop)
        }
        Some("bench") => match args.get(1).map(String::as_str) {
            None => bench::bench(&root, bench::Part::All, &[]),
            Some("reads") => bench::bench(&root, bench::Part::Reads, &[]),
            Some("writes") => bench::bench(&root, bench::Part::Writes, &[]),
            Some("redirects") => bench::bench(&root, bench::Part::Redirects, &[]),
            Some("scheduler") => bench::bench(&root, bench::Part::Scheduler, &[]),
            Some("signin") => bench::bench(&root, bench::Part::SignIn, &[]),
            Some("pages") => bench::bench(&root, bench::Part::Pages, &args[2..]),
            Some(other) => {
                eprintln!("{USAGE}");
                bail!("unknown bench part {other:?}: only `reads`, `writes`, `redirects`, `scheduler`, `signin` or `pages` runs alone")
            }
        },
        _ => {
            eprintln!("{USAGE}");
            bail!("unknown or missing command")
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command to completion, failing with its name when it fails.
pub fn run(command: &mut Command) -> Result<()> {
    let shown = format!("{command:?}");
    eprintln!("$ {shown}");
    let status = command
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

fn serve(root: &Path) -> Result<()> {
    tools::ensure_app_toolchain(root)?;
    let dist = build::build(root, build::Mode::Release)?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
    let database =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://chelink.db?mode=rwc".into());
    run(Command::new("cargo")
        .args(["run", "--release", "--package", "chelink-server"])
        .env("PORT", &port)
        .env("DATABASE_URL", &database)
        .env("CHELINK_DIST", &dist)
        .env("CHELINK_DEMO", "1"))
}

fn test(root: &Path) -> Result<()> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    tools::ensure_app_toolchain(root)?;
    tools::ensure_chromium()?;
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) => eprintln!("PostgreSQL for the API tests: {url}"),
        Err(_) => {
            let banner = "!".repeat(78);
            eprintln!(
                "\n{banner}\n!! TEST_DATABASE_URL is not set: the API tests will NOT run on PostgreSQL.\n\
                 !! Set it, e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test\n{banner}\n"
            );
            if ci {
                bail!("TEST_DATABASE_URL must be set under CI=true: PostgreSQL is never skipped in CI");
            }
        }
    }
    // Unit tests (the app's too, natively) and the API tests on both databases; the photo
    // test's S3 path against moto's S3 server, for as long as they run.
    let moto = moto::Moto::start(root)?;
    run(Command::new("cargo")
        .args(["test", "--workspace"])
        .env("CHELINK_TEST_S3_ENDPOINT", &moto.endpoint))?;
    drop(moto);
    // Every answer the API gives is one its OpenAPI document describes, and none is a 5xx.
    schemathesis::check_contract(root)?;
    // The browser tests drive the real release build.
    let dist = build::build(root, build::Mode::Release)?;
    run(Command::new("cargo")
        .args([
            "test",
            "--package",
            "chelink-tests",
            "--features",
            "e2e",
            "--test",
            "e2e",
        ])
        .env("CHELINK_DIST", &dist)
        .env("CHROMEDRIVER", tools::CHROMEDRIVER))
}
