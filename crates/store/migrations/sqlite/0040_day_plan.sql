-- The day plan (issue 19 item 6, decision 0047): the resident parent drops the child off and
-- leaves, and comes back to pick them up, unless the booking lets them stay. Each adult's line of
-- a booking keeps when they leave the premises after the drop-off and when they come back
-- (both NULL: they stay), and how long staff talk with them on arrival and on leaving (the first
-- and last minutes of their time on site, the stretches the never-meet windows already keep
-- apart). The register records the resident parent's departure and return.
ALTER TABLE booking_parties ADD COLUMN departs_at BIGINT;
ALTER TABLE booking_parties ADD COLUMN returns_at BIGINT;
ALTER TABLE booking_parties ADD COLUMN talk_minutes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE register_entries ADD COLUMN departed_at BIGINT;
ALTER TABLE register_entries ADD COLUMN returned_at BIGINT;
