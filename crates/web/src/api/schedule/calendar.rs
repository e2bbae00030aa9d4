//! API: a centre's calendar over some days, and a case's sessions.

use super::{BookingView, booking_view};
use crate::api::{ApiResult, ErrorBody};
use crate::{AppError, AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use familytime_app::schedule;
use serde::Deserialize;
use utoipa::IntoParams;

/// The case's sessions.
#[utoipa::path(get, path = "/api/v1/cases/{id}/bookings", operation_id = "list_case_bookings", tag = "schedule", params(("id" = String, Path)),
    responses((status = 200, body = [BookingView]), (status = 404, body = ErrorBody)))]
pub async fn case_bookings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<BookingView>>> {
    let (bookings, zone) = schedule::case_bookings(&state, &caller, &id).await?;
    Ok(Json(bookings.iter().map(|b| booking_view(b, &zone)).collect()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// YYYY-MM-DD (default: today at the centre)
    #[serde(default)]
    pub from: Option<String>,
    /// 1 to 62 (default 7)
    #[serde(default)]
    pub days: Option<i64>,
    #[serde(default)]
    pub room: Option<String>,
    #[serde(default)]
    pub staff: Option<String>,
}

/// A centre's bookings over some days, for one room or staff member if asked.
#[utoipa::path(get, path = "/api/v1/centres/{id}/calendar", operation_id = "get_centre_calendar", tag = "schedule", params(("id" = String, Path), CalendarQuery),
    responses((status = 200, body = [BookingView]), (status = 404, body = ErrorBody)))]
pub async fn centre_calendar(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    crate::api::ApiQuery(q): crate::api::ApiQuery<CalendarQuery>,
) -> ApiResult<Json<Vec<BookingView>>> {
    let days = q.days.unwrap_or(7);
    if !(1..=62).contains(&days) {
        return Err(AppError::BadRequest("Ask for between 1 and 62 days".into()).into());
    }
    let view = schedule::calendar(
        &state,
        &caller,
        &id,
        q.from.as_deref(),
        days,
        q.room.as_deref(),
        q.staff.as_deref(),
    )
    .await?;
    Ok(Json(
        view.bookings.iter().map(|b| booking_view(b, &view.zone)).collect(),
    ))
}
