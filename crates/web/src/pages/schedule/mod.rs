//! Scheduling pages, one module per thing a user does (issue 25):
//! - `calendar`: the centre's calendar (day and week, per room and per staff member), the "today"
//!   page for the person on duty and the printable day sheet
//! - `settings`: the centre's scheduling settings, opening hours, closures, entrances and venues
//! - `staff`: the staff roster, a staff member's profile and leave
//! - `case_sessions`: a case's sessions page, which carries the booking form, the free-time search
//!   and the case's scheduling set-up; each form's handler shows it again when the form is refused
//! - `booking`: booking sessions from a case's sessions page
//! - `search`: the free-time search on that page, and free times as rows that fill in the booking form
//! - `case_setup`: the case's usual workers, when its adults can come, and never-meet pairs
//! - `changes`: a booking's own page: its status, where each adult arrives and waits, moving it
//! - `feeds`: calendar feed addresses, shown once
//!
//! Here: the small helpers they share (times and days in words, select options) and a session as
//! the pages show it.

mod booking;
mod calendar;
mod case_sessions;
mod case_setup;
mod changes;
mod feeds;
mod search;
mod settings;
mod staff;

pub use booking::book;
pub use calendar::{calendar, day_sheet, today};
pub use case_sessions::case_sessions;
pub use case_setup::{add_never_meet, set_availability, set_workers};
pub use changes::{booking, move_booking, set_arrival, set_interpreter, set_status};
pub use feeds::{case_feed, own_feed};
pub use settings::{
    add_closure, add_entrance, add_opening, approve_venue, remove_closure, remove_opening, save_settings, settings,
};
pub use staff::{add_leave, roster, save_staff, staff_member};

use super::FormData;
use crate::Caller;
use familytime_domain::Timestamp;
use familytime_domain::authz::{self, Action, Decision, Object};
use familytime_domain::intake::PartyRole;
use familytime_domain::schedule::BookingKind;
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::{BookedParty, BookedStaff, Booking, ts_of};
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
    /// "10:10 to 12:00" when they leave the premises between the drop-off and the pick-up (empty:
    /// they stay; decision 0047).
    pub away: String,
    /// The language they need an interpreter for (empty: none needed), and who is booked.
    pub interpreter_language: String,
    pub interpreter: String,
}

/// One moment of a session's day plan: when, who (empty: the session itself), what (a `dayplan`
/// catalogue key), and who is on the premises just after it.
pub struct MomentRow {
    pub time: String,
    pub who: String,
    pub key: &'static str,
    pub on_premises: String,
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
    /// The session's moments in order, with who is on the premises (decision 0047).
    pub timeline: Vec<MomentRow>,
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
            away: match (p.departs_at, p.returns_at) {
                (Some(d), Some(r)) => format!("{} to {}", clock(zone, ts_of(d)), clock(zone, ts_of(r))),
                _ => String::new(),
            },
            interpreter_language: familytime_app::interpreters::need(p)
                .map(|(language, _)| language)
                .unwrap_or_default(),
            interpreter: p.interpreter.clone().unwrap_or_default(),
        })
        .collect()
}

/// A session's day plan from its adults' stored plans (none for a session nobody comes to).
fn timeline_rows(zone: &TimeZone, b: &Booking, parties: &[BookedParty]) -> Vec<MomentRow> {
    use familytime_domain::schedule::{AdultPlan, Interval, timeline};
    let plans: Vec<AdultPlan<&str>> = parties
        .iter()
        .filter(|p| p.booking_id == b.id.to_string())
        .map(|p| AdultPlan {
            party: p.name.as_str(),
            arrives: ts_of(p.arrives_at),
            leaves: ts_of(p.leaves_at),
            away: p
                .departs_at
                .zip(p.returns_at)
                .and_then(|(d, r)| Interval::new(ts_of(d), ts_of(r))),
            talk_minutes: p.talk_minutes,
            brings_child: p.attendance == "brings_child",
        })
        .collect();
    if plans.is_empty() || !b.status.is_live() {
        return Vec::new();
    }
    timeline(&b.span, &plans)
        .into_iter()
        .map(|line| MomentRow {
            time: match line.until {
                Some(until) => format!("{}–{}", clock(zone, line.at), clock(zone, until)),
                None => clock(zone, line.at),
            },
            who: line.party.unwrap_or_default().to_owned(),
            key: line.moment.key(line.brings_child),
            on_premises: if line.on_premises.is_empty() {
                "—".to_owned()
            } else {
                line.on_premises.join(", ")
            },
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
        timeline: timeline_rows(zone, b, parties),
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
