//! A case's scheduling set-up, from its sessions page: the family's usual workers, when each adult
//! can come, and two adults who must never meet.

use super::case_sessions::{Posted, case_sessions_page, failed};
use super::renamed;
use crate::pages::{FormData, PageResult};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::schedule as app;
use familytime_domain::text::FieldErrors;

/// POST /cases/{id}/workers: the family's usual workers.
pub async fn set_workers(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::set_case_workers(&state, &caller, &id, &form.all("workers"), form.version()).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}/sessions?saved=workers")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let extras = failed(errors, StatusCode::UNPROCESSABLE_ENTITY, Posted::Workers, form);
            case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
        }
        // Changed meanwhile: nothing saved; the list is shown as it is now, with its new version.
        Err(err @ AppError::Stale) => {
            let errors = FieldErrors::single("workers", format!("{} The list below is as it is now.", err.message()));
            let extras = failed(errors, StatusCode::CONFLICT, Posted::Nothing, FormData::empty());
            case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
        }
        Err(other) => Err(other.into()),
    }
}

const NEVER_MEET_FIELDS: [(&str, &str); 3] = [
    ("party_id", "nm-party"),
    ("other_party_id", "nm-other"),
    ("reason", "nm-reason"),
];

const AVAILABILITY_FIELDS: [(&str, &str); 4] = [
    ("party_id", "avail-party"),
    ("days", "avail-days"),
    ("from", "avail-from"),
    ("to", "avail-to"),
];

/// POST /cases/{id}/availability: the days and hours an adult of the case can come.
pub async fn set_availability(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = app::AvailabilityInput {
        days: form.all("days"),
        from: form.get("from"),
        to: form.get("to"),
    };
    match app::set_party_availability(&state, &caller, &id, &form.get("party_id"), &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}/sessions?saved=availability#availability")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let extras = failed(
                renamed(errors, &AVAILABILITY_FIELDS),
                StatusCode::UNPROCESSABLE_ENTITY,
                Posted::Availability,
                form,
            );
            case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /cases/{id}/never-meet: two adults who must never be at the centre together.
pub async fn add_never_meet(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let answer = app::add_never_meet(
        &state,
        &caller,
        &id,
        &form.get("party_id"),
        &form.get("other_party_id"),
        &form.get("reason"),
    )
    .await;
    let extras = match answer {
        Ok(_) => return Ok(Redirect::to(&format!("/cases/{id}/sessions?saved=never-meet#never-meet")).into_response()),
        Err(AppError::Invalid(errors)) => failed(
            renamed(errors, &NEVER_MEET_FIELDS),
            StatusCode::UNPROCESSABLE_ENTITY,
            Posted::NeverMeet,
            form,
        ),
        Err(AppError::Conflict(message)) => failed(
            FieldErrors::single("other_party_id", message),
            StatusCode::CONFLICT,
            Posted::NeverMeet,
            form,
        ),
        Err(other) => return Err(other.into()),
    };
    case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
}
