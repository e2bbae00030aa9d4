//! Reads that show a family, in the audit log (issue 18 item 6, decision 0053): one entry per case
//! shown, queued in one statement batch with the request's address kept beside the chain; "who
//! viewed this family" read back by the case through an index; and the log exported in order.

use crate::{Batch, Result, Store, ms, with_pool};
use familytime_domain::audit::AuditEntry;
use familytime_domain::ids::{CaseId, OrganisationId};

use crate::audit::{AuditEvent, AuditScope};

/// One entry naming a case, for "who viewed this family".
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseAccess {
    pub seq: i64,
    pub at: i64,
    pub actor_user_id: Option<String>,
    /// The actor's name, if the entry names a member of the organisation.
    pub actor_name: Option<String>,
    pub action: String,
    pub outcome: String,
    /// Where the request came from, when it was a read that showed the family.
    pub address: Option<String>,
}

impl Store {
    /// Records that a request showed these families (`action` names what showed them): an entry per
    /// case, each case once, and the request's address beside them. One transaction, one batch.
    pub async fn audit_family_reads(
        &self,
        scope: &AuditScope,
        address: &str,
        action: &'static str,
        cases: impl IntoIterator<Item = CaseId>,
    ) -> Result<()> {
        let mut seen = std::collections::BTreeSet::new();
        let mut w = Batch::default();
        for case in cases {
            if seen.insert(case) {
                w.audit(scope, AuditEvent::ok(action, "case", case));
            }
        }
        if seen.is_empty() {
            return Ok(());
        }
        if let Some(org) = scope.organisation_id {
            let values = [
                w.text(scope.request_id.clone()),
                w.text(org.to_string()),
                w.text(address.to_owned()),
                w.int(ms(scope.at)),
            ];
            w.push(format!(
                "INSERT INTO audit_addresses (request_id, organisation_id, address, at) VALUES ({}) ON CONFLICT (request_id) DO NOTHING",
                values.join(", ")
            ));
        }
        let mut tx = self.begin().await?;
        w.execute(&mut tx).await?;
        tx.commit().await
    }

    /// The entries naming one case, newest first, before `before_seq`: who read or changed the
    /// family's records, when, and from where. Read through the log's index by the case.
    pub async fn case_access(
        &self,
        organisation: OrganisationId,
        case: CaseId,
        before_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<CaseAccess>> {
        self.seal_audit().await?;
        let rows: Vec<CaseAccess> = with_pool!(self, |p| sqlx::query_as(
            "SELECT l.seq, l.at, l.actor_user_id, u.name AS actor_name, l.action, l.outcome, a.address
             FROM audit_log l
             LEFT JOIN users u ON u.organisation_id = l.organisation_id AND u.id = l.actor_user_id
             LEFT JOIN audit_addresses a ON a.request_id = l.request_id
             WHERE l.organisation_id = $1 AND l.object_type = 'case' AND l.object_id = $2 AND l.seq < $3
             ORDER BY l.seq DESC LIMIT $4"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .bind(before_seq.unwrap_or(i64::MAX))
        .bind(limit.clamp(1, 500))
        .fetch_all(p)
        .await)?;
        Ok(rows)
    }

    /// Up to `limit` sealed entries after `since`, in order (the export for an off-server store).
    pub async fn audit_entries_since(&self, since: i64, limit: i64) -> Result<Vec<AuditEntry>> {
        self.seal_audit().await?;
        let rows: Vec<crate::audit::EntryRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT seq, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome, prev_hash, hash
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
        )
        .bind(since)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(p)
        .await
        })?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }
}
