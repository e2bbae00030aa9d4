//! Staff for scheduling: each worker's profile (qualifications, checks, centres), weekly hours and
//! leave.

use super::rows::hhmm;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms};
use familytime_domain::ids::{CentreId, OrganisationId, UserId};
use jiff::civil::{Date, Time};

/// A staff member's scheduling profile.
#[derive(Debug, Clone)]
pub struct StaffProfile {
    pub user_id: UserId,
    pub name: String,
    pub role: String,
    pub qualified_supervised: bool,
    pub qualifications: String,
    pub dbs_checked_on: Option<Date>,
    /// Weekly hours: weekday 1–7, start, end.
    pub availability: Vec<(i8, Time, Time)>,
    pub leave: Vec<(Date, Date)>,
    /// The centres they work at; empty when they work at all the organisation's centres.
    pub centres: Vec<CentreId>,
    pub version: i64,
}

impl StaffProfile {
    pub fn works_at(&self, centre: CentreId) -> bool {
        self.centres.is_empty() || self.centres.contains(&centre)
    }
}

impl Store {
    /// Every active staff member's scheduling profile (people without one are not yet rostered).
    pub async fn staff_profiles(&self, organisation: OrganisationId) -> Result<Vec<StaffProfile>> {
        self.load_staff_profiles(organisation, None).await
    }

    /// Saves a staff member's profile and replaces their weekly hours.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_staff_profile(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: UserId,
        qualified: bool,
        qualifications: &str,
        dbs_checked_on: Option<Date>,
        hours: &[(i8, Time, Time)],
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        // The version read is checked in the write itself: 0 means "never saved", so the row must not
        // exist yet; otherwise only the row still at that version is changed. No row written: stale.
        let written = if version == 0 {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO staff_profiles (organisation_id, user_id, qualified_supervised, qualifications, dbs_checked_on, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (organisation_id, user_id) DO NOTHING"
            )
            .bind(organisation.to_string())
            .bind(user.to_string())
            .bind(qualified)
            .bind(qualifications)
            .bind(dbs_checked_on.map(|d| d.to_string()))
            .bind(ms(scope.at))
            .execute(c)
            .await
            })?
        } else {
            exec_tx!(tx, |c| {
                sqlx::query(
                    "UPDATE staff_profiles SET qualified_supervised = $3, qualifications = $4, dbs_checked_on = $5,
                    updated_at = $6, version = version + 1
                 WHERE organisation_id = $1 AND user_id = $2 AND version = $7",
                )
                .bind(organisation.to_string())
                .bind(user.to_string())
                .bind(qualified)
                .bind(qualifications)
                .bind(dbs_checked_on.map(|d| d.to_string()))
                .bind(ms(scope.at))
                .bind(version)
                .execute(c)
                .await
            })?
        };
        if written != 1 {
            return Err(StoreError::Stale);
        }
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM staff_availability WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .execute(c)
        .await)?;
        for (day, starts, ends) in hours {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO staff_availability (organisation_id, id, user_id, weekday, starts, ends) VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(organisation.to_string())
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(user.to_string())
            .bind(i64::from(*day))
            .bind(hhmm(*starts))
            .bind(hhmm(*ends))
            .execute(c)
            .await
            })?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.staff.profile", "user", user))
            .await?;
        tx.commit().await
    }

    pub async fn add_staff_leave(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: UserId,
        first: Date,
        last: Date,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO staff_leave (organisation_id, id, user_id, first_day, last_day) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(user.to_string())
        .bind(first.to_string())
        .bind(last.to_string())
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("schedule.staff.leave", "user", user))
            .await?;
        tx.commit().await
    }
}
