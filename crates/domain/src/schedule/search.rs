//! The free-time search: what is busy for each room, worker, party and child, and the times
//! (first-come, or spread over the range, for one session or a whole series) when everything a
//! session needs is free and the people who must not meet are kept apart.

use super::calendar::Calendar;
use super::interval::{Interval, add_minutes};
use super::kinds::{Arrivals, Needs, SpaceNeed};
use super::presence::{Attendance, Separation, on_site_windows};
use super::series::{Repeat, SeriesEnd, SeriesRequest, occurrences};
use super::settings::Settings;
use jiff::{Timestamp, ToSpan};

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

#[cfg(test)]
mod tests {
    use super::super::fixtures::{at, calendar, london, span};
    use super::super::interval::any_overlap;
    use super::super::kinds::BookingKind;
    use super::*;
    use crate::referrals::Service;
    use jiff::civil::{Date, date};
    use proptest::prelude::*;

    proptest! {
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
}
