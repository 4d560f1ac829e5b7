-- Chelink 0001 (SQLite): dealers (tenants) and their stores, and the general catalogue
-- brand → series → trim → specs, with the spec layout the comparison table uses.
-- Column types are only INTEGER (BIGINT), TEXT and REAL, so sqlx's Any driver decodes the
-- same Rust types on SQLite and PostgreSQL. Flags are 0/1 integers. Catalogue ids are text
-- slugs; dealers and stores have integer ids. Keep in step with ../postgres/0001_catalogue.sql.

-- A dealer (经销商): the tenant every consumer URL starts with (/{slug}/...).
CREATE TABLE dealers (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    brand_color TEXT    NOT NULL,   -- #RRGGBB
    phone       TEXT    NOT NULL,
    CONSTRAINT dealers_slug_key UNIQUE (slug)
);

-- A showroom or service site of a dealer.
CREATE TABLE stores (
    id            INTEGER PRIMARY KEY,
    dealer_id     INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    address       TEXT    NOT NULL,
    city          TEXT    NOT NULL,
    phone         TEXT    NOT NULL,
    opening_hours TEXT    NOT NULL,   -- as shown to people, e.g. 09:00-18:00
    position      INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT stores_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT stores_dealer_name_key UNIQUE (dealer_id, name)
);

CREATE TABLE brands (
    id       TEXT    NOT NULL,   -- slug, e.g. byd
    name_zh  TEXT    NOT NULL,
    name_en  TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT brands_pk PRIMARY KEY (id)
);

-- A series (车系).
CREATE TABLE series (
    id           TEXT    NOT NULL,
    brand_id     TEXT    NOT NULL,
    name_zh      TEXT    NOT NULL,
    name_en      TEXT    NOT NULL,
    search_keys  TEXT    NOT NULL DEFAULT '',   -- lower-case pinyin and initials, space-separated
    body_type    TEXT    NOT NULL,              -- sedan | suv | mpv | hatchback
    energy_types TEXT    NOT NULL,              -- comma-separated: petrol,hybrid,phev,erev,bev
    status       TEXT    NOT NULL,              -- on_sale | coming_soon | discontinued | unknown
    guide_min    INTEGER,                       -- published 厂商指导价 range in yuan, when known
    guide_max    INTEGER,
    position     INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT series_pk PRIMARY KEY (id),
    CONSTRAINT series_brand_fk FOREIGN KEY (brand_id) REFERENCES brands (id)
);

-- A trim (车型) and its specs: a JSON object {spec item key: true|false|number|text};
-- an unknown value is absent, never false.
CREATE TABLE trims (
    id          TEXT    NOT NULL,
    series_id   TEXT    NOT NULL,
    name_zh     TEXT    NOT NULL,
    model_year  INTEGER,
    guide_price INTEGER,             -- 厂商指导价 in yuan, when published
    energy_type TEXT,
    seats       INTEGER,
    specs       TEXT    NOT NULL DEFAULT '{}',
    position    INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT trims_pk PRIMARY KEY (id),
    CONSTRAINT trims_series_fk FOREIGN KEY (series_id) REFERENCES series (id)
);
CREATE INDEX trims_series_idx ON trims (series_id);

-- The standard spec layout (参数配置表): groups and their rows in display order.
CREATE TABLE spec_groups (
    key      TEXT    NOT NULL,
    name_zh  TEXT    NOT NULL,
    position INTEGER NOT NULL,
    CONSTRAINT spec_groups_pk PRIMARY KEY (key)
);

CREATE TABLE spec_items (
    key       TEXT    NOT NULL,   -- unique across groups: a trim's specs are one flat object
    group_key TEXT    NOT NULL,
    name_zh   TEXT    NOT NULL,
    unit      TEXT,
    better    TEXT,               -- higher | lower, where that is clearly better
    position  INTEGER NOT NULL,
    CONSTRAINT spec_items_pk PRIMARY KEY (key),
    CONSTRAINT spec_items_group_fk FOREIGN KEY (group_key) REFERENCES spec_groups (key)
);

-- The series a dealer sells, in the dealer's order; featured ones lead the home page.
CREATE TABLE dealer_series (
    dealer_id INTEGER NOT NULL,
    series_id TEXT    NOT NULL,
    featured  INTEGER NOT NULL DEFAULT 0,   -- 0 | 1
    position  INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT dealer_series_pk PRIMARY KEY (dealer_id, series_id),
    CONSTRAINT dealer_series_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT dealer_series_series_fk FOREIGN KEY (series_id) REFERENCES series (id)
);

-- The trims a dealer sells, with its own price when it sets one (else the guide price holds).
CREATE TABLE dealer_trims (
    dealer_id    INTEGER NOT NULL,
    trim_id      TEXT    NOT NULL,
    dealer_price INTEGER,
    CONSTRAINT dealer_trims_pk PRIMARY KEY (dealer_id, trim_id),
    CONSTRAINT dealer_trims_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT dealer_trims_trim_fk FOREIGN KEY (trim_id) REFERENCES trims (id),
    CONSTRAINT dealer_trims_price_check CHECK (dealer_price IS NULL OR dealer_price >= 0)
);
