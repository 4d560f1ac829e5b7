-- Chelink 0017 (SQLite): a dealer group runs its own staff. One-time sign-in links (only the
-- SHA-256 of the token is kept; opened once within 24 hours, superseded by a newer link,
-- void once their staff member is disabled); when a staff member was disabled (`active = 0`
-- keeps meaning "cannot sign in", `disabled_at` says since when); and the audit log of every
-- change to staff, with the staff member as they were before and after (JSON), written in the
-- change's own transaction. Keep in step with ../postgres/0017_people.sql.

ALTER TABLE staff ADD COLUMN disabled_at INTEGER;   -- ms since the epoch; NULL while active

CREATE TABLE sign_in_links (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL,
    token_hash TEXT    NOT NULL,   -- hex SHA-256 of the token the link carries
    created_at INTEGER NOT NULL,   -- ms since the epoch
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,            -- opened and a password set; NULL while unused
    revoked_at INTEGER,            -- superseded by a newer link, or the person disabled
    CONSTRAINT sign_in_links_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE CASCADE,
    CONSTRAINT sign_in_links_token_key UNIQUE (token_hash),
    CONSTRAINT sign_in_links_expiry_check CHECK (expires_at > created_at)
);
CREATE INDEX sign_in_links_staff ON sign_in_links (staff_id);

CREATE TABLE staff_audit (
    id        INTEGER PRIMARY KEY,
    dealer_id INTEGER NOT NULL,
    staff_id  INTEGER NOT NULL,   -- whom the change is about
    actor_id  INTEGER,            -- who made it; NULL: the operator on the command line
    action    TEXT    NOT NULL,
    before    TEXT,               -- shared::staff::StaffSnapshot as JSON; NULL when new
    after     TEXT,
    at        INTEGER NOT NULL,   -- ms since the epoch
    CONSTRAINT staff_audit_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT staff_audit_staff_fk FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE CASCADE,
    CONSTRAINT staff_audit_actor_fk FOREIGN KEY (actor_id) REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT staff_audit_action_check CHECK (action IN ('added', 'changed', 'disabled', 'link_issued', 'password_set'))
);
CREATE INDEX staff_audit_dealer ON staff_audit (dealer_id, at);
