//! API: scheduling, one module per thing a user does (issue 25):
//! - `settings`: a centre's scheduling settings, opening hours, closures, entrances and venues
//! - `staff`: staff rosters and leave
//! - `case_setup`: a case's usual workers and never-meet pairs
//! - `booking`: booking sessions and series (409 with what clashed and the nearest free times)
//! - `search`: the free-time search
//! - `changes`: one booking, its status (confirming, cancelling) and moving it
//! - `calendar`: a centre's calendar and a case's sessions
//! - `feeds`: iCalendar feeds
//!
//! Here: what several of them answer with (a booking as shown, a created thing's id).

mod booking;
mod calendar;
mod case_setup;
mod changes;
mod feeds;
mod search;
mod settings;
mod staff;

// Each handler with its OpenAPI description (`__path_…`, made by `utoipa::path`), so that the route
// table and the API document keep naming them `schedule::…`.
pub(crate) use booking::booking_answer;
pub use booking::{__path_book, Alternatives, BookingBody, Failure, Refused, book};
pub use calendar::{__path_case_bookings, __path_centre_calendar, CalendarQuery, case_bookings, centre_calendar};
pub use case_setup::{
    __path_add_never_meet, __path_put_workers, NeverMeetBody, WorkersBody, add_never_meet, put_workers,
};
pub use changes::{
    __path_get_booking, __path_move_booking, __path_set_status, BookingDetail, EventView, MoveBody, PartyPlanView,
    StaffOnBooking, StatusBody, get_booking, move_booking, set_status,
};
pub use feeds::{__path_create_feed, __path_revoke_feed, FeedBody, FeedCreated, create_feed, feed, revoke_feed};
pub use search::{__path_availability, AvailabilityQuery, FreeTime, availability};
pub use settings::{
    __path_add_closure, __path_add_entrance, __path_add_opening, __path_approve_venue, __path_get_settings,
    __path_put_settings, __path_remove_closure, __path_remove_opening, ApprovalBody, ClosureBody, EntranceBody,
    OpeningBody, SettingsBody, add_closure, add_entrance, add_opening, approve_venue, get_settings, put_settings,
    remove_closure, remove_opening,
};
pub use staff::{
    __path_add_leave, __path_list_staff, __path_put_staff, LeaveBody, StaffBody, StaffView, add_leave, list_staff,
    put_staff,
};

use familytime_app::schedule;
use familytime_store::schedule::Booking;
use jiff::tz::TimeZone;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
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
