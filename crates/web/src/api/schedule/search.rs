//! API: the free-time search for a case's sessions.

use crate::api::{ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use familytime_app::schedule::{self, Alternative};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A free time.
#[derive(Serialize, ToSchema)]
pub struct FreeTime {
    pub starts_at: String,
    pub ends_at: String,
    pub local_start: String,
    pub room_id: Option<String>,
    pub staff: Vec<String>,
}

pub(super) fn free_time(a: &Alternative, zone: &TimeZone) -> FreeTime {
    FreeTime {
        starts_at: a.span.start.to_string(),
        ends_at: a.span.end.to_string(),
        local_start: schedule::local(zone, a.span.start),
        room_id: a.room_id.clone(),
        staff: a.staff.iter().map(|s| s.to_string()).collect(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    pub kind: String,
    pub minutes: String,
    /// YYYY-MM-DD (default: now)
    #[serde(default)]
    pub from: String,
    /// How many days to search (default 14, at most 62).
    #[serde(default)]
    pub days: String,
    /// How many times to return (default 10, at most 100).
    #[serde(default)]
    pub n: Option<usize>,
    #[serde(default)]
    pub party_id: String,
}

/// The next free times for this case and kind of session: opening hours, rooms, suitable staff
/// (the family's usual workers first), both parties' availability and the never-meet windows.
#[utoipa::path(get, path = "/api/v1/cases/{id}/availability", operation_id = "find_free_times", tag = "schedule", params(("id" = String, Path), AvailabilityQuery),
    responses((status = 200, body = [FreeTime]), (status = 422, body = ErrorBody)))]
pub async fn availability(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    crate::api::ApiQuery(q): crate::api::ApiQuery<AvailabilityQuery>,
) -> ApiResult<Json<Vec<FreeTime>>> {
    let want = q.n.unwrap_or(10).clamp(1, 100);
    let (times, zone) = schedule::find_times(
        &state,
        &caller,
        &id,
        &q.kind,
        &q.minutes,
        &q.from,
        &q.days,
        &q.party_id,
        "",
        "",
        want,
    )
    .await?;
    Ok(Json(times.iter().map(|t| free_time(t, &zone)).collect()))
}
