//! Share-link redirects against nginx answering the same 302, and the clicks the server
//! wrote once stopped.

use super::*;

/// The share link the redirect load opens: the demo consultant 王磊's, to the home page.
const BENCH_LINK_TARGET: &str = "/demo/";

/// `wrk -t2 -c64 -d10s --latency` on `url` as a WeChat phone; every answer must be a 302.
fn wrk_redirects(url: &str, out: &Path, stem: &str) -> Result<Wrk> {
    wrk(url, 64, &[format!("User-Agent: {WECHAT_UA}")], out, stem)
}

/// `/s/{code}` with every click recorded, against nginx's static 302 in the same run; then the
/// server is stopped with SIGTERM and the clicks it wrote are counted against the redirects
/// wrk saw (wrk does not count answers still on the wire when it stops: at most one per
/// connection more may be stored).
pub(super) fn redirects(
    server: Server,
    database: &BenchDatabase,
    out: &Path,
    report: &mut String,
) -> Result<()> {
    let code = shared::link::code_from((0..=255u8).cycle().skip(17).take(64))
        .context("no code from the bench's bytes")?;
    database.sql(&format!(
        "INSERT INTO links (dealer_id, code, staff_id, target, channel, created_at) \
         SELECT d.id, '{code}', s.id, '{BENCH_LINK_TARGET}', 'moments', 0 FROM dealers d \
         JOIN staff s ON s.dealer_id = d.id WHERE d.slug = 'demo' AND s.login = 'demo-wang'"
    ))?;
    let path = format!("/s/{code}");
    let ours = wrk_redirects(
        &format!("http://127.0.0.1:{}{path}", server.port),
        out,
        "redirects-chelink",
    )?;
    server.stop()?;
    let recorded = database.count(&format!(
        "SELECT COUNT(*) FROM link_visits v JOIN links l ON l.id = v.link_id \
         WHERE l.code = '{code}' AND v.counted = 1"
    ))?;
    let (nginx, nginx_port) = Nginx::start(out, &format!("{BENCH_LINK_TARGET}?ch=moments"))?;
    let theirs = wrk_redirects(
        &format!("http://127.0.0.1:{nginx_port}{path}"),
        out,
        "redirects-nginx",
    )?;
    drop(nginx);

    let throughput = ours.per_second / theirs.per_second;
    let p99 = ours.p99_ms / theirs.p99_ms;
    let mark = |ok: bool| if ok { "met" } else { "**missed**" };
    let _ = writeln!(
        report,
        "## Share-link redirects (wrk, 2 threads, 64 connections, 10 s, loopback, SQLite)\n\n\
         | server | redirects/s | p50 | p99 |\n|---|---:|---:|---:|\n\
         | Chelink `/s/{{code}}`, clicks recorded | {} |\n\
         | nginx, a static 302 | {} |\n\n\
         Throughput {throughput:.2}× nginx's (aim ≥ 0.5: {}); p99 {p99:.2}× nginx's (aim ≤ 2: {}).\n\
         Redirects wrk counted: {}; clicks recorded after a clean stop: {recorded}.\n",
        ours.cells(),
        theirs.cells(),
        mark(throughput >= 0.5),
        mark(p99 <= 2.0),
        ours.requests,
    );
    ensure!(
        recorded >= ours.requests && recorded <= ours.requests + 64,
        "{} redirects were served but {recorded} clicks recorded",
        ours.requests
    );
    Ok(())
}
