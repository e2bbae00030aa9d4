-- Issue 19: a review may step a case back up to supervised contact, and requesting a written report
-- charges the report fee in the report's own transaction.
ALTER TABLE review_meetings DROP CONSTRAINT review_meetings_outcome_check;
ALTER TABLE review_meetings ADD CONSTRAINT review_meetings_outcome_check CHECK (outcome IN ('continue',
    'step_down_supported', 'step_down_handover', 'step_up_supervised', 'self_arranged', 'end'));

-- Who asked for a report: the referrer, a parent, or nobody (the centre's own). The fee it charged is
-- a ledger entry of the case whose reference is the report.
ALTER TABLE reports ADD COLUMN requested_by TEXT CHECK (requested_by IN ('referrer', 'visiting', 'resident'));
