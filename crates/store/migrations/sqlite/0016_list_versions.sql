-- Versions of the things that are lists of rows with no row of their own to carry a version: a
-- case's usual workers, a case's report distribution list, a centre's cancellation policy and each
-- adult's linked account. A write names the version it read and moves it on in the same
-- transaction; a write from an older version changes nothing (409). No row means version 0.
CREATE TABLE list_versions (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('case_workers', 'report_distribution', 'cancellation_policy', 'party_account', 'case_named_staff')),
    owner_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, kind, owner_id)
);
