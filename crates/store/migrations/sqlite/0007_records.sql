-- Running sessions: the register, rule breaches, observation records (drafts kept as revisions,
-- frozen at sign-off, corrected only by addenda), safeguarding concerns, reports to referrers with
-- their quality check and releases, notices ending or suspending a service, and review meetings.

-- Who came to a session: one row per adult or child (or an adult not named on the case, admitted
-- only with a recorded reason).
CREATE TABLE register_entries (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    party_id TEXT,
    child_id TEXT,
    visitor_name TEXT,
    admission_reason TEXT,
    attendance TEXT NOT NULL CHECK (attendance IN ('arrived', 'left', 'no_show')),
    arrived_at BIGINT,
    left_at BIGINT,
    brought_by TEXT,
    collected_by TEXT,
    late_minutes BIGINT CHECK (late_minutes IS NULL OR late_minutes BETWEEN 0 AND 1440),
    late_reason TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, booking_id, party_id),
    UNIQUE (organisation_id, booking_id, child_id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, child_id) REFERENCES case_children (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id),
    CHECK ((CASE WHEN party_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN child_id IS NULL THEN 0 ELSE 1 END)
           + (CASE WHEN visitor_name IS NULL THEN 0 ELSE 1 END) = 1),
    CHECK (visitor_name IS NULL OR admission_reason IS NOT NULL),
    CHECK (attendance = 'no_show' OR arrived_at IS NOT NULL),
    CHECK (attendance <> 'left' OR left_at IS NOT NULL),
    CHECK (left_at IS NULL OR left_at >= arrived_at)
);
CREATE INDEX register_by_booking ON register_entries (organisation_id, booking_id);

-- Rule breaches and other events on a case (arrived under the influence, photos, ...): never changed.
CREATE TABLE case_events (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    booking_id TEXT,
    party_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('under_influence', 'photos', 'tried_to_leave_with_child',
                                       'abusive_to_staff', 'unnamed_adult', 'other_rule')),
    detail TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX case_events_by_case ON case_events (organisation_id, case_id, at);

-- One observation record per session. The content is the structured form as JSON. Once signed it
-- never changes (a trigger refuses it); corrections are addenda.
CREATE TABLE observation_records (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    content TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
    content_hash TEXT,
    signed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, booking_id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, author_id) REFERENCES users (organisation_id, id),
    CHECK (status = 'draft' OR (content_hash IS NOT NULL AND signed_at IS NOT NULL))
);
CREATE INDEX observation_records_by_case ON observation_records (organisation_id, case_id, created_at);

-- Every saved draft, so nothing typed is ever overwritten without trace.
CREATE TABLE observation_revisions (
    organisation_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, record_id, version),
    FOREIGN KEY (organisation_id, record_id) REFERENCES observation_records (organisation_id, id),
    FOREIGN KEY (organisation_id, saved_by) REFERENCES users (organisation_id, id)
);

-- Corrections and additions to a signed record: who, when and why.
CREATE TABLE observation_addenda (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    text TEXT NOT NULL,
    reason TEXT NOT NULL,
    author_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, record_id) REFERENCES observation_records (organisation_id, id),
    FOREIGN KEY (organisation_id, author_id) REFERENCES users (organisation_id, id)
);
CREATE INDEX observation_addenda_by_record ON observation_addenda (organisation_id, record_id, at);

-- Safeguarding concerns and incidents, raised by anyone on duty and decided by the safeguarding lead.
CREATE TABLE safeguarding_concerns (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    case_id TEXT,
    booking_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('concern', 'disclosure', 'allegation', 'incident', 'staff_incident')),
    about TEXT NOT NULL,
    exact_words TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    action_taken TEXT NOT NULL,
    carers_told BOOLEAN NOT NULL,
    carers_not_told_reason TEXT,
    raised_by TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    decision TEXT,
    referred_to TEXT CHECK (referred_to IN ('none', 'childrens_social_care', 'police', 'lado', 'mash')),
    agency_reference TEXT,
    agency_contact TEXT,
    decided_by TEXT,
    decided_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, raised_by) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, decided_by) REFERENCES users (organisation_id, id),
    CHECK (carers_told OR carers_not_told_reason IS NOT NULL),
    CHECK (status = 'open' OR (decision IS NOT NULL AND decided_by IS NOT NULL AND referred_to IS NOT NULL)),
    CHECK (referred_to IS NULL OR referred_to = 'none' OR (agency_reference IS NOT NULL AND agency_contact IS NOT NULL))
);
CREATE INDEX safeguarding_by_status ON safeguarding_concerns (organisation_id, status, raised_at);

-- Who a case's reports may go to; a court that ordered the reports names them.
CREATE TABLE report_distribution (
    organisation_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    recipient TEXT NOT NULL CHECK (recipient IN ('referrer', 'resident', 'visiting', 'court', 'cafcass',
                                                 'solicitors', 'social_worker')),
    PRIMARY KEY (organisation_id, case_id, recipient),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id)
);

-- Reports to referrers, composed from signed records. The author never checks their own report;
-- once approved its text and hash never change.
CREATE TABLE reports (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('session', 'summary')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'in_check', 'approved', 'released')),
    author_id TEXT NOT NULL,
    checker_id TEXT,
    check_notes TEXT,
    content_hash TEXT,
    fee_due BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    approved_at BIGINT,
    released_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, author_id) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, checker_id) REFERENCES users (organisation_id, id),
    CHECK (checker_id IS NULL OR checker_id <> author_id),
    CHECK (status IN ('draft', 'in_check') OR (checker_id IS NOT NULL AND approved_at IS NOT NULL AND content_hash IS NOT NULL)),
    CHECK (status <> 'released' OR released_at IS NOT NULL)
);
CREATE INDEX reports_by_case ON reports (organisation_id, case_id, created_at);

CREATE TABLE report_records (
    organisation_id TEXT NOT NULL,
    report_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (organisation_id, report_id, record_id),
    FOREIGN KEY (organisation_id, report_id) REFERENCES reports (organisation_id, id),
    FOREIGN KEY (organisation_id, record_id) REFERENCES observation_records (organisation_id, id)
);

-- Each release of a report to one recipient on the distribution list.
CREATE TABLE report_releases (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    report_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    user_id TEXT,
    released_by TEXT NOT NULL,
    released_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, report_id, recipient),
    FOREIGN KEY (organisation_id, report_id) REFERENCES reports (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, released_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX report_releases_by_user ON report_releases (organisation_id, user_id);

-- A coordinator's notice ending or suspending a service, and the letters sent about it.
CREATE TABLE service_notices (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ended', 'suspended')),
    reason TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, issued_by) REFERENCES users (organisation_id, id)
);

CREATE TABLE service_letters (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    notice_id TEXT NOT NULL,
    recipient TEXT NOT NULL CHECK (recipient IN ('resident', 'visiting', 'referrer')),
    delivery TEXT NOT NULL CHECK (delivery IN ('post', 'email', 'by_hand', 'printed')),
    sent_by TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, notice_id) REFERENCES service_notices (organisation_id, id),
    FOREIGN KEY (organisation_id, sent_by) REFERENCES users (organisation_id, id)
);

-- Review meetings: each party's view separately, the outcome and the risk reassessment.
CREATE TABLE review_meetings (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    held_on TEXT NOT NULL,
    attendees TEXT NOT NULL,
    resident_view TEXT NOT NULL,
    visiting_view TEXT NOT NULL,
    child_view TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('continue', 'step_down_supported', 'step_down_handover',
                                             'self_arranged', 'end')),
    risk_notes TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id)
);

-- Signed records never change, nothing here is ever deleted, and history tables are append-only.
CREATE TRIGGER observation_records_signed_frozen BEFORE UPDATE ON observation_records
WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed observation record cannot be changed');
END;
CREATE TRIGGER reports_approved_frozen BEFORE UPDATE ON reports
WHEN OLD.status IN ('approved', 'released')
     AND (NEW.summary IS NOT OLD.summary OR NEW.title IS NOT OLD.title OR NEW.content_hash IS NOT OLD.content_hash
          OR NEW.checker_id IS NOT OLD.checker_id OR NEW.status = 'draft' OR NEW.status = 'in_check')
BEGIN
    SELECT RAISE(ABORT, 'an approved report cannot be changed');
END;
CREATE TRIGGER observation_records_no_delete BEFORE DELETE ON observation_records
BEGIN
    SELECT RAISE(ABORT, 'observation_records rows are never deleted');
END;
CREATE TRIGGER observation_revisions_no_delete BEFORE DELETE ON observation_revisions
BEGIN
    SELECT RAISE(ABORT, 'observation_revisions rows are never deleted');
END;
CREATE TRIGGER observation_addenda_no_delete BEFORE DELETE ON observation_addenda
BEGIN
    SELECT RAISE(ABORT, 'observation_addenda rows are never deleted');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events rows are never deleted');
END;
CREATE TRIGGER report_releases_no_delete BEFORE DELETE ON report_releases
BEGIN
    SELECT RAISE(ABORT, 'report_releases rows are never deleted');
END;
CREATE TRIGGER report_records_no_delete BEFORE DELETE ON report_records
BEGIN
    SELECT RAISE(ABORT, 'report_records rows are never deleted');
END;
CREATE TRIGGER service_notices_no_delete BEFORE DELETE ON service_notices
BEGIN
    SELECT RAISE(ABORT, 'service_notices rows are never deleted');
END;
CREATE TRIGGER service_letters_no_delete BEFORE DELETE ON service_letters
BEGIN
    SELECT RAISE(ABORT, 'service_letters rows are never deleted');
END;
CREATE TRIGGER review_meetings_no_delete BEFORE DELETE ON review_meetings
BEGIN
    SELECT RAISE(ABORT, 'review_meetings rows are never deleted');
END;
CREATE TRIGGER observation_revisions_no_update BEFORE UPDATE ON observation_revisions
BEGIN
    SELECT RAISE(ABORT, 'observation_revisions is append-only');
END;
CREATE TRIGGER observation_addenda_no_update BEFORE UPDATE ON observation_addenda
BEGIN
    SELECT RAISE(ABORT, 'observation_addenda is append-only');
END;
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
CREATE TRIGGER report_releases_no_update BEFORE UPDATE ON report_releases
BEGIN
    SELECT RAISE(ABORT, 'report_releases is append-only');
END;
CREATE TRIGGER service_notices_no_update BEFORE UPDATE ON service_notices
BEGIN
    SELECT RAISE(ABORT, 'service_notices is append-only');
END;
CREATE TRIGGER service_letters_no_update BEFORE UPDATE ON service_letters
BEGIN
    SELECT RAISE(ABORT, 'service_letters is append-only');
END;
CREATE TRIGGER review_meetings_no_update BEFORE UPDATE ON review_meetings
BEGIN
    SELECT RAISE(ABORT, 'review_meetings is append-only');
END;
