-- Chelink 0010 (SQLite): the owner centre. A service advisor role (服务顾问) for staff; cars
-- delivered from a lead (VIN unique per dealer, plate, dates, odometer, advisor); one-time
-- binding codes that tie a car to an owner's cookie (7 days, used once, a new code ends the
-- old binding, every binding kept); odometer readings that never go down (the car's own
-- odometer only moves up, guarded by a conditional UPDATE and a CHECK); per-series
-- maintenance plans the dealer edits (demo ones marked) and the series' warranty terms.
-- Reminders, service bookings, surveys and points will hang on cars and owners.
-- Keep in step with ../postgres/0010_owners.sql.
--
-- SQLite cannot change a CHECK in place and sqlx runs a migration inside a transaction, where
-- foreign keys cannot be switched off: the staff table's role check gains 'service_advisor'
-- by the documented rebuild in `server/src/db.rs` (`sqlite_staff_roles`), run once after
-- the migrations.

-- Someone who bound a car; their browser holds a signed cookie naming them.
CREATE TABLE owners (
    id         INTEGER PRIMARY KEY,
    dealer_id  INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT owners_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE
);

-- A car a dealer delivered. Dates are YYYY-MM-DD; odometer_km is the highest reading.
CREATE TABLE cars (
    id                   INTEGER PRIMARY KEY,
    dealer_id            INTEGER NOT NULL,
    lead_id              INTEGER,
    series_id            TEXT    NOT NULL,
    trim_id              TEXT    NOT NULL,
    vin                  TEXT    NOT NULL,
    plate                TEXT    NOT NULL,
    delivered_on         TEXT    NOT NULL,
    registered_on        TEXT    NOT NULL,
    insurance_ends_on    TEXT,
    odometer_km          INTEGER NOT NULL,
    old_inspection_cycle INTEGER NOT NULL DEFAULT 0,   -- 1: the pre-2022 annual cycle applies
    advisor_id           INTEGER,
    delivered_by         INTEGER,
    created_at           INTEGER NOT NULL,
    CONSTRAINT cars_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT cars_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE SET NULL,
    CONSTRAINT cars_series_fk FOREIGN KEY (series_id) REFERENCES series (id),
    CONSTRAINT cars_trim_fk FOREIGN KEY (trim_id) REFERENCES trims (id),
    CONSTRAINT cars_advisor_fk FOREIGN KEY (advisor_id) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT cars_delivered_by_fk FOREIGN KEY (delivered_by) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT cars_dealer_vin_key UNIQUE (dealer_id, vin),
    CONSTRAINT cars_vin_check CHECK (length(vin) = 17),
    CONSTRAINT cars_odometer_check CHECK (odometer_km >= 0),
    CONSTRAINT cars_dates_check CHECK (registered_on <= delivered_on),
    CONSTRAINT cars_old_cycle_check CHECK (old_inspection_cycle IN (0, 1))
);
CREATE INDEX cars_dealer_plate ON cars (dealer_id, plate);
CREATE INDEX cars_lead ON cars (lead_id);

-- A binding code and, once used, the binding it made. Waiting: not bound, not ended; bound:
-- bound_at set, not ended; ended by a newer code (ended_at). One of each per car at most.
CREATE TABLE car_bindings (
    id         INTEGER PRIMARY KEY,
    car_id     INTEGER NOT NULL,
    code       TEXT    NOT NULL,
    issued_by  INTEGER,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    owner_id   INTEGER,
    bound_at   INTEGER,
    ended_at   INTEGER,
    CONSTRAINT car_bindings_car_fk FOREIGN KEY (car_id) REFERENCES cars (id) ON DELETE CASCADE,
    CONSTRAINT car_bindings_issued_by_fk FOREIGN KEY (issued_by) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT car_bindings_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE SET NULL,
    CONSTRAINT car_bindings_code_key UNIQUE (code)
);
CREATE UNIQUE INDEX car_bindings_one_bound ON car_bindings (car_id) WHERE bound_at IS NOT NULL AND ended_at IS NULL;
CREATE UNIQUE INDEX car_bindings_one_waiting ON car_bindings (car_id) WHERE bound_at IS NULL AND ended_at IS NULL;
CREATE INDEX car_bindings_owner ON car_bindings (owner_id);

-- An odometer reading, by the owner or a staff member (the delivery's first one by staff).
CREATE TABLE mileage_readings (
    id         INTEGER PRIMARY KEY,
    car_id     INTEGER NOT NULL,
    day        TEXT    NOT NULL,
    km         INTEGER NOT NULL,
    owner_id   INTEGER,
    staff_id   INTEGER,
    plausible  INTEGER NOT NULL DEFAULT 1,   -- 0: more than 1,000 km a day since the last
    created_at INTEGER NOT NULL,
    CONSTRAINT mileage_readings_car_fk FOREIGN KEY (car_id) REFERENCES cars (id) ON DELETE CASCADE,
    CONSTRAINT mileage_readings_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE SET NULL,
    CONSTRAINT mileage_readings_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT mileage_readings_km_check CHECK (km >= 0)
);
CREATE INDEX mileage_readings_car ON mileage_readings (car_id, id);

-- A dealer's maintenance plan per series (先到为准); demo = 1: a demo plan, not the maker's.
CREATE TABLE maintenance_plans (
    dealer_id       INTEGER NOT NULL,
    series_id       TEXT    NOT NULL,
    first_km        INTEGER NOT NULL,
    first_months    INTEGER NOT NULL,
    interval_km     INTEGER NOT NULL,
    interval_months INTEGER NOT NULL,
    demo            INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL,
    CONSTRAINT maintenance_plans_pk PRIMARY KEY (dealer_id, series_id),
    CONSTRAINT maintenance_plans_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT maintenance_plans_series_fk FOREIGN KEY (series_id) REFERENCES series (id),
    CONSTRAINT maintenance_plans_km_check CHECK (first_km BETWEEN 500 AND 100000 AND interval_km BETWEEN 500 AND 100000),
    CONSTRAINT maintenance_plans_months_check CHECK (first_months BETWEEN 1 AND 48 AND interval_months BETWEEN 1 AND 48),
    CONSTRAINT maintenance_plans_demo_check CHECK (demo IN (0, 1))
);

-- A series' warranty (整车质保): years and km from delivery, whichever first (km NULL: no limit).
CREATE TABLE warranty_terms (
    series_id TEXT    NOT NULL,
    years     INTEGER NOT NULL,
    km        INTEGER,
    demo      INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT warranty_terms_pk PRIMARY KEY (series_id),
    CONSTRAINT warranty_terms_series_fk FOREIGN KEY (series_id) REFERENCES series (id),
    CONSTRAINT warranty_terms_check CHECK (years BETWEEN 1 AND 20 AND (km IS NULL OR km > 0)),
    CONSTRAINT warranty_terms_demo_check CHECK (demo IN (0, 1))
);

