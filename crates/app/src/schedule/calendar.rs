//! A centre's calendar over some days (the day and week views, "today", the day sheet), the arrival
//! plans' warnings, and a case's sessions.

use super::centre_for;
use crate::case_files::{case_file, centre_zone, file_org};
use crate::{AppError, AppState, Caller, parse_id};
use familytime_domain::authz::Action;
use familytime_domain::ids::{BookingId, UserId};
use familytime_domain::schedule as rules;
use familytime_domain::text::FieldErrors;
use familytime_store::AuditEvent;
use familytime_store::schedule::{BookedParty, BookedStaff, Booking};
use jiff::ToSpan;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use std::collections::HashMap;

/// A centre's bookings over some days, with who is on each: for the day and week views, the "today"
/// page and the printed day sheet.
pub struct CalendarView {
    pub centre: familytime_store::tenancy::Centre,
    pub first_day: Date,
    pub days: i64,
    pub bookings: Vec<Booking>,
    pub parties: Vec<BookedParty>,
    pub staff: Vec<BookedStaff>,
    pub zone: TimeZone,
}

/// The centre's calendar from a local date over `days` days, for one room or staff member if asked.
pub async fn calendar(
    state: &AppState,
    caller: &Caller,
    centre: &str,
    from: Option<&str>,
    days: i64,
    room: Option<&str>,
    staff: Option<&str>,
) -> Result<CalendarView, AppError> {
    let centre_id = centre_for(state, caller, centre, Action::ViewSchedule).await?;
    let org = caller.user()?.organisation_id;
    let centre = state.store.centre(org, centre_id).await?;
    let zone = TimeZone::get(&centre.time_zone).unwrap_or(TimeZone::UTC);
    let today = state.clock.now().to_zoned(zone.clone()).date();
    let first_day = match from.map(str::trim).filter(|f| !f.is_empty()) {
        Some(text) => {
            familytime_domain::dates::parse_date(text).map_err(|m| AppError::Invalid(FieldErrors::single("from", m)))?
        }
        None => today,
    };
    let start = rules::local_instant(&zone, first_day.to_datetime(Time::MIN))
        .or_else(|_| {
            zone.to_ambiguous_timestamp(first_day.to_datetime(Time::MIN))
                .compatible()
                .map_err(|_| ())
        })
        .map_err(|_| AppError::BadRequest("That date cannot be shown".into()))?;
    let end_day = first_day
        .checked_add(days.days())
        .map_err(|_| AppError::BadRequest("That date cannot be shown".into()))?;
    let end = zone
        .to_ambiguous_timestamp(end_day.to_datetime(Time::MIN))
        .compatible()
        .map_err(|_| AppError::BadRequest("That date cannot be shown".into()))?;
    let staff = match staff.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_id(s, UserId::parse)?),
        None => None,
    };
    let bookings = state
        .store
        .bookings_between(org, Some(centre_id), start, end, room.filter(|r| !r.is_empty()), staff)
        .await?;
    let ids: Vec<BookingId> = bookings.iter().map(|b| b.id).collect();
    // The calendar, the day sheet and /today name the families booked: one entry per case shown.
    crate::audit::family_reads(
        state,
        caller,
        "schedule.read",
        bookings.iter().filter_map(|b| b.case_id),
    )
    .await?;
    Ok(CalendarView {
        parties: state.store.booked_parties(org, &ids).await?,
        staff: state.store.booked_staff(org, &ids).await?,
        centre,
        first_day,
        days,
        bookings,
        zone,
    })
}

/// The arrival plans' warnings, as (booking id, words): a live session of a case whose risk calls
/// for separate entrances or waiting rooms (`separation_advised`), with adults arriving apart and
/// no entrance or waiting room set for any of them. The caller has been allowed to see the
/// bookings; only whether a warning is due is read from the cases, never what the orders say.
pub async fn arrival_warnings(
    state: &AppState,
    caller: &Caller,
    bookings: &[Booking],
    parties: &[BookedParty],
) -> Result<Vec<(String, String)>, AppError> {
    let org = caller.user()?.organisation_id;
    let mut reasons: HashMap<familytime_domain::ids::CaseId, Option<&'static str>> = HashMap::new();
    let mut warnings = Vec::new();
    for b in bookings.iter().filter(|b| b.status.is_live()) {
        let Some(case) = b.case_id else { continue };
        let id = b.id.to_string();
        let on_site: Vec<&BookedParty> = parties.iter().filter(|p| p.booking_id == id).collect();
        if on_site.len() < 2 || on_site.iter().any(|p| p.entrance.is_some() || p.waits_in.is_some()) {
            continue;
        }
        let reason = match reasons.get(&case) {
            Some(r) => *r,
            None => {
                let (orders, concerns) = state.store.separation_risk(org, case).await?;
                let orders: Vec<&str> = orders.iter().map(String::as_str).collect();
                let r = rules::separation_advised(&orders, &concerns);
                reasons.insert(case, r);
                r
            }
        };
        if let Some(reason) = reason {
            warnings.push((
                id,
                format!(
                    "Separate entrances or waiting rooms are needed: {reason}, and none are set for this session. Agree with the staff on duty which entrance and room each adult uses, and keep them apart on arrival and leaving."
                ),
            ));
        }
    }
    Ok(warnings)
}

/// A case's sessions, for its page.
pub async fn case_bookings(
    state: &AppState,
    caller: &Caller,
    case: &str,
) -> Result<(Vec<Booking>, TimeZone), AppError> {
    let file = case_file(state, caller, case, Action::ViewSchedule).await?;
    let org = file_org(caller)?;
    // A case's sessions name its people and where they will be: a read of the case file.
    let scope = caller.scope(state.clock.now());
    state
        .store
        .audit(&scope, AuditEvent::ok("case.sessions.read", "case", file.summary.id))
        .await?;
    Ok((
        state.store.case_bookings(org, file.summary.id).await?,
        centre_zone(state, caller, file.summary.centre_id).await?,
    ))
}
