//! Booking one session or a series from a case's sessions page: booked, or the page again with
//! each date that fails and the nearest free times.

use super::case_sessions::{Posted, SessionsExtras, case_sessions_page, failed};
use crate::pages::{FormData, PageResult};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::schedule::{self as app, BookingInput, BookingOutcome};
use familytime_domain::text::FieldErrors;

/// POST /cases/{id}/sessions: books one session or a series, or says which dates fail.
pub async fn book(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, form: FormData) -> PageResult {
    let input = BookingInput {
        kind: form.get("kind"),
        date: form.get("date"),
        time: form.get("time"),
        minutes: form.get("minutes"),
        repeat: form.get("repeat"),
        count: form.get("count"),
        until: form.get("until"),
        room_id: form.get("room_id"),
        staff: form.all("staff"),
        party_id: form.get("party_id"),
        resident_stays: form.get("resident_stays") == "yes",
    };
    let empty = FormData::empty();
    let extras = match app::book(&state, &caller, &id, &input).await {
        Ok(BookingOutcome::Booked(..)) => {
            return Ok(Redirect::to(&format!("/cases/{id}/sessions?booked=1")).into_response());
        }
        Ok(BookingOutcome::Refused(refused)) => SessionsExtras {
            errors: FieldErrors::new(),
            status: StatusCode::CONFLICT,
            posted: Posted::Booking,
            form,
            refused: Some(refused),
        },
        Err(AppError::Invalid(errors)) => failed(errors, StatusCode::UNPROCESSABLE_ENTITY, Posted::Booking, form),
        Err(AppError::Conflict(message)) => failed(
            FieldErrors::single("date", message),
            StatusCode::CONFLICT,
            Posted::Booking,
            form,
        ),
        Err(other) => return Err(other.into()),
    };
    case_sessions_page(&state, &caller, &id, &empty, extras).await
}
