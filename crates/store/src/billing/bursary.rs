//! The bursary fund in the database: grants received, and what is left after what the ledger
//! charged to it.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::billing::Pence;
use familytime_domain::ids::OrganisationId;
use jiff::civil::Date;

impl Store {
    /// Grants to the bursary fund, newest first: (amount, where it came from, received on, recorded at).
    pub async fn bursary_grants(&self, organisation: OrganisationId) -> Result<Vec<(Pence, String, Date, Timestamp)>> {
        let rows: Vec<(i64, String, String, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT amount_pence, source, received_on, recorded_at FROM bursary_grants
             WHERE organisation_id = $1 ORDER BY received_on DESC, recorded_at DESC"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|(amount, source, on, at)| {
                let on = on
                    .parse()
                    .map_err(|_| StoreError::Database("unreadable bursary grant".into()))?;
                Ok((Pence(amount), source, on, ts(at)))
            })
            .collect()
    }

    pub async fn add_bursary_grant(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        amount: Pence,
        source: &str,
        received_on: Date,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO bursary_grants (organisation_id, id, amount_pence, source, received_on, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(amount.0)
        .bind(source)
        .bind(received_on.to_string())
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        tx.audit(
            scope,
            AuditEvent::ok("billing.bursary_grant", "organisation", organisation),
        )
        .await?;
        tx.commit().await
    }

    /// What is left in the bursary fund: grants, less what the ledger charged to it (net of what
    /// was taken back or waived).
    pub async fn bursary_left(&self, organisation: OrganisationId) -> Result<Pence> {
        let granted: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT CAST(SUM(amount_pence) AS BIGINT) FROM bursary_grants WHERE organisation_id = $1"
        )
        .bind(organisation.to_string())
        .fetch_one(p)
        .await)?;
        let spent: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT CAST(SUM(CASE WHEN kind = 'charge' THEN amount_pence
                                  WHEN kind IN ('credit', 'waiver') THEN -amount_pence ELSE 0 END) AS BIGINT)
             FROM ledger_entries WHERE organisation_id = $1 AND funder_name = $2"
        )
        .bind(organisation.to_string())
        .bind(familytime_domain::billing::BURSARY_FUND)
        .fetch_one(p)
        .await)?;
        Ok(Pence(granted.unwrap_or(0) - spent.unwrap_or(0)))
    }
}
