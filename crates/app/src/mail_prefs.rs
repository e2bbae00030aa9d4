//! What people choose about e-mail (decision 0051): a person opts out of reminders on their own
//! account page, staff opt a party of a case out when the parent asks (never of a cancellation,
//! money owed or safety: those are not reminders, see `MailKind::may_opt_out`), and an
//! administrator sets a centre's reminder times, which the reminder job reads.

use super::{authorize, found, parse_id};
use crate::case_files::case_file;
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{CentreId, PartyId};
use familytime_domain::mail::ReminderHours;
use familytime_domain::text::FieldErrors;

/// "on" or "off", as a form or JSON body gives it: `Some(true)` for off.
fn reminders_off(value: &str) -> Result<bool, AppError> {
    match value.trim() {
        "off" => Ok(true),
        "on" => Ok(false),
        _ => Err(AppError::Invalid(FieldErrors::single(
            "reminders",
            "Choose whether to get reminders before a session",
        ))),
    }
}

/// Whether the caller has opted out of reminders.
pub async fn own_reminders_off(state: &AppState, caller: &Caller) -> Result<bool, AppError> {
    let user = caller.user()?;
    let object = Object::User {
        organisation: user.organisation_id,
        user: user.id,
    };
    authorize(state, caller, Action::UseOwnAccount, object).await?;
    Ok(state.store.own_reminders_off(user.organisation_id, user.id).await?)
}

/// Turns the caller's own reminders off or on (`value`: "off" or "on").
pub async fn set_own_reminders(state: &AppState, caller: &Caller, value: &str) -> Result<bool, AppError> {
    let off = reminders_off(value)?;
    let user = caller.user()?;
    let object = Object::User {
        organisation: user.organisation_id,
        user: user.id,
    };
    authorize(state, caller, Action::UseOwnAccount, object).await?;
    state
        .store
        .set_own_reminders_off(&caller.scope(state.clock.now()), user.organisation_id, user.id, off)
        .await?;
    Ok(off)
}

/// The party of a case, for those who manage the case.
async fn party_of(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
) -> Result<(familytime_domain::ids::CaseId, PartyId), AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let party = parse_id(party, PartyId::parse)?;
    if !file.parties.iter().any(|p| p.id == party) {
        return Err(AppError::NotFound);
    }
    Ok((file.summary.id, party))
}

/// Whether a party of a case has been opted out of reminders.
pub async fn party_reminders_off(state: &AppState, caller: &Caller, case: &str, party: &str) -> Result<bool, AppError> {
    let (case, party) = party_of(state, caller, case, party).await?;
    Ok(state
        .store
        .party_reminders_off(caller.user()?.organisation_id, case, party)
        .await?)
}

/// Turns a party's reminders off or on, when the parent asks (`value`: "off" or "on").
pub async fn set_party_reminders(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    value: &str,
) -> Result<bool, AppError> {
    let off = reminders_off(value)?;
    let (case, party) = party_of(state, caller, case, party).await?;
    state
        .store
        .set_party_reminders_off(
            &caller.scope(state.clock.now()),
            caller.user()?.organisation_id,
            case,
            party,
            off,
        )
        .await?;
    Ok(off)
}

/// A centre's reminder times and its version, for those who manage centres.
pub async fn centre_reminder_times(
    state: &AppState,
    caller: &Caller,
    centre: &str,
) -> Result<(CentreId, ReminderHours, i64), AppError> {
    let id = parse_id(centre, CentreId::parse)?;
    let org = caller.user()?.organisation_id;
    let object = Object::Centre {
        organisation: org,
        centre: id,
    };
    authorize(state, caller, Action::ManageCentres, object).await?;
    let (hours, version) = found(
        state,
        caller,
        state.store.centre_reminder_hours(org, id).await,
        "centre",
        id,
    )
    .await?;
    Ok((id, hours, version))
}

/// Sets a centre's reminder times (whole hours, the second nearer the session than the first),
/// refused with every problem at once, or as stale when the centre changed since `version`.
pub async fn set_centre_reminder_times(
    state: &AppState,
    caller: &Caller,
    centre: &str,
    first: &str,
    second: &str,
    version: i64,
) -> Result<ReminderHours, AppError> {
    let (id, _, _) = centre_reminder_times(state, caller, centre).await?;
    let hours = ReminderHours::parse(first, second).map_err(|problems| {
        let mut errors = FieldErrors::new();
        for (field, message) in problems {
            errors.add(field, message);
        }
        AppError::Invalid(errors)
    })?;
    state
        .store
        .set_centre_reminder_hours(
            &caller.scope(state.clock.now()),
            caller.user()?.organisation_id,
            id,
            hours,
            version,
        )
        .await?;
    Ok(hours)
}
