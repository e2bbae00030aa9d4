//! The test calendar every scheduling test shares: London, weekdays 09:00–17:00, alternate
//! Saturdays in two parts, closed for Christmas; and instants on it.

use super::calendar::{Calendar, Closure, OpeningRule, WeekRepeat, local_instant};
use super::interval::{Interval, add_minutes};
use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday, date};
use jiff::tz::TimeZone;

pub(super) fn london() -> TimeZone {
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

pub(super) fn calendar() -> Calendar {
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

pub(super) fn at(zone: &TimeZone, d: Date, h: i8, m: i8) -> Timestamp {
    local_instant(zone, d.at(h, m, 0, 0)).unwrap()
}

pub(super) fn span(zone: &TimeZone, d: Date, h: i8, minutes: i64) -> Interval {
    let start = at(zone, d, h, 0);
    Interval::new(start, add_minutes(start, minutes)).unwrap()
}
