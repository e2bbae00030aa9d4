//! The reminders before a session (decision 0044; each centre's own times, 48 and 24 hours unless
//! an administrator sets others, decision 0051): a job that finds the confirmed sessions inside
//! their centre's window for each reminder that have no such reminder yet and writes one for each
//! adult with an e-mail address who has not opted out. Running it again writes nothing new (the
//! outbox holds one per booking, person and kind), so it can run as often as wanted, on any number
//! of servers.

use super::compose::{Session, session_messages};
use crate::{AppError, AppState};
use familytime_domain::ids::{BookingId, CentreId, OrganisationId};
use familytime_domain::mail::{MailKind, ReminderHours};
use familytime_store::schedule::BookingStatus;
use std::collections::HashMap;
use std::time::Duration;

/// Sessions looked at per window per pass.
const PER_PASS: i64 = 500;

/// Writes the reminders due now; returns how many messages were written.
pub async fn enqueue_due(state: &AppState) -> Result<u64, AppError> {
    let mut written = 0;
    let mut centre_hours: HashMap<(OrganisationId, CentreId), ReminderHours> = HashMap::new();
    for (kind, first) in [(MailKind::Reminder48h, true), (MailKind::Reminder24h, false)] {
        let now = state.clock.now();
        let due = state
            .store
            .sessions_needing(kind.as_str(), first, now, PER_PASS)
            .await?;
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
            // The rule itself (the read was narrowed by the same times): which reminder, if any,
            // this session is due at its centre now.
            let hours = match centre_hours.get(&(org, booking.centre_id)) {
                Some(hours) => *hours,
                None => {
                    let (hours, _) = state.store.centre_reminder_hours(org, booking.centre_id).await?;
                    centre_hours.insert((org, booking.centre_id), hours);
                    hours
                }
            };
            if hours.due(booking.span.start.duration_since(now)) != Some(kind) {
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
