-- Chelink 0009 (PostgreSQL): a version per dealer's catalogue. Every write to what the dealer's
-- catalogue answers and page shells show (its series, trims and prices, the catalogue rows
-- the seed upserts, its consultants' cards) bumps it in the same transaction, so every server
-- instance finds its cached answers stale with one small query a few times a second.
-- Keep in step with ../sqlite/0009_catalogue_versions.sql.

CREATE TABLE catalogue_versions (
    dealer_id BIGINT NOT NULL,
    version   BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT catalogue_versions_pk PRIMARY KEY (dealer_id),
    CONSTRAINT catalogue_versions_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE
);

INSERT INTO catalogue_versions (dealer_id, version) SELECT id, 0 FROM dealers;
