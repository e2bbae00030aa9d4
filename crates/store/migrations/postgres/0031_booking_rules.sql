-- Rules that hold (issue 19, decision 0043): what a case may book follows from what was decided.
-- The service's state (running, suspended, ended) is on the case, whose row every contact booking
-- locks and reads in its own transaction; a change of service (a review's step-down or step-up)
-- applies from a date; the organisation says whether contact waits for every adult's pre-visit
-- and the rules agreed (on unless switched off, and switching it is audited); a booking put on
-- hold by a suspension says since when.
ALTER TABLE cases ADD COLUMN service_state TEXT NOT NULL DEFAULT 'running'
    CHECK (service_state IN ('running', 'suspended', 'ended'));
ALTER TABLE organisations ADD COLUMN previsits_before_contact BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE bookings ADD COLUMN held_since BIGINT;
CREATE TABLE service_changes (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    service TEXT NOT NULL,
    applies_from TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX service_changes_by_case ON service_changes (organisation_id, case_id, applies_from);
-- A service suspended before these rules existed stays suspended: the latest notice decides.
UPDATE cases SET service_state = 'suspended'
 WHERE status NOT IN ('closed', 'declined', 'signposted')
   AND (SELECT n.kind FROM service_notices n
         WHERE n.organisation_id = cases.organisation_id AND n.case_id = cases.id
         ORDER BY n.issued_at DESC, n.id DESC LIMIT 1) = 'suspended';
