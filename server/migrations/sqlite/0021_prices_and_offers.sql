-- Chelink 0021 (SQLite): a dealer price holds between two days, and every change to it is
-- logged (who, when, old → new); what buyers search for (热门搜索); offers (购车 and 用车) per series or trim, valid between two
-- days at all or some stores. Days are 'YYYY-MM-DD' in Beijing time, so they compare as text;
-- what is current is decided by the day a page is asked on, never by a job.
-- Keep in step with ../postgres/0021_prices_and_offers.sql.

ALTER TABLE dealer_trims ADD COLUMN price_from TEXT;    -- first day the dealer price holds; NULL: from when it was set
ALTER TABLE dealer_trims ADD COLUMN price_until TEXT;   -- last day it holds; NULL: until changed

CREATE TABLE dealer_price_changes (
    id          INTEGER PRIMARY KEY,
    dealer_id   INTEGER NOT NULL,
    trim_id     TEXT    NOT NULL,
    staff_id    INTEGER,            -- who changed it
    at          INTEGER NOT NULL,   -- ms since the epoch
    old_price   INTEGER,
    old_from    TEXT,
    old_until   TEXT,
    new_price   INTEGER,
    new_from    TEXT,
    new_until   TEXT,
    CONSTRAINT dealer_price_changes_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT dealer_price_changes_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE SET NULL
);
CREATE INDEX dealer_price_changes_dealer ON dealer_price_changes (dealer_id, at);

CREATE TABLE offers (
    id          INTEGER PRIMARY KEY,
    dealer_id   INTEGER NOT NULL,
    series_id   TEXT    NOT NULL,
    trim_id     TEXT,               -- NULL: every trim of the series
    kind        TEXT    NOT NULL,   -- shared::offer::OfferKind
    amount_yuan INTEGER,            -- NULL: the text says what it is
    detail      TEXT    NOT NULL,
    valid_from  TEXT    NOT NULL,
    valid_until TEXT    NOT NULL,
    created_by  INTEGER,
    created_at  INTEGER NOT NULL,   -- ms since the epoch
    CONSTRAINT offers_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT offers_staff_fk FOREIGN KEY (created_by) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT offers_kind_check CHECK (kind IN ('price_cut', 'finance', 'trade_in', 'free_maintenance', 'charging')),
    CONSTRAINT offers_amount_check CHECK (amount_yuan IS NULL OR amount_yuan > 0),
    CONSTRAINT offers_dates_check CHECK (valid_from <= valid_until)
);
CREATE INDEX offers_dealer ON offers (dealer_id, valid_until);

-- The stores an offer holds at; none: every store of the dealer.
CREATE TABLE offer_stores (
    offer_id INTEGER NOT NULL,
    store_id INTEGER NOT NULL,
    CONSTRAINT offer_stores_pk PRIMARY KEY (offer_id, store_id),
    CONSTRAINT offer_stores_offer_fk FOREIGN KEY (offer_id) REFERENCES offers (id) ON DELETE CASCADE,
    CONSTRAINT offer_stores_store_fk FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE
);

-- What buyers searched the catalogue for (staff excluded), for 热门搜索: the query as
-- normalised (trimmed, lower case), the visitor who searched, when. Only queries that found
-- a series are kept, so nothing shows as hot that the dealer does not sell.
CREATE TABLE searches (
    id         INTEGER PRIMARY KEY,
    dealer_id  INTEGER NOT NULL,
    query      TEXT    NOT NULL,
    visitor_id TEXT    NOT NULL,
    at         INTEGER NOT NULL,   -- ms since the epoch
    CONSTRAINT searches_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE
);
CREATE INDEX searches_dealer_at ON searches (dealer_id, at);
