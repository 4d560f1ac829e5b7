-- Chelink 0013 (SQLite): proving a phone. A browser sees and changes what it made itself;
-- anything else tied to a phone (made in another browser, or by a consultant) only once the
-- browser proved the phone with a one-time SMS code. Codes are kept hashed, five minutes
-- each, with their wrong attempts; the rows of the last day are what the resend limits
-- count (per phone and per address). Timeline events remember the browser that made them, so
-- a browser's own enquiries can be told from a stranger's. Keep in step with
-- ../postgres/0013_phone_proofs.sql.

-- A one-time code sent by SMS to a phone, for one visitor (browser) of a dealer.
CREATE TABLE phone_codes (
    id         INTEGER PRIMARY KEY,
    dealer_id  INTEGER NOT NULL,
    phone      TEXT    NOT NULL,
    visitor    TEXT    NOT NULL,
    address    TEXT,                          -- the client's IP address, for the per-address cap
    code_hash  TEXT    NOT NULL,              -- HMAC-SHA256 under a server secret, hex
    attempts   INTEGER NOT NULL DEFAULT 0,    -- wrong codes tried
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    CONSTRAINT phone_codes_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT phone_codes_attempts_check CHECK (attempts BETWEEN 0 AND 5)
);
CREATE INDEX phone_codes_phone ON phone_codes (phone, created_at);
CREATE INDEX phone_codes_address ON phone_codes (address, created_at);
CREATE INDEX phone_codes_visitor ON phone_codes (dealer_id, visitor, phone);

-- The visitor (browser cookie) whose booking or enquiry wrote the event, if any.
ALTER TABLE lead_events ADD COLUMN visitor TEXT;
CREATE INDEX bookings_visitor ON bookings (dealer_id, visitor);
