//! API: the organisation's interpreters (name, languages) and booking one for an adult of a
//! session, as a resource that must be free like a room (decision 0047).

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::interpreters::{self, Interpreter, InterpreterInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One of the organisation's interpreters.
#[derive(Serialize, ToSchema)]
pub struct InterpreterView {
    pub id: String,
    pub name: String,
    /// The languages they interpret, comma-separated.
    pub languages: String,
}

fn view(i: Interpreter) -> InterpreterView {
    InterpreterView {
        id: i.id,
        name: i.name,
        languages: i.languages,
    }
}

/// A new interpreter.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterpreterBody {
    pub name: String,
    /// The languages they interpret, comma-separated ("Polish, Russian").
    pub languages: String,
}

/// The organisation's interpreters, by name.
#[utoipa::path(get, path = "/api/v1/interpreters", operation_id = "list_interpreters", tag = "schedule",
    responses((status = 200, body = Vec<InterpreterView>)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<InterpreterView>>> {
    Ok(Json(
        interpreters::list(&state, &caller)
            .await?
            .into_iter()
            .map(view)
            .collect(),
    ))
}

/// Adds an interpreter.
#[utoipa::path(post, path = "/api/v1/interpreters", operation_id = "add_interpreter", tag = "schedule",
    request_body = InterpreterBody, responses((status = 201, body = InterpreterView), (status = 422, body = ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<InterpreterBody>,
) -> ApiResult<(StatusCode, Json<InterpreterView>)> {
    let added = interpreters::add(&state, &caller, &b.name, &b.languages).await?;
    Ok((StatusCode::CREATED, Json(view(added))))
}

/// The interpreter for one adult of a booking; null takes theirs off.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingInterpreterBody {
    /// The adult (a `party_id` from the booking's arrival plan).
    pub party_id: String,
    /// One of the organisation's interpreters, or null.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub interpreter_id: Option<String>,
    /// The booking's version you read.
    pub version: i64,
}

/// Books an interpreter for an adult of the session (422 when they are booked elsewhere at an
/// overlapping time, or do not interpret the adult's language); the booking's version moves on.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/interpreter", operation_id = "set_booking_interpreter", tag = "schedule", params(("id" = String, Path)),
    request_body = BookingInterpreterBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_for_booking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BookingInterpreterBody>,
) -> ApiResult<StatusCode> {
    let input = InterpreterInput {
        party: b.party_id,
        interpreter: b.interpreter_id.unwrap_or_default(),
        version: b.version,
    };
    interpreters::set_for_booking(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
