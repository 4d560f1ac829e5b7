-- Chelink 0006 (SQLite): attribution and the share tree. Each dealer sets how long a first
-- touch through a staff member's link keeps its credit; a visitor's own link ("分享给朋友")
-- remembers the staff link at the top of its chain; a friend who opens a visitor's link is
-- that visitor's referral (one referrer per visitor, the first); the first lead that gets a
-- consultant binds the visitor to them; leads and bookings keep the link, visitor, referrer
-- and level that brought them, and bookings their own page, button and channel. Times are
-- Unix milliseconds. Keep in step with ../postgres/0006_attribution.sql.

-- Days a first touch through a staff link credits its owner (shared::attribution).
ALTER TABLE dealers ADD COLUMN attribution_days INTEGER NOT NULL DEFAULT 30
    CONSTRAINT dealers_attribution_days_check CHECK (attribution_days BETWEEN 1 AND 365);

-- A visitor's link: the staff link their chain started from (none for a staff link itself,
-- or when the visitor came without one).
ALTER TABLE links ADD COLUMN root_link_id INTEGER
    CONSTRAINT links_root_fk REFERENCES links (id) ON DELETE SET NULL;
CREATE INDEX links_root ON links (root_link_id);
-- One link per visitor, page and channel: asking again gives the same link back.
CREATE UNIQUE INDEX links_visitor_target_key ON links (dealer_id, visitor, target, channel)
    WHERE visitor IS NOT NULL;
CREATE INDEX link_visits_visitor ON link_visits (visitor, at);

-- Who forwarded to whom: a visitor opened `referrer`'s own link; `level` is the visitor's
-- place in the chain (the referrer's level + 1; a visitor nobody referred is level 1).
CREATE TABLE visitor_referrals (
    dealer_id INTEGER NOT NULL,
    visitor   TEXT    NOT NULL,
    referrer  TEXT    NOT NULL,
    link_id   INTEGER NOT NULL,
    level     INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    CONSTRAINT visitor_referrals_pk PRIMARY KEY (dealer_id, visitor),
    CONSTRAINT visitor_referrals_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT visitor_referrals_link_fk FOREIGN KEY (link_id) REFERENCES links (id) ON DELETE CASCADE,
    CONSTRAINT visitor_referrals_self_check CHECK (visitor <> referrer),
    CONSTRAINT visitor_referrals_level_check CHECK (level >= 2)
);
CREATE INDEX visitor_referrals_referrer ON visitor_referrals (dealer_id, referrer);

-- The consultant a visitor belongs to, set by their first lead that got one.
CREATE TABLE visitor_bindings (
    dealer_id INTEGER NOT NULL,
    visitor   TEXT    NOT NULL,
    staff_id  INTEGER NOT NULL,
    lead_id   INTEGER NOT NULL,
    bound_at  INTEGER NOT NULL,
    CONSTRAINT visitor_bindings_pk PRIMARY KEY (dealer_id, visitor),
    CONSTRAINT visitor_bindings_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT visitor_bindings_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE CASCADE,
    CONSTRAINT visitor_bindings_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE
);

-- What brought a lead (its first booking or enquiry): the visitor's last link, the visitor,
-- their referrer and level, and how its consultant was chosen (shared::attribution::Credit).
ALTER TABLE leads ADD COLUMN origin_link_id INTEGER
    CONSTRAINT leads_origin_link_fk REFERENCES links (id) ON DELETE SET NULL;
ALTER TABLE leads ADD COLUMN visitor TEXT;
ALTER TABLE leads ADD COLUMN referrer TEXT;
ALTER TABLE leads ADD COLUMN referral_level INTEGER;
ALTER TABLE leads ADD COLUMN credited_by TEXT
    CONSTRAINT leads_credited_by_check CHECK (credited_by IN ('bound', 'link', 'referrer', 'round_robin'));
CREATE INDEX leads_visitor ON leads (dealer_id, visitor);
CREATE INDEX leads_origin_link ON leads (origin_link_id);

-- What brought a booking: the same, and its own page, button and channel.
ALTER TABLE bookings ADD COLUMN link_id INTEGER
    CONSTRAINT bookings_link_fk REFERENCES links (id) ON DELETE SET NULL;
ALTER TABLE bookings ADD COLUMN channel TEXT;
ALTER TABLE bookings ADD COLUMN page TEXT;
ALTER TABLE bookings ADD COLUMN button TEXT;
ALTER TABLE bookings ADD COLUMN visitor TEXT;
ALTER TABLE bookings ADD COLUMN referrer TEXT;
ALTER TABLE bookings ADD COLUMN referral_level INTEGER;
CREATE INDEX bookings_link ON bookings (link_id);
