//! The centre's scheduling settings page and its forms: the settings, opening hours, closures,
//! entrances, and approving off-site venues.

use super::{Opt, long_day, may_manage, opt, short_day, weekday_name};
use crate::pages::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use familytime_app::schedule::{self as app, OpeningInput, SettingsInput};
use familytime_domain::schedule::{StaggerDirection, WeekRepeat};
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;

fn venue_kind_label(kind: &str) -> &'static str {
    match kind {
        "community" => "Community venue",
        "hospital" => "Hospital",
        "home" => "Home",
        _ => "Approved venue",
    }
}

/// A number field of the settings form.
pub struct NumberField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
}

pub struct OpeningRow {
    pub id: String,
    pub day: &'static str,
    pub hours: String,
    pub weeks: String,
}

pub struct ClosureRow {
    pub id: String,
    pub days: String,
    pub reason: String,
}

pub struct VenueRow {
    pub id: String,
    pub name: String,
    pub approval: String,
}

#[derive(askama::Template)]
#[template(path = "schedule_settings.html")]
struct SettingsPage {
    shell: Shell,
    errors: FieldErrors,
    centre_id: String,
    centre_name: String,
    can_manage: bool,
    version: i64,
    directions: Vec<Opt>,
    direction_label: &'static str,
    numbers: Vec<NumberField>,
    openings: Vec<OpeningRow>,
    closures: Vec<ClosureRow>,
    entrances: Vec<String>,
    venues: Vec<VenueRow>,
    venue_options: Vec<Opt>,
    venue_kinds: Vec<Opt>,
    weekdays: Vec<Opt>,
    f: FormData,
}

/// Which of the settings page's forms was sent (its typed values are shown again).
#[derive(PartialEq, Eq)]
enum SettingsForm {
    None,
    Settings,
    Other,
    /// A stale settings form: show the stored settings as they now are.
    Stale,
}

async fn settings_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    sent: SettingsForm,
    form: FormData,
) -> PageResult {
    let cs = app::centre_schedule(state, caller, id).await?;
    let input = if sent == SettingsForm::Settings {
        settings_input(&form)
    } else {
        SettingsInput::from_settings(&cs.settings, cs.version)
    };
    let version = if sent == SettingsForm::Settings {
        form.version()
    } else {
        cs.version
    };
    let direction = StaggerDirection::parse(input.direction.trim());
    let directions = [StaggerDirection::VisitingFirst, StaggerDirection::ResidentFirst]
        .into_iter()
        .map(|d| opt(d.as_str(), d.label(), input.direction.trim()))
        .collect();
    let numbers = vec![
        NumberField {
            name: "arrival_lead_minutes",
            label: "How many minutes before the start the first parent arrives",
            value: input.arrival_lead_minutes.clone(),
        },
        NumberField {
            name: "handover_minutes",
            label: "Minutes each parent takes to arrive or leave (entrance, reception, handing over the child)",
            value: input.handover_minutes.clone(),
        },
        NumberField {
            name: "departure_delay_minutes",
            label: "How many minutes after the end the last parent leaves",
            value: input.departure_delay_minutes.clone(),
        },
        NumberField {
            name: "room_buffer_minutes",
            label: "Minutes a room is kept free after each session",
            value: input.room_buffer_minutes.clone(),
        },
        NumberField {
            name: "supervisors_required",
            label: "Qualified supervisors at each supervised session",
            value: input.supervisors_required.clone(),
        },
        NumberField {
            name: "families_per_worker",
            label: "Families per staff member or volunteer at a supported session",
            value: input.families_per_worker.clone(),
        },
        NumberField {
            name: "community_staff_required",
            label: "Staff at community, hospital and home visits",
            value: input.community_staff_required.clone(),
        },
        NumberField {
            name: "travel_minutes",
            label: "Minutes staff travel each way to an off-site venue",
            value: input.travel_minutes.clone(),
        },
        NumberField {
            name: "longest_session_minutes",
            label: "The longest a session may be, in minutes",
            value: input.longest_session_minutes.clone(),
        },
    ];
    let openings = cs
        .openings
        .iter()
        .map(|o| OpeningRow {
            id: o.id.clone(),
            day: weekday_name(o.rule.weekday),
            hours: format!("{}–{}", o.rule.opens.strftime("%H:%M"), o.rule.closes.strftime("%H:%M")),
            weeks: match o.rule.repeat {
                WeekRepeat::Every => "Every week".into(),
                WeekRepeat::Alternate { from } => format!("Every other week, starting the week of {}", short_day(from)),
            },
        })
        .collect();
    let closures = cs
        .closures
        .iter()
        .map(|c| ClosureRow {
            id: c.id.clone(),
            days: if c.closure.first_day == c.closure.last_day {
                long_day(c.closure.first_day)
            } else {
                format!(
                    "{} to {}",
                    short_day(c.closure.first_day),
                    short_day(c.closure.last_day)
                )
            },
            reason: c.closure.reason.clone(),
        })
        .collect();
    let venues: Vec<VenueRow> = cs
        .rooms
        .iter()
        .filter(|(r, _)| r.kind == RoomKind::OffSiteVenue)
        .map(|(r, approval)| VenueRow {
            id: r.id.to_string(),
            name: r.name.clone(),
            approval: approval.as_deref().map_or_else(
                || "Not approved yet".to_owned(),
                |k| format!("Approved: {}", venue_kind_label(k)),
            ),
        })
        .collect();
    let chosen_room = form.get("room");
    let chosen_kind = form.get("venue_kind");
    let chosen_day = form.get("weekday");
    let page = SettingsPage {
        shell: Shell::for_caller(state, caller, "/centres").await?,
        errors,
        centre_id: cs.centre.id.to_string(),
        centre_name: cs.centre.name.clone(),
        can_manage: may_manage(caller),
        version,
        directions,
        direction_label: direction.map_or("Not set", |d| d.label()),
        numbers,
        openings,
        closures,
        entrances: cs.entrances.iter().map(|(_, name)| name.clone()).collect(),
        venue_options: venues
            .iter()
            .map(|v| opt(v.id.clone(), v.name.clone(), &chosen_room))
            .collect(),
        venues,
        venue_kinds: ["community", "hospital", "home"]
            .into_iter()
            .map(|k| opt(k, venue_kind_label(k), &chosen_kind))
            .collect(),
        weekdays: (1..=7)
            .filter_map(|n: i64| {
                familytime_store::schedule::weekday_from(n).map(|d| opt(n.to_string(), weekday_name(d), &chosen_day))
            })
            .collect(),
        f: if sent == SettingsForm::Other {
            form
        } else {
            FormData::empty()
        },
    };
    Ok(render_with(status, &page))
}

fn settings_input(form: &FormData) -> SettingsInput {
    SettingsInput {
        direction: form.get("direction"),
        arrival_lead_minutes: form.get("arrival_lead_minutes"),
        handover_minutes: form.get("handover_minutes"),
        departure_delay_minutes: form.get("departure_delay_minutes"),
        room_buffer_minutes: form.get("room_buffer_minutes"),
        supervisors_required: form.get("supervisors_required"),
        families_per_worker: form.get("families_per_worker"),
        community_staff_required: form.get("community_staff_required"),
        travel_minutes: form.get("travel_minutes"),
        longest_session_minutes: form.get("longest_session_minutes"),
        version: form.version(),
    }
}

/// GET /centres/{id}/schedule
pub async fn settings(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    settings_page(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        StatusCode::OK,
        SettingsForm::None,
        FormData::empty(),
    )
    .await
}

fn back_to_settings(id: &str) -> Response {
    Redirect::to(&format!("/centres/{id}/schedule")).into_response()
}

/// Shows the settings page again after one of its forms failed.
async fn settings_failed(
    state: &AppState,
    caller: &Caller,
    id: &str,
    err: AppError,
    field: &'static str,
    form: FormData,
) -> PageResult {
    match err {
        AppError::Invalid(errors) => {
            let status = form_status(&errors);
            settings_page(state, caller, id, errors, status, SettingsForm::Other, form).await
        }
        AppError::Conflict(message) => {
            settings_page(
                state,
                caller,
                id,
                FieldErrors::single(field, message),
                StatusCode::CONFLICT,
                SettingsForm::Other,
                form,
            )
            .await
        }
        other => Err(other.into()),
    }
}

/// POST /centres/{id}/schedule/settings
pub async fn save_settings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = settings_input(&form);
    match app::save_settings(&state, &caller, &id, &input).await {
        Ok(()) => Ok(back_to_settings(&id)),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            settings_page(&state, &caller, &id, errors, status, SettingsForm::Settings, form).await
        }
        Err(err @ AppError::Stale) => {
            settings_page(
                &state,
                &caller,
                &id,
                FieldErrors::single(
                    "direction",
                    format!("{} The settings below are as they are now.", err.message()),
                ),
                StatusCode::CONFLICT,
                SettingsForm::Stale,
                FormData::empty(),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /centres/{id}/opening-hours
pub async fn add_opening(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = OpeningInput {
        weekday: form.get("weekday"),
        opens: form.get("opens"),
        closes: form.get("closes"),
        alternate_from: form.get("alternate_from"),
    };
    match app::add_opening(&state, &caller, &id, &input).await {
        Ok(_) => Ok(back_to_settings(&id)),
        Err(err) => settings_failed(&state, &caller, &id, err, "weekday", form).await,
    }
}

/// POST /centres/{id}/opening-hours/{opening}/remove
pub async fn remove_opening(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, opening)): Path<(String, String)>,
) -> PageResult {
    app::remove_opening(&state, &caller, &id, &opening).await?;
    Ok(back_to_settings(&id))
}

/// POST /centres/{id}/closures
pub async fn add_closure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::add_closure(
        &state,
        &caller,
        &id,
        &form.get("first_day"),
        &form.get("last_day"),
        &form.get("reason"),
    )
    .await
    {
        Ok(_) => Ok(back_to_settings(&id)),
        Err(err) => settings_failed(&state, &caller, &id, err, "first_day", form).await,
    }
}

/// POST /centres/{id}/closures/{closure}/remove
pub async fn remove_closure(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, closure)): Path<(String, String)>,
) -> PageResult {
    app::remove_closure(&state, &caller, &id, &closure).await?;
    Ok(back_to_settings(&id))
}

/// POST /centres/{id}/entrances
pub async fn add_entrance(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::add_entrance(&state, &caller, &id, &form.get("name")).await {
        Ok(_) => Ok(back_to_settings(&id)),
        Err(err) => settings_failed(&state, &caller, &id, err, "name", form).await,
    }
}

/// POST /rooms/{id}/approval: the form names the venue in `room`, the address in the path.
pub async fn approve_venue(
    State(state): State<AppState>,
    caller: Caller,
    Path(room): Path<String>,
    form: FormData,
) -> PageResult {
    // The settings page's form sends the venue chosen in its list; the path says which when posted directly.
    let chosen = form.get("room");
    let room = if chosen.trim().is_empty() { room } else { chosen };
    match app::approve_venue(&state, &caller, &room, &form.get("venue_kind"), &form.get("notes")).await {
        Ok(()) => {
            let centre = centre_of_room(&state, &caller, &room).await?;
            Ok(back_to_settings(&centre))
        }
        Err(AppError::Invalid(errors)) => {
            let centre = centre_of_room(&state, &caller, &room).await?;
            let status = form_status(&errors);
            settings_page(&state, &caller, &centre, errors, status, SettingsForm::Other, form).await
        }
        Err(other) => Err(other.into()),
    }
}

/// The centre a room belongs to (the room was already found and authorised by the use case).
async fn centre_of_room(state: &AppState, caller: &Caller, room: &str) -> Result<String, AppError> {
    let id = familytime_domain::ids::RoomId::parse(room).map_err(|_| AppError::NotFound)?;
    let org = caller.user()?.organisation_id;
    match state.store.room(org, id).await {
        Ok(r) => Ok(r.centre_id.to_string()),
        Err(familytime_store::StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}
