//! Scheduling pages: the centre's calendar (day and week, per room and per staff member), the
//! "today" page for the person on duty, the printable day sheet, the centre's scheduling settings,
//! the staff roster, booking sessions for a case, and a booking's own page.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use super::people::Chosen;
use super::{FormData, PageResult, Shell, form_status, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use familytime_app::schedule::{
    self as app, Alternative, BookingInput, BookingOutcome, BookingRefused, CalendarView, OpeningInput, SettingsInput,
    StaffInput, StatusInput,
};
use familytime_domain::Timestamp;
use familytime_domain::authz::{self, Action, Decision, Object};
use familytime_domain::intake::PartyRole;
use familytime_domain::people::Role;
use familytime_domain::schedule::{BookingKind, StaggerDirection, WeekRepeat};
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::{BookedParty, BookedStaff, Booking, BookingStatus, StaffProfile, ts_of};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;

// ---- helpers -----------------------------------------------------------------------------------

/// Whether to offer the scheduling forms (each action is authorised again when used).
fn may_manage(caller: &Caller) -> bool {
    caller.user.as_ref().is_some_and(|u| {
        authz::authorize(
            Some(&u.actor()),
            Action::ManageSchedule,
            &Object::Organisation(u.organisation_id),
        ) == Decision::Allow
    })
}

/// "Mon 23 Nov 2026 10:00" in the centre's zone.
fn when(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%a %-d %b %Y %H:%M").to_string()
}

/// "10:00" in the centre's zone.
fn clock(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%H:%M").to_string()
}

/// "Monday 23 November 2026".
fn long_day(date: Date) -> String {
    date.strftime("%A %-d %B %Y").to_string()
}

/// "23 Nov 2026".
fn short_day(date: Date) -> String {
    date.strftime("%-d %b %Y").to_string()
}

fn zone_of(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

fn query_form(query: Option<&str>) -> FormData {
    FormData(
        query
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default(),
    )
}

/// Moves field errors onto the ids a form on a busy page uses (two forms may share a field name).
fn renamed(errors: FieldErrors, names: &[(&str, &'static str)]) -> FieldErrors {
    FieldErrors(
        errors
            .0
            .into_iter()
            .map(|mut e| {
                if let Some((_, to)) = names.iter().find(|(from, _)| *from == e.field) {
                    e.field = to;
                }
                e
            })
            .collect(),
    )
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

fn kind_label(kind: &str) -> String {
    BookingKind::parse(kind).map_or_else(|| kind.replace('_', " "), |k| k.label().to_owned())
}

fn role_label(role: &str) -> String {
    Role::parse(role).map_or_else(|_| role.replace('_', " "), |r| r.label().to_owned())
}

fn attendance_label(attendance: &str) -> &'static str {
    match attendance {
        "brings_child" => "Brings the child",
        "has_contact" => "Has contact",
        "alone" => "Comes on their own",
        _ => "",
    }
}

/// "at the request of the visiting parent": who asked for a move, as the old booking records it.
pub(crate) fn move_asked_by(code: Option<&str>) -> String {
    let label = code
        .and_then(familytime_domain::schedule::MoveAsker::parse)
        .map_or("someone not recorded", |a| a.label());
    let mut words = label.to_owned();
    if let Some(first) = words.get(..1) {
        words.replace_range(..1, &first.to_lowercase());
    }
    format!("at the request of {words}")
}

fn cancelled_by_label(who: &str) -> &'static str {
    match who {
        "centre" => "The centre",
        "resident" => "The resident parent",
        "visiting" => "The visiting parent",
        _ => "Someone else",
    }
}

fn venue_kind_label(kind: &str) -> &'static str {
    match kind {
        "community" => "Community venue",
        "hospital" => "Hospital",
        "home" => "Home",
        _ => "Approved venue",
    }
}

/// An option of a select, a radio or a checkbox.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn opt(value: impl Into<String>, label: impl Into<String>, chosen: &str) -> Opt {
    let value = value.into();
    Opt {
        selected: value == chosen,
        label: label.into(),
        value,
    }
}

/// A one-time address for a form response: the host the person reached us at.
fn site_address(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.behind_tls_proxy { "https" } else { "http" };
    format!("{scheme}://{host}")
}

// ---- sessions as pages show them -----------------------------------------------------------

/// One person's plan for a session: when they arrive and leave, and where.
pub struct PartyRow {
    pub name: String,
    pub role: String,
    pub attendance: &'static str,
    pub arrives: String,
    pub leaves: String,
    pub entrance: String,
    pub waits_in: String,
}

/// A session as a line of a calendar or a plan.
pub struct SessionRow {
    pub id: String,
    pub when: String,
    pub time: String,
    pub kind: String,
    pub case_id: String,
    pub reference: String,
    pub centre: String,
    pub room: String,
    pub staff: String,
    pub status: &'static str,
    pub live: bool,
    pub parties: Vec<PartyRow>,
    /// Why the arrival plan needs separate entrances or waiting rooms it lacks (empty: no warning).
    pub warning: String,
}

fn party_rows(zone: &TimeZone, booking: &str, parties: &[BookedParty]) -> Vec<PartyRow> {
    parties
        .iter()
        .filter(|p| p.booking_id == booking)
        .map(|p| PartyRow {
            name: p.name.clone(),
            role: PartyRole::parse(&p.role).map_or_else(|| p.role.clone(), |r| r.label().to_owned()),
            attendance: attendance_label(&p.attendance),
            arrives: clock(zone, ts_of(p.arrives_at)),
            leaves: clock(zone, ts_of(p.leaves_at)),
            entrance: p.entrance.clone().unwrap_or_else(|| "Main entrance".into()),
            waits_in: p.waits_in.clone().unwrap_or_else(|| "—".into()),
        })
        .collect()
}

fn session_row(zone: &TimeZone, b: &Booking, parties: &[BookedParty], staff: &[BookedStaff]) -> SessionRow {
    let id = b.id.to_string();
    let names: Vec<&str> = staff
        .iter()
        .filter(|s| s.booking_id == id)
        .map(|s| s.name.as_str())
        .collect();
    SessionRow {
        when: format!("{} to {}", when(zone, b.span.start), clock(zone, b.span.end)),
        time: format!("{}–{}", clock(zone, b.span.start), clock(zone, b.span.end)),
        kind: kind_label(&b.kind),
        case_id: b.case_id.map(|c| c.to_string()).unwrap_or_default(),
        reference: b.case_reference.clone().unwrap_or_default(),
        centre: b.centre_name.clone(),
        room: b.room_name.clone().unwrap_or_else(|| "No room".into()),
        staff: if names.is_empty() {
            "Nobody yet".into()
        } else {
            names.join(", ")
        },
        status: b.status.label(),
        live: b.status.is_live(),
        parties: party_rows(zone, &id, parties),
        warning: String::new(),
        id,
    }
}

/// Puts each arrival plan's warning on its session.
fn with_warnings(mut sessions: Vec<SessionRow>, warnings: Vec<(String, String)>) -> Vec<SessionRow> {
    for (booking, warning) in warnings {
        if let Some(s) = sessions.iter_mut().find(|s| s.id == booking) {
            s.warning = warning;
        }
    }
    sessions
}

/// The sessions of one day.
pub struct DayRows {
    pub heading: String,
    pub date: String,
    pub sessions: Vec<SessionRow>,
}

fn days_of(view: &CalendarView) -> Vec<DayRows> {
    let mut out = Vec::new();
    for offset in 0..view.days {
        let Ok(date) = view.first_day.checked_add(offset.days()) else {
            break;
        };
        let sessions = view
            .bookings
            .iter()
            .filter(|b| b.span.start.to_zoned(view.zone.clone()).date() == date)
            .map(|b| session_row(&view.zone, b, &view.parties, &view.staff))
            .collect();
        out.push(DayRows {
            heading: long_day(date),
            date: date.to_string(),
            sessions,
        });
    }
    out
}

// ---- the centre's calendar ---------------------------------------------------------------------

#[derive(askama::Template)]
#[template(path = "schedule_calendar.html")]
struct CalendarPage {
    shell: Shell,
    errors: FieldErrors,
    centre_id: String,
    centre_name: String,
    heading: String,
    week: bool,
    date: String,
    days: Vec<DayRows>,
    rooms: Vec<Opt>,
    staff: Vec<Opt>,
    views: Vec<Opt>,
    previous: Option<String>,
    next: Option<String>,
    day_link: String,
    week_link: String,
}

fn calendar_link(centre: &str, date: Date, view: &str, room: &str, staff: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("date", &date.to_string());
    q.append_pair("view", view);
    if !room.is_empty() {
        q.append_pair("room", room);
    }
    if !staff.is_empty() {
        q.append_pair("staff", staff);
    }
    format!("/centres/{centre}/calendar?{}", q.finish())
}

/// GET /centres/{id}/calendar?date=&view=day|week&room=&staff=
pub async fn calendar(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let q = query_form(query.as_deref());
    let centre = app::centre_schedule(&state, &caller, &id).await?;
    let zone = zone_of(&centre.centre.time_zone);
    let today = state.clock.now().to_zoned(zone.clone()).date();
    let mut errors = FieldErrors::new();
    let date = match q.get("date").as_str() {
        "" => today,
        text => match familytime_domain::dates::parse_date(text) {
            Ok(d) => d,
            Err(_) => {
                errors.add("date", "Enter a date like 2026-12-01");
                today
            }
        },
    };
    let week = q.get("view") == "week";
    let first = if week {
        date.checked_sub(i64::from(date.weekday().to_monday_zero_offset()).days())
            .unwrap_or(date)
    } else {
        date
    };
    let room_wanted = q.get("room");
    let room = if room_wanted.is_empty() || centre.rooms.iter().any(|(r, _)| r.id.to_string() == room_wanted) {
        room_wanted
    } else {
        errors.add("room", "Choose a room from the list");
        String::new()
    };
    let profiles = app::staff(&state, &caller).await?;
    let staff_wanted = q.get("staff");
    let staff = if staff_wanted.is_empty() || profiles.iter().any(|p| p.user_id.to_string() == staff_wanted) {
        staff_wanted
    } else {
        errors.add("staff", "Choose a member of staff from the list");
        String::new()
    };
    let days = if week { 7 } else { 1 };
    let first_text = first.to_string();
    let view = match app::calendar(
        &state,
        &caller,
        &id,
        Some(first_text.as_str()),
        days,
        Some(room.as_str()),
        Some(staff.as_str()),
    )
    .await
    {
        Err(AppError::BadRequest(message)) => {
            errors.add("date", message);
            app::calendar(
                &state,
                &caller,
                &id,
                None,
                days,
                Some(room.as_str()),
                Some(staff.as_str()),
            )
            .await?
        }
        other => other?,
    };
    let view_name = if week { "week" } else { "day" };
    let step = if week { 7 } else { 1 };
    let centre_id = centre.centre.id.to_string();
    let previous = first
        .checked_sub(step.days())
        .ok()
        .map(|d| calendar_link(&centre_id, d, view_name, &room, &staff));
    let next = first
        .checked_add(step.days())
        .ok()
        .map(|d| calendar_link(&centre_id, d, view_name, &room, &staff));
    let heading = if week {
        let last = view.first_day.checked_add(6.days()).unwrap_or(view.first_day);
        format!("Week of {} to {}", short_day(view.first_day), short_day(last))
    } else {
        long_day(view.first_day)
    };
    let status = form_status(&errors);
    let page = CalendarPage {
        shell: Shell::for_caller(&state, &caller, "/today").await?,
        errors,
        day_link: calendar_link(&centre_id, view.first_day, "day", &room, &staff),
        week_link: calendar_link(&centre_id, view.first_day, "week", &room, &staff),
        centre_name: centre.centre.name.clone(),
        heading,
        week,
        date: view.first_day.to_string(),
        days: days_of(&view),
        rooms: centre
            .rooms
            .iter()
            .map(|(r, _)| opt(r.id.to_string(), r.name.clone(), &room))
            .collect(),
        staff: profiles
            .iter()
            .map(|p| opt(p.user_id.to_string(), p.name.clone(), &staff))
            .collect(),
        views: vec![
            opt("day", "One day", view_name),
            opt("week", "The week (Monday to Sunday)", view_name),
        ],
        previous,
        next,
        centre_id,
    };
    Ok(render_with(status, &page))
}

// ---- today and the day sheet ---------------------------------------------------------------------

/// One centre's sessions on one day, with everyone's arrival plan.
pub struct CentrePlan {
    pub centre_id: String,
    pub centre_name: String,
    pub day: String,
    pub date: String,
    pub sessions: Vec<SessionRow>,
}

async fn plan_for(state: &AppState, caller: &Caller, centre: &str, date: Option<&str>) -> Result<CentrePlan, AppError> {
    let view = app::calendar(state, caller, centre, date, 1, None, None).await?;
    let sessions = view
        .bookings
        .iter()
        .map(|b| session_row(&view.zone, b, &view.parties, &view.staff))
        .collect();
    let sessions = with_warnings(
        sessions,
        app::arrival_warnings(state, caller, &view.bookings, &view.parties).await?,
    );
    Ok(CentrePlan {
        centre_id: view.centre.id.to_string(),
        centre_name: view.centre.name.clone(),
        day: long_day(view.first_day),
        date: view.first_day.to_string(),
        sessions,
    })
}

#[derive(askama::Template)]
#[template(path = "schedule_today.html")]
struct TodayPage {
    shell: Shell,
    plans: Vec<CentrePlan>,
}

/// GET /today: today's sessions at the centres the person works at, with the arrival plans.
pub async fn today(State(state): State<AppState>, caller: Caller) -> PageResult {
    let centres = familytime_app::tenancy::list_centres(&state, &caller).await?;
    let mut plans = Vec::new();
    for centre in centres {
        plans.push(plan_for(&state, &caller, &centre.id.to_string(), None).await?);
    }
    Ok(render(&TodayPage {
        shell: Shell::for_caller(&state, &caller, "/today").await?,
        plans,
    }))
}

#[derive(askama::Template)]
#[template(path = "schedule_day_sheet.html")]
struct DaySheetPage {
    shell: Shell,
    errors: FieldErrors,
    plan: CentrePlan,
}

/// GET /centres/{id}/day-sheet?date=: the printable plan for one centre and day.
pub async fn day_sheet(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let q = query_form(query.as_deref());
    let date = q.get("date");
    let mut errors = FieldErrors::new();
    let plan = match plan_for(&state, &caller, &id, Some(date.as_str())).await {
        Err(AppError::BadRequest(message)) => {
            errors.add("date", message);
            plan_for(&state, &caller, &id, None).await?
        }
        other => other?,
    };
    let status = form_status(&errors);
    Ok(render_with(
        status,
        &DaySheetPage {
            shell: Shell::for_caller(&state, &caller, "/today").await?,
            errors,
            plan,
        },
    ))
}

// ---- the centre's scheduling settings ----------------------------------------------------------

/// A number field of the settings form.
pub struct NumberField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
}

pub struct OpeningRow {
    pub id: String,
    pub day: &'static str,
    pub hours: String,
    pub weeks: String,
}

pub struct ClosureRow {
    pub id: String,
    pub days: String,
    pub reason: String,
}

pub struct VenueRow {
    pub id: String,
    pub name: String,
    pub approval: String,
}

#[derive(askama::Template)]
#[template(path = "schedule_settings.html")]
struct SettingsPage {
    shell: Shell,
    errors: FieldErrors,
    centre_id: String,
    centre_name: String,
    can_manage: bool,
    version: i64,
    directions: Vec<Opt>,
    direction_label: &'static str,
    numbers: Vec<NumberField>,
    openings: Vec<OpeningRow>,
    closures: Vec<ClosureRow>,
    entrances: Vec<String>,
    venues: Vec<VenueRow>,
    venue_options: Vec<Opt>,
    venue_kinds: Vec<Opt>,
    weekdays: Vec<Opt>,
    f: FormData,
}

/// Which of the settings page's forms was sent (its typed values are shown again).
#[derive(PartialEq, Eq)]
enum SettingsForm {
    None,
    Settings,
    Other,
    /// A stale settings form: show the stored settings as they now are.
    Stale,
}

async fn settings_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    sent: SettingsForm,
    form: FormData,
) -> PageResult {
    let cs = app::centre_schedule(state, caller, id).await?;
    let input = if sent == SettingsForm::Settings {
        settings_input(&form)
    } else {
        SettingsInput::from_settings(&cs.settings, cs.version)
    };
    let version = if sent == SettingsForm::Settings {
        form.version()
    } else {
        cs.version
    };
    let direction = StaggerDirection::parse(input.direction.trim());
    let directions = [StaggerDirection::VisitingFirst, StaggerDirection::ResidentFirst]
        .into_iter()
        .map(|d| opt(d.as_str(), d.label(), input.direction.trim()))
        .collect();
    let numbers = vec![
        NumberField {
            name: "arrival_lead_minutes",
            label: "How many minutes before the start the first parent arrives",
            value: input.arrival_lead_minutes.clone(),
        },
        NumberField {
            name: "handover_minutes",
            label: "Minutes each parent takes to arrive or leave (entrance, reception, handing over the child)",
            value: input.handover_minutes.clone(),
        },
        NumberField {
            name: "departure_delay_minutes",
            label: "How many minutes after the end the last parent leaves",
            value: input.departure_delay_minutes.clone(),
        },
        NumberField {
            name: "room_buffer_minutes",
            label: "Minutes a room is kept free after each session",
            value: input.room_buffer_minutes.clone(),
        },
        NumberField {
            name: "supervisors_required",
            label: "Qualified supervisors at each supervised session",
            value: input.supervisors_required.clone(),
        },
        NumberField {
            name: "families_per_worker",
            label: "Families per staff member or volunteer at a supported session",
            value: input.families_per_worker.clone(),
        },
        NumberField {
            name: "community_staff_required",
            label: "Staff at community, hospital and home visits",
            value: input.community_staff_required.clone(),
        },
        NumberField {
            name: "travel_minutes",
            label: "Minutes staff travel each way to an off-site venue",
            value: input.travel_minutes.clone(),
        },
        NumberField {
            name: "longest_session_minutes",
            label: "The longest a session may be, in minutes",
            value: input.longest_session_minutes.clone(),
        },
    ];
    let openings = cs
        .openings
        .iter()
        .map(|o| OpeningRow {
            id: o.id.clone(),
            day: weekday_name(o.rule.weekday),
            hours: format!("{}–{}", o.rule.opens.strftime("%H:%M"), o.rule.closes.strftime("%H:%M")),
            weeks: match o.rule.repeat {
                WeekRepeat::Every => "Every week".into(),
                WeekRepeat::Alternate { from } => format!("Every other week, starting the week of {}", short_day(from)),
            },
        })
        .collect();
    let closures = cs
        .closures
        .iter()
        .map(|c| ClosureRow {
            id: c.id.clone(),
            days: if c.closure.first_day == c.closure.last_day {
                long_day(c.closure.first_day)
            } else {
                format!(
                    "{} to {}",
                    short_day(c.closure.first_day),
                    short_day(c.closure.last_day)
                )
            },
            reason: c.closure.reason.clone(),
        })
        .collect();
    let venues: Vec<VenueRow> = cs
        .rooms
        .iter()
        .filter(|(r, _)| r.kind == RoomKind::OffSiteVenue)
        .map(|(r, approval)| VenueRow {
            id: r.id.to_string(),
            name: r.name.clone(),
            approval: approval.as_deref().map_or_else(
                || "Not approved yet".to_owned(),
                |k| format!("Approved: {}", venue_kind_label(k)),
            ),
        })
        .collect();
    let chosen_room = form.get("room");
    let chosen_kind = form.get("venue_kind");
    let chosen_day = form.get("weekday");
    let page = SettingsPage {
        shell: Shell::for_caller(state, caller, "/centres").await?,
        errors,
        centre_id: cs.centre.id.to_string(),
        centre_name: cs.centre.name.clone(),
        can_manage: may_manage(caller),
        version,
        directions,
        direction_label: direction.map_or("Not set", |d| d.label()),
        numbers,
        openings,
        closures,
        entrances: cs.entrances.iter().map(|(_, name)| name.clone()).collect(),
        venue_options: venues
            .iter()
            .map(|v| opt(v.id.clone(), v.name.clone(), &chosen_room))
            .collect(),
        venues,
        venue_kinds: ["community", "hospital", "home"]
            .into_iter()
            .map(|k| opt(k, venue_kind_label(k), &chosen_kind))
            .collect(),
        weekdays: (1..=7)
            .filter_map(|n: i64| {
                familytime_store::schedule::weekday_from(n).map(|d| opt(n.to_string(), weekday_name(d), &chosen_day))
            })
            .collect(),
        f: if sent == SettingsForm::Other {
            form
        } else {
            FormData::empty()
        },
    };
    Ok(render_with(status, &page))
}

fn settings_input(form: &FormData) -> SettingsInput {
    SettingsInput {
        direction: form.get("direction"),
        arrival_lead_minutes: form.get("arrival_lead_minutes"),
        handover_minutes: form.get("handover_minutes"),
        departure_delay_minutes: form.get("departure_delay_minutes"),
        room_buffer_minutes: form.get("room_buffer_minutes"),
        supervisors_required: form.get("supervisors_required"),
        families_per_worker: form.get("families_per_worker"),
        community_staff_required: form.get("community_staff_required"),
        travel_minutes: form.get("travel_minutes"),
        longest_session_minutes: form.get("longest_session_minutes"),
        version: form.version(),
    }
}

/// GET /centres/{id}/schedule
pub async fn settings(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    settings_page(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        StatusCode::OK,
        SettingsForm::None,
        FormData::empty(),
    )
    .await
}

fn back_to_settings(id: &str) -> Response {
    Redirect::to(&format!("/centres/{id}/schedule")).into_response()
}

/// Shows the settings page again after one of its forms failed.
async fn settings_failed(
    state: &AppState,
    caller: &Caller,
    id: &str,
    err: AppError,
    field: &'static str,
    form: FormData,
) -> PageResult {
    match err {
        AppError::Invalid(errors) => {
            let status = form_status(&errors);
            settings_page(state, caller, id, errors, status, SettingsForm::Other, form).await
        }
        AppError::Conflict(message) => {
            settings_page(
                state,
                caller,
                id,
                FieldErrors::single(field, message),
                StatusCode::CONFLICT,
                SettingsForm::Other,
                form,
            )
            .await
        }
        other => Err(other.into()),
    }
}

/// POST /centres/{id}/schedule/settings
pub async fn save_settings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = settings_input(&form);
    match app::save_settings(&state, &caller, &id, &input).await {
        Ok(()) => Ok(back_to_settings(&id)),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            settings_page(&state, &caller, &id, errors, status, SettingsForm::Settings, form).await
        }
        Err(err @ AppError::Stale) => {
            settings_page(
                &state,
                &caller,
                &id,
                FieldErrors::single(
                    "direction",
                    format!("{} The settings below are as they are now.", err.message()),
                ),
                StatusCode::CONFLICT,
                SettingsForm::Stale,
                FormData::empty(),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /centres/{id}/opening-hours
pub async fn add_opening(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = OpeningInput {
        weekday: form.get("weekday"),
        opens: form.get("opens"),
        closes: form.get("closes"),
        alternate_from: form.get("alternate_from"),
    };
    match app::add_opening(&state, &caller, &id, &input).await {
        Ok(_) => Ok(back_to_settings(&id)),
        Err(err) => settings_failed(&state, &caller, &id, err, "weekday", form).await,
    }
}

/// POST /centres/{id}/opening-hours/{opening}/remove
pub async fn remove_opening(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, opening)): Path<(String, String)>,
) -> PageResult {
    app::remove_opening(&state, &caller, &id, &opening).await?;
    Ok(back_to_settings(&id))
}

/// POST /centres/{id}/closures
pub async fn add_closure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::add_closure(
        &state,
        &caller,
        &id,
        &form.get("first_day"),
        &form.get("last_day"),
        &form.get("reason"),
    )
    .await
    {
        Ok(_) => Ok(back_to_settings(&id)),
        Err(err) => settings_failed(&state, &caller, &id, err, "first_day", form).await,
    }
}

/// POST /centres/{id}/closures/{closure}/remove
pub async fn remove_closure(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, closure)): Path<(String, String)>,
) -> PageResult {
    app::remove_closure(&state, &caller, &id, &closure).await?;
    Ok(back_to_settings(&id))
}

/// POST /centres/{id}/entrances
pub async fn add_entrance(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::add_entrance(&state, &caller, &id, &form.get("name")).await {
        Ok(_) => Ok(back_to_settings(&id)),
        Err(err) => settings_failed(&state, &caller, &id, err, "name", form).await,
    }
}

/// POST /rooms/{id}/approval: the form names the venue in `room`, the address in the path.
pub async fn approve_venue(
    State(state): State<AppState>,
    caller: Caller,
    Path(room): Path<String>,
    form: FormData,
) -> PageResult {
    // The settings page's form sends the venue chosen in its list; the path says which when posted directly.
    let chosen = form.get("room");
    let room = if chosen.trim().is_empty() { room } else { chosen };
    match app::approve_venue(&state, &caller, &room, &form.get("venue_kind"), &form.get("notes")).await {
        Ok(()) => {
            let centre = centre_of_room(&state, &caller, &room).await?;
            Ok(back_to_settings(&centre))
        }
        Err(AppError::Invalid(errors)) => {
            let centre = centre_of_room(&state, &caller, &room).await?;
            let status = form_status(&errors);
            settings_page(&state, &caller, &centre, errors, status, SettingsForm::Other, form).await
        }
        Err(other) => Err(other.into()),
    }
}

/// The centre a room belongs to (the room was already found and authorised by the use case).
async fn centre_of_room(state: &AppState, caller: &Caller, room: &str) -> Result<String, AppError> {
    let id = familytime_domain::ids::RoomId::parse(room).map_err(|_| AppError::NotFound)?;
    let org = caller.user()?.organisation_id;
    match state.store.room(org, id).await {
        Ok(r) => Ok(r.centre_id.to_string()),
        Err(familytime_store::StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

// ---- staff --------------------------------------------------------------------------------------

pub struct StaffRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub qualified: bool,
    pub qualifications: String,
    pub dbs: String,
    pub hours: Vec<String>,
    pub leave: Vec<String>,
}

fn staff_row(p: &StaffProfile) -> StaffRow {
    StaffRow {
        id: p.user_id.to_string(),
        name: p.name.clone(),
        role: role_label(&p.role),
        qualified: p.qualified_supervised,
        qualifications: p.qualifications.clone(),
        dbs: p.dbs_checked_on.map_or_else(|| "Not recorded".into(), short_day),
        hours: p
            .availability
            .iter()
            .map(|(day, from, to)| {
                let day = familytime_store::schedule::weekday_from(i64::from(*day)).map_or("?", weekday_name);
                format!("{day} {}–{}", from.strftime("%H:%M"), to.strftime("%H:%M"))
            })
            .collect(),
        leave: p
            .leave
            .iter()
            .map(|(first, last)| {
                if first == last {
                    short_day(*first)
                } else {
                    format!("{} to {}", short_day(*first), short_day(*last))
                }
            })
            .collect(),
    }
}

#[derive(askama::Template)]
#[template(path = "schedule_staff.html")]
struct StaffPage {
    shell: Shell,
    staff: Vec<StaffRow>,
    can_manage: bool,
}

/// GET /staff: the roster.
pub async fn roster(State(state): State<AppState>, caller: Caller) -> PageResult {
    let staff = app::staff(&state, &caller).await?;
    Ok(render(&StaffPage {
        shell: Shell::for_caller(&state, &caller, "/today").await?,
        staff: staff.iter().map(staff_row).collect(),
        can_manage: may_manage(&caller),
    }))
}

#[derive(askama::Template)]
#[template(path = "schedule_staff_member.html")]
struct StaffMemberPage {
    shell: Shell,
    errors: FieldErrors,
    person: StaffRow,
    can_manage: bool,
    qualified: bool,
    qualifications: String,
    dbs_checked_on: String,
    hours: String,
    /// The profile's version the form was opened at.
    version: i64,
    first_day: String,
    last_day: String,
}

async fn staff_member_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    typed: Option<&FormData>,
    leave: Option<&FormData>,
    status: Option<StatusCode>,
) -> PageResult {
    let staff = app::staff(state, caller).await?;
    let profile = staff
        .iter()
        .find(|p| p.user_id.to_string() == id.trim())
        .ok_or(AppError::NotFound)?;
    let status = status.unwrap_or_else(|| form_status(&errors));
    let stored_hours: Vec<String> = profile
        .availability
        .iter()
        .map(|(d, from, to)| format!("{d} {}-{}", from.strftime("%H:%M"), to.strftime("%H:%M")))
        .collect();
    let page = StaffMemberPage {
        shell: Shell::for_caller(state, caller, "/today").await?,
        errors,
        person: staff_row(profile),
        can_manage: may_manage(caller),
        qualified: typed.map_or(profile.qualified_supervised, |f| f.checked("qualified_supervised")),
        qualifications: typed.map_or_else(|| profile.qualifications.clone(), |f| f.get("qualifications")),
        dbs_checked_on: typed.map_or_else(
            || profile.dbs_checked_on.map(|d| d.to_string()).unwrap_or_default(),
            |f| f.get("dbs_checked_on"),
        ),
        hours: typed.map_or_else(|| stored_hours.join("\n"), |f| f.get("hours")),
        version: typed.map_or(profile.version, FormData::version),
        first_day: leave.map(|f| f.get("first_day")).unwrap_or_default(),
        last_day: leave.map(|f| f.get("last_day")).unwrap_or_default(),
    };
    Ok(render_with(status, &page))
}

/// GET /staff/{id}
pub async fn staff_member(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    staff_member_page(&state, &caller, &id, FieldErrors::new(), None, None, None).await
}

/// POST /staff/{id}
pub async fn save_staff(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = StaffInput {
        qualified_supervised: form.checked("qualified_supervised"),
        qualifications: form.get("qualifications"),
        dbs_checked_on: form.get("dbs_checked_on"),
        hours: form.get("hours"),
        version: form.version(),
    };
    match app::save_staff(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to("/staff").into_response()),
        Err(AppError::Invalid(errors)) => {
            staff_member_page(&state, &caller, &id, errors, Some(&form), None, None).await
        }
        // Someone saved the profile since this form was opened: nothing is overwritten; the page
        // shows the profile as it is now (with its new version) so the change can be made again.
        Err(err @ AppError::Stale) => {
            let errors = FieldErrors::single(
                "qualifications",
                format!("{} The details below are as they are now.", err.message()),
            );
            staff_member_page(&state, &caller, &id, errors, None, None, Some(StatusCode::CONFLICT)).await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /staff/{id}/leave
pub async fn add_leave(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::add_leave(&state, &caller, &id, &form.get("first_day"), &form.get("last_day")).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            staff_member_page(&state, &caller, &id, errors, None, Some(&form), None).await
        }
        Err(other) => Err(other.into()),
    }
}

// ---- a case's sessions ------------------------------------------------------------------------

/// A free time, offered with a link that fills in the booking form.
pub struct AltRow {
    pub when: String,
    pub room: String,
    pub staff: String,
    pub link: String,
}

/// The nearest free times for a date that could not be booked.
pub struct AltGroup {
    pub wanted: String,
    pub offers: Vec<AltRow>,
}

/// Why a booking was refused: each failing date with the reason, and the nearest free times.
pub struct RefusedView {
    pub failures: Vec<(String, String)>,
    pub alternatives: Vec<AltGroup>,
}

/// Options under a heading (an `optgroup`).
pub struct OptGroup {
    pub label: String,
    pub options: Vec<Opt>,
}

pub struct PairRow {
    pub first: String,
    pub second: String,
    pub reason: String,
}

/// Which of the case sessions page's forms was sent.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Posted {
    Nothing,
    Booking,
    Workers,
    NeverMeet,
    Availability,
}

/// What a case's sessions page shows besides the stored facts.
struct SessionsExtras {
    errors: FieldErrors,
    status: StatusCode,
    posted: Posted,
    form: FormData,
    refused: Option<BookingRefused>,
}

#[derive(askama::Template)]
#[template(path = "schedule_case.html")]
struct CaseSessionsPage {
    shell: Shell,
    errors: FieldErrors,
    notice: Option<String>,
    case_id: String,
    reference: String,
    children: String,
    can_manage: bool,
    sessions: Vec<SessionRow>,
    kinds: Vec<Opt>,
    date: String,
    time: String,
    minutes: String,
    repeats: Vec<Opt>,
    count: String,
    until: String,
    rooms: Vec<Opt>,
    /// Whether "no room" (virtual contact only) was chosen: never the form's default.
    room_none: bool,
    /// Whether any session listed is provisional (then what that means is explained).
    any_provisional: bool,
    staff: Vec<Opt>,
    parties: Vec<Opt>,
    refused: Option<RefusedView>,
    find_kinds: Vec<Opt>,
    find_minutes: String,
    find_from: String,
    find_days: String,
    find_parties: Vec<Opt>,
    find_repeats: Vec<Opt>,
    find_count: String,
    searched: bool,
    found: Vec<AltRow>,
    workers: Vec<Opt>,
    /// The usual workers list's version the form is opened at.
    workers_version: i64,
    pairs: Vec<PairRow>,
    nm_parties: Vec<Opt>,
    /// The people the other adult is chosen from, by case.
    nm_others: Vec<OptGroup>,
    nm_reason: String,
    /// When each adult can come, as saved.
    hours: Vec<(String, String)>,
    avail_parties: Vec<Opt>,
    avail_days: Vec<Opt>,
    avail_from: String,
    avail_to: String,
    feed_parties: Vec<Opt>,
}

/// Names for offered times: the rooms and staff of the centre.
struct Names<'a> {
    rooms: &'a [(familytime_store::tenancy::Room, Option<String>)],
    staff: &'a [StaffProfile],
}

impl Names<'_> {
    fn room(&self, id: Option<&str>) -> String {
        id.and_then(|id| self.rooms.iter().find(|(r, _)| r.id.to_string() == id))
            .map_or_else(|| "No room needed".into(), |(r, _)| r.name.clone())
    }
    fn staff(&self, ids: &[familytime_domain::ids::UserId]) -> String {
        let names: Vec<String> = ids
            .iter()
            .map(|id| {
                self.staff
                    .iter()
                    .find(|p| p.user_id == *id)
                    .map_or_else(|| "a member of staff".into(), |p| p.name.clone())
            })
            .collect();
        if names.is_empty() {
            "Nobody needed".into()
        } else {
            names.join(", ")
        }
    }
}

/// A free time as a row, with a link that fills in the booking form for it.
fn alt_row(case: &str, kind: &str, party: &str, zone: &TimeZone, names: &Names, alt: &Alternative) -> AltRow {
    series_row(case, kind, party, zone, names, alt, None)
}

/// A free time; for a series (how often and how many sessions) it reads as the weekly time it
/// repeats at, and its link fills in the whole series.
fn series_row(
    case: &str,
    kind: &str,
    party: &str,
    zone: &TimeZone,
    names: &Names,
    alt: &Alternative,
    series: Option<(&str, &str, u32)>,
) -> AltRow {
    let local = alt.span.start.to_zoned(zone.clone());
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("kind", kind)
        .append_pair("date", &local.date().to_string())
        .append_pair("time", &local.strftime("%H:%M").to_string())
        .append_pair("minutes", &alt.span.minutes().to_string());
    match series {
        Some((repeat, _, count)) => {
            q.append_pair("repeat", repeat).append_pair("count", &count.to_string());
        }
        None => {
            q.append_pair("repeat", "once");
        }
    }
    if let Some(room) = &alt.room_id {
        q.append_pair("room_id", room);
    }
    for s in &alt.staff {
        q.append_pair("staff", &s.to_string());
    }
    if !party.is_empty() {
        q.append_pair("party_id", party);
    }
    let when = match series {
        Some((_, how_often, count)) => format!(
            "{} {} to {}, {count} sessions from {}",
            how_often,
            local.strftime("%H:%M"),
            clock(zone, alt.span.end),
            local.strftime("%A %-d %B %Y"),
        ),
        None => format!("{} to {}", when(zone, alt.span.start), clock(zone, alt.span.end)),
    };
    AltRow {
        when,
        room: names.room(alt.room_id.as_deref()),
        staff: names.staff(&alt.staff),
        link: format!("/cases/{case}/sessions?{}#book", q.finish()),
    }
}

/// Each failing date once, with every reason it failed.
fn failures_by_date(refused: &BookingRefused) -> Vec<(String, String)> {
    let mut out: Vec<(Timestamp, Vec<&str>)> = Vec::new();
    for (at, why) in &refused.failures {
        match out.iter_mut().find(|(t, _)| t == at) {
            Some((_, reasons)) => {
                if !reasons.contains(&why.as_str()) {
                    reasons.push(why);
                }
            }
            None => out.push((*at, vec![why])),
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter()
        .map(|(at, reasons)| (when(&refused.zone, at), reasons.join("; ")))
        .collect()
}

const FIND_FIELDS: [(&str, &str); 7] = [
    ("repeat", "find-repeat"),
    ("count", "find-count"),
    ("kind", "find-kind"),
    ("minutes", "find-minutes"),
    ("from", "find-from"),
    ("days", "find-days"),
    ("party_id", "find-party"),
];

async fn case_sessions_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    query: &FormData,
    x: SessionsExtras,
) -> PageResult {
    let file = familytime_app::case_files::case_file(state, caller, id, Action::ViewSchedule).await?;
    let (bookings, zone) = app::case_bookings(state, caller, id).await?;
    let can_manage = may_manage(caller);
    let case_id = file.summary.id.to_string();
    let (candidates, hours) = if can_manage {
        let org = caller.user()?.organisation_id;
        let mut hours = Vec::new();
        for p in &file.parties {
            let saved = state.store.party_availability(org, &p.id.to_string()).await?;
            hours.push((p.id.to_string(), saved));
        }
        (app::never_meet_candidates(state, caller, &file).await?, hours)
    } else {
        (Vec::new(), Vec::new())
    };
    let (rooms, profiles, usual, pairs, workers_version) = if can_manage {
        let org = caller.user()?.organisation_id;
        let centre = app::centre_schedule(state, caller, &file.summary.centre_id.to_string()).await?;
        let party_ids: Vec<String> = file.parties.iter().map(|p| p.id.to_string()).collect();
        (
            centre.rooms,
            app::staff(state, caller).await?,
            state.store.case_workers(org, file.summary.id).await?,
            state.store.never_meet_pairs(org, &party_ids).await?,
            state
                .store
                .list_version(org, familytime_store::versions::ListKind::CaseWorkers, &case_id)
                .await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), 0)
    };
    let names = Names {
        rooms: &rooms,
        staff: &profiles,
    };
    let SessionsExtras {
        mut errors,
        mut status,
        posted,
        form,
        refused,
    } = x;

    // The booking form: what was sent, or what a "use this time" link filled in.
    let empty = FormData::empty();
    let b = match posted {
        Posted::Booking => &form,
        Posted::Nothing => query,
        _ => &empty,
    };
    let default_kind = file
        .summary
        .service
        .map(|s| BookingKind::Contact(s).as_str().to_owned())
        .unwrap_or_default();
    let kind = match b.get("kind") {
        k if k.is_empty() => default_kind.clone(),
        k => k,
    };
    let kinds = |chosen: &str| -> Vec<Opt> {
        BookingKind::bookable()
            .into_iter()
            .map(|k| opt(k.as_str(), k.label(), chosen))
            .collect()
    };
    let chosen_staff = Chosen(b.all("staff"));
    let party = b.get("party_id");
    let adult_opts = |chosen: &str| -> Vec<Opt> {
        file.parties
            .iter()
            .map(|p| opt(p.id.to_string(), format!("{} ({})", p.name, p.role.label()), chosen))
            .collect()
    };
    let repeat = match b.get("repeat") {
        r if r.is_empty() => "once".to_owned(),
        r => r,
    };
    let room_chosen = b.get("room_id");

    // The free-time search.
    let searched = can_manage && query.get("find") == "1" && posted == Posted::Nothing;
    let find_kind = match query.get("kind") {
        k if k.is_empty() => default_kind.clone(),
        k => k,
    };
    let find_party = query.get("party");
    let find_repeat = match query.get("repeat") {
        r if r.is_empty() => "once".to_owned(),
        r => r,
    };
    let mut found = Vec::new();
    if searched {
        match app::find_times(
            state,
            caller,
            id,
            &find_kind,
            &query.get("minutes"),
            &query.get("from"),
            &query.get("days"),
            &find_party,
            &find_repeat,
            &query.get("count"),
            10,
        )
        .await
        {
            Ok((alternatives, zone)) => {
                let count = query.get("count").trim().parse::<u32>().unwrap_or(1);
                found = alternatives
                    .iter()
                    .map(|a| {
                        let weekday = a.span.start.to_zoned(zone.clone()).strftime("%A").to_string();
                        let how_often = match find_repeat.as_str() {
                            "weekly" => format!("Every {weekday} at"),
                            "fortnightly" => format!("Every other {weekday} at"),
                            "four_weekly" => format!("Every fourth {weekday} at"),
                            _ => String::new(),
                        };
                        let series =
                            (!how_often.is_empty()).then_some((find_repeat.as_str(), how_often.as_str(), count));
                        series_row(&case_id, &find_kind, &find_party, &zone, &names, a, series)
                    })
                    .collect();
            }
            Err(AppError::Invalid(e)) => {
                errors.extend(renamed(e, &FIND_FIELDS));
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(other) => return Err(other.into()),
        }
    }

    let refused = refused.map(|r| RefusedView {
        failures: failures_by_date(&r),
        alternatives: r
            .alternatives
            .iter()
            .map(|(at, offers)| AltGroup {
                wanted: when(&r.zone, *at),
                offers: offers
                    .iter()
                    .map(|a| alt_row(&case_id, &kind, &party, &r.zone, &names, a))
                    .collect(),
            })
            .collect(),
    });

    let nm = if posted == Posted::NeverMeet { &form } else { &empty };
    let av = if posted == Posted::Availability { &form } else { &empty };
    let nm_other = nm.get("other_party_id");
    let mut nm_others: Vec<OptGroup> = Vec::new();
    for adult in &candidates {
        let label = if adult.case_id == case_id {
            format!("Case {} (this case)", adult.reference)
        } else {
            format!("Case {}", adult.reference)
        };
        let role = PartyRole::parse(&adult.role).map(|r| r.label()).unwrap_or("Adult");
        let option = opt(adult.party_id.clone(), format!("{} ({role})", adult.name), &nm_other);
        match nm_others.last_mut() {
            Some(group) if group.label == label => group.options.push(option),
            _ => nm_others.push(OptGroup {
                label,
                options: vec![option],
            }),
        }
    }
    let hours_of = |saved: &[(i8, jiff::civil::Time, jiff::civil::Time)]| -> String {
        if saved.is_empty() {
            return "Any time the centre is open".to_owned();
        }
        saved
            .iter()
            .map(|(d, f, t)| {
                let day = familytime_store::schedule::weekday_from(i64::from(*d))
                    .map(weekday_name)
                    .unwrap_or("?");
                format!("{day} {}–{}", f.strftime("%H:%M"), t.strftime("%H:%M"))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let hours_rows: Vec<(String, String)> = file
        .parties
        .iter()
        .map(|p| {
            let saved = hours
                .iter()
                .find(|(id, _)| *id == p.id.to_string())
                .map(|(_, h)| h.as_slice())
                .unwrap_or(&[]);
            (format!("{} ({})", p.name, p.role.label()), hours_of(saved))
        })
        .collect();
    let chosen_days = av.all("days");
    let notice = match query.get("saved").as_str() {
        _ if query.get("booked") == "1" => Some("The sessions are booked.".to_owned()),
        "workers" => Some("The usual workers are saved.".to_owned()),
        "never-meet" => Some("The two adults are kept apart.".to_owned()),
        "availability" => Some("When the adult can come is saved.".to_owned()),
        _ => None,
    };
    let chosen_workers = if posted == Posted::Workers {
        Chosen(form.all("workers"))
    } else {
        Chosen(usual.iter().map(|u| u.to_string()).collect())
    };
    let with_default = |value: String, default: &str| {
        if value.trim().is_empty() {
            default.to_owned()
        } else {
            value
        }
    };
    let page = CaseSessionsPage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        notice,
        reference: file.summary.reference.clone(),
        children: file.summary.children.join(" and "),
        can_manage,
        sessions: bookings.iter().map(|bk| session_row(&zone, bk, &[], &[])).collect(),
        kinds: kinds(&kind),
        date: b.get("date"),
        time: b.get("time"),
        minutes: with_default(b.get("minutes"), "120"),
        repeats: repeat_opts(&repeat),
        count: b.get("count"),
        until: b.get("until"),
        room_none: room_chosen == "none",
        any_provisional: bookings
            .iter()
            .any(|b| b.status == familytime_store::schedule::BookingStatus::Provisional),
        rooms: rooms
            .iter()
            .filter(|(r, _)| r.active)
            .map(|(r, approval)| {
                let note = if r.kind == RoomKind::OffSiteVenue && approval.is_none() {
                    ", not approved yet"
                } else {
                    ""
                };
                opt(
                    r.id.to_string(),
                    format!("{} ({}{note})", r.name, r.kind.label()),
                    &room_chosen,
                )
            })
            .collect(),
        staff: profiles
            .iter()
            .map(|p| Opt {
                value: p.user_id.to_string(),
                label: if p.qualified_supervised {
                    format!("{} (qualified to supervise)", p.name)
                } else {
                    p.name.clone()
                },
                selected: chosen_staff.has(p.user_id),
            })
            .collect(),
        parties: adult_opts(&party),
        refused,
        find_kinds: kinds(&find_kind),
        find_minutes: with_default(query.get("minutes"), "120"),
        find_from: query.get("from"),
        find_days: with_default(query.get("days"), "14"),
        find_parties: adult_opts(&find_party),
        find_repeats: repeat_opts(&find_repeat),
        find_count: query.get("count"),
        searched,
        found,
        workers: profiles
            .iter()
            .map(|p| Opt {
                value: p.user_id.to_string(),
                label: p.name.clone(),
                selected: chosen_workers.has(p.user_id),
            })
            .collect(),
        workers_version,
        pairs: pairs
            .iter()
            .map(|p| PairRow {
                first: p.name_a.clone(),
                second: p.name_b.clone(),
                reason: p.reason.clone(),
            })
            .collect(),
        nm_parties: adult_opts(&nm.get("party_id")),
        nm_others,
        nm_reason: nm.get("reason"),
        hours: hours_rows,
        avail_parties: adult_opts(&av.get("party_id")),
        avail_days: (1..=7)
            .filter_map(|d| familytime_store::schedule::weekday_from(d).map(|w| (d, w)))
            .map(|(d, w)| Opt {
                value: d.to_string(),
                label: weekday_name(w).to_owned(),
                selected: chosen_days.iter().any(|c| c.trim() == d.to_string()),
            })
            .collect(),
        avail_from: av.get("from"),
        avail_to: av.get("to"),
        feed_parties: adult_opts(""),
        case_id,
    };
    Ok(render_with(status, &page))
}

/// How often sessions repeat, for the booking form and the search.
fn repeat_opts(chosen: &str) -> Vec<Opt> {
    [
        ("once", "Once"),
        ("weekly", "Every week"),
        ("fortnightly", "Every two weeks"),
        ("four_weekly", "Every four weeks"),
    ]
    .into_iter()
    .map(|(v, l)| opt(v, l, chosen))
    .collect()
}

fn nothing_posted() -> SessionsExtras {
    SessionsExtras {
        errors: FieldErrors::new(),
        status: StatusCode::OK,
        posted: Posted::Nothing,
        form: FormData::empty(),
        refused: None,
    }
}

fn failed(errors: FieldErrors, status: StatusCode, posted: Posted, form: FormData) -> SessionsExtras {
    SessionsExtras {
        errors,
        status,
        posted,
        form,
        refused: None,
    }
}

/// GET /cases/{id}/sessions (with `?find=1&kind=&minutes=&from=&days=&party=` to search for free times)
pub async fn case_sessions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let query = query_form(query.as_deref());
    case_sessions_page(&state, &caller, &id, &query, nothing_posted()).await
}

/// POST /cases/{id}/sessions: books one session or a series, or says which dates fail.
pub async fn book(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, form: FormData) -> PageResult {
    let input = BookingInput {
        kind: form.get("kind"),
        date: form.get("date"),
        time: form.get("time"),
        minutes: form.get("minutes"),
        repeat: form.get("repeat"),
        count: form.get("count"),
        until: form.get("until"),
        room_id: form.get("room_id"),
        staff: form.all("staff"),
        party_id: form.get("party_id"),
    };
    let empty = FormData::empty();
    let extras = match app::book(&state, &caller, &id, &input).await {
        Ok(BookingOutcome::Booked(..)) => {
            return Ok(Redirect::to(&format!("/cases/{id}/sessions?booked=1")).into_response());
        }
        Ok(BookingOutcome::Refused(refused)) => SessionsExtras {
            errors: FieldErrors::new(),
            status: StatusCode::CONFLICT,
            posted: Posted::Booking,
            form,
            refused: Some(refused),
        },
        Err(AppError::Invalid(errors)) => failed(errors, StatusCode::UNPROCESSABLE_ENTITY, Posted::Booking, form),
        Err(AppError::Conflict(message)) => failed(
            FieldErrors::single("date", message),
            StatusCode::CONFLICT,
            Posted::Booking,
            form,
        ),
        Err(other) => return Err(other.into()),
    };
    case_sessions_page(&state, &caller, &id, &empty, extras).await
}

/// POST /cases/{id}/workers: the family's usual workers.
pub async fn set_workers(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::set_case_workers(&state, &caller, &id, &form.all("workers"), form.version()).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}/sessions?saved=workers")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let extras = failed(errors, StatusCode::UNPROCESSABLE_ENTITY, Posted::Workers, form);
            case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
        }
        // Changed meanwhile: nothing saved; the list is shown as it is now, with its new version.
        Err(err @ AppError::Stale) => {
            let errors = FieldErrors::single("workers", format!("{} The list below is as it is now.", err.message()));
            let extras = failed(errors, StatusCode::CONFLICT, Posted::Nothing, FormData::empty());
            case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
        }
        Err(other) => Err(other.into()),
    }
}

const NEVER_MEET_FIELDS: [(&str, &str); 3] = [
    ("party_id", "nm-party"),
    ("other_party_id", "nm-other"),
    ("reason", "nm-reason"),
];

const AVAILABILITY_FIELDS: [(&str, &str); 4] = [
    ("party_id", "avail-party"),
    ("days", "avail-days"),
    ("from", "avail-from"),
    ("to", "avail-to"),
];

/// POST /cases/{id}/availability: the days and hours an adult of the case can come.
pub async fn set_availability(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = app::AvailabilityInput {
        days: form.all("days"),
        from: form.get("from"),
        to: form.get("to"),
    };
    match app::set_party_availability(&state, &caller, &id, &form.get("party_id"), &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}/sessions?saved=availability#availability")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let extras = failed(
                renamed(errors, &AVAILABILITY_FIELDS),
                StatusCode::UNPROCESSABLE_ENTITY,
                Posted::Availability,
                form,
            );
            case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /cases/{id}/never-meet: two adults who must never be at the centre together.
pub async fn add_never_meet(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let answer = app::add_never_meet(
        &state,
        &caller,
        &id,
        &form.get("party_id"),
        &form.get("other_party_id"),
        &form.get("reason"),
    )
    .await;
    let extras = match answer {
        Ok(_) => return Ok(Redirect::to(&format!("/cases/{id}/sessions?saved=never-meet#never-meet")).into_response()),
        Err(AppError::Invalid(errors)) => failed(
            renamed(errors, &NEVER_MEET_FIELDS),
            StatusCode::UNPROCESSABLE_ENTITY,
            Posted::NeverMeet,
            form,
        ),
        Err(AppError::Conflict(message)) => failed(
            FieldErrors::single("other_party_id", message),
            StatusCode::CONFLICT,
            Posted::NeverMeet,
            form,
        ),
        Err(other) => return Err(other.into()),
    };
    case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
}

#[derive(askama::Template)]
#[template(path = "schedule_feed.html")]
struct FeedPage {
    shell: Shell,
    heading: String,
    url: String,
    back: String,
    back_label: String,
}

/// POST /cases/{id}/calendar-feeds: a calendar feed for an adult of the case, shown once.
pub async fn case_feed(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let party = form.get("party_id");
    match app::create_feed(&state, &caller, None, Some((&id, &party))).await {
        Ok(token) => {
            let file = familytime_app::case_files::case_file(&state, &caller, &id, Action::ViewSchedule).await?;
            let name = file
                .parties
                .iter()
                .find(|p| p.id.to_string() == party.trim())
                .map(|p| p.name.clone())
                .unwrap_or_default();
            Ok(render(&FeedPage {
                shell: Shell::for_caller(&state, &caller, "/cases").await?,
                heading: format!("Calendar feed for {name}"),
                url: format!("{}/calendar/{token}.ics", site_address(&state, &headers)),
                back: format!("/cases/{id}/sessions"),
                back_label: format!("Back to the sessions for case {}", file.summary.reference),
            }))
        }
        Err(AppError::Invalid(errors)) => {
            let extras = failed(
                renamed(errors, &[("party_id", "feed-party")]),
                StatusCode::UNPROCESSABLE_ENTITY,
                Posted::Nothing,
                FormData::empty(),
            );
            case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /account/calendar-feed: the signed-in member of staff's own feed, shown once.
pub async fn own_feed(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> PageResult {
    let me = caller.user()?.id.to_string();
    let token = app::create_feed(&state, &caller, Some(&me), None).await?;
    Ok(render(&FeedPage {
        shell: Shell::for_caller(&state, &caller, "/today").await?,
        heading: "Your calendar feed".into(),
        url: format!("{}/calendar/{token}.ics", site_address(&state, &headers)),
        back: "/today".into(),
        back_label: "Back to today's sessions".into(),
    }))
}

// ---- a booking --------------------------------------------------------------------------------

pub struct EventRow {
    pub when: String,
    pub who: String,
    pub what: String,
}

#[derive(askama::Template)]
#[template(path = "schedule_booking.html")]
struct BookingPage {
    shell: Shell,
    errors: FieldErrors,
    s: SessionRow,
    centre_id: String,
    cancelled_by: String,
    reason: String,
    moved_from: String,
    moved_to: String,
    /// "Fri 4 Dec 2026 10:00, at the request of the visiting parent" for each end of a move.
    moved_from_note: String,
    moved_to_note: String,
    askers: Vec<Opt>,
    events: Vec<EventRow>,
    can_manage: bool,
    can_move: bool,
    /// Whether to link to the case's money page.
    can_bill: bool,
    /// For a pre-visit's booking, to those who keep pre-visit records: the pre-visit's id.
    pre_visit: String,
    /// Where each adult arrives and waits, to those who may set it (empty for anyone else).
    arrival_forms: Vec<ArrivalForm>,
    version: i64,
    next: Vec<Opt>,
    cancellers: Vec<Opt>,
    f: FormData,
}

/// One adult's form on the booking page: the entrance and waiting room chosen (or typed, when the
/// form was refused), and the refusal's messages for this adult's form only.
pub struct ArrivalForm {
    pub party_id: String,
    pub name: String,
    pub entrances: Vec<Opt>,
    pub rooms: Vec<Opt>,
    pub entrance_error: String,
    pub room_error: String,
    /// The selects' ids: plain `entrance` and `waits_in` on the refused form, so the error summary
    /// leads to them; otherwise followed by the adult's id.
    pub entrance_key: String,
    pub room_key: String,
}

/// The booking's adults' arrival forms, each showing what is set, or for the adult whose form was
/// just refused, what was chosen and why it was refused.
fn arrival_forms(
    options: Option<familytime_app::arrivals::ArrivalOptions>,
    parties: &[familytime_store::schedule::BookedParty],
    errors: &FieldErrors,
    typed: &FormData,
) -> Vec<ArrivalForm> {
    let Some(options) = options else {
        return Vec::new();
    };
    parties
        .iter()
        .map(|p| {
            let posted = typed.get("party") == p.party_id;
            let (entrance, room) = if posted {
                (typed.get("entrance"), typed.get("waits_in"))
            } else {
                (
                    p.entrance_id.clone().unwrap_or_default(),
                    p.waits_in_id.clone().unwrap_or_default(),
                )
            };
            let message = |field: &str| {
                if posted {
                    errors.message_for(field).unwrap_or_default().to_owned()
                } else {
                    String::new()
                }
            };
            ArrivalForm {
                party_id: p.party_id.clone(),
                name: p.name.clone(),
                entrances: options
                    .entrances
                    .iter()
                    .map(|(id, name)| opt(id.as_str(), name.as_str(), &entrance))
                    .collect(),
                rooms: options
                    .waiting_rooms
                    .iter()
                    .map(|(id, name)| opt(id.as_str(), name.as_str(), &room))
                    .collect(),
                entrance_error: message("entrance"),
                room_error: message("waits_in"),
                entrance_key: if posted {
                    "entrance".to_owned()
                } else {
                    format!("entrance-{}", p.party_id)
                },
                room_key: if posted {
                    "waits_in".to_owned()
                } else {
                    format!("waits_in-{}", p.party_id)
                },
            }
        })
        .collect()
}

fn event_row(zone: &TimeZone, e: &familytime_store::schedule::BookingEvent) -> EventRow {
    let status = |s: &Option<String>| {
        s.as_deref()
            .map(|s| BookingStatus::parse(s).map_or(s, |b| b.label()).to_owned())
    };
    let what = match (e.event.as_str(), status(&e.from_status), status(&e.to_status)) {
        ("booked", _, Some(to)) => format!("Booked ({})", to.to_lowercase()),
        ("moved", _, _) => "Moved to another time".to_owned(),
        (_, Some(from), Some(to)) => format!("{from} → {to}"),
        (other, _, _) => other.replace('_', " "),
    };
    let what = match (&e.detail, e.event.as_str()) {
        (Some(detail), "status") if !detail.is_empty() => format!("{what}: {detail}"),
        _ => what,
    };
    EventRow {
        when: when(zone, ts_of(e.at)),
        who: e.actor_name.clone().unwrap_or_else(|| "familytime".into()),
        what,
    }
}

async fn booking_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    typed: FormData,
) -> PageResult {
    let view = app::booking(state, caller, id).await?;
    let b = &view.booking;
    let can_manage = may_manage(caller);
    let chosen_status = typed.get("status");
    let chosen_by = typed.get("cancelled_by");
    let moved_to = view.moved_to.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
    let chosen_asker = typed.get("asked_by");
    let moved_to_note = view
        .moved_to
        .as_ref()
        .map(|m| {
            format!(
                "{}, {}",
                when(&view.zone, m.span.start),
                move_asked_by(b.cancelled_by.as_deref())
            )
        })
        .unwrap_or_default();
    let moved_from_note = view
        .moved_from
        .as_ref()
        .map(|m| {
            format!(
                "{}, {}",
                when(&view.zone, m.span.start),
                move_asked_by(m.cancelled_by.as_deref())
            )
        })
        .unwrap_or_default();
    let arrival_forms = arrival_forms(
        familytime_app::arrivals::options(state, caller, b).await?,
        &view.parties,
        &errors,
        &typed,
    );
    let page = BookingPage {
        shell: Shell::for_caller(state, caller, "/today").await?,
        errors,
        s: with_warnings(
            vec![session_row(&view.zone, b, &view.parties, &view.staff)],
            app::arrival_warnings(state, caller, std::slice::from_ref(b), &view.parties).await?,
        )
        .pop()
        .ok_or(AppError::Internal("session"))?,
        centre_id: b.centre_id.to_string(),
        cancelled_by: b
            .cancelled_by
            .as_deref()
            .map(cancelled_by_label)
            .unwrap_or_default()
            .to_owned(),
        reason: b.status_reason.clone().unwrap_or_default(),
        moved_from: view.moved_from.as_ref().map(|m| m.id.to_string()).unwrap_or_default(),
        moved_from_note,
        moved_to_note,
        askers: familytime_domain::schedule::MoveAsker::ALL
            .iter()
            .map(|a| opt(a.as_str(), a.label(), &chosen_asker))
            .collect(),
        events: view.events.iter().map(|e| event_row(&view.zone, e)).collect(),
        can_manage,
        can_move: can_manage && b.status.is_live() && b.case_id.is_some(),
        can_bill: super::may(caller, familytime_domain::authz::Action::ManageBilling),
        // The pre-visit's page is for those who manage cases (as its route asks).
        arrival_forms,
        pre_visit: view
            .pre_visit
            .clone()
            .filter(|_| super::may(caller, familytime_domain::authz::Action::ManageCases))
            .unwrap_or_default(),
        moved_to,
        version: b.version,
        next: BookingStatus::ALL
            .into_iter()
            .filter(|s| b.status.may_become(*s))
            .map(|s| opt(s.as_str(), s.label(), &chosen_status))
            .collect(),
        cancellers: ["centre", "resident", "visiting", "other"]
            .into_iter()
            .map(|w| opt(w, cancelled_by_label(w), &chosen_by))
            .collect(),
        f: typed,
    };
    Ok(render_with(status, &page))
}

/// GET /bookings/{id}
pub async fn booking(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    booking_page(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        StatusCode::OK,
        FormData::empty(),
    )
    .await
}

/// Shows the booking again after a refused change: a stale write shows the booking as it is now.
async fn booking_failed(
    state: &AppState,
    caller: &Caller,
    id: &str,
    err: AppError,
    field: &'static str,
    form: FormData,
) -> PageResult {
    match err {
        AppError::Invalid(errors) => {
            let status = form_status(&errors);
            booking_page(state, caller, id, errors, status, form).await
        }
        err @ AppError::Stale => {
            booking_page(
                state,
                caller,
                id,
                FieldErrors::single(field, format!("{} The booking below is as it is now.", err.message())),
                StatusCode::CONFLICT,
                FormData::empty(),
            )
            .await
        }
        AppError::Conflict(message) => {
            booking_page(
                state,
                caller,
                id,
                FieldErrors::single(field, message),
                StatusCode::CONFLICT,
                form,
            )
            .await
        }
        other => Err(other.into()),
    }
}

/// POST /bookings/{id}/status
pub async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = StatusInput {
        status: form.get("status"),
        reason: form.get("reason"),
        cancelled_by: form.get("cancelled_by"),
        version: form.version(),
        waive: form.get("waive") == "yes",
        waiver_reason: form.get("waiver_reason"),
        expected: Some(form.get("expected")).filter(|e| !e.is_empty()),
    };
    let confirming_cancel = input.status == "cancelled" && input.expected.is_some();
    if input.status == "cancelled" && !confirming_cancel {
        // First show what the cancellation forfeits; the person confirms it on the next page.
        return match super::billing::cancellation_page(&state, &caller, &id, &input, FieldErrors::new()).await {
            Ok(page) => Ok(page),
            Err(err) => booking_failed(&state, &caller, &id, err, "status", form).await,
        };
    }
    match app::set_status(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/bookings/{id}")).into_response()),
        // A refused confirmation is shown on the check page again, with the outcome as it is now.
        Err(AppError::Invalid(errors)) if confirming_cancel => {
            Ok(super::billing::cancellation_page(&state, &caller, &id, &input, errors).await?)
        }
        Err(AppError::Conflict(message)) if confirming_cancel => {
            let errors = FieldErrors::single("cancellation-outcome", message);
            Ok(super::billing::cancellation_page(&state, &caller, &id, &input, errors).await?)
        }
        Err(err) => booking_failed(&state, &caller, &id, err, "status", form).await,
    }
}

/// POST /bookings/{id}/arrival: where one adult arrives and waits for the session.
pub async fn set_arrival(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = familytime_app::arrivals::ArrivalInput {
        party: form.get("party"),
        entrance: form.get("entrance"),
        waits_in: form.get("waits_in"),
        version: form.version(),
    };
    match familytime_app::arrivals::set_arrival(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/bookings/{id}#arrival-plan")).into_response()),
        Err(err) => booking_failed(&state, &caller, &id, err, "entrance", form).await,
    }
}

/// POST /bookings/{id}/move: the same session at a new date and time.
pub async fn move_booking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::reschedule(
        &state,
        &caller,
        &id,
        &form.get("date"),
        &form.get("time"),
        &form.get("asked_by"),
        form.version(),
    )
    .await
    {
        Ok((moved, _)) => Ok(Redirect::to(&format!("/bookings/{}", moved.id)).into_response()),
        Err(AppError::BadRequest(message)) => {
            booking_failed(
                &state,
                &caller,
                &id,
                AppError::Invalid(FieldErrors::single("date", message)),
                "date",
                form,
            )
            .await
        }
        Err(err) => booking_failed(&state, &caller, &id, err, "date", form).await,
    }
}
