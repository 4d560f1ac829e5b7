-- Chelink 0016 (SQLite): the columns nothing reads or writes any more are dropped.
-- `staff.failed_logins` and `staff.locked_until` (0004): sign-in failures are counted in
-- `sign_in_failures` since 0014. `cars.old_inspection_cycle` (0010) cannot be dropped here:
-- SQLite refuses to drop a column a table CHECK names (`cars_old_cycle_check`), and the
-- documented rebuild of `cars` needs foreign keys off, which is possible only outside this
-- migration's transaction (with them on, dropping the old table would delete every car's
-- bindings, readings, service bookings and reminders). `server::db::migrate` rebuilds it
-- without the column right after the migrations (`sqlite_rebuild`, `CARS_REBUILD`).
-- Keep in step with ../postgres/0016_dead_columns.sql.

ALTER TABLE staff DROP COLUMN failed_logins;
ALTER TABLE staff DROP COLUMN locked_until;
