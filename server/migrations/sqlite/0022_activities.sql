-- Chelink 0022 (SQLite): activities (试驾会, 车主讲堂, 新车上市) a dealer runs on a day at a
-- place with so many seats, and the sign-ups to them, each made into a lead. `taken` is the
-- seats signed up for, raised by one conditional update that never passes `seats` (as a
-- test-drive slot's `booked` never passes its capacity). Times are ms since the epoch (UTC);
-- `day` is the Beijing day it is on, 'YYYY-MM-DD'.
-- Keep in step with ../postgres/0022_activities.sql.

CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    dealer_id   INTEGER NOT NULL,
    store_id    INTEGER,            -- the store it is at; NULL: elsewhere (the place says where)
    kind        TEXT    NOT NULL,   -- shared::activity::ActivityKind
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    place       TEXT    NOT NULL,
    seats       INTEGER NOT NULL,
    taken       INTEGER NOT NULL DEFAULT 0,
    series_id   TEXT,               -- the model it is about, if one
    cancelled   INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CONSTRAINT activities_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT activities_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE SET NULL,
    CONSTRAINT activities_staff_fk FOREIGN KEY (created_by) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT activities_kind_check CHECK (kind IN ('test_drive_day', 'owner_class', 'launch')),
    CONSTRAINT activities_seats_check CHECK (seats > 0 AND taken >= 0 AND taken <= seats),
    CONSTRAINT activities_times_check CHECK (starts_at < ends_at)
);
CREATE INDEX activities_dealer ON activities (dealer_id, ends_at);

-- A sign-up: who (name, phone, how many people), the lead it made or touched, and what brought
-- them (visitor, the consultant credited, the link and channel), by the rule test drives use.
CREATE TABLE activity_signups (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL,
    activity_id   INTEGER NOT NULL,
    dealer_id     INTEGER NOT NULL,
    name          TEXT,               -- NULL once the person erased their data
    phone         TEXT,
    party_size    INTEGER NOT NULL,
    lead_id       INTEGER NOT NULL,
    visitor       TEXT,
    consultant_id INTEGER,
    link_id       INTEGER,
    channel       TEXT,
    created_at    INTEGER NOT NULL,
    CONSTRAINT activity_signups_code_unique UNIQUE (dealer_id, code),
    CONSTRAINT activity_signups_phone_unique UNIQUE (activity_id, phone),
    CONSTRAINT activity_signups_activity_fk FOREIGN KEY (activity_id) REFERENCES activities (id) ON DELETE CASCADE,
    CONSTRAINT activity_signups_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT activity_signups_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE,
    CONSTRAINT activity_signups_staff_fk FOREIGN KEY (consultant_id) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT activity_signups_party_check CHECK (party_size BETWEEN 1 AND 5)
);
CREATE INDEX activity_signups_lead ON activity_signups (lead_id);
