//! What people choose about e-mail (decision 0051): opting out of reminders (on one's own account,
//! or on a party of a case, set by staff when the parent asks) and each centre's reminder times.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, with_pool};
use familytime_domain::ids::{CaseId, CentreId, OrganisationId, PartyId, UserId};
use familytime_domain::mail::ReminderHours;

impl Store {
    /// Whether the person has opted out of reminders on their account.
    pub async fn own_reminders_off(&self, organisation: OrganisationId, user: UserId) -> Result<bool> {
        let off: Option<Option<i64>> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT reminders_off_at FROM users WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .fetch_optional(p)
        .await)?;
        Ok(off.ok_or(StoreError::NotFound)?.is_some())
    }

    /// Turns the person's own reminders off or on, audited.
    pub async fn set_own_reminders_off(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: UserId,
        off: bool,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE users SET reminders_off_at = $1 WHERE organisation_id = $2 AND id = $3"
        )
        .bind(off.then_some(ms(scope.at)))
        .bind(organisation.to_string())
        .bind(user.to_string())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        let action = if off { "user.reminders_off" } else { "user.reminders_on" };
        tx.audit(scope, AuditEvent::ok(action, "user", user)).await?;
        tx.commit().await
    }

    /// Whether a party of a case has opted out of reminders (set by staff).
    pub async fn party_reminders_off(
        &self,
        organisation: OrganisationId,
        case: CaseId,
        party: PartyId,
    ) -> Result<bool> {
        let off: Option<Option<i64>> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT reminders_off_at FROM case_parties WHERE organisation_id = $1 AND case_id = $2 AND id = $3"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .bind(party.to_string())
        .fetch_optional(p)
        .await)?;
        Ok(off.ok_or(StoreError::NotFound)?.is_some())
    }

    /// Turns a party's reminders off or on (staff, when the parent asks), audited on the case.
    pub async fn set_party_reminders_off(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        party: PartyId,
        off: bool,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE case_parties SET reminders_off_at = $1 WHERE organisation_id = $2 AND case_id = $3 AND id = $4"
        )
        .bind(off.then_some(ms(scope.at)))
        .bind(organisation.to_string())
        .bind(case.to_string())
        .bind(party.to_string())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        let action = if off {
            "party.reminders_off"
        } else {
            "party.reminders_on"
        };
        tx.audit(scope, AuditEvent::ok(action, "case_party", party)).await?;
        tx.commit().await
    }

    /// A centre's reminder times and its version (for a stale write to be refused).
    pub async fn centre_reminder_hours(
        &self,
        organisation: OrganisationId,
        centre: CentreId,
    ) -> Result<(ReminderHours, i64)> {
        let row: Option<(i64, i64, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT CAST(reminder_first_hours AS BIGINT), CAST(reminder_second_hours AS BIGINT), version
             FROM centres WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_optional(p)
        .await)?;
        let (first, second, version) = row.ok_or(StoreError::NotFound)?;
        let hours = ReminderHours::new(first, second)
            .map_err(|_| StoreError::Database("a centre's reminder times do not parse".into()))?;
        Ok((hours, version))
    }

    /// Sets a centre's reminder times if nobody has changed the centre since `version` (else
    /// `Stale`, nothing changes), audited.
    pub async fn set_centre_reminder_hours(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        hours: ReminderHours,
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE centres SET reminder_first_hours = $1, reminder_second_hours = $2, updated_at = $3,
                version = version + 1
             WHERE organisation_id = $4 AND id = $5 AND version = $6"
        )
        .bind(hours.first())
        .bind(hours.second())
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .bind(version)
        .execute(c)
        .await)?;
        if changed == 0 {
            drop(tx);
            self.centre_reminder_hours(organisation, centre).await?;
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("centre.reminder_times", "centre", centre))
            .await?;
        tx.commit().await
    }
}
