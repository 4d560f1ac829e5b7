-- Chelink 0018 (PostgreSQL): hand-over (离职继承) and the dealer's own settings.
-- A staff member handed over names their successor: their links and showcase already in
-- customers' chats credit the successor (`attribution`, `consultants`), and a later hand-over
-- to someone else moves the pointer of everyone who led to them (chains stay one step long).
-- A lead handed over keeps when, so the successor's 今日 lists it until they first respond.
-- The dealer's settings (设置): a short name, the privacy notice's contact and the notice's
-- revision (a change of contact is a new version the consumer consents to), the default
-- loan's term and down payment, and the logo (a checked, resized PNG, base64, with its
-- version for cache-busting URLs). Keep in step with ../sqlite/0018_hand_over_and_settings.sql.

ALTER TABLE staff ADD COLUMN successor_id BIGINT
    CONSTRAINT staff_successor_fk REFERENCES staff (id) ON DELETE SET NULL;
CREATE INDEX staff_successor ON staff (successor_id);
ALTER TABLE leads ADD COLUMN handed_over_at BIGINT;

ALTER TABLE dealers ADD COLUMN short_name TEXT NOT NULL DEFAULT '';
ALTER TABLE dealers ADD COLUMN privacy_contact TEXT NOT NULL DEFAULT '';
ALTER TABLE dealers ADD COLUMN privacy_revision BIGINT NOT NULL DEFAULT 0
    CONSTRAINT dealers_privacy_revision_check CHECK (privacy_revision >= 0);
ALTER TABLE dealers ADD COLUMN loan_term_months BIGINT NOT NULL DEFAULT 36
    CONSTRAINT dealers_loan_term_check CHECK (loan_term_months BETWEEN 12 AND 60);
ALTER TABLE dealers ADD COLUMN down_payment_pct BIGINT NOT NULL DEFAULT 30
    CONSTRAINT dealers_down_payment_check CHECK (down_payment_pct BETWEEN 0 AND 90);

CREATE TABLE dealer_logos (
    dealer_id  BIGINT NOT NULL,
    png        TEXT    NOT NULL,   -- base64 of the resized PNG
    version    BIGINT NOT NULL,
    CONSTRAINT dealer_logos_pk PRIMARY KEY (dealer_id),
    CONSTRAINT dealer_logos_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE
);
