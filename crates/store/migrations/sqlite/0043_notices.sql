-- Issue 17, decision 0050: the messages to referrers (referral received, accepted or declined, a
-- missed or stopped session), the report-released link and the self-referral acknowledgement.
-- The kinds of message move from a CHECK list into a table of their own, so that a later kind is one
-- INSERT (and two branches adding kinds each add rows, instead of each rebuilding the outbox).
-- A referrer's notice of a missed or stopped session carries the time it must be sent by (10:00 the
-- next working day); one still unsent after it is shown as overdue.
-- SQLite cannot change a CHECK constraint: the outbox is rebuilt, its rows copied as they are and its
-- indexes made again. Nothing refers to the outbox.
CREATE TABLE mail_kinds (
    kind TEXT PRIMARY KEY
);
INSERT INTO mail_kinds (kind) VALUES ('booking_confirmed'), ('booking_moved'), ('booking_cancelled'),
    ('reminder_48h'), ('reminder_24h'), ('test'), ('referral_received'), ('referral_accepted'),
    ('referral_declined'), ('session_missed'), ('session_stopped'), ('report_released'),
    ('self_referral_received');

CREATE TABLE outbox_new (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL REFERENCES mail_kinds (kind),
    dedupe_key TEXT,
    recipient_user_id TEXT,
    recipient_party_id TEXT,
    address TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'cy')),
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    ics TEXT,
    ics_method TEXT CHECK (ics_method IN ('REQUEST', 'CANCEL')),
    message_id TEXT NOT NULL UNIQUE,
    booking_id TEXT,
    case_id TEXT,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    server_reply TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    -- When a notice with a deadline must be sent by (the referrer's missed-session notice); NULL: none.
    due_by BIGINT,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, dedupe_key),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    CHECK ((recipient_user_id IS NULL) <> (recipient_party_id IS NULL) OR kind = 'test')
);
INSERT INTO outbox_new (organisation_id, id, kind, dedupe_key, recipient_user_id, recipient_party_id, address,
    language, subject, body_text, body_html, ics, ics_method, message_id, booking_id, case_id, state, attempts,
    next_attempt_at, last_error, server_reply, created_at, sent_at)
SELECT organisation_id, id, kind, dedupe_key, recipient_user_id, recipient_party_id, address,
    language, subject, body_text, body_html, ics, ics_method, message_id, booking_id, case_id, state, attempts,
    next_attempt_at, last_error, server_reply, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_newest ON outbox (organisation_id, created_at, id);
CREATE INDEX outbox_by_state ON outbox (organisation_id, state, created_at, id);
CREATE INDEX outbox_by_case ON outbox (organisation_id, case_id, created_at);
CREATE INDEX outbox_by_booking ON outbox (organisation_id, booking_id, kind);
