//! The bursary fund: what is left in it, and recording money given to it.

use super::access::organisation_scope;
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::billing::Pence;
use familytime_domain::text::FieldErrors;
use jiff::civil::Date;

/// The bursary fund: what is left, and the grants it received.
pub struct Bursary {
    pub left: Pence,
    pub grants: Vec<(Pence, String, Date, Timestamp)>,
}

pub async fn bursary(state: &AppState, caller: &Caller) -> Result<Bursary, AppError> {
    let org = organisation_scope(state, caller).await?;
    Ok(Bursary {
        left: state.store.bursary_left(org).await?,
        grants: state.store.bursary_grants(org).await?,
    })
}

/// Records money given to the bursary fund (a grant, a donation).
pub async fn add_bursary_grant(
    state: &AppState,
    caller: &Caller,
    amount: &str,
    source: &str,
    received_on: &str,
) -> Result<(), AppError> {
    let org = organisation_scope(state, caller).await?;
    let mut errors = FieldErrors::new();
    let amount = errors.take("grant_amount", Pence::parse_pounds(amount));
    let source = source.trim();
    if source.is_empty() || source.chars().count() > 200 {
        errors.add(
            "grant_source",
            "Say where the money came from, in 200 characters or fewer",
        );
    }
    let on: Option<Date> = errors.take("grant_received_on", familytime_domain::dates::parse_date(received_on));
    let (Some(amount), Some(on)) = (amount.filter(|a| a.0 > 0), on) else {
        if errors.is_empty() {
            errors.add("grant_amount", "Enter an amount of more than nothing");
        }
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(state
        .store
        .add_bursary_grant(&caller.scope(state.clock.now()), org, amount, source, on)
        .await?)
}
