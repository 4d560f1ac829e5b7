//! Catalogue reads timed alone and while bursts of 24 staff sign-ins hash their passwords.

use super::*;

/// The catalogue read timed while staff sign in: the series list, answered from memory.
const SIGN_IN_READ: &str = "/api/v1/dealers/demo/series";

/// Staff sign-ins sent at once in each burst, and the bursts.
const SIGN_IN_BURST: usize = 24;
const SIGN_IN_BURSTS: usize = 5;

/// Catalogue reads one after another, alone and then while bursts of 24 staff sign in at once
/// (each an argon2id verification): a sign-in burst must not slow a consumer's page.
pub(super) fn reads_during_sign_ins(port: u16, report: &mut String) -> Result<()> {
    let read = || -> Result<f64> {
        let started = Instant::now();
        let response = get(port, SIGN_IN_READ, "br")?;
        ensure!(
            response.status == 200,
            "{SIGN_IN_READ} answered {}",
            response.status
        );
        Ok(started.elapsed().as_secs_f64() * 1000.0)
    };
    let load = uptime();
    let mut alone = Vec::new();
    for _ in 0..300 {
        alone.push(read()?);
    }
    let mut during = Vec::new();
    let mut sign_ins = Vec::new();
    for _ in 0..SIGN_IN_BURSTS {
        let burst: Vec<_> = (0..SIGN_IN_BURST)
            .map(|_| {
                std::thread::spawn(move || -> Result<f64> {
                    let started = Instant::now();
                    let status = post_json(
                        port,
                        "/api/v1/console/session",
                        r#"{"login":"demo-admin","password":"chelink-demo-2026"}"#,
                    )?;
                    ensure!(status == 200, "a sign-in answered {status}");
                    Ok(started.elapsed().as_secs_f64() * 1000.0)
                })
            })
            .collect();
        while !burst.iter().all(|t| t.is_finished()) {
            during.push(read()?);
        }
        for thread in burst {
            let took = thread
                .join()
                .map_err(|_| anyhow::anyhow!("a sign-in thread panicked"))??;
            sign_ins.push(took);
        }
    }
    let figures = |mut ms: Vec<f64>| {
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
        format!(
            "{} | {:.2} ms | {:.2} ms | {:.2} ms",
            ms.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        )
    };
    let _ = writeln!(
        report,
        "## Catalogue reads while staff sign in\n\n\
         `GET {SIGN_IN_READ}` one after another on a fresh connection each, alone and then during \
         {SIGN_IN_BURSTS} bursts of {SIGN_IN_BURST} sign-ins sent at once (demo-admin, the right \
         password). Load before: {load}.\n\n\
         | what | n | p50 | p99 | max |\n|---|---:|---:|---:|---:|\n\
         | reads alone | {} |\n| reads during sign-in bursts | {} |\n| sign-ins (each) | {} |\n\n\
         Load after: {}.\n",
        figures(alone),
        figures(during),
        figures(sign_ins),
        uptime()
    );
    Ok(())
}
