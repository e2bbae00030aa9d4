//! Finding free times for a case's sessions: what is busy is read only for the window searched,
//! and the domain's search picks rooms, staff and times that keep everyone's rules.

use super::parse_date;
use super::planner::{Planner, Roster, working_intervals};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::ids::UserId;
use familytime_domain::schedule::{
    self as rules, BookingKind, Busy, Interval, PartyConstraint, Repeat, Separation, SlotSearch, SpaceNeed,
    SpaceOption, WorkerOption,
};
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::StaffProfile;
use jiff::civil::Time;
use jiff::tz::TimeZone;

/// A free time offered instead of one that clashes.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub span: Interval,
    pub room_id: Option<String>,
    pub staff: Vec<UserId>,
}

/// The free-time search for a planner, loading only what is busy in the window. With `spread`
/// (a repeat and a number of sessions), the offers are spread over the days of the window and, for a
/// series, each is a time free every week of it; without, the first free times in order (the
/// nearest alternatives to a refused date are picked from those).
#[allow(clippy::too_many_arguments)]
pub(super) async fn search(
    state: &AppState,
    planner: &Planner,
    minutes: i64,
    from: Timestamp,
    days: u32,
    party: &str,
    want: usize,
    spread: Option<(Repeat, u32)>,
) -> Result<Vec<Alternative>, AppError> {
    let org = planner.org;
    let needs = planner.needs();
    // A series' later sessions lie beyond the window its first one is searched in: what is busy
    // is read up to the last of them (still only the window, never the history).
    let series_days = match spread {
        Some((repeat, count)) if count > 1 => repeat.weeks() * 7 * i64::from(count - 1),
        _ => 0,
    };
    let horizon = u32::try_from(i64::from(days) + series_days).unwrap_or(days);
    let until = rules::add_minutes(from, i64::from(horizon) * 24 * 60 + 24 * 60);
    let first_day = planner.calendar.local_date(from);
    let fitting_rooms: Vec<_> = if needs.space == SpaceNeed::None {
        Vec::new()
    } else {
        planner
            .rooms
            .iter()
            .filter(|(room, approval)| {
                room.active
                    && match needs.space {
                        SpaceNeed::FamilyRoom => room.kind == RoomKind::FamilyRoom,
                        SpaceNeed::Hall => room.kind == RoomKind::Hall,
                        SpaceNeed::Venue => room.kind == RoomKind::OffSiteVenue && approval.is_some(),
                        SpaceNeed::None => false,
                    }
            })
            .map(|(room, _)| room)
            .collect()
    };
    let suitable_staff: Vec<&StaffProfile> = planner
        .staff
        .iter()
        .filter(|p| p.works_at(planner.file.summary.centre_id) && (!needs.qualified || p.qualified_supervised))
        .collect();
    let attendees = planner.attendees(party)?;
    let children: &[_] = if matches!(planner.kind, BookingKind::Contact(_)) {
        &planner.file.children
    } else {
        &[]
    };

    // Everything already holding the rooms, staff, adults and children in the window, in one query.
    let resources: Vec<String> = fitting_rooms
        .iter()
        .map(|r| format!("room:{}", r.id))
        .chain(suitable_staff.iter().map(|p| format!("staff:{}", p.user_id)))
        .chain(attendees.iter().map(|(id, _, _)| format!("party:{id}")))
        .chain(children.iter().map(|c| format!("child:{}", c.id)))
        .collect();
    let mut held = state.store.claims_between(org, &resources, from, until).await?;
    let mut busy = |resource: String| Busy::new(held.remove(&resource).unwrap_or_default());

    let spaces: Vec<SpaceOption<String>> = fitting_rooms
        .iter()
        .map(|room| SpaceOption {
            id: room.id.to_string(),
            capacity: if room.kind == RoomKind::Hall {
                u32::try_from(room.capacity_families).unwrap_or(1)
            } else {
                1
            },
            busy: busy(format!("room:{}", room.id)),
        })
        .collect();
    let usual = state.store.case_workers(org, planner.file.summary.id).await?;
    let workers: Vec<WorkerOption<UserId>> = suitable_staff
        .iter()
        .map(|person| WorkerOption {
            id: person.user_id,
            working: working_intervals(
                &person.availability,
                &person.leave,
                &planner.calendar.zone,
                first_day,
                i64::from(horizon) + 1,
            ),
            busy: busy(format!("staff:{}", person.user_id)),
            usual: usual.contains(&person.user_id),
        })
        .collect();
    let site = format!("centre:{}", planner.file.summary.centre_id);
    let mut parties = Vec::new();
    for (id, _, attendance) in &attendees {
        let mut avoid = Vec::new();
        for pair in planner.pairs.iter().filter(|p| &p.party_a == id || &p.party_b == id) {
            let others: Vec<Interval> = state
                .store
                .pair_windows_between(org, &pair.id, id, from, until)
                .await?
                .into_iter()
                .filter(|(s, _)| *s == site || needs.space == SpaceNeed::Venue)
                .map(|(_, i)| i)
                .collect();
            // As `Planner::session` writes them: a pre-visit keeps the adult's whole time apart.
            let separation = if pair.separation == "added" || planner.kind == BookingKind::PreVisit {
                Separation::Added
            } else {
                Separation::SameCase
            };
            avoid.push((separation, Busy::new(others)));
        }
        let hours = state.store.party_availability(org, id).await?;
        let available = if hours.is_empty() {
            Vec::new()
        } else {
            working_intervals(&hours, &[], &planner.calendar.zone, first_day, i64::from(horizon) + 1)
        };
        parties.push(PartyConstraint {
            id: id.clone(),
            attendance: *attendance,
            busy: busy(format!("party:{id}")),
            available,
            avoid,
        });
    }
    let children: Vec<Busy> = children.iter().map(|c| busy(format!("child:{}", c.id))).collect();
    let search = SlotSearch {
        calendar: planner.calendar.clone(),
        settings: planner.settings,
        needs,
        minutes,
        from,
        days,
        step_minutes: 15,
        spaces,
        workers,
        parties,
        children,
    };
    let slots = match spread {
        Some((repeat, count)) => search.find_spread(want, repeat, count),
        None => search.find(want),
    };
    Ok(slots
        .into_iter()
        .map(|slot| Alternative {
            span: slot.span,
            room_id: slot.space,
            staff: slot.workers,
        })
        .collect())
}

/// The next free times for a case and kind of session, from a date, over some days.
#[allow(clippy::too_many_arguments)]
pub async fn find_times(
    state: &AppState,
    caller: &Caller,
    case: &str,
    kind: &str,
    minutes: &str,
    from: &str,
    days: &str,
    party: &str,
    repeat: &str,
    count: &str,
    want: usize,
) -> Result<(Vec<Alternative>, TimeZone), AppError> {
    let planner = Planner::load(state, caller, case, kind, Roster::Everyone).await?;
    let mut errors = FieldErrors::new();
    let repeat = Repeat::parse(repeat.trim()).unwrap_or_else(|| {
        errors.add("repeat", "Choose how often the sessions repeat");
        Repeat::Once
    });
    let count = match (repeat, count.trim()) {
        (Repeat::Once, _) => 1,
        (_, "") => {
            errors.add("count", "Enter how many sessions the series has");
            1
        }
        (_, n) => match n.parse::<u32>() {
            Ok(n) if (2..=rules::MOST_OCCURRENCES).contains(&n) => n,
            _ => {
                errors.add(
                    "count",
                    format!("Enter a number of sessions between 2 and {}", rules::MOST_OCCURRENCES),
                );
                1
            }
        },
    };
    let minutes = match minutes.trim().parse::<i64>() {
        Ok(m) if (15..=planner.settings.longest_session_minutes).contains(&m) => m,
        _ => {
            errors.add(
                "minutes",
                format!(
                    "Enter a length between 15 and {} minutes",
                    planner.settings.longest_session_minutes
                ),
            );
            0
        }
    };
    let days = match days.trim() {
        "" => 14,
        d => match d.parse::<u32>() {
            Ok(n) if (1..=62).contains(&n) => n,
            _ => {
                errors.add("days", "Search between 1 and 62 days");
                0
            }
        },
    };
    let now = state.clock.now();
    let start = match from.trim() {
        "" => now,
        text => match parse_date(&mut errors, "from", text) {
            Some(d) => rules::local_instant(&planner.calendar.zone, d.to_datetime(Time::MIN))
                .unwrap_or(now)
                .max(now),
            None => now,
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let zone = planner.calendar.zone.clone();
    let found = search(
        state,
        &planner,
        minutes,
        start,
        days,
        party,
        want,
        Some((repeat, count)),
    )
    .await?;
    Ok((found, zone))
}
