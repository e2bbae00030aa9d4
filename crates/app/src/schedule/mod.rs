//! Scheduling use cases: a centre's settings and calendar, staff rosters, never-meet pairs, booking
//! one session or a series for a case (whole, or a list of the dates that fail with the nearest
//! free alternatives), finding free times, moving and cancelling, calendar views and iCalendar feeds.
//! The rules are the domain's (`schedule`); the database holds the no-overlap guarantees.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use super::case_files::{booking_for, case_file, centre_zone, file_org};
use super::{authorize, found, parse_id};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{BookingId, CentreId, OrganisationId, RoomId, SeriesId, UserId};
use familytime_domain::intake::PartyRole;
use familytime_domain::referrals::CaseStatus;
use familytime_domain::schedule::{
    self as rules, Attendance, BookingKind, Busy, Calendar, Closure, Interval, OpeningRule, PartyConstraint, Refusal,
    Repeat, Separation, SeriesEnd, SeriesRequest, Settings, SlotSearch, SpaceNeed, SpaceOption, StaggerDirection,
    WeekRepeat, WorkerOption,
};
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;
use familytime_store::AuditEvent;
use familytime_store::planning;
use familytime_store::referrals::CasePeople;
use familytime_store::schedule::{
    BookedParty, BookedStaff, Booking, BookingError, BookingStatus, Claim, NewBooking, PairWindow, PartyPlan,
    StaffProfile,
};
use jiff::ToSpan;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use std::collections::HashMap;

// ---- settings and calendar -------------------------------------------------------------------

async fn centre_for(state: &AppState, caller: &Caller, id: &str, action: Action) -> Result<CentreId, AppError> {
    let centre = parse_id(id, CentreId::parse)?;
    let org = caller.user()?.organisation_id;
    found(state, caller, state.store.centre(org, centre).await, "centre", centre).await?;
    authorize(
        state,
        caller,
        action,
        Object::Centre {
            organisation: org,
            centre,
        },
    )
    .await?;
    Ok(centre)
}

/// Everything the settings page shows for a centre.
pub struct CentreSchedule {
    pub centre: familytime_store::tenancy::Centre,
    pub settings: Settings,
    pub version: i64,
    pub openings: Vec<familytime_store::schedule::StoredOpening>,
    pub closures: Vec<familytime_store::schedule::StoredClosure>,
    pub entrances: Vec<(String, String)>,
    pub rooms: Vec<(familytime_store::tenancy::Room, Option<String>)>,
}

pub async fn centre_schedule(state: &AppState, caller: &Caller, id: &str) -> Result<CentreSchedule, AppError> {
    let centre = centre_for(state, caller, id, Action::ViewSchedule).await?;
    let org = caller.user()?.organisation_id;
    let (settings, version) = state.store.schedule_settings(org, centre).await?;
    Ok(CentreSchedule {
        centre: state.store.centre(org, centre).await?,
        settings,
        version,
        openings: state.store.opening_hours(org, centre).await?,
        closures: state.store.closures(org, centre).await?,
        entrances: state.store.entrances(org, centre).await?,
        rooms: state.store.rooms_with_approval(org, centre).await?,
    })
}

/// Settings as a form or the API sends them (numbers as text, so junk is reported, not lost).
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub direction: String,
    pub arrival_lead_minutes: String,
    pub handover_minutes: String,
    pub departure_delay_minutes: String,
    pub room_buffer_minutes: String,
    pub supervisors_required: String,
    pub families_per_worker: String,
    pub community_staff_required: String,
    pub travel_minutes: String,
    pub longest_session_minutes: String,
    pub version: i64,
}

fn number(errors: &mut FieldErrors, field: &'static str, text: &str) -> i64 {
    match text.trim().parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            errors.add(field, "Enter a whole number of minutes");
            0
        }
    }
}

impl SettingsInput {
    pub fn parse(&self) -> Result<Settings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let direction = StaggerDirection::parse(self.direction.trim());
        if direction.is_none() {
            errors.add("direction", "Choose who arrives first");
        }
        let mut small =
            |field: &'static str, text: &str| -> u8 { u8::try_from(number(&mut errors, field, text)).unwrap_or(0) };
        let supervisors_required = small("supervisors_required", &self.supervisors_required);
        let families_per_worker = small("families_per_worker", &self.families_per_worker);
        let community_staff_required = small("community_staff_required", &self.community_staff_required);
        let settings = Settings {
            direction: direction.unwrap_or(StaggerDirection::VisitingFirst),
            arrival_lead_minutes: number(&mut errors, "arrival_lead_minutes", &self.arrival_lead_minutes),
            handover_minutes: number(&mut errors, "handover_minutes", &self.handover_minutes),
            departure_delay_minutes: number(&mut errors, "departure_delay_minutes", &self.departure_delay_minutes),
            room_buffer_minutes: number(&mut errors, "room_buffer_minutes", &self.room_buffer_minutes),
            supervisors_required,
            families_per_worker,
            community_staff_required,
            travel_minutes: number(&mut errors, "travel_minutes", &self.travel_minutes),
            longest_session_minutes: number(&mut errors, "longest_session_minutes", &self.longest_session_minutes),
        };
        if errors.is_empty()
            && let Err(problems) = settings.validate()
        {
            for (field, message) in problems {
                errors.add(field, message);
            }
        }
        if errors.is_empty() { Ok(settings) } else { Err(errors) }
    }

    pub fn from_settings(s: &Settings, version: i64) -> SettingsInput {
        SettingsInput {
            direction: s.direction.as_str().into(),
            arrival_lead_minutes: s.arrival_lead_minutes.to_string(),
            handover_minutes: s.handover_minutes.to_string(),
            departure_delay_minutes: s.departure_delay_minutes.to_string(),
            room_buffer_minutes: s.room_buffer_minutes.to_string(),
            supervisors_required: s.supervisors_required.to_string(),
            families_per_worker: s.families_per_worker.to_string(),
            community_staff_required: s.community_staff_required.to_string(),
            travel_minutes: s.travel_minutes.to_string(),
            longest_session_minutes: s.longest_session_minutes.to_string(),
            version,
        }
    }
}

pub async fn save_settings(state: &AppState, caller: &Caller, id: &str, input: &SettingsInput) -> Result<(), AppError> {
    let centre = centre_for(state, caller, id, Action::ManageSchedule).await?;
    let settings = input.parse().map_err(AppError::Invalid)?;
    let org = caller.user()?.organisation_id;
    Ok(state
        .store
        .save_schedule_settings(&caller.scope(state.clock.now()), org, centre, &settings, input.version)
        .await?)
}

fn parse_time(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<Time> {
    errors.take(field, familytime_domain::dates::parse_time(text))
}

fn parse_date(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<Date> {
    errors.take(field, familytime_domain::dates::parse_date(text))
}

fn parse_weekday(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<jiff::civil::Weekday> {
    errors.take(
        field,
        text.trim()
            .parse::<i64>()
            .ok()
            .and_then(familytime_store::schedule::weekday_from)
            .ok_or_else(|| "Choose a day of the week".to_string()),
    )
}

/// An opening rule as a form sends it: weekday 1–7, opens, closes, and for alternate weeks a date
/// in the first week it applies.
#[derive(Debug, Clone, Default)]
pub struct OpeningInput {
    pub weekday: String,
    pub opens: String,
    pub closes: String,
    pub alternate_from: String,
}

pub async fn add_opening(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &OpeningInput,
) -> Result<String, AppError> {
    let centre = centre_for(state, caller, id, Action::ManageSchedule).await?;
    let mut errors = FieldErrors::new();
    let weekday = parse_weekday(&mut errors, "weekday", &input.weekday);
    let opens = parse_time(&mut errors, "opens", &input.opens);
    let closes = parse_time(&mut errors, "closes", &input.closes);
    let alternate = if input.alternate_from.trim().is_empty() {
        None
    } else {
        parse_date(&mut errors, "alternate_from", &input.alternate_from)
    };
    let (Some(weekday), Some(opens), Some(closes)) = (weekday, opens, closes) else {
        return Err(AppError::Invalid(errors));
    };
    if closes <= opens {
        errors.add("closes", "The closing time must be after the opening time");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let rule = OpeningRule {
        weekday,
        opens,
        closes,
        repeat: alternate.map_or(WeekRepeat::Every, |from| WeekRepeat::Alternate { from }),
    };
    let org = caller.user()?.organisation_id;
    Ok(state
        .store
        .add_opening(&caller.scope(state.clock.now()), org, centre, &rule)
        .await?)
}

pub async fn remove_opening(state: &AppState, caller: &Caller, id: &str, opening: &str) -> Result<(), AppError> {
    centre_for(state, caller, id, Action::ManageSchedule).await?;
    let org = caller.user()?.organisation_id;
    let answer = state
        .store
        .remove_opening(&caller.scope(state.clock.now()), org, opening)
        .await;
    found(state, caller, answer, "opening", opening).await
}

pub async fn add_closure(
    state: &AppState,
    caller: &Caller,
    id: &str,
    first: &str,
    last: &str,
    reason: &str,
) -> Result<String, AppError> {
    let centre = centre_for(state, caller, id, Action::ManageSchedule).await?;
    let mut errors = FieldErrors::new();
    let first_day = parse_date(&mut errors, "first_day", first);
    let last_day = if last.trim().is_empty() {
        first_day
    } else {
        parse_date(&mut errors, "last_day", last)
    };
    let reason = reason.trim();
    if reason.is_empty() || reason.len() > 200 {
        errors.add("reason", "Say why the centre is closed (up to 200 characters)");
    }
    let (Some(first_day), Some(last_day)) = (first_day, last_day) else {
        return Err(AppError::Invalid(errors));
    };
    if last_day < first_day {
        errors.add("last_day", "The last day must be on or after the first");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let org = caller.user()?.organisation_id;
    let closure = Closure {
        first_day,
        last_day,
        reason: reason.to_owned(),
    };
    Ok(state
        .store
        .add_closure(&caller.scope(state.clock.now()), org, centre, &closure)
        .await?)
}

pub async fn remove_closure(state: &AppState, caller: &Caller, id: &str, closure: &str) -> Result<(), AppError> {
    centre_for(state, caller, id, Action::ManageSchedule).await?;
    let org = caller.user()?.organisation_id;
    let answer = state
        .store
        .remove_closure(&caller.scope(state.clock.now()), org, closure)
        .await;
    found(state, caller, answer, "closure", closure).await
}

pub async fn add_entrance(state: &AppState, caller: &Caller, id: &str, name: &str) -> Result<String, AppError> {
    let centre = centre_for(state, caller, id, Action::ManageSchedule).await?;
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(AppError::Invalid(FieldErrors::single(
            "name",
            "Name the entrance (up to 100 characters)",
        )));
    }
    let org = caller.user()?.organisation_id;
    match state
        .store
        .add_entrance(&caller.scope(state.clock.now()), org, centre, name)
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Invalid(FieldErrors::single("name", m))),
        other => Ok(other?),
    }
}

/// Approves an off-site venue (a room of kind "off-site venue") for contact.
pub async fn approve_venue(
    state: &AppState,
    caller: &Caller,
    room: &str,
    kind: &str,
    notes: &str,
) -> Result<(), AppError> {
    let room_id = parse_id(room, familytime_domain::ids::RoomId::parse)?;
    let org = caller.user()?.organisation_id;
    let room = found(state, caller, state.store.room(org, room_id).await, "room", room_id).await?;
    authorize(
        state,
        caller,
        Action::ManageSchedule,
        Object::Centre {
            organisation: org,
            centre: room.centre_id,
        },
    )
    .await?;
    let mut errors = FieldErrors::new();
    if room.kind != RoomKind::OffSiteVenue {
        errors.add("room", "Only an off-site venue needs approval");
    }
    if !["community", "hospital", "home"].contains(&kind) {
        errors.add("venue_kind", "Choose community, hospital or home");
    }
    if notes.trim().is_empty() {
        errors.add("notes", "Say why the venue is suitable and safe");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(state
        .store
        .approve_venue(
            &caller.scope(state.clock.now()),
            org,
            &room_id.to_string(),
            kind,
            notes.trim(),
        )
        .await?)
}

// ---- staff -------------------------------------------------------------------------------------

pub async fn staff(state: &AppState, caller: &Caller) -> Result<Vec<StaffProfile>, AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ViewSchedule, Object::Organisation(org)).await?;
    Ok(state.store.staff_profiles(org).await?)
}

/// A staff profile as a form sends it; hours as lines "1 09:00-17:00" (weekday, times).
#[derive(Debug, Clone, Default)]
pub struct StaffInput {
    pub qualified_supervised: bool,
    pub qualifications: String,
    pub dbs_checked_on: String,
    pub hours: String,
    /// The profile's version as read (0 before it was ever saved).
    pub version: i64,
}

/// Reads weekly hours written one per line as "weekday HH:MM-HH:MM" (weekday 1 = Monday).
pub fn parse_hours(errors: &mut FieldErrors, field: &'static str, text: &str) -> Vec<(i8, Time, Time)> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parsed = line.split_once(' ').and_then(|(day, times)| {
            let day: i8 = day.trim().parse().ok().filter(|d| (1..=7).contains(d))?;
            let (from, to) = times.trim().split_once('-')?;
            let from = familytime_domain::dates::parse_time(from.trim()).ok()?;
            let to = familytime_domain::dates::parse_time(to.trim()).ok()?;
            (from < to).then_some((day, from, to))
        });
        match parsed {
            Some(h) => out.push(h),
            None => {
                errors.add(
                    field,
                    format!("\u{201c}{line}\u{201d} should look like 1 09:00-17:00 (1 is Monday)"),
                );
            }
        }
    }
    out
}

pub async fn save_staff(state: &AppState, caller: &Caller, user: &str, input: &StaffInput) -> Result<(), AppError> {
    let user_id = parse_id(user, UserId::parse)?;
    let org = caller.user()?.organisation_id;
    let person = found(state, caller, state.store.user(org, user_id).await, "user", user_id).await?;
    authorize(state, caller, Action::ManageSchedule, Object::Organisation(org)).await?;
    let mut errors = FieldErrors::new();
    if !person.role.is_staff() {
        errors.add("user", "Only staff and volunteers are rostered");
    }
    let dbs = if input.dbs_checked_on.trim().is_empty() {
        None
    } else {
        parse_date(&mut errors, "dbs_checked_on", &input.dbs_checked_on)
    };
    let hours = parse_hours(&mut errors, "hours", &input.hours);
    if input.qualifications.len() > 500 {
        errors.add("qualifications", "Keep qualifications under 500 characters");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(state
        .store
        .save_staff_profile(
            &caller.scope(state.clock.now()),
            org,
            user_id,
            input.qualified_supervised,
            input.qualifications.trim(),
            dbs,
            &hours,
            input.version,
        )
        .await?)
}

pub async fn add_leave(state: &AppState, caller: &Caller, user: &str, first: &str, last: &str) -> Result<(), AppError> {
    let user_id = parse_id(user, UserId::parse)?;
    let org = caller.user()?.organisation_id;
    found(state, caller, state.store.user(org, user_id).await, "user", user_id).await?;
    authorize(state, caller, Action::ManageSchedule, Object::Organisation(org)).await?;
    let mut errors = FieldErrors::new();
    let first = parse_date(&mut errors, "first_day", first);
    let last = parse_date(&mut errors, "last_day", last);
    match (first, last) {
        (Some(f), Some(l)) if l >= f => Ok(state
            .store
            .add_staff_leave(&caller.scope(state.clock.now()), org, user_id, f, l)
            .await?),
        (Some(_), Some(_)) => Err(AppError::Invalid(FieldErrors::single(
            "last_day",
            "The last day must be on or after the first",
        ))),
        _ => Err(AppError::Invalid(errors)),
    }
}

// ---- the case's scheduling --------------------------------------------------------------------

/// The versions of a case's list-shaped records, for its file: the usual workers (with their list's
/// version) and each adult's linked-account version.
pub struct CaseLists {
    pub workers: Vec<UserId>,
    pub workers_version: i64,
    pub party_account_versions: Vec<(String, i64)>,
}

pub async fn case_lists(state: &AppState, caller: &Caller, case: &str) -> Result<CaseLists, AppError> {
    use familytime_store::versions::ListKind;
    let file = case_file(state, caller, case, Action::ViewCases).await?;
    let org = file_org(caller)?;
    let case = file.summary.id.to_string();
    let mut party_account_versions = Vec::new();
    for p in &file.parties {
        let id = p.id.to_string();
        let version = state.store.list_version(org, ListKind::PartyAccount, &id).await?;
        party_account_versions.push((id, version));
    }
    Ok(CaseLists {
        workers: state.store.case_workers(org, file.summary.id).await?,
        workers_version: state.store.list_version(org, ListKind::CaseWorkers, &case).await?,
        party_account_versions,
    })
}

/// Sets the family's usual workers.
pub async fn set_case_workers(
    state: &AppState,
    caller: &Caller,
    case: &str,
    workers: &[String],
    version: i64,
) -> Result<(), AppError> {
    let file = case_file(state, caller, case, Action::ManageSchedule).await?;
    let org = file_org(caller)?;
    let staff = state.store.staff_profiles(org).await?;
    let mut ids = Vec::new();
    for w in workers.iter().filter(|w| !w.trim().is_empty()) {
        match UserId::parse(w)
            .ok()
            .filter(|id| staff.iter().any(|s| s.user_id == *id))
        {
            Some(id) => ids.push(id),
            None => {
                return Err(AppError::Invalid(FieldErrors::single(
                    "workers",
                    "Choose workers from the list",
                )));
            }
        }
    }
    Ok(state
        .store
        .set_case_workers(&caller.scope(state.clock.now()), org, file.summary.id, &ids, version)
        .await?)
}

/// The days and hours an adult of the case can come, as the case page's form sends them: days of
/// the week (1 Monday – 7 Sunday), and one from/to time for those days. No days: any time the
/// centre is open.
#[derive(Debug, Clone, Default)]
pub struct AvailabilityInput {
    pub days: Vec<String>,
    pub from: String,
    pub to: String,
}

/// Sets when an adult of this case can come; the free-time search keeps to it. Every mistake is
/// reported at once and nothing is changed.
pub async fn set_party_availability(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    input: &AvailabilityInput,
) -> Result<(), AppError> {
    let file = case_file(state, caller, case, Action::ManageSchedule).await?;
    let org = file_org(caller)?;
    let mut errors = FieldErrors::new();
    let party = familytime_domain::ids::PartyId::parse(party.trim())
        .ok()
        .filter(|p| file.parties.iter().any(|x| x.id == *p));
    if party.is_none() {
        errors.add("party_id", "Choose one of the adults on this case");
    }
    let mut days = Vec::new();
    for d in input.days.iter().filter(|d| !d.trim().is_empty()) {
        match d.trim().parse::<i8>() {
            Ok(n) if (1..=7).contains(&n) && !days.contains(&n) => days.push(n),
            _ => {
                errors.add("days", "Choose days of the week from the list");
                break;
            }
        }
    }
    let (from, to) = if days.is_empty() && input.from.trim().is_empty() && input.to.trim().is_empty() {
        (None, None)
    } else {
        if days.is_empty() {
            errors.add("days", "Choose the days they can come");
        }
        (
            parse_time(&mut errors, "from", &input.from),
            parse_time(&mut errors, "to", &input.to),
        )
    };
    if let (Some(f), Some(t)) = (from, to)
        && t <= f
    {
        errors.add("to", "The end time must be after the start time");
    }
    let Some(party) = party.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let hours: Vec<(i8, Time, Time)> = match (from, to) {
        (Some(f), Some(t)) => days.iter().map(|d| (*d, f, t)).collect(),
        _ => Vec::new(),
    };
    Ok(state
        .store
        .set_party_availability(&caller.scope(state.clock.now()), org, &party.to_string(), &hours)
        .await?)
}

/// The people a never-meet rule for this case may name: the adults of the centre's open cases
/// (this case's first), each with their case's reference, so the coordinator chooses a person
/// rather than pasting an identifier. Decided by the same authorisation as adding the rule (managing
/// the schedule of cases at this centre); the read of other families' names is audited.
pub async fn never_meet_candidates(
    state: &AppState,
    caller: &Caller,
    file: &familytime_store::referrals::CaseFile,
) -> Result<Vec<familytime_store::schedule::CentreAdult>, AppError> {
    let org = file_org(caller)?;
    let object = Object::Case {
        organisation: org,
        centre: file.summary.centre_id,
        referred_by: None,
    };
    authorize(state, caller, Action::ManageSchedule, object).await?;
    let mut adults = state.store.centre_adults(org, file.summary.centre_id).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("case.adults_listed", "centre", file.summary.centre_id),
        )
        .await?;
    let this = file.summary.id.to_string();
    adults.sort_by_key(|a| a.case_id != this);
    Ok(adults)
}

/// Keeps an adult of this case apart from another adult (of this or another case).
pub async fn add_never_meet(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    other_party: &str,
    reason: &str,
) -> Result<String, AppError> {
    let file = case_file(state, caller, case, Action::ManageSchedule).await?;
    let org = file_org(caller)?;
    let mut errors = FieldErrors::new();
    let party = familytime_domain::ids::PartyId::parse(party)
        .ok()
        .filter(|p| file.parties.iter().any(|x| x.id == *p));
    if party.is_none() {
        errors.add("party_id", "Choose one of the adults on this case");
    }
    if reason.trim().is_empty() {
        errors.add(
            "reason",
            "Say why they must not meet (for example, a non-molestation order)",
        );
    }
    let other = familytime_domain::ids::PartyId::parse(other_party.trim()).ok();
    let other_case = match other {
        Some(o) => state.store.party_case(org, o).await.ok(),
        None => None,
    };
    let Some(other_case) = other_case else {
        errors.add("other_party_id", "Choose the other person from the list");
        return Err(AppError::Invalid(errors));
    };
    // The other person's case must be one the caller may manage too.
    case_file(state, caller, &other_case.to_string(), Action::ManageSchedule).await?;
    let (Some(party), Some(other)) = (party, other) else {
        return Err(AppError::Invalid(errors));
    };
    if party == other {
        errors.add("other_party_id", "Choose someone else");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    match state
        .store
        .add_never_meet(
            &caller.scope(state.clock.now()),
            org,
            &party.to_string(),
            &other.to_string(),
            reason.trim(),
        )
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Conflict(m)),
        other => Ok(other?),
    }
}

/// The family rooms (open ones) and the staff of a centre a pre-visit there can take, as (id, name),
/// for the case page's form. Read only: nothing is planned or written.
pub async fn pre_visit_choices(
    state: &AppState,
    caller: &Caller,
    centre: CentreId,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), AppError> {
    let org = caller.user()?.organisation_id;
    authorize(
        state,
        caller,
        Action::ManageSchedule,
        Object::Centre {
            organisation: org,
            centre,
        },
    )
    .await?;
    let rooms = state
        .store
        .rooms_with_approval(org, centre)
        .await?
        .into_iter()
        .filter(|(r, _)| r.active && r.kind == RoomKind::FamilyRoom)
        .map(|(r, _)| (r.id.to_string(), r.name))
        .collect();
    let staff = state
        .store
        .staff_profiles(org)
        .await?
        .into_iter()
        .filter(|p| p.works_at(centre))
        .map(|p| (p.user_id.to_string(), p.name))
        .collect();
    Ok((rooms, staff))
}

/// Where each booked pre-visit of a case is held, as (pre-visit id, "Family room 1, with Sam
/// Jones"), for the case page. The caller has opened the case file.
pub async fn pre_visit_places(
    state: &AppState,
    caller: &Caller,
    visits: &[familytime_store::previsits::PreVisit],
) -> Result<Vec<(String, String)>, AppError> {
    let org = caller.user()?.organisation_id;
    let booked: Vec<(String, BookingId)> = visits
        .iter()
        .filter_map(|v| {
            let booking = BookingId::parse(v.booking_id.as_deref()?).ok()?;
            Some((v.id.clone(), booking))
        })
        .collect();
    if booked.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<BookingId> = booked.iter().map(|(_, b)| *b).collect();
    let staff = state.store.booked_staff(org, &ids).await?;
    let mut places = Vec::new();
    for (visit, id) in booked {
        let booking = state.store.booking(org, id).await?;
        let names: Vec<&str> = staff
            .iter()
            .filter(|s| s.booking_id == id.to_string())
            .map(|s| s.name.as_str())
            .collect();
        let room = booking.room_name.unwrap_or_else(|| "No room".into());
        let place = if names.is_empty() {
            room
        } else {
            format!("{room}, with {}", names.join(" and "))
        };
        places.push((visit, place));
    }
    Ok(places)
}

/// A booking request as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct BookingInput {
    pub kind: String,
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub repeat: String,
    pub count: String,
    pub until: String,
    pub room_id: String,
    pub staff: Vec<String>,
    /// For a pre-visit or review: the one adult who comes.
    pub party_id: String,
}

/// A free time offered instead of one that clashes.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub span: Interval,
    pub room_id: Option<String>,
    pub staff: Vec<UserId>,
}

/// Why sessions could not be booked: each date that failed and why, with the nearest free times.
#[derive(Debug, Clone)]
pub struct BookingRefused {
    pub failures: Vec<(Timestamp, String)>,
    pub alternatives: Vec<(Timestamp, Vec<Alternative>)>,
    pub zone: TimeZone,
}

impl BookingRefused {
    /// The refusal in words, one line per date.
    pub fn message(&self) -> String {
        let mut lines = Vec::new();
        for (at, why) in &self.failures {
            lines.push(format!("{}: {why}", local(&self.zone, *at)));
        }
        for (at, alternatives) in &self.alternatives {
            if !alternatives.is_empty() {
                let offers: Vec<String> = alternatives.iter().map(|a| local(&self.zone, a.span.start)).collect();
                lines.push(format!(
                    "Nearest free times for {}: {}",
                    local(&self.zone, *at),
                    offers.join(", ")
                ));
            }
        }
        lines.join("\n")
    }
}

/// "2026-12-01 10:00" in the centre's zone.
pub fn local(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M").to_string()
}

/// The outcome of a booking request.
pub enum BookingOutcome {
    Booked(Vec<Booking>, TimeZone),
    Refused(BookingRefused),
}

/// Everything known about a case for planning its sessions.
struct Planner {
    org: OrganisationId,
    file: CasePeople,
    kind: BookingKind,
    settings: Settings,
    calendar: Calendar,
    centre_name: String,
    rooms: Vec<(familytime_store::tenancy::Room, Option<String>)>,
    staff: Vec<StaffProfile>,
    pairs: Vec<familytime_store::schedule::NeverMeetPair>,
    /// The centre's prices and the case's funding, for charging what is booked.
    charging: planning::Charging,
}

/// Which rooms and staff a planner loads: everyone (to search for free times) or only those a
/// booking names, so booking costs the same however large the centre is.
#[derive(Clone, Copy)]
enum Roster<'a> {
    Everyone,
    Only { room: &'a str, staff: &'a [String] },
}

fn refusal(field: &'static str, r: Refusal) -> AppError {
    AppError::Invalid(FieldErrors::single(field, r.to_string()))
}

/// The people of a case, for planning its sessions: found and authorised as `case_file` does
/// (an unknown case is audited and `NotFound`), without reading the whole file.
async fn planning_case(state: &AppState, caller: &Caller, id: &str) -> Result<CasePeople, AppError> {
    let id = parse_id(id, familytime_domain::ids::CaseId::parse)?;
    let org = caller.user()?.organisation_id;
    let file = found(state, caller, state.store.case_people(org, id).await, "case", id).await?;
    let object = Object::Case {
        organisation: org,
        centre: file.summary.centre_id,
        referred_by: file.summary.referrer_user_id,
    };
    authorize(state, caller, Action::ManageSchedule, object).await?;
    Ok(file)
}

impl Planner {
    async fn load(
        state: &AppState,
        caller: &Caller,
        case: &str,
        kind: &str,
        roster: Roster<'_>,
    ) -> Result<Planner, AppError> {
        let file = planning_case(state, caller, case).await?;
        let org = file_org(caller)?;
        let kind = BookingKind::parse(kind.trim())
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("kind", "Choose the kind of session")))?;
        if kind == BookingKind::Contact(familytime_domain::referrals::Service::Indirect) {
            return Err(refusal("kind", Refusal::NotBookable));
        }
        let status = file.summary.status;
        let ready = match kind {
            BookingKind::Contact(_) => matches!(
                status,
                CaseStatus::Accepted | CaseStatus::Active | CaseStatus::UnderReview
            ),
            _ => !matches!(
                status,
                CaseStatus::Closed | CaseStatus::Declined | CaseStatus::Signposted
            ),
        };
        if !ready {
            return Err(refusal("kind", Refusal::CaseNotReady));
        }
        let staff_ids: Vec<UserId>;
        let roster = match roster {
            Roster::Everyone => planning::Roster::Everyone,
            Roster::Only { room, staff } => {
                staff_ids = staff.iter().filter_map(|s| UserId::parse(s.trim()).ok()).collect();
                planning::Roster::Only {
                    room: RoomId::parse(room.trim()).ok(),
                    staff: &staff_ids,
                }
            }
        };
        let planning = state
            .store
            .planning(org, file.summary.centre_id, file.summary.id, roster)
            .await?;
        let parties: Vec<(String, bool)> = file
            .parties
            .iter()
            .map(|p| (p.id.to_string(), p.role == PartyRole::Resident))
            .collect();
        let pairs = state
            .store
            .case_pairs(org, file.summary.id, &parties, planning.pairs, state.clock.now())
            .await?;
        let (settings, calendar, centre_name) = (
            planning.rules.settings,
            planning.rules.calendar,
            planning.rules.centre_name,
        );
        let (rooms, staff, charging) = (planning.rooms, planning.staff, planning.charging);
        Ok(Planner {
            org,
            kind,
            settings,
            calendar,
            centre_name,
            rooms,
            staff,
            pairs,
            charging,
            file,
        })
    }

    fn needs(&self) -> rules::Needs {
        self.kind.needs(&self.settings)
    }

    /// Who comes, and how: for a pre-visit or review the one adult chosen; otherwise the adults
    /// allowed to attend, the resident parent bringing the child.
    fn attendees(&self, party: &str) -> Result<Vec<(String, String, Attendance)>, AppError> {
        match self.kind {
            BookingKind::PreVisit | BookingKind::Review => {
                let p = self
                    .file
                    .parties
                    .iter()
                    .find(|p| p.id.to_string() == party.trim())
                    .ok_or_else(|| refusal("party_id", Refusal::NoParties))?;
                Ok(vec![(p.id.to_string(), p.name.clone(), Attendance::Alone)])
            }
            BookingKind::Contact(_) => {
                let people: Vec<_> = self
                    .file
                    .parties
                    .iter()
                    .filter(|p| p.may_attend)
                    .map(|p| {
                        let attendance = if p.role == PartyRole::Resident {
                            Attendance::BringsChild
                        } else {
                            Attendance::HasContact
                        };
                        (p.id.to_string(), p.name.clone(), attendance)
                    })
                    .collect();
                if people.is_empty() {
                    return Err(refusal("party_id", Refusal::NoParties));
                }
                Ok(people)
            }
        }
    }

    /// The chosen space, checked against what this kind of session needs.
    fn space(&self, room_id: &str) -> Result<Option<(familytime_store::tenancy::Room, Option<String>)>, AppError> {
        let need = self.needs().space;
        if need == SpaceNeed::None {
            return Ok(None);
        }
        let Some((room, approval)) = self.rooms.iter().find(|(r, _)| r.id.to_string() == room_id.trim()) else {
            return Err(refusal("room_id", Refusal::NoSpace));
        };
        if !room.active {
            return Err(refusal("room_id", Refusal::RoomInactive));
        }
        let fits = match need {
            SpaceNeed::FamilyRoom => room.kind == RoomKind::FamilyRoom,
            SpaceNeed::Hall => room.kind == RoomKind::Hall,
            SpaceNeed::Venue => room.kind == RoomKind::OffSiteVenue,
            SpaceNeed::None => true,
        };
        if !fits {
            return Err(refusal("room_id", Refusal::WrongSpace));
        }
        if need == SpaceNeed::Venue && approval.is_none() {
            return Err(refusal("room_id", Refusal::VenueNotApproved));
        }
        Ok(Some((room.clone(), approval.clone())))
    }

    fn site(&self, room: Option<&familytime_store::tenancy::Room>) -> String {
        match (self.needs().space, room) {
            (SpaceNeed::Venue, Some(r)) => format!("venue:{}", r.id),
            _ => format!("centre:{}", self.file.summary.centre_id),
        }
    }

    /// Whether a staff member works through a span (their weekly hours, less leave; someone with
    /// no hours recorded works whenever the centre is open).
    fn works(&self, person: &StaffProfile, span: &Interval) -> bool {
        working_intervals(
            &person.availability,
            &person.leave,
            &self.calendar.zone,
            self.calendar.local_date(span.start),
            1,
        )
        .iter()
        .any(|w| w.contains(span))
    }

    /// The chosen staff, checked.
    fn chosen_staff(&self, staff: &[String]) -> Result<Vec<&StaffProfile>, AppError> {
        let needs = self.needs();
        let mut chosen = Vec::new();
        for id in staff.iter().filter(|s| !s.trim().is_empty()) {
            let person = self
                .staff
                .iter()
                .find(|p| p.user_id.to_string() == id.trim())
                .ok_or_else(|| AppError::Invalid(FieldErrors::single("staff", "Choose staff from the list")))?;
            if !person.works_at(self.file.summary.centre_id) {
                return Err(AppError::Invalid(FieldErrors::single(
                    "staff",
                    format!("{} works only at other centres", person.name),
                )));
            }
            if needs.qualified && !person.qualified_supervised {
                return Err(refusal(
                    "staff",
                    Refusal::StaffNotQualified {
                        name: person.name.clone(),
                    },
                ));
            }
            if !chosen.iter().any(|c: &&StaffProfile| c.user_id == person.user_id) {
                chosen.push(person);
            }
        }
        let needed = self.settings.staff_for(&needs, 1);
        if (chosen.len() as u32) < needed {
            return Err(refusal("staff", Refusal::NotEnoughStaff { needed }));
        }
        Ok(chosen)
    }

    /// The booking for one session: the plan for each party, the claims and the never-meet windows.
    #[allow(clippy::too_many_arguments)]
    fn session(
        &self,
        span: Interval,
        room: Option<&(familytime_store::tenancy::Room, Option<String>)>,
        staff: &[&StaffProfile],
        attendees: &[(String, String, Attendance)],
        series: Option<&SeriesId>,
        now: Timestamp,
    ) -> Result<NewBooking, AppError> {
        let needs = self.needs();
        if needs.space != SpaceNeed::Venue {
            self.calendar.check_open(&span).map_err(|r| refusal("date", r))?;
        }
        for person in staff {
            if !self.works(person, &rules::staff_span(&span, &self.settings, &needs)) {
                return Err(refusal(
                    "staff",
                    Refusal::StaffUnavailable {
                        name: person.name.clone(),
                    },
                ));
            }
        }
        let windows = rules::on_site_windows(
            needs.arrivals,
            &span,
            &self.settings,
            &attendees.iter().map(|(id, _, a)| (id.clone(), *a)).collect::<Vec<_>>(),
        );
        let site = self.site(room.map(|r| &r.0));
        let mut claims = Vec::new();
        if let Some((r, _)) = room {
            claims.push(Claim {
                resource: format!("room:{}", r.id),
                exclusive: r.kind != RoomKind::Hall,
                span: rules::room_span(&span, &self.settings),
                label: r.name.clone(),
            });
        }
        for person in staff {
            claims.push(Claim {
                resource: format!("staff:{}", person.user_id),
                exclusive: true,
                span: rules::staff_span(&span, &self.settings, &needs),
                label: person.name.clone(),
            });
        }
        let children: Vec<String> = match self.kind {
            BookingKind::Contact(_) => self.file.children.iter().map(|c| c.id.to_string()).collect(),
            _ => Vec::new(),
        };
        for child in &self.file.children {
            if children.contains(&child.id.to_string()) {
                claims.push(Claim {
                    resource: format!("child:{}", child.id),
                    exclusive: true,
                    span,
                    label: child.name.clone(),
                });
            }
        }
        let mut plans = Vec::new();
        let mut pair_windows = Vec::new();
        for (id, name, attendance) in attendees {
            let presence = windows.iter().find(|w| &w.party == id);
            let whole = presence
                .and_then(|p| Interval::new(p.arrives, p.leaves))
                .unwrap_or(span);
            claims.push(Claim {
                resource: format!("party:{id}"),
                exclusive: true,
                span: whole,
                label: name.clone(),
            });
            plans.push(PartyPlan {
                party_id: id.clone(),
                attendance: match attendance {
                    Attendance::BringsChild => "brings_child",
                    Attendance::HasContact => "has_contact",
                    Attendance::Alone => "alone",
                },
                arrives: whole.start,
                leaves: whole.end,
                entrance_id: None,
                waits_in: None,
            });
            if let Some(presence) = presence {
                for pair in self.pairs.iter().filter(|p| &p.party_a == id || &p.party_b == id) {
                    // An adult at a pre-visit is there alone: nobody they must not meet may be on
                    // site for any of it (not only while arriving and leaving).
                    let separation = if pair.separation == "added" || self.kind == BookingKind::PreVisit {
                        Separation::Added
                    } else {
                        Separation::SameCase
                    };
                    for w in separation.windows(presence) {
                        pair_windows.push(PairWindow {
                            pair_id: pair.id.clone(),
                            party_id: id.clone(),
                            site: site.clone(),
                            span: *w,
                            label: name.clone(),
                        });
                    }
                }
            }
        }
        Ok(NewBooking {
            id: BookingId::new_v7(now),
            centre_id: self.file.summary.centre_id,
            case_id: Some(self.file.summary.id),
            kind: self.kind.as_str().to_owned(),
            room_id: room.map(|r| r.0.id.to_string()),
            hall_capacity: room
                .filter(|r| r.0.kind == RoomKind::Hall)
                .map(|r| u32::try_from(r.0.capacity_families).unwrap_or(1)),
            span,
            series_id: series.map(|s| s.to_string()),
            video_token: needs.video_link.then(crate::secrets::random_token),
            staff: staff.iter().map(|s| s.user_id).collect(),
            parties: plans,
            children,
            claims,
            pair_windows,
            rescheduled_from: None,
            charges: Vec::new(),
            pre_visit: None,
        })
    }
}

/// A staff member's working intervals over `days` days from `first`, in the centre's zone.
/// The times someone can be booked over `days` days from `first`: their weekly hours (all day when
/// they gave none), less their leave.
fn working_intervals(
    weekly: &[(i8, Time, Time)],
    leave: &[(Date, Date)],
    zone: &TimeZone,
    first: Date,
    days: i64,
) -> Vec<Interval> {
    let mut out = Vec::new();
    for offset in 0..days {
        let Ok(date) = first.checked_add(offset.days()) else {
            break;
        };
        if leave.iter().any(|(f, l)| *f <= date && date <= *l) {
            continue;
        }
        let day = familytime_store::schedule::weekday_number(date.weekday());
        let hours: Vec<(Time, Time)> = if weekly.is_empty() {
            vec![(Time::MIN, Time::constant(23, 59, 0, 0))]
        } else {
            weekly
                .iter()
                .filter(|(d, _, _)| *d == day)
                .map(|(_, s, e)| (*s, *e))
                .collect()
        };
        for (s, e) in hours {
            let start = zone.to_ambiguous_timestamp(date.to_datetime(s)).compatible();
            let end = zone.to_ambiguous_timestamp(date.to_datetime(e)).compatible();
            if let (Ok(start), Ok(end)) = (start, end) {
                out.extend(Interval::new(start, end));
            }
        }
    }
    out
}

fn series_request(
    input: &BookingInput,
    zone_first: Option<jiff::civil::DateTime>,
) -> Result<SeriesRequest, FieldErrors> {
    let mut errors = FieldErrors::new();
    let minutes = input.minutes.trim().parse::<i64>().ok();
    if minutes.is_none() {
        errors.add("minutes", "Enter the length in minutes, like 120");
    }
    let repeat = Repeat::parse(input.repeat.trim());
    if repeat.is_none() {
        errors.add("repeat", "Choose how often");
    }
    let end = match (input.count.trim(), input.until.trim()) {
        ("", "") => Some(SeriesEnd::Count(1)),
        (count, "") => match count.parse::<u32>() {
            Ok(n) => Some(SeriesEnd::Count(n)),
            Err(_) => {
                errors.add("count", "Enter the number of sessions, like 6");
                None
            }
        },
        (_, until) => parse_date(&mut errors, "until", until).map(SeriesEnd::Until),
    };
    match (zone_first, minutes, repeat, end) {
        (Some(first), Some(minutes), Some(repeat), Some(end)) if errors.is_empty() => Ok(SeriesRequest {
            first,
            minutes,
            repeat,
            end,
        }),
        _ => Err(errors),
    }
}

/// Books one session or a whole series for a case, or says which dates fail and offers the nearest
/// free times for each. The database refuses a clash even when two requests race; the loser is
/// checked again so its answer names what it clashed with.
pub async fn book(
    state: &AppState,
    caller: &Caller,
    case: &str,
    input: &BookingInput,
) -> Result<BookingOutcome, AppError> {
    let roster = Roster::Only {
        room: &input.room_id,
        staff: &input.staff,
    };
    let planner = Planner::load(state, caller, case, &input.kind, roster).await?;
    let mut errors = FieldErrors::new();
    let date = parse_date(&mut errors, "date", &input.date);
    let time = parse_time(&mut errors, "time", &input.time);
    let first = match (date, time) {
        (Some(d), Some(t)) => Some(d.to_datetime(t)),
        _ => None,
    };
    let request = series_request(input, first).map_err(|mut e| {
        e.extend(errors.clone());
        AppError::Invalid(e)
    })?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let zone = planner.calendar.zone.clone();
    let spans = rules::occurrences(&zone, &request, planner.settings.longest_session_minutes).map_err(|r| {
        let field = match r {
            Refusal::Occurrences => "count",
            Refusal::TooLong { .. } | Refusal::EndsBeforeStart => "minutes",
            _ => "date",
        };
        refusal(field, r)
    })?;
    let now = state.clock.now();
    if spans.first().is_some_and(|s| s.start < now) {
        return Err(AppError::Invalid(FieldErrors::single(
            "date",
            "Choose a time in the future",
        )));
    }
    let room = planner.space(&input.room_id)?;
    let staff = planner.chosen_staff(&input.staff)?;
    let attendees = planner.attendees(&input.party_id)?;
    if planner.kind == BookingKind::PreVisit {
        if spans.len() > 1 {
            return Err(AppError::Invalid(FieldErrors::single(
                "repeat",
                "A pre-visit is booked one at a time",
            )));
        }
        // Each adult's visit is their own and never together (the database keeps their time on
        // site apart too, through the never-meet windows).
        let party = attendees.first().map(|(id, _, _)| id.as_str()).unwrap_or_default();
        let party =
            familytime_domain::ids::PartyId::parse(party).map_err(|_| refusal("party_id", Refusal::NoParties))?;
        let existing: Vec<_> = state
            .store
            .pre_visits(planner.org, planner.file.summary.id)
            .await?
            .iter()
            .map(|v| v.as_visit())
            .collect();
        if let Some(span) = spans.first() {
            familytime_domain::previsits::check_new_visit(&existing, party, span.start)
                .map_err(|m| AppError::Invalid(FieldErrors::single("time", m)))?;
        }
    }
    let series = (spans.len() > 1).then(|| SeriesId::new_v7(now));
    let mut sessions = Vec::new();
    let mut failures = Vec::new();
    for span in &spans {
        match planner.session(*span, room.as_ref(), &staff, &attendees, series.as_ref(), now) {
            Ok(s) => sessions.push(s),
            Err(AppError::Invalid(e)) if spans.len() > 1 => {
                failures.push((span.start, e.messages().join("; ")));
            }
            Err(e) => return Err(e),
        }
    }
    if planner.kind == BookingKind::PreVisit {
        for session in &mut sessions {
            session.pre_visit = Some(uuid::Uuid::now_v7().to_string());
        }
    }
    if failures.is_empty() {
        failures = super::billing::charge_sessions(
            state,
            &planner.charging,
            planner.org,
            &planner.file,
            &zone,
            &mut sessions,
            None,
        )
        .await?;
    }
    if failures.is_empty() {
        let scope = caller.scope(now);
        let mut answer = state.store.book(&scope, planner.org, &sessions).await;
        if matches!(&answer, Err(BookingError::Clashes(c)) if c.is_empty()) {
            // Lost a race on PostgreSQL: check again to name the clash.
            answer = state.store.book(&scope, planner.org, &sessions).await;
        }
        match answer {
            Ok(()) => {
                let room_name = room.as_ref().map(|(r, _)| r.name.as_str());
                let booked = sessions
                    .iter()
                    .map(|s| {
                        Booking::written(
                            s,
                            &planner.centre_name,
                            Some(&planner.file.summary.reference),
                            room_name,
                        )
                    })
                    .collect();
                return Ok(BookingOutcome::Booked(booked, zone));
            }
            Err(BookingError::Clashes(clashes)) if clashes.is_empty() => {
                failures.push((spans[0].start, "Someone else booked the same time a moment ago".into()));
            }
            Err(BookingError::Clashes(clashes)) => {
                for c in clashes {
                    failures.push((c.starts, c.what));
                }
            }
            Err(BookingError::Store(e)) => return Err(e.into()),
        }
    }
    // The nearest free times may use any room and anyone on the roster.
    let everyone = Planner::load(state, caller, case, &input.kind, Roster::Everyone).await?;
    let mut alternatives = Vec::new();
    let mut failed_dates: Vec<Timestamp> = failures.iter().map(|f| f.0).collect();
    failed_dates.dedup();
    for at in failed_dates.iter().take(10) {
        let minutes = request.minutes;
        let from = rules::add_minutes(*at, -3 * 24 * 60).max(now);
        let offers = search(state, &everyone, minutes, from, 7, &input.party_id, 50, None).await?;
        let mut offers: Vec<Alternative> = offers.into_iter().filter(|o| o.span.start != *at).collect();
        offers.sort_by_key(|o| (o.span.start.as_second() - at.as_second()).abs());
        offers.truncate(3);
        alternatives.push((*at, offers));
    }
    Ok(BookingOutcome::Refused(BookingRefused {
        failures,
        alternatives,
        zone,
    }))
}

/// The free-time search for a planner, loading only what is busy in the window. With `spread`
/// (a repeat and a number of sessions), the offers are spread over the days of the window and, for a
/// series, each is a time free every week of it; without, the first free times in order (the
/// nearest alternatives to a refused date are picked from those).
#[allow(clippy::too_many_arguments)]
async fn search(
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

// ---- a booking's life ---------------------------------------------------------------------------

/// One booking with who is on it, for its page and the API.
pub struct BookingView {
    pub booking: Booking,
    /// The booking this one replaced, when it was moved here.
    pub moved_from: Option<Booking>,
    /// The booking that replaced this one, when it was moved.
    pub moved_to: Option<Booking>,
    pub parties: Vec<BookedParty>,
    pub staff: Vec<BookedStaff>,
    pub events: Vec<familytime_store::schedule::BookingEvent>,
    pub zone: TimeZone,
    /// For a pre-visit's booking: the pre-visit it holds (its record is kept there).
    pub pre_visit: Option<String>,
}

pub async fn booking(state: &AppState, caller: &Caller, id: &str) -> Result<BookingView, AppError> {
    let booking = booking_for(state, caller, id, Action::ViewSchedule).await?;
    let org = caller.user()?.organisation_id;
    let ids = [booking.id];
    let events = state.store.booking_events(org, booking.id).await?;
    // Both ends of a move are the same case's bookings at the same centre, so already authorised.
    let moved_to = match events
        .iter()
        .find(|e| e.event == "moved")
        .and_then(|e| e.detail.as_deref())
    {
        Some(to) => match BookingId::parse(to) {
            Ok(to) => Some(state.store.booking(org, to).await?),
            Err(_) => None,
        },
        None => None,
    };
    let moved_from = match booking
        .rescheduled_from
        .as_deref()
        .and_then(|f| BookingId::parse(f).ok())
    {
        Some(from) => Some(state.store.booking(org, from).await?),
        None => None,
    };
    // A pre-visit's booking leads back to the pre-visit, found among its case's few pre-visits.
    let pre_visit = match booking.case_id {
        Some(case) if booking.kind == BookingKind::PreVisit.as_str() => state
            .store
            .pre_visits(org, case)
            .await?
            .into_iter()
            .find(|v| v.booking_id.as_deref() == Some(booking.id.to_string().as_str()))
            .map(|v| v.id),
        _ => None,
    };
    Ok(BookingView {
        pre_visit,
        moved_from,
        moved_to,
        parties: state.store.booked_parties(org, &ids).await?,
        staff: state.store.booked_staff(org, &ids).await?,
        events,
        zone: centre_zone(state, caller, booking.centre_id).await?,
        booking,
    })
}

/// A status change as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct StatusInput {
    pub status: String,
    pub reason: String,
    pub cancelled_by: String,
    pub version: i64,
    /// For a cancellation: waive what it would forfeit, and why.
    pub waive: bool,
    pub waiver_reason: String,
    /// For a cancellation: the outcome the person was shown (see `billing::cancel`).
    pub expected: Option<String>,
}

pub async fn set_status(state: &AppState, caller: &Caller, id: &str, input: &StatusInput) -> Result<(), AppError> {
    let booking = booking_for(state, caller, id, Action::ManageSchedule).await?;
    let org = caller.user()?.organisation_id;
    let mut errors = FieldErrors::new();
    let next = BookingStatus::parse(input.status.trim());
    if next.is_none() {
        errors.add("status", "Choose the new status");
    }
    let reason = input.reason.trim();
    let needs_reason = matches!(next, Some(BookingStatus::Cancelled | BookingStatus::StoppedEarly));
    if needs_reason && reason.is_empty() {
        errors.add("reason", "Say why");
    }
    let cancelled_by = input.cancelled_by.trim();
    if next == Some(BookingStatus::Cancelled) && !["centre", "resident", "visiting", "other"].contains(&cancelled_by) {
        errors.add("cancelled_by", "Say who cancelled");
    }
    let Some(next) = next else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if next == BookingStatus::Cancelled {
        // A cancellation always goes through billing, which records what it forfeits.
        let cancel = super::billing::CancelInput {
            reason: reason.to_owned(),
            cancelled_by: cancelled_by.to_owned(),
            version: input.version,
            waive: input.waive,
            waiver_reason: input.waiver_reason.clone(),
            expected: input.expected.clone(),
        };
        return super::billing::cancel(state, caller, id, &cancel).await.map(|_| ());
    }
    if next == BookingStatus::Confirmed && booking.status == BookingStatus::Provisional {
        super::billing::check_confirmable(state, org, &booking).await?;
    }
    match state
        .store
        .set_booking_status(
            &caller.scope(state.clock.now()),
            org,
            booking.id,
            next,
            input.version,
            (!reason.is_empty()).then_some(reason),
            (next == BookingStatus::Cancelled).then_some(cancelled_by),
        )
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Invalid(FieldErrors::single("status", m))),
        other => Ok(other?),
    }
}

/// Moves a booking to a new date and time (same length, room, staff and people); the old booking
/// stays in the history as moved, cancelled by whoever asked for the move (`asked_by`).
pub async fn reschedule(
    state: &AppState,
    caller: &Caller,
    id: &str,
    date: &str,
    time: &str,
    asked_by: &str,
    version: i64,
) -> Result<(Booking, TimeZone), AppError> {
    let booking = booking_for(state, caller, id, Action::ManageSchedule).await?;
    let asked_by = familytime_domain::schedule::MoveAsker::parse_asked(asked_by);
    let case = booking
        .case_id
        .ok_or_else(|| AppError::BadRequest("Only a case's sessions can be moved here".into()))?;
    let org = file_org(caller)?;
    let ids = [booking.id];
    let staff_ids: Vec<String> = state
        .store
        .booked_staff(org, &ids)
        .await?
        .into_iter()
        .map(|s| s.user_id)
        .collect();
    let party = state
        .store
        .booked_parties(org, &ids)
        .await?
        .first()
        .map(|p| p.party_id.clone())
        .unwrap_or_default();
    let room_id = booking.room_id.as_deref().unwrap_or_default();
    let roster = Roster::Only {
        room: room_id,
        staff: &staff_ids,
    };
    let planner = Planner::load(state, caller, &case.to_string(), &booking.kind, roster).await?;
    let zone = planner.calendar.zone.clone();
    // Every problem with the form at once: the time and who asked.
    let (at, asked_by) = match (super::case_files::centre_time(&zone, date, time), asked_by) {
        (Ok(at), Ok(asked_by)) => (at, asked_by),
        (at, asked_by) => {
            let mut errors = at.err().unwrap_or_default();
            if let Err(message) = asked_by {
                errors.add("asked_by", message);
            }
            return Err(AppError::Invalid(errors));
        }
    };
    let now = state.clock.now();
    if at < now {
        return Err(AppError::Invalid(FieldErrors::single(
            "date",
            "Choose a time in the future",
        )));
    }
    let span = Interval::new(at, rules::add_minutes(at, booking.span.minutes())).ok_or(AppError::Internal("span"))?;
    let room = planner.space(room_id)?;
    let staff = planner.chosen_staff(&staff_ids)?;
    let attendees = planner.attendees(&party)?;
    let mut replacement = planner.session(span, room.as_ref(), &staff, &attendees, None, now)?;
    replacement.series_id = booking.series_id.clone();
    replacement.rescheduled_from = Some(booking.id);
    let moved = booking.id.to_string();
    let unfunded = super::billing::charge_sessions(
        state,
        &planner.charging,
        org,
        &planner.file,
        &zone,
        std::slice::from_mut(&mut replacement),
        Some(&moved),
    )
    .await?;
    if let Some((_, why)) = unfunded.into_iter().next() {
        return Err(AppError::Conflict(why));
    }
    let scope = caller.scope(now);
    match state
        .store
        .reschedule(&scope, org, booking.id, version, asked_by, &replacement)
        .await
    {
        Ok(()) => Ok((state.store.booking(org, replacement.id).await?, zone)),
        Err(BookingError::Clashes(c)) if c.is_empty() => Err(AppError::Conflict(
            "Someone else booked the same time a moment ago".into(),
        )),
        Err(BookingError::Clashes(c)) => Err(AppError::Conflict(
            c.into_iter().map(|c| c.what).collect::<Vec<_>>().join("; "),
        )),
        Err(BookingError::Store(e)) => Err(e.into()),
    }
}

// ---- calendars ------------------------------------------------------------------------------------

/// A centre's bookings over some days, with who is on each: for the day and week views, the "today"
/// page and the printed day sheet.
pub struct CalendarView {
    pub centre: familytime_store::tenancy::Centre,
    pub first_day: Date,
    pub days: i64,
    pub bookings: Vec<Booking>,
    pub parties: Vec<BookedParty>,
    pub staff: Vec<BookedStaff>,
    pub zone: TimeZone,
}

/// The centre's calendar from a local date over `days` days, for one room or staff member if asked.
pub async fn calendar(
    state: &AppState,
    caller: &Caller,
    centre: &str,
    from: Option<&str>,
    days: i64,
    room: Option<&str>,
    staff: Option<&str>,
) -> Result<CalendarView, AppError> {
    let centre_id = centre_for(state, caller, centre, Action::ViewSchedule).await?;
    let org = caller.user()?.organisation_id;
    let centre = state.store.centre(org, centre_id).await?;
    let zone = TimeZone::get(&centre.time_zone).unwrap_or(TimeZone::UTC);
    let today = state.clock.now().to_zoned(zone.clone()).date();
    let first_day = match from.map(str::trim).filter(|f| !f.is_empty()) {
        Some(text) => {
            familytime_domain::dates::parse_date(text).map_err(|m| AppError::Invalid(FieldErrors::single("from", m)))?
        }
        None => today,
    };
    let start = rules::local_instant(&zone, first_day.to_datetime(Time::MIN))
        .or_else(|_| {
            zone.to_ambiguous_timestamp(first_day.to_datetime(Time::MIN))
                .compatible()
                .map_err(|_| ())
        })
        .map_err(|_| AppError::BadRequest("That date cannot be shown".into()))?;
    let end_day = first_day
        .checked_add(days.days())
        .map_err(|_| AppError::BadRequest("That date cannot be shown".into()))?;
    let end = zone
        .to_ambiguous_timestamp(end_day.to_datetime(Time::MIN))
        .compatible()
        .map_err(|_| AppError::BadRequest("That date cannot be shown".into()))?;
    let staff = match staff.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_id(s, UserId::parse)?),
        None => None,
    };
    let bookings = state
        .store
        .bookings_between(org, Some(centre_id), start, end, room.filter(|r| !r.is_empty()), staff)
        .await?;
    let ids: Vec<BookingId> = bookings.iter().map(|b| b.id).collect();
    Ok(CalendarView {
        parties: state.store.booked_parties(org, &ids).await?,
        staff: state.store.booked_staff(org, &ids).await?,
        centre,
        first_day,
        days,
        bookings,
        zone,
    })
}

/// The arrival plans' warnings, as (booking id, words): a live session of a case whose risk calls
/// for separate entrances or waiting rooms (`separation_advised`), with adults arriving apart and
/// no entrance or waiting room set for any of them. The caller has been allowed to see the
/// bookings; only whether a warning is due is read from the cases, never what the orders say.
pub async fn arrival_warnings(
    state: &AppState,
    caller: &Caller,
    bookings: &[Booking],
    parties: &[BookedParty],
) -> Result<Vec<(String, String)>, AppError> {
    let org = caller.user()?.organisation_id;
    let mut reasons: HashMap<familytime_domain::ids::CaseId, Option<&'static str>> = HashMap::new();
    let mut warnings = Vec::new();
    for b in bookings.iter().filter(|b| b.status.is_live()) {
        let Some(case) = b.case_id else { continue };
        let id = b.id.to_string();
        let on_site: Vec<&BookedParty> = parties.iter().filter(|p| p.booking_id == id).collect();
        if on_site.len() < 2 || on_site.iter().any(|p| p.entrance.is_some() || p.waits_in.is_some()) {
            continue;
        }
        let reason = match reasons.get(&case) {
            Some(r) => *r,
            None => {
                let (orders, concerns) = state.store.separation_risk(org, case).await?;
                let orders: Vec<&str> = orders.iter().map(String::as_str).collect();
                let r = rules::separation_advised(&orders, &concerns);
                reasons.insert(case, r);
                r
            }
        };
        if let Some(reason) = reason {
            warnings.push((
                id,
                format!(
                    "Separate entrances or waiting rooms are needed: {reason}, and none are set for this session. Agree with the staff on duty which entrance and room each adult uses, and keep them apart on arrival and leaving."
                ),
            ));
        }
    }
    Ok(warnings)
}

/// A case's sessions, for its page.
pub async fn case_bookings(
    state: &AppState,
    caller: &Caller,
    case: &str,
) -> Result<(Vec<Booking>, TimeZone), AppError> {
    let file = case_file(state, caller, case, Action::ViewSchedule).await?;
    let org = file_org(caller)?;
    // A case's sessions name its people and where they will be: a read of the case file.
    let scope = caller.scope(state.clock.now());
    state
        .store
        .audit(&scope, AuditEvent::ok("case.sessions.read", "case", file.summary.id))
        .await?;
    Ok((
        state.store.case_bookings(org, file.summary.id).await?,
        centre_zone(state, caller, file.summary.centre_id).await?,
    ))
}

// ---- iCalendar feeds --------------------------------------------------------------------------------

/// Makes a feed address for a staff member (themself, or anyone when the caller manages the
/// schedule) or for an adult of a case. The token is shown once; only its hash is kept.
pub async fn create_feed(
    state: &AppState,
    caller: &Caller,
    user: Option<&str>,
    case_party: Option<(&str, &str)>,
) -> Result<String, AppError> {
    let me = caller.user()?;
    let org = me.organisation_id;
    let token = crate::secrets::random_token();
    let hash = crate::secrets::token_hash(&token);
    let scope = caller.scope(state.clock.now());
    match (user, case_party) {
        (Some(user), None) => {
            let user_id = parse_id(user, UserId::parse)?;
            let action = if user_id == me.id {
                Action::ViewSchedule
            } else {
                Action::ManageSchedule
            };
            found(state, caller, state.store.user(org, user_id).await, "user", user_id).await?;
            authorize(state, caller, action, Object::Organisation(org)).await?;
            state.store.create_feed(&scope, org, Some(user_id), None, &hash).await?;
        }
        (None, Some((case, party))) => {
            let file = case_file(state, caller, case, Action::ManageSchedule).await?;
            let party = file
                .parties
                .iter()
                .find(|p| p.id.to_string() == party.trim())
                .ok_or_else(|| {
                    AppError::Invalid(FieldErrors::single("party_id", "Choose one of the adults on this case"))
                })?;
            state
                .store
                .create_feed(&scope, org, None, Some(&party.id.to_string()), &hash)
                .await?;
        }
        _ => return Err(AppError::BadRequest("Choose a person for the calendar feed".into())),
    }
    Ok(token)
}

pub async fn revoke_feed(state: &AppState, caller: &Caller, id: &str) -> Result<(), AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageSchedule, Object::Organisation(org)).await?;
    let answer = state.store.revoke_feed(&caller.scope(state.clock.now()), org, id).await;
    found(state, caller, answer, "calendar_feed", id).await
}

/// The iCalendar text behind a feed token. A party's feed holds only their own sessions, with the
/// times they arrive and leave, the centre's name and the kind of session: never another party's
/// name or any contact detail. Unknown and revoked tokens are simply not found.
pub async fn feed(state: &AppState, token: &str) -> Result<String, AppError> {
    let token = token.trim_end_matches(".ics");
    if token.len() < 32 || token.len() > 128 {
        return Err(AppError::NotFound);
    }
    let (org, _, user, party) = match state.store.feed_by_hash(&crate::secrets::token_hash(token)).await {
        Err(familytime_store::StoreError::NotFound) => return Err(AppError::NotFound),
        other => other?,
    };
    let now = state.clock.now();
    let from = rules::add_minutes(now, -31 * 24 * 60);
    let to = rules::add_minutes(now, 366 * 24 * 60);
    let mut events = Vec::new();
    if let Some(party) = party {
        for (booking, plan) in state.store.party_bookings(org, &party).await? {
            if booking.span.start < from || booking.span.start > to {
                continue;
            }
            let centre = state.store.centre(org, booking.centre_id).await?;
            let zone = TimeZone::get(&centre.time_zone).unwrap_or(TimeZone::UTC);
            let hhmm = |ms: i64| {
                familytime_store::schedule::ts_of(ms)
                    .to_zoned(zone.clone())
                    .strftime("%H:%M")
                    .to_string()
            };
            events.push(IcsEvent {
                uid: format!("{}-{}", booking.id, plan.party_id),
                start: familytime_store::schedule::ts_of(plan.arrives_at),
                end: familytime_store::schedule::ts_of(plan.leaves_at),
                summary: format!(
                    "{} at {}",
                    BookingKind::parse(&booking.kind).map_or("Session", |k| k.label()),
                    booking.centre_name
                ),
                description: format!(
                    "Arrive at {} and leave at {}. The session runs {}–{}.",
                    hhmm(plan.arrives_at),
                    hhmm(plan.leaves_at),
                    hhmm(booking.span.start.as_millisecond()),
                    hhmm(booking.span.end.as_millisecond())
                ),
                cancelled: !booking.status.is_live() && booking.status == BookingStatus::Cancelled,
            });
        }
    } else if let Some(user) = user.as_deref().and_then(|u| UserId::parse(u).ok()) {
        let bookings = state
            .store
            .bookings_between(org, None, from, to, None, Some(user))
            .await?;
        for booking in bookings {
            events.push(IcsEvent {
                uid: booking.id.to_string(),
                start: booking.span.start,
                end: booking.span.end,
                summary: format!(
                    "{} {} ({})",
                    BookingKind::parse(&booking.kind).map_or("Session", |k| k.label()),
                    booking.case_reference.clone().unwrap_or_default(),
                    booking.room_name.clone().unwrap_or_else(|| booking.centre_name.clone())
                ),
                description: format!("Status: {}", booking.status.label()),
                cancelled: booking.status == BookingStatus::Cancelled,
            });
        }
    }
    Ok(ics(&events, now))
}

struct IcsEvent {
    uid: String,
    start: Timestamp,
    end: Timestamp,
    summary: String,
    description: String,
    cancelled: bool,
}

/// RFC 5545 text: CRLF line ends, escaped text, UTC times, lines folded at 75 octets.
fn ics(events: &[IcsEvent], now: Timestamp) -> String {
    let stamp = |t: Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//familytime//schedule//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
    ];
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}@familytime", e.uid));
        lines.push(format!("DTSTAMP:{}", stamp(now)));
        lines.push(format!("DTSTART:{}", stamp(e.start)));
        lines.push(format!("DTEND:{}", stamp(e.end)));
        lines.push(format!("SUMMARY:{}", escape(&e.summary)));
        lines.push(format!("DESCRIPTION:{}", escape(&e.description)));
        lines.push(format!(
            "STATUS:{}",
            if e.cancelled { "CANCELLED" } else { "CONFIRMED" }
        ));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
        out.push_str("\r\n");
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_are_folded_and_text_escaped() {
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let text = ics(
            &[IcsEvent {
                uid: "x".into(),
                start: now,
                end: now,
                summary: "Supervised contact, Riverside; room 1".into(),
                description: "a".repeat(200),
                cancelled: false,
            }],
            now,
        );
        assert!(text.contains("SUMMARY:Supervised contact\\, Riverside\\; room 1\r\n"));
        assert!(text.lines().all(|l| l.trim_end_matches('\r').len() <= 75));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn weekly_hours_are_read_and_junk_is_reported() {
        let mut errors = FieldErrors::new();
        let hours = parse_hours(&mut errors, "hours", "1 09:00-17:00\n6 10:00-13:00\n");
        assert_eq!(hours.len(), 2);
        assert!(errors.is_empty());
        parse_hours(&mut errors, "hours", "monday 9-5\n8 09:00-10:00\n1 17:00-09:00");
        assert_eq!(errors.messages().len(), 3);
    }
}
