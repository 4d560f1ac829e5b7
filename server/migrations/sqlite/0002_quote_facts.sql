-- Chelink 0002 (SQLite): what an on-the-road price depends on besides the price. Per trim its
-- engine displacement (车船税) and equivalent all-electric range, and its dated listings in
-- the MIIT catalogue of relief-qualifying models; per dealer its province's 车船税 amounts
-- and the loan rate it shows by default. Keep in step with ../postgres/0002_quote_facts.sql.

ALTER TABLE trims ADD COLUMN displacement_ml INTEGER CHECK (displacement_ml IS NULL OR displacement_ml BETWEEN 100 AND 10000);
ALTER TABLE trims ADD COLUMN eaer_km INTEGER CHECK (eaer_km IS NULL OR eaer_km >= 0);

-- A trim listed (1) or not (0) in the catalogue for a relief period; no row is unknown.
CREATE TABLE trim_listings (
    trim_id TEXT    NOT NULL,
    period  TEXT    NOT NULL,   -- 2014-2023 | 2024-2025 | 2026-2027
    listed  INTEGER NOT NULL,   -- 0 | 1
    source  TEXT    NOT NULL,   -- where the fact comes from
    CONSTRAINT trim_listings_pk PRIMARY KEY (trim_id, period),
    CONSTRAINT trim_listings_trim_fk FOREIGN KEY (trim_id) REFERENCES trims (id) ON DELETE CASCADE,
    CONSTRAINT trim_listings_period_check CHECK (period IN ('2014-2023', '2024-2025', '2026-2027')),
    CONSTRAINT trim_listings_listed_check CHECK (listed IN (0, 1))
);

ALTER TABLE dealers ADD COLUMN province TEXT NOT NULL DEFAULT '';
ALTER TABLE dealers ADD COLUMN vessel_tax_source TEXT;   -- NULL: demo amounts (演示)
ALTER TABLE dealers ADD COLUMN loan_rate_bp INTEGER NOT NULL DEFAULT 350 CHECK (loan_rate_bp BETWEEN 0 AND 3600);

-- The dealer's province's yearly 车船税 per displacement band (0: up to 1.0 L … 6: over
-- 4.0 L), each inside the national range of the 车船税法 schedule.
CREATE TABLE dealer_vessel_tax (
    dealer_id   INTEGER NOT NULL,
    band        INTEGER NOT NULL,
    annual_yuan INTEGER NOT NULL,
    CONSTRAINT dealer_vessel_tax_pk PRIMARY KEY (dealer_id, band),
    CONSTRAINT dealer_vessel_tax_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT dealer_vessel_tax_band_check CHECK (band BETWEEN 0 AND 6),
    CONSTRAINT dealer_vessel_tax_amount_check CHECK (annual_yuan BETWEEN
        CASE band WHEN 0 THEN 60 WHEN 1 THEN 300 WHEN 2 THEN 360 WHEN 3 THEN 660
                  WHEN 4 THEN 1200 WHEN 5 THEN 2400 ELSE 3600 END
        AND
        CASE band WHEN 0 THEN 360 WHEN 1 THEN 540 WHEN 2 THEN 660 WHEN 3 THEN 1200
                  WHEN 4 THEN 2400 WHEN 5 THEN 3600 ELSE 5400 END)
);
