-- Issue 17, decision 0050: the messages to referrers (referral received, accepted or declined, a
-- missed or stopped session), the report-released link and the self-referral acknowledgement.
-- The kinds of message move from a CHECK list into a table of their own, so that a later kind is one
-- INSERT (and two branches adding kinds each add rows, instead of each replacing the CHECK).
-- A referrer's notice of a missed or stopped session carries the time it must be sent by (10:00 the
-- next working day); one still unsent after it is shown as overdue.
CREATE TABLE mail_kinds (
    kind TEXT PRIMARY KEY
);
INSERT INTO mail_kinds (kind) VALUES ('booking_confirmed'), ('booking_moved'), ('booking_cancelled'),
    ('reminder_48h'), ('reminder_24h'), ('test'), ('referral_received'), ('referral_accepted'),
    ('referral_declined'), ('session_missed'), ('session_stopped'), ('report_released'),
    ('self_referral_received');
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_fkey FOREIGN KEY (kind) REFERENCES mail_kinds (kind);
-- When a notice with a deadline must be sent by (the referrer's missed-session notice); NULL: none.
ALTER TABLE outbox ADD COLUMN due_by BIGINT;
