-- Self-referral: each adult gives their own part; the other adult is invited by a one-time link.
ALTER TABLE case_parties ADD COLUMN own_statement TEXT;
ALTER TABLE case_parties ADD COLUMN part_given_at BIGINT;

CREATE TABLE party_invites (
    token_hash TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id)
);
