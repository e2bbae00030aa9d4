//! API: where each adult arrives and waits for a booking (the arrival plan's entrance and waiting
//! room), as the booking page sets them.

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::arrivals::{self, ArrivalInput};
use serde::Deserialize;
use utoipa::ToSchema;

/// One adult's entrance and waiting room for a booking; both are sent (null for the usual way in,
/// or for no waiting room).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalBody {
    /// The adult (a `party_id` from the booking's arrival plan).
    pub party_id: String,
    /// One of the centre's entrances, or null.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub entrance_id: Option<String>,
    /// One of the centre's waiting rooms, or null.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub waits_in: Option<String>,
    /// The booking's version you read.
    pub version: i64,
}

/// Sets where one adult arrives and waits for the session; the booking's version moves on.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/arrival", operation_id = "set_arrival", tag = "schedule", params(("id" = String, Path)),
    request_body = ArrivalBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_arrival(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ArrivalBody>,
) -> ApiResult<StatusCode> {
    let input = ArrivalInput {
        party: b.party_id,
        entrance: b.entrance_id.unwrap_or_default(),
        waits_in: b.waits_in.unwrap_or_default(),
        version: b.version,
    };
    arrivals::set_arrival(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
