//! Who pays for each case, in the database: the case's funding, set with its version.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms};
use familytime_domain::billing::{Funding, Payer};
use familytime_domain::ids::{CaseId, OrganisationId};

/// payer, funder_name, funded_sessions, funded_minutes, visiting_share, version.
pub(crate) type FundingRow = (String, String, Option<i64>, Option<i64>, i64, i64);

pub(crate) fn funding_of(
    (payer, funder_name, sessions, minutes, share, version): FundingRow,
) -> Result<(Funding, i64)> {
    let bad = || StoreError::Database("unreadable funding row".into());
    Ok((
        Funding {
            payer: Payer::parse(&payer).ok_or_else(bad)?,
            funder_name,
            funded_sessions: sessions.map(|n| u32::try_from(n).unwrap_or(0)),
            funded_minutes: minutes,
            visiting_share: share,
        },
        version,
    ))
}

impl Store {
    /// Sets who pays for a case. `version` is the funding's version as read (0: never set); a
    /// change since is refused as stale.
    pub async fn set_case_funding(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        funding: &Funding,
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let values = (
            funding.payer.as_str(),
            funding.funder_name.clone(),
            funding.funded_sessions.map(i64::from),
            funding.funded_minutes,
            funding.visiting_share,
        );
        let changed = if version == 0 {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO case_funding (organisation_id, case_id, payer, funder_name, funded_sessions, funded_minutes,
                    visiting_share, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            )
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(values.0)
            .bind(&values.1)
            .bind(values.2)
            .bind(values.3)
            .bind(values.4)
            .bind(scope.actor_user_id.map(|u| u.to_string()))
            .bind(ms(scope.at))
            .execute(c)
            .await)
            .map_err(|e| match StoreError::unique(e, "") {
                StoreError::Conflict(_) => StoreError::Stale,
                other => other,
            })?
        } else {
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE case_funding SET payer = $1, funder_name = $2, funded_sessions = $3, funded_minutes = $4,
                    visiting_share = $5, updated_by = $6, updated_at = $7, version = version + 1
                 WHERE organisation_id = $8 AND case_id = $9 AND version = $10"
            )
            .bind(values.0)
            .bind(&values.1)
            .bind(values.2)
            .bind(values.3)
            .bind(values.4)
            .bind(scope.actor_user_id.map(|u| u.to_string()))
            .bind(ms(scope.at))
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(version)
            .execute(c)
            .await)?
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("billing.funding", "case", case)).await?;
        tx.commit().await
    }
}
