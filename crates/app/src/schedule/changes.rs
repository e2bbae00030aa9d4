//! A booking's life after it is made: its own view with who is on it and its history, changing its
//! status (confirming, cancelling through billing, attending) and moving it to another time.

use super::planner::{Planner, Roster};
use crate::case_files::{booking_for, centre_zone, file_org};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::Action;
use familytime_domain::ids::BookingId;
use familytime_domain::schedule::{self as rules, BookingKind, Interval};
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::{BookedParty, BookedStaff, Booking, BookingError, BookingStatus};
use jiff::tz::TimeZone;

/// One booking with who is on it, for its page and the API.
pub struct BookingView {
    pub booking: Booking,
    /// The booking this one replaced, when it was moved here.
    pub moved_from: Option<Booking>,
    /// The booking that replaced this one, when it was moved.
    pub moved_to: Option<Booking>,
    pub parties: Vec<BookedParty>,
    pub staff: Vec<BookedStaff>,
    pub events: Vec<familytime_store::schedule::BookingEvent>,
    pub zone: TimeZone,
    /// For a pre-visit's booking: the pre-visit it holds (its record is kept there).
    pub pre_visit: Option<String>,
}

pub async fn booking(state: &AppState, caller: &Caller, id: &str) -> Result<BookingView, AppError> {
    let booking = booking_for(state, caller, id, Action::ViewSchedule).await?;
    let org = caller.user()?.organisation_id;
    crate::audit::family_reads(state, caller, "booking.read", booking.case_id).await?;
    let ids = [booking.id];
    let events = state.store.booking_events(org, booking.id).await?;
    // Both ends of a move are the same case's bookings at the same centre, so already authorised.
    let moved_to = match events
        .iter()
        .find(|e| e.event == "moved")
        .and_then(|e| e.detail.as_deref())
    {
        Some(to) => match BookingId::parse(to) {
            Ok(to) => Some(state.store.booking(org, to).await?),
            Err(_) => None,
        },
        None => None,
    };
    let moved_from = match booking
        .rescheduled_from
        .as_deref()
        .and_then(|f| BookingId::parse(f).ok())
    {
        Some(from) => Some(state.store.booking(org, from).await?),
        None => None,
    };
    // A pre-visit's booking leads back to the pre-visit, found among its case's few pre-visits.
    let pre_visit = match booking.case_id {
        Some(case) if booking.kind == BookingKind::PreVisit.as_str() => state
            .store
            .pre_visits(org, case)
            .await?
            .into_iter()
            .find(|v| v.booking_id.as_deref() == Some(booking.id.to_string().as_str()))
            .map(|v| v.id),
        _ => None,
    };
    Ok(BookingView {
        pre_visit,
        moved_from,
        moved_to,
        parties: state.store.booked_parties(org, &ids).await?,
        staff: state.store.booked_staff(org, &ids).await?,
        events,
        zone: centre_zone(state, caller, booking.centre_id).await?,
        booking,
    })
}

/// A status change as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct StatusInput {
    pub status: String,
    pub reason: String,
    pub cancelled_by: String,
    pub version: i64,
    /// For a cancellation: waive what it would forfeit, and why.
    pub waive: bool,
    pub waiver_reason: String,
    /// For a cancellation: the outcome the person was shown (see `billing::cancel`).
    pub expected: Option<String>,
}

pub async fn set_status(state: &AppState, caller: &Caller, id: &str, input: &StatusInput) -> Result<(), AppError> {
    let booking = booking_for(state, caller, id, Action::ManageSchedule).await?;
    let org = caller.user()?.organisation_id;
    let mut errors = FieldErrors::new();
    let next = BookingStatus::parse(input.status.trim());
    if next.is_none() {
        errors.add("status", "Choose the new status");
    }
    let reason = input.reason.trim();
    let needs_reason = matches!(next, Some(BookingStatus::Cancelled | BookingStatus::StoppedEarly));
    if needs_reason && reason.is_empty() {
        errors.add("reason", "Say why");
    }
    let cancelled_by = input.cancelled_by.trim();
    if next == Some(BookingStatus::Cancelled) && !["centre", "resident", "visiting", "other"].contains(&cancelled_by) {
        errors.add("cancelled_by", "Say who cancelled");
    }
    let Some(next) = next else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if next == BookingStatus::Cancelled {
        // A cancellation always goes through billing, which records what it forfeits.
        let cancel = crate::billing::CancelInput {
            reason: reason.to_owned(),
            cancelled_by: cancelled_by.to_owned(),
            version: input.version,
            waive: input.waive,
            waiver_reason: input.waiver_reason.clone(),
            expected: input.expected.clone(),
        };
        return crate::billing::cancel(state, caller, id, &cancel).await.map(|_| ());
    }
    if next == BookingStatus::Confirmed && booking.status == BookingStatus::Provisional {
        crate::billing::check_confirmable(state, org, &booking).await?;
    }
    // Confirming tells each adult their own times, with the calendar invitation at the SEQUENCE the
    // change gives the booking; the messages are written with the change or not at all.
    let messages = if next == BookingStatus::Confirmed && booking.status == BookingStatus::Provisional {
        crate::mail::compose::booking_messages(
            state,
            org,
            &booking,
            familytime_domain::mail::MailKind::BookingConfirmed,
            booking.sequence + 1,
        )
        .await?
    } else {
        Vec::new()
    };
    match state
        .store
        .set_booking_status(
            &caller.scope(state.clock.now()),
            org,
            booking.id,
            next,
            input.version,
            (!reason.is_empty()).then_some(reason),
            (next == BookingStatus::Cancelled).then_some(cancelled_by),
            &messages,
        )
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Invalid(FieldErrors::single("status", m))),
        other => Ok(other?),
    }
}

/// Moves a booking to a new date and time (same length, room, staff and people); the old booking
/// stays in the history as moved, cancelled by whoever asked for the move (`asked_by`).
pub async fn reschedule(
    state: &AppState,
    caller: &Caller,
    id: &str,
    date: &str,
    time: &str,
    asked_by: &str,
    version: i64,
) -> Result<(Booking, TimeZone), AppError> {
    let booking = booking_for(state, caller, id, Action::ManageSchedule).await?;
    let asked_by = familytime_domain::schedule::MoveAsker::parse_asked(asked_by);
    let case = booking
        .case_id
        .ok_or_else(|| AppError::BadRequest("Only a case's sessions can be moved here".into()))?;
    let org = file_org(caller)?;
    let ids = [booking.id];
    let staff_ids: Vec<String> = state
        .store
        .booked_staff(org, &ids)
        .await?
        .into_iter()
        .map(|s| s.user_id)
        .collect();
    let booked = state.store.booked_parties(org, &ids).await?;
    let party = booked.first().map(|p| p.party_id.clone()).unwrap_or_default();
    // The resident parent stays at the new time if they were let stay at the old (decision 0047).
    let stays = booked.iter().any(|p| p.stays_through());
    let room_id = booking.room_id.as_deref().unwrap_or_default();
    let roster = Roster::Only {
        room: room_id,
        staff: &staff_ids,
    };
    let planner = Planner::load(state, caller, &case.to_string(), &booking.kind, roster).await?;
    let zone = planner.calendar.zone.clone();
    // Every problem with the form at once: the time and who asked.
    let (at, asked_by) = match (crate::case_files::centre_time(&zone, date, time), asked_by) {
        (Ok(at), Ok(asked_by)) => (at, asked_by),
        (at, asked_by) => {
            let mut errors = at.err().unwrap_or_default();
            if let Err(message) = asked_by {
                errors.add("asked_by", message);
            }
            return Err(AppError::Invalid(errors));
        }
    };
    let now = state.clock.now();
    if at < now {
        return Err(AppError::Invalid(FieldErrors::single(
            "date",
            "Choose a time in the future",
        )));
    }
    let span = Interval::new(at, rules::add_minutes(at, booking.span.minutes())).ok_or(AppError::Internal("span"))?;
    let room = planner.space(room_id)?;
    let staff = planner.chosen_staff(&staff_ids)?;
    let attendees = Planner::resident_stays(planner.attendees(&party)?, stays);
    let mut replacement = planner.session(span, room.as_ref(), &staff, &attendees, None, now)?;
    // Its interpreters come too, and must be free at the new time (held like the room).
    crate::interpreters::keep_on_move(state, org, booking.id, &mut replacement).await?;
    replacement.series_id = booking.series_id.clone();
    replacement.rescheduled_from = Some(booking.id);
    let moved = booking.id.to_string();
    let unfunded = crate::billing::charge_sessions(
        state,
        &planner.charging,
        org,
        &planner.file,
        &zone,
        std::slice::from_mut(&mut replacement),
        Some(&moved),
    )
    .await?;
    if let Some((_, why)) = unfunded.into_iter().next() {
        return Err(AppError::Conflict(why));
    }
    let scope = caller.scope(now);
    // Adults told of the old time (it was confirmed) are told of the new one: the same calendar
    // event (its UID) at a higher SEQUENCE, as the store gives the new booking.
    let messages =
        match crate::mail::compose::Session::of_new(&replacement, &booking.calendar_uid, booking.sequence + 2) {
            Some(session) if booking.status == BookingStatus::Confirmed => {
                crate::mail::compose::session_messages(
                    state,
                    org,
                    &session,
                    familytime_domain::mail::MailKind::BookingMoved,
                    now,
                )
                .await?
            }
            _ => Vec::new(),
        };
    match state
        .store
        .reschedule(&scope, org, booking.id, version, asked_by, &replacement, &messages)
        .await
    {
        Ok(()) => Ok((state.store.booking(org, replacement.id).await?, zone)),
        Err(BookingError::Clashes(c)) if c.is_empty() => Err(AppError::Conflict(
            "Someone else booked the same time a moment ago".into(),
        )),
        Err(BookingError::Clashes(c)) => Err(AppError::Conflict(
            c.into_iter().map(|c| c.what).collect::<Vec<_>>().join("; "),
        )),
        Err(BookingError::Rules(missing)) => Err(crate::schedule::booking::rules_refused(missing)),
        Err(BookingError::Store(e)) => Err(e.into()),
    }
}
