//! `cargo xtask bench`: serves the release build and measures what the issue's bars name:
//! first-load bytes of a consumer page (raw, gzip, brotli), Lighthouse mobile scores, and
//! requests per second with p99 latency under a bounded local load (wrk, 10 s each).

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::{build, run, tools};

/// Every consumer page a buyer can open, as issue 8 measured them.
const LIGHTHOUSE_PAGES: [(&str, &str); 7] = [
    ("home", "/demo/"),
    ("catalogue", "/demo/models"),
    ("model", "/demo/models/byd-qin-plus"),
    ("model", "/demo/models/leapmotor-b01"),
    (
        "comparison",
        "/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro",
    ),
    ("calculator", "/demo/calculator?trim=xiaomi-su7-std"),
    ("selection", "/demo/select"),
];

/// Lighthouse runs per page; the report shows the median of each figure.
const LIGHTHOUSE_RUNS: usize = 3;

/// The WeChat in-app browser on an iPhone, as our buyers arrive.
const WECHAT_UA: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
     (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/4G Language/zh_CN";

const LOAD_TARGETS: [(&str, &str); 3] = [
    ("shell /demo/", "/demo/"),
    ("API series list", "/api/v1/dealers/demo/series"),
    (
        "API model page",
        "/api/v1/dealers/demo/series/leapmotor-b01",
    ),
];

/// The server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn bench(root: &Path) -> Result<()> {
    tools::ensure_app_toolchain(root)?;
    tools::ensure_chromium()?;
    tools::ensure_lighthouse(root)?;
    tools::ensure_wrk()?;
    let dist = build::build(root, build::Mode::Release)?;
    run(Command::new("cargo").args(["build", "--release", "--package", "chelink-server"]))?;

    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out)?;
    let database = out.join("bench.db");
    let _ = std::fs::remove_file(&database);
    let _server = Server(
        Command::new(root.join("target/release/chelink-server"))
            .env("PORT", port.to_string())
            .env(
                "DATABASE_URL",
                format!("sqlite://{}?mode=rwc", database.display()),
            )
            .env("CHELINK_DIST", &dist)
            .env("CHELINK_DEMO", "1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .context("starting the server")?,
    );
    wait_until_up(port)?;

    let mut report = String::from("# Chelink benchmark\n\n");
    first_load(port, &mut report)?;
    lighthouse(root, port, &out, &mut report)?;
    load(port, &mut report)?;
    std::fs::write(out.join("report.md"), &report)?;
    println!("{report}");
    println!("(written to target/bench/report.md)");
    Ok(())
}

fn wait_until_up(port: u16) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if get(port, "/api/v1/dealers/demo", "identity").is_ok_and(|r| r.status == 200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("the server did not answer within 60 s")
}

/// The bytes a first visit to `/demo/` transfers: the shell, then the css, js and wasm it names.
fn first_load(port: u16, report: &mut String) -> Result<()> {
    let shell = get(port, "/demo/", "identity")?;
    let html = String::from_utf8_lossy(&shell.body).into_owned();
    let mut assets: Vec<String> = Vec::new();
    for piece in html.split('"') {
        let is_asset = piece.starts_with("/assets/")
            && [".css", ".js", ".wasm"]
                .iter()
                .any(|ext| piece.ends_with(ext));
        if is_asset && !assets.iter().any(|a| a == piece) {
            assets.push(piece.to_string());
        }
    }
    if assets.is_empty() {
        bail!("the shell names no assets");
    }
    // Modules the entry script imports statically (the lazy-chunk loader) load up front too.
    for script in assets.clone().iter().filter(|a| a.ends_with(".js")) {
        let folder = &script[..script.rfind('/').map_or(0, |i| i + 1)];
        let code = String::from_utf8_lossy(&get(port, script, "identity")?.body).into_owned();
        // `import … from "./x.js"`, minified or not.
        let code = code.replace("from \"", "from\"");
        for import in code
            .split("from\"./")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
        {
            let path = format!("{folder}{import}");
            if !assets.contains(&path) {
                assets.push(path);
            }
        }
    }
    let _ = writeln!(
        report,
        "## First load of /demo/ (html + css + js + wasm; the home page needs no lazy chunk)\n"
    );
    let _ = writeln!(
        report,
        "| file | raw | gzip | brotli |\n|---|---:|---:|---:|"
    );
    let mut totals = [0usize; 3];
    for path in std::iter::once("/demo/".to_string()).chain(assets) {
        let mut sizes = [0usize; 3];
        for (i, encoding) in ["identity", "gzip", "br"].into_iter().enumerate() {
            let response = get(port, &path, encoding)?;
            if response.status != 200 {
                bail!("{path} answered {}", response.status);
            }
            sizes[i] = response.body.len();
            totals[i] += sizes[i];
        }
        let _ = writeln!(
            report,
            "| `{path}` | {} | {} | {} |",
            sizes[0], sizes[1], sizes[2]
        );
    }
    let _ = writeln!(
        report,
        "| **total** | **{:.1} KB** | **{:.1} KB** | **{:.1} KB** |\n",
        kb(totals[0]),
        kb(totals[1]),
        kb(totals[2])
    );
    let verdict = if totals[2] <= 150 * 1000 {
        "within"
    } else {
        "OVER"
    };
    let _ = writeln!(report, "Brotli first load is {verdict} the 150 KB bar.\n");
    Ok(())
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1000.0
}

fn lighthouse(root: &Path, port: u16, out: &Path, report: &mut String) -> Result<()> {
    let _ = writeln!(
        report,
        "## Lighthouse {} mobile\n",
        lighthouse_version(root)
    );
    let _ = writeln!(
        report,
        "Median of {LIGHTHOUSE_RUNS} runs per page (LCP range in brackets). Bars: performance \
         ≥ 97, LCP ≤ 1.8 s, CLS ≤ 0.02, TBT ≤ 150 ms, accessibility ≥ 95.\n"
    );
    let _ = writeln!(
        report,
        "| page | performance | LCP | CLS | TBT | accessibility | bars missed |\n\
         |---|---:|---:|---:|---:|---:|---|"
    );
    for (i, (name, path)) in LIGHTHOUSE_PAGES.into_iter().enumerate() {
        // performance, LCP s, CLS, TBT ms, accessibility: one row per run
        let mut runs: Vec<[f64; 5]> = Vec::new();
        for n in 0..LIGHTHOUSE_RUNS {
            let json = out.join(format!("lighthouse-{i}-{name}-{n}.json"));
            run(Command::new(tools::lighthouse(root))
                .arg(format!("http://127.0.0.1:{port}{path}"))
                .args(["--only-categories=performance,accessibility", "--output=json", "--quiet"])
                .arg(format!("--output-path={}", json.display()))
                .arg(format!("--emulated-user-agent={WECHAT_UA}"))
                .arg(
                    "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking \
                     --disable-component-update --disable-sync --no-first-run",
                )
                .env("CHROME_PATH", tools::CHROMIUM))?;
            let result: serde_json::Value = serde_json::from_slice(&std::fs::read(&json)?)?;
            let score = |category: &str| {
                result["categories"][category]["score"]
                    .as_f64()
                    .unwrap_or(0.0)
                    * 100.0
            };
            let audit = |id: &str| {
                result["audits"][id]["numericValue"]
                    .as_f64()
                    .unwrap_or(f64::NAN)
            };
            runs.push([
                score("performance"),
                audit("largest-contentful-paint") / 1000.0,
                audit("cumulative-layout-shift"),
                audit("total-blocking-time"),
                score("accessibility"),
            ]);
        }
        let median = |k: usize| {
            let mut values: Vec<f64> = runs.iter().map(|r| r[k]).collect();
            values.sort_by(f64::total_cmp);
            values[values.len() / 2]
        };
        let lcp_min = runs.iter().map(|r| r[1]).fold(f64::INFINITY, f64::min);
        let lcp_max = runs.iter().map(|r| r[1]).fold(0.0, f64::max);
        let [perf, lcp, cls, tbt, a11y] = [0, 1, 2, 3, 4].map(median);
        let missed: Vec<&str> = [
            (perf < 97.0, "performance"),
            (lcp > 1.8, "LCP"),
            (cls > 0.02, "CLS"),
            (tbt > 150.0, "TBT"),
            (a11y < 95.0, "accessibility"),
        ]
        .into_iter()
        .filter_map(|(miss, what)| miss.then_some(what))
        .collect();
        let _ =
            writeln!(
            report,
            "| {name} `{path}` | {perf:.0} | {lcp:.2} s ({lcp_min:.2}–{lcp_max:.2}) | {cls:.3} | \
             {tbt:.0} ms | {a11y:.0} | {} |",
            if missed.is_empty() { "none".to_string() } else { missed.join(", ") },
        );
    }
    let _ = writeln!(report);
    Ok(())
}

fn lighthouse_version(root: &Path) -> String {
    Command::new(tools::lighthouse(root))
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// `wrk -t2 -c32 -d10s --latency`: requests per second and the p99 latency.
fn load(port: u16, report: &mut String) -> Result<()> {
    let _ = writeln!(
        report,
        "## Throughput (wrk, 2 threads, 32 connections, 10 s, loopback, SQLite)\n"
    );
    let _ = writeln!(
        report,
        "| target | requests/s | p50 | p99 |\n|---|---:|---:|---:|"
    );
    for (name, path) in LOAD_TARGETS {
        let output = Command::new("wrk")
            .args([
                "-t2",
                "-c32",
                "-d10s",
                "--latency",
                "-H",
                "Accept-Encoding: br",
            ])
            .arg(format!("http://127.0.0.1:{port}{path}"))
            .output()
            .context("running wrk")?;
        let text = String::from_utf8_lossy(&output.stdout);
        let field = |prefix: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_string()))
                .unwrap_or_else(|| "?".into())
        };
        if text.contains("Non-2xx") {
            bail!("{path} answered errors under load:\n{text}");
        }
        let _ = writeln!(
            report,
            "| {name} `{path}` | {} | {} | {} |",
            field("Requests/sec:"),
            field("50%"),
            field("99%")
        );
    }
    let _ = writeln!(report);
    Ok(())
}

struct Response {
    status: u16,
    body: Vec<u8>,
}

/// A plain HTTP/1.1 GET on loopback: the bytes on the wire are what this measures, so no
/// client library decompresses them behind our back.
fn get(port: u16, path: &str, encoding: &str) -> Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: {encoding}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no header end")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut body = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    Ok(Response { status, body })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}
