//! Staff preview (decision 0051): the message each adult of a booking would get, composed exactly
//! as the outbox would have it (their own times, their language, e-mail or a printed letter), shown
//! and never written or sent. For those who may manage the booking; reading it is audited.

use super::compose::{Session, session_messages};
use crate::case_files::booking_for;
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::Action;
use familytime_domain::mail::MailKind;
use familytime_store::AuditEvent;

/// The kinds a booking's preview can show.
pub const PREVIEW_KINDS: [MailKind; 5] = [
    MailKind::BookingConfirmed,
    MailKind::Reminder48h,
    MailKind::Reminder24h,
    MailKind::BookingMoved,
    MailKind::BookingCancelled,
];

/// One adult's message.
#[derive(Debug, Clone)]
pub struct PreviewItem {
    pub party_id: String,
    pub name: String,
    pub role: &'static str,
    /// Sent by e-mail, or printed as a letter (no e-mail address).
    pub by_letter: bool,
    pub language: &'static str,
    pub subject: String,
    pub text: String,
    pub has_calendar: bool,
}

/// What the adults of a booking would be sent for `kind` (`booking_confirmed` unless given).
pub async fn booking_preview(
    state: &AppState,
    caller: &Caller,
    id: &str,
    kind: Option<&str>,
) -> Result<(MailKind, Vec<PreviewItem>), AppError> {
    let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
        None => MailKind::BookingConfirmed,
        Some(text) => MailKind::parse(text)
            .filter(|k| PREVIEW_KINDS.contains(k))
            .ok_or_else(|| {
                AppError::BadRequest(
                    "kind must be booking_confirmed, reminder_48h, reminder_24h, booking_moved or booking_cancelled"
                        .into(),
                )
            })?,
    };
    let booking = booking_for(state, caller, id, Action::ManageSchedule).await?;
    let org = caller.user()?.organisation_id;
    let Some(session) = Session::of_booking(state, org, &booking, booking.sequence).await? else {
        return Ok((kind, Vec::new()));
    };
    let file = state.store.case(org, session.case_id).await?;
    let messages = session_messages(state, org, &session, kind, state.clock.now()).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("mail.preview", "booking", booking.id),
        )
        .await?;
    let items = messages
        .into_iter()
        .filter_map(|m| {
            let party_id = m.recipient_party_id.clone()?;
            let party = file.parties.iter().find(|p| p.id.to_string() == party_id)?;
            Some(PreviewItem {
                name: party.name.clone(),
                role: party.role.label(),
                by_letter: m.address.trim().is_empty(),
                language: m.language,
                subject: m.subject,
                text: m.text,
                has_calendar: m.ics.is_some(),
                party_id,
            })
        })
        .collect();
    Ok((kind, items))
}
