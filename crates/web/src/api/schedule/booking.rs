//! API: booking one session or a series for a case: 201 with the bookings, or 409 naming each
//! clash with the nearest free times.

use super::search::{FreeTime, free_time};
use super::{BookingView, booking_view};
use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use familytime_app::schedule::{self, BookingInput, BookingOutcome};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A booking request: one session, or a series (repeat weekly, fortnightly or four_weekly, with a
/// count or an until date). Times are the centre's local time.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingBody {
    /// supervised, supported, handover, virtual_supported, virtual_supervised, community, hospital,
    /// welfare_check, preparatory, life_story, pre_visit, review
    pub kind: String,
    /// YYYY-MM-DD
    pub date: String,
    /// HH:MM
    pub time: String,
    pub minutes: i64,
    #[serde(default)]
    pub repeat: Option<String>,
    #[serde(default)]
    pub count: Option<i64>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub room_id: Option<String>,
    #[serde(default)]
    pub staff: Vec<String>,
    /// For a pre-visit or review: the adult who comes.
    #[serde(default)]
    pub party_id: Option<String>,
    /// The resident parent stays on the premises through the session, where the order or the case
    /// allows it; otherwise (the default) they drop the child off and come back for the pick-up.
    #[serde(default)]
    pub resident_stays: Option<bool>,
}

/// Why a booking was refused: the sessions that clash and with what, and the nearest free times.
#[derive(Serialize, ToSchema)]
pub struct Refused {
    pub error: crate::api::ErrorDetail,
    pub failures: Vec<Failure>,
    pub alternatives: Vec<Alternatives>,
}

#[derive(Serialize, ToSchema)]
pub struct Failure {
    pub starts_at: String,
    pub local_start: String,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Alternatives {
    pub instead_of: String,
    pub times: Vec<FreeTime>,
}

/// Books one session or a whole series for a case: all of it, or nothing (409 naming each clash
/// and offering the nearest free times).
#[utoipa::path(post, path = "/api/v1/cases/{id}/bookings", operation_id = "book_sessions", tag = "schedule", params(("id" = String, Path)),
    request_body = BookingBody,
    responses((status = 201, body = [BookingView]), (status = 409, body = Refused), (status = 422, body = ErrorBody)))]
pub async fn book(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BookingBody>,
) -> ApiResult<Response> {
    let input = BookingInput {
        kind: b.kind,
        date: b.date,
        time: b.time,
        minutes: b.minutes.to_string(),
        repeat: b.repeat.unwrap_or_else(|| "once".into()),
        count: b.count.map(|c| c.to_string()).unwrap_or_default(),
        until: b.until.unwrap_or_default(),
        room_id: b.room_id.unwrap_or_default(),
        staff: b.staff,
        party_id: b.party_id.unwrap_or_default(),
        resident_stays: b.resident_stays.unwrap_or(false),
    };
    Ok(booking_answer(schedule::book(&state, &caller, &id, &input).await?))
}

/// The answer to a booking request (of a session, a series or a pre-visit): 201 with the bookings,
/// or 409 naming each clash with the nearest free times.
pub(crate) fn booking_answer(outcome: BookingOutcome) -> Response {
    match outcome {
        BookingOutcome::Booked(bookings, zone) => {
            let views: Vec<BookingView> = bookings.iter().map(|b| booking_view(b, &zone)).collect();
            (StatusCode::CREATED, Json(views)).into_response()
        }
        BookingOutcome::Refused(r) => {
            let body = Refused {
                error: crate::api::ErrorDetail {
                    code: "conflict".into(),
                    message: r.message(),
                    fields: None,
                },
                failures: r
                    .failures
                    .iter()
                    .map(|(at, why)| Failure {
                        starts_at: at.to_string(),
                        local_start: schedule::local(&r.zone, *at),
                        reason: why.clone(),
                    })
                    .collect(),
                alternatives: r
                    .alternatives
                    .iter()
                    .map(|(at, offers)| Alternatives {
                        instead_of: schedule::local(&r.zone, *at),
                        times: offers.iter().map(|o| free_time(o, &r.zone)).collect(),
                    })
                    .collect(),
            };
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
    }
}
