//! API: the organisation's staff and volunteers with their rosters, their profiles and leave.

use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::schedule::{self, StaffInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A staff member as rostered.
#[derive(Serialize, ToSchema)]
pub struct StaffView {
    pub user_id: String,
    pub name: String,
    pub role: String,
    pub qualified_supervised: bool,
    pub qualifications: String,
    pub dbs_checked_on: Option<String>,
    /// "weekday HH:MM-HH:MM", weekday 1 = Monday.
    pub hours: Vec<String>,
    pub leave: Vec<String>,
    /// Send this back when changing the profile (0 before it was ever saved).
    pub version: i64,
}

/// The organisation's staff and volunteers with their rosters.
#[utoipa::path(get, path = "/api/v1/staff", operation_id = "list_staff", tag = "schedule", responses((status = 200, body = [StaffView])))]
pub async fn list_staff(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<StaffView>>> {
    let staff = schedule::staff(&state, &caller).await?;
    Ok(Json(
        staff
            .into_iter()
            .map(|s| StaffView {
                user_id: s.user_id.to_string(),
                name: s.name,
                role: s.role,
                qualified_supervised: s.qualified_supervised,
                qualifications: s.qualifications,
                dbs_checked_on: s.dbs_checked_on.map(|d| d.to_string()),
                hours: s
                    .availability
                    .iter()
                    .map(|(d, a, b)| format!("{d} {}-{}", a.strftime("%H:%M"), b.strftime("%H:%M")))
                    .collect(),
                leave: s.leave.iter().map(|(a, b)| format!("{a}/{b}")).collect(),
                version: s.version,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffBody {
    pub qualified_supervised: bool,
    pub qualifications: String,
    /// YYYY-MM-DD, or null when not checked (read once, here, by the one strict date parser).
    #[serde(deserialize_with = "familytime_domain::dates::deserialize_optional_date")]
    #[schema(value_type = Option<String>, required = true, format = Date)]
    pub dbs_checked_on: Option<jiff::civil::Date>,
    /// "weekday HH:MM-HH:MM" each, weekday 1 = Monday; empty: whenever the centre is open.
    pub hours: Vec<String>,
    /// The profile's version as read in GET /api/v1/staff (0 before it was ever saved).
    pub version: i64,
}

/// Sets a staff member's whole profile: qualifications, DBS check date and weekly hours. Every field
/// is required (a missing or unknown one is 422); a stale version is 409 and changes nothing.
#[utoipa::path(put, path = "/api/v1/staff/{id}", operation_id = "set_staff_profile", tag = "schedule", params(("id" = String, Path)),
    request_body = StaffBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_staff(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StaffBody>,
) -> ApiResult<StatusCode> {
    let input = StaffInput {
        qualified_supervised: b.qualified_supervised,
        qualifications: b.qualifications,
        dbs_checked_on: b.dbs_checked_on.map(|d| d.to_string()).unwrap_or_default(),
        hours: b.hours.join("\n"),
        version: b.version,
    };
    schedule::save_staff(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveBody {
    /// YYYY-MM-DD
    #[serde(deserialize_with = "familytime_domain::dates::deserialize_date")]
    #[schema(value_type = String, format = Date)]
    pub first_day: jiff::civil::Date,
    /// YYYY-MM-DD
    #[serde(deserialize_with = "familytime_domain::dates::deserialize_date")]
    #[schema(value_type = String, format = Date)]
    pub last_day: jiff::civil::Date,
}

/// Records leave for a staff member.
#[utoipa::path(post, path = "/api/v1/staff/{id}/leave", operation_id = "add_staff_leave", tag = "schedule", params(("id" = String, Path)),
    request_body = LeaveBody, responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn add_leave(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<LeaveBody>,
) -> ApiResult<StatusCode> {
    schedule::add_leave(&state, &caller, &id, &b.first_day.to_string(), &b.last_day.to_string()).await?;
    Ok(StatusCode::NO_CONTENT)
}
