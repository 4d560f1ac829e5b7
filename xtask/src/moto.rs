//! moto's S3 server (PyPI's `moto[server]`, pinned, into `.tools/venv` beside Schemathesis)
//! for `cargo xtask test`: started on a free loopback port before the API tests, whose S3
//! photo test reads its address from `CHELINK_TEST_S3_ENDPOINT`, and stopped after them.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::{run, tools};

/// The moto release the S3 path is tested against.
const MOTO: &str = "moto[server]==5.2.1";

/// `.tools/venv/bin/moto_server` at the pinned version, installed when missing.
fn ensure_moto(root: &Path) -> Result<PathBuf> {
    let venv = tools::tools_dir(root).join("venv");
    let binary = venv.join("bin/moto_server");
    let version = MOTO.rsplit("==").next().unwrap_or_default();
    let installed = Command::new(venv.join("bin/python"))
        .args(["-c", "import moto; print(moto.__version__)"])
        .output()
        .ok();
    if binary.exists()
        && installed.is_some_and(|out| String::from_utf8_lossy(&out.stdout).trim() == version)
    {
        return Ok(binary);
    }
    if !venv.join("bin/pip").exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(Command::new(venv.join("bin/pip")).args(["install", "--quiet", MOTO]))?;
    Ok(binary)
}

/// A running moto server, stopped when dropped.
pub struct Moto {
    process: Child,
    /// `http://127.0.0.1:{port}`.
    pub endpoint: String,
}

impl Moto {
    /// Installs moto if needed and starts it; waits until it accepts connections.
    pub fn start(root: &Path) -> Result<Self> {
        let binary = ensure_moto(root)?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let process = Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let mut moto = Self {
            process,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Some(status) = moto.process.try_wait()? {
                bail!("moto_server exited with {status} before answering");
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                eprintln!("moto's S3 server for the photo test: {}", moto.endpoint);
                return Ok(moto);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let _ = moto.process.kill();
        bail!("moto_server did not answer within 60 s")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
