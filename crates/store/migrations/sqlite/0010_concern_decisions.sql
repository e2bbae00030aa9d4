-- Every decision the safeguarding lead records on a concern, kept: a later decision adds a row
-- instead of replacing the earlier one's words. The concern row keeps the latest for lists.
CREATE TABLE concern_decisions (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    concern_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    referred_to TEXT NOT NULL CHECK (referred_to IN ('none', 'childrens_social_care', 'police', 'lado', 'mash')),
    agency_reference TEXT,
    agency_contact TEXT,
    closed BOOLEAN NOT NULL,
    decided_by TEXT,
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, concern_id) REFERENCES safeguarding_concerns (organisation_id, id),
    FOREIGN KEY (organisation_id, decided_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX concern_decisions_by_concern ON concern_decisions (organisation_id, concern_id, decided_at);

-- The decisions already recorded become each concern's first history row.
INSERT INTO concern_decisions (organisation_id, id, concern_id, decision, referred_to, agency_reference,
    agency_contact, closed, decided_by, decided_at)
SELECT organisation_id, id || ':first', id, decision, referred_to, agency_reference, agency_contact,
    status = 'closed', decided_by, decided_at
FROM safeguarding_concerns
WHERE decision IS NOT NULL AND referred_to IS NOT NULL AND decided_at IS NOT NULL;

CREATE TRIGGER concern_decisions_no_update BEFORE UPDATE ON concern_decisions
BEGIN
    SELECT RAISE(ABORT, 'concern_decisions rows are never changed');
END;
CREATE TRIGGER concern_decisions_no_delete BEFORE DELETE ON concern_decisions
BEGIN
    SELECT RAISE(ABORT, 'concern_decisions rows are never deleted');
END;
