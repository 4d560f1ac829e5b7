//! Installs the tools the build and tests need when they are missing: the wasm32 target,
//! wasm-bindgen at the Cargo.lock version, wasm-opt from npm's binaryen (never Debian's 108,
//! whose output fails at run time), terser for the JS glue, Debian's Chromium, ChromeDriver and a CJK font, Lighthouse, wrk,
//! and the databases' own clients (sqlite3, psql) the bench reads and adjusts its databases with.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::run;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const BINARYEN: &str = "binaryen@132.0.0";
const LIGHTHOUSE: &str = "lighthouse@12.8.2";
const TERSER: &str = "terser@5.51.2";

/// Where project-local tools live: `.tools/bin` (cargo installs) and `.tools/node` (npm).
pub fn tools_dir(root: &Path) -> PathBuf {
    root.join(".tools")
}

pub fn wasm_bindgen(root: &Path) -> PathBuf {
    tools_dir(root).join("bin/wasm-bindgen")
}

pub fn wasm_opt(root: &Path) -> PathBuf {
    tools_dir(root).join("node/node_modules/.bin/wasm-opt")
}

pub fn terser(root: &Path) -> PathBuf {
    tools_dir(root).join("node/node_modules/.bin/terser")
}

pub fn lighthouse(root: &Path) -> PathBuf {
    tools_dir(root).join("node/node_modules/.bin/lighthouse")
}

/// Everything `build` needs.
pub fn ensure_app_toolchain(root: &Path) -> Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen(root)?;
    ensure_npm_package(root, &wasm_opt(root), BINARYEN)?;
    ensure_npm_package(root, &terser(root), TERSER)
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()?;
    if !String::from_utf8_lossy(&installed.stdout).contains("wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The wasm-bindgen version Cargo.lock pins: the CLI must match the library exactly.
fn locked_wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_string());
            }
        }
    }
    bail!("wasm-bindgen is not in Cargo.lock")
}

fn ensure_wasm_bindgen(root: &Path) -> Result<()> {
    let version = locked_wasm_bindgen_version(root)?;
    let binary = wasm_bindgen(root);
    let current = Command::new(&binary).arg("--version").output().ok();
    if current.is_some_and(|out| String::from_utf8_lossy(&out.stdout).contains(&version)) {
        return Ok(());
    }
    // No --locked: the registry lacks one of the CLI's pinned dependencies.
    run(Command::new("cargo")
        .args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--root",
        ])
        .arg(tools_dir(root)))
}

fn ensure_npm_package(root: &Path, binary: &Path, package: &str) -> Result<()> {
    if binary.exists() {
        return Ok(());
    }
    let prefix = tools_dir(root).join("node");
    std::fs::create_dir_all(&prefix)?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(package))
}

pub fn ensure_lighthouse(root: &Path) -> Result<()> {
    ensure_npm_package(root, &lighthouse(root), LIGHTHOUSE)
}

/// Debian's packages, installed once as root.
fn ensure_debian(binary: &str, packages: &[&str]) -> Result<()> {
    if Path::new(binary).exists() {
        return Ok(());
    }
    eprintln!(
        "{binary} is missing: installing Debian's {}",
        packages.join(" ")
    );
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Chromium, its driver, and a Chinese font so screenshots show text, not boxes (phones have
/// their own; a bare server has none).
pub fn ensure_chromium() -> Result<()> {
    ensure_debian(CHROMIUM, &["chromium", "chromium-driver"])?;
    ensure_debian(CHROMEDRIVER, &["chromium-driver"])?;
    ensure_debian(
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        &["fonts-noto-cjk"],
    )
}

/// nginx from Debian, for the bench's side-by-side figures.
pub const NGINX: &str = "/usr/sbin/nginx";

pub fn ensure_nginx() -> Result<()> {
    ensure_debian(NGINX, &["nginx"])
}

pub fn ensure_wrk() -> Result<()> {
    ensure_debian("/usr/bin/wrk", &["wrk"])
}

pub fn ensure_sqlite3() -> Result<()> {
    ensure_debian("/usr/bin/sqlite3", &["sqlite3"])
}

pub fn ensure_psql() -> Result<()> {
    ensure_debian("/usr/bin/psql", &["postgresql-client"])
}
