//! API: a centre's scheduling settings, opening hours, closures, entrances, and approving
//! off-site venues.

use super::Created;
use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::schedule::{self, OpeningInput, SettingsInput};
use familytime_domain::schedule::Settings;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A centre's scheduling settings.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = ScheduleSettings)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// visiting_first (UK practice) or resident_first (US practice)
    pub direction: String,
    pub arrival_lead_minutes: i64,
    pub handover_minutes: i64,
    pub departure_delay_minutes: i64,
    pub room_buffer_minutes: i64,
    pub supervisors_required: i64,
    pub families_per_worker: i64,
    pub community_staff_required: i64,
    pub travel_minutes: i64,
    pub longest_session_minutes: i64,
    /// Send back the version you read (0 before any were saved); a stale write is refused.
    pub version: i64,
}

fn settings_body(s: &Settings, version: i64) -> SettingsBody {
    SettingsBody {
        direction: s.direction.as_str().into(),
        arrival_lead_minutes: s.arrival_lead_minutes,
        handover_minutes: s.handover_minutes,
        departure_delay_minutes: s.departure_delay_minutes,
        room_buffer_minutes: s.room_buffer_minutes,
        supervisors_required: s.supervisors_required.into(),
        families_per_worker: s.families_per_worker.into(),
        community_staff_required: s.community_staff_required.into(),
        travel_minutes: s.travel_minutes,
        longest_session_minutes: s.longest_session_minutes,
        version,
    }
}

/// The centre's scheduling settings.
#[utoipa::path(get, path = "/api/v1/centres/{id}/schedule-settings", operation_id = "get_schedule_settings", tag = "schedule", params(("id" = String, Path)),
    responses((status = 200, body = SettingsBody), (status = 404, body = ErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<SettingsBody>> {
    let view = schedule::centre_schedule(&state, &caller, &id).await?;
    Ok(Json(settings_body(&view.settings, view.version)))
}

/// Changes the centre's scheduling settings.
#[utoipa::path(put, path = "/api/v1/centres/{id}/schedule-settings", operation_id = "update_schedule_settings", tag = "schedule", params(("id" = String, Path)),
    request_body = SettingsBody,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SettingsBody>,
) -> ApiResult<StatusCode> {
    let input = SettingsInput {
        direction: b.direction,
        arrival_lead_minutes: b.arrival_lead_minutes.to_string(),
        handover_minutes: b.handover_minutes.to_string(),
        departure_delay_minutes: b.departure_delay_minutes.to_string(),
        room_buffer_minutes: b.room_buffer_minutes.to_string(),
        supervisors_required: b.supervisors_required.to_string(),
        families_per_worker: b.families_per_worker.to_string(),
        community_staff_required: b.community_staff_required.to_string(),
        travel_minutes: b.travel_minutes.to_string(),
        longest_session_minutes: b.longest_session_minutes.to_string(),
        version: b.version,
    };
    schedule::save_settings(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An opening rule: weekday 1 (Monday) to 7, "HH:MM" times, and for alternate weeks a date in the
/// first week it applies.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningBody {
    pub weekday: i64,
    pub opens: String,
    pub closes: String,
    #[serde(default)]
    pub alternate_from: Option<String>,
}

/// Adds opening hours to a centre.
#[utoipa::path(post, path = "/api/v1/centres/{id}/opening-hours", operation_id = "add_opening_hours", tag = "schedule", params(("id" = String, Path)),
    request_body = OpeningBody, responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn add_opening(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OpeningBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let input = OpeningInput {
        weekday: b.weekday.to_string(),
        opens: b.opens,
        closes: b.closes,
        alternate_from: b.alternate_from.unwrap_or_default(),
    };
    let id = schedule::add_opening(&state, &caller, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Removes opening hours.
#[utoipa::path(delete, path = "/api/v1/centres/{id}/opening-hours/{opening}", operation_id = "remove_opening_hours", tag = "schedule",
    params(("id" = String, Path), ("opening" = String, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn remove_opening(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, opening)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    schedule::remove_opening(&state, &caller, &id, &opening).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A closure: first and last day (YYYY-MM-DD) and why.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureBody {
    pub first_day: String,
    #[serde(default)]
    pub last_day: Option<String>,
    pub reason: String,
}

/// Closes a centre for a day or days (bank holidays, training).
#[utoipa::path(post, path = "/api/v1/centres/{id}/closures", operation_id = "add_closure", tag = "schedule", params(("id" = String, Path)),
    request_body = ClosureBody, responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn add_closure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ClosureBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = schedule::add_closure(
        &state,
        &caller,
        &id,
        &b.first_day,
        b.last_day.as_deref().unwrap_or_default(),
        &b.reason,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Removes a closure.
#[utoipa::path(delete, path = "/api/v1/centres/{id}/closures/{closure}", operation_id = "remove_closure", tag = "schedule",
    params(("id" = String, Path), ("closure" = String, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn remove_closure(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, closure)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    schedule::remove_closure(&state, &caller, &id, &closure).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntranceBody {
    pub name: String,
}

/// Adds an entrance (a centre may have two, so the parents arrive apart).
#[utoipa::path(post, path = "/api/v1/centres/{id}/entrances", operation_id = "add_entrance", tag = "schedule", params(("id" = String, Path)),
    request_body = EntranceBody, responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn add_entrance(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EntranceBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = schedule::add_entrance(&state, &caller, &id, &b.name).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The approval of an off-site venue: community, hospital or home, and why it is suitable.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalBody {
    pub venue_kind: String,
    pub notes: String,
}

/// Approves an off-site venue for contact.
#[utoipa::path(post, path = "/api/v1/rooms/{id}/approval", operation_id = "approve_venue", tag = "schedule", params(("id" = String, Path)),
    request_body = ApprovalBody, responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn approve_venue(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ApprovalBody>,
) -> ApiResult<StatusCode> {
    schedule::approve_venue(&state, &caller, &id, &b.venue_kind, &b.notes).await?;
    Ok(StatusCode::NO_CONTENT)
}
