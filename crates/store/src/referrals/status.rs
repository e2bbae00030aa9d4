//! A case's status: moving it through its status machine (the version checked, the move recorded
//! and audited), alone or as one step of a larger change.

use super::bad;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, with_tx};
use familytime_domain::ids::{CaseId, OrganisationId};
use familytime_domain::referrals::{CaseStatus, Transition, check_transition};

impl Store {
    /// Moves a case to a new status if the move is allowed and nobody changed the case since
    /// `version`; records the change (who, why) and audits it, all in one transaction.
    pub async fn transition_case(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: CaseId,
        version: i64,
        t: &Transition,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.transition_case(scope, organisation, id, version, t).await?;
        tx.commit().await
    }
}

impl Tx {
    /// Moves a case through its status machine inside this transaction (the case row locked, the
    /// version checked, the move recorded and audited), so it can be one step of a larger change.
    pub async fn transition_case(
        &mut self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: CaseId,
        version: i64,
        t: &Transition,
    ) -> Result<()> {
        let current: Option<(String, i64)> = with_tx!(self, |c| sqlx::query_as(
            "UPDATE cases SET version = version WHERE organisation_id = $1 AND id = $2 RETURNING status, version"
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .fetch_optional(c)
        .await)?;
        let Some((status, current_version)) = current else {
            return Err(StoreError::NotFound);
        };
        if current_version != version {
            return Err(StoreError::Stale);
        }
        let from = CaseStatus::parse(&status).ok_or_else(|| bad("case"))?;
        check_transition(from, t).map_err(|e| StoreError::Conflict(e.to_string()))?;
        exec_tx!(self, |c| {
            sqlx::query(
            "UPDATE cases SET status = $1, service = COALESCE($2, service), outcome = $3, missing = $4, status_since = $5,
                    updated_at = $5, version = version + 1
             WHERE organisation_id = $6 AND id = $7"
        )
        .bind(t.to.as_str())
        .bind(t.service.map(|s| s.as_str()))
        .bind(t.outcome.map(|o| o.as_str()))
        .bind(t.missing.as_deref().filter(|_| t.to == CaseStatus::Incomplete))
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id.to_string())
        .execute(c)
        .await
        })?;
        self.insert_transition(scope, organisation, id, Some(from), t).await?;
        self.audit(scope, AuditEvent::ok("case.transition", "case", id)).await
    }

    pub(super) async fn insert_transition(
        &mut self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        from: Option<CaseStatus>,
        t: &Transition,
    ) -> Result<()> {
        exec_tx!(self, |c| {
            sqlx::query(
            "INSERT INTO case_transitions (organisation_id, id, case_id, from_status, to_status, reason, service, outcome, missing, actor_user_id, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(case.to_string())
        .bind(from.map(|f| f.as_str()))
        .bind(t.to.as_str())
        .bind(&t.reason)
        .bind(t.service.map(|s| s.as_str()))
        .bind(t.outcome.map(|o| o.as_str()))
        .bind(&t.missing)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        Ok(())
    }
}
