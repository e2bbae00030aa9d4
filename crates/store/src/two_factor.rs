//! Two-factor sign-in (issue 18 item 4, decision 0052): each person's TOTP factor and its last
//! accepted time step, their hashed recovery codes, the sign-ins waiting for their second step, and
//! the organisation's policy. Codes and secrets are checked in the application layer; every write
//! that accepts one here is a single conditional statement, so two requests racing with the same
//! code cannot both win.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_pool, exec_tx, ms, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::ids::{OrganisationId, UserId};

/// A person's factor: the secret (base32), whether a first code confirmed it, and the last time
/// step accepted.
#[derive(Debug, Clone)]
pub struct Factor {
    pub secret: String,
    pub confirmed: bool,
    pub last_step: Option<i64>,
}

/// Which second step a pending sign-in waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingStep {
    /// A code from the person's authenticator (or a recovery code).
    Code,
    /// Enrolment first: the policy requires a factor and the person has none.
    Enrol,
}

impl PendingStep {
    fn as_str(self) -> &'static str {
        match self {
            PendingStep::Code => "code",
            PendingStep::Enrol => "enrol",
        }
    }
}

/// A sign-in waiting for its second step.
#[derive(Debug, Clone)]
pub struct PendingSignIn {
    pub organisation_id: OrganisationId,
    pub user_id: UserId,
    pub step: PendingStep,
}

fn bad_row() -> StoreError {
    StoreError::Database("unreadable two-factor row".into())
}

impl Store {
    /// Whether the organisation requires a second factor of the roles that see case data, and the
    /// organisation's version (sent back with a change).
    pub async fn two_factor_required(&self, organisation: OrganisationId) -> Result<(bool, i64)> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT two_factor_required, version FROM organisations WHERE id = $1"
        )
        .bind(organisation.to_string())
        .fetch_one(p)
        .await)?)
    }

    /// Sets the policy (audited either way). With `version`, a change made since it was read is
    /// refused as stale; without, it is set outright (the tests and the command line).
    pub async fn set_two_factor_required(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        required: bool,
        version: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = match version {
            Some(read) => exec_tx!(tx, |c| sqlx::query(
                "UPDATE organisations SET two_factor_required = $1, version = version + 1
                 WHERE id = $2 AND version = $3"
            )
            .bind(required)
            .bind(organisation.to_string())
            .bind(read)
            .execute(c)
            .await)?,
            None => exec_tx!(tx, |c| sqlx::query(
                "UPDATE organisations SET two_factor_required = $1, version = version + 1 WHERE id = $2"
            )
            .bind(required)
            .bind(organisation.to_string())
            .execute(c)
            .await)?,
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        let event = if required {
            "two_factor.policy.on"
        } else {
            "two_factor.policy.off"
        };
        tx.audit(scope, AuditEvent::ok(event, "organisation", organisation))
            .await?;
        tx.commit().await
    }

    /// The person's factor, confirmed or still being enrolled.
    pub async fn two_factor(&self, organisation: OrganisationId, user: UserId) -> Result<Option<Factor>> {
        let row: Option<(String, Option<i64>, Option<i64>)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT secret, confirmed_at, last_step FROM two_factor WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .fetch_optional(p)
        .await)?;
        Ok(row.map(|(secret, confirmed_at, last_step)| Factor {
            secret,
            confirmed: confirmed_at.is_some(),
            last_step,
        }))
    }

    /// Starts enrolment with `secret` unless the person already has a factor (confirmed or not):
    /// an enrolment in progress keeps its secret, so the page can be reloaded while the person
    /// scans it.
    pub async fn start_two_factor(
        &self,
        organisation: OrganisationId,
        user: UserId,
        secret: &str,
        at: Timestamp,
    ) -> Result<()> {
        exec_pool!(self, |p| sqlx::query(
            "INSERT INTO two_factor (organisation_id, user_id, secret, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (organisation_id, user_id) DO NOTHING"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .bind(secret)
        .bind(ms(at))
        .execute(p)
        .await)?;
        Ok(())
    }

    /// Confirms an enrolment with the step of its first code and stores the recovery codes'
    /// hashes, in one transaction (audited "two_factor.enrolled"). Refused as stale when the
    /// factor is gone or already confirmed (a second tab, or an administrator's reset meanwhile).
    pub async fn confirm_two_factor(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: UserId,
        step: i64,
        recovery_hashes: &[String],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE two_factor SET confirmed_at = $1, last_step = $2
             WHERE organisation_id = $3 AND user_id = $4 AND confirmed_at IS NULL"
        )
        .bind(ms(scope.at))
        .bind(step)
        .bind(organisation.to_string())
        .bind(user.to_string())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        for hash in recovery_hashes {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO two_factor_recovery_codes (organisation_id, user_id, code_hash) VALUES ($1, $2, $3)"
            )
            .bind(organisation.to_string())
            .bind(user.to_string())
            .bind(hash)
            .execute(c)
            .await)?;
        }
        tx.audit(scope, AuditEvent::ok("two_factor.enrolled", "user", user))
            .await?;
        tx.commit().await
    }

    /// Takes time step `step` for the person's confirmed factor if it is later than every step taken
    /// before: false for a replayed (or earlier) step, so each code works once.
    pub async fn accept_two_factor_step(&self, organisation: OrganisationId, user: UserId, step: i64) -> Result<bool> {
        let changed = exec_pool!(self, |p| sqlx::query(
            "UPDATE two_factor SET last_step = $1
             WHERE organisation_id = $2 AND user_id = $3 AND confirmed_at IS NOT NULL
               AND (last_step IS NULL OR last_step < $1)"
        )
        .bind(step)
        .bind(organisation.to_string())
        .bind(user.to_string())
        .execute(p)
        .await)?;
        Ok(changed == 1)
    }

    /// Uses up the recovery code with this hash: false when it is not one of the person's, or was
    /// used already.
    pub async fn use_recovery_code(
        &self,
        organisation: OrganisationId,
        user: UserId,
        code_hash: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let changed = exec_pool!(self, |p| sqlx::query(
            "UPDATE two_factor_recovery_codes SET used_at = $1
             WHERE organisation_id = $2 AND user_id = $3 AND code_hash = $4 AND used_at IS NULL"
        )
        .bind(ms(at))
        .bind(organisation.to_string())
        .bind(user.to_string())
        .bind(code_hash)
        .execute(p)
        .await)?;
        Ok(changed == 1)
    }

    /// How many of the person's recovery codes are still unused.
    pub async fn recovery_codes_left(&self, organisation: OrganisationId, user: UserId) -> Result<i64> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM two_factor_recovery_codes
             WHERE organisation_id = $1 AND user_id = $2 AND used_at IS NULL"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .fetch_one(p)
        .await)?)
    }

    /// Removes the person's factor and recovery codes (audited as `event`: turned off by the person,
    /// or reset by an administrator). A reset also ends the person's sessions, so a lost phone's
    /// owner signs in again and enrols afresh. False when there was no factor.
    pub async fn remove_two_factor(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: UserId,
        event: &'static str,
        end_sessions: bool,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM two_factor_recovery_codes WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .execute(c)
        .await)?;
        let removed = exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM two_factor WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .execute(c)
        .await)?;
        if removed == 0 {
            return Ok(false);
        }
        if end_sessions {
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE sessions SET ended_at = $1 WHERE organisation_id = $2 AND user_id = $3 AND ended_at IS NULL"
            )
            .bind(ms(scope.at))
            .bind(organisation.to_string())
            .bind(user.to_string())
            .execute(c)
            .await)?;
        }
        tx.audit(scope, AuditEvent::ok(event, "user", user)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records a sign-in whose password was right, waiting for `step` until `expires`.
    pub async fn create_pending_sign_in(
        &self,
        token_hash: &str,
        organisation: OrganisationId,
        user: UserId,
        step: PendingStep,
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<()> {
        exec_pool!(self, |p| sqlx::query(
            "INSERT INTO pending_sign_ins (token_hash, organisation_id, user_id, step, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(token_hash)
        .bind(organisation.to_string())
        .bind(user.to_string())
        .bind(step.as_str())
        .bind(ms(at))
        .bind(ms(expires))
        .execute(p)
        .await)?;
        Ok(())
    }

    /// The pending sign-in with this token hash, if it is unused and has not expired at `at`.
    pub async fn pending_sign_in(&self, token_hash: &str, at: Timestamp) -> Result<Option<PendingSignIn>> {
        let row: Option<(String, String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT organisation_id, user_id, step FROM pending_sign_ins
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
        )
        .bind(token_hash)
        .bind(ms(at))
        .fetch_optional(p)
        .await)?;
        let Some((org, user, step)) = row else { return Ok(None) };
        Ok(Some(PendingSignIn {
            organisation_id: OrganisationId::parse(&org).map_err(|_| bad_row())?,
            user_id: UserId::parse(&user).map_err(|_| bad_row())?,
            step: match step.as_str() {
                "code" => PendingStep::Code,
                "enrol" => PendingStep::Enrol,
                _ => return Err(bad_row()),
            },
        }))
    }

    /// Uses the pending sign-in up: true once only, so one password gives at most one session.
    pub async fn finish_pending_sign_in(&self, token_hash: &str, at: Timestamp) -> Result<bool> {
        let changed = exec_pool!(self, |p| sqlx::query(
            "UPDATE pending_sign_ins SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1"
        )
        .bind(ms(at))
        .bind(token_hash)
        .execute(p)
        .await)?;
        Ok(changed == 1)
    }
}
