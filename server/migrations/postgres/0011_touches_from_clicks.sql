-- Chelink 0011 (PostgreSQL): a visitor's first and last touch are read from their clicks
-- (link_visits by visitor and time: `attribution::FIRST_TOUCH` and `LAST_TOUCH`). Every
-- click wrote a row here too, an upsert as costly as the click itself, and the two could only
-- ever agree.
DROP TABLE visitor_touches;
