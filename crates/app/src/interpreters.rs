//! Interpreters (issue 19 item 8, decision 0047): the organisation's list (name, languages), and
//! booking one for an adult of a session who needs one, as a resource that must be free like a
//! room: refused by name (422) when they are booked at an overlapping time elsewhere, held by the
//! claim written in the same transaction (`Store::set_interpreter`). A moved session takes its
//! interpreters with it, checked again at the new time (`keep_on_move`).

use super::case_files::booking_for;
use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{BookingId, OrganisationId};
use familytime_domain::interpreters::{NewInterpreter, fits};
use familytime_domain::schedule::Interval;
use familytime_domain::text::FieldErrors;
pub use familytime_store::interpreters::{BookedInterpreter, Interpreter};
use familytime_store::interpreters::{InterpreterChoice, InterpreterRefused, interpreter_resource};
use familytime_store::schedule::{BookedParty, Booking, Claim, NewBooking, ts_of};

/// The organisation's interpreters, for those who book sessions.
pub async fn list(state: &AppState, caller: &Caller) -> Result<Vec<Interpreter>, AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageSchedule, Object::Organisation(org)).await?;
    Ok(state.store.interpreters(org).await?)
}

/// Adds an interpreter (every problem with the name and languages at once); returns them.
pub async fn add(state: &AppState, caller: &Caller, name: &str, languages: &str) -> Result<Interpreter, AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageSchedule, Object::Organisation(org)).await?;
    let new = NewInterpreter::parse(name, languages).map_err(AppError::Invalid)?;
    let id = state
        .store
        .add_interpreter(&caller.scope(state.clock.now()), org, &new)
        .await?;
    Ok(Interpreter {
        id,
        name: new.name.clone(),
        languages: new.languages_text(),
    })
}

/// One adult's interpreter as a form or the API sends it (`interpreter` empty: none).
#[derive(Debug, Clone, Default)]
pub struct InterpreterInput {
    pub party: String,
    pub interpreter: String,
    /// The booking's version the choice was made from.
    pub version: i64,
}

/// The span an interpreter is claimed for: the booking's whole time on site (every adult's arrival
/// to the last departure, talks with staff included), or the session itself.
fn claim_span(span: Interval, arrivals: impl Iterator<Item = (i64, i64)>) -> Interval {
    let (mut start, mut end) = (span.start, span.end);
    for (arrives, leaves) in arrivals {
        start = start.min(ts_of(arrives));
        end = end.max(ts_of(leaves));
    }
    Interval::new(start, end).unwrap_or(span)
}

/// Books an interpreter for one adult of a live booking, or takes theirs off. Refused (422, nothing
/// changed) when the adult does not need one, the interpreter does not interpret their language,
/// or the interpreter is booked elsewhere at an overlapping time.
pub async fn set_for_booking(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &InterpreterInput,
) -> Result<(), AppError> {
    let booking = booking_for(state, caller, id, Action::ManageSchedule).await?;
    let org = caller.user()?.organisation_id;
    if !booking.status.is_live() {
        return Err(AppError::Conflict(format!(
            "This booking is {}: nobody comes to it",
            booking.status.label().to_lowercase()
        )));
    }
    let parties = state.store.booked_parties(org, &[booking.id]).await?;
    let mut errors = FieldErrors::new();
    let adult = parties.iter().find(|p| p.party_id == input.party.trim());
    if adult.is_none() {
        errors.add("party", "Choose one of the adults who come to this session");
    }
    let wanted = input.interpreter.trim();
    let interpreter = if wanted.is_empty() {
        None
    } else {
        let found = state
            .store
            .interpreters(org)
            .await?
            .into_iter()
            .find(|i| i.id == wanted);
        if found.is_none() {
            errors.add("interpreter", "Choose one of the organisation's interpreters, or none");
        }
        found
    };
    if let (Some(adult), Some(i)) = (adult, interpreter.as_ref())
        && let Some(why) = fits(
            &adult.name,
            adult.needs_interpreter,
            adult.language.as_deref(),
            &i.name,
            &i.languages,
        )
    {
        errors.add("interpreter", why);
    }
    let Some(adult) = adult.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let choice = interpreter.map(|i| InterpreterChoice {
        interpreter_id: i.id,
        language: adult.language.clone().unwrap_or_default(),
        span: claim_span(booking.span, parties.iter().map(|p| (p.arrives_at, p.leaves_at))),
        name: i.name,
    });
    match state
        .store
        .set_interpreter(
            &caller.scope(state.clock.now()),
            org,
            booking.id,
            input.version,
            &adult.party_id,
            choice.as_ref(),
        )
        .await
    {
        Ok(()) => Ok(()),
        Err(InterpreterRefused::Busy(why)) => Err(AppError::Invalid(FieldErrors::single("interpreter", why))),
        Err(InterpreterRefused::Store(e)) => Err(e.into()),
    }
}

/// What a booking page offers for its interpreters: the organisation's list, to those who may book
/// them (asked as `set_for_booking` asks) on a live booking; `None` for anyone else.
pub async fn options(
    state: &AppState,
    caller: &Caller,
    booking: &Booking,
) -> Result<Option<Vec<Interpreter>>, AppError> {
    let Some(user) = caller.user.as_ref() else {
        return Ok(None);
    };
    let object = Object::Centre {
        organisation: user.organisation_id,
        centre: booking.centre_id,
    };
    if !super::may(caller, Action::ManageSchedule, &object) || !booking.status.is_live() {
        return Ok(None);
    }
    Ok(Some(state.store.interpreters(user.organisation_id).await?))
}

/// The interpreters booked at a booking, for the page that offers to change them (empty for anyone
/// not offered the change: the booking page shows each adult's interpreter from its plan anyway).
pub async fn booked(state: &AppState, caller: &Caller, booking: &Booking) -> Result<Vec<BookedInterpreter>, AppError> {
    if options(state, caller, booking).await?.is_none() {
        return Ok(Vec::new());
    }
    Ok(state
        .store
        .booking_interpreters(caller.user()?.organisation_id, booking.id)
        .await?)
}

/// A moved session keeps its interpreters: each becomes a claim of the replacement over its time on
/// site, so the move is refused (nothing changed) if one of them is booked elsewhere then. The
/// store copies who interprets for whom in the move's transaction.
pub async fn keep_on_move(
    state: &AppState,
    org: OrganisationId,
    old: BookingId,
    replacement: &mut NewBooking,
) -> Result<(), AppError> {
    let booked = state.store.booking_interpreters(org, old).await?;
    let span = claim_span(
        replacement.span,
        replacement
            .parties
            .iter()
            .map(|p| (p.arrives.as_millisecond(), p.leaves.as_millisecond())),
    );
    for b in booked {
        let resource = interpreter_resource(&b.interpreter_id);
        if !replacement.claims.iter().any(|c| c.resource == resource) {
            replacement.claims.push(Claim {
                resource,
                exclusive: true,
                span,
                label: b.name,
            });
        }
    }
    Ok(())
}

/// Each adult's interpreter need and booking, in words, for the day sheet and the booking page:
/// `None` for an adult who needs none.
pub fn need(party: &BookedParty) -> Option<(String, Option<String>)> {
    if !party.needs_interpreter {
        return None;
    }
    let language = party.language.clone().unwrap_or_default();
    Some((language, party.interpreter.clone()))
}
