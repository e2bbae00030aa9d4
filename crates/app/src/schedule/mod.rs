//! Scheduling use cases, one module per thing a user does (issue 25). The rules are the domain's
//! (`schedule`); the database holds the no-overlap guarantees.
//! - `settings`: a centre's scheduling settings, opening hours, closures, entrances and venues
//! - `staff`: staff profiles, weekly hours and leave
//! - `case_setup`: a case's usual workers, when its adults can come, never-meet pairs, and where
//!   its pre-visits can be and are held
//! - `booking`: booking one session or a series (whole, or the dates that fail with the nearest
//!   free times)
//! - `search`: finding free times
//! - `changes`: a booking's own view, its status (confirming, cancelling, attending) and moving it
//! - `calendar`: the calendar views, the day's arrival warnings and a case's sessions
//! - `feeds`: iCalendar feeds (`feeds_ics` writes them)
//! - `planner`: what booking, searching and moving share: a case's sessions planned against the
//!   centre's rules, rooms and staff
//!
//! Here: the centre look-up and the date and time readers that several of them use.

mod booking;
mod calendar;
mod case_setup;
mod changes;
mod feeds;
pub(crate) mod feeds_ics;
mod planner;
mod search;
mod settings;
mod staff;

pub use booking::{BookingInput, BookingOutcome, BookingRefused, book, local};
pub use calendar::{CalendarView, arrival_warnings, calendar, case_bookings};
pub use case_setup::{
    AvailabilityInput, CaseLists, add_never_meet, case_lists, never_meet_candidates, pre_visit_choices,
    pre_visit_places, set_case_workers, set_party_availability,
};
pub use changes::{BookingView, StatusInput, booking, reschedule, set_status};
pub use feeds::{FeedAddress, create_feed, feed, revoke_feed};
pub use search::{Alternative, find_times};
pub use settings::{
    CentreSchedule, OpeningInput, SettingsInput, add_closure, add_entrance, add_opening, approve_venue,
    centre_schedule, remove_closure, remove_opening, save_settings,
};
pub use staff::{StaffInput, add_leave, parse_hours, save_staff, staff};

use crate::{AppError, AppState, Caller, authorize, found, parse_id};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::CentreId;
use familytime_domain::text::FieldErrors;
use jiff::civil::{Date, Time};

async fn centre_for(state: &AppState, caller: &Caller, id: &str, action: Action) -> Result<CentreId, AppError> {
    let centre = parse_id(id, CentreId::parse)?;
    let org = caller.user()?.organisation_id;
    found(state, caller, state.store.centre(org, centre).await, "centre", centre).await?;
    authorize(
        state,
        caller,
        action,
        Object::Centre {
            organisation: org,
            centre,
        },
    )
    .await?;
    Ok(centre)
}

fn parse_time(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<Time> {
    errors.take(field, familytime_domain::dates::parse_time(text))
}

fn parse_date(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<Date> {
    errors.take(field, familytime_domain::dates::parse_date(text))
}
