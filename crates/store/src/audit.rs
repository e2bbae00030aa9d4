//! Writing and reading the audit log. An entry is appended inside the same transaction as the change
//! it records, so a change without its entry (or an entry without its change) cannot be committed.

use crate::{Batch, Result, Store, Tx, ms, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::audit::{AuditEntry, ChainBreak, ChainVerifier};
use familytime_domain::ids::{OrganisationId, UserId};

/// Who is acting, when, and in which request: the same for every entry a request writes.
#[derive(Debug, Clone)]
pub struct AuditScope {
    pub at: Timestamp,
    pub request_id: String,
    pub actor_user_id: Option<UserId>,
    pub organisation_id: Option<OrganisationId>,
}

/// What happened. Actions and object types are fixed words chosen in code (`&'static str`), and the
/// object is named by its identifier, so no personal data can reach the log through an entry.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<String>,
    pub outcome: &'static str,
}

impl AuditEvent {
    pub fn ok(action: &'static str, object_type: &'static str, object_id: impl ToString) -> Self {
        AuditEvent {
            action,
            object_type,
            object_id: Some(object_id.to_string()),
            outcome: "ok",
        }
    }
    pub fn denied(action: &'static str, object_type: &'static str, object_id: Option<String>) -> Self {
        AuditEvent {
            action,
            object_type,
            object_id,
            outcome: "denied",
        }
    }
}

#[derive(sqlx::FromRow)]
struct Head {
    seq: i64,
    hash: String,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    seq: i64,
    at: i64,
    request_id: String,
    actor_user_id: Option<String>,
    organisation_id: Option<String>,
    action: String,
    object_type: String,
    object_id: Option<String>,
    outcome: String,
    prev_hash: String,
    hash: String,
}

impl From<EntryRow> for AuditEntry {
    fn from(r: EntryRow) -> Self {
        AuditEntry {
            seq: r.seq,
            at_ms: r.at,
            request_id: r.request_id,
            actor_user_id: r.actor_user_id,
            organisation_id: r.organisation_id,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            outcome: r.outcome,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

impl Tx {
    /// Appends one entry to the chain. The no-op update takes the head row's lock (PostgreSQL) or
    /// runs under the write lock (SQLite), so concurrent appends are numbered one after another.
    pub async fn audit(&mut self, scope: &AuditScope, event: AuditEvent) -> Result<()> {
        let head: Head = with_tx!(self, |c| sqlx::query_as(
            "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash"
        )
        .fetch_one(c)
        .await)?;
        let mut entry = AuditEntry {
            seq: head.seq + 1,
            at_ms: ms(scope.at),
            request_id: scope.request_id.clone(),
            actor_user_id: scope.actor_user_id.map(|u| u.to_string()),
            organisation_id: scope.organisation_id.map(|o| o.to_string()),
            action: event.action.to_owned(),
            object_type: event.object_type.to_owned(),
            object_id: event.object_id,
            outcome: event.outcome.to_owned(),
            prev_hash: head.hash,
            hash: String::new(),
        };
        entry.hash = entry.expected_hash();
        // The entry and the head's move, in one round trip.
        let mut w = Batch::default();
        let values = [
            w.int(entry.seq),
            w.int(entry.at_ms),
            w.text(entry.request_id.clone()),
            w.text(entry.actor_user_id.clone()),
            w.text(entry.organisation_id.clone()),
            w.text(entry.action.clone()),
            w.text(entry.object_type.clone()),
            w.text(entry.object_id.clone()),
            w.text(entry.outcome.clone()),
            w.text(entry.prev_hash.clone()),
            w.text(entry.hash.clone()),
        ];
        w.push(format!(
            "INSERT INTO audit_log (seq, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome, prev_hash, hash)
             VALUES ({})",
            values.join(", ")
        ));
        let (seq, hash) = (w.int(entry.seq), w.text(entry.hash.clone()));
        w.push(format!("UPDATE audit_head SET seq = {seq}, hash = {hash} WHERE id = 1"));
        w.execute(self).await?;
        Ok(())
    }
}

impl Store {
    /// Records an event that changes nothing else (a read of personal data, a refused sign-in).
    pub async fn audit(&self, scope: &AuditScope, event: AuditEvent) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.audit(scope, event).await?;
        tx.commit().await
    }

    /// The organisation's entries, newest first, before `before_seq` (for paging).
    pub async fn audit_entries(
        &self,
        organisation: OrganisationId,
        before_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let rows: Vec<EntryRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT seq, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome, prev_hash, hash
             FROM audit_log WHERE organisation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3"
        )
        .bind(organisation.to_string())
        .bind(before_seq.unwrap_or(i64::MAX))
        .bind(limit.clamp(1, 500))
        .fetch_all(p)
        .await
        })?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }

    /// Walks the whole chain, a page at a time, up to the head as it was when the walk began (entries
    /// appended meanwhile are left for the next run). Rows numbered outside the chain are reported too.
    /// `Ok(Ok(n))`: intact with n entries; `Ok(Err(break))`: the first place it is broken.
    pub async fn verify_audit_chain(&self) -> Result<Result<i64, ChainBreak>> {
        let head: Head = with_pool!(self, |p| sqlx::query_as(
            "SELECT seq, hash FROM audit_head WHERE id = 1"
        )
        .fetch_one(p)
        .await)?;
        let stray: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT MIN(seq) FROM audit_log WHERE seq < 1"
        )
        .fetch_one(p)
        .await)?;
        if let Some(seq) = stray {
            return Ok(Err(ChainBreak::Gap { seq, previous: 0 }));
        }
        let mut verifier = ChainVerifier::default();
        let mut after = 0_i64;
        loop {
            let rows: Vec<EntryRow> = with_pool!(self, |p| {
                sqlx::query_as(
                "SELECT seq, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome, prev_hash, hash
                 FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT 1000"
            )
            .bind(after)
            .bind(head.seq)
            .fetch_all(p)
            .await
            })?;
            let Some(last) = rows.last() else { break };
            after = last.seq;
            for row in rows {
                if let Err(broken) = verifier.check(&AuditEntry::from(row)) {
                    return Ok(Err(broken));
                }
            }
        }
        Ok(verifier.finish(head.seq, &head.hash))
    }
}
