//! Test helpers crate (tests live in api/ and e2e/): the server binary, built once, that the
//! command-line tests run as an operator would.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The server binary, built once for this test run (as `cargo xtask` builds it).
pub fn server_binary() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("workspace");
            let status = Command::new(env!("CARGO"))
                .args([
                    "build",
                    "--quiet",
                    "--package",
                    "chelink-server",
                    "--bin",
                    "chelink-server",
                ])
                .current_dir(root)
                .status()
                .expect("cargo build");
            assert!(status.success(), "building chelink-server");
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| root.join("target"), PathBuf::from);
            target.join("debug").join("chelink-server")
        })
        .clone()
}
