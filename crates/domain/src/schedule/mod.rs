//! Scheduling rules: a centre's opening calendar in its own time zone, what each kind of session
//! needs, the staggered on-site windows that keep parents apart, the never-meet check, series of
//! sessions that keep their wall-clock time across daylight-saving changes, and the search for free
//! times. Pure: the store loads what is busy, these functions decide. One module per rule:
//!
//! - `interval` — a half-open span of time and minutes added to an instant
//! - `calendar` — opening rules, closures, whether a span is open, local times the clocks skip
//! - `settings` — a centre's scheduling settings and the checks before they are saved
//! - `kinds` — what is being booked and what each kind of session needs
//! - `presence` — each party's on-site windows, the never-meet separations, separate entrances
//! - `day_plan` — a session's moments in order (drop-off, talks, pick-up) and who is on the premises
//! - `series` — the sessions of a series as instants
//! - `refusal` — why a session cannot be booked, in words
//! - `search` — the free-time search and the spans a booking takes of a room and of its staff
//! - `changes` — who asked for a booking to be moved
//!
//! Callers name everything as `schedule::Item`; the modules are this file's own arrangement.

mod calendar;
mod changes;
mod day_plan;
#[cfg(test)]
mod fixtures;
mod interval;
mod kinds;
mod presence;
mod refusal;
mod search;
mod series;
mod settings;

pub use calendar::{Calendar, Closure, OpeningRule, WeekRepeat, local_instant};
pub use changes::MoveAsker;
pub use day_plan::{AdultPlan, Moment, TimelineLine, on_premises_at, timeline};
pub use interval::{Interval, add_minutes, any_overlap};
pub use kinds::{Arrivals, BookingKind, Needs, SpaceNeed};
pub use presence::{Attendance, Presence, Separation, on_site_windows, separation_advised};
pub use refusal::Refusal;
pub use search::{
    Busy, HasStart, OFFERS_PER_DAY, PartyConstraint, Slot, SlotSearch, SpaceOption, WorkerOption, room_span, spread,
    staff_span,
};
pub use series::{Repeat, SeriesEnd, SeriesRequest, occurrences};
pub use settings::{LONGEST_MARGIN_MINUTES, LONGEST_SESSION_MINUTES, Settings, StaggerDirection};

/// The most sessions booked at once (two years of weekly sessions). Here because both the series
/// (which stops there) and the refusal (which names it) need it, and neither should need the other.
pub const MOST_OCCURRENCES: u32 = 104;
