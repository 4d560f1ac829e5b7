-- Chelink 0015 (PostgreSQL): what decides whether a car keeps the 2022 inspection exemption or
-- follows Art. 16 of the implementing regulations: its manufacture date (出厂日期, recorded at
-- delivery when known), and an accident with casualties or a penalty for illegal modification,
-- which staff mark later on the car's page. `old_inspection_cycle` (0010) is no longer read:
-- the cycle follows from these facts (shared::inspection::InspectionFacts); it stays, always 0,
-- so both dialects keep the same columns.
-- Keep in step with ../sqlite/0015_inspection_facts.sql.

ALTER TABLE cars ADD COLUMN manufactured_on TEXT
    CONSTRAINT cars_manufactured_check CHECK (manufactured_on IS NULL OR manufactured_on <= registered_on);
ALTER TABLE cars ADD COLUMN casualty_accident BIGINT NOT NULL DEFAULT 0
    CONSTRAINT cars_casualty_check CHECK (casualty_accident IN (0, 1));
ALTER TABLE cars ADD COLUMN modification_penalty BIGINT NOT NULL DEFAULT 0
    CONSTRAINT cars_modification_check CHECK (modification_penalty IN (0, 1));
