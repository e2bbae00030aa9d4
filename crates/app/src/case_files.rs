//! Finding what a use case acts on, authorised: a case's file, a booking, the caller's organisation,
//! and the centre's clock (its zone, and a wall-clock time read in it). Every feature's use cases take
//! these from here, so no feature module needs another's for them (issue 25: no two modules import
//! each other).

use super::{authorize, found, parse_id};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{BookingId, CaseId, CentreId};
use familytime_domain::text::FieldErrors;
use familytime_store::referrals::CaseFile;
use familytime_store::schedule::Booking;

pub async fn case_file(state: &AppState, caller: &Caller, id: &str, action: Action) -> Result<CaseFile, AppError> {
    let id = parse_id(id, CaseId::parse)?;
    let org = caller.user()?.organisation_id;
    let file = found(state, caller, state.store.case(org, id).await, "case", id).await?;
    let object = Object::Case {
        organisation: org,
        centre: file.summary.centre_id,
        referred_by: file.summary.referrer_user_id,
    };
    authorize(state, caller, action, object).await?;
    Ok(file)
}

pub fn file_org(caller: &Caller) -> Result<familytime_domain::ids::OrganisationId, AppError> {
    Ok(caller.user()?.organisation_id)
}

/// The centre's time zone (for showing and reading times).
pub async fn centre_zone(state: &AppState, caller: &Caller, centre: CentreId) -> Result<jiff::tz::TimeZone, AppError> {
    let org = caller.user()?.organisation_id;
    let centre = state.store.centre(org, centre).await?;
    Ok(jiff::tz::TimeZone::get(&centre.time_zone).unwrap_or(jiff::tz::TimeZone::UTC))
}

/// A wall-clock date and time at the centre, refused where it does not exist or happens twice
/// (the hour the clocks change) rather than guessed.
pub fn centre_time(
    zone: &jiff::tz::TimeZone,
    date: &str,
    time: &str,
) -> Result<familytime_domain::Timestamp, FieldErrors> {
    let mut errors = FieldErrors::new();
    let day: Option<jiff::civil::Date> = errors.take(
        "date",
        familytime_domain::dates::parse_date(date)
            .map_err(|_| "Enter the date as YYYY-MM-DD, like 2026-12-01".to_string()),
    );
    let clock: Option<jiff::civil::Time> = errors.take(
        "time",
        familytime_domain::dates::parse_time(time).map_err(|_| "Enter the time as HH:MM, like 14:30".to_string()),
    );
    let (Some(day), Some(clock)) = (day, clock) else {
        return Err(errors);
    };
    zone.to_ambiguous_zoned(day.to_datetime(clock))
        .unambiguous()
        .map(|z| z.timestamp())
        .map_err(|_| {
            FieldErrors::single(
                "time",
                "That time does not exist or happens twice that day, because the clocks change: choose another",
            )
        })
}

pub async fn booking_for(state: &AppState, caller: &Caller, id: &str, action: Action) -> Result<Booking, AppError> {
    let id = parse_id(id, BookingId::parse)?;
    let org = caller.user()?.organisation_id;
    let booking = found(state, caller, state.store.booking(org, id).await, "booking", id).await?;
    authorize(
        state,
        caller,
        action,
        Object::Centre {
            organisation: org,
            centre: booking.centre_id,
        },
    )
    .await?;
    Ok(booking)
}
