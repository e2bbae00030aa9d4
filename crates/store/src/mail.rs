//! The e-mail outbox (issue 17, decision 0044): messages written in the transaction of the event
//! that causes them (`Tx::enqueue`), claimed by the sender when due (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so two servers never take the same row; SQLite has one writer), and marked sent,
//! retried or failed, each sent or failed message audited by its row's id. The recipient's address
//! is kept to send to; it is never logged, audited or shown in a `Debug`.

use crate::paging::{Keyset, Page, PageRequest};
use crate::{AuditEvent, AuditScope, Result, Store, Tx, exec_pool, exec_tx, ms, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ids::OrganisationId;

/// One message for one recipient, ready to be written to the outbox.
#[derive(Clone)]
pub struct NewMessage {
    pub id: String,
    /// `booking_confirmed`, `booking_moved`, `booking_cancelled`, `reminder_48h`, `reminder_24h`, `test`.
    pub kind: &'static str,
    /// At most one message per key in an organisation (a reminder: its booking, person and kind).
    pub dedupe_key: Option<String>,
    pub recipient_user_id: Option<String>,
    pub recipient_party_id: Option<String>,
    pub address: String,
    pub language: &'static str,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An iCalendar attachment: its METHOD (`REQUEST`, `CANCEL`) and its text.
    pub ics: Option<(&'static str, String)>,
    /// The Message-ID header's value (without angle brackets), made once here.
    pub message_id: String,
    pub booking_id: Option<String>,
    pub case_id: Option<String>,
}

impl std::fmt::Debug for NewMessage {
    /// Everything but the address and the bodies (never in a log).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMessage")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("booking_id", &self.booking_id)
            .finish_non_exhaustive()
    }
}

/// A message as the outbox holds it.
#[derive(Clone, sqlx::FromRow)]
pub struct OutboxMessage {
    pub organisation_id: String,
    pub id: String,
    pub kind: String,
    pub recipient_user_id: Option<String>,
    pub recipient_party_id: Option<String>,
    pub address: String,
    pub language: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub ics: Option<String>,
    pub ics_method: Option<String>,
    pub message_id: String,
    pub booking_id: Option<String>,
    pub case_id: Option<String>,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub server_reply: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// When a notice with a deadline must be sent by (decision 0050), in milliseconds.
    pub due_by: Option<i64>,
}

impl std::fmt::Debug for OutboxMessage {
    /// Everything but the address and the bodies (never in a log).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMessage")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("state", &self.state)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl OutboxMessage {
    /// The person it is to: a party of a case or an account.
    pub fn recipient(&self) -> Option<&str> {
        self.recipient_party_id.as_deref().or(self.recipient_user_id.as_deref())
    }
}

/// A confirmed session starting soon, for the reminder job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueSession {
    pub organisation_id: String,
    pub id: String,
}

const COLUMNS: &str = "organisation_id, id, kind, recipient_user_id, recipient_party_id, address, language, subject,
    body_text, body_html, ics, ics_method, message_id, booking_id, case_id, state, attempts, next_attempt_at,
    last_error, server_reply, created_at, sent_at, due_by";

const INSERT: &str = "INSERT INTO outbox (organisation_id, id, kind, dedupe_key, recipient_user_id, recipient_party_id,
        address, language, subject, body_text, body_html, ics, ics_method, message_id, booking_id, case_id,
        state, attempts, next_attempt_at, created_at, due_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'queued', 0, $17, $17, $18)
     ON CONFLICT (organisation_id, dedupe_key) DO NOTHING";

/// Takes back the reminders of one booking (`$1` organisation, `$2` booking) that are still waiting
/// to be sent, in the transaction that cancels, moves or holds it. Through `outbox_by_booking`.
pub(crate) const WITHDRAW_REMINDERS: &str = "DELETE FROM outbox
     WHERE organisation_id = $1 AND booking_id = $2 AND kind IN ('reminder_48h', 'reminder_24h') AND state = 'queued'";

/// The kinds of message that carry a link to set a password (decision 0051).
const LINK_KINDS: [&str; 2] = ["account_invitation", "password_reset"];

/// A message that carried a link to set a password keeps no copy of it once sent or failed: the
/// link itself is kept only as a hash (`account_links`), and its bodies are replaced by a note.
async fn scrub_links(tx: &mut Tx, message: &OutboxMessage) -> Result<()> {
    if !LINK_KINDS.contains(&message.kind.as_str()) {
        return Ok(());
    }
    const NOTE: &str = "(A link to set a password was sent here; it is not kept.)";
    exec_tx!(tx, |c| sqlx::query(
        "UPDATE outbox SET body_text = $1, body_html = $1 WHERE organisation_id = $2 AND id = $3"
    )
    .bind(NOTE)
    .bind(&message.organisation_id)
    .bind(&message.id)
    .execute(c)
    .await)?;
    Ok(())
}

impl Tx {
    /// Writes messages to the outbox inside this transaction: they commit or roll back with the
    /// event that caused them. A message whose key is already there is left out. Returns how many
    /// were written.
    pub async fn enqueue(
        &mut self,
        organisation: OrganisationId,
        messages: &[NewMessage],
        now: Timestamp,
    ) -> Result<u64> {
        self.enqueue_due_by(organisation, messages, now, None).await
    }

    /// As `enqueue`, each message carrying the time it must be sent by (the referrer's notice of a
    /// missed session, decision 0050): shown as overdue while unsent after it.
    pub async fn enqueue_due_by(
        &mut self,
        organisation: OrganisationId,
        messages: &[NewMessage],
        now: Timestamp,
        due_by: Option<Timestamp>,
    ) -> Result<u64> {
        let org = organisation.to_string();
        let mut written = 0;
        for m in messages {
            if m.address.trim().is_empty() {
                // No e-mail address: a letter in the print queue instead (decision 0051).
                written += self.enqueue_letter(organisation, m, now).await?;
                continue;
            }
            let (method, ics) = match &m.ics {
                Some((method, text)) => (Some(*method), Some(text.as_str())),
                None => (None, None),
            };
            written += exec_tx!(self, |c| sqlx::query(INSERT)
                .bind(&org)
                .bind(&m.id)
                .bind(m.kind)
                .bind(m.dedupe_key.as_deref())
                .bind(m.recipient_user_id.as_deref())
                .bind(m.recipient_party_id.as_deref())
                .bind(&m.address)
                .bind(m.language)
                .bind(&m.subject)
                .bind(&m.text)
                .bind(&m.html)
                .bind(ics)
                .bind(method)
                .bind(&m.message_id)
                .bind(m.booking_id.as_deref())
                .bind(m.case_id.as_deref())
                .bind(ms(now))
                .bind(due_by.map(ms))
                .execute(c)
                .await)?;
        }
        Ok(written)
    }
}

impl Store {
    /// Writes messages to the outbox in a transaction of their own (a reminder, a test message).
    pub async fn enqueue(&self, organisation: OrganisationId, messages: &[NewMessage], now: Timestamp) -> Result<u64> {
        let mut tx = self.begin().await?;
        let written = tx.enqueue(organisation, messages, now).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// Claims up to `limit` messages due at `now`, of every organisation, soonest first: each is
    /// marked as being sent, its attempt counted, and leased until `lease_until` (a sender that dies
    /// leaves it to be claimed again then). On PostgreSQL rows another server has claimed are
    /// skipped, not waited for.
    pub async fn claim_due(&self, now: Timestamp, lease_until: Timestamp, limit: i64) -> Result<Vec<OutboxMessage>> {
        // The due rows first, soonest first, locked (PostgreSQL skips rows another server holds;
        // its locking clause goes before the LIMIT, which it allows), then each marked and read
        // back by its key, all in one transaction.
        let postgres = matches!(self.pool, crate::Pool::Postgres(_));
        let due = format!(
            "SELECT organisation_id, id FROM outbox WHERE state IN ('queued', 'sending') AND next_attempt_at <= $1
             ORDER BY next_attempt_at{} LIMIT $2",
            if postgres { " FOR UPDATE SKIP LOCKED" } else { "" }
        );
        let claim = format!(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_attempt_at = $1
             WHERE organisation_id = $2 AND id = $3 AND state IN ('queued', 'sending')
             RETURNING {COLUMNS}"
        );
        let mut tx = self.begin().await?;
        let keys: Vec<(String, String)> = with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(due.as_str()))
            .bind(ms(now))
            .bind(limit)
            .fetch_all(c)
            .await)?;
        let mut rows = Vec::with_capacity(keys.len());
        for (organisation, id) in &keys {
            let row: Option<OutboxMessage> = with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(claim.as_str()))
                .bind(ms(lease_until))
                .bind(organisation)
                .bind(id)
                .fetch_optional(c)
                .await)?;
            rows.extend(row);
        }
        tx.commit().await?;
        Ok(rows)
    }

    /// The server accepted the message: sent, with what it answered, audited.
    pub async fn mark_sent(&self, scope: &AuditScope, message: &OutboxMessage, reply: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "UPDATE outbox SET state = 'sent', sent_at = $1, server_reply = $2, last_error = NULL
             WHERE organisation_id = $3 AND id = $4"
        )
        .bind(ms(scope.at))
        .bind(reply)
        .bind(&message.organisation_id)
        .bind(&message.id)
        .execute(c)
        .await)?;
        scrub_links(&mut tx, message).await?;
        tx.audit(scope, AuditEvent::ok("mail.sent", "outbox_message", &message.id))
            .await?;
        tx.commit().await
    }

    /// A temporary failure: queued again for `next_at`, with what went wrong.
    pub async fn mark_retry(&self, message: &OutboxMessage, next_at: Timestamp, error: &str) -> Result<()> {
        exec_pool!(self, |p| sqlx::query(
            "UPDATE outbox SET state = 'queued', next_attempt_at = $1, last_error = $2
             WHERE organisation_id = $3 AND id = $4 AND state = 'sending'"
        )
        .bind(ms(next_at))
        .bind(error)
        .bind(&message.organisation_id)
        .bind(&message.id)
        .execute(p)
        .await)?;
        Ok(())
    }

    /// A permanent failure (refused by the server, an address it will not take): failed, kept and
    /// shown, audited.
    pub async fn mark_failed(&self, scope: &AuditScope, message: &OutboxMessage, error: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "UPDATE outbox SET state = 'failed', last_error = $1 WHERE organisation_id = $2 AND id = $3"
        )
        .bind(error)
        .bind(&message.organisation_id)
        .bind(&message.id)
        .execute(c)
        .await)?;
        scrub_links(&mut tx, message).await?;
        tx.audit(
            scope,
            AuditEvent {
                action: "mail.failed",
                object_type: "outbox_message",
                object_id: Some(message.id.clone()),
                outcome: "failed",
            },
        )
        .await?;
        tx.commit().await
    }

    /// One page of an organisation's outbox, newest first, of one state or all.
    pub async fn outbox_page(
        &self,
        organisation: OrganisationId,
        state: Option<&str>,
        request: &PageRequest,
    ) -> Result<Page<OutboxMessage>> {
        let org = organisation.to_string();
        let after = self.cursor_key::<i64>(request, "outbox", "created_at", &org).await?;
        let first = if state.is_some() { 3 } else { 2 };
        let keyset = Keyset::new(request, "created_at", "id", true, first);
        let filter = if state.is_some() { " AND state = $2" } else { "" };
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE organisation_id = $1{filter}{} {}",
            keyset.condition, keyset.order
        );
        let rows: Vec<OutboxMessage> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&org);
            if let Some(state) = state {
                query = query.bind(state);
            }
            if let Some((key, id)) = &after {
                query = query.bind(*key).bind(id.as_str());
            }
            query.fetch_all(p).await
        })?;
        Ok(keyset.finish(rows))
    }

    /// A case's messages, newest first (the latest 200).
    pub async fn case_messages(&self, organisation: OrganisationId, case: &str) -> Result<Vec<OutboxMessage>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE organisation_id = $1 AND case_id = $2
             ORDER BY created_at DESC LIMIT 200"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(case)
            .fetch_all(p)
            .await)?)
    }

    /// Confirmed sessions of every organisation, not on hold, inside their own centre's window for
    /// a reminder of `kind` at `now` (`first`: between the centre's second and first reminder
    /// times; else within its second), that have no message of `kind` yet (at most `limit`, soonest
    /// first). The index on start times bounds the read at `now` and the longest reminder time
    /// any centre may set; each centre's own times narrow it (decision 0051).
    pub async fn sessions_needing(
        &self,
        kind: &str,
        first: bool,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<DueSession>> {
        const HOUR: i64 = 3_600_000;
        let window = if first {
            "b.starts_at > $1 + c.reminder_second_hours * $5 AND b.starts_at <= $1 + c.reminder_first_hours * $5"
        } else {
            "b.starts_at > $1 AND b.starts_at <= $1 + c.reminder_second_hours * $5"
        };
        let sql = format!(
            "SELECT b.organisation_id, b.id FROM bookings b
             JOIN centres c ON c.organisation_id = b.organisation_id AND c.id = b.centre_id
             WHERE b.status = 'confirmed' AND b.starts_at > $1 AND b.starts_at <= $2 AND b.held_since IS NULL
               AND {window}
               AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.organisation_id = b.organisation_id
                               AND o.booking_id = b.id AND o.kind = $3)
               AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.organisation_id = b.organisation_id
                               AND l.booking_id = b.id AND l.kind = $3)
             ORDER BY b.starts_at LIMIT $4"
        );
        let horizon = ms(now) + familytime_domain::mail::ReminderHours::MAX_HOURS * HOUR;
        Ok(with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(ms(now))
            .bind(horizon)
            .bind(kind)
            .bind(limit)
            .bind(HOUR)
            .fetch_all(p)
            .await)?)
    }
}

/// A party of a case as a message reaches them: their own account's address, else their own e-mail
/// address on the case, and the language they read.
#[derive(Clone, sqlx::FromRow)]
pub struct MailTarget {
    pub party_id: String,
    pub user_id: Option<String>,
    pub address: Option<String>,
    pub preferred_language: Option<String>,
    /// Opted out of reminders, on their account or on the case (decision 0051).
    pub reminders_off: bool,
}

impl Store {
    /// Where each of these parties of a case is written to (only their own details: a party's
    /// e-mail on the case belongs to them, whoever it is hidden from).
    pub async fn mail_targets(&self, organisation: OrganisationId, case: &str) -> Result<Vec<MailTarget>> {
        Ok(with_pool!(self, |p| sqlx::query_as(MAIL_TARGETS)
            .bind(organisation.to_string())
            .bind(case)
            .fetch_all(p)
            .await)?)
    }
}

/// Where the parties of a case are written to: `Store::mail_targets`, and the same read inside a
/// transaction that has just written the case (one statement, so the two cannot drift apart).
const MAIL_TARGETS: &str = "SELECT p.id AS party_id, p.user_id,
        COALESCE(u.email, (SELECT MIN(c.value) FROM contact_details c WHERE c.organisation_id = p.organisation_id
             AND c.case_id = p.case_id AND c.party_id = p.id AND c.kind = 'email')) AS address,
        COALESCE(p.preferred_language, u.preferred_language) AS preferred_language,
        (p.reminders_off_at IS NOT NULL OR u.reminders_off_at IS NOT NULL) AS reminders_off
     FROM case_parties p
     LEFT JOIN users u ON u.organisation_id = p.organisation_id AND u.id = p.user_id AND u.disabled_at IS NULL
     WHERE p.organisation_id = $1 AND p.case_id = $2";

impl Tx {
    /// A case's reference, read in this transaction (a case written in it: its acknowledgement
    /// names it, decision 0050).
    pub async fn case_reference(&mut self, organisation: OrganisationId, case: &str) -> Result<String> {
        Ok(with_tx!(self, |c| sqlx::query_scalar(
            "SELECT reference FROM cases WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(case)
        .fetch_one(c)
        .await)?)
    }

    /// Where the parties of a case are written to, read in this transaction (a case written in it).
    pub async fn mail_targets(&mut self, organisation: OrganisationId, case: &str) -> Result<Vec<MailTarget>> {
        Ok(with_tx!(self, |c| sqlx::query_as(MAIL_TARGETS)
            .bind(organisation.to_string())
            .bind(case)
            .fetch_all(c)
            .await)?)
    }
}
