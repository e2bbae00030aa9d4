//! The iCalendar (RFC 5545) text of a calendar feed, written with the `icalendar` crate: each
//! session an event in its centre's own time zone (`TZID`), with a `VTIMEZONE` for each zone made
//! from jiff's time zone database for the feed's window, a UID that survives a move, a `SEQUENCE`
//! that rises with every change, and a status calendars act on (decision 0042).

use familytime_domain::Timestamp;
use icalendar::parser::{Component as Written, Property as WrittenProperty};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};
use jiff::tz::{Offset, TimeZone};
use std::collections::{BTreeMap, BTreeSet};

/// The zone used when a centre's own cannot be read (centres are given one when made, decision
/// 0002): the organisation's country's.
pub(crate) const FALLBACK_ZONE: &str = "Europe/London";

/// One session as a calendar shows it.
pub(crate) struct FeedEvent {
    /// Unique within the feed; events of one booking across its moves share it.
    pub uid: String,
    pub sequence: i64,
    pub start: Timestamp,
    pub end: Timestamp,
    /// The IANA name of the centre's zone, in which the times are written.
    pub zone: String,
    pub summary: String,
    pub description: String,
    pub status: FeedStatus,
}

/// What a calendar is told about a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeedStatus {
    /// Booked but not yet confirmed (for example, waiting for payment).
    Tentative,
    Confirmed,
    /// Kept in the feed so that calendars remove the event.
    Cancelled,
}

/// The text of a feed holding `events`, written at `now`, with time zone definitions that cover
/// `from` to `to`.
pub(super) fn calendar_text(events: Vec<FeedEvent>, now: Timestamp, from: Timestamp, to: Timestamp) -> String {
    let events = latest_per_uid(events);
    let zones: BTreeSet<&str> = events.iter().map(|e| e.zone.as_str()).collect();
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//familytime//schedule//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(icalendar::Property::new(key, value));
    }
    calendar.ttl(&chrono::Duration::hours(1));
    if zones.len() == 1 {
        calendar.timezone(zones.iter().next().copied().unwrap_or(FALLBACK_ZONE));
    }
    for event in &events {
        calendar.push(vevent(event, now));
    }
    let definitions: Vec<Written<'static>> = zones.iter().map(|zone| vtimezone(zone, from, to)).collect();
    with_time_zones(&calendar.to_string(), &definitions)
}

/// The text of an invitation sent by e-mail (decision 0044): one event, with `METHOD` `REQUEST`
/// (a new or moved session: calendars add or update it by its UID and SEQUENCE) or `CANCEL`, sent by
/// `organizer` (an e-mail address), with its centre's `VTIMEZONE`.
pub(crate) fn invitation_text(event: FeedEvent, method: &str, organizer: &str, now: Timestamp) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//familytime//mail//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", method),
    ] {
        calendar.append_property(icalendar::Property::new(key, value));
    }
    let mut written = vevent(&event, now);
    written.add_property("ORGANIZER", format!("mailto:{organizer}"));
    calendar.push(written);
    let day = jiff::SignedDuration::from_hours(24);
    let from = event.start.checked_sub(day).unwrap_or(event.start);
    let to = event.end.checked_add(day).unwrap_or(event.end);
    with_time_zones(&calendar.to_string(), &[vtimezone(&event.zone, from, to)])
}

/// Of the events sharing a UID (a booking and the one it was moved to), the latest only: a
/// calendar that holds the old time learns the new one from the higher SEQUENCE.
fn latest_per_uid(events: Vec<FeedEvent>) -> Vec<FeedEvent> {
    let mut latest: BTreeMap<String, FeedEvent> = BTreeMap::new();
    for event in events {
        match latest.get(&event.uid) {
            Some(kept) if kept.sequence >= event.sequence => {}
            _ => {
                latest.insert(event.uid.clone(), event);
            }
        }
    }
    let mut events: Vec<FeedEvent> = latest.into_values().collect();
    events.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));
    events
}

fn vevent(e: &FeedEvent, now: Timestamp) -> Event {
    let zone = zone_named(&e.zone);
    Event::with_uid(&format!("{}@familytime", e.uid))
        .timestamp(utc(now))
        .sequence(u32::try_from(e.sequence).unwrap_or(u32::MAX))
        .starts(local(&zone, &e.zone, e.start))
        .ends(local(&zone, &e.zone, e.end))
        .summary(&e.summary)
        .description(&e.description)
        .status(match e.status {
            FeedStatus::Tentative => EventStatus::Tentative,
            FeedStatus::Confirmed => EventStatus::Confirmed,
            FeedStatus::Cancelled => EventStatus::Cancelled,
        })
        .done()
}

fn zone_named(name: &str) -> TimeZone {
    TimeZone::get(name)
        .or_else(|_| TimeZone::get(FALLBACK_ZONE))
        .unwrap_or(TimeZone::UTC)
}

fn utc(t: Timestamp) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.as_second(), 0).unwrap_or_default()
}

/// The wall-clock time at `t` in the zone, with the zone's name (`DTSTART;TZID=…:…`).
fn local(zone: &TimeZone, name: &str, t: Timestamp) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: naive(zone.to_datetime(t)),
        tzid: name.to_owned(),
    }
}

fn naive(d: jiff::civil::DateTime) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
        .and_then(|day| day.and_hms_opt(d.hour() as u32, d.minute() as u32, d.second() as u32))
        .unwrap_or_default()
}

/// A `VTIMEZONE` for the zone from `from` to `to`: the observance in force at `from` and one for
/// each change of offset until `to`, each as jiff's database has it (no rules copied by hand).
fn vtimezone(name: &str, from: Timestamp, to: Timestamp) -> Written<'static> {
    let zone = zone_named(name);
    let in_force = zone.preceding(from).next();
    let mut observances = Vec::new();
    match &in_force {
        Some(t) => observances.push(observance(&zone, t)),
        // A zone that never changed: one observance, always in force.
        None => {
            let offset = zone.to_offset(from);
            observances.push(written(
                "STANDARD",
                vec![
                    prop("DTSTART", "19700101T000000".into()),
                    prop("TZOFFSETFROM", utc_offset(offset)),
                    prop("TZOFFSETTO", utc_offset(offset)),
                ],
            ));
        }
    }
    let after = in_force.as_ref().map_or(from, |t| t.timestamp());
    for change in zone.following(after).take_while(|t| t.timestamp() <= to) {
        observances.push(observance(&zone, &change));
    }
    let mut definition = written("VTIMEZONE", vec![prop("TZID", name.to_owned())]);
    definition.components = observances;
    definition
}

/// One change of offset: it starts at the wall-clock time just before it (in the old offset).
fn observance(zone: &TimeZone, change: &jiff::tz::TimeZoneTransition) -> Written<'static> {
    let at = change.timestamp();
    let before = zone.to_offset(at.checked_sub(jiff::SignedDuration::from_secs(1)).unwrap_or(at));
    let kind = if change.dst().is_dst() { "DAYLIGHT" } else { "STANDARD" };
    let mut properties = vec![
        prop("DTSTART", before.to_datetime(at).strftime("%Y%m%dT%H%M%S").to_string()),
        prop("TZOFFSETFROM", utc_offset(before)),
        prop("TZOFFSETTO", utc_offset(change.offset())),
    ];
    if !change.abbreviation().is_empty() {
        properties.push(prop("TZNAME", change.abbreviation().to_owned()));
    }
    written(kind, properties)
}

/// `+0100`, `-0330`, or with seconds when the offset has them (`+001915`).
fn utc_offset(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let a = seconds.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

fn written(name: &str, properties: Vec<WrittenProperty<'static>>) -> Written<'static> {
    Written {
        name: name.to_owned().into(),
        properties,
        components: Vec::new(),
    }
}

/// A property whose value has no characters to escape (times, offsets, zone names).
fn prop(name: &str, value: String) -> WrittenProperty<'static> {
    WrittenProperty {
        name: name.to_owned().into(),
        val: value.into(),
        params: Vec::new(),
    }
}

/// The calendar's text with the zone definitions put before its first event. They are written
/// through the crate's plain component writer because its typed writer adds `DTSTAMP` and `UID`
/// to every component, which RFC 5545 does not allow in a `VTIMEZONE`.
fn with_time_zones(calendar: &str, definitions: &[Written<'static>]) -> String {
    let wrapped = icalendar::parser::Calendar {
        properties: Vec::new(),
        components: definitions.to_vec(),
    }
    .to_string();
    let zones = wrapped
        .strip_prefix("BEGIN:VCALENDAR\r\n")
        .and_then(|rest| rest.strip_suffix("END:VCALENDAR\r\n"))
        .unwrap_or_default();
    let at = calendar
        .find("BEGIN:VEVENT\r\n")
        .or_else(|| calendar.rfind("END:VCALENDAR"))
        .unwrap_or(calendar.len());
    format!("{}{zones}{}", &calendar[..at], &calendar[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(uid: &str, sequence: i64, start: Timestamp, status: FeedStatus) -> FeedEvent {
        FeedEvent {
            uid: uid.into(),
            sequence,
            start,
            end: start + jiff::SignedDuration::from_hours(2),
            zone: "Europe/London".into(),
            summary: "Supervised contact, Riverside; room 1".into(),
            description: "a".repeat(200),
            status,
        }
    }

    /// Every line of the text as a calendar reads it (folded lines joined).
    fn unfolded(text: &str) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        for line in text.split("\r\n").filter(|l| !l.is_empty()) {
            match (line.strip_prefix(' '), lines.last_mut()) {
                (Some(more), Some(last)) => last.push_str(more),
                _ => lines.push(line.to_owned()),
            }
        }
        lines
    }

    #[test]
    fn events_are_escaped_folded_zoned_and_the_latest_of_a_moved_booking_is_kept() {
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let later = now + jiff::SignedDuration::from_hours(24 * 200);
        let text = calendar_text(
            vec![
                event("a", 1, now, FeedStatus::Cancelled),
                event("a", 2, later, FeedStatus::Tentative),
                event("b", 0, now, FeedStatus::Confirmed),
            ],
            now,
            now,
            later,
        );
        let lines = unfolded(&text);
        assert!(text.lines().all(|l| l.trim_end_matches('\r').len() <= 75), "{text}");
        assert!(lines.contains(&"SUMMARY:Supervised contact\\, Riverside\\; room 1".to_owned()));
        assert_eq!(lines.iter().filter(|l| l.starts_with("UID:a@")).count(), 1, "{text}");
        assert!(lines.contains(&"SEQUENCE:2".to_owned()) && lines.contains(&"STATUS:TENTATIVE".to_owned()));
        assert!(
            !lines.contains(&"STATUS:CANCELLED".to_owned()),
            "the moved-from event is left out"
        );
        assert!(lines.contains(&"STATUS:CONFIRMED".to_owned()));
        assert!(
            lines.iter().any(|l| l.starts_with("DTSTART;TZID=Europe/London:")),
            "{text}"
        );
        // The zone is defined once, before the events, with nothing RFC 5545 forbids in it.
        let zone_at = text.find("BEGIN:VTIMEZONE").unwrap();
        assert!(zone_at < text.find("BEGIN:VEVENT").unwrap());
        let zone = &text[zone_at..text.find("END:VTIMEZONE").unwrap()];
        assert!(!zone.contains("DTSTAMP") && !zone.contains("UID"), "{zone}");
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn a_time_zone_has_each_change_of_offset_in_the_window_as_jiff_has_it() {
        let from = Timestamp::from_second(1_790_000_000).unwrap();
        let to = from + jiff::SignedDuration::from_hours(24 * 400);
        let zone = TimeZone::get("Europe/London").unwrap();
        let changes: Vec<_> = zone.following(from).take_while(|t| t.timestamp() <= to).collect();
        let definition = vtimezone("Europe/London", from, to);
        assert_eq!(definition.components.len(), 1 + changes.len());
        for (observance, change) in definition.components.iter().skip(1).zip(&changes) {
            let value = |key: &str| observance.find_prop(key).map(|p| p.val.as_str().to_owned());
            assert_eq!(value("TZOFFSETTO"), Some(utc_offset(change.offset())));
            let kind = if change.dst().is_dst() { "DAYLIGHT" } else { "STANDARD" };
            assert_eq!(observance.name.as_str(), kind);
        }
        let summer = changes.iter().find(|c| c.dst().is_dst()).unwrap();
        assert_eq!(utc_offset(summer.offset()), "+0100");
        // The first observance says what was in force when the window opens.
        let first = &definition.components[0];
        let to_offset = first.find_prop("TZOFFSETTO").map(|p| p.val.as_str().to_owned());
        assert_eq!(to_offset, Some(utc_offset(zone.to_offset(from))));
        let fixed = vtimezone("UTC", from, to);
        assert_eq!(fixed.components.len(), 1);
    }

    #[test]
    fn offsets_are_written_with_a_sign_and_seconds_only_when_there_are_some() {
        assert_eq!(utc_offset(Offset::constant(1)), "+0100");
        assert_eq!(
            utc_offset(Offset::from_seconds(-(3 * 3600 + 30 * 60)).unwrap()),
            "-0330"
        );
        assert_eq!(utc_offset(Offset::from_seconds(-75).unwrap()), "-000115");
        assert_eq!(utc_offset(Offset::UTC), "+0000");
    }
}
