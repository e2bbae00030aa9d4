-- Indexes that match the reads (issue 27, decision 0033). The query-plan guard
-- (tests/it/query_plans.rs) found each of these reads going through the organisation's part of the
-- table's key and checking every row the organisation ever had: a case's risk assessments, court
-- orders, contact details, reviews, notices and concerns; a notice's letters; a person's parties,
-- tokens; a party's invitation; the throttle's clearing of old addresses.
CREATE INDEX risk_assessments_by_case ON risk_assessments (organisation_id, case_id, assessed_at);
CREATE INDEX court_orders_by_case ON court_orders (organisation_id, case_id);
CREATE INDEX contact_details_by_case ON contact_details (organisation_id, case_id);
CREATE INDEX review_meetings_by_case ON review_meetings (organisation_id, case_id);
CREATE INDEX service_notices_by_case ON service_notices (organisation_id, case_id);
CREATE INDEX service_letters_by_notice ON service_letters (organisation_id, notice_id);
CREATE INDEX safeguarding_by_case ON safeguarding_concerns (organisation_id, case_id, raised_at);
CREATE INDEX case_parties_by_user ON case_parties (organisation_id, user_id);
CREATE INDEX api_tokens_by_user ON api_tokens (organisation_id, user_id, created_at);
CREATE INDEX party_invites_by_party ON party_invites (organisation_id, party_id);
CREATE INDEX sign_in_known_addresses_by_time ON sign_in_known_addresses (last_at);
