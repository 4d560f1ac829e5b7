-- Chelink 0019 (SQLite): a dealer's own catalogue entries and its spec-sheet imports.
-- A series or trim with a dealer_id is that dealer's own (自有): only it sees, sells and edits
-- it; NULL is the platform's, read-only for dealers. Own ids are generated (`own-...`), a
-- prefix no platform slug uses (the seed refuses it). An own trim may belong to a platform
-- series (a new model year) or to the dealer's own series.
-- A spec-sheet import (参数配置表) keeps its plan (the changes it makes, old → new, and the
-- trims it creates) from preview to confirmation, so an undo restores what it replaced.
-- Keep in step with ../postgres/0019_own_catalogue.sql.

ALTER TABLE series ADD COLUMN dealer_id INTEGER
    CONSTRAINT series_dealer_fk REFERENCES dealers (id) ON DELETE CASCADE;
CREATE INDEX series_dealer ON series (dealer_id);
ALTER TABLE trims ADD COLUMN dealer_id INTEGER
    CONSTRAINT trims_dealer_fk REFERENCES dealers (id) ON DELETE CASCADE;
CREATE INDEX trims_dealer ON trims (dealer_id);

CREATE TABLE spec_imports (
    id           INTEGER PRIMARY KEY,
    dealer_id    INTEGER NOT NULL,
    series_id    TEXT    NOT NULL,
    staff_id     INTEGER NOT NULL,
    file_name    TEXT    NOT NULL,
    plan         TEXT    NOT NULL,              -- JSON: shared::spec_sheet::Plan
    status       TEXT    NOT NULL,              -- preview | confirmed | undone
    created_at   INTEGER NOT NULL,              -- ms since the epoch
    confirmed_at INTEGER,
    undone_at    INTEGER,
    CONSTRAINT spec_imports_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT spec_imports_series_fk FOREIGN KEY (series_id) REFERENCES series (id) ON DELETE CASCADE,
    CONSTRAINT spec_imports_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id),
    CONSTRAINT spec_imports_status_check CHECK (status IN ('preview', 'confirmed', 'undone'))
);
CREATE INDEX spec_imports_dealer ON spec_imports (dealer_id, created_at);
