-- Issue 18 item 4 (decision 0052): two-factor sign-in with TOTP.
-- The organisation's policy: whether roles that see case data must use a second factor. Off for
-- every existing organisation (and by default): an administrator turns it on.
ALTER TABLE organisations ADD COLUMN two_factor_required BOOLEAN NOT NULL DEFAULT FALSE;

-- One TOTP factor per person: the server-made secret (base32), when it was confirmed by a first
-- code (NULL while enrolling), and the last time step accepted, so no code is taken twice.
CREATE TABLE two_factor (
    organisation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    secret TEXT NOT NULL,
    confirmed_at BIGINT,
    last_step BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, user_id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);

-- The ten single-use recovery codes made at enrolment, as SHA-256 hashes (80 random bits each);
-- a used code keeps its row with the time it was used. They go with their factor.
CREATE TABLE two_factor_recovery_codes (
    organisation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (organisation_id, user_id, code_hash),
    FOREIGN KEY (organisation_id, user_id) REFERENCES two_factor (organisation_id, user_id) ON DELETE CASCADE
);

-- A sign-in whose password was right and whose second step (a code, or enrolment when the policy
-- requires it) is still to come: the hash of the browser's pending cookie, who, which step, and
-- until when. Used once.
CREATE TABLE pending_sign_ins (
    token_hash TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    step TEXT NOT NULL CHECK (step IN ('code', 'enrol')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);
