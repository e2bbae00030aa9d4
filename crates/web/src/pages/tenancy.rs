//! Centres and rooms pages.

use super::{FormData, PageResult, Shell, form_status, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::tenancy::{self, CentreInput, RoomInput};
use familytime_domain::authz::{self, Action, Decision, Object};
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;
use familytime_store::tenancy::{Centre, Room};

/// Whether to offer the management controls (the actions are authorised again when used).
fn can_manage(caller: &Caller) -> bool {
    caller.user.as_ref().is_some_and(|u| {
        authz::authorize(
            Some(&u.actor()),
            Action::ManageCentres,
            &Object::Organisation(u.organisation_id),
        ) == Decision::Allow
    })
}

#[derive(askama::Template)]
#[template(path = "centres.html")]
struct CentresPage {
    shell: Shell,
    centres: Vec<Centre>,
    can_manage: bool,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> PageResult {
    let centres = tenancy::list_centres(&state, &caller).await?;
    let page = CentresPage {
        shell: Shell::for_caller(&state, &caller, "/centres").await?,
        centres,
        can_manage: can_manage(&caller),
    };
    Ok(render(&page))
}

#[derive(askama::Template)]
#[template(path = "centre_form.html")]
struct CentreFormPage {
    shell: Shell,
    errors: FieldErrors,
    heading: &'static str,
    submit: &'static str,
    action: String,
    back: String,
    version: Option<i64>,
    input: CentreInput,
}

/// The centre form: adding a new centre, or (with `editing` = the centre's id and the version the
/// change starts from) changing one.
fn centre_form(shell: Shell, errors: FieldErrors, input: CentreInput, editing: Option<(&str, i64)>) -> CentreFormPage {
    match editing {
        None => CentreFormPage {
            shell,
            errors,
            heading: "Add a centre",
            submit: "Add centre",
            action: "/centres".into(),
            back: "/centres".into(),
            version: None,
            input,
        },
        Some((id, version)) => CentreFormPage {
            shell,
            errors,
            heading: "Change the centre's details",
            submit: "Save changes",
            action: format!("/centres/{id}"),
            back: format!("/centres/{id}"),
            version: Some(version),
            input,
        },
    }
}

fn centre_input(form: &FormData) -> CentreInput {
    CentreInput {
        name: form.get("name"),
        address: form.get("address"),
        public_phone: Some(form.get("public_phone")),
        time_zone: form.get("time_zone"),
    }
}

pub async fn new_form(State(state): State<AppState>, caller: Caller) -> PageResult {
    let input = CentreInput {
        time_zone: "Europe/London".into(),
        ..CentreInput::default()
    };
    let shell = Shell::for_caller(&state, &caller, "/centres").await?;
    Ok(render(&centre_form(shell, FieldErrors::new(), input, None)))
}

pub async fn create(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let input = centre_input(&form);
    let (errors, status) = match tenancy::create_centre(&state, &caller, &input).await {
        Ok(centre) => return Ok(Redirect::to(&format!("/centres/{}", centre.id)).into_response()),
        Err(AppError::Invalid(errors)) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Conflict(message)) => (FieldErrors::single("name", message), StatusCode::CONFLICT),
        Err(other) => return Err(other.into()),
    };
    let shell = Shell::for_caller(&state, &caller, "/centres").await?;
    Ok(render_with(status, &centre_form(shell, errors, input, None)))
}

#[derive(askama::Template)]
#[template(path = "centre.html")]
struct CentrePage {
    shell: Shell,
    errors: FieldErrors,
    centre: Centre,
    rooms: Vec<Room>,
    can_manage: bool,
    kinds: [RoomKind; 4],
    room_input: RoomInput,
}

async fn centre_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    room_input: RoomInput,
) -> PageResult {
    let (centre, rooms) = tenancy::get_centre(state, caller, id).await?;
    let status = form_status(&errors);
    let page = CentrePage {
        shell: Shell::for_caller(state, caller, "/centres").await?,
        errors,
        centre,
        rooms,
        can_manage: can_manage(caller),
        kinds: RoomKind::ALL,
        room_input,
    };
    Ok(render_with(status, &page))
}

pub async fn show(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let blank = RoomInput {
        kind: RoomKind::FamilyRoom.as_str().into(),
        active: true,
        ..RoomInput::default()
    };
    centre_page(&state, &caller, &id, FieldErrors::new(), blank).await
}

pub async fn edit_form(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let (centre, _) = tenancy::get_centre(&state, &caller, &id).await?;
    let id = centre.id.to_string();
    let input = CentreInput {
        name: centre.name,
        address: centre.address.unwrap_or_default(),
        public_phone: centre.public_phone,
        time_zone: centre.time_zone,
    };
    let shell = Shell::for_caller(&state, &caller, "/centres").await?;
    Ok(render(&centre_form(
        shell,
        FieldErrors::new(),
        input,
        Some((&id, centre.version)),
    )))
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = centre_input(&form);
    let result = tenancy::update_centre(&state, &caller, &id, &input, form.version()).await;
    let (errors, status) = match result {
        Ok(centre) => return Ok(Redirect::to(&format!("/centres/{}", centre.id)).into_response()),
        Err(AppError::Invalid(errors)) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(err @ (AppError::Stale | AppError::Conflict(_))) => {
            (FieldErrors::single("name", err.message()), StatusCode::CONFLICT)
        }
        Err(other) => return Err(other.into()),
    };
    // Show what they typed, with the version they started from, so nothing typed is lost.
    let shell = Shell::for_caller(&state, &caller, "/centres").await?;
    Ok(render_with(
        status,
        &centre_form(shell, errors, input, Some((&id, form.version()))),
    ))
}

fn room_input(form: &FormData) -> RoomInput {
    RoomInput {
        name: form.get("name"),
        kind: form.get("kind"),
        capacity_families: form.get("capacity_families"),
        active: form.checked("active"),
    }
}

pub async fn create_room(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = RoomInput {
        active: true,
        ..room_input(&form)
    };
    match tenancy::create_room(&state, &caller, &id, &input).await {
        Ok(room) => Ok(Redirect::to(&format!("/centres/{}", room.centre_id)).into_response()),
        Err(AppError::Invalid(errors)) => centre_page(&state, &caller, &id, errors, input).await,
        Err(AppError::Conflict(message)) => {
            centre_page(&state, &caller, &id, FieldErrors::single("name", message), input).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "room.html")]
struct RoomPage {
    shell: Shell,
    errors: FieldErrors,
    room: Room,
    kinds: [RoomKind; 4],
    room_input: RoomInput,
}

pub async fn edit_room_form(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let room = tenancy::get_room(&state, &caller, &id).await?;
    let room_input = RoomInput {
        name: room.name.clone(),
        kind: room.kind.as_str().into(),
        capacity_families: room.capacity_families.to_string(),
        active: room.active,
    };
    let page = RoomPage {
        shell: Shell::for_caller(&state, &caller, "/centres").await?,
        errors: FieldErrors::new(),
        room,
        kinds: RoomKind::ALL,
        room_input,
    };
    Ok(render(&page))
}

pub async fn update_room(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = room_input(&form);
    let errors = match tenancy::update_room(&state, &caller, &id, &input, form.version()).await {
        Ok(room) => return Ok(Redirect::to(&format!("/centres/{}", room.centre_id)).into_response()),
        Err(AppError::Invalid(errors)) => errors,
        Err(err @ (AppError::Stale | AppError::Conflict(_))) => FieldErrors::single("name", err.message()),
        Err(other) => return Err(other.into()),
    };
    let mut room = tenancy::get_room(&state, &caller, &id).await?;
    room.version = form.version();
    let page = RoomPage {
        shell: Shell::for_caller(&state, &caller, "/centres").await?,
        errors,
        room,
        kinds: RoomKind::ALL,
        room_input: input,
    };
    Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
