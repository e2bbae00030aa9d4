//! Scheduling rules: a centre's opening calendar in its own time zone, what each kind of session
//! needs, the staggered on-site windows that keep parents apart, the never-meet check, series of
//! sessions that keep their wall-clock time across daylight-saving changes, and the search for free
//! times. Pure: the store loads what is busy, these functions decide.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use crate::referrals::Service;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use std::fmt;

/// A half-open span of time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Interval {
    /// An interval that ends after it starts, or `None`.
    pub fn new(start: Timestamp, end: Timestamp) -> Option<Interval> {
        (end > start).then_some(Interval { start, end })
    }
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn contains(&self, other: &Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn minutes(&self) -> i64 {
        (self.end.as_second() - self.start.as_second()) / 60
    }
    /// The interval moved by a number of minutes (negative moves earlier).
    pub fn shifted(&self, minutes: i64) -> Interval {
        Interval {
            start: add_minutes(self.start, minutes),
            end: add_minutes(self.end, minutes),
        }
    }
}

/// `at` plus some minutes (saturating at the ends of time, which no booking comes near).
pub fn add_minutes(at: Timestamp, minutes: i64) -> Timestamp {
    at.checked_add(minutes.minutes()).unwrap_or(at)
}

/// Whether any interval of `a` overlaps any of `b`.
pub fn any_overlap(a: &[Interval], b: &[Interval]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.overlaps(y)))
}

// ---------------------------------------------------------------------------------------------
// The centre's calendar
// ---------------------------------------------------------------------------------------------

/// Which weeks an opening rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekRepeat {
    Every,
    /// Every other week, counting from the week that holds this date.
    Alternate {
        from: Date,
    },
}

/// "Mondays 09:00–17:00", or "alternate Saturdays 10:00–13:00".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningRule {
    pub weekday: Weekday,
    pub opens: Time,
    pub closes: Time,
    pub repeat: WeekRepeat,
}

impl OpeningRule {
    pub fn applies_on(&self, date: Date) -> bool {
        if date.weekday() != self.weekday {
            return false;
        }
        match self.repeat {
            WeekRepeat::Every => true,
            WeekRepeat::Alternate { from } => {
                let weeks = (monday_of(date) - monday_of(from)).get_days() / 7;
                weeks.rem_euclid(2) == 0
            }
        }
    }
}

fn monday_of(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(back.days()).unwrap_or(date)
}

/// A day or run of days the centre is closed (bank holidays, training days, Christmas).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub first_day: Date,
    pub last_day: Date,
    pub reason: String,
}

/// A centre's opening times and closures in its own time zone.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub zone: TimeZone,
    pub rules: Vec<OpeningRule>,
    pub closures: Vec<Closure>,
}

impl Calendar {
    /// The closure covering a date, if any.
    pub fn closure_on(&self, date: Date) -> Option<&Closure> {
        self.closures.iter().find(|c| c.first_day <= date && date <= c.last_day)
    }

    /// The centre's open intervals on a local date, in order (empty when closed). An opening time
    /// that falls in a daylight-saving gap is taken at the first instant after it.
    pub fn open_on(&self, date: Date) -> Vec<Interval> {
        if self.closure_on(date).is_some() {
            return Vec::new();
        }
        let mut open: Vec<Interval> = self
            .rules
            .iter()
            .filter(|r| r.applies_on(date))
            .filter_map(|r| {
                let start = self
                    .zone
                    .to_ambiguous_timestamp(date.to_datetime(r.opens))
                    .compatible()
                    .ok()?;
                let end = self
                    .zone
                    .to_ambiguous_timestamp(date.to_datetime(r.closes))
                    .compatible()
                    .ok()?;
                Interval::new(start, end)
            })
            .collect();
        open.sort();
        open
    }

    /// The local date an instant falls on.
    pub fn local_date(&self, at: Timestamp) -> Date {
        at.to_zoned(self.zone.clone()).date()
    }

    /// Whether the interval lies inside one opening interval; otherwise why not.
    pub fn check_open(&self, span: &Interval) -> Result<(), Refusal> {
        let date = self.local_date(span.start);
        if let Some(closure) = self.closure_on(date) {
            return Err(Refusal::Closed {
                date,
                reason: closure.reason.clone(),
            });
        }
        if self.open_on(date).iter().any(|open| open.contains(span)) {
            Ok(())
        } else {
            let mut hours: Vec<(Time, Time)> = self
                .rules
                .iter()
                .filter(|r| r.applies_on(date))
                .map(|r| (r.opens, r.closes))
                .collect();
            hours.sort();
            Err(Refusal::OutsideOpeningHours {
                date,
                hours,
                minutes: span.minutes(),
                week: self.describe_hours(),
            })
        }
    }

    /// The weekly opening hours in words, days with the same hours run together: "Monday to
    /// Friday 09:00–17:00; alternate Saturdays 10:00–13:00".
    pub fn describe_hours(&self) -> String {
        use Weekday::*;
        const DAYS: [(Weekday, &str); 7] = [
            (Monday, "Monday"),
            (Tuesday, "Tuesday"),
            (Wednesday, "Wednesday"),
            (Thursday, "Thursday"),
            (Friday, "Friday"),
            (Saturday, "Saturday"),
            (Sunday, "Sunday"),
        ];
        let hours_of = |day: Weekday| {
            let mut rules: Vec<(Time, Time, bool)> = self
                .rules
                .iter()
                .filter(|r| r.weekday == day)
                .map(|r| (r.opens, r.closes, matches!(r.repeat, WeekRepeat::Alternate { .. })))
                .collect();
            rules.sort();
            rules
        };
        // (first day, last day, the hours: opens, closes, alternate weeks)
        type Hours = Vec<(Time, Time, bool)>;
        let mut groups: Vec<(usize, usize, Hours)> = Vec::new();
        for (n, (day, _)) in DAYS.iter().enumerate() {
            let hours = hours_of(*day);
            if hours.is_empty() {
                continue;
            }
            match groups.last_mut() {
                Some((_, last, h)) if *last + 1 == n && *h == hours => *last = n,
                _ => groups.push((n, n, hours)),
            }
        }
        if groups.is_empty() {
            return "no opening hours are set".into();
        }
        groups
            .iter()
            .map(|(first, last, hours)| {
                let alternate = hours.iter().all(|(_, _, alternate)| *alternate);
                let days = match (first == last, alternate) {
                    (true, false) => DAYS[*first].1.to_owned(),
                    (true, true) => format!("alternate {}s", DAYS[*first].1),
                    (false, false) => format!("{} to {}", DAYS[*first].1, DAYS[*last].1),
                    (false, true) => format!("alternate {}s to {}s", DAYS[*first].1, DAYS[*last].1),
                };
                let times: Vec<String> = hours
                    .iter()
                    .map(|(o, c, _)| format!("{}\u{2013}{}", o.strftime("%H:%M"), c.strftime("%H:%M")))
                    .collect();
                format!("{days} {}", times.join(" and "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A local date and time as an instant in the zone, refusing a time that does not exist there
/// (the hour the clocks skip in spring). In the repeated hour of autumn the first is taken.
pub fn local_instant(zone: &TimeZone, at: DateTime) -> Result<Timestamp, Refusal> {
    let ambiguous = zone.to_ambiguous_timestamp(at);
    match ambiguous.offset() {
        AmbiguousOffset::Gap { .. } => Err(Refusal::NonexistentTime { at }),
        _ => ambiguous.compatible().map_err(|_| Refusal::NonexistentTime { at }),
    }
}

// ---------------------------------------------------------------------------------------------
// What a session needs
// ---------------------------------------------------------------------------------------------

/// What is being booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingKind {
    /// A contact session of one of the services.
    Contact(Service),
    /// A pre-visit: one adult, a staff member, a room.
    PreVisit,
    /// A review meeting: one adult or a professional, a staff member, a room.
    Review,
}

impl BookingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingKind::Contact(s) => s.as_str(),
            BookingKind::PreVisit => "pre_visit",
            BookingKind::Review => "review",
        }
    }
    pub fn parse(text: &str) -> Option<BookingKind> {
        match text {
            "pre_visit" => Some(BookingKind::PreVisit),
            "review" => Some(BookingKind::Review),
            other => Service::parse(other).map(BookingKind::Contact),
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            BookingKind::Contact(s) => s.label(),
            BookingKind::PreVisit => "Pre-visit",
            BookingKind::Review => "Review meeting",
        }
    }
    /// The kinds a coordinator can book (letterbox contact has no sessions).
    pub fn bookable() -> Vec<BookingKind> {
        let mut kinds: Vec<BookingKind> = Service::ALL
            .iter()
            .copied()
            .filter(|s| *s != Service::Indirect)
            .map(BookingKind::Contact)
            .collect();
        kinds.push(BookingKind::PreVisit);
        kinds.push(BookingKind::Review);
        kinds
    }

    /// The rules for this kind of session under the centre's settings.
    pub fn needs(self, settings: &Settings) -> Needs {
        use Service::*;
        let (space, staff, qualified, arrivals) = match self {
            BookingKind::Contact(Supervised | Preparatory | LifeStory) => (
                SpaceNeed::FamilyRoom,
                settings.supervisors_required,
                true,
                Arrivals::Staggered,
            ),
            BookingKind::Contact(Supported) => (SpaceNeed::Hall, 1, false, Arrivals::Staggered),
            BookingKind::Contact(Handover) => (SpaceNeed::FamilyRoom, 1, false, Arrivals::Staggered),
            BookingKind::Contact(VirtualSupported) => (SpaceNeed::None, 1, false, Arrivals::OffSite),
            BookingKind::Contact(VirtualSupervised) => (SpaceNeed::None, 1, true, Arrivals::OffSite),
            BookingKind::Contact(Community | Hospital | WelfareCheck) => (
                SpaceNeed::Venue,
                settings.community_staff_required,
                true,
                Arrivals::Staggered,
            ),
            BookingKind::Contact(Indirect) => (SpaceNeed::None, 0, false, Arrivals::OffSite),
            BookingKind::PreVisit | BookingKind::Review => (SpaceNeed::FamilyRoom, 1, false, Arrivals::OneAdult),
        };
        Needs {
            space,
            staff,
            qualified,
            arrivals,
            travel_minutes: if space == SpaceNeed::Venue {
                settings.travel_minutes
            } else {
                0
            },
            video_link: matches!(self, BookingKind::Contact(VirtualSupported | VirtualSupervised)),
        }
    }
}

impl fmt::Display for BookingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The kind of space a session takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceNeed {
    None,
    /// A family room to itself.
    FamilyRoom,
    /// A place in the shared hall, up to its capacity in families.
    Hall,
    /// An approved off-site venue.
    Venue,
}

/// How people come and go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrivals {
    /// The parents arrive and leave at different times (see `on_site_windows`).
    Staggered,
    /// One adult, there for the whole meeting.
    OneAdult,
    /// Nobody comes to the centre (virtual, letterbox).
    OffSite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    pub space: SpaceNeed,
    /// How many staff members (at supported sessions: at least this many, more by the ratio).
    pub staff: u8,
    /// Whether the staff must be qualified to supervise contact.
    pub qualified: bool,
    pub arrivals: Arrivals,
    /// Minutes staff travel each way to an off-site venue.
    pub travel_minutes: i64,
    /// Whether the centre generates a private video link.
    pub video_link: bool,
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/// Who comes first. UK practice: the visiting parent arrives first and leaves last; US practice is
/// the reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaggerDirection {
    VisitingFirst,
    ResidentFirst,
}

impl StaggerDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            StaggerDirection::VisitingFirst => "visiting_first",
            StaggerDirection::ResidentFirst => "resident_first",
        }
    }
    pub fn parse(text: &str) -> Option<StaggerDirection> {
        match text {
            "visiting_first" => Some(StaggerDirection::VisitingFirst),
            "resident_first" => Some(StaggerDirection::ResidentFirst),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StaggerDirection::VisitingFirst => "The visiting parent arrives first and leaves last (UK practice)",
            StaggerDirection::ResidentFirst => "The resident parent arrives first and collects last (US practice)",
        }
    }
}

/// A centre's scheduling settings (a case may override the stagger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub direction: StaggerDirection,
    /// How long before the start the first parent arrives.
    pub arrival_lead_minutes: i64,
    /// How long a parent spends arriving or leaving (entrance, reception, handing over the child).
    pub handover_minutes: i64,
    /// How long after the end the last parent leaves.
    pub departure_delay_minutes: i64,
    /// Minutes a room is kept free after each session.
    pub room_buffer_minutes: i64,
    /// Qualified supervisors at a supervised session (1, or 2 where a centre requires it).
    pub supervisors_required: u8,
    /// Families per staff member or volunteer at a supported session.
    pub families_per_worker: u8,
    /// Staff at community, hospital and welfare visits.
    pub community_staff_required: u8,
    /// Staff travel each way to an off-site venue.
    pub travel_minutes: i64,
    /// The longest a session may be.
    pub longest_session_minutes: i64,
}

impl Default for Settings {
    /// The defaults DOMAIN.md describes: the visiting parent 15 minutes early, waiting 15 after.
    fn default() -> Self {
        Settings {
            direction: StaggerDirection::VisitingFirst,
            arrival_lead_minutes: 15,
            handover_minutes: 10,
            departure_delay_minutes: 15,
            room_buffer_minutes: 15,
            supervisors_required: 1,
            families_per_worker: 3,
            community_staff_required: 2,
            travel_minutes: 30,
            longest_session_minutes: 240,
        }
    }
}

/// The longest any session can be, whatever the settings (the store's searches rely on it).
pub const LONGEST_SESSION_MINUTES: i64 = 8 * 60;
/// The most that can be added around a session (arrivals, departures, buffers, travel).
pub const LONGEST_MARGIN_MINUTES: i64 = 4 * 60;

impl Settings {
    /// Checks settings before they are saved: the gaps must be long enough that two parents are
    /// never in the entrance together.
    pub fn validate(&self) -> Result<(), Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let mut range = |field: &'static str, value: i64, low: i64, high: i64, what: &str| {
            if value < low || value > high {
                problems.push((field, format!("{what} must be between {low} and {high} minutes")));
            }
        };
        range("handover_minutes", self.handover_minutes, 1, 60, "Arriving or leaving");
        range(
            "arrival_lead_minutes",
            self.arrival_lead_minutes,
            1,
            90,
            "The arrival offset",
        );
        range(
            "departure_delay_minutes",
            self.departure_delay_minutes,
            1,
            90,
            "The departure delay",
        );
        range(
            "room_buffer_minutes",
            self.room_buffer_minutes,
            0,
            60,
            "The room buffer",
        );
        range("travel_minutes", self.travel_minutes, 0, 120, "Travel time");
        range(
            "longest_session_minutes",
            self.longest_session_minutes,
            15,
            LONGEST_SESSION_MINUTES,
            "The longest session",
        );
        if self.arrival_lead_minutes < self.handover_minutes {
            problems.push((
                "arrival_lead_minutes",
                "The arrival offset must be at least the time a parent takes to arrive, so the parents are never in the entrance together".into(),
            ));
        }
        if self.departure_delay_minutes < self.handover_minutes {
            problems.push((
                "departure_delay_minutes",
                "The departure delay must be at least the time a parent takes to leave, so the parents are never in the entrance together".into(),
            ));
        }
        if !(1..=2).contains(&self.supervisors_required) {
            problems.push(("supervisors_required", "Supervisors per session must be 1 or 2".into()));
        }
        if !(1..=20).contains(&self.families_per_worker) {
            problems.push((
                "families_per_worker",
                "Families per worker must be between 1 and 20".into(),
            ));
        }
        if !(1..=3).contains(&self.community_staff_required) {
            problems.push((
                "community_staff_required",
                "Staff at off-site visits must be between 1 and 3".into(),
            ));
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// Staff needed for a session (a supported session in a hall is counted by the hall's families).
    pub fn staff_for(&self, needs: &Needs, families_in_hall: u32) -> u32 {
        match needs.space {
            SpaceNeed::Hall => families_in_hall.div_ceil(u32::from(self.families_per_worker)).max(1),
            _ => u32::from(needs.staff),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Staggered arrivals and the never-meet check
// ---------------------------------------------------------------------------------------------

/// How a party takes part in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Brings the child and collects them (the resident parent or carer).
    BringsChild,
    /// Has the contact (the visiting parent or relative).
    HasContact,
    /// Comes to a pre-visit or review alone.
    Alone,
}

/// One party's time on site for a session: the stretches they spend in shared spaces (arriving,
/// leaving, handing over) and the whole span from first arrival to last departure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence<P> {
    pub party: P,
    pub attendance: Attendance,
    /// When they are in the entrance, reception or car park.
    pub moving: Vec<Interval>,
    /// From arrival to departure (for the resident parent: drop-off and collection apart).
    pub on_site: Vec<Interval>,
    /// When they arrive and leave, for the plan.
    pub arrives: Timestamp,
    pub leaves: Timestamp,
}

/// Each party's windows for a session `[start, end)`. Parents of the same case are kept apart by
/// the stretches they spend arriving and leaving (each waits in their own room in between); the
/// settings guarantee those stretches never overlap (see `Settings::validate`).
pub fn on_site_windows<P: Clone>(
    arrivals: Arrivals,
    session: &Interval,
    settings: &Settings,
    parties: &[(P, Attendance)],
) -> Vec<Presence<P>> {
    if arrivals == Arrivals::OffSite {
        return Vec::new();
    }
    let h = settings.handover_minutes;
    let (s, e) = (session.start, session.end);
    let stretch = |at: Timestamp| Interval {
        start: at,
        end: add_minutes(at, h),
    };
    parties
        .iter()
        .map(|(party, attendance)| {
            let attendance = if arrivals == Arrivals::OneAdult {
                Attendance::Alone
            } else {
                *attendance
            };
            let (moving, on_site) = match (attendance, settings.direction) {
                (Attendance::Alone, _) => (
                    vec![stretch(add_minutes(s, -h)), stretch(e)],
                    vec![Interval {
                        start: add_minutes(s, -h),
                        end: add_minutes(e, h),
                    }],
                ),
                // UK: the visitor comes in early and waits; the child is brought at the start,
                // taken home at the end, and the visitor leaves after the delay.
                (Attendance::HasContact, StaggerDirection::VisitingFirst) => {
                    let arrive = add_minutes(s, -settings.arrival_lead_minutes);
                    let leave = add_minutes(e, settings.departure_delay_minutes);
                    (
                        vec![stretch(arrive), stretch(leave)],
                        vec![Interval {
                            start: arrive,
                            end: add_minutes(leave, h),
                        }],
                    )
                }
                (Attendance::BringsChild, StaggerDirection::VisitingFirst) => {
                    (vec![stretch(s), stretch(e)], vec![stretch(s), stretch(e)])
                }
                // US: the child is dropped off early and the resident parent leaves before the
                // visitor arrives; at the end the visitor leaves first.
                (Attendance::BringsChild, StaggerDirection::ResidentFirst) => {
                    let drop = add_minutes(s, -settings.arrival_lead_minutes);
                    let collect = add_minutes(e, settings.departure_delay_minutes);
                    (
                        vec![stretch(drop), stretch(collect)],
                        vec![stretch(drop), stretch(collect)],
                    )
                }
                (Attendance::HasContact, StaggerDirection::ResidentFirst) => (
                    vec![stretch(s), stretch(e)],
                    vec![Interval {
                        start: s,
                        end: add_minutes(e, h),
                    }],
                ),
            };
            let arrives = on_site.iter().map(|i| i.start).min().unwrap_or(s);
            let leaves = on_site.iter().map(|i| i.end).max().unwrap_or(e);
            Presence {
                party: party.clone(),
                attendance,
                moving,
                on_site,
                arrives,
                leaves,
            }
        })
        .collect()
}

/// Why a case's risk calls for the adults to use separate entrances or waiting rooms, if it does:
/// a non-molestation order or an injunction on the case (`order_kinds` are court-order kinds), or
/// domestic abuse or high hostility in its latest risk assessment. The arrival plan warns when such
/// a case's session has none set.
pub fn separation_advised(order_kinds: &[&str], latest_concerns: &[crate::triage::Concern]) -> Option<&'static str> {
    use crate::triage::Concern;
    if order_kinds.contains(&"non_molestation") {
        Some("the case has a non-molestation order")
    } else if order_kinds.contains(&"injunction") {
        Some("the case has an injunction")
    } else if latest_concerns.contains(&Concern::DomesticAbuse) {
        Some("its risk assessment records domestic abuse")
    } else if latest_concerns.contains(&Concern::Hostility) {
        Some("its risk assessment records high hostility between the adults")
    } else {
        None
    }
}

/// Which windows a never-meet pair compares: the two parents of one case are kept apart where
/// they could meet (entrance, reception); a pair a coordinator adds (a non-molestation order
/// against someone in another family) must not be on site at the same time at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Separation {
    SameCase,
    Added,
}

impl Separation {
    pub fn windows<P>(self, presence: &Presence<P>) -> &[Interval] {
        match self {
            Separation::SameCase => &presence.moving,
            Separation::Added => &presence.on_site,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Series
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    Once,
    Weekly,
    Fortnightly,
    FourWeekly,
}

impl Repeat {
    pub fn parse(text: &str) -> Option<Repeat> {
        match text {
            "once" | "" => Some(Repeat::Once),
            "weekly" => Some(Repeat::Weekly),
            "fortnightly" => Some(Repeat::Fortnightly),
            "four_weekly" => Some(Repeat::FourWeekly),
            _ => None,
        }
    }
    pub fn weeks(self) -> i64 {
        match self {
            Repeat::Once => 0,
            Repeat::Weekly => 1,
            Repeat::Fortnightly => 2,
            Repeat::FourWeekly => 4,
        }
    }
}

/// When a series stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesEnd {
    Count(u32),
    Until(Date),
}

/// The most sessions booked at once (two years of weekly sessions).
pub const MOST_OCCURRENCES: u32 = 104;

/// A request for one session or a series, in the centre's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesRequest {
    pub first: DateTime,
    pub minutes: i64,
    pub repeat: Repeat,
    pub end: SeriesEnd,
}

/// The sessions of a series as instants. Each keeps the same local start time, so a weekly 10:00
/// session stays at 10:00 across the clock changes in March and October.
pub fn occurrences(zone: &TimeZone, request: &SeriesRequest, longest: i64) -> Result<Vec<Interval>, Refusal> {
    if request.minutes <= 0 {
        return Err(Refusal::EndsBeforeStart);
    }
    if request.minutes > longest {
        return Err(Refusal::TooLong { longest });
    }
    let dates = occurrence_dates(request)?;
    dates
        .into_iter()
        .map(|date| {
            let start = local_instant(zone, date.to_datetime(request.first.time()))?;
            let end = local_instant(
                zone,
                date.to_datetime(request.first.time())
                    .checked_add(request.minutes.minutes())
                    .map_err(|_| Refusal::EndsBeforeStart)?,
            )?;
            Interval::new(start, end).ok_or(Refusal::EndsBeforeStart)
        })
        .collect()
}

fn occurrence_dates(request: &SeriesRequest) -> Result<Vec<Date>, Refusal> {
    let first = request.first.date();
    let step = request.repeat.weeks() * 7;
    let nth = |n: i64| first.checked_add((n * step).days()).ok();
    if request.repeat == Repeat::Once {
        return Ok(vec![first]);
    }
    let dates: Vec<Date> = match request.end {
        SeriesEnd::Count(n) => {
            if n == 0 || n > MOST_OCCURRENCES {
                return Err(Refusal::Occurrences);
            }
            (0..i64::from(n)).filter_map(nth).collect()
        }
        SeriesEnd::Until(last) => {
            if last < first {
                return Err(Refusal::EndsBeforeStart);
            }
            let mut out = Vec::new();
            let mut n = 0;
            while let Some(date) = nth(n) {
                if date > last {
                    break;
                }
                out.push(date);
                if out.len() > MOST_OCCURRENCES as usize {
                    return Err(Refusal::Occurrences);
                }
                n += 1;
            }
            out
        }
    };
    Ok(dates)
}

// ---------------------------------------------------------------------------------------------
// Why a booking is refused
// ---------------------------------------------------------------------------------------------

/// A reason a session cannot be booked, in words a coordinator can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    EndsBeforeStart,
    TooLong {
        longest: i64,
    },
    Occurrences,
    NonexistentTime {
        at: DateTime,
    },
    Closed {
        date: Date,
        reason: String,
    },
    /// Outside the opening hours: the day's opening intervals (empty when it is not open that day)
    /// and the session's length, so the refusal can name the hours and the latest start.
    OutsideOpeningHours {
        date: Date,
        hours: Vec<(Time, Time)>,
        minutes: i64,
        /// The week's opening hours in words ("Monday to Friday 09:00–17:00").
        week: String,
    },
    NotBookable,
    NoSpace,
    WrongSpace,
    RoomInactive,
    VenueNotApproved,
    NotEnoughStaff {
        needed: u32,
    },
    StaffNotQualified {
        name: String,
    },
    StaffUnavailable {
        name: String,
    },
    NoParties,
    CaseNotReady,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::EndsBeforeStart => f.write_str("The session must end after it starts"),
            Refusal::TooLong { longest } => write!(f, "A session can be at most {longest} minutes"),
            Refusal::Occurrences => write!(f, "A series must have between 1 and {MOST_OCCURRENCES} sessions"),
            Refusal::NonexistentTime { at } => write!(
                f,
                "{} at {} does not exist in the centre's time zone (the clocks go forward)",
                at.date(),
                at.time().strftime("%H:%M")
            ),
            Refusal::Closed { date, reason } => write!(f, "The centre is closed on {date} ({reason})"),
            Refusal::OutsideOpeningHours {
                date,
                hours,
                minutes,
                week,
            } => {
                let day = date.strftime("%A %-d %B %Y");
                if hours.is_empty() {
                    return write!(
                        f,
                        "The centre is not open on {day}, so this is outside the centre's opening hours: it is open {week}"
                    );
                }
                let open: Vec<String> = hours
                    .iter()
                    .map(|(o, c)| format!("{}–{}", o.strftime("%H:%M"), c.strftime("%H:%M")))
                    .collect();
                let latest: Vec<String> = hours
                    .iter()
                    .filter_map(|(o, c)| {
                        let start = c.checked_sub(minutes.minutes()).ok()?;
                        (start >= *o && *c > *o && start < *c).then(|| start.strftime("%H:%M").to_string())
                    })
                    .collect();
                write!(
                    f,
                    "On {day} this is outside the centre's opening hours ({})",
                    open.join(" and ")
                )?;
                match latest.last() {
                    Some(latest) => write!(
                        f,
                        "; a {minutes}-minute session starts by {latest} at the latest. The centre is open {week}"
                    ),
                    None => write!(
                        f,
                        "; a {minutes}-minute session is longer than it is open. The centre is open {week}"
                    ),
                }
            }
            Refusal::NotBookable => f.write_str("Letterbox contact has no sessions to book"),
            Refusal::NoSpace => f.write_str("Choose a room, the hall or a venue for this session"),
            Refusal::WrongSpace => f.write_str("That space is not the right kind for this session"),
            Refusal::RoomInactive => f.write_str("That room is closed"),
            Refusal::VenueNotApproved => f.write_str("That venue has not been approved for contact"),
            Refusal::NotEnoughStaff { needed } => write!(f, "This session needs {needed} staff"),
            Refusal::StaffNotQualified { name } => {
                write!(f, "{name} is not qualified to supervise contact")
            }
            Refusal::StaffUnavailable { name } => write!(f, "{name} is not working then"),
            Refusal::NoParties => f.write_str("Choose who is coming"),
            Refusal::CaseNotReady => f.write_str("Sessions can be booked once the case is accepted or active"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Finding free times
// ---------------------------------------------------------------------------------------------

/// Busy intervals of one resource, sorted by start, for quick "is it free?" questions.
#[derive(Debug, Clone, Default)]
pub struct Busy {
    intervals: Vec<Interval>,
    longest: i64,
}

impl Busy {
    pub fn new(mut intervals: Vec<Interval>) -> Busy {
        intervals.sort();
        let longest = intervals
            .iter()
            .map(|i| i.end.as_second() - i.start.as_second())
            .max()
            .unwrap_or(0);
        Busy { intervals, longest }
    }
    /// How many busy intervals overlap `span` (a hall counts its families this way).
    pub fn count_overlapping(&self, span: &Interval) -> usize {
        // Nothing that starts earlier than span.start - longest can reach span.
        let from = span.start.as_second() - self.longest;
        let first = self.intervals.partition_point(|i| i.start.as_second() < from);
        self.intervals[first..]
            .iter()
            .take_while(|i| i.start < span.end)
            .filter(|i| i.overlaps(span))
            .count()
    }
    pub fn is_free(&self, span: &Interval) -> bool {
        self.count_overlapping(span) == 0
    }
}

/// A room, hall or venue that could hold the session.
#[derive(Debug, Clone)]
pub struct SpaceOption<R> {
    pub id: R,
    /// Families it holds at once (1 for a family room).
    pub capacity: u32,
    pub busy: Busy,
}

/// A staff member who could work the session.
#[derive(Debug, Clone)]
pub struct WorkerOption<U> {
    pub id: U,
    /// When they work (their weekly availability, less leave), as instants.
    pub working: Vec<Interval>,
    pub busy: Busy,
    /// One of the family's usual workers.
    pub usual: bool,
}

impl<U> WorkerOption<U> {
    pub fn works_through(&self, span: &Interval) -> bool {
        self.working.iter().any(|w| w.contains(span))
    }
}

/// A party's constraints: their own bookings, the stated times they can come (empty: any time), and
/// the busy windows of the people they must never meet at this site.
#[derive(Debug, Clone)]
pub struct PartyConstraint<P> {
    pub id: P,
    pub attendance: Attendance,
    pub busy: Busy,
    pub available: Vec<Interval>,
    /// Windows of others they must not meet, by which of their windows is compared.
    pub avoid: Vec<(Separation, Busy)>,
}

/// Everything the search needs, for one case and kind of session.
#[derive(Debug, Clone)]
pub struct SlotSearch<R, U, P> {
    pub calendar: Calendar,
    pub settings: Settings,
    pub needs: Needs,
    pub minutes: i64,
    /// The first instant a slot may start.
    pub from: Timestamp,
    pub days: u32,
    pub step_minutes: i64,
    pub spaces: Vec<SpaceOption<R>>,
    pub workers: Vec<WorkerOption<U>>,
    pub parties: Vec<PartyConstraint<P>>,
    pub children: Vec<Busy>,
}

/// A free time, with the space and staff that would take it (usual workers first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot<R, U> {
    pub span: Interval,
    pub space: Option<R>,
    pub workers: Vec<U>,
}

impl<R: Clone, U: Clone, P: Clone> SlotSearch<R, U, P> {
    /// The first `want` free times, earliest first, at most one per opening interval per start step.
    pub fn find(&self, want: usize) -> Vec<Slot<R, U>> {
        let mut found = Vec::new();
        let first_day = self.calendar.local_date(self.from);
        for offset in 0..i64::from(self.days) {
            let Ok(date) = first_day.checked_add(offset.days()) else {
                break;
            };
            for open in self.calendar.open_on(date) {
                let mut start = open.start.max(self.from);
                start = round_up(start, self.step_minutes);
                while add_minutes(start, self.minutes) <= open.end {
                    let span = Interval {
                        start,
                        end: add_minutes(start, self.minutes),
                    };
                    if let Some(slot) = self.try_slot(&span) {
                        found.push(slot);
                        if found.len() >= want {
                            return found;
                        }
                    }
                    start = add_minutes(start, self.step_minutes);
                }
            }
        }
        found
    }

    /// Up to `want` free times spread over the whole range rather than bunched at its start: at
    /// most [`OFFERS_PER_DAY`] a day (the first free time and the next one after it ends), and when
    /// more days have a free time than are wanted, days chosen evenly across the range. With a
    /// series (`repeat` other than once, `count` sessions), a time is offered only when every
    /// session of the series at that same local time is inside the opening hours and free, with the
    /// same room and staff throughout. Each day stops at its second offer, so the cost stays that of
    /// the window, not of its history.
    pub fn find_spread(&self, want: usize, repeat: Repeat, count: u32) -> Vec<Slot<R, U>>
    where
        R: PartialEq,
        U: PartialEq,
    {
        if want == 0 {
            return Vec::new();
        }
        let mut days: Vec<Vec<Slot<R, U>>> = Vec::new();
        let first_day = self.calendar.local_date(self.from);
        for offset in 0..i64::from(self.days) {
            let Ok(date) = first_day.checked_add(offset.days()) else {
                break;
            };
            let mut today: Vec<Slot<R, U>> = Vec::new();
            'day: for open in self.calendar.open_on(date) {
                let mut start = round_up(open.start.max(self.from), self.step_minutes);
                while add_minutes(start, self.minutes) <= open.end {
                    let span = Interval {
                        start,
                        end: add_minutes(start, self.minutes),
                    };
                    let after_last = today.last().is_none_or(|last| span.start >= last.span.end);
                    if after_last && let Some(slot) = self.try_series(&span, repeat, count) {
                        today.push(slot);
                        if today.len() >= OFFERS_PER_DAY {
                            break 'day;
                        }
                    }
                    start = add_minutes(start, self.step_minutes);
                }
            }
            if !today.is_empty() {
                days.push(today);
            }
        }
        spread(days, want)
    }

    /// The slot at `span` when it and, for a series, every later session at the same local time
    /// can be booked with the same room and staff.
    fn try_series(&self, span: &Interval, repeat: Repeat, count: u32) -> Option<Slot<R, U>>
    where
        R: PartialEq,
        U: PartialEq,
    {
        let slot = self.try_slot(span)?;
        if repeat == Repeat::Once || count <= 1 {
            return Some(slot);
        }
        let first = span.start.to_zoned(self.calendar.zone.clone()).datetime();
        let request = SeriesRequest {
            first,
            minutes: self.minutes,
            repeat,
            end: SeriesEnd::Count(count),
        };
        let sessions = occurrences(&self.calendar.zone, &request, self.minutes).ok()?;
        for later in sessions.iter().skip(1) {
            self.calendar.check_open(later).ok()?;
            let other = self.try_slot(later)?;
            if other.space != slot.space || other.workers != slot.workers {
                return None;
            }
        }
        Some(slot)
    }

    /// The space and staff for a session at `span`, if everything needed is free.
    pub fn try_slot(&self, span: &Interval) -> Option<Slot<R, U>> {
        let staff_span = staff_span(span, &self.settings, &self.needs);
        if !self.children.iter().all(|c| c.is_free(span)) {
            return None;
        }
        let windows = on_site_windows(
            self.needs.arrivals,
            span,
            &self.settings,
            &self
                .parties
                .iter()
                .map(|p| (p.id.clone(), p.attendance))
                .collect::<Vec<_>>(),
        );
        for party in &self.parties {
            if !party.busy.is_free(&staff_span) {
                return None;
            }
            if !party.available.is_empty() && !party.available.iter().any(|a| a.contains(span)) {
                return None;
            }
        }
        // `on_site_windows` keeps the order of the parties it is given.
        for (party, presence) in self.parties.iter().zip(&windows) {
            for (separation, others) in &party.avoid {
                if separation.windows(presence).iter().any(|w| !others.is_free(w)) {
                    return None;
                }
            }
        }
        let space = match self.needs.space {
            SpaceNeed::None => None,
            _ => {
                let room_span = room_span(span, &self.settings);
                let chosen = self
                    .spaces
                    .iter()
                    .find(|s| s.busy.count_overlapping(&room_span) < s.capacity as usize)?;
                Some(chosen.id.clone())
            }
        };
        let needed = self.settings.staff_for(&self.needs, 1) as usize;
        let mut free: Vec<&WorkerOption<U>> = self
            .workers
            .iter()
            .filter(|w| w.works_through(&staff_span) && w.busy.is_free(&staff_span))
            .collect();
        if free.len() < needed {
            return None;
        }
        free.sort_by_key(|w| !w.usual);
        Some(Slot {
            span: *span,
            space,
            workers: free.into_iter().take(needed).map(|w| w.id.clone()).collect(),
        })
    }
}

/// How many free times the spread search offers on one day at most.
pub const OFFERS_PER_DAY: usize = 2;

/// Picks up to `want` offers from each day's offers (days in order, each day's in order): when
/// there are at least `want` days, one offer from each of `want` days chosen evenly across them;
/// otherwise every day's first offer, then second offers from the earliest days. Earliest first.
pub fn spread<T: HasStart>(days: Vec<Vec<T>>, want: usize) -> Vec<T> {
    let n = days.len();
    if n == 0 || want == 0 {
        return Vec::new();
    }
    let mut picked: Vec<T> = Vec::new();
    if n >= want {
        let mut chosen = vec![false; n];
        for i in 0..want {
            chosen[i * n / want] = true;
        }
        for (day, keep) in days.into_iter().zip(chosen) {
            if keep && let Some(first) = day.into_iter().next() {
                picked.push(first);
            }
        }
        return picked;
    }
    let mut extra_room = want - n;
    for day in days {
        for (i, offer) in day.into_iter().enumerate() {
            if i == 0 {
                picked.push(offer);
            } else if extra_room > 0 {
                picked.push(offer);
                extra_room -= 1;
            }
        }
    }
    picked.sort_by_key(|o| o.start());
    picked
}

/// Something that starts at an instant (a free time), for sorting offers.
pub trait HasStart {
    fn start(&self) -> Timestamp;
}

impl<R, U> HasStart for Slot<R, U> {
    fn start(&self) -> Timestamp {
        self.span.start
    }
}

/// When a room is taken: the session and the buffer after it.
pub fn room_span(session: &Interval, settings: &Settings) -> Interval {
    Interval {
        start: session.start,
        end: add_minutes(session.end, settings.room_buffer_minutes),
    }
}

/// When staff are taken: from the first arrival to the last departure, plus travel each way.
pub fn staff_span(session: &Interval, settings: &Settings, needs: &Needs) -> Interval {
    let (before, after) = match needs.arrivals {
        Arrivals::OffSite => (0, 0),
        _ => (
            settings.arrival_lead_minutes.max(settings.handover_minutes),
            settings.departure_delay_minutes + settings.handover_minutes,
        ),
    };
    Interval {
        start: add_minutes(session.start, -(before + needs.travel_minutes)),
        end: add_minutes(session.end, after + needs.travel_minutes),
    }
}

fn round_up(at: Timestamp, step_minutes: i64) -> Timestamp {
    let step = step_minutes.max(1) * 60;
    let s = at.as_second();
    let rounded = (s + step - 1).div_euclid(step) * step;
    Timestamp::from_second(rounded).unwrap_or(at)
}

/// Who asked for a session to be moved to another time. The old time is recorded as cancelled by
/// them, never by the centre unless the centre asked, so the history says whose request it was.
/// A move forfeits nothing whoever asked (the session still happens): the old time's charges are
/// taken back and the new time carries its own (docs/decisions/0027).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveAsker {
    Centre,
    Resident,
    Visiting,
    Other,
}

crate::referrals::named!(MoveAsker,
    Centre => "centre", "The centre";
    Resident => "resident", "The resident parent";
    Visiting => "visiting", "The visiting parent";
    Other => "other", "Someone else (a court or the referrer)";
);

impl MoveAsker {
    /// Reads who asked, as the form or the API sends it; the message names what to choose.
    pub fn parse_asked(text: &str) -> Result<MoveAsker, &'static str> {
        MoveAsker::parse(text.trim())
            .ok_or("Say who asked for the move: the centre, the resident parent, the visiting parent or someone else")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    fn weekdays_nine_to_five() -> Vec<OpeningRule> {
        [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ]
        .into_iter()
        .map(|weekday| OpeningRule {
            weekday,
            opens: Time::constant(9, 0, 0, 0),
            closes: Time::constant(17, 0, 0, 0),
            repeat: WeekRepeat::Every,
        })
        .collect()
    }

    fn calendar() -> Calendar {
        let mut rules = weekdays_nine_to_five();
        for (opens, closes) in [(10, 13), (14, 17)] {
            rules.push(OpeningRule {
                weekday: Weekday::Saturday,
                opens: Time::constant(opens, 0, 0, 0),
                closes: Time::constant(closes, 0, 0, 0),
                repeat: WeekRepeat::Alternate {
                    from: date(2026, 11, 7),
                },
            });
        }
        Calendar {
            zone: london(),
            rules,
            closures: vec![Closure {
                first_day: date(2026, 12, 25),
                last_day: date(2026, 12, 26),
                reason: "Christmas".into(),
            }],
        }
    }

    fn at(zone: &TimeZone, d: Date, h: i8, m: i8) -> Timestamp {
        local_instant(zone, d.at(h, m, 0, 0)).unwrap()
    }

    fn span(zone: &TimeZone, d: Date, h: i8, minutes: i64) -> Interval {
        let start = at(zone, d, h, 0);
        Interval::new(start, add_minutes(start, minutes)).unwrap()
    }

    #[test]
    fn separate_entrances_are_advised_for_orders_and_abuse_not_for_every_case() {
        use crate::triage::Concern;
        assert!(separation_advised(&["non_molestation"], &[]).is_some_and(|w| w.contains("non-molestation")));
        assert!(separation_advised(&["child_arrangements", "injunction"], &[]).is_some());
        assert!(separation_advised(&[], &[Concern::DomesticAbuse]).is_some());
        assert!(separation_advised(&[], &[Concern::Hostility]).is_some());
        assert_eq!(separation_advised(&["child_arrangements"], &[Concern::LongGap]), None);
    }

    #[test]
    fn opening_hours_are_described_with_days_of_the_same_hours_together() {
        assert_eq!(
            calendar().describe_hours(),
            "Monday to Friday 09:00\u{2013}17:00; alternate Saturdays 10:00\u{2013}13:00 and 14:00\u{2013}17:00"
        );
        let closed = Calendar {
            zone: london(),
            rules: Vec::new(),
            closures: Vec::new(),
        };
        assert_eq!(closed.describe_hours(), "no opening hours are set");
    }

    #[test]
    fn alternate_saturdays_and_closures_follow_the_calendar() {
        let cal = calendar();
        assert_eq!(
            cal.open_on(date(2026, 11, 7)).len(),
            2,
            "the anchor Saturday has two sessions"
        );
        assert!(
            cal.open_on(date(2026, 11, 14)).is_empty(),
            "the next Saturday is closed"
        );
        assert_eq!(cal.open_on(date(2026, 11, 21)).len(), 2);
        assert!(cal.open_on(date(2026, 11, 22)).is_empty(), "Sunday");
        assert!(cal.open_on(date(2026, 12, 25)).is_empty(), "Christmas");
        let z = london();
        assert_eq!(cal.check_open(&span(&z, date(2026, 11, 23), 10, 120)), Ok(()));
        assert_eq!(
            cal.check_open(&span(&z, date(2026, 11, 23), 16, 120)),
            Err(Refusal::OutsideOpeningHours {
                date: date(2026, 11, 23),
                hours: vec![(Time::constant(9, 0, 0, 0), Time::constant(17, 0, 0, 0))],
                minutes: 120,
                week: cal.describe_hours(),
            })
        );
        assert!(matches!(
            cal.check_open(&span(&z, date(2026, 12, 25), 10, 60)),
            Err(Refusal::Closed { .. })
        ));
        // Across the lunch break on an open Saturday: not inside one opening interval.
        assert!(cal.check_open(&span(&z, date(2026, 11, 7), 12, 120)).is_err());
    }

    #[test]
    fn a_weekly_series_keeps_its_wall_clock_time_across_both_clock_changes() {
        let z = london();
        // Saturdays from 20 March 2027: the clocks go forward on Sunday 28 March.
        let spring = SeriesRequest {
            first: date(2027, 3, 20).at(10, 0, 0, 0),
            minutes: 120,
            repeat: Repeat::Weekly,
            end: SeriesEnd::Count(3),
        };
        let sessions = occurrences(&z, &spring, 240).unwrap();
        for s in &sessions {
            let local = s.start.to_zoned(z.clone());
            assert_eq!((local.hour(), local.minute()), (10, 0));
            assert_eq!(s.minutes(), 120);
        }
        assert_eq!(
            sessions[2].start.as_second() - sessions[1].start.as_second(),
            7 * 24 * 3600 - 3600,
            "one hour less in UTC across the spring change"
        );
        // The last Sunday of October 2027 is the 31st.
        let autumn = SeriesRequest {
            first: date(2027, 10, 23).at(10, 0, 0, 0),
            minutes: 120,
            repeat: Repeat::Weekly,
            end: SeriesEnd::Until(date(2027, 11, 6)),
        };
        let sessions = occurrences(&z, &autumn, 240).unwrap();
        assert_eq!(sessions.len(), 3);
        for s in &sessions {
            assert_eq!(s.start.to_zoned(z.clone()).hour(), 10);
        }
        assert_eq!(
            sessions[2].start.as_second() - sessions[1].start.as_second(),
            7 * 24 * 3600 + 3600
        );
    }

    #[test]
    fn a_time_the_clocks_skip_is_refused_and_bad_series_are_refused() {
        let z = london();
        let skipped = SeriesRequest {
            first: date(2027, 3, 28).at(1, 30, 0, 0),
            minutes: 60,
            repeat: Repeat::Once,
            end: SeriesEnd::Count(1),
        };
        let refusal = occurrences(&z, &skipped, 240).unwrap_err();
        assert!(matches!(refusal, Refusal::NonexistentTime { .. }));
        assert!(refusal.to_string().contains("does not exist"));
        let base = SeriesRequest {
            first: date(2027, 1, 4).at(10, 0, 0, 0),
            minutes: 60,
            repeat: Repeat::Weekly,
            end: SeriesEnd::Count(0),
        };
        assert_eq!(occurrences(&z, &base, 240), Err(Refusal::Occurrences));
        let huge = SeriesRequest {
            end: SeriesEnd::Count(10_000),
            ..base
        };
        assert_eq!(occurrences(&z, &huge, 240), Err(Refusal::Occurrences));
        let backwards = SeriesRequest {
            minutes: -30,
            end: SeriesEnd::Count(2),
            ..base
        };
        assert_eq!(occurrences(&z, &backwards, 240), Err(Refusal::EndsBeforeStart));
        let long = SeriesRequest {
            minutes: 600,
            end: SeriesEnd::Count(2),
            ..base
        };
        assert_eq!(occurrences(&z, &long, 240), Err(Refusal::TooLong { longest: 240 }));
        let fortnightly = SeriesRequest {
            repeat: Repeat::Fortnightly,
            end: SeriesEnd::Count(6),
            ..base
        };
        let sessions = occurrences(&z, &fortnightly, 240).unwrap();
        assert_eq!(sessions.len(), 6);
        assert_eq!(z.to_datetime(sessions[5].start).date(), date(2027, 3, 15));
    }

    #[test]
    fn settings_must_keep_the_entrance_clear() {
        assert_eq!(Settings::default().validate(), Ok(()));
        let tight = Settings {
            arrival_lead_minutes: 5,
            handover_minutes: 10,
            ..Settings::default()
        };
        let problems = tight.validate().unwrap_err();
        assert!(problems.iter().any(|(f, _)| *f == "arrival_lead_minutes"));
        let three = Settings {
            supervisors_required: 3,
            ..Settings::default()
        };
        assert!(three.validate().is_err());
    }

    #[test]
    fn uk_and_us_staggers_run_in_opposite_directions() {
        let z = london();
        let session = span(&z, date(2026, 11, 23), 10, 120);
        let parties = [
            ("resident", Attendance::BringsChild),
            ("visiting", Attendance::HasContact),
        ];
        let uk = on_site_windows(Arrivals::Staggered, &session, &Settings::default(), &parties);
        assert!(uk[1].arrives < uk[0].arrives, "UK: the visiting parent arrives first");
        assert!(uk[1].leaves > uk[0].leaves, "UK: and leaves last");
        let us_settings = Settings {
            direction: StaggerDirection::ResidentFirst,
            ..Settings::default()
        };
        let us = on_site_windows(Arrivals::Staggered, &session, &us_settings, &parties);
        assert!(us[0].arrives < us[1].arrives, "US: the resident parent arrives first");
        assert!(us[0].leaves > us[1].leaves, "US: and collects last");
        assert!(on_site_windows(Arrivals::OffSite, &session, &us_settings, &parties).is_empty());
    }

    fn settings_strategy() -> impl Strategy<Value = Settings> {
        (1i64..30, 0i64..40, 0i64..40, any::<bool>()).prop_map(|(h, lead_extra, delay_extra, uk)| Settings {
            direction: if uk {
                StaggerDirection::VisitingFirst
            } else {
                StaggerDirection::ResidentFirst
            },
            handover_minutes: h,
            arrival_lead_minutes: h + lead_extra,
            departure_delay_minutes: h + delay_extra,
            ..Settings::default()
        })
    }

    proptest! {
        /// For any settings that validate, the two parents of a case are never in the shared
        /// spaces at the same time.
        #[test]
        fn never_meet_parents_of_a_case_never_share_the_entrance(
            settings in settings_strategy(),
            start_minute in 0i64..(60 * 24 * 400),
            minutes in 15i64..240,
        ) {
            prop_assume!(settings.validate().is_ok());
            let start = add_minutes(Timestamp::from_second(1_790_000_000).unwrap(), start_minute);
            let session = Interval::new(start, add_minutes(start, minutes)).unwrap();
            let w = on_site_windows(
                Arrivals::Staggered,
                &session,
                &settings,
                &[("r", Attendance::BringsChild), ("v", Attendance::HasContact)],
            );
            prop_assert!(!any_overlap(&w[0].moving, &w[1].moving));
        }

        /// A free time the search offers never overlaps anything busy: the party's own bookings,
        /// the windows of someone they must not meet, the room's bookings or the worker's.
        #[test]
        fn never_meet_search_offers_only_times_that_keep_people_apart(
            busy_starts in proptest::collection::vec(0i64..(60 * 24 * 14), 0..40),
            lengths in proptest::collection::vec(15i64..180, 40),
        ) {
            let z = london();
            let from = at(&z, date(2026, 11, 23), 0, 0);
            let busy: Vec<Interval> = busy_starts
                .iter()
                .zip(&lengths)
                .map(|(s, l)| Interval::new(add_minutes(from, *s), add_minutes(from, s + l)).unwrap())
                .collect();
            let settings = Settings::default();
            let needs = BookingKind::Contact(Service::Supervised).needs(&settings);
            let everything = vec![Interval::new(from, add_minutes(from, 60 * 24 * 30)).unwrap()];
            let search = SlotSearch {
                calendar: calendar(),
                settings,
                needs,
                minutes: 120,
                from,
                days: 14,
                step_minutes: 15,
                spaces: vec![SpaceOption { id: "room", capacity: 1, busy: Busy::new(busy.clone()) }],
                workers: vec![WorkerOption { id: "sam", working: everything, busy: Busy::new(busy.clone()), usual: true }],
                parties: vec![
                    PartyConstraint { id: "r", attendance: Attendance::BringsChild, busy: Busy::default(), available: vec![], avoid: vec![] },
                    PartyConstraint { id: "v", attendance: Attendance::HasContact, busy: Busy::default(), available: vec![],
                        avoid: vec![(Separation::Added, Busy::new(busy.clone()))] },
                ],
                children: vec![],
            };
            for slot in search.find(20) {
                prop_assert!(calendar().check_open(&slot.span).is_ok());
                let room = room_span(&slot.span, &settings);
                prop_assert!(busy.iter().all(|b| !b.overlaps(&room)));
                let w = on_site_windows(needs.arrivals, &slot.span, &settings,
                    &[("r", Attendance::BringsChild), ("v", Attendance::HasContact)]);
                prop_assert!(!any_overlap(&w[1].on_site, &busy));
            }
        }
    }

    #[test]
    fn the_search_prefers_usual_workers_and_fills_a_hall_to_capacity() {
        let z = london();
        let from = at(&z, date(2026, 11, 23), 0, 0);
        let settings = Settings::default();
        let needs = BookingKind::Contact(Service::Supported).needs(&settings);
        let everything = vec![Interval::new(from, add_minutes(from, 60 * 24 * 30)).unwrap()];
        let ten = span(&z, date(2026, 11, 23), 10, 120);
        let hall_busy = Busy::new(vec![ten, ten]);
        let search: SlotSearch<&str, &str, &str> = SlotSearch {
            calendar: calendar(),
            settings,
            needs,
            minutes: 120,
            from: ten.start,
            days: 1,
            step_minutes: 15,
            spaces: vec![SpaceOption {
                id: "hall",
                capacity: 3,
                busy: hall_busy,
            }],
            workers: vec![
                WorkerOption {
                    id: "new",
                    working: everything.clone(),
                    busy: Busy::default(),
                    usual: false,
                },
                WorkerOption {
                    id: "usual",
                    working: everything,
                    busy: Busy::default(),
                    usual: true,
                },
            ],
            parties: vec![],
            children: vec![],
        };
        let slots = search.find(1);
        assert_eq!(slots[0].span, ten, "a third family fits in a hall for three");
        assert_eq!(slots[0].workers, vec!["usual"]);
        let full = SlotSearch {
            spaces: vec![SpaceOption {
                id: "hall",
                capacity: 2,
                busy: Busy::new(vec![ten, ten]),
            }],
            ..search
        };
        assert!(full.find(1)[0].span.start > ten.start, "a full hall is skipped");
    }

    /// A quiet month: one family room, one worker who works all the time.
    fn quiet_month(from: Timestamp, days: u32) -> SlotSearch<&'static str, &'static str, &'static str> {
        let settings = Settings::default();
        let everything = vec![Interval::new(add_minutes(from, -60 * 24), add_minutes(from, 60 * 24 * 200)).unwrap()];
        SlotSearch {
            calendar: calendar(),
            settings,
            needs: BookingKind::Contact(Service::Supervised).needs(&settings),
            minutes: 120,
            from,
            days,
            step_minutes: 15,
            spaces: vec![SpaceOption {
                id: "room",
                capacity: 1,
                busy: Busy::default(),
            }],
            workers: vec![WorkerOption {
                id: "sam",
                working: everything,
                busy: Busy::default(),
                usual: true,
            }],
            parties: vec![],
            children: vec![],
        }
    }

    #[test]
    fn the_spread_search_offers_times_across_the_range_not_one_morning() {
        let z = london();
        let from = at(&z, date(2026, 11, 23), 0, 0);
        let search = quiet_month(from, 28);
        let bunched = search.find(10);
        let days_of = |slots: &[Slot<&str, &str>]| {
            let mut days: Vec<Date> = slots.iter().map(|s| s.span.start.to_zoned(z.clone()).date()).collect();
            days.dedup();
            days
        };
        assert_eq!(
            days_of(&bunched).len(),
            1,
            "the first-come search fills one morning (the control)"
        );
        let offers = search.find_spread(10, Repeat::Once, 1);
        assert_eq!(offers.len(), 10);
        let days = days_of(&offers);
        assert_eq!(
            days.len(),
            10,
            "one offer a day when the range has more open days than offers"
        );
        let first = *days.first().unwrap();
        let last = *days.last().unwrap();
        assert!(
            (last - first).get_days() >= 21,
            "spread over the four weeks: {first} to {last}"
        );
        assert!(
            offers.windows(2).all(|w| w[0].span.start < w[1].span.start),
            "earliest first"
        );
        for o in &offers {
            assert_eq!(search.calendar.check_open(&o.span), Ok(()));
        }
        // Fewer open days than offers wanted: at most two a day, not overlapping.
        let two_days = quiet_month(from, 2).find_spread(10, Repeat::Once, 1);
        assert_eq!(two_days.len(), 4);
        assert_eq!(days_of(&two_days).len(), 2);
        assert!(two_days[0].span.end <= two_days[1].span.start);
    }

    #[test]
    fn the_spread_search_keeps_to_a_partys_stated_hours() {
        let z = london();
        let monday = date(2026, 11, 23);
        let from = at(&z, monday, 0, 0);
        // Weekday afternoons after 3pm, for three weeks.
        let available: Vec<Interval> = (0..21)
            .filter_map(|d| {
                let day = monday.checked_add(d.days()).ok()?;
                (day.weekday().to_monday_one_offset() <= 5).then(|| span(&z, day, 15, 5 * 60))
            })
            .collect();
        let search = SlotSearch {
            parties: vec![PartyConstraint {
                id: "daniel",
                attendance: Attendance::HasContact,
                busy: Busy::default(),
                available,
                avoid: vec![],
            }],
            ..quiet_month(from, 21)
        };
        let offers = search.find_spread(6, Repeat::Once, 1);
        assert_eq!(offers.len(), 6);
        for o in &offers {
            let local = o.span.start.to_zoned(z.clone());
            assert!(local.hour() >= 15, "after 3pm: {local}");
            assert!(local.date().weekday().to_monday_one_offset() <= 5, "a weekday: {local}");
        }
    }

    #[test]
    fn a_series_is_offered_only_at_a_weekly_time_free_every_week() {
        let z = london();
        let monday = date(2026, 11, 23);
        let from = at(&z, monday, 0, 0);
        // The room is taken on the second Monday from 09:00 to 17:00, so no Monday series of three
        // fits, while single sessions on the first Monday do.
        let taken = span(&z, monday.checked_add(7.days()).unwrap(), 9, 8 * 60);
        let search = SlotSearch {
            spaces: vec![SpaceOption {
                id: "room",
                capacity: 1,
                busy: Busy::new(vec![taken]),
            }],
            ..quiet_month(from, 5)
        };
        let once = search.find_spread(5, Repeat::Once, 1);
        assert!(once.iter().any(|o| o.span.start.to_zoned(z.clone()).date() == monday));
        let series = search.find_spread(5, Repeat::Weekly, 3);
        assert!(!series.is_empty());
        for o in &series {
            let first = o.span.start.to_zoned(z.clone());
            assert_ne!(first.date(), monday, "no Monday: the second Monday is taken");
            for week in 1..3 {
                let later = o.span.shifted(week * 7 * 24 * 60);
                assert_eq!(search.calendar.check_open(&later), Ok(()), "week {week} is open");
                assert!(search.try_slot(&later).is_some(), "week {week} is free");
            }
        }
        // Christmas Day is a Friday: no weekly Friday series of four from the 4th of December.
        let advent = quiet_month(at(&z, date(2026, 12, 4), 0, 0), 1);
        assert!(!advent.find_spread(3, Repeat::Weekly, 2).is_empty());
        assert!(advent.find_spread(3, Repeat::Weekly, 4).is_empty());
    }

    #[test]
    fn a_time_outside_the_opening_hours_names_them_and_the_latest_start() {
        let z = london();
        let refusal = calendar()
            .check_open(&span(&z, date(2026, 11, 23), 16, 120))
            .unwrap_err();
        let week = calendar().describe_hours();
        assert_eq!(
            refusal.to_string(),
            format!(
                "On Monday 23 November 2026 this is outside the centre's opening hours (09:00–17:00); \
                 a 120-minute session starts by 15:00 at the latest. The centre is open {week}"
            )
        );
        let sunday = calendar()
            .check_open(&span(&z, date(2026, 11, 22), 10, 60))
            .unwrap_err();
        assert_eq!(
            sunday.to_string(),
            format!(
                "The centre is not open on Sunday 22 November 2026, so this is outside the centre's opening hours: \
                 it is open {week}"
            )
        );
    }
}
