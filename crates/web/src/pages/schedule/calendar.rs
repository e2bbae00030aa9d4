//! The centre's calendar (day and week, per room and per staff member), the "today" page for the
//! person on duty, and the printable day sheet.

use super::{Opt, SessionRow, long_day, opt, query_form, session_row, short_day, with_warnings};
use crate::pages::{PageResult, Shell, form_status, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use familytime_app::schedule::{self as app, CalendarView};
use familytime_domain::text::FieldErrors;
use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;

fn zone_of(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// The sessions of one day.
pub struct DayRows {
    pub heading: String,
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
            sessions,
        });
    }
    out
}

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
