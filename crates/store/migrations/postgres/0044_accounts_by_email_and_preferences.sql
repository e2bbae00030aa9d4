-- Issue 17 (decision 0051): accounts by e-mail (invitations and "forgot password" links), opting
-- out of reminders, and each centre's reminder times.
-- The kinds of message are rows of `mail_kinds` (migration 0043): these are two more.
INSERT INTO mail_kinds (kind) VALUES ('account_invitation'), ('password_reset');

-- A link that lets a person set their password: an invitation to a new account, or a "forgot
-- password" link. Only a hash of the secret is kept (as for sessions and API tokens). A link works
-- once: using it sets `used_at` in the statement that checks it is unused and unexpired, so two
-- uses racing cannot both succeed; a new link of the same purpose ends the person's earlier ones.
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL CHECK (expires_at > created_at),
    used_at BIGINT,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);
CREATE INDEX account_links_by_user ON account_links (organisation_id, user_id, purpose);
-- Once used, a link stays used.
CREATE FUNCTION account_links_used_once() RETURNS trigger AS $$
BEGIN
    IF OLD.used_at IS NOT NULL THEN
        RAISE EXCEPTION 'an account link is used once';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER account_links_used_once BEFORE UPDATE OF used_at ON account_links
    FOR EACH ROW EXECUTE FUNCTION account_links_used_once();

-- Opting out of reminders (never of anything else): on the account, by the person, and on a party
-- of a case, by staff when the parent asks. When, or NULL for reminders on.
ALTER TABLE users ADD COLUMN reminders_off_at BIGINT;
ALTER TABLE case_parties ADD COLUMN reminders_off_at BIGINT;

-- Each centre's reminder times, in hours before a session (the first, then the second, nearer).
ALTER TABLE centres ADD COLUMN reminder_first_hours BIGINT NOT NULL DEFAULT 48
    CHECK (reminder_first_hours BETWEEN 2 AND 336);
ALTER TABLE centres ADD COLUMN reminder_second_hours BIGINT NOT NULL DEFAULT 24;
ALTER TABLE centres ADD CONSTRAINT centres_reminder_order
    CHECK (reminder_second_hours >= 1 AND reminder_second_hours < reminder_first_hours);

-- The print queue: a message to a party of a case who has no e-mail address becomes a letter to
-- print and post (the same words as the e-mail would have), instead of nothing. Written in the
-- transaction of the event, like the outbox; at most one per key, as there. Marked posted once, by
-- whom and when; it stays posted.
CREATE TABLE letters (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL REFERENCES mail_kinds (kind),
    dedupe_key TEXT,
    recipient_party_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    booking_id TEXT,
    language TEXT NOT NULL CHECK (language IN ('en', 'cy')),
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    posted_at BIGINT,
    posted_by TEXT,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, dedupe_key),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, recipient_party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, posted_by) REFERENCES users (organisation_id, id),
    CHECK ((posted_at IS NULL) = (posted_by IS NULL))
);
-- The queue: letters not yet posted, oldest first, a page at a time (posted ones leave the index).
CREATE INDEX letters_to_print ON letters (organisation_id, created_at, id) WHERE posted_at IS NULL;
-- A booking's letters (the reminder job asks whether one was written; a cancellation takes back an
-- unposted reminder).
CREATE INDEX letters_by_booking ON letters (organisation_id, booking_id, kind);
CREATE FUNCTION letters_posted_once() RETURNS trigger AS $$
BEGIN
    IF OLD.posted_at IS NOT NULL THEN
        RAISE EXCEPTION 'a posted letter is a record: it does not change';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER letters_posted_once BEFORE UPDATE ON letters
    FOR EACH ROW EXECUTE FUNCTION letters_posted_once();
