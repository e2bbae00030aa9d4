//! The court order's contact pattern (issue 19 item 5, decision 0046): how often the order says the
//! child sees the parent ("every other Saturday, two hours"), held as data on the case's court order,
//! and what the case's bookings for the coming weeks make of it, period by period: expected,
//! booked, under or over. Pure: the bookings' local days and "today" are passed in.

use crate::text::FieldErrors;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Deserialize;

/// How many weeks ahead the case page and the coordinator's list look.
pub const WEEKS_AHEAD: i64 = 8;
/// The longest gap between sessions a pattern may have (every N weeks).
pub const MAX_INTERVAL_WEEKS: i8 = 12;
/// The shortest and longest session a pattern may ask for, in minutes.
pub const MINUTES: (i32, i32) = (15, 12 * 60);

/// The weekdays, in the order forms list them, with their names in forms and the API.
pub const WEEKDAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Monday, "monday", "Monday"),
    (Weekday::Tuesday, "tuesday", "Tuesday"),
    (Weekday::Wednesday, "wednesday", "Wednesday"),
    (Weekday::Thursday, "thursday", "Thursday"),
    (Weekday::Friday, "friday", "Friday"),
    (Weekday::Saturday, "saturday", "Saturday"),
    (Weekday::Sunday, "sunday", "Sunday"),
];

/// A weekday's name in forms and the API ("saturday").
pub fn weekday_code(day: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(d, _, _)| *d == day)
        .map_or("monday", |(_, c, _)| c)
}

/// A weekday's name in words ("Saturday").
pub fn weekday_label(day: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(d, _, _)| *d == day)
        .map_or("Monday", |(_, _, l)| l)
}

/// A weekday from its name in forms and the API.
pub fn parse_weekday(code: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(_, c, _)| *c == code.trim()).map(|(d, _, _)| *d)
}

/// How often: every N weeks (1 every week, 2 every other week), or once a calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Weeks(i8),
    Month,
}

/// The order's contact pattern, known to be sensible: a value of this type was checked once, at
/// the edge (`PatternInput::parse`), or read back from what was stored after that check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    every: Every,
    /// The days sessions fall on, each once, Monday first; one session per day per period.
    weekdays: Vec<Weekday>,
    minutes: i32,
    from: Option<Date>,
    until: Option<Date>,
}

/// A pattern as a form or the API sends it (unknown fields refused).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternInput {
    /// "weeks" or "month"
    pub every: String,
    /// With "weeks": how many (1 every week, 2 every other week …).
    #[serde(default)]
    pub interval: Option<i64>,
    /// "monday" … "sunday"
    #[serde(default)]
    pub weekdays: Vec<String>,
    pub minutes: Option<i64>,
    /// YYYY-MM-DD, optional
    #[serde(default)]
    pub from: String,
    /// YYYY-MM-DD, optional
    #[serde(default)]
    pub until: String,
}

fn optional_date(label: &str, value: &str) -> Result<Option<Date>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    crate::dates::parse_date(value)
        .map(Some)
        .map_err(|_| format!("Enter {label} as a real date, like 2027-03-27"))
}

impl PatternInput {
    /// Every problem at once, each against its field, or the pattern.
    pub fn parse(&self) -> Result<Pattern, FieldErrors> {
        let mut errors = FieldErrors::new();
        let every = match self.every.trim() {
            "weeks" => match self.interval {
                Some(n) if (1..=i64::from(MAX_INTERVAL_WEEKS)).contains(&n) => i8::try_from(n).ok().map(Every::Weeks),
                Some(_) => {
                    errors.add(
                        "interval",
                        format!("The number of weeks between sessions must be between 1 and {MAX_INTERVAL_WEEKS}"),
                    );
                    None
                }
                None => {
                    errors.add(
                        "interval",
                        "Enter how many weeks apart the sessions are (1 for every week)",
                    );
                    None
                }
            },
            "month" => Some(Every::Month),
            _ => {
                errors.add("every", "Choose whether the order counts in weeks or months");
                None
            }
        };
        let mut weekdays = Vec::new();
        for day in &self.weekdays {
            match parse_weekday(day) {
                Some(d) if !weekdays.contains(&d) => weekdays.push(d),
                Some(_) => {}
                None => errors.add("weekdays", "Choose the days of the week from the list"),
            }
        }
        if self.weekdays.is_empty() {
            errors.add("weekdays", "Choose the day of the week the order names (at least one)");
        }
        weekdays.sort_by_key(|d| d.to_monday_one_offset());
        let minutes = match self.minutes {
            Some(m) if (i64::from(MINUTES.0)..=i64::from(MINUTES.1)).contains(&m) => i32::try_from(m).ok(),
            Some(_) => {
                errors.add(
                    "minutes",
                    format!(
                        "A session must last between {} minutes and {} hours",
                        MINUTES.0,
                        MINUTES.1 / 60
                    ),
                );
                None
            }
            None => {
                errors.add("minutes", "Enter how long each session lasts, in minutes");
                None
            }
        };
        let from = errors.take("from", optional_date("the date the pattern starts", &self.from));
        let until = errors.take("until", optional_date("the date the pattern ends", &self.until));
        if let (Some(Some(from)), Some(Some(until))) = (from, until)
            && until < from
        {
            errors.add(
                "until",
                "The date the pattern ends must be on or after the date it starts",
            );
        }
        match (every, minutes, from, until) {
            (Some(every), Some(minutes), Some(from), Some(until)) if errors.is_empty() => Ok(Pattern {
                every,
                weekdays,
                minutes,
                from,
                until,
            }),
            _ => Err(errors),
        }
    }
}

impl Pattern {
    /// A pattern read back from the database, where it was stored after `PatternInput::parse`;
    /// `None` if what is stored is not a pattern (never written by familytime).
    pub fn stored(
        every: &str,
        interval: i64,
        weekdays: &str,
        minutes: i64,
        from: Option<&str>,
        until: Option<&str>,
    ) -> Option<Pattern> {
        PatternInput {
            every: every.to_owned(),
            interval: Some(interval),
            weekdays: weekdays.split(',').map(str::to_owned).collect(),
            minutes: Some(minutes),
            from: from.unwrap_or_default().to_owned(),
            until: until.unwrap_or_default().to_owned(),
        }
        .parse()
        .ok()
    }

    pub fn every(&self) -> Every {
        self.every
    }
    /// "weeks" or "month", as stored.
    pub fn every_code(&self) -> &'static str {
        match self.every {
            Every::Weeks(_) => "weeks",
            Every::Month => "month",
        }
    }
    /// The weeks between sessions (1 for a monthly pattern, as stored).
    pub fn interval(&self) -> i64 {
        match self.every {
            Every::Weeks(n) => i64::from(n),
            Every::Month => 1,
        }
    }
    pub fn weekdays(&self) -> &[Weekday] {
        &self.weekdays
    }
    /// The weekdays as stored ("saturday,sunday").
    pub fn weekday_codes(&self) -> String {
        self.weekdays
            .iter()
            .map(|d| weekday_code(*d))
            .collect::<Vec<_>>()
            .join(",")
    }
    pub fn minutes(&self) -> i32 {
        self.minutes
    }
    pub fn from(&self) -> Option<Date> {
        self.from
    }
    pub fn until(&self) -> Option<Date> {
        self.until
    }

    /// The pattern in words: "Every other week on Saturday, 2 hours".
    pub fn describe(&self) -> String {
        let how_often = match self.every {
            Every::Weeks(1) => "Every week".to_owned(),
            Every::Weeks(2) => "Every other week".to_owned(),
            Every::Weeks(n) => format!("Every {n} weeks"),
            Every::Month => "Once a month".to_owned(),
        };
        let days = self
            .weekdays
            .iter()
            .map(|d| weekday_label(*d))
            .collect::<Vec<_>>()
            .join(" and ");
        let (h, m) = (self.minutes / 60, self.minutes % 60);
        let length = match (h, m) {
            (0, m) => format!("{m} minutes"),
            (1, 0) => "1 hour".to_owned(),
            (h, 0) => format!("{h} hours"),
            (h, m) => format!("{h} h {m} min"),
        };
        format!("{how_often} on {days}, {length}")
    }

    /// The repeat the series form offers for this pattern, if it has one (every 1, 2 or 4 weeks).
    pub fn series_repeat(&self) -> Option<&'static str> {
        match self.every {
            Every::Weeks(1) => Some("weekly"),
            Every::Weeks(2) => Some("fortnightly"),
            Every::Weeks(4) => Some("four_weekly"),
            _ => None,
        }
    }

    /// The first day on or after `today` that falls on the pattern (its weekday, in a period of
    /// the pattern, within its dates), for the series form to propose; `None` past its end.
    pub fn next_day(&self, today: Date, anchor: Date) -> Option<Date> {
        let start = match self.from {
            Some(from) if from > today => from,
            _ => today,
        };
        let mut day = start;
        for _ in 0..(7 * i64::from(MAX_INTERVAL_WEEKS) + 31) {
            if self.until.is_some_and(|u| day > u) {
                return None;
            }
            if self.weekdays.contains(&day.weekday()) {
                let on_pattern = match self.every {
                    Every::Weeks(n) => weeks_between(week_start(self.from.unwrap_or(anchor)), day) % i64::from(n) == 0,
                    Every::Month => true,
                };
                if on_pattern {
                    return Some(day);
                }
            }
            day = day.tomorrow().ok()?;
        }
        None
    }
}

/// The Monday of the week `day` is in.
fn week_start(day: Date) -> Date {
    day.checked_sub(i64::from(day.weekday().to_monday_zero_offset()).days())
        .unwrap_or(day)
}

/// Whole weeks from the week of `a` to the week of `b` (negative before it).
fn weeks_between(a: Date, b: Date) -> i64 {
    let days = i64::from((week_start(b) - week_start(a)).get_days());
    // Spans between dates come back in days; a day count that is not whole weeks cannot happen
    // between two Mondays.
    days.div_euclid(7)
}

/// Booked against expected in one period of the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Under,
    AsOrdered,
    Over,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Under => "under",
            Standing::AsOrdered => "as_ordered",
            Standing::Over => "over",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Standing::Under => "Under the order",
            Standing::AsOrdered => "As ordered",
            Standing::Over => "Over the order",
        }
    }
}

/// One period of the pattern (N weeks from a Monday, or a calendar month): its first and last
/// day, the sessions the order expects in it, and the sessions booked in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: Date,
    pub last: Date,
    pub expected: u32,
    pub booked: u32,
}

impl Period {
    pub fn standing(&self) -> Standing {
        match self.booked.cmp(&self.expected) {
            std::cmp::Ordering::Less => Standing::Under,
            std::cmp::Ordering::Equal => Standing::AsOrdered,
            std::cmp::Ordering::Greater => Standing::Over,
        }
    }
}

/// The whole comparison for a case: each period of the coming weeks, and whether any is under or
/// over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub periods: Vec<Period>,
}

impl Comparison {
    pub fn under(&self) -> bool {
        self.periods.iter().any(|p| p.standing() == Standing::Under)
    }
    pub fn over(&self) -> bool {
        self.periods.iter().any(|p| p.standing() == Standing::Over)
    }
    /// "under", "over", "under_and_over" or "as_ordered".
    pub fn overall(&self) -> &'static str {
        match (self.under(), self.over()) {
            (true, true) => "under_and_over",
            (true, false) => "under",
            (false, true) => "over",
            (false, false) => "as_ordered",
        }
    }
}

/// The days the comparison reads bookings for, from `today` (the period `today` falls in, to the
/// end of the last period that starts within `WEEKS_AHEAD` weeks), anchored at `anchor` (the day
/// the order was made, unless the pattern has a start date).
pub fn window(pattern: &Pattern, today: Date, anchor: Date) -> (Date, Date) {
    let periods = periods(pattern, today, anchor);
    match (periods.first(), periods.last()) {
        (Some(first), Some(last)) => (first.0, last.1),
        _ => (today, today),
    }
}

/// The periods (first day, last day) overlapping the coming `WEEKS_AHEAD` weeks.
fn periods(pattern: &Pattern, today: Date, anchor: Date) -> Vec<(Date, Date)> {
    let Some(horizon) = today.checked_add((WEEKS_AHEAD * 7).days()).ok() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match pattern.every {
        Every::Weeks(n) => {
            let n = i64::from(n);
            let base = week_start(pattern.from.unwrap_or(anchor));
            let k = weeks_between(base, today).div_euclid(n);
            let mut first = base.checked_add((k * n * 7).days()).unwrap_or(base);
            while first < horizon {
                let Ok(next) = first.checked_add((n * 7).days()) else {
                    break;
                };
                out.push((first, next.yesterday().unwrap_or(next)));
                first = next;
            }
        }
        Every::Month => {
            let mut first = today.first_of_month();
            while first < horizon {
                out.push((first, first.last_of_month()));
                let Ok(next) = first.last_of_month().tomorrow() else {
                    break;
                };
                first = next;
            }
        }
    }
    out
}

/// Compares what is booked with what the order expects, period by period, for the coming
/// `WEEKS_AHEAD` weeks from `today`. `booked` are the local days of the case's contact sessions
/// that will happen or did (not cancelled, not on hold) in `window(…)`. A period the pattern's dates
/// do not reach expects nothing and is left out unless something is booked in it after its end.
pub fn compare(pattern: &Pattern, today: Date, anchor: Date, booked: &[Date]) -> Comparison {
    let mut out = Vec::new();
    for (first, last) in periods(pattern, today, anchor) {
        let in_force = pattern.from.is_none_or(|from| last >= from) && pattern.until.is_none_or(|until| first <= until);
        let count = booked.iter().filter(|d| **d >= first && **d <= last).count();
        let booked = u32::try_from(count).unwrap_or(u32::MAX);
        let expected = if in_force {
            u32::try_from(pattern.weekdays.len()).unwrap_or(u32::MAX)
        } else {
            0
        };
        if in_force || booked > 0 {
            out.push(Period {
                first,
                last,
                expected,
                booked,
            });
        }
    }
    Comparison { periods: out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn input(every: &str, interval: Option<i64>, days: &[&str], minutes: Option<i64>) -> PatternInput {
        PatternInput {
            every: every.into(),
            interval,
            weekdays: days.iter().map(|d| (*d).to_owned()).collect(),
            minutes,
            from: String::new(),
            until: String::new(),
        }
    }

    #[test]
    fn orders_a_pattern_is_checked_once_with_every_problem_at_once() {
        let ok = input("weeks", Some(2), &["saturday"], Some(120)).parse().unwrap();
        assert_eq!(ok.describe(), "Every other week on Saturday, 2 hours");
        assert_eq!(ok.series_repeat(), Some("fortnightly"));
        let bad = input("fortnightly", None, &[], Some(5)).parse().unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["every", "weekdays", "minutes"]);
        let bad = input("weeks", Some(13), &["caturday"], None).parse().unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["interval", "weekdays", "minutes"]);
        assert!(input("weeks", None, &["monday"], Some(60)).parse().is_err());
        let mut dated = input("month", None, &["sunday", "saturday", "sunday"], Some(90));
        dated.from = "2027-02-01".into();
        dated.until = "2027-01-01".into();
        assert_eq!(dated.parse().unwrap_err().0[0].field, "until");
        dated.until = "2027-12-31".into();
        let monthly = dated.parse().unwrap();
        assert_eq!(monthly.weekdays(), &[Weekday::Saturday, Weekday::Sunday]);
        assert_eq!(monthly.describe(), "Once a month on Saturday and Sunday, 1 h 30 min");
        dated.from = "27/03/2027".into();
        assert_eq!(dated.parse().unwrap_err().0[0].field, "from");
        // What was stored reads back as the same pattern.
        let back = Pattern::stored(
            monthly.every_code(),
            monthly.interval(),
            &monthly.weekday_codes(),
            i64::from(monthly.minutes()),
            Some("2027-02-01"),
            Some("2027-12-31"),
        );
        assert_eq!(back, Some(monthly));
    }

    #[test]
    fn orders_every_other_saturday_is_under_over_or_as_ordered_by_fortnight() {
        // Made on Wednesday 6 January 2027: fortnights run from Monday 4 January.
        let pattern = input("weeks", Some(2), &["saturday"], Some(120)).parse().unwrap();
        let anchor = date(2027, 1, 6);
        let today = date(2027, 1, 20); // a Wednesday in the second fortnight (18–31 January)
        let booked = [date(2027, 1, 23), date(2027, 2, 13), date(2027, 2, 20)];
        let c = compare(&pattern, today, anchor, &booked);
        assert_eq!(c.periods[0].first, date(2027, 1, 18));
        assert_eq!(c.periods[0].last, date(2027, 1, 31));
        let standings: Vec<Standing> = c.periods.iter().map(Period::standing).collect();
        // 18–31 Jan: the 23rd; 1–14 Feb: the 13th; 15–28 Feb: the 20th; March: nothing yet.
        use Standing::*;
        assert_eq!(standings, vec![AsOrdered, AsOrdered, AsOrdered, Under, Under]);
        assert_eq!(c.periods.iter().map(|p| p.expected).sum::<u32>(), 5);
        assert!(c.under());
        assert!(!c.over());
        assert_eq!(c.overall(), "under");
        let (first, last) = window(&pattern, today, anchor);
        assert_eq!(first, date(2027, 1, 18));
        assert!(last >= date(2027, 3, 17));
        // Two sessions in one fortnight is over the order.
        let twice = [date(2027, 1, 23), date(2027, 1, 30)];
        let c = compare(&pattern, today, anchor, &twice);
        assert_eq!(c.periods[0].standing(), Standing::Over);
        assert_eq!(c.overall(), "under_and_over");
    }

    #[test]
    fn orders_a_monthly_pattern_counts_by_calendar_month_within_its_dates() {
        let mut i = input("month", None, &["sunday"], Some(60));
        i.until = "2027-02-10".into();
        let pattern = i.parse().unwrap();
        let today = date(2027, 1, 20);
        let c = compare(&pattern, today, today, &[date(2027, 1, 24), date(2027, 3, 7)]);
        let got: Vec<(Date, u32, u32)> = c.periods.iter().map(|p| (p.first, p.expected, p.booked)).collect();
        // January as ordered, February expected but not booked, March past the order's end but
        // booked (over), nothing else.
        assert_eq!(
            got,
            vec![
                (date(2027, 1, 1), 1, 1),
                (date(2027, 2, 1), 1, 0),
                (date(2027, 3, 1), 0, 1)
            ]
        );
        assert_eq!(c.overall(), "under_and_over");
    }

    #[test]
    fn orders_the_series_form_is_offered_the_next_day_on_the_pattern() {
        let pattern = input("weeks", Some(2), &["saturday"], Some(120)).parse().unwrap();
        let anchor = date(2027, 1, 6);
        // Sessions fall in the first week of each fortnight (from the week of 4 January): the 9th,
        // the 23rd, 6 February …
        assert_eq!(pattern.next_day(date(2027, 1, 11), anchor), Some(date(2027, 1, 23)));
        assert_eq!(pattern.next_day(date(2027, 1, 23), anchor), Some(date(2027, 1, 23)));
        assert_eq!(pattern.next_day(date(2027, 1, 24), anchor), Some(date(2027, 2, 6)));
        let weekly = input("weeks", Some(3), &["tuesday"], Some(60)).parse().unwrap();
        assert_eq!(weekly.series_repeat(), None);
    }
}
