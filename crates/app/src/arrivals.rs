//! The arrival plan's choices: which entrance each adult uses and which waiting room they wait in for
//! a booking. The plan warns when a case's risk calls for keeping the adults apart on arrival and
//! none are set (`schedule::arrival_warnings`); a coordinator sets them here, from the booking page
//! or the API, and the plan and day sheet then show them.

use super::case_files::booking_for;
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::{Action, Object};
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;
use familytime_store::arrivals::ArrivalChoice;
use familytime_store::schedule::Booking;

/// One adult's choice as a form or the API sends it: ids, empty for the usual way in or for no
/// waiting room.
#[derive(Debug, Clone, Default)]
pub struct ArrivalInput {
    pub party: String,
    pub entrance: String,
    pub waits_in: String,
    /// The booking's version the choice was made from.
    pub version: i64,
}

/// What a booking's adults can be given: the centre's entrances and its open waiting rooms, as
/// (id, name).
pub struct ArrivalOptions {
    pub entrances: Vec<(String, String)>,
    pub waiting_rooms: Vec<(String, String)>,
}

/// The choices offered for a booking, to those who may set them (asked as `set_arrival` asks);
/// `None` for anyone else, who is offered nothing.
pub async fn options(state: &AppState, caller: &Caller, booking: &Booking) -> Result<Option<ArrivalOptions>, AppError> {
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
    let org = user.organisation_id;
    Ok(Some(ArrivalOptions {
        entrances: state.store.entrances(org, booking.centre_id).await?,
        waiting_rooms: state
            .store
            .rooms(org, booking.centre_id)
            .await?
            .into_iter()
            .filter(|r| r.kind == RoomKind::WaitingRoom && r.active)
            .map(|r| (r.id.to_string(), r.name))
            .collect(),
    }))
}

/// Sets where one adult on the booking arrives and waits. Both fields are checked together: an
/// entrance that is not the centre's, or a room that is not one of its open waiting rooms, is named.
pub async fn set_arrival(state: &AppState, caller: &Caller, id: &str, input: &ArrivalInput) -> Result<(), AppError> {
    // Authorised on the booking's centre (a refusal is audited there).
    let booking = booking_for(state, caller, id, Action::ManageSchedule).await?;
    let org = caller.user()?.organisation_id;
    if !booking.status.is_live() {
        return Err(AppError::Conflict(format!(
            "This booking is {}: nobody arrives for it",
            booking.status.label().to_lowercase()
        )));
    }
    let Some(options) = options(state, caller, &booking).await? else {
        return Err(AppError::NotFound);
    };
    let parties = state.store.booked_parties(org, &[booking.id]).await?;
    let mut errors = FieldErrors::new();
    if !parties.iter().any(|p| p.party_id == input.party.trim()) {
        errors.add("party", "Choose one of the adults who come to this session");
    }
    let entrance = input.entrance.trim();
    if !entrance.is_empty() && !options.entrances.iter().any(|(e, _)| e == entrance) {
        errors.add("entrance", "Choose one of the centre's entrances, or the usual way in");
    }
    let room = input.waits_in.trim();
    if !room.is_empty() && !options.waiting_rooms.iter().any(|(r, _)| r == room) {
        errors.add("waits_in", "Choose one of the centre's waiting rooms, or none");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let choice = ArrivalChoice {
        party_id: input.party.trim().to_owned(),
        entrance_id: (!entrance.is_empty()).then(|| entrance.to_owned()),
        waits_in: (!room.is_empty()).then(|| room.to_owned()),
    };
    Ok(state
        .store
        .set_arrivals(
            &caller.scope(state.clock.now()),
            org,
            booking.id,
            input.version,
            &[choice],
        )
        .await?)
}
