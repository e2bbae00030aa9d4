-- The e-mail outbox (issue 17, decision 0044): one row per message per recipient, written in the
-- same transaction as the event that causes it, so no event is recorded without its message and no
-- message exists for an event that was rolled back. The sender claims due rows, sends them and marks
-- them sent, retried (with the next attempt's time) or failed. The address is kept here to send to,
-- and is never logged or audited: the audit names the row, whose recipient is a person's id.
CREATE TABLE outbox (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('booking_confirmed', 'booking_moved', 'booking_cancelled',
                                       'reminder_48h', 'reminder_24h', 'test')),
    -- At most one message per key and organisation: a reminder's is its booking, person and kind,
    -- so the reminder job can run any number of times (NULL: no such rule).
    dedupe_key TEXT,
    recipient_user_id TEXT,
    recipient_party_id TEXT,
    address TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'cy')),
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    -- An iCalendar attachment (METHOD:REQUEST or CANCEL) and its method, or neither.
    ics TEXT,
    ics_method TEXT CHECK (ics_method IN ('REQUEST', 'CANCEL')),
    -- The Message-ID header, made once at enqueue: a retry sends the same one.
    message_id TEXT NOT NULL UNIQUE,
    booking_id TEXT,
    case_id TEXT,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When the sender may next take it: a queued message's next try, or a claimed message's lease
    -- (a sender that died while sending leaves it to be taken again when the lease runs out).
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    -- What the SMTP server answered when it accepted the message.
    server_reply TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, dedupe_key),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    CHECK ((recipient_user_id IS NULL) <> (recipient_party_id IS NULL) OR kind = 'test')
);
-- The sender's read: what is due, across organisations, soonest first (sent and failed rows are
-- not in this index, so it stays as small as the queue).
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state IN ('queued', 'sending');
-- The outbox page and `familytime mail outbox`: newest first, a page at a time; and by state.
CREATE INDEX outbox_newest ON outbox (organisation_id, created_at, id);
CREATE INDEX outbox_by_state ON outbox (organisation_id, state, created_at, id);
-- A case's messages, and a booking's (the reminder job asks whether one was written).
CREATE INDEX outbox_by_case ON outbox (organisation_id, case_id, created_at);
CREATE INDEX outbox_by_booking ON outbox (organisation_id, booking_id, kind);
-- The reminder job's read: confirmed sessions starting soon.
CREATE INDEX bookings_confirmed_by_start ON bookings (starts_at) WHERE status = 'confirmed';
