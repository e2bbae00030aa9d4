//! The one parser for dates, times of day and instants that people and programs send, used by the
//! JSON API and the forms alike. jiff's own parser is lenient (it takes `+002026-01-01`, ISO week
//! dates and more), so a value is first checked to have exactly the shape asked for:
//! `YYYY-MM-DD` for a date, `HH:MM` (or `HH:MM:SS`, as a time input with seconds sends) for a time,
//! `YYYY-MM-DDTHH:MM[:SS]` for a form's local date and time, and RFC 3339 for an instant. Nothing is
//! trimmed: a browser's date input never sends spaces, and a program should not.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

const DATE_SHAPE: &str = "Enter a date as YYYY-MM-DD, like 2026-12-01";
const TIME_SHAPE: &str = "Enter a time as HH:MM, like 09:30";
const DATETIME_SHAPE: &str = "Enter a date and time as YYYY-MM-DDTHH:MM, like 2026-12-01T09:30";
const INSTANT_SHAPE: &str = "Enter an instant in RFC 3339, like 2026-12-01T09:30:00Z";

/// Whether `text` is ASCII digits and the separators exactly where `shape` has them (`9` a digit).
fn shaped(text: &str, shape: &str) -> bool {
    text.len() == shape.len()
        && text.bytes().zip(shape.bytes()).all(|(c, s)| match s {
            b'9' => c.is_ascii_digit(),
            s => c == s,
        })
}

fn number(text: &str) -> i16 {
    // Only called on runs of at most four ASCII digits.
    text.bytes().fold(0i16, |n, d| n * 10 + i16::from(d - b'0'))
}

/// A calendar date, `YYYY-MM-DD` and nothing else, and a real one.
pub fn parse_date(text: &str) -> Result<Date, String> {
    if !shaped(text, "9999-99-99") {
        return Err(DATE_SHAPE.into());
    }
    let (y, m, d) = (number(&text[0..4]), number(&text[5..7]), number(&text[8..10]));
    let (Ok(m), Ok(d)) = (i8::try_from(m), i8::try_from(d)) else {
        return Err(DATE_SHAPE.into());
    };
    Date::new(y, m, d).map_err(|_| "Enter a date that exists (check the day and month), as YYYY-MM-DD".into())
}

/// A time of day, `HH:MM` or `HH:MM:SS`.
pub fn parse_time(text: &str) -> Result<Time, String> {
    let (h, m, s) = if shaped(text, "99:99") {
        (number(&text[0..2]), number(&text[3..5]), 0)
    } else if shaped(text, "99:99:99") {
        (number(&text[0..2]), number(&text[3..5]), number(&text[6..8]))
    } else {
        return Err(TIME_SHAPE.into());
    };
    let (Ok(h), Ok(m), Ok(s)) = (i8::try_from(h), i8::try_from(m), i8::try_from(s)) else {
        return Err(TIME_SHAPE.into());
    };
    Time::new(h, m, s, 0).map_err(|_| "Enter a time that exists (hours go to 23, minutes to 59), as HH:MM".into())
}

/// A local date and time as `<input type=datetime-local>` sends it: `YYYY-MM-DDTHH:MM[:SS]`.
pub fn parse_local_datetime(text: &str) -> Result<DateTime, String> {
    let Some((date, time)) = text.split_once('T') else {
        return Err(DATETIME_SHAPE.into());
    };
    let date = parse_date(date).map_err(|_| DATETIME_SHAPE.to_string())?;
    let time = parse_time(time).map_err(|_| DATETIME_SHAPE.to_string())?;
    Ok(date.to_datetime(time))
}

/// An instant in RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
pub fn parse_instant(text: &str) -> Result<Timestamp, String> {
    let bad = || INSTANT_SHAPE.to_string();
    if text.len() < 20 || !text.is_ascii() {
        return Err(bad());
    }
    let (date, rest) = text.split_at(10);
    parse_date(date).map_err(|_| bad())?;
    let rest = rest.strip_prefix(['T', 't']).ok_or_else(bad)?;
    if rest.len() < 9 || !shaped(&rest[..8], "99:99:99") {
        return Err(bad());
    }
    parse_time(&rest[..8]).map_err(|_| bad())?;
    let mut rest = &rest[8..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return Err(bad());
        }
        rest = &fraction[digits..];
    }
    let offset_ok =
        rest == "Z" || rest == "z" || ((rest.starts_with('+') || rest.starts_with('-')) && shaped(&rest[1..], "99:99"));
    if !offset_ok {
        return Err(bad());
    }
    text.parse::<Timestamp>().map_err(|_| bad())
}

/// serde: a `Date` field of a JSON body, read through [`parse_date`].
pub fn deserialize_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(deserializer)?;
    parse_date(&text).map_err(serde::de::Error::custom)
}

/// serde: a nullable `Date` field that must be sent (null for none), read through [`parse_date`].
pub fn deserialize_optional_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
    match <Option<String> as serde::Deserialize>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) => parse_date(&text).map(Some).map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_only_year_month_day() {
        assert_eq!(parse_date("2026-01-01").unwrap(), Date::new(2026, 1, 1).unwrap());
        assert_eq!(parse_date("2028-02-29").unwrap(), Date::new(2028, 2, 29).unwrap());
        for lenient in [
            "+002026-01-01",
            "-002026-01-01",
            "2026-1-1",
            "20260101",
            "2026-01-01T00:00",
            "2026-W01-1",
            "2026-001",
            " 2026-01-01",
            "2026-01-01 ",
            "2026/01/01",
            "",
            "2026-01-0١",
        ] {
            assert!(parse_date(lenient).is_err(), "{lenient:?} was taken as a date");
        }
        for unreal in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-01-00"] {
            assert!(parse_date(unreal).is_err(), "{unreal:?} was taken as a date");
        }
    }

    #[test]
    fn times_are_hours_and_minutes_or_seconds() {
        assert_eq!(parse_time("09:30").unwrap(), Time::new(9, 30, 0, 0).unwrap());
        assert_eq!(parse_time("23:59:59").unwrap(), Time::new(23, 59, 59, 0).unwrap());
        for bad in [
            "9:30",
            "0930",
            "09:30:00.5",
            "24:00",
            "09:60",
            " 09:30",
            "T09:30",
            "09.30",
            "",
        ] {
            assert!(parse_time(bad).is_err(), "{bad:?} was taken as a time");
        }
    }

    #[test]
    fn local_date_times_are_what_a_datetime_input_sends() {
        assert_eq!(
            parse_local_datetime("2026-12-01T09:30").unwrap(),
            Date::new(2026, 12, 1)
                .unwrap()
                .to_datetime(Time::new(9, 30, 0, 0).unwrap())
        );
        for bad in [
            "2026-12-01 09:30",
            "+002026-12-01T09:30",
            "2026-12-01T9:30",
            "2026-12-01",
            "2026-12-01T09:30Z",
        ] {
            assert!(parse_local_datetime(bad).is_err(), "{bad:?} was taken");
        }
    }

    #[test]
    fn instants_are_rfc_3339() {
        let at = parse_instant("2026-12-01T09:30:00Z").unwrap();
        assert_eq!(at, parse_instant("2026-12-01T10:30:00+01:00").unwrap());
        assert_eq!(at, parse_instant("2026-12-01t09:30:00.000z").unwrap());
        for bad in [
            "+002026-12-01T09:30:00Z",
            "2026-12-01T09:30Z",
            "2026-12-01T09:30:00",
            "2026-12-01 09:30:00Z",
            "2026-12-01T09:30:00+0100",
            "2026-12-01T09:30:00+01",
            "2026-12-01T09:30:00.Z",
            "2026-12-01T09:30:00[Europe/London]",
            "2026-12-01T09:30:00Z ",
            "20261201T093000Z",
        ] {
            assert!(parse_instant(bad).is_err(), "{bad:?} was taken as an instant");
        }
    }
}
