-- Chelink 0004 (SQLite): the staff console. Staff sign in with a login and an argon2id
-- password hash; repeated failures lock the account for a while (backoff); sessions live
-- in the database so signing out or changing the password ends them on every instance.
-- Leads get a consultant's pending 战败 claim and the time of their first response.
-- Keep in step with ../postgres/0004_console.sql.

ALTER TABLE staff ADD COLUMN login TEXT;
ALTER TABLE staff ADD COLUMN password_hash TEXT;
ALTER TABLE staff ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX staff_login_key ON staff (login);

ALTER TABLE leads ADD COLUMN lost_claim TEXT;           -- a consultant's reason, waiting for a manager
ALTER TABLE leads ADD COLUMN first_response_at INTEGER;  -- first call or status change
CREATE INDEX leads_consultant ON leads (dealer_id, consultant_id, created_at);

-- A signed-in staff member's session (tower-sessions records).
CREATE TABLE staff_sessions (
    id         TEXT    NOT NULL,
    staff_id   INTEGER,
    data       TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    CONSTRAINT staff_sessions_pk PRIMARY KEY (id),
    CONSTRAINT staff_sessions_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE CASCADE
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
