-- Issue 19: a review may step a case back up to supervised contact, and requesting a written report
-- charges the report fee in the report's own transaction.
-- SQLite cannot change a CHECK constraint: the review meetings are rebuilt with the new outcome, the
-- rows copied as they are, and the index and the append-only triggers made again. Nothing refers to
-- review_meetings, so the old table can go.
CREATE TABLE review_meetings_new (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    held_on TEXT NOT NULL,
    attendees TEXT NOT NULL,
    resident_view TEXT NOT NULL,
    visiting_view TEXT NOT NULL,
    child_view TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('continue', 'step_down_supported', 'step_down_handover',
                                             'step_up_supervised', 'self_arranged', 'end')),
    risk_notes TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id)
);
INSERT INTO review_meetings_new SELECT organisation_id, id, case_id, held_on, attendees, resident_view,
    visiting_view, child_view, outcome, risk_notes, recorded_by, recorded_at FROM review_meetings;
DROP TABLE review_meetings;
ALTER TABLE review_meetings_new RENAME TO review_meetings;
CREATE INDEX review_meetings_by_case ON review_meetings (organisation_id, case_id);
CREATE TRIGGER review_meetings_no_delete BEFORE DELETE ON review_meetings
BEGIN
    SELECT RAISE(ABORT, 'review_meetings rows are never deleted');
END;
CREATE TRIGGER review_meetings_no_update BEFORE UPDATE ON review_meetings
BEGIN
    SELECT RAISE(ABORT, 'review_meetings is append-only');
END;

-- Who asked for a report: the referrer, a parent, or nobody (the centre's own). The fee it charged is
-- a ledger entry of the case whose reference is the report.
ALTER TABLE reports ADD COLUMN requested_by TEXT CHECK (requested_by IN ('referrer', 'visiting', 'resident'));
