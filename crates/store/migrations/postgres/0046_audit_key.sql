-- The audit chain is keyed (HMAC-SHA-256, key outside the database) from one entry on, recorded
-- here once and for good; signed checkpoints outside the database record it too (decision 0053).
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT CHECK (keyed_from > 0);

CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq THEN
        RAISE EXCEPTION 'audit_head only moves forward';
    END IF;
    IF OLD.keyed_from IS NOT NULL AND NEW.keyed_from IS DISTINCT FROM OLD.keyed_from THEN
        RAISE EXCEPTION 'audit_head is keyed from one entry for good';
    END IF;
    RETURN NEW;
END;
$$;

-- "Who viewed this family" (issue 18 item 6): a case's entries read through the log by the case,
-- newest first, bounded by the organisation and the case.
CREATE INDEX audit_log_by_object ON audit_log (organisation_id, object_type, object_id, seq);

-- The address a request that showed a family came from. Staff's personal data: kept in the
-- database only for "who viewed", never in the chain, the export or the server's log.
CREATE TABLE audit_addresses (
    request_id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    address TEXT NOT NULL,
    at BIGINT NOT NULL
);
