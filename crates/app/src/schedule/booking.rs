//! Booking one session or a whole series for a case: all of it, or each date that fails and why,
//! with the nearest free times.

use super::planner::{Planner, Roster, refusal};
use super::search::{Alternative, search};
use super::{parse_date, parse_time};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::ids::SeriesId;
use familytime_domain::schedule::{self as rules, BookingKind, Refusal, Repeat, SeriesEnd, SeriesRequest};
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::{Booking, BookingError};
use jiff::tz::TimeZone;

/// A booking request as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct BookingInput {
    pub kind: String,
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub repeat: String,
    pub count: String,
    pub until: String,
    pub room_id: String,
    pub staff: Vec<String>,
    /// For a pre-visit or review: the one adult who comes.
    pub party_id: String,
    /// The resident parent stays on the premises through the session, where the order or the case
    /// allows it (decision 0047); otherwise they drop the child off and come back for the pick-up.
    pub resident_stays: bool,
}

/// Why sessions could not be booked: each date that failed and why, with the nearest free times.
#[derive(Debug, Clone)]
pub struct BookingRefused {
    pub failures: Vec<(Timestamp, String)>,
    pub alternatives: Vec<(Timestamp, Vec<Alternative>)>,
    pub zone: TimeZone,
}

impl BookingRefused {
    /// The refusal in words, one line per date.
    pub fn message(&self) -> String {
        let mut lines = Vec::new();
        for (at, why) in &self.failures {
            lines.push(format!("{}: {why}", local(&self.zone, *at)));
        }
        for (at, alternatives) in &self.alternatives {
            if !alternatives.is_empty() {
                let offers: Vec<String> = alternatives.iter().map(|a| local(&self.zone, a.span.start)).collect();
                lines.push(format!(
                    "Nearest free times for {}: {}",
                    local(&self.zone, *at),
                    offers.join(", ")
                ));
            }
        }
        lines.join("\n")
    }
}

/// What the booking rules refused (decision 0043): each thing missing, against the kind of session.
pub fn rules_refused(missing: Vec<String>) -> AppError {
    let mut errors = FieldErrors::new();
    for message in missing {
        errors.add("kind", message);
    }
    AppError::Invalid(errors)
}

/// "2026-12-01 10:00" in the centre's zone.
pub fn local(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M").to_string()
}

/// The outcome of a booking request.
pub enum BookingOutcome {
    Booked(Vec<Booking>, TimeZone),
    Refused(BookingRefused),
}

fn series_request(
    input: &BookingInput,
    zone_first: Option<jiff::civil::DateTime>,
) -> Result<SeriesRequest, FieldErrors> {
    let mut errors = FieldErrors::new();
    let minutes = input.minutes.trim().parse::<i64>().ok();
    if minutes.is_none() {
        errors.add("minutes", "Enter the length in minutes, like 120");
    }
    let repeat = Repeat::parse(input.repeat.trim());
    if repeat.is_none() {
        errors.add("repeat", "Choose how often");
    }
    let end = match (input.count.trim(), input.until.trim()) {
        ("", "") => Some(SeriesEnd::Count(1)),
        (count, "") => match count.parse::<u32>() {
            Ok(n) => Some(SeriesEnd::Count(n)),
            Err(_) => {
                errors.add("count", "Enter the number of sessions, like 6");
                None
            }
        },
        (_, until) => parse_date(&mut errors, "until", until).map(SeriesEnd::Until),
    };
    match (zone_first, minutes, repeat, end) {
        (Some(first), Some(minutes), Some(repeat), Some(end)) if errors.is_empty() => Ok(SeriesRequest {
            first,
            minutes,
            repeat,
            end,
        }),
        _ => Err(errors),
    }
}

/// Books one session or a whole series for a case, or says which dates fail and offers the nearest
/// free times for each. The database refuses a clash even when two requests race; the loser is
/// checked again so its answer names what it clashed with.
pub async fn book(
    state: &AppState,
    caller: &Caller,
    case: &str,
    input: &BookingInput,
) -> Result<BookingOutcome, AppError> {
    let roster = Roster::Only {
        room: &input.room_id,
        staff: &input.staff,
    };
    let planner = Planner::load(state, caller, case, &input.kind, roster).await?;
    let mut errors = FieldErrors::new();
    let date = parse_date(&mut errors, "date", &input.date);
    let time = parse_time(&mut errors, "time", &input.time);
    let first = match (date, time) {
        (Some(d), Some(t)) => Some(d.to_datetime(t)),
        _ => None,
    };
    let request = series_request(input, first).map_err(|mut e| {
        e.extend(errors.clone());
        AppError::Invalid(e)
    })?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let zone = planner.calendar.zone.clone();
    let spans = rules::occurrences(&zone, &request, planner.settings.longest_session_minutes).map_err(|r| {
        let field = match r {
            Refusal::Occurrences => "count",
            Refusal::TooLong { .. } | Refusal::EndsBeforeStart => "minutes",
            _ => "date",
        };
        refusal(field, r)
    })?;
    let now = state.clock.now();
    if spans.first().is_some_and(|s| s.start < now) {
        return Err(AppError::Invalid(FieldErrors::single(
            "date",
            "Choose a time in the future",
        )));
    }
    let room = planner.space(&input.room_id)?;
    let staff = planner.chosen_staff(&input.staff)?;
    let attendees = Planner::resident_stays(planner.attendees(&input.party_id)?, input.resident_stays);
    if planner.kind == BookingKind::PreVisit {
        if spans.len() > 1 {
            return Err(AppError::Invalid(FieldErrors::single(
                "repeat",
                "A pre-visit is booked one at a time",
            )));
        }
        // Each adult's visit is their own and never together (the database keeps their time on
        // site apart too, through the never-meet windows).
        let party = attendees.first().map(|(id, _, _)| id.as_str()).unwrap_or_default();
        let party =
            familytime_domain::ids::PartyId::parse(party).map_err(|_| refusal("party_id", Refusal::NoParties))?;
        let existing: Vec<_> = state
            .store
            .pre_visits(planner.org, planner.file.summary.id)
            .await?
            .iter()
            .map(|v| v.as_visit())
            .collect();
        if let Some(span) = spans.first() {
            familytime_domain::previsits::check_new_visit(&existing, party, span.start)
                .map_err(|m| AppError::Invalid(FieldErrors::single("time", m)))?;
        }
    }
    let series = (spans.len() > 1).then(|| SeriesId::new_v7(now));
    let mut sessions = Vec::new();
    let mut failures = Vec::new();
    for span in &spans {
        match planner.session(*span, room.as_ref(), &staff, &attendees, series.as_ref(), now) {
            Ok(s) => sessions.push(s),
            Err(AppError::Invalid(e)) if spans.len() > 1 => {
                failures.push((span.start, e.messages().join("; ")));
            }
            Err(e) => return Err(e),
        }
    }
    if planner.kind == BookingKind::PreVisit {
        for session in &mut sessions {
            session.pre_visit = Some(uuid::Uuid::now_v7().to_string());
        }
    }
    if failures.is_empty() {
        failures = crate::billing::charge_sessions(
            state,
            &planner.charging,
            planner.org,
            &planner.file,
            &zone,
            &mut sessions,
            None,
        )
        .await?;
    }
    if failures.is_empty() {
        let scope = caller.scope(now);
        let mut answer = state.store.book(&scope, planner.org, &sessions).await;
        if matches!(&answer, Err(BookingError::Clashes(c)) if c.is_empty()) {
            // Lost a race on PostgreSQL: check again to name the clash.
            answer = state.store.book(&scope, planner.org, &sessions).await;
        }
        match answer {
            Ok(()) => {
                let room_name = room.as_ref().map(|(r, _)| r.name.as_str());
                let booked = sessions
                    .iter()
                    .map(|s| {
                        Booking::written(
                            s,
                            &planner.centre_name,
                            Some(&planner.file.summary.reference),
                            room_name,
                        )
                    })
                    .collect();
                return Ok(BookingOutcome::Booked(booked, zone));
            }
            Err(BookingError::Clashes(clashes)) if clashes.is_empty() => {
                failures.push((spans[0].start, "Someone else booked the same time a moment ago".into()));
            }
            Err(BookingError::Clashes(clashes)) => {
                for c in clashes {
                    failures.push((c.starts, c.what));
                }
            }
            Err(BookingError::Rules(missing)) => return Err(rules_refused(missing)),
            Err(BookingError::Store(e)) => return Err(e.into()),
        }
    }
    // The nearest free times may use any room and anyone on the roster.
    let everyone = Planner::load(state, caller, case, &input.kind, Roster::Everyone).await?;
    let mut alternatives = Vec::new();
    let mut failed_dates: Vec<Timestamp> = failures.iter().map(|f| f.0).collect();
    failed_dates.dedup();
    for at in failed_dates.iter().take(10) {
        let minutes = request.minutes;
        let from = rules::add_minutes(*at, -3 * 24 * 60).max(now);
        let offers = search(state, &everyone, minutes, from, 7, &input.party_id, 50, None).await?;
        let mut offers: Vec<Alternative> = offers.into_iter().filter(|o| o.span.start != *at).collect();
        offers.sort_by_key(|o| (o.span.start.as_second() - at.as_second()).abs());
        offers.truncate(3);
        alternatives.push((*at, offers));
    }
    Ok(BookingOutcome::Refused(BookingRefused {
        failures,
        alternatives,
        zone,
    }))
}
