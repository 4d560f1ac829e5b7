-- Chelink 0014 (PostgreSQL): sign-in failures counted where parallel guesses cannot race them.
-- One row per login as typed, whether or not such an account exists (so an unknown login
-- locks exactly like a known one and logins cannot be told apart), and one per client
-- address with its window; both are counted by one upsert per failure.
-- `staff.failed_logins` and `staff.locked_until` (0004) are no longer read or written.
-- Keep in step with ../sqlite/0014_sign_in_failures.sql.

CREATE TABLE sign_in_failures (
    login          TEXT    NOT NULL,
    failures       BIGINT  NOT NULL,
    last_failed_at BIGINT  NOT NULL,   -- ms since the epoch; older than a day: forgotten
    locked_until   BIGINT  NOT NULL,   -- ms since the epoch; 0 when not locked
    CONSTRAINT sign_in_failures_pk PRIMARY KEY (login)
);

CREATE TABLE sign_in_addresses (
    address      TEXT    NOT NULL,     -- an IPv4 address, or an IPv6 /64
    window_start BIGINT  NOT NULL,     -- ms since the epoch
    failures     BIGINT  NOT NULL,     -- in the window that began at window_start
    CONSTRAINT sign_in_addresses_pk PRIMARY KEY (address)
);
