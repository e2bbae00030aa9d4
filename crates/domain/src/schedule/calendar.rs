//! The centre's opening calendar in its own time zone: opening rules (every week or alternate
//! weeks), closures, whether a span is open (and why not), the week's hours in words, and local
//! times that the clocks skip.

use super::interval::Interval;
use super::refusal::Refusal;
use jiff::Timestamp;
use jiff::ToSpan;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};

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

#[cfg(test)]
mod tests {
    use super::super::fixtures::{calendar, london, span};
    use super::*;
    use jiff::civil::date;

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
}
