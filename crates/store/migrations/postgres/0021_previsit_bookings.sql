-- A pre-visit is a booking like any other session (decision 0030): it holds a room and a member of
-- staff, keeps the opening hours and the never-meet rules, and shows on the calendar and day sheet.
-- Its record points at that booking. An outcome (done, did not come) is recorded only once the
-- visit's time has come, and the database refuses one recorded earlier.
--
-- Existing data: records of an outcome written before the visit's own time cannot be relied on
-- (that was the bug); they go back to "booked", keeping their checklist and notes, to be recorded
-- again once the time has passed. Older pre-visits keep no booking (booking_id NULL): they were
-- never given a room or staff. Pre-visit bookings made on the sessions page get their record.

ALTER TABLE pre_visits ADD COLUMN booking_id TEXT;
-- The booking is this adult's: the adult is on it.
ALTER TABLE pre_visits ADD CONSTRAINT pre_visits_booking_fkey
    FOREIGN KEY (organisation_id, booking_id, party_id) REFERENCES booking_parties (organisation_id, booking_id, party_id);

UPDATE pre_visits SET status = 'scheduled', rules_agreed = FALSE, recorded_by = NULL, recorded_at = NULL,
    version = version + 1
WHERE status IN ('done', 'missed') AND (recorded_at IS NULL OR recorded_at < scheduled_at);

ALTER TABLE pre_visits ADD CONSTRAINT pre_visits_recorded_after_the_visit
    CHECK (status IN ('scheduled', 'cancelled') OR (recorded_at IS NOT NULL AND recorded_at >= scheduled_at));
CREATE UNIQUE INDEX pre_visits_by_booking ON pre_visits (organisation_id, booking_id);

INSERT INTO pre_visits (organisation_id, id, case_id, party_id, booking_id, scheduled_at, status, created_at)
SELECT b.organisation_id, b.id, b.case_id, p.party_id, b.id, b.starts_at,
    CASE WHEN b.status = 'cancelled' THEN 'cancelled' ELSE 'scheduled' END, b.created_at
FROM bookings b
JOIN booking_parties p ON p.organisation_id = b.organisation_id AND p.booking_id = b.id
WHERE b.kind = 'pre_visit' AND b.case_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM booking_parties q
                  WHERE q.organisation_id = b.organisation_id AND q.booking_id = b.id AND q.party_id <> p.party_id);
