//! Dates and times written the way each language writes them: day and month names, the order of a
//! date's parts and 24-hour times, from CLDR through ICU4X's compiled data, never by hand. The
//! instants themselves are jiff's, as everywhere else; only the words are made here.
//!
//! The formatters are made once per language and kept; making one reads CLDR's data for the
//! language, and a day sheet or a statement writes hundreds of dates.

use crate::Lang;
use icu_calendar::{Date as IcuDate, Gregorian};
use icu_datetime::fieldsets::{MDE, T, YMD, YMDE};
use icu_datetime::input::Time as IcuTime;
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter, NoCalendarFormatter};
use icu_locale_core::Locale;
use jiff::civil::{Date, Time};
use std::sync::LazyLock;

/// One language's formatters.
struct Formatters {
    /// "Saturday 12 December 2026" — a date a reader plans by.
    weekday_date: Option<FixedCalendarDateTimeFormatter<Gregorian, YMDE>>,
    /// "12 December 2026" — a date on a letter or an invoice.
    date: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    /// "Saturday 12 December" — a day in a list of the coming weeks.
    weekday_day_month: Option<FixedCalendarDateTimeFormatter<Gregorian, MDE>>,
    /// "14:05" — always 24-hour, in both languages.
    time: Option<NoCalendarFormatter<T>>,
}

fn preferences(lang: Lang) -> DateTimeFormatterPreferences {
    // British English and Welsh, each asked for the 24-hour clock, which both write by default; the
    // extension keeps it so whatever CLDR's defaults become.
    let tag = match lang {
        Lang::En => "en-GB-u-hc-h23",
        Lang::Cy => "cy-GB-u-hc-h23",
    };
    tag.parse::<Locale>().map(|l| (&l).into()).unwrap_or_default()
}

fn formatters(lang: Lang) -> Formatters {
    let prefs = preferences(lang);
    let made = |what: &str, ok: bool| {
        if !ok {
            // Compiled data holds both languages, so this is a build fault; log it, and write ISO.
            tracing::error!(lang = lang.code(), what, "no date formatter; dates written as ISO");
        }
    };
    let f = Formatters {
        weekday_date: FixedCalendarDateTimeFormatter::try_new(prefs, YMDE::long()).ok(),
        date: FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long()).ok(),
        weekday_day_month: FixedCalendarDateTimeFormatter::try_new(prefs, MDE::long()).ok(),
        time: NoCalendarFormatter::try_new(prefs, T::hm()).ok(),
    };
    made("weekday date", f.weekday_date.is_some());
    made("date", f.date.is_some());
    made("weekday day month", f.weekday_day_month.is_some());
    made("time", f.time.is_some());
    f
}

static FORMATTERS: LazyLock<[Formatters; 2]> = LazyLock::new(|| [formatters(Lang::En), formatters(Lang::Cy)]);

fn of(lang: Lang) -> &'static Formatters {
    &FORMATTERS[crate::index(lang)]
}

fn gregorian(date: Date) -> Option<IcuDate<Gregorian>> {
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    IcuDate::try_new_gregorian(i32::from(date.year()), month, day).ok()
}

/// "Saturday 12 December 2026" / "Dydd Sadwrn, 12 Rhagfyr 2026".
pub fn weekday_date(lang: Lang, date: Date) -> String {
    match (&of(lang).weekday_date, gregorian(date)) {
        (Some(f), Some(d)) => f.format(&d).to_string(),
        _ => date.to_string(),
    }
}

/// "12 December 2026" / "12 Rhagfyr 2026".
pub fn date(lang: Lang, date: Date) -> String {
    match (&of(lang).date, gregorian(date)) {
        (Some(f), Some(d)) => f.format(&d).to_string(),
        _ => date.to_string(),
    }
}

/// "Saturday 12 December" / "Dydd Sadwrn, 12 Rhagfyr".
pub fn weekday_day_month(lang: Lang, date: Date) -> String {
    match (&of(lang).weekday_day_month, gregorian(date)) {
        (Some(f), Some(d)) => f.format(&d).to_string(),
        _ => date.to_string(),
    }
}

/// "14:05", in both languages.
pub fn time(lang: Lang, time: Time) -> String {
    let icu = u8::try_from(time.hour())
        .ok()
        .zip(u8::try_from(time.minute()).ok())
        .and_then(|(h, m)| IcuTime::try_new(h, m, 0, 0).ok());
    match (&of(lang).time, icu) {
        (Some(f), Some(t)) => f.format(&t).to_string(),
        _ => time.strftime("%H:%M").to_string(),
    }
}

/// "12 December 2026, 14:05" / "12 Rhagfyr 2026, 14:05": a moment on a list (a payment, a
/// released report), the date as `date` writes it and the 24-hour time after a comma, which both
/// languages write so.
pub fn date_time(lang: Lang, at: jiff::civil::DateTime) -> String {
    format!("{}, {}", date(lang, at.date()), time(lang, at.time()))
}

/// "Saturday 12 December 2026, 14:05" / "Dydd Sadwrn, 12 Rhagfyr 2026, 14:05": when a session is.
pub fn weekday_date_time(lang: Lang, at: jiff::civil::DateTime) -> String {
    format!("{}, {}", weekday_date(lang, at.date()), time(lang, at.time()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as civil_date;

    /// Every day of one week, so each weekday name is seen; built from a date a test chooses only
    /// for its weekday, never compared with a calendar written by hand.
    fn a_week() -> Vec<Date> {
        let start = civil_date(2030, 1, 7); // a Monday, checked below
        assert_eq!(start.weekday(), jiff::civil::Weekday::Monday);
        (0..7)
            .filter_map(|d| start.checked_add(jiff::Span::new().days(d)).ok())
            .collect()
    }

    #[test]
    fn welsh_dates_have_welsh_day_and_month_names() {
        let cy: Vec<String> = a_week().into_iter().map(|d| weekday_date(Lang::Cy, d)).collect();
        for (text, day) in cy
            .iter()
            .zip(["Llun", "Mawrth", "Mercher", "Iau", "Gwener", "Sadwrn", "Sul"])
        {
            assert!(text.contains(day), "{text} should name {day}");
            assert!(text.contains("Ionawr"), "{text} should name January in Welsh");
            assert!(!text.contains("January"), "{text}");
        }
        let en = weekday_date(Lang::En, civil_date(2030, 1, 7));
        assert!(
            en.contains("Monday") && en.contains("January") && en.contains("2030"),
            "{en}"
        );
        // British order: the day before the month.
        assert!(en.find('7') < en.find("January"), "{en}");
    }

    #[test]
    fn every_month_has_its_own_name_in_each_language() {
        for lang in Lang::ALL {
            let names: std::collections::BTreeSet<String> = (1..=12)
                .map(|m| date(lang, civil_date(2030, m, 1)).replace("2030", "").replace('1', ""))
                .collect();
            assert_eq!(names.len(), 12, "{lang:?}: {names:?}");
        }
        assert!(date(Lang::Cy, civil_date(2030, 12, 1)).contains("Rhagfyr"));
        assert!(weekday_day_month(Lang::Cy, civil_date(2030, 12, 1)).contains("Rhagfyr"));
        assert!(!weekday_day_month(Lang::En, civil_date(2030, 12, 1)).contains("2030"));
    }

    #[test]
    fn welsh_dates_with_times_keep_both_parts_in_the_language() {
        let at = civil_date(2030, 1, 7).at(9, 30, 0, 0);
        let cy = date_time(Lang::Cy, at);
        assert!(cy.contains("Ionawr") && cy.ends_with(", 09:30"), "{cy}");
        let cy = weekday_date_time(Lang::Cy, at);
        assert!(
            cy.contains("Llun") && cy.contains("Ionawr") && cy.ends_with(", 09:30"),
            "{cy}"
        );
        let en = weekday_date_time(Lang::En, at);
        assert!(
            en.contains("Monday") && en.contains("January") && en.ends_with(", 09:30"),
            "{en}"
        );
    }

    #[test]
    fn times_are_twenty_four_hour_in_both_languages() {
        for lang in Lang::ALL {
            assert_eq!(time(lang, Time::constant(14, 5, 0, 0)), "14:05", "{lang:?}");
            assert_eq!(time(lang, Time::constant(9, 30, 0, 0)), "09:30", "{lang:?}");
        }
    }
}
