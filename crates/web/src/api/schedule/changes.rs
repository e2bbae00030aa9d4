//! API: one booking with its plan and history, changing its status (confirming, cancelling) and
//! moving it to another time.

use super::{BookingView, booking_view};
use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::schedule::{self, StatusInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A booking with its plan and history.
#[derive(Serialize, ToSchema)]
pub struct BookingDetail {
    pub booking: BookingView,
    pub parties: Vec<PartyPlanView>,
    pub staff: Vec<StaffOnBooking>,
    pub history: Vec<EventView>,
}

/// A staff member working a session.
#[derive(Serialize, ToSchema)]
pub struct StaffOnBooking {
    pub user_id: String,
    pub name: String,
}

/// When one party arrives and leaves, and where.
#[derive(Serialize, ToSchema)]
pub struct PartyPlanView {
    pub party_id: String,
    pub name: String,
    pub attendance: String,
    pub arrives: String,
    pub leaves: String,
    pub entrance: Option<String>,
    pub waits_in: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventView {
    pub at: String,
    pub by: Option<String>,
    pub event: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub detail: Option<String>,
}

/// One booking.
#[utoipa::path(get, path = "/api/v1/bookings/{id}", operation_id = "get_booking", tag = "schedule", params(("id" = String, Path)),
    responses((status = 200, body = BookingDetail), (status = 404, body = ErrorBody)))]
pub async fn get_booking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<BookingDetail>> {
    let v = schedule::booking(&state, &caller, &id).await?;
    let at = |ms: i64| schedule::local(&v.zone, familytime_store::schedule::ts_of(ms));
    Ok(Json(BookingDetail {
        booking: booking_view(&v.booking, &v.zone),
        parties: v
            .parties
            .iter()
            .map(|p| PartyPlanView {
                party_id: p.party_id.clone(),
                name: p.name.clone(),
                attendance: p.attendance.clone(),
                arrives: at(p.arrives_at),
                leaves: at(p.leaves_at),
                entrance: p.entrance.clone(),
                waits_in: p.waits_in.clone(),
            })
            .collect(),
        staff: v
            .staff
            .iter()
            .map(|s| StaffOnBooking {
                user_id: s.user_id.clone(),
                name: s.name.clone(),
            })
            .collect(),
        history: v
            .events
            .iter()
            .map(|e| EventView {
                at: at(e.at),
                by: e.actor_name.clone(),
                event: e.event.clone(),
                from_status: e.from_status.clone(),
                to_status: e.to_status.clone(),
                detail: e.detail.clone(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// confirmed, completed, cancelled, no_show, stopped_early
    pub status: String,
    #[serde(default)]
    pub reason: String,
    /// For a cancellation: centre, resident, visiting or other.
    #[serde(default)]
    pub cancelled_by: String,
    pub version: i64,
    /// For a cancellation: waive what it forfeits (needs `waiver_reason`).
    #[serde(default)]
    pub waive: bool,
    #[serde(default)]
    pub waiver_reason: String,
    /// For a cancellation: the outcome shown by `/cancellation-outcome`; refused with 409 when it
    /// no longer holds.
    #[serde(default)]
    pub expected_outcome: Option<String>,
}

/// Moves a booking to a new status. Confirming waits for payment or funding (422 says who owes what);
/// cancelling frees its room, staff and people and records what the cancellation policy forfeits.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/status", operation_id = "set_booking_status", tag = "schedule", params(("id" = String, Path)),
    request_body = StatusBody, responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StatusBody>,
) -> ApiResult<StatusCode> {
    let input = StatusInput {
        status: b.status,
        reason: b.reason,
        cancelled_by: b.cancelled_by,
        version: b.version,
        waive: b.waive,
        waiver_reason: b.waiver_reason,
        expected: b.expected_outcome,
    };
    schedule::set_status(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    pub date: String,
    pub time: String,
    /// Who asked for the move: centre, resident, visiting or other.
    pub asked_by: String,
    pub version: i64,
}

/// Moves a booking to another time; the old one stays in the history.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/move", operation_id = "move_booking", tag = "schedule", params(("id" = String, Path)),
    request_body = MoveBody, responses((status = 201, body = BookingView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_booking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MoveBody>,
) -> ApiResult<(StatusCode, Json<BookingView>)> {
    let (moved, zone) = schedule::reschedule(&state, &caller, &id, &b.date, &b.time, &b.asked_by, b.version).await?;
    Ok((StatusCode::CREATED, Json(booking_view(&moved, &zone))))
}
