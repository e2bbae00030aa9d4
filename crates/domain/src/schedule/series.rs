//! Series of sessions (once, weekly, fortnightly, four-weekly, by count or until a date) as
//! instants that keep their wall-clock time across the clock changes.

use super::MOST_OCCURRENCES;
use super::calendar::local_instant;
use super::interval::Interval;
use super::refusal::Refusal;
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use serde::Serialize;

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

#[cfg(test)]
mod tests {
    use super::super::fixtures::london;
    use super::*;
    use jiff::civil::date;

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
}
