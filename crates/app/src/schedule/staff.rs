//! Staff profiles and rosters: qualifications, the DBS check, weekly working hours and leave.

use super::parse_date;
use crate::{AppError, AppState, Caller, authorize, found, parse_id};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::UserId;
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::StaffProfile;
use jiff::civil::Time;

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

#[cfg(test)]
mod tests {
    use super::*;

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
