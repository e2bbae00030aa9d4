-- familytime platform schema for PostgreSQL: tenancy, people, sign-in, audit.
-- Instants are BIGINT milliseconds since the Unix epoch, UTC. Identifiers are UUIDv7 text.
-- Every tenant row carries organisation_id, and its keys and foreign keys include it.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE centres (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT,
    time_zone TEXT NOT NULL DEFAULT 'Europe/London',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, name)
);

CREATE TABLE rooms (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('family_room', 'hall', 'waiting_room', 'off_site_venue')),
    capacity_families INTEGER NOT NULL CHECK (capacity_families BETWEEN 1 AND 100),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, centre_id, name),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id)
);

CREATE TABLE users (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('organisation_admin', 'coordinator', 'supervisor', 'volunteer',
                                       'safeguarding_lead', 'referrer', 'parent')),
    password_hash TEXT NOT NULL,
    -- Room for the TOTP second factor (a later issue): the shared secret and the last time step used.
    totp_secret TEXT,
    totp_last_step BIGINT,
    disabled_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id)
);

-- A person limited to some centres has a row per centre; a person with none works at all of them.
CREATE TABLE user_centres (
    organisation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    PRIMARY KEY (organisation_id, user_id, centre_id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id)
);

-- Signed-in browser sessions. Only a hash of the cookie's token is stored.
CREATE TABLE sessions (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ended_at BIGINT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);
CREATE INDEX sessions_by_user ON sessions (organisation_id, user_id) WHERE ended_at IS NULL;

-- Personal API tokens for `Authorization: Bearer`. Only a hash of the token is stored.
CREATE TABLE api_tokens (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);

-- Failed sign-ins, keyed by a hash of the account or client address (neither is stored as such).
CREATE TABLE login_failures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key_hash, at);

-- One row per throttled key, locked while an attempt is counted, so that concurrent attempts on one
-- account or address are counted one after another (no race past the limit).
CREATE TABLE login_throttle_keys (
    key_hash TEXT PRIMARY KEY
);

-- The one-time first-run setup link.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);

-- The audit log: append-only and hash-chained (see crates/domain/src/audit.rs).
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY CHECK (seq > 0),
    at BIGINT NOT NULL,
    request_id TEXT NOT NULL,
    actor_user_id TEXT,
    organisation_id TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_by_organisation ON audit_log (organisation_id, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The chain's head: the last entry's number and hash. Appends lock this row, so entries are
-- numbered one after another even under concurrent writers.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq THEN
        RAISE EXCEPTION 'audit_head only moves forward';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
