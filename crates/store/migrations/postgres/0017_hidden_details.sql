-- Who may see a case's hidden contact details (see decision 0022). The staff named for a case — its
-- key worker (one at most) and the coordinators and managers named for it — see them without a
-- reason; anyone else of a role that runs cases gives a reason first ("break glass"), kept here
-- (never in the audit log, which records only who, which case and when) for the safeguarding lead.

CREATE TABLE case_named_staff (
    organisation_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    key_worker BOOLEAN NOT NULL DEFAULT FALSE,
    named_by TEXT,
    named_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, case_id, user_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, named_by) REFERENCES users (organisation_id, id)
);
CREATE UNIQUE INDEX case_named_staff_one_key_worker ON case_named_staff (organisation_id, case_id) WHERE key_worker;
CREATE INDEX case_named_staff_by_user ON case_named_staff (organisation_id, user_id);

-- The list's version is kept in list_versions (kind 'case_named_staff', migration 0016).

-- Each reason given; never changed or removed by the application.
CREATE TABLE break_glass (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    given_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id),
    CHECK (expires_at > given_at)
);
CREATE INDEX break_glass_by_case_and_user ON break_glass (organisation_id, case_id, user_id, expires_at);
CREATE INDEX break_glass_by_time ON break_glass (organisation_id, given_at);

CREATE TRIGGER break_glass_append_only BEFORE UPDATE OR DELETE ON break_glass
    FOR EACH ROW EXECUTE FUNCTION append_only();
