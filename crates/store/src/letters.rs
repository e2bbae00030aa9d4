//! The print queue (decision 0051): a message to a party of a case with no e-mail address is
//! written here instead of the outbox (by `Tx::enqueue`, in the event's own transaction), as a
//! letter with the same words, to be printed and posted; coordinators mark it posted, once.

use crate::mail::NewMessage;
use crate::paging::{Keyset, Page, PageRequest};
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::ids::{OrganisationId, UserId};

/// A letter as the queue shows it, with the case's centre and referrer (to decide who may see it).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Letter {
    pub organisation_id: String,
    pub id: String,
    pub kind: String,
    pub recipient_party_id: String,
    pub case_id: String,
    pub booking_id: Option<String>,
    pub language: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: i64,
    pub posted_at: Option<i64>,
    pub posted_by: Option<String>,
    pub centre_id: String,
    pub referrer_user_id: Option<String>,
    pub case_reference: String,
    pub recipient_name: String,
}

const COLUMNS: &str = "l.organisation_id, l.id, l.kind, l.recipient_party_id, l.case_id, l.booking_id, l.language,
    l.subject, l.body_text, l.created_at, l.posted_at, l.posted_by, c.centre_id, c.referrer_user_id,
    c.reference AS case_reference, p.name AS recipient_name";

const FROM: &str = "FROM letters l
    JOIN cases c ON c.organisation_id = l.organisation_id AND c.id = l.case_id
    JOIN case_parties p ON p.organisation_id = l.organisation_id AND p.id = l.recipient_party_id";

/// Takes back the reminder letters of one booking (`$1` organisation, `$2` booking) not yet posted,
/// with its e-mailed reminders (`mail::WITHDRAW_REMINDERS`). Through `letters_by_booking`.
pub(crate) const WITHDRAW_REMINDER_LETTERS: &str = "DELETE FROM letters
     WHERE organisation_id = $1 AND booking_id = $2 AND kind IN ('reminder_48h', 'reminder_24h') AND posted_at IS NULL";

impl Tx {
    /// Writes a message as a letter to print (a party with no e-mail address); one with a key
    /// already there is left out. Returns how many were written.
    pub(crate) async fn enqueue_letter(
        &mut self,
        organisation: OrganisationId,
        m: &NewMessage,
        now: Timestamp,
    ) -> Result<u64> {
        let (Some(party), Some(case)) = (m.recipient_party_id.as_deref(), m.case_id.as_deref()) else {
            // Only a party of a case is written to on paper; an account always has an address.
            return Ok(0);
        };
        exec_tx!(self, |c| sqlx::query(
            "INSERT INTO letters (organisation_id, id, kind, dedupe_key, recipient_party_id, case_id, booking_id,
                 language, subject, body_text, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (organisation_id, dedupe_key) DO NOTHING"
        )
        .bind(organisation.to_string())
        .bind(&m.id)
        .bind(m.kind)
        .bind(m.dedupe_key.as_deref())
        .bind(party)
        .bind(case)
        .bind(m.booking_id.as_deref())
        .bind(m.language)
        .bind(&m.subject)
        .bind(&m.text)
        .bind(ms(now))
        .execute(c)
        .await)
        .map_err(Into::into)
    }
}

impl Store {
    /// One page of the organisation's letters waiting to be posted, oldest first.
    pub async fn letters_to_print(&self, organisation: OrganisationId, request: &PageRequest) -> Result<Page<Letter>> {
        let org = organisation.to_string();
        let after = self.cursor_key::<i64>(request, "letters", "created_at", &org).await?;
        let keyset = Keyset::new(request, "l.created_at", "l.id", false, 2);
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE l.organisation_id = $1 AND l.posted_at IS NULL{} {}",
            keyset.condition, keyset.order
        );
        let rows: Vec<Letter> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&org);
            if let Some((key, id)) = &after {
                query = query.bind(*key).bind(id.as_str());
            }
            query.fetch_all(p).await
        })?;
        Ok(keyset.finish(rows))
    }

    /// One letter of the organisation.
    pub async fn letter(&self, organisation: OrganisationId, id: &str) -> Result<Letter> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE l.organisation_id = $1 AND l.id = $2");
        let row: Option<Letter> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.ok_or(StoreError::NotFound)
    }

    /// Marks a letter posted by `by`, audited; a letter already posted is a `Conflict` and keeps
    /// who posted it and when.
    pub async fn mark_letter_posted(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: &str,
        by: UserId,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE letters SET posted_at = $1, posted_by = $2
             WHERE organisation_id = $3 AND id = $4 AND posted_at IS NULL"
        )
        .bind(ms(scope.at))
        .bind(by.to_string())
        .bind(organisation.to_string())
        .bind(id)
        .execute(c)
        .await)?;
        if changed == 0 {
            drop(tx);
            self.letter(organisation, id).await?;
            return Err(StoreError::Conflict("This letter was already marked as posted".into()));
        }
        tx.audit(scope, AuditEvent::ok("letter.posted", "letter", id)).await?;
        tx.commit().await
    }
}
