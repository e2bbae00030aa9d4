//! The organisation's details printed on invoices and receipts, and when unpaid bookings are released.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, with_pool};
use familytime_domain::ids::OrganisationId;

/// The organisation's details for invoices and receipts.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct BillingSettings {
    pub charity_name: String,
    pub charity_number: String,
    pub postal_address: String,
    pub payment_details: String,
    pub payment_terms_days: i64,
    /// Provisional bookings still unpaid this many hours after they were made are released
    /// (cancelled by the centre); `None` keeps them until someone acts.
    pub release_unpaid_hours: Option<i64>,
    pub version: i64,
}

impl Store {
    pub async fn billing_settings(&self, organisation: OrganisationId) -> Result<BillingSettings> {
        let row: Option<BillingSettings> = with_pool!(self, |p| sqlx::query_as(
            "SELECT charity_name, charity_number, postal_address, payment_details, payment_terms_days,
                release_unpaid_hours, version
             FROM billing_settings WHERE organisation_id = $1"
        )
        .bind(organisation.to_string())
        .fetch_optional(p)
        .await)?;
        Ok(row.unwrap_or(BillingSettings {
            payment_terms_days: 14,
            version: 0,
            ..BillingSettings::default()
        }))
    }

    /// Saves the details; refused as stale when they changed since `settings.version` (0: never saved).
    pub async fn save_billing_settings(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        settings: &BillingSettings,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = if settings.version == 0 {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO billing_settings (organisation_id, charity_name, charity_number, postal_address,
                    payment_details, payment_terms_days, release_unpaid_hours) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(organisation.to_string())
            .bind(&settings.charity_name)
            .bind(&settings.charity_number)
            .bind(&settings.postal_address)
            .bind(&settings.payment_details)
            .bind(settings.payment_terms_days)
            .bind(settings.release_unpaid_hours)
            .execute(c)
            .await)
            .map_err(|e| StoreError::unique(e, "Someone saved these details at the same moment"))
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Stale,
                other => other,
            })?
        } else {
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE billing_settings SET charity_name = $1, charity_number = $2, postal_address = $3,
                    payment_details = $4, payment_terms_days = $5, release_unpaid_hours = $6, version = version + 1
                 WHERE organisation_id = $7 AND version = $8"
            )
            .bind(&settings.charity_name)
            .bind(&settings.charity_number)
            .bind(&settings.postal_address)
            .bind(&settings.payment_details)
            .bind(settings.payment_terms_days)
            .bind(settings.release_unpaid_hours)
            .bind(organisation.to_string())
            .bind(settings.version)
            .execute(c)
            .await)?
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("billing.settings", "organisation", organisation))
            .await?;
        tx.commit().await
    }
}
