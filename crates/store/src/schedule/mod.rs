//! Scheduling in the database: each centre's settings and calendar, staff availability, never-meet
//! pairs, and bookings with their claims. A booking is checked and written in one transaction; on
//! SQLite that transaction holds the only write lock from its first statement, and on PostgreSQL
//! exclusion constraints refuse overlapping claims even between transactions running at once.
//! One module per thing a user does, each adding its own `impl Store`:
//!
//! - `settings` — a centre's scheduling settings, opening hours, closures, entrances, venues
//! - `staff` — staff profiles, weekly hours and leave
//! - `case_setup` — a case's usual workers, party availability, own stagger, never-meet pairs
//! - `booking` — booking a session or a series: claims, locks, the clash check, the rows written
//! - `search` — the free-time search's read of what is busy
//! - `changes` — a booking's own view and history, status changes, cancelling, moving
//! - `calendar` — bookings between two instants, a case's bookings, who is coming and working
//! - `feeds` — iCalendar feeds
//! - `rows` — what they share: a booking as read back, its status, stored times as text
//!
//! Callers name everything as `schedule::Item`; the modules are this file's own arrangement.

mod booking;
mod calendar;
mod case_setup;
mod changes;
mod feeds;
mod rows;
mod search;
mod settings;
mod staff;

pub use booking::{BookingError, Claim, Clash, NewBooking, PairWindow, PartyPlan};
pub(crate) use booking::{is_exclusion_violation, lock_claims, resource_locks};
pub use calendar::{BookedParty, BookedStaff};
pub use case_setup::{CentreAdult, NeverMeetPair};
pub use changes::BookingEvent;
pub(crate) use rows::LONGEST_CLAIM_MS;
pub use rows::{Booking, BookingStatus, ts_of, weekday_from, weekday_number};
pub(crate) use rows::{parse_date, parse_hhmm};
pub(crate) use settings::settings_from;
pub use settings::{PlanningRules, StoredClosure, StoredOpening};
pub use staff::StaffProfile;
