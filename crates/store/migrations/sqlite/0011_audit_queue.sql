-- Audit entries wait in a queue until they are sealed into the chain (decision 0016). A request
-- adds its entries here in its own transaction, without touching the chain's head; the sealer
-- numbers and hashes them in batches. AUTOINCREMENT: an id is never reused after a delete, since
-- audit_log.queue_id names it for good.
CREATE TABLE audit_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
ALTER TABLE audit_log ADD COLUMN queue_id BIGINT;
CREATE UNIQUE INDEX audit_log_by_queue_id ON audit_log (queue_id);

-- A queued entry cannot be changed, and leaves the queue only once it is in the chain.
CREATE TRIGGER audit_queue_no_update BEFORE UPDATE ON audit_queue
BEGIN
    SELECT RAISE(ABORT, 'audit_queue entries cannot be changed');
END;
CREATE TRIGGER audit_queue_sealed_only BEFORE DELETE ON audit_queue
WHEN NOT EXISTS (SELECT 1 FROM audit_log WHERE queue_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_queue entries leave only when sealed into audit_log');
END;
