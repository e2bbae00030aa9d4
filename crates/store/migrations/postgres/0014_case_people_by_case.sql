-- A case's children and adults are found by their case (the case file, planning a booking, the
-- never-meet pairs of a case's adults); without these, each read scanned every child or adult of
-- the organisation, so it slowed as the organisation's history grew.
CREATE INDEX case_children_by_case ON case_children (organisation_id, case_id);
CREATE INDEX case_parties_by_case ON case_parties (organisation_id, case_id);
