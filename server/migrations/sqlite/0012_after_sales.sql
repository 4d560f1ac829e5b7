-- Chelink 0012 (SQLite): the owner centre's second half. Service slots cut by their own
-- templates (the test drives' machinery over `service_templates` and `service_slots`) and
-- service bookings of a bound car; reminders made by the scheduler (one per car, kind and due
-- day, whoever runs it) and their WeChat subscription messages; one survey per visit; a
-- points ledger per owner (one entry per source) with the dealer's milestone points; and
-- referrals through an owner's own share link, each kept with the reason a reward was withheld.
-- Keep in step with ../postgres/0012_after_sales.sql.

-- How a store's service slots are cut (as `slot_templates` for test drives).
CREATE TABLE service_templates (
    id           INTEGER PRIMARY KEY,
    store_id     INTEGER NOT NULL,
    weekdays     TEXT    NOT NULL,
    start_min    INTEGER NOT NULL,
    end_min      INTEGER NOT NULL,
    slot_minutes INTEGER NOT NULL,
    capacity     INTEGER NOT NULL,
    CONSTRAINT service_templates_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT service_templates_range_check CHECK (start_min >= 0 AND start_min < end_min AND end_min <= 1440),
    CONSTRAINT service_templates_length_check CHECK (slot_minutes BETWEEN 15 AND 240),
    CONSTRAINT service_templates_capacity_check CHECK (capacity BETWEEN 1 AND 50)
);

ALTER TABLE stores ADD COLUMN service_planned_until TEXT NOT NULL DEFAULT '';

-- A dated service slot: booked never exceeds capacity.
CREATE TABLE service_slots (
    id        INTEGER PRIMARY KEY,
    store_id  INTEGER NOT NULL,
    day       TEXT    NOT NULL,
    start_min INTEGER NOT NULL,
    end_min   INTEGER NOT NULL,
    capacity  INTEGER NOT NULL,
    booked    INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT service_slots_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT service_slots_store_day_start_key UNIQUE (store_id, day, start_min),
    CONSTRAINT service_slots_booked_check CHECK (booked >= 0 AND booked <= capacity),
    CONSTRAINT service_slots_range_check CHECK (start_min >= 0 AND start_min < end_min AND end_min <= 1440)
);

-- An owner's service booking of a car.
CREATE TABLE service_bookings (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL,
    dealer_id    INTEGER NOT NULL,
    store_id     INTEGER NOT NULL,
    slot_id      INTEGER NOT NULL,
    car_id       INTEGER NOT NULL,
    owner_id     INTEGER,
    work         TEXT    NOT NULL,   -- maintenance | repair | inspection | other
    note         TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT 'booked',
    km           INTEGER,            -- the odometer when the work was done
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    completed_at INTEGER,
    completed_by INTEGER,
    CONSTRAINT service_bookings_code_key UNIQUE (code),
    CONSTRAINT service_bookings_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT service_bookings_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT service_bookings_slot_fk FOREIGN KEY (slot_id) REFERENCES service_slots (id) ON DELETE CASCADE,
    CONSTRAINT service_bookings_car_fk FOREIGN KEY (car_id) REFERENCES cars (id) ON DELETE CASCADE,
    CONSTRAINT service_bookings_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE SET NULL,
    CONSTRAINT service_bookings_completed_by_fk FOREIGN KEY (completed_by) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT service_bookings_work_check CHECK (work IN ('maintenance', 'repair', 'inspection', 'other')),
    CONSTRAINT service_bookings_status_check CHECK (status IN ('booked', 'completed', 'no_show', 'cancelled'))
);
-- One open booking per car and slot.
CREATE UNIQUE INDEX service_bookings_slot_car_open ON service_bookings (slot_id, car_id) WHERE status = 'booked';
CREATE INDEX service_bookings_car ON service_bookings (car_id, created_at);
CREATE INDEX service_bookings_store ON service_bookings (store_id, slot_id);

-- Owners: whether they allowed WeChat subscription messages (and their openid in the
-- dealer's official account), the visitor cookie they bound with (a referral from it is
-- their own), and a short lease one scheduler instance holds while it sends to them.
ALTER TABLE owners ADD COLUMN wechat_openid TEXT;
ALTER TABLE owners ADD COLUMN notify INTEGER NOT NULL DEFAULT 0;
ALTER TABLE owners ADD COLUMN visitor TEXT;
ALTER TABLE owners ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;

-- The official account's subscription-message template for reminders.
ALTER TABLE wechat_settings ADD COLUMN reminder_template TEXT NOT NULL DEFAULT '';

-- A reminder: something of a car fell due. Settled: no longer due (the owner booked the
-- service, a newer reading moved the date) and never sent. Sent: the WeChat message went out;
-- sent_to: the owner it went to; attempts and next_try_at: its retries with backoff. Followed up: the advisor's task is done.
CREATE TABLE reminders (
    id             INTEGER PRIMARY KEY,
    dealer_id      INTEGER NOT NULL,
    car_id         INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    due_on         TEXT    NOT NULL,
    detail         TEXT    NOT NULL,
    made_at        INTEGER NOT NULL,
    settled_at     INTEGER,
    sent_at        INTEGER,
    sent_to        INTEGER,
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_try_at    INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    followed_up_at INTEGER,
    followed_up_by INTEGER,
    CONSTRAINT reminders_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT reminders_car_fk FOREIGN KEY (car_id) REFERENCES cars (id) ON DELETE CASCADE,
    CONSTRAINT reminders_sent_to_fk FOREIGN KEY (sent_to) REFERENCES owners (id) ON DELETE SET NULL,
    CONSTRAINT reminders_followed_up_by_fk FOREIGN KEY (followed_up_by) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT reminders_car_kind_due_key UNIQUE (car_id, kind, due_on),
    CONSTRAINT reminders_kind_check CHECK (kind IN ('maintenance', 'inspection', 'insurance', 'service_booking'))
);
CREATE INDEX reminders_open ON reminders (dealer_id, settled_at, followed_up_at);

-- One answer per visit (a test drive or a service), 0–10. A score of 6 or lower is a
-- follow-up task for the manager until one marks it done.
CREATE TABLE surveys (
    id             INTEGER PRIMARY KEY,
    dealer_id      INTEGER NOT NULL,
    visit_kind     TEXT    NOT NULL,   -- test_drive | service
    visit_id       INTEGER NOT NULL,
    owner_id       INTEGER,
    score          INTEGER NOT NULL,
    tags           TEXT    NOT NULL DEFAULT '',
    comment        TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    followed_up_at INTEGER,
    followed_up_by INTEGER,
    CONSTRAINT surveys_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT surveys_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE SET NULL,
    CONSTRAINT surveys_followed_up_by_fk FOREIGN KEY (followed_up_by) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT surveys_visit_key UNIQUE (visit_kind, visit_id),
    CONSTRAINT surveys_kind_check CHECK (visit_kind IN ('test_drive', 'service')),
    CONSTRAINT surveys_score_check CHECK (score BETWEEN 0 AND 10)
);
CREATE INDEX surveys_dealer ON surveys (dealer_id, created_at);

-- What a dealer gives points for, and what they are worth there (the admin's text).
CREATE TABLE loyalty_settings (
    dealer_id              INTEGER NOT NULL,
    survey_points          INTEGER NOT NULL DEFAULT 10,
    service_points         INTEGER NOT NULL DEFAULT 50,
    referral_drive_points  INTEGER NOT NULL DEFAULT 200,
    referral_deliver_points INTEGER NOT NULL DEFAULT 1000,
    worth                  TEXT    NOT NULL DEFAULT '',
    updated_at             INTEGER NOT NULL,
    CONSTRAINT loyalty_settings_pk PRIMARY KEY (dealer_id),
    CONSTRAINT loyalty_settings_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT loyalty_settings_points_check CHECK (survey_points BETWEEN 0 AND 100000
        AND service_points BETWEEN 0 AND 100000 AND referral_drive_points BETWEEN 0 AND 100000
        AND referral_deliver_points BETWEEN 0 AND 100000)
);

-- An owner's points, one entry per source (e.g. `survey:12`, `referral:3:drive`).
CREATE TABLE points_ledger (
    id         INTEGER PRIMARY KEY,
    dealer_id  INTEGER NOT NULL,
    owner_id   INTEGER NOT NULL,
    points     INTEGER NOT NULL,
    reason     TEXT    NOT NULL,   -- survey | service | referral
    detail     TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT points_ledger_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT points_ledger_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE CASCADE,
    CONSTRAINT points_ledger_source_key UNIQUE (owner_id, source),
    CONSTRAINT points_ledger_reason_check CHECK (reason IN ('survey', 'service', 'referral'))
);

-- An owner's referral link is a share link they own (one link system).
ALTER TABLE links ADD COLUMN owner_id INTEGER REFERENCES owners (id) ON DELETE SET NULL;
CREATE INDEX links_owner ON links (owner_id);

-- A friend who came by an owner's link and booked a test drive. Withheld: no reward, and why.
CREATE TABLE referrals (
    id              INTEGER PRIMARY KEY,
    dealer_id       INTEGER NOT NULL,
    owner_id        INTEGER NOT NULL,
    link_id         INTEGER NOT NULL,
    lead_id         INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'booked',   -- booked | test_driven | delivered | withheld
    withheld_reason TEXT,
    created_at      INTEGER NOT NULL,
    CONSTRAINT referrals_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT referrals_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE CASCADE,
    CONSTRAINT referrals_link_fk FOREIGN KEY (link_id) REFERENCES links (id) ON DELETE CASCADE,
    CONSTRAINT referrals_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE,
    CONSTRAINT referrals_lead_key UNIQUE (lead_id),
    CONSTRAINT referrals_status_check CHECK (status IN ('booked', 'test_driven', 'delivered', 'withheld'))
);
CREATE INDEX referrals_owner ON referrals (owner_id, created_at);
