//! A centre's cancellation policy in the database: its tiers, read in order and replaced whole.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, with_pool};
use familytime_domain::billing::{CancellationPolicy, Canceller, Forfeit, Tier};
use familytime_domain::ids::{CentreId, OrganisationId};

impl Store {
    /// The centre's policy; a centre that has set none forfeits nothing.
    pub async fn cancellation_policy(
        &self,
        organisation: OrganisationId,
        centre: CentreId,
    ) -> Result<CancellationPolicy> {
        let rows: Vec<(String, String, i64, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT canceller, forfeit, basis_points, under_hours FROM cancellation_tiers
             WHERE organisation_id = $1 AND centre_id = $2 ORDER BY position"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?;
        let tiers = rows
            .into_iter()
            .map(|(by, forfeit, basis_points, under_hours)| {
                let bad = || StoreError::Database("unreadable cancellation tier".into());
                Ok(Tier {
                    under_hours,
                    by: match Canceller::parse(&by) {
                        Some(c @ (Canceller::Resident | Canceller::Visiting)) => c,
                        _ => return Err(bad()),
                    },
                    forfeit: match forfeit.as_str() {
                        "session_fee" => Forfeit::SessionFee { basis_points },
                        "deposit" => Forfeit::Deposit,
                        _ => return Err(bad()),
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(CancellationPolicy::new(tiers))
    }

    /// Replaces the centre's policy with these tiers.
    pub async fn set_cancellation_policy(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        policy: &CancellationPolicy,
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.advance_list_version(
            organisation,
            crate::versions::ListKind::CancellationPolicy,
            &centre.to_string(),
            version,
        )
        .await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM cancellation_tiers WHERE organisation_id = $1 AND centre_id = $2"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .execute(c)
        .await)?;
        for (position, tier) in policy.tiers().iter().enumerate() {
            let (forfeit, basis_points) = match tier.forfeit {
                Forfeit::SessionFee { basis_points } => ("session_fee", basis_points),
                Forfeit::Deposit => ("deposit", 10_000),
                Forfeit::Nothing => continue,
            };
            let by = match tier.by {
                Canceller::Resident => "resident",
                Canceller::Visiting => "visiting",
                Canceller::Centre => continue,
            };
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO cancellation_tiers (organisation_id, centre_id, position, under_hours, canceller, forfeit, basis_points)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(organisation.to_string())
            .bind(centre.to_string())
            .bind(position as i64)
            .bind(tier.under_hours)
            .bind(by)
            .bind(forfeit)
            .bind(basis_points)
            .execute(c)
            .await
            })?;
        }
        tx.audit(scope, AuditEvent::ok("billing.cancellation_policy", "centre", centre))
            .await?;
        tx.commit().await
    }
}
