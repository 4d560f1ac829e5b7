-- Chelink 0008 (SQLite): the consultant's card. Each staff member's profile gains a title
-- (销售顾问), a WeChat id and the handle of their public showcase (/{dealer}/c/{handle}),
-- unique within the dealer; the name and work phone are the staff row's own. A staff member
-- without a handle has no showcase yet. Keep in step with ../postgres/0008_showcase.sql.

ALTER TABLE staff ADD COLUMN title TEXT;
ALTER TABLE staff ADD COLUMN wechat TEXT;
ALTER TABLE staff ADD COLUMN handle TEXT;
CREATE UNIQUE INDEX staff_dealer_handle_key ON staff (dealer_id, handle);
