//! A booking's life after it is made: its own view and history, status changes (confirm, cancel,
//! attended or not), cancelling with what it does to the money, and moving it to another time.

use super::booking::{BookingError, Clash, NewBooking, claim_locks, lock_claims};
use super::rows::{BOOKING_SELECT, Booking, BookingRow, BookingStatus};
use crate::{AuditEvent, AuditScope, Batch, Result, Store, StoreError, Tx, exec_tx, ms, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::ids::{BookingId, OrganisationId};

/// What happened to a booking.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookingEvent {
    pub at: i64,
    pub actor_name: Option<String>,
    pub event: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub detail: Option<String>,
}

impl Store {
    pub async fn booking(&self, organisation: OrganisationId, id: BookingId) -> Result<Booking> {
        let sql = format!("{BOOKING_SELECT} WHERE b.organisation_id = $1 AND b.id = $2");
        let row: BookingRow = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(id.to_string())
            .fetch_one(p)
            .await)?;
        row.try_into()
    }

    pub async fn booking_events(&self, organisation: OrganisationId, booking: BookingId) -> Result<Vec<BookingEvent>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT e.at, u.name AS actor_name, e.event, e.from_status, e.to_status, e.detail FROM booking_events e
             LEFT JOIN users u ON u.organisation_id = e.organisation_id AND u.id = e.actor_id
             WHERE e.organisation_id = $1 AND e.booking_id = $2 ORDER BY e.at, e.id"
        )
        .bind(organisation.to_string())
        .bind(booking.to_string())
        .fetch_all(p)
        .await)?)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn record_event(
        tx: &mut Tx,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: &str,
        event: &str,
        from: Option<&str>,
        to: Option<&str>,
        detail: Option<&str>,
    ) -> Result<()> {
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO booking_events (organisation_id, id, booking_id, at, actor_id, event, from_status, to_status, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(booking)
        .bind(ms(scope.at))
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(event)
        .bind(from)
        .bind(to)
        .bind(detail)
        .execute(c)
        .await
        })?;
        Ok(())
    }

    /// Moves a booking to a new status. Leaving the live statuses frees its claims. Refused as
    /// stale when it changed since `version`, and when the move is not allowed.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_booking_status(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: BookingId,
        next: BookingStatus,
        version: i64,
        reason: Option<&str>,
        cancelled_by: Option<&str>,
        messages: &[crate::mail::NewMessage],
    ) -> Result<()> {
        self.set_booking_status_due_by(
            scope,
            organisation,
            booking,
            next,
            version,
            reason,
            cancelled_by,
            messages,
            None,
        )
        .await
    }

    /// As `set_booking_status`, its messages carrying the time they must be sent by (the referrer's
    /// notice of a stopped session, decision 0050).
    #[allow(clippy::too_many_arguments)]
    pub async fn set_booking_status_due_by(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: BookingId,
        next: BookingStatus,
        version: i64,
        reason: Option<&str>,
        cancelled_by: Option<&str>,
        messages: &[crate::mail::NewMessage],
        due_by: Option<Timestamp>,
    ) -> Result<()> {
        let current = self.booking(organisation, booking).await?;
        if !current.status.may_become(next) {
            return Err(StoreError::Conflict(format!(
                "A {} booking cannot become {}",
                current.status.label().to_lowercase(),
                next.label().to_lowercase()
            )));
        }
        let mut tx = self.begin().await?;
        Self::apply_status(
            &mut tx,
            scope,
            organisation,
            &current,
            next,
            version,
            reason,
            cancelled_by,
        )
        .await?;
        tx.audit(scope, AuditEvent::ok("booking.status", "booking", booking))
            .await?;
        // The messages the change causes commit with it, or not at all (decision 0044).
        tx.enqueue_due_by(organisation, messages, scope.at, due_by).await?;
        tx.commit().await
    }

    /// The status change itself, inside a transaction: refused as stale when the booking changed
    /// since `version`.
    #[allow(clippy::too_many_arguments)]
    async fn apply_status(
        tx: &mut Tx,
        scope: &AuditScope,
        organisation: OrganisationId,
        current: &Booking,
        next: BookingStatus,
        version: i64,
        reason: Option<&str>,
        cancelled_by: Option<&str>,
    ) -> Result<()> {
        let notice = (next == BookingStatus::Cancelled)
            .then(|| (current.span.start.as_second() - scope.at.as_second()).div_euclid(60));
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE bookings SET status = $1, status_reason = COALESCE($2, status_reason), cancelled_by = $3,
                cancelled_at = $4, notice_minutes = $5, updated_at = $6, version = version + 1,
                sequence = sequence + 1
             WHERE organisation_id = $7 AND id = $8 AND version = $9 AND status = $10"
        )
        .bind(next.as_str())
        .bind(reason)
        .bind(cancelled_by)
        .bind((next == BookingStatus::Cancelled).then(|| ms(scope.at)))
        .bind(notice)
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(current.id.to_string())
        .bind(version)
        .bind(current.status.as_str())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        if !next.is_live() {
            Self::release_claims(tx, organisation, current.id).await?;
        }
        if next == BookingStatus::Cancelled {
            // A cancelled pre-visit booking cancels its record (the adult can be booked again).
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE pre_visits SET status = 'cancelled', version = version + 1
                 WHERE organisation_id = $1 AND booking_id = $2 AND status = 'scheduled'"
            )
            .bind(organisation.to_string())
            .bind(current.id.to_string())
            .execute(c)
            .await)?;
        }
        if let Some(outcome) = match next {
            BookingStatus::Completed | BookingStatus::StoppedEarly => Some("done"),
            BookingStatus::NoShow => Some("missed"),
            _ => None,
        } {
            // A pre-visit booking attended (or not) completes its record (issue 19): the adult's
            // visit is done, or missed, without recording it twice. The rules are agreed on the
            // record itself.
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE pre_visits SET status = $1, recorded_by = $2, recorded_at = $3, version = version + 1
                 WHERE organisation_id = $4 AND booking_id = $5 AND status = 'scheduled' AND scheduled_at <= $3"
            )
            .bind(outcome)
            .bind(scope.actor_user_id.map(|u| u.to_string()))
            .bind(ms(scope.at))
            .bind(organisation.to_string())
            .bind(current.id.to_string())
            .execute(c)
            .await)?;
        }
        Self::record_event(
            tx,
            scope,
            organisation,
            &current.id.to_string(),
            "status",
            Some(current.status.as_str()),
            Some(next.as_str()),
            reason,
        )
        .await?;
        Ok(())
    }

    /// Cancels a booking and records what the cancellation does to the money, in one transaction:
    /// `plan` works the entries out from the case's ledger as it stands inside it, the same way the
    /// preview shown to the coordinator did.
    #[allow(clippy::too_many_arguments)]
    pub async fn cancel_booking<F>(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: BookingId,
        version: i64,
        reason: &str,
        cancelled_by: &str,
        messages: &[crate::mail::NewMessage],
        plan: F,
    ) -> Result<std::result::Result<(), String>>
    where
        F: FnOnce(&[crate::ledger::LedgerRow], &Booking) -> std::result::Result<crate::ledger::LedgerWrite, String>,
    {
        let current = self.booking(organisation, booking).await?;
        if !current.status.may_become(BookingStatus::Cancelled) {
            return Err(StoreError::Conflict(format!(
                "A {} booking cannot be cancelled",
                current.status.label().to_lowercase()
            )));
        }
        let mut tx = self.begin().await?;
        let ledger = match current.case_id {
            Some(case) => {
                Self::lock_case(&mut tx, organisation, case).await?;
                Self::ledger_in(&mut tx, organisation, case).await?
            }
            None => Vec::new(),
        };
        let write = match plan(&ledger, &current) {
            Ok(w) => w,
            Err(m) => return Ok(Err(m)),
        };
        Self::apply_status(
            &mut tx,
            scope,
            organisation,
            &current,
            BookingStatus::Cancelled,
            version,
            Some(reason),
            Some(cancelled_by),
        )
        .await?;
        if let Some(case) = current.case_id {
            Self::insert_entries(&mut tx, scope, organisation, case, &write.entries).await?;
        }
        tx.audit(scope, AuditEvent::ok("booking.status", "booking", booking))
            .await?;
        for event in write.audit {
            tx.audit(scope, event).await?;
        }
        tx.enqueue(organisation, messages, scope.at).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// What a booking that is no longer going ahead (cancelled, moved, ended, run) lets go of: its
    /// claims, and the reminders of it still waiting to be sent (decision 0044) — a parent is never
    /// reminded of a session that is not happening. A reminder already being sent is left to go.
    pub(crate) async fn release_claims(tx: &mut Tx, organisation: OrganisationId, booking: BookingId) -> Result<()> {
        // Fixed statements: the table names are not parameters.
        for sql in [
            "DELETE FROM booking_claims WHERE organisation_id = $1 AND booking_id = $2",
            "DELETE FROM pair_claims WHERE organisation_id = $1 AND booking_id = $2",
            crate::mail::WITHDRAW_REMINDERS,
            crate::letters::WITHDRAW_REMINDER_LETTERS,
        ] {
            exec_tx!(tx, |c| sqlx::query(sql)
                .bind(organisation.to_string())
                .bind(booking.to_string())
                .execute(c)
                .await)?;
        }
        Ok(())
    }

    /// Moves a live booking: the old one is cancelled ("moved") by whoever asked for the move and the
    /// new one, which points back to it, is booked in the same transaction, so the history shows both.
    #[allow(clippy::too_many_arguments)]
    pub async fn reschedule(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        old: BookingId,
        version: i64,
        asked_by: familytime_domain::schedule::MoveAsker,
        replacement: &NewBooking,
        messages: &[crate::mail::NewMessage],
    ) -> Result<(), BookingError> {
        let current = self.booking(organisation, old).await?;
        if !current.status.is_live() {
            return Err(StoreError::Conflict("Only a provisional or confirmed booking can be moved".into()).into());
        }
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
                "UPDATE bookings SET status = 'cancelled', status_reason = 'Moved to another time', cancelled_by = $6,
                cancelled_at = $1, notice_minutes = $2, updated_at = $1, version = version + 1,
                sequence = sequence + 1
             WHERE organisation_id = $3 AND id = $4 AND version = $5 AND status IN ('provisional', 'confirmed')",
            )
            .bind(ms(scope.at))
            .bind((current.span.start.as_second() - scope.at.as_second()).div_euclid(60))
            .bind(organisation.to_string())
            .bind(old.to_string())
            .bind(version)
            .bind(asked_by.as_str())
            .execute(c)
            .await
        })?;
        if changed == 0 {
            return Err(StoreError::Stale.into());
        }
        Self::release_claims(&mut tx, organisation, old).await?;
        if let Some(case) = current.case_id {
            // The old time's charges are taken back; the new booking carries its own.
            Self::lock_case(&mut tx, organisation, case).await?;
            let ledger = Self::ledger_in(&mut tx, organisation, case).await?;
            let credits = crate::ledger::credits_for_booking(&ledger, &old.to_string());
            Self::insert_entries(&mut tx, scope, organisation, case, &credits).await?;
        }
        let refused = Self::rules_refuse(&mut tx, organisation, std::slice::from_ref(replacement)).await?;
        if !refused.is_empty() {
            return Err(BookingError::Rules(refused));
        }
        Self::record_event(
            &mut tx,
            scope,
            organisation,
            &old.to_string(),
            "moved",
            Some(current.status.as_str()),
            Some("cancelled"),
            Some(&replacement.id.to_string()),
        )
        .await?;
        lock_claims(&mut tx, &claim_locks(organisation, std::slice::from_ref(replacement))).await?;
        let found = Self::clashes_for(&mut tx, organisation, replacement).await?;
        if !found.is_empty() {
            return Err(BookingError::Clashes(
                found
                    .into_iter()
                    .map(|what| Clash {
                        starts: replacement.span.start,
                        what,
                    })
                    .collect(),
            ));
        }
        let mut w = Batch::default();
        Self::booking_rows(&mut w, scope, organisation, replacement);
        w.audit(scope, AuditEvent::ok("booking.move", "booking", old));
        w.execute(&mut tx).await?;
        // Calendars see the same event at its new time: the new booking takes the old one's UID
        // and a SEQUENCE above the old one's (which the cancellation above raised by one). The old
        // booking's version was checked above, so what was read of it is what is there.
        exec_tx!(tx, |c| sqlx::query(
            "UPDATE bookings SET calendar_uid = $1, sequence = $2 WHERE organisation_id = $3 AND id = $4"
        )
        .bind(&current.calendar_uid)
        .bind(current.sequence + 2)
        .bind(organisation.to_string())
        .bind(replacement.id.to_string())
        .execute(c)
        .await)?;
        // Its interpreters follow it (their claims are the replacement's, checked above).
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO booking_interpreters (organisation_id, booking_id, interpreter_id, party_id, language)
             SELECT organisation_id, $1, interpreter_id, party_id, language FROM booking_interpreters
             WHERE organisation_id = $2 AND booking_id = $3"
        )
        .bind(replacement.id.to_string())
        .bind(organisation.to_string())
        .bind(old.to_string())
        .execute(c)
        .await)?;
        // A moved pre-visit keeps its record, which follows it to the new booking and time.
        exec_tx!(tx, |c| sqlx::query(
            "UPDATE pre_visits SET booking_id = $1, scheduled_at = $2, version = version + 1
             WHERE organisation_id = $3 AND booking_id = $4 AND status = 'scheduled'"
        )
        .bind(replacement.id.to_string())
        .bind(ms(replacement.span.start))
        .bind(organisation.to_string())
        .bind(old.to_string())
        .execute(c)
        .await)?;
        tx.enqueue(organisation, messages, scope.at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A case's provisional bookings made before `made_before`, oldest first: those that may be
    /// released when still unpaid.
    pub async fn provisional_made_before(
        &self,
        organisation: OrganisationId,
        made_before: Timestamp,
    ) -> Result<Vec<Booking>> {
        let sql = format!(
            "{BOOKING_SELECT} WHERE b.organisation_id = $1 AND b.status = 'provisional' AND b.case_id IS NOT NULL
               AND b.created_at < $2 ORDER BY b.created_at"
        );
        let rows: Vec<BookingRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(ms(made_before))
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Booking::try_from).collect()
    }
}
