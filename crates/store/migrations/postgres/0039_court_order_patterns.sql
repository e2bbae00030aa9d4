-- The court order's contact pattern and the rules agreement as its own record (issue 19 items 5
-- and 2, decision 0046).
--
-- A case's pattern ("every other Saturday, two hours") belongs to one of its court orders: one
-- pattern per case (the order it was read from is named), changed at a version like every record
-- a form changes. The coordinator's list of cases under or over their order pages through it by
-- case.
CREATE TABLE order_patterns (
    organisation_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    every TEXT NOT NULL CHECK (every IN ('weeks', 'month')),
    interval_weeks BIGINT NOT NULL CHECK (interval_weeks BETWEEN 1 AND 12),
    weekdays TEXT NOT NULL,
    minutes BIGINT NOT NULL CHECK (minutes BETWEEN 15 AND 720),
    applies_from TEXT,
    applies_until TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    recorded_by TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, order_id) REFERENCES court_orders (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id)
);

-- The centre's rules, version by version (the latest issued is the current one), and each parent's
-- agreement to a version: when, how it was recorded, by whom. Agreements are only ever added.
CREATE TABLE rules_versions (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    label TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    summary TEXT,
    recorded_by TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, label),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX rules_versions_latest ON rules_versions (organisation_id, issued_on, recorded_at);
CREATE TABLE rules_agreements (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    rules_version_id TEXT NOT NULL,
    agreed_on TEXT NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('paper', 'in_person', 'portal')),
    recorded_by TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, rules_version_id) REFERENCES rules_versions (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX rules_agreements_by_case ON rules_agreements (organisation_id, case_id);

-- The ticks on the pre-visit records become agreements, in person on the day of the visit, to a
-- first version ("1") of every organisation's rules.
INSERT INTO rules_versions (organisation_id, id, label, issued_on, summary, recorded_by, recorded_at)
SELECT id, 'rules-v1', '1', '2020-01-01', 'The rules agreed at the pre-visit before they had versions', NULL, 0
  FROM organisations;
INSERT INTO rules_agreements (organisation_id, id, case_id, party_id, rules_version_id, agreed_on, how, recorded_by, recorded_at)
SELECT organisation_id, 'pv-' || id, case_id, party_id, 'rules-v1', to_char(to_timestamp(scheduled_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'in_person',
       recorded_by, COALESCE(recorded_at, created_at)
  FROM pre_visits WHERE rules_agreed;
