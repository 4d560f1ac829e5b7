//! Catalogue reads and the page shell against nginx serving the same bytes: requests per
//! second and p99 of each, and the ratio.

use super::*;

/// The reads measured against nginx serving the same bytes: (name, path, nginx's file).
const READ_TARGETS: [(&str, &str, &str); 5] = [
    (
        "model API",
        "/api/v1/dealers/demo/series/leapmotor-b01",
        "model.json",
    ),
    ("series list", "/api/v1/dealers/demo/series", "series.json"),
    ("dealer home", "/api/v1/dealers/demo", "home.json"),
    (
        "comparison",
        "/api/v1/dealers/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro",
        "compare.json",
    ),
    ("shell", "/demo/", "index.html"),
];

/// Issue 8's aim for cached reads: half nginx's throughput or more, p99 at most 10 ms.
const AIM_READS_RATIO: f64 = 0.5;
const AIM_READS_P99_MS: f64 = 10.0;

/// Each catalogue read and the shell as a phone asks for them (brotli), against nginx serving
/// the same bytes from a file in the same run (`wrk -t2 -c32 -d10s`, one after the other):
/// requests per second, p50 and p99 of each, and the throughput ratio.
pub(super) fn reads(port: u16, out: &Path, report: &mut String) -> Result<()> {
    let root = out.join("nginx-reads");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root)?;
    for (name, path, file) in READ_TARGETS {
        // Also readies the answer, so the load measures the served bytes, not the first build.
        let ours = get(port, path, "br")?;
        ensure!(ours.status == 200, "{name} {path} answered {}", ours.status);
        std::fs::write(root.join(file), &ours.body)?;
    }
    let (nginx, nginx_port) = Nginx::serving(
        out,
        &format!(
            "root {root}; types {{ application/json json; text/html html; }} \
             location / {{ add_header Content-Encoding br; add_header Vary Accept-Encoding; \
             add_header Cache-Control no-cache; }}",
            root = root.display()
        ),
        ("/home.json", 200),
    )?;
    let load = uptime();
    let _ = writeln!(
        report,
        "## Catalogue reads and the shell against nginx (wrk, 2 threads, 32 connections, 10 s, \
         loopback, brotli, SQLite)\n\n\
         nginx serves each answer's bytes as we sent them, from a file. Load before: {load}.\n\n\
         | read | Chelink req/s | p50 | p99 | nginx req/s | p50 | p99 | throughput ratio | aim (≥ {AIM_READS_RATIO}×, p99 ≤ {AIM_READS_P99_MS} ms) |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    let accept = ["Accept-Encoding: br".to_string()];
    let mut missed = Vec::new();
    for (name, path, file) in READ_TARGETS {
        let same = get(nginx_port, &format!("/{file}"), "br")?;
        ensure!(
            same.body == std::fs::read(root.join(file))?,
            "nginx does not serve {file} as written"
        );
        let stem = file.replace('.', "-");
        let ours = wrk(
            &format!("http://127.0.0.1:{port}{path}"),
            32,
            &accept,
            out,
            &format!("reads-chelink-{stem}"),
        )?;
        let theirs = wrk(
            &format!("http://127.0.0.1:{nginx_port}/{file}"),
            32,
            &accept,
            out,
            &format!("reads-nginx-{stem}"),
        )?;
        let ratio = ours.per_second / theirs.per_second;
        let met = ratio >= AIM_READS_RATIO && ours.p99_ms <= AIM_READS_P99_MS;
        if !met {
            missed.push(name);
        }
        let _ = writeln!(
            report,
            "| {name} `{path}` | {} | {} | {ratio:.2}× | {} |",
            ours.cells(),
            theirs.cells(),
            if met { "met" } else { "**missed**" },
        );
    }
    drop(nginx);
    let _ = writeln!(
        report,
        "\nLoad after: {}. Aim {}.\n",
        uptime(),
        if missed.is_empty() {
            "met by every read".to_string()
        } else {
            format!("**missed** by {}", missed.join(", "))
        }
    );
    Ok(())
}
