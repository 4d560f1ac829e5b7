//! Booking writes per second on SQLite and PostgreSQL (wrk posting test drives over every
//! slot of the demo stores), checking afterwards that no slot was overbooked.

use super::*;

/// Where the booking load writes.
const BOOKINGS_PATH: &str = "/api/v1/dealers/demo/bookings";

/// Seats every slot gets at least before the booking load, so that most bookings find one.
const BENCH_SLOT_CAPACITY: u64 = 50;

/// Seats the booking load gets in all, at least: four times the aim for 10 s, so that running
/// out of seats never caps the figure (212 demo slots × 50 would stop it at 1,060/s).
const BENCH_SEATS: u64 = 4 * 10 * 1000;

/// The issue's aim for booking writes on SQLite.
const AIM_BOOKINGS_PER_SECOND: f64 = 1000.0;
const AIM_P99_MS: f64 = 50.0;

/// Slots whose booked count exceeds their capacity or differs from their open bookings.
const OVERBOOKED_SLOTS: &str = "SELECT COUNT(*) FROM slots s WHERE s.booked > s.capacity \
     OR s.booked <> (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = s.id \
     AND b.status IN ('booked','confirmed'))";

/// What the booking load books: one series, over every slot of the stores that offer it.
struct BookingTarget {
    series_id: String,
    consent_version: String,
    stores: usize,
    slot_ids: Vec<i64>,
}

impl BookingTarget {
    /// The seats each slot gets for the load.
    fn capacity(&self) -> u64 {
        BENCH_SLOT_CAPACITY.max(BENCH_SEATS.div_ceil(self.slot_ids.len() as u64))
    }
}

/// Asks the API what a buyer would: the stores and their cars, then each store's slots.
fn booking_target(port: u16) -> Result<BookingTarget> {
    let path = "/api/v1/dealers/demo/test-drive";
    let offer: TestDriveOffer =
        serde_json::from_slice(&get_ok(port, path)?).with_context(|| format!("reading {path}"))?;
    // The series most stores offer a test drive of: the most slots to spread the load over.
    let offered_by = |series: &str| {
        offer
            .stores
            .iter()
            .filter(|s| s.series_ids.iter().any(|id| id == series))
            .count()
    };
    let series_id = offer
        .stores
        .iter()
        .flat_map(|s| &s.series_ids)
        .max_by_key(|series| (offered_by(series), std::cmp::Reverse(series.as_str())))
        .context("the demo dealer offers no test drive")?
        .clone();
    let mut stores = 0;
    let mut slot_ids = Vec::new();
    for store in offer
        .stores
        .iter()
        .filter(|s| s.series_ids.contains(&series_id))
    {
        let path = format!(
            "/api/v1/dealers/demo/stores/{}/slots?series={series_id}",
            store.store.id
        );
        let list: SlotList = serde_json::from_slice(&get_ok(port, &path)?)
            .with_context(|| format!("reading {path}"))?;
        slot_ids.extend(list.slots.iter().map(|slot| slot.id));
        stores += 1;
    }
    ensure!(!slot_ids.is_empty(), "no bookable slot for {series_id}");
    Ok(BookingTarget {
        series_id,
        consent_version: offer.privacy_version,
        stores,
        slot_ids,
    })
}

/// The body of a GET that must answer 200.
fn get_ok(port: u16, path: &str) -> Result<Vec<u8>> {
    let response = get(port, path, "identity")?;
    if response.status != 200 {
        bail!("{path} answered {}", response.status);
    }
    Ok(response.body)
}

/// One database's booking load: wrk's figures and what the database holds afterwards.
pub(super) struct BookingRun {
    database: &'static str,
    target: BookingTarget,
    /// Answers by status: 201 booked, 409 full, then anything else.
    booked: u64,
    full: u64,
    other_statuses: Vec<(u16, u64)>,
    /// connect, read, write and timeout errors, as wrk counts them.
    socket_errors: [u64; 4],
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Bookings the database gained during the load.
    stored: u64,
    /// SQLite's write-ahead log: its largest size during the load and its size after it.
    wal: Option<(u64, u64)>,
}

impl BookingRun {
    fn bookings_per_second(&self) -> f64 {
        self.booked as f64 / self.seconds
    }
}

/// Books test drives as fast as 32 connections can for 10 s, then checks the slots' counts.
pub(super) fn book_test_drives(
    server: &Server,
    database: &BenchDatabase,
    out: &Path,
) -> Result<BookingRun> {
    let name = database.name();
    let target = booking_target(server.port)?;
    database.sql(&format!(
        "UPDATE slots SET capacity = {}",
        target.capacity()
    ))?;
    let before = database.count("SELECT COUNT(*) FROM bookings")?;

    let stem = format!("booking-writes-{}", name.to_lowercase());
    let script = out.join(format!("{stem}.lua"));
    std::fs::write(&script, booking_script(&target, name))?;
    let wal = WalWatch::start(database);
    let output = Command::new("wrk")
        .args(["-t2", "-c32", "-d10s", "--latency", "-s"])
        .arg(&script)
        .arg(format!("http://127.0.0.1:{}{BOOKINGS_PATH}", server.port))
        .output()
        .context("running wrk")?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    std::fs::write(out.join(format!("{stem}.txt")), &text)?;
    if !output.status.success() {
        bail!(
            "wrk failed on {name} with {}:\n{text}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }

    // The script's `done` prints `bench <figure> <numbers…>` lines.
    let figures: Vec<Vec<&str>> = text
        .lines()
        .filter_map(|line| line.strip_prefix("bench "))
        .map(|rest| rest.split_whitespace().collect())
        .collect();
    let figure = |key: &str| -> Result<Vec<u64>> {
        let line = figures
            .iter()
            .find(|f| f.first() == Some(&key))
            .with_context(|| format!("wrk printed no `bench {key}` on {name}:\n{text}"))?;
        line[1..]
            .iter()
            .map(|n| {
                n.parse()
                    .with_context(|| format!("`bench {key}` has {n:?}"))
            })
            .collect()
    };
    let one = |key: &str| -> Result<u64> {
        figure(key)?
            .first()
            .copied()
            .with_context(|| format!("`bench {key}` has no number"))
    };
    let mut other_statuses = Vec::new();
    for line in figures.iter().filter(|f| f.first() == Some(&"status")) {
        if let [_, status, count] = line[..] {
            other_statuses.push((status.parse()?, count.parse()?));
        }
    }
    other_statuses.sort_unstable();
    let errors = figure("socket_errors")?;
    let socket_errors: [u64; 4] = errors
        .try_into()
        .map_err(|e| anyhow::anyhow!("`bench socket_errors` should have 4 numbers, has {e:?}"))?;

    let run = BookingRun {
        database: name,
        booked: one("created")?,
        full: one("full")?,
        other_statuses,
        socket_errors,
        seconds: one("duration_us")? as f64 / 1e6,
        p50_ms: one("p50_us")? as f64 / 1000.0,
        p99_ms: one("p99_us")? as f64 / 1000.0,
        stored: database.count("SELECT COUNT(*) FROM bookings")? - before,
        wal: wal.stop(),
        target,
    };
    let overbooked = database.count(OVERBOOKED_SLOTS)?;
    if overbooked > 0 {
        bail!(
            "OVERBOOKING on {name}: {overbooked} slots have more bookings than seats or a booked \
             count that differs from their open bookings"
        );
    }
    // Answers cut off when wrk stops may still be stored; a 201 never stored is a lost booking.
    if run.stored < run.booked {
        bail!(
            "{name} answered 201 to {} bookings but stored only {}",
            run.booked,
            run.stored
        );
    }
    Ok(run)
}

/// Watches a SQLite database's write-ahead log during a load: its largest size, every 20 ms.
struct WalWatch {
    file: Option<PathBuf>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    largest: Option<std::thread::JoinHandle<u64>>,
}

impl WalWatch {
    fn start(database: &BenchDatabase) -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let file = match database {
            BenchDatabase::Sqlite(path) => Some(PathBuf::from(format!("{}-wal", path.display()))),
            BenchDatabase::Postgres(_) => None,
        };
        let largest = file.clone().map(|file| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut largest = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    largest = largest.max(std::fs::metadata(&file).map_or(0, |m| m.len()));
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                largest
            })
        });
        Self {
            file,
            stop,
            largest,
        }
    }

    /// (largest during the load, size now).
    fn stop(self) -> Option<(u64, u64)> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let largest = self.largest?.join().ok()?;
        let now = std::fs::metadata(self.file?).map_or(0, |m| m.len());
        Some((largest.max(now), now))
    }
}

/// The wrk script: every request a new mobile number (each thread its own range), the slots
/// taken in turn from a different start per thread; `done` prints what the bench reads.
fn booking_script(target: &BookingTarget, database: &str) -> String {
    let slots = target
        .slot_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let json = |s: &str| serde_json::Value::from(s).to_string();
    let before_slot = format!(
        "{{\"series_id\": {}, \"trim_id\": null, \"slot_id\": ",
        json(&target.series_id)
    );
    let before_phone = ", \"name\": \"压测\", \"phone\": \"";
    let after_phone = format!(
        "\", \"consent_version\": {}, \"licence\": null, \
         \"origin\": {{\"page\": \"bench\", \"button\": \"bench\", \"channel\": null}}}}",
        json(&target.consent_version)
    );
    format!(
        r#"-- Written by `cargo xtask bench`: test-drive bookings on {database}, one new phone each.
local slots = {{ {slots} }}
local before_slot = {before_slot}
local before_phone = {before_phone}
local after_phone = {after_phone}
local threads = {{}}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  created = 0
  full = 0
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local slot = slots[(id * math.floor(#slots / 2) + counter) % #slots + 1]
  local phone = string.format("139%08d", (id * 50000000 + counter) % 100000000)
  local body = before_slot .. slot .. before_phone .. phone .. after_phone
  return wrk.format("POST", "{BOOKINGS_PATH}", nil, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 409 then
    full = full + 1
  else
    local key = "status_" .. status
    _G[key] = (_G[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local booked, refused, others = 0, 0, {{}}
  for _, thread in ipairs(threads) do
    booked = booked + thread:get("created")
    refused = refused + thread:get("full")
    for status = 100, 599 do
      local n = thread:get("status_" .. status)
      if n then others[status] = (others[status] or 0) + n end
    end
  end
  io.write(string.format("bench created %d\n", booked))
  io.write(string.format("bench full %d\n", refused))
  for status, n in pairs(others) do
    io.write(string.format("bench status %d %d\n", status, n))
  end
  local e = summary.errors
  io.write(string.format("bench socket_errors %d %d %d %d\n", e.connect, e.read, e.write, e.timeout))
  io.write(string.format("bench duration_us %d\n", summary.duration))
  io.write(string.format("bench p50_us %d\n", latency:percentile(50)))
  io.write(string.format("bench p99_us %d\n", latency:percentile(99)))
end
"#,
        before_slot = lua_string(&before_slot),
        before_phone = lua_string(before_phone),
        after_phone = lua_string(&after_phone),
    )
}

/// `text` as a Lua string literal; UTF-8 passes through, as Lua strings are bytes.
fn lua_string(text: &str) -> String {
    let mut literal = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                literal.push('\\');
                literal.push(c);
            }
            c if c.is_control() => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    let _ = write!(literal, "\\{byte:03}");
                }
            }
            c => literal.push(c),
        }
    }
    literal.push('"');
    literal
}

pub(super) fn booking_writes_report(
    runs: &[BookingRun],
    postgres_measured: bool,
    report: &mut String,
) {
    let _ = writeln!(
        report,
        "## Booking writes (wrk, 2 threads, 32 connections, 10 s, loopback)\n"
    );
    if let Some(first) = runs.first() {
        let _ = writeln!(
            report,
            "Each request books a test drive, `POST {BOOKINGS_PATH}`, with a mobile number of its \
             own, taking in turn the {} slots of the {} stores that offer `{}`, every slot raised \
             to {} seats ({} in all, so seats never cap the figure) and the per-visitor write \
             limit lifted. Bookings/s counts 201s only; every other answer is listed.\n",
            first.target.slot_ids.len(),
            first.target.stores,
            first.target.series_id,
            first.target.capacity(),
            first.target.capacity() * first.target.slot_ids.len() as u64
        );
    }
    let _ = writeln!(
        report,
        "| database | bookings/s | p50 | p99 | 201 booked | 409 full | other answers | socket errors |\n\
         |---|---:|---:|---:|---:|---:|---|---|"
    );
    for run in runs {
        let others = if run.other_statuses.is_empty() {
            "none".to_string()
        } else {
            run.other_statuses
                .iter()
                .map(|(status, n)| format!("**{status} ×{n}**"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let errors = if run.socket_errors.iter().all(|&n| n == 0) {
            "none".to_string()
        } else {
            let [connect, read, write, timeout] = run.socket_errors;
            format!("**connect {connect}, read {read}, write {write}, timeout {timeout}**")
        };
        let _ = writeln!(
            report,
            "| {} | {:.0} | {:.1} ms | {:.1} ms | {} | {} | {others} | {errors} |",
            run.database,
            run.bookings_per_second(),
            run.p50_ms,
            run.p99_ms,
            run.booked,
            run.full
        );
    }
    let _ = writeln!(report);
    for run in runs {
        let _ = writeln!(
            report,
            "- {}: no overbooking: every slot's booked count equals its open bookings and is \
             within its capacity ({} bookings stored, {} answered 201).",
            run.database, run.stored, run.booked
        );
        if let Some((largest, after)) = run.wal {
            let _ = writeln!(
                report,
                "- {}: the write-ahead log peaked at {:.1} MB during the load and was {:.1} MB \
                 after it (bound: `CHELINK_WAL_LIMIT_MB`, 16 by default).",
                run.database,
                largest as f64 / 1e6,
                after as f64 / 1e6
            );
        }
    }
    if !postgres_measured {
        let _ = writeln!(
            report,
            "- PostgreSQL: **not measured**: TEST_DATABASE_URL is not set."
        );
    }
    if let Some(sqlite) = runs.iter().find(|r| r.database == "SQLite") {
        let met =
            sqlite.bookings_per_second() >= AIM_BOOKINGS_PER_SECOND && sqlite.p99_ms <= AIM_P99_MS;
        let _ = writeln!(
            report,
            "- Aim on SQLite: at least {AIM_BOOKINGS_PER_SECOND:.0} bookings/s with p99 at most \
             {AIM_P99_MS:.0} ms; measured {:.0} bookings/s, p99 {:.1} ms: {}.",
            sqlite.bookings_per_second(),
            sqlite.p99_ms,
            if met { "met" } else { "**NOT met**" }
        );
    }
    let _ = writeln!(report);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lua_strings_escape_quotes_and_control_characters_but_keep_chinese() {
        assert_eq!(lua_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(lua_string("压测\n"), "\"压测\\010\"");
    }
}
