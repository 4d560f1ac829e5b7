-- Chelink 0003 (SQLite): test drives and leads. Per store its opening hours, closures, slot
-- templates and test-drive cars, and the dated slots they plan, whose seats the database
-- itself guards (booked never exceeds capacity); the dealer's staff; leads (one per dealer
-- and phone) with their timeline; bookings; replayable answers to idempotent requests; and
-- the server's own secrets. Times are Unix milliseconds, days YYYY-MM-DD, times of day
-- minutes after midnight. Keep in step with ../postgres/0003_bookings.sql.

-- Opening hours; a weekday may have two rows (a midday break), a weekday without rows is closed.
CREATE TABLE store_hours (
    store_id  INTEGER NOT NULL,
    weekday   INTEGER NOT NULL,   -- 1 Monday … 7 Sunday
    open_min  INTEGER NOT NULL,
    close_min INTEGER NOT NULL,
    CONSTRAINT store_hours_pk PRIMARY KEY (store_id, weekday, open_min),
    CONSTRAINT store_hours_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT store_hours_weekday_check CHECK (weekday BETWEEN 1 AND 7),
    CONSTRAINT store_hours_range_check CHECK (open_min >= 0 AND open_min < close_min AND close_min <= 1440)
);

-- A day the store is closed (a holiday).
CREATE TABLE store_closures (
    store_id INTEGER NOT NULL,
    day      TEXT    NOT NULL,
    reason   TEXT    NOT NULL,
    CONSTRAINT store_closures_pk PRIMARY KEY (store_id, day),
    CONSTRAINT store_closures_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE
);

-- How a store's test-drive slots are cut: on these weekdays, from start to end, so long, so many cars.
CREATE TABLE slot_templates (
    id           INTEGER PRIMARY KEY,
    store_id     INTEGER NOT NULL,
    weekdays     TEXT    NOT NULL,   -- e.g. 1,2,3,4,5
    start_min    INTEGER NOT NULL,
    end_min      INTEGER NOT NULL,
    slot_minutes INTEGER NOT NULL,
    capacity     INTEGER NOT NULL,
    CONSTRAINT slot_templates_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT slot_templates_range_check CHECK (start_min >= 0 AND start_min < end_min AND end_min <= 1440),
    CONSTRAINT slot_templates_length_check CHECK (slot_minutes BETWEEN 15 AND 240),
    CONSTRAINT slot_templates_capacity_check CHECK (capacity BETWEEN 1 AND 50)
);

-- A series the store has a test-drive car of.
CREATE TABLE test_drive_cars (
    store_id  INTEGER NOT NULL,
    series_id TEXT    NOT NULL,
    CONSTRAINT test_drive_cars_pk PRIMARY KEY (store_id, series_id),
    CONSTRAINT test_drive_cars_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT test_drive_cars_series_fk FOREIGN KEY (series_id) REFERENCES series (id) ON DELETE CASCADE
);

-- The last day a store's slots have been planned up to (from its templates).
ALTER TABLE stores ADD COLUMN planned_until TEXT NOT NULL DEFAULT '';

-- A dated slot: the database refuses booked > capacity, whoever writes.
CREATE TABLE slots (
    id        INTEGER PRIMARY KEY,
    store_id  INTEGER NOT NULL,
    day       TEXT    NOT NULL,
    start_min INTEGER NOT NULL,
    end_min   INTEGER NOT NULL,
    capacity  INTEGER NOT NULL,
    booked    INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT slots_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT slots_store_day_start_key UNIQUE (store_id, day, start_min),
    CONSTRAINT slots_booked_check CHECK (booked >= 0 AND booked <= capacity),
    CONSTRAINT slots_range_check CHECK (start_min >= 0 AND start_min < end_min AND end_min <= 1440)
);

-- A member of a dealer's staff.
CREATE TABLE staff (
    id               INTEGER PRIMARY KEY,
    dealer_id        INTEGER NOT NULL,
    role             TEXT    NOT NULL,   -- admin | manager | consultant
    name             TEXT    NOT NULL,
    phone            TEXT    NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    last_assigned_at INTEGER NOT NULL DEFAULT 0,   -- round-robin: the least recently given a lead goes next
    CONSTRAINT staff_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT staff_dealer_name_key UNIQUE (dealer_id, name),
    CONSTRAINT staff_role_check CHECK (role IN ('admin', 'manager', 'consultant')),
    CONSTRAINT staff_active_check CHECK (active IN (0, 1))
);

-- The stores a consultant serves.
CREATE TABLE staff_stores (
    staff_id INTEGER NOT NULL,
    store_id INTEGER NOT NULL,
    CONSTRAINT staff_stores_pk PRIMARY KEY (staff_id, store_id),
    CONSTRAINT staff_stores_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE CASCADE,
    CONSTRAINT staff_stores_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE
);

-- A lead: one per dealer and phone. Erased, it keeps no name or phone, only its counts.
CREATE TABLE leads (
    id              INTEGER PRIMARY KEY,
    dealer_id       INTEGER NOT NULL,
    phone           TEXT,
    name            TEXT,
    consultant_id   INTEGER,
    store_id        INTEGER,
    status          TEXT    NOT NULL DEFAULT 'new',
    lost_reason     TEXT,
    series_id       TEXT,
    trim_id         TEXT,
    origin_page     TEXT    NOT NULL,
    origin_button   TEXT    NOT NULL,
    origin_channel  TEXT,
    consent_version TEXT,
    consent_at      INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    erased_at       INTEGER,
    CONSTRAINT leads_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT leads_consultant_fk FOREIGN KEY (consultant_id) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT leads_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE SET NULL,
    CONSTRAINT leads_dealer_phone_key UNIQUE (dealer_id, phone),
    CONSTRAINT leads_status_check CHECK (status IN ('new', 'contacted', 'test_driven', 'ordered', 'delivered', 'lost'))
);

-- What happened to a lead, in order.
CREATE TABLE lead_events (
    id       INTEGER PRIMARY KEY,
    lead_id  INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    staff_id INTEGER,
    detail   TEXT    NOT NULL DEFAULT '',
    CONSTRAINT lead_events_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE,
    CONSTRAINT lead_events_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT lead_events_kind_check CHECK (kind IN ('booked', 'rescheduled', 'cancelled', 'enquired', 'assigned', 'status', 'note', 'call', 'erased'))
);
CREATE INDEX lead_events_lead ON lead_events (lead_id, at);

-- A test-drive booking. Erased, it keeps no name or phone.
CREATE TABLE bookings (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL,
    dealer_id  INTEGER NOT NULL,
    store_id   INTEGER NOT NULL,
    slot_id    INTEGER NOT NULL,
    lead_id    INTEGER NOT NULL,
    series_id  TEXT    NOT NULL,
    trim_id    TEXT,
    licence    TEXT,
    name       TEXT,
    phone      TEXT,
    status     TEXT    NOT NULL DEFAULT 'booked',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT bookings_code_key UNIQUE (code),
    CONSTRAINT bookings_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT bookings_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT bookings_slot_fk FOREIGN KEY (slot_id) REFERENCES slots (id) ON DELETE CASCADE,
    CONSTRAINT bookings_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE,
    CONSTRAINT bookings_licence_check CHECK (licence IS NULL OR licence IN ('C1', 'C2')),
    CONSTRAINT bookings_status_check CHECK (status IN ('booked', 'confirmed', 'arrived', 'completed', 'no_show', 'cancelled'))
);
-- One open booking per phone and slot.
CREATE UNIQUE INDEX bookings_slot_phone_open ON bookings (slot_id, phone) WHERE status IN ('booked', 'confirmed');
CREATE INDEX bookings_dealer_phone ON bookings (dealer_id, phone);

-- The first answer to a request sent with an Idempotency-Key, replayed to its retries.
CREATE TABLE idempotent_requests (
    dealer_id    INTEGER NOT NULL,
    idem_key     TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    CONSTRAINT idempotent_requests_pk PRIMARY KEY (dealer_id, idem_key),
    CONSTRAINT idempotent_requests_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE
);

-- Keys every instance shares (the cookie key), made once by the first server to start.
CREATE TABLE server_secrets (
    name  TEXT NOT NULL,
    value TEXT NOT NULL,
    CONSTRAINT server_secrets_pk PRIMARY KEY (name)
);
