//! Centres and rooms: seeing them (staff) and managing them (organisation administrators).

use super::{authorize, found, parse_id};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{CentreId, RoomId};
use familytime_domain::tenancy::{CentreDetails, RoomDetails};
use familytime_store::tenancy::{Centre, Room};

/// A centre as typed into a form or sent to the API.
#[derive(Debug, Default, Clone)]
pub struct CentreInput {
    pub name: String,
    pub address: String,
    /// The phone number families may call; `None` leaves it as it is.
    pub public_phone: Option<String>,
    pub time_zone: String,
}

/// A room as typed into a form or sent to the API.
#[derive(Debug, Default, Clone)]
pub struct RoomInput {
    pub name: String,
    pub kind: String,
    pub capacity_families: String,
    pub active: bool,
}

fn centre_object(caller: &Caller, centre: CentreId) -> Result<Object, AppError> {
    Ok(Object::Centre {
        organisation: caller.user()?.organisation_id,
        centre,
    })
}

/// The centres the caller works at.
pub async fn list_centres(state: &AppState, caller: &Caller) -> Result<Vec<Centre>, AppError> {
    let actor = authorize(
        state,
        caller,
        Action::ViewCentres,
        Object::Organisation(caller.user()?.organisation_id),
    )
    .await?;
    let centres = state.store.centres(actor.organisation_id).await?;
    Ok(centres.into_iter().filter(|c| actor.centres.includes(c.id)).collect())
}

/// One centre with its rooms.
pub async fn get_centre(state: &AppState, caller: &Caller, id: &str) -> Result<(Centre, Vec<Room>), AppError> {
    let id = parse_id(id, CentreId::parse)?;
    let actor = authorize(state, caller, Action::ViewCentres, centre_object(caller, id)?).await?;
    let centre = found(
        state,
        caller,
        state.store.centre(actor.organisation_id, id).await,
        "centre",
        id,
    )
    .await?;
    let rooms = state.store.rooms(actor.organisation_id, id).await?;
    Ok((centre, rooms))
}

pub async fn create_centre(state: &AppState, caller: &Caller, input: &CentreInput) -> Result<Centre, AppError> {
    let actor = authorize(
        state,
        caller,
        Action::ManageCentres,
        Object::Organisation(caller.user()?.organisation_id),
    )
    .await?;
    let details = CentreDetails::parse_with_phone(
        &input.name,
        &input.address,
        input.public_phone.as_deref().unwrap_or_default(),
        &input.time_zone,
    )
    .map_err(AppError::Invalid)?;
    Ok(state
        .store
        .create_centre(&caller.scope(state.clock.now()), actor.organisation_id, &details)
        .await?)
}

/// Changes a centre; refused as stale if it changed since `version` was read.
pub async fn update_centre(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &CentreInput,
    version: i64,
) -> Result<Centre, AppError> {
    let id = parse_id(id, CentreId::parse)?;
    let actor = authorize(state, caller, Action::ManageCentres, centre_object(caller, id)?).await?;
    let phone = match &input.public_phone {
        Some(phone) => phone.clone(),
        None => {
            let current = state.store.centre(actor.organisation_id, id).await;
            found(state, caller, current, "centre", id)
                .await?
                .public_phone
                .unwrap_or_default()
        }
    };
    let details = CentreDetails::parse_with_phone(&input.name, &input.address, &phone, &input.time_zone)
        .map_err(AppError::Invalid)?;
    let answer = state
        .store
        .update_centre(
            &caller.scope(state.clock.now()),
            actor.organisation_id,
            id,
            &details,
            version,
        )
        .await;
    found(state, caller, answer, "centre", id).await
}

pub async fn create_room(state: &AppState, caller: &Caller, centre: &str, input: &RoomInput) -> Result<Room, AppError> {
    let centre = parse_id(centre, CentreId::parse)?;
    let actor = authorize(state, caller, Action::ManageCentres, centre_object(caller, centre)?).await?;
    found(
        state,
        caller,
        state.store.centre(actor.organisation_id, centre).await,
        "centre",
        centre,
    )
    .await?;
    let details = RoomDetails::parse(&input.name, &input.kind, &input.capacity_families).map_err(AppError::Invalid)?;
    Ok(state
        .store
        .create_room(
            &caller.scope(state.clock.now()),
            actor.organisation_id,
            centre,
            &details,
        )
        .await?)
}

/// One room, for editing.
pub async fn get_room(state: &AppState, caller: &Caller, id: &str) -> Result<Room, AppError> {
    let id = parse_id(id, RoomId::parse)?;
    let org = caller.user()?.organisation_id;
    let room = found(state, caller, state.store.room(org, id).await, "room", id).await?;
    authorize(
        state,
        caller,
        Action::ManageCentres,
        centre_object(caller, room.centre_id)?,
    )
    .await?;
    Ok(room)
}

pub async fn update_room(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &RoomInput,
    version: i64,
) -> Result<Room, AppError> {
    let room = get_room(state, caller, id).await?;
    let details = RoomDetails::parse(&input.name, &input.kind, &input.capacity_families).map_err(AppError::Invalid)?;
    Ok(state
        .store
        .update_room(
            &caller.scope(state.clock.now()),
            room.organisation_id,
            room.id,
            &details,
            input.active,
            version,
        )
        .await?)
}
