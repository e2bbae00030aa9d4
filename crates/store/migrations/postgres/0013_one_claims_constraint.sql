-- One exclusion constraint on booking_claims instead of two, so each claim is inserted into one GiST
-- index and checked against it once (the two indexes were a tenth of the server's CPU under the
-- booking load). `holder` is the booking for an exclusive claim and '' for a shared one (a hall
-- place): two overlapping claims on a resource conflict unless both are shared, which is what
-- booking_claims_no_overlap (exclusive against exclusive) and booking_claims_exclusive_alone
-- (exclusive against shared, decision 0017) said together.
ALTER TABLE booking_claims ADD COLUMN holder TEXT NOT NULL
    GENERATED ALWAYS AS (CASE WHEN exclusive THEN booking_id ELSE '' END) STORED;
ALTER TABLE booking_claims ADD CONSTRAINT booking_claims_held_alone
    EXCLUDE USING gist (resource WITH =, span WITH &&, holder WITH <>, organisation_id WITH =);
ALTER TABLE booking_claims DROP CONSTRAINT booking_claims_no_overlap;
ALTER TABLE booking_claims DROP CONSTRAINT booking_claims_exclusive_alone;
