-- A pre-visit is a booking like any other session (decision 0030): it holds a room and a member of
-- staff, keeps the opening hours and the never-meet rules, and shows on the calendar and day sheet.
-- Its record points at that booking. An outcome (done, did not come) is recorded only once the
-- visit's time has come, and the database refuses one recorded earlier.
--
-- Existing data: records of an outcome written before the visit's own time cannot be relied on
-- (that was the bug); they go back to "booked", keeping their checklist and notes, to be recorded
-- again once the time has passed. Older pre-visits keep no booking (booking_id NULL): they were
-- never given a room or staff. Pre-visit bookings made on the sessions page get their record.
-- SQLite cannot add a foreign key or a check to a table, so the table is rebuilt; nothing refers
-- to it.

CREATE TABLE pre_visits_new (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    booking_id TEXT,
    scheduled_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'done', 'missed', 'cancelled')),
    rules_agreed BOOLEAN NOT NULL DEFAULT 0,
    checklist TEXT NOT NULL DEFAULT '',
    notes TEXT,
    recorded_by TEXT,
    recorded_at BIGINT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id),
    -- The booking is this adult's: the adult is on it.
    FOREIGN KEY (organisation_id, booking_id, party_id) REFERENCES booking_parties (organisation_id, booking_id, party_id),
    CHECK (NOT rules_agreed OR status = 'done'),
    CHECK (status IN ('scheduled', 'cancelled') OR (recorded_at IS NOT NULL AND recorded_at >= scheduled_at))
);

INSERT INTO pre_visits_new (organisation_id, id, case_id, party_id, booking_id, scheduled_at, status, rules_agreed,
    checklist, notes, recorded_by, recorded_at, created_at, version)
SELECT organisation_id, id, case_id, party_id, NULL, scheduled_at,
    CASE WHEN early THEN 'scheduled' ELSE status END,
    CASE WHEN early THEN 0 ELSE rules_agreed END,
    checklist, notes,
    CASE WHEN early THEN NULL ELSE recorded_by END,
    CASE WHEN early THEN NULL ELSE recorded_at END,
    created_at,
    CASE WHEN early THEN version + 1 ELSE version END
FROM (SELECT *, (status IN ('done', 'missed') AND (recorded_at IS NULL OR recorded_at < scheduled_at)) AS early
      FROM pre_visits);

DROP TABLE pre_visits;
ALTER TABLE pre_visits_new RENAME TO pre_visits;
CREATE INDEX pre_visits_by_case ON pre_visits (organisation_id, case_id, scheduled_at);
CREATE UNIQUE INDEX pre_visits_by_booking ON pre_visits (organisation_id, booking_id);

INSERT INTO pre_visits (organisation_id, id, case_id, party_id, booking_id, scheduled_at, status, created_at)
SELECT b.organisation_id, b.id, b.case_id, p.party_id, b.id, b.starts_at,
    CASE WHEN b.status = 'cancelled' THEN 'cancelled' ELSE 'scheduled' END, b.created_at
FROM bookings b
JOIN booking_parties p ON p.organisation_id = b.organisation_id AND p.booking_id = b.id
WHERE b.kind = 'pre_visit' AND b.case_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM booking_parties q
                  WHERE q.organisation_id = b.organisation_id AND q.booking_id = b.id AND q.party_id <> p.party_id);
