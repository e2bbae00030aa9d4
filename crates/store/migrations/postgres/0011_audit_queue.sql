-- Audit entries wait in a queue until they are sealed into the chain (decision 0016). A request
-- adds its entries here in its own transaction, without touching the chain's head, so concurrent
-- writers no longer queue behind one row lock; the sealer numbers and hashes them in batches.
CREATE TABLE audit_queue (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    request_id TEXT NOT NULL,
    actor_user_id TEXT,
    organisation_id TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    outcome TEXT NOT NULL
);

-- Which queued entry a chained entry came from: a queued entry is sealed at most once.
ALTER TABLE audit_log ADD COLUMN queue_id BIGINT UNIQUE;

-- A queued entry cannot be changed, and leaves the queue only once it is in the chain.
CREATE FUNCTION audit_queue_leaves_only_when_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' OR NOT EXISTS (SELECT 1 FROM audit_log WHERE queue_id = OLD.id) THEN
        RAISE EXCEPTION 'audit_queue entries leave only when sealed into audit_log';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER audit_queue_sealed_only BEFORE UPDATE OR DELETE ON audit_queue
    FOR EACH ROW EXECUTE FUNCTION audit_queue_leaves_only_when_sealed();
CREATE TRIGGER audit_queue_no_truncate BEFORE TRUNCATE ON audit_queue
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
