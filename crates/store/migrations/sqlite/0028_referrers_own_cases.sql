-- A referrer's own referrals, newest first (issue 27): the index they are listed by ends with the
-- list's order, so the read stays on the referrer's own rows. With only (organisation, referrer),
-- the planner preferred walking every case of the organisation newest first, since most cases of a
-- busy centre share one referrer value (none, or the same local authority team) in its statistics.
DROP INDEX cases_by_referrer;
CREATE INDEX cases_by_referrer ON cases (organisation_id, referrer_user_id, received_at, id);
