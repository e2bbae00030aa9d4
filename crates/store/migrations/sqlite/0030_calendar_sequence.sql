-- Calendar feeds tell calendars what changed (issue 28, decision 0042). A booking's calendar UID is
-- its own id, or, for a booking made by moving another, the UID of the booking it was moved from,
-- so a calendar sees one event change its time rather than one removed and another added. Its
-- SEQUENCE rises with every status change and move, in the transaction that makes the change.
ALTER TABLE bookings ADD COLUMN calendar_uid TEXT;
ALTER TABLE bookings ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0 CHECK (sequence >= 0);
-- Bookings changed before this migration: every change moved their version on from 1.
UPDATE bookings SET sequence = version - 1 WHERE version > 1;
