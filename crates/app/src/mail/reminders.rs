//! The reminders before a session (48 and 24 hours, `familytime_domain::mail::REMINDERS`): a job
//! that finds the confirmed sessions inside each window that have no such reminder yet and writes
//! one for each adult with an e-mail address. Running it again writes nothing new (the outbox holds
//! one per booking, person and kind), so it can run as often as wanted, on any number of servers.

use super::compose::{Session, session_messages};
use crate::{AppError, AppState};
use familytime_domain::ids::{BookingId, OrganisationId};
use familytime_domain::mail::REMINDERS;
use familytime_store::schedule::BookingStatus;
use std::time::Duration;

/// Sessions looked at per window per pass.
const PER_PASS: i64 = 500;

/// Writes the reminders due now; returns how many messages were written.
pub async fn enqueue_due(state: &AppState) -> Result<u64, AppError> {
    let mut written = 0;
    for (kind, from_minutes, to_minutes) in REMINDERS {
        let now = state.clock.now();
        let from = now
            .checked_add(jiff::SignedDuration::from_mins(from_minutes))
            .unwrap_or(now);
        let to = now
            .checked_add(jiff::SignedDuration::from_mins(to_minutes))
            .unwrap_or(now);
        let due = state.store.sessions_needing(kind.as_str(), from, to, PER_PASS).await?;
        for session in due {
            let (Ok(org), Ok(id)) = (
                OrganisationId::parse(&session.organisation_id),
                BookingId::parse(&session.id),
            ) else {
                continue;
            };
            let booking = state.store.booking(org, id).await?;
            if booking.status != BookingStatus::Confirmed {
                continue;
            }
            let Some(described) = Session::of_booking(state, org, &booking, booking.sequence).await? else {
                continue;
            };
            let messages = session_messages(state, org, &described, kind, now).await?;
            written += state.store.enqueue(org, &messages, now).await?;
        }
    }
    Ok(written)
}

/// The reminder job in `serve`: a pass every minute.
pub async fn remind_forever(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = enqueue_due(&state).await {
            tracing::warn!(error = e.message(), "writing the reminders due failed");
        }
    }
}
