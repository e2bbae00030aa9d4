-- Pre-visits: one per adult, never together; what was shown and agreed is recorded.
CREATE TABLE pre_visits (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    scheduled_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'done', 'missed', 'cancelled')),
    rules_agreed BOOLEAN NOT NULL DEFAULT FALSE,
    checklist TEXT NOT NULL DEFAULT '',
    notes TEXT,
    recorded_by TEXT,
    recorded_at BIGINT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id),
    CHECK (NOT rules_agreed OR status = 'done')
);
CREATE INDEX pre_visits_by_case ON pre_visits (organisation_id, case_id, scheduled_at);
