//! A centre's scheduling settings and opening calendar: the stagger and staffing settings, opening
//! hours, closures, entrances, and approving off-site venues.

use super::{centre_for, parse_date, parse_time};
use crate::{AppError, AppState, Caller, authorize, found, parse_id};
use familytime_domain::authz::{Action, Object};
use familytime_domain::schedule::{Closure, OpeningRule, Settings, StaggerDirection, WeekRepeat};
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;

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
