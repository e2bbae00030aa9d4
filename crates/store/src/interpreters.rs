//! Interpreters in the database (issue 19 item 8, decision 0047): the organisation's interpreters,
//! and who interprets for whom at a booking. Booking one is a claim on `interpreter:<id>` written
//! in the same transaction as the row, checked for clashes there with the claim's locks taken
//! first, and held by PostgreSQL's exclusion constraint on claims against a racing request, exactly
//! as a room or a member of staff is held.

use crate::schedule::{LONGEST_CLAIM_MS, is_exclusion_violation, lock_claims, resource_locks};
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, with_pool, with_tx};
use familytime_domain::ids::{BookingId, OrganisationId};
use familytime_domain::interpreters::NewInterpreter;
use familytime_domain::schedule::Interval;

/// One of the organisation's interpreters.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Interpreter {
    pub id: String,
    pub name: String,
    /// Comma-separated, as written.
    pub languages: String,
}

/// An interpreter booked for an adult at a booking.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookedInterpreter {
    pub interpreter_id: String,
    pub party_id: String,
    pub language: String,
    pub name: String,
}

/// The interpreter to book for an adult: who, for which language, over which span (the booking's
/// time on site), and their name for a refusal.
#[derive(Debug, Clone)]
pub struct InterpreterChoice {
    pub interpreter_id: String,
    pub language: String,
    pub span: Interval,
    pub name: String,
}

/// Why an interpreter could not be booked.
#[derive(Debug)]
pub enum InterpreterRefused {
    /// They are already booked at an overlapping time (nothing was written).
    Busy(String),
    Store(StoreError),
}

impl From<StoreError> for InterpreterRefused {
    fn from(e: StoreError) -> Self {
        InterpreterRefused::Store(e)
    }
}

/// The claim's resource for an interpreter.
pub fn interpreter_resource(id: &str) -> String {
    format!("interpreter:{id}")
}

impl Store {
    /// The organisation's interpreters, by name.
    pub async fn interpreters(&self, organisation: OrganisationId) -> Result<Vec<Interpreter>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name, languages FROM interpreters WHERE organisation_id = $1 ORDER BY name, id"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await)?)
    }

    /// Adds an interpreter; returns their id.
    pub async fn add_interpreter(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        new: &NewInterpreter,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO interpreters (organisation_id, id, name, languages, created_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(&new.name)
        .bind(new.languages_text())
        .bind(ms(scope.at))
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("interpreter.add", "interpreter", &id))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The interpreters booked at a booking.
    pub async fn booking_interpreters(
        &self,
        organisation: OrganisationId,
        booking: BookingId,
    ) -> Result<Vec<BookedInterpreter>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT bi.interpreter_id, bi.party_id, bi.language, i.name
             FROM booking_interpreters bi
             JOIN interpreters i ON i.organisation_id = bi.organisation_id AND i.id = bi.interpreter_id
             WHERE bi.organisation_id = $1 AND bi.booking_id = $2 ORDER BY bi.party_id"
        )
        .bind(organisation.to_string())
        .bind(booking.to_string())
        .fetch_all(p)
        .await)?)
    }

    /// Books an interpreter for one adult of a booking (`choice`), or takes theirs off (`None`), all
    /// or nothing; the booking's version moves on (a stale form is refused). An interpreter already
    /// booked at an overlapping time elsewhere is refused by name and nothing changes.
    pub async fn set_interpreter(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: BookingId,
        version: i64,
        party: &str,
        choice: Option<&InterpreterChoice>,
    ) -> std::result::Result<(), InterpreterRefused> {
        let org = organisation.to_string();
        let id = booking.to_string();
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE bookings SET updated_at = $1, version = version + 1
             WHERE organisation_id = $2 AND id = $3 AND version = $4 AND status IN ('provisional', 'confirmed')"
        )
        .bind(ms(scope.at))
        .bind(&org)
        .bind(&id)
        .bind(version)
        .execute(c)
        .await)
        .map_err(StoreError::from)?;
        if changed == 0 {
            return Err(StoreError::Stale.into());
        }
        // The adult's interpreter so far, and whether anyone else at the booking keeps them.
        let before: Option<String> = with_tx!(tx, |c| sqlx::query_scalar(
            "SELECT interpreter_id FROM booking_interpreters
             WHERE organisation_id = $1 AND booking_id = $2 AND party_id = $3"
        )
        .bind(&org)
        .bind(&id)
        .bind(party)
        .fetch_optional(c)
        .await)
        .map_err(StoreError::from)?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM booking_interpreters WHERE organisation_id = $1 AND booking_id = $2 AND party_id = $3"
        )
        .bind(&org)
        .bind(&id)
        .bind(party)
        .execute(c)
        .await)
        .map_err(StoreError::from)?;
        if let Some(before) = before {
            let kept: Option<String> = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT party_id FROM booking_interpreters
                 WHERE organisation_id = $1 AND booking_id = $2 AND interpreter_id = $3 LIMIT 1"
            )
            .bind(&org)
            .bind(&id)
            .bind(&before)
            .fetch_optional(c)
            .await)
            .map_err(StoreError::from)?;
            if kept.is_none() {
                exec_tx!(tx, |c| sqlx::query(
                    "DELETE FROM booking_claims WHERE organisation_id = $1 AND booking_id = $2 AND resource = $3"
                )
                .bind(&org)
                .bind(&id)
                .bind(interpreter_resource(&before))
                .execute(c)
                .await)
                .map_err(StoreError::from)?;
            }
        }
        if let Some(choice) = choice {
            let resource = interpreter_resource(&choice.interpreter_id);
            lock_claims(&mut tx, &resource_locks(organisation, &resource, &choice.span)).await?;
            let held: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT COUNT(*) FROM booking_claims
                 WHERE organisation_id = $1 AND resource = $2 AND booking_id <> $3
                   AND starts_at < $4 AND starts_at > $5 AND ends_at > $6"
            )
            .bind(&org)
            .bind(&resource)
            .bind(&id)
            .bind(ms(choice.span.end))
            .bind(ms(choice.span.start) - LONGEST_CLAIM_MS)
            .bind(ms(choice.span.start))
            .fetch_one(c)
            .await)
            .map_err(StoreError::from)?;
            let busy = || InterpreterRefused::Busy(format!("{} is already booked then", choice.name));
            if held > 0 {
                return Err(busy());
            }
            // The same interpreter for a second adult of the booking: the claim is there already.
            // (Not `ON CONFLICT DO NOTHING`: on PostgreSQL that would swallow the exclusion
            // constraint's refusal too, and the database would no longer hold the rule.)
            let held_here: Option<i64> = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT CAST(1 AS BIGINT) FROM booking_claims
                 WHERE organisation_id = $1 AND booking_id = $2 AND resource = $3"
            )
            .bind(&org)
            .bind(&id)
            .bind(&resource)
            .fetch_optional(c)
            .await)
            .map_err(StoreError::from)?;
            let inserted = if held_here.is_some() {
                Ok(0)
            } else {
                exec_tx!(tx, |c| sqlx::query(
                    "INSERT INTO booking_claims (organisation_id, booking_id, resource, exclusive, starts_at, ends_at)
                     VALUES ($1, $2, $3, $4, $5, $6)"
                )
                .bind(&org)
                .bind(&id)
                .bind(&resource)
                .bind(true)
                .bind(ms(choice.span.start))
                .bind(ms(choice.span.end))
                .execute(c)
                .await)
            };
            match inserted {
                // Another request took them at the same moment (PostgreSQL's constraint).
                Err(e) if is_exclusion_violation(&e) => return Err(busy()),
                other => other.map_err(StoreError::from)?,
            };
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO booking_interpreters (organisation_id, booking_id, interpreter_id, party_id, language)
                 VALUES ($1, $2, $3, $4, $5)"
            )
            .bind(&org)
            .bind(&id)
            .bind(&choice.interpreter_id)
            .bind(party)
            .bind(&choice.language)
            .execute(c)
            .await)
            .map_err(StoreError::from)?;
        }
        tx.audit(scope, AuditEvent::ok("booking.interpreter", "booking", &id))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
