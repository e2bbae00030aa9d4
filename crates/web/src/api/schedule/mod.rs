//! API: scheduling — centre settings and calendar, staff rosters, never-meet pairs, booking sessions
//! and series (409 with what clashed and the nearest free times), free-time search, moving and
//! cancelling, calendars and iCalendar feeds.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppError, AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use familytime_app::schedule::{
    self, Alternative, BookingInput, BookingOutcome, OpeningInput, SettingsInput, StaffInput, StatusInput,
};
use familytime_domain::schedule::Settings;
use familytime_store::schedule::Booking;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
#[utoipa::path(get, path = "/api/v1/centres/{id}/schedule-settings", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(put, path = "/api/v1/centres/{id}/schedule-settings", tag = "schedule", params(("id" = String, Path)),
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

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// Adds opening hours to a centre.
#[utoipa::path(post, path = "/api/v1/centres/{id}/opening-hours", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(delete, path = "/api/v1/centres/{id}/opening-hours/{opening}", tag = "schedule",
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
#[utoipa::path(post, path = "/api/v1/centres/{id}/closures", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(delete, path = "/api/v1/centres/{id}/closures/{closure}", tag = "schedule",
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
#[utoipa::path(post, path = "/api/v1/centres/{id}/entrances", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(post, path = "/api/v1/rooms/{id}/approval", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(get, path = "/api/v1/staff", tag = "schedule", responses((status = 200, body = [StaffView])))]
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
#[utoipa::path(put, path = "/api/v1/staff/{id}", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(post, path = "/api/v1/staff/{id}/leave", tag = "schedule", params(("id" = String, Path)),
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkersBody {
    pub workers: Vec<String>,
    /// `workers_version` as read in the case file (GET /api/v1/cases/{id}).
    pub version: i64,
}

/// Sets the family's usual workers (the search prefers them). A stale version is 409 and changes nothing.
#[utoipa::path(put, path = "/api/v1/cases/{id}/workers", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(post, path = "/api/v1/cases/{id}/never-meet", tag = "schedule", params(("id" = String, Path)),
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
}

/// A booking as shown.
#[derive(Serialize, ToSchema)]
pub struct BookingView {
    pub id: String,
    pub centre_id: String,
    pub case_id: Option<String>,
    pub case_reference: Option<String>,
    pub kind: String,
    pub room_id: Option<String>,
    pub room_name: Option<String>,
    pub starts_at: String,
    pub ends_at: String,
    /// The start in the centre's zone, e.g. 2026-12-01 10:00.
    pub local_start: String,
    pub status: String,
    pub series_id: Option<String>,
    pub rescheduled_from: Option<String>,
    pub cancelled_by: Option<String>,
    pub notice_minutes: Option<i64>,
    pub reason: Option<String>,
    pub version: i64,
}

fn booking_view(b: &Booking, zone: &TimeZone) -> BookingView {
    BookingView {
        id: b.id.to_string(),
        centre_id: b.centre_id.to_string(),
        case_id: b.case_id.map(|c| c.to_string()),
        case_reference: b.case_reference.clone(),
        kind: b.kind.clone(),
        room_id: b.room_id.clone(),
        room_name: b.room_name.clone(),
        starts_at: b.span.start.to_string(),
        ends_at: b.span.end.to_string(),
        local_start: schedule::local(zone, b.span.start),
        status: b.status.as_str().into(),
        series_id: b.series_id.clone(),
        rescheduled_from: b.rescheduled_from.clone(),
        cancelled_by: b.cancelled_by.clone(),
        notice_minutes: b.notice_minutes,
        reason: b.status_reason.clone(),
        version: b.version,
    }
}

/// A free time.
#[derive(Serialize, ToSchema)]
pub struct FreeTime {
    pub starts_at: String,
    pub ends_at: String,
    pub local_start: String,
    pub room_id: Option<String>,
    pub staff: Vec<String>,
}

fn free_time(a: &Alternative, zone: &TimeZone) -> FreeTime {
    FreeTime {
        starts_at: a.span.start.to_string(),
        ends_at: a.span.end.to_string(),
        local_start: schedule::local(zone, a.span.start),
        room_id: a.room_id.clone(),
        staff: a.staff.iter().map(|s| s.to_string()).collect(),
    }
}

/// Why a booking was refused: the sessions that clash and with what, and the nearest free times.
#[derive(Serialize, ToSchema)]
pub struct Refused {
    pub error: super::ErrorDetail,
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
#[utoipa::path(post, path = "/api/v1/cases/{id}/bookings", tag = "schedule", params(("id" = String, Path)),
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
                error: super::ErrorDetail {
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

/// The case's sessions.
#[utoipa::path(get, path = "/api/v1/cases/{id}/bookings", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(get, path = "/api/v1/cases/{id}/availability", tag = "schedule", params(("id" = String, Path), AvailabilityQuery),
    responses((status = 200, body = [FreeTime]), (status = 422, body = ErrorBody)))]
pub async fn availability(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    super::ApiQuery(q): super::ApiQuery<AvailabilityQuery>,
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
#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(post, path = "/api/v1/bookings/{id}/status", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(post, path = "/api/v1/bookings/{id}/move", tag = "schedule", params(("id" = String, Path)),
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
#[utoipa::path(get, path = "/api/v1/centres/{id}/calendar", tag = "schedule", params(("id" = String, Path), CalendarQuery),
    responses((status = 200, body = [BookingView]), (status = 404, body = ErrorBody)))]
pub async fn centre_calendar(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    super::ApiQuery(q): super::ApiQuery<CalendarQuery>,
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

/// A calendar feed for a staff member (user_id) or an adult of a case (case_id and party_id).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedBody {
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub user_id: Option<String>,
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub case_id: Option<String>,
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub party_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedCreated {
    /// The feed's address, shown once: keep it private; revoke it if it leaks.
    pub url: String,
}

/// Makes an iCalendar feed address (unguessable, revocable).
#[utoipa::path(post, path = "/api/v1/calendar-feeds", tag = "schedule", request_body = FeedBody,
    responses((status = 201, body = FeedCreated), (status = 422, body = ErrorBody)))]
pub async fn create_feed(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<FeedBody>,
) -> ApiResult<(StatusCode, Json<FeedCreated>)> {
    let party = match (&b.case_id, &b.party_id) {
        (Some(c), Some(p)) => Some((c.as_str(), p.as_str())),
        _ => None,
    };
    let token = schedule::create_feed(&state, &caller, b.user_id.as_deref(), party).await?;
    Ok((
        StatusCode::CREATED,
        Json(FeedCreated {
            url: format!("/calendar/{token}.ics"),
        }),
    ))
}

/// Revokes a calendar feed.
#[utoipa::path(delete, path = "/api/v1/calendar-feeds/{id}", tag = "schedule", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_feed(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    schedule::revoke_feed(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The iCalendar feed behind an unguessable address (no sign-in; the address is the key).
pub async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match schedule::feed(&state, &token).await {
        Ok(text) => ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], text).into_response(),
        Err(e) => crate::middleware::respond(false, e),
    }
}
