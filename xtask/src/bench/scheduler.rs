//! The reminder scheduler's pass over 100,000 delivered cars on SQLite, timed.

use super::*;

/// Cars the scheduler bench delivers, and the aim for one pass over them.
const SCHEDULER_CARS: u32 = 100_000;
const SCHEDULER_AIM_MS: u64 = 2_000;

/// The reminder scheduler's first pass (which makes every reminder due) and second pass
/// (nothing new) over 100,000 cars on SQLite, by the server's `reminder_pass` example.
pub(super) fn scheduler(root: &Path, report: &mut String) -> Result<()> {
    let db = root.join("target/bench/reminders.db");
    std::fs::create_dir_all(root.join("target/bench"))?;
    let output = Command::new("cargo")
        .args(["run", "--quiet", "--release", "--package", "chelink-server"])
        .args(["--example", "reminder_pass", "--"])
        .arg(&db)
        .arg(SCHEDULER_CARS.to_string())
        .stderr(Stdio::inherit())
        .output()
        .context("running the reminder_pass example")?;
    ensure!(output.status.success(), "reminder_pass failed");
    let line = String::from_utf8_lossy(&output.stdout);
    let pass: serde_json::Value = serde_json::from_str(line.trim())
        .with_context(|| format!("reminder_pass printed {line:?}"))?;
    let ms = |key: &str| pass[key].as_u64().unwrap_or(u64::MAX);
    let verdict = |took: u64| {
        if took < SCHEDULER_AIM_MS {
            "meets"
        } else {
            "MISSES"
        }
    };
    let _ = std::fs::remove_file(&db);
    writeln!(
        report,
        "## Reminder scheduler (SQLite, {} cars; aim: a pass under {SCHEDULER_AIM_MS} ms)\n\n\
         | pass | time | reminders made | aim |\n|---|---:|---:|---|\n\
         | first (makes every reminder due) | {} ms | {} | {} |\n\
         | second (nothing new) | {} ms | {} | {} |\n",
        pass["cars"],
        ms("first_ms"),
        pass["made"],
        verdict(ms("first_ms")),
        ms("second_ms"),
        pass["made_again"],
        verdict(ms("second_ms")),
    )?;
    Ok(())
}
