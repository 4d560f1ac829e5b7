-- Chelink 0020 (SQLite): a dealer's photos of what it sells. The files live in the media store
-- (a local directory or an S3 bucket, `media_store.rs`), addressed by content hash as
-- /media/{hash}-{width}.webp at each of `widths` (comma-separated, narrowest first); a row
-- is one dealer's use of them: a series' cover (one per dealer and series), its gallery (in
-- `position` order), or a trim in a colour. Another dealer never sees them. Keep in step
-- with ../postgres/0020_photos.sql.

CREATE TABLE photos (
    id         INTEGER PRIMARY KEY,
    dealer_id  INTEGER NOT NULL,
    series_id  TEXT    NOT NULL,
    trim_id    TEXT,               -- a colour's trim
    kind       TEXT    NOT NULL,   -- shared::photo::PhotoKind: cover, gallery, colour
    colour     TEXT,               -- a colour's name (冰川白)
    hash       TEXT    NOT NULL,
    width      INTEGER NOT NULL,   -- the largest stored width, orientation applied
    height     INTEGER NOT NULL,
    widths     TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    created_by INTEGER,            -- the staff member who uploaded it
    created_at INTEGER NOT NULL,   -- ms since the epoch
    CONSTRAINT photos_kind_check CHECK (kind IN ('cover', 'gallery', 'colour')),
    CONSTRAINT photos_colour_check CHECK ((kind = 'colour') = (trim_id IS NOT NULL AND colour IS NOT NULL)),
    CONSTRAINT photos_size_check CHECK (width > 0 AND height > 0),
    CONSTRAINT photos_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT photos_series_fk FOREIGN KEY (series_id) REFERENCES series (id) ON DELETE CASCADE,
    CONSTRAINT photos_trim_fk FOREIGN KEY (trim_id) REFERENCES trims (id) ON DELETE CASCADE,
    CONSTRAINT photos_staff_fk FOREIGN KEY (created_by) REFERENCES staff (id) ON DELETE SET NULL
);
CREATE INDEX photos_series ON photos (dealer_id, series_id, kind, position);
-- One cover per dealer and series: a new one replaces the old in the same transaction.
CREATE UNIQUE INDEX photos_one_cover ON photos (dealer_id, series_id) WHERE kind = 'cover';
