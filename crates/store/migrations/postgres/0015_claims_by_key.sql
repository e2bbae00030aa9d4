-- The exclusion constraints on claims compare a 64-bit key instead of the text it stands for: GiST
-- indexes with text columns (btree_gist) spend most of an insert comparing and weighing strings,
-- and measured on 60,000 claims a bigint key made each insert about half as costly.
--
-- The key hashes what must be equal for two claims to clash (the organisation, and the resource, or
-- the pair and the site) with hashtextextended, which PostgreSQL keeps stable across versions
-- because hash partitioning depends on it. Equal texts always give equal keys, so every clash the
-- old constraints refused is still refused; two different texts with the same key (odds of about
-- one in 2^64 for a pair) would only refuse a booking that did not clash, never let one through.
-- What must differ (the holder, the party) stays text: a shared key there could let a clash through.
ALTER TABLE booking_claims ADD COLUMN resource_key BIGINT NOT NULL
    GENERATED ALWAYS AS (hashtextextended(organisation_id || ' ' || resource, 0)) STORED;
ALTER TABLE booking_claims ADD CONSTRAINT booking_claims_held_alone_by_key
    EXCLUDE USING gist (resource_key WITH =, span WITH &&, holder WITH <>);
ALTER TABLE booking_claims DROP CONSTRAINT booking_claims_held_alone;

ALTER TABLE pair_claims ADD COLUMN pair_key BIGINT NOT NULL
    GENERATED ALWAYS AS (hashtextextended(organisation_id || ' ' || pair_id || ' ' || site, 0)) STORED;
ALTER TABLE pair_claims ADD CONSTRAINT pair_claims_never_meet_by_key
    EXCLUDE USING gist (pair_key WITH =, span WITH &&, party_id WITH <>);
ALTER TABLE pair_claims DROP CONSTRAINT pair_claims_never_meet;
