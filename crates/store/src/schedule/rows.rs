//! What the scheduling modules share: a booking as read back (`Booking`, its status, the row and the
//! select every read of bookings starts from), how far back a search for claims looks, and stored
//! times, dates and weekdays as text.

use crate::{Result, StoreError, ts};
use familytime_domain::Timestamp;
use familytime_domain::ids::{BookingId, CaseId, CentreId};
use familytime_domain::schedule::{Interval, LONGEST_MARGIN_MINUTES, LONGEST_SESSION_MINUTES};
use jiff::civil::{Date, Time, Weekday};

/// How far back a search for overlapping claims must look: nothing claimed longer than this.
pub(crate) const LONGEST_CLAIM_MS: i64 = (LONGEST_SESSION_MINUTES + 2 * LONGEST_MARGIN_MINUTES) * 60_000;

/// Where a booking's status stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingStatus {
    Provisional,
    Confirmed,
    Completed,
    Cancelled,
    NoShow,
    StoppedEarly,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 6] = [
        BookingStatus::Provisional,
        BookingStatus::Confirmed,
        BookingStatus::Completed,
        BookingStatus::Cancelled,
        BookingStatus::NoShow,
        BookingStatus::StoppedEarly,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Provisional => "provisional",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::Completed => "completed",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no_show",
            BookingStatus::StoppedEarly => "stopped_early",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Provisional => "Provisional",
            BookingStatus::Confirmed => "Confirmed",
            BookingStatus::Completed => "Completed",
            BookingStatus::Cancelled => "Cancelled",
            BookingStatus::NoShow => "No-show",
            BookingStatus::StoppedEarly => "Stopped early",
        }
    }
    pub fn parse(text: &str) -> Option<BookingStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
    /// Whether a booking still holds its room, staff and people.
    pub fn is_live(self) -> bool {
        matches!(self, BookingStatus::Provisional | BookingStatus::Confirmed)
    }
    /// The moves a booking may make: provisional → confirmed → completed / no-show / stopped early;
    /// either live status → cancelled. Nothing leaves an ending.
    pub fn may_become(self, next: BookingStatus) -> bool {
        use BookingStatus::*;
        matches!(
            (self, next),
            (Provisional, Confirmed)
                | (Provisional | Confirmed, Cancelled)
                | (Confirmed, Completed | NoShow | StoppedEarly)
        )
    }
}

/// A booking as shown in calendars and on the case.
#[derive(Debug, Clone)]
pub struct Booking {
    pub id: BookingId,
    pub centre_id: CentreId,
    pub centre_name: String,
    pub case_id: Option<CaseId>,
    pub case_reference: Option<String>,
    pub kind: String,
    pub room_id: Option<String>,
    pub room_name: Option<String>,
    pub span: Interval,
    pub status: BookingStatus,
    pub series_id: Option<String>,
    pub video_token: Option<String>,
    pub cancelled_by: Option<String>,
    pub notice_minutes: Option<i64>,
    pub status_reason: Option<String>,
    pub rescheduled_from: Option<String>,
    pub version: i64,
    /// The UID calendars know it by: its own id, or that of the booking it was moved from.
    pub calendar_uid: String,
    /// The iCalendar SEQUENCE: rises with every status change and move (decision 0042).
    pub sequence: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct BookingRow {
    id: String,
    centre_id: String,
    centre_name: String,
    case_id: Option<String>,
    reference: Option<String>,
    kind: String,
    room_id: Option<String>,
    room_name: Option<String>,
    starts_at: i64,
    ends_at: i64,
    status: String,
    series_id: Option<String>,
    video_token: Option<String>,
    cancelled_by: Option<String>,
    notice_minutes: Option<i64>,
    status_reason: Option<String>,
    rescheduled_from: Option<String>,
    version: i64,
    calendar_uid: String,
    sequence: i64,
}

pub(super) const BOOKING_SELECT: &str =
    "SELECT b.id, b.centre_id, c.name AS centre_name, b.case_id, k.reference, b.kind, b.room_id,
        r.name AS room_name, b.starts_at, b.ends_at, b.status, b.series_id, b.video_token, b.cancelled_by,
        b.notice_minutes, b.status_reason, b.rescheduled_from, b.version,
        COALESCE(b.calendar_uid, b.id) AS calendar_uid, b.sequence
    FROM bookings b
    JOIN centres c ON c.organisation_id = b.organisation_id AND c.id = b.centre_id
    LEFT JOIN cases k ON k.organisation_id = b.organisation_id AND k.id = b.case_id
    LEFT JOIN rooms r ON r.organisation_id = b.organisation_id AND r.id = b.room_id";

impl TryFrom<BookingRow> for Booking {
    type Error = StoreError;
    fn try_from(r: BookingRow) -> Result<Self> {
        let bad = || StoreError::Database("unreadable booking row".into());
        Ok(Booking {
            id: BookingId::parse(&r.id).map_err(|_| bad())?,
            centre_id: CentreId::parse(&r.centre_id).map_err(|_| bad())?,
            centre_name: r.centre_name,
            case_id: r.case_id.as_deref().map(CaseId::parse).transpose().map_err(|_| bad())?,
            case_reference: r.reference,
            kind: r.kind,
            room_id: r.room_id,
            room_name: r.room_name,
            span: Interval::new(ts(r.starts_at), ts(r.ends_at)).ok_or_else(bad)?,
            status: BookingStatus::parse(&r.status).ok_or_else(bad)?,
            series_id: r.series_id,
            video_token: r.video_token,
            cancelled_by: r.cancelled_by,
            notice_minutes: r.notice_minutes,
            status_reason: r.status_reason,
            rescheduled_from: r.rescheduled_from,
            version: r.version,
            calendar_uid: r.calendar_uid,
            sequence: r.sequence,
        })
    }
}

pub fn weekday_number(day: Weekday) -> i8 {
    day.to_monday_one_offset()
}

pub fn weekday_from(number: i64) -> Option<Weekday> {
    i8::try_from(number)
        .ok()
        .and_then(|n| Weekday::from_monday_one_offset(n).ok())
}

pub(super) fn hhmm(t: Time) -> String {
    t.strftime("%H:%M").to_string()
}

pub(crate) fn parse_hhmm(text: &str) -> Option<Time> {
    Time::strptime("%H:%M", text).ok()
}

pub(crate) fn parse_date(text: &str) -> Option<Date> {
    text.parse().ok()
}

/// A stored instant (milliseconds) as a timestamp, for callers that read plan rows.
pub fn ts_of(ms: i64) -> Timestamp {
    ts(ms)
}
