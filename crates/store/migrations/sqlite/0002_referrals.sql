-- Referrals and cases: the family, their contact details (some hidden from named parties), court
-- orders, the status history and risk assessments. Dates of birth and order dates are ISO dates (TEXT).

-- Case references (RIV-0001…) are numbered per organisation, without gaps, under this row's lock.
CREATE TABLE case_counters (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations (id),
    last_number BIGINT NOT NULL
);

CREATE TABLE cases (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('cafcass', 'court', 'solicitor', 'social_worker', 'mediator',
                                           'other_centre', 'self_referral', 'other')),
    referrer_user_id TEXT,
    referrer_name TEXT,
    referrer_organisation TEXT,
    status TEXT NOT NULL CHECK (status IN ('received', 'incomplete', 'awaiting_fee', 'waiting_list', 'assessment',
                                           'pre_visits', 'accepted', 'signposted', 'declined', 'active',
                                           'under_review', 'closed')),
    service TEXT,
    outcome TEXT,
    missing TEXT,
    child_lives_with TEXT,
    risk_background TEXT,
    consent_to_share BOOLEAN NOT NULL DEFAULT 0,
    received_at BIGINT NOT NULL,
    status_since BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, reference),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id),
    FOREIGN KEY (organisation_id, referrer_user_id) REFERENCES users (organisation_id, id),
    CHECK (status <> 'accepted' OR service IS NOT NULL),
    CHECK (status <> 'closed' OR outcome IS NOT NULL)
);
CREATE INDEX cases_by_status ON cases (organisation_id, status, received_at);
CREATE INDEX cases_by_referrer ON cases (organisation_id, referrer_user_id);

CREATE TABLE case_children (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    name TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    needs TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id)
);

CREATE TABLE case_parties (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('resident', 'visiting', 'other_adult')),
    name TEXT NOT NULL,
    relationship TEXT,
    parental_responsibility BOOLEAN NOT NULL DEFAULT 0,
    may_attend BOOLEAN NOT NULL DEFAULT 1,
    language TEXT,
    interpreter BOOLEAN NOT NULL DEFAULT 0,
    accessibility_needs TEXT,
    availability TEXT,
    user_id TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);

-- An address, phone, e-mail or school of a party or child. Rows in contact_hidden_from name the
-- parties it must never reach.
CREATE TABLE contact_details (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    party_id TEXT,
    child_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('address', 'phone', 'email', 'school')),
    value TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, child_id) REFERENCES case_children (organisation_id, id),
    CHECK ((party_id IS NULL) <> (child_id IS NULL))
);

CREATE TABLE contact_hidden_from (
    organisation_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    PRIMARY KEY (organisation_id, contact_id, party_id),
    FOREIGN KEY (organisation_id, contact_id) REFERENCES contact_details (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id)
);

CREATE TABLE court_orders (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('child_arrangements', 'non_molestation', 'injunction', 'prohibited_steps',
                                       'specific_issue', 'other')),
    made_on TEXT NOT NULL,
    court TEXT,
    terms TEXT,
    service TEXT,
    frequency TEXT,
    sessions INTEGER CHECK (sessions IS NULL OR sessions BETWEEN 1 AND 500),
    reports_ordered BOOLEAN NOT NULL DEFAULT 0,
    report_recipients TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id)
);

-- Every status change, with who and why; never changed afterwards.
CREATE TABLE case_transitions (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL,
    service TEXT,
    outcome TEXT,
    missing TEXT,
    actor_user_id TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id)
);
CREATE INDEX case_transitions_by_case ON case_transitions (organisation_id, case_id, at);

-- Risk assessments: at triage, at reviews and after incidents; the history is kept.
CREATE TABLE risk_assessments (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    concerns TEXT NOT NULL,
    notes TEXT,
    suggestion TEXT NOT NULL CHECK (suggestion IN ('supported', 'supervised')),
    decision TEXT NOT NULL,
    decision_reason TEXT NOT NULL,
    assessed_by TEXT NOT NULL,
    assessed_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, assessed_by) REFERENCES users (organisation_id, id)
);

CREATE TRIGGER case_transitions_append_only_update BEFORE UPDATE ON case_transitions
BEGIN
    SELECT RAISE(ABORT, 'case_transitions is append-only');
END;
CREATE TRIGGER case_transitions_append_only_delete BEFORE DELETE ON case_transitions
BEGIN
    SELECT RAISE(ABORT, 'case_transitions is append-only');
END;
CREATE TRIGGER risk_assessments_append_only_update BEFORE UPDATE ON risk_assessments
BEGIN
    SELECT RAISE(ABORT, 'risk_assessments is append-only');
END;
CREATE TRIGGER risk_assessments_append_only_delete BEFORE DELETE ON risk_assessments
BEGIN
    SELECT RAISE(ABORT, 'risk_assessments is append-only');
END;
