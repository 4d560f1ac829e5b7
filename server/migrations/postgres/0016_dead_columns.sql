-- Chelink 0016 (PostgreSQL): the columns nothing reads or writes any more are dropped.
-- `staff.failed_logins` and `staff.locked_until` (0004): sign-in failures are counted in
-- `sign_in_failures` since 0014. `cars.old_inspection_cycle` (0010): the inspection cycle
-- follows from the facts of 0015; its CHECK `cars_old_cycle_check` goes with it.
-- Keep in step with ../sqlite/0016_dead_columns.sql.

ALTER TABLE staff DROP COLUMN failed_logins;
ALTER TABLE staff DROP COLUMN locked_until;
ALTER TABLE cars DROP COLUMN old_inspection_cycle;
