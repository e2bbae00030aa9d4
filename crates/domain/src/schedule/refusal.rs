//! Why a session cannot be booked, in words a coordinator can act on.

use super::MOST_OCCURRENCES;
use jiff::ToSpan;
use jiff::civil::{Date, DateTime, Time};
use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::super::fixtures::{calendar, london, span};
    use jiff::civil::date;

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
