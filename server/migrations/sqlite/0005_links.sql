-- Chelink 0005 (SQLite): share links. A link belongs to a dealer, is owned by a staff member
-- or by a visitor (their own "分享给朋友" link), opens one of the dealer's pages and is made
-- for a channel; every fetch of it is kept, a person's as a click, a preview card's (chat
-- apps, crawlers, HEAD) or a staff member's as not counted; and each visitor's first and
-- last touch, for attribution. Times are Unix milliseconds, days
-- YYYY-MM-DD (Beijing time). Keep in step with ../postgres/0005_links.sql.

CREATE TABLE links (
    id         INTEGER PRIMARY KEY,
    dealer_id  INTEGER NOT NULL,
    code       TEXT    NOT NULL,
    staff_id   INTEGER,
    visitor    TEXT,
    target     TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    campaign   TEXT,
    expires_on TEXT,              -- the last day it opens; none: it never expires
    created_at INTEGER NOT NULL,
    CONSTRAINT links_code_key UNIQUE (code),
    CONSTRAINT links_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT links_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id),
    CONSTRAINT links_one_owner_check CHECK ((staff_id IS NULL) <> (visitor IS NULL))
);
CREATE INDEX links_staff ON links (staff_id, created_at);

-- Every fetch of a link: who (the visitor's anonymous id), what fetched it, and whether it counts.
CREATE TABLE link_visits (
    id      INTEGER PRIMARY KEY,
    link_id INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    visitor TEXT,
    agent   TEXT    NOT NULL,     -- shared::link::Agent: preview, wechat, wecom, mobile, desktop
    counted INTEGER NOT NULL,     -- 1 a click; 0 a preview or a staff member's own visit
    CONSTRAINT link_visits_link_fk FOREIGN KEY (link_id) REFERENCES links (id) ON DELETE CASCADE
);
CREATE INDEX link_visits_link ON link_visits (link_id, at);

-- Each visitor's first and last touch at a dealer: the link (and its channel) that brought
-- them first and most recently, kept for attribution.
CREATE TABLE visitor_touches (
    dealer_id     INTEGER NOT NULL,
    visitor       TEXT    NOT NULL,
    first_link_id INTEGER NOT NULL,
    first_at      INTEGER NOT NULL,
    last_link_id  INTEGER NOT NULL,
    last_at       INTEGER NOT NULL,
    CONSTRAINT visitor_touches_pk PRIMARY KEY (dealer_id, visitor),
    CONSTRAINT visitor_touches_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT visitor_touches_first_fk FOREIGN KEY (first_link_id) REFERENCES links (id) ON DELETE CASCADE,
    CONSTRAINT visitor_touches_last_fk FOREIGN KEY (last_link_id) REFERENCES links (id) ON DELETE CASCADE
);
