//! Triage: a case's risk assessments recorded (they are kept, never changed).

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms};
use familytime_domain::ids::{CaseId, OrganisationId};
use familytime_domain::referrals::Service;
use familytime_domain::triage::Concern;

/// A risk assessment to record, already checked.
pub struct NewAssessment<'a> {
    pub concerns: &'a [Concern],
    pub notes: Option<&'a str>,
    pub suggestion: &'a str,
    pub decision: Service,
    pub decision_reason: &'a str,
}

impl Store {
    /// Records a risk assessment (they are kept, never changed).
    pub async fn add_risk_assessment(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: CaseId,
        a: &NewAssessment<'_>,
    ) -> Result<()> {
        let assessor = scope
            .actor_user_id
            .ok_or_else(|| StoreError::Conflict("an assessment needs an assessor".into()))?;
        let mut tx = self.begin().await?;
        let concerns: Vec<&str> = a.concerns.iter().map(|c| c.as_str()).collect();
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO risk_assessments (organisation_id, id, case_id, concerns, notes, suggestion, decision, decision_reason, assessed_by, assessed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(id.to_string())
        .bind(concerns.join(","))
        .bind(a.notes)
        .bind(a.suggestion)
        .bind(a.decision.as_str())
        .bind(a.decision_reason)
        .bind(assessor.to_string())
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            _ => StoreError::from(e),
        })?;
        tx.audit(scope, AuditEvent::ok("case.risk_assessment", "case", id))
            .await?;
        tx.commit().await
    }
}
