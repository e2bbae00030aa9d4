//! API: a case's scheduling set-up: the family's usual workers and two people who must never meet.

use super::Created;
use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::schedule;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkersBody {
    pub workers: Vec<String>,
    /// `workers_version` as read in the case file (GET /api/v1/cases/{id}).
    pub version: i64,
}

/// Sets the family's usual workers (the search prefers them). A stale version is 409 and changes nothing.
#[utoipa::path(put, path = "/api/v1/cases/{id}/workers", operation_id = "set_case_workers", tag = "schedule", params(("id" = String, Path)),
    request_body = WorkersBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_workers(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<WorkersBody>,
) -> ApiResult<StatusCode> {
    schedule::set_case_workers(&state, &caller, &id, &b.workers, b.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Two people who must never be on site together: an adult of this case and another adult (of
/// this or another case).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeverMeetBody {
    pub party_id: String,
    pub other_party_id: String,
    pub reason: String,
}

/// Keeps two people apart. Refused (409) when their booked sessions already overlap.
#[utoipa::path(post, path = "/api/v1/cases/{id}/never-meet", operation_id = "add_never_meet", tag = "schedule", params(("id" = String, Path)),
    request_body = NeverMeetBody, responses((status = 201, body = Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_never_meet(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NeverMeetBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = schedule::add_never_meet(&state, &caller, &id, &b.party_id, &b.other_party_id, &b.reason).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
