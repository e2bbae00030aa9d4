//! Referring a family: a referral sent in by a referrer (theirs to follow), or entered by staff from
//! an e-mail or a phone call.

use crate::{AppError, AppState, Caller, authorize, found};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::CentreId;
use familytime_domain::intake::ReferralInput;
use familytime_domain::people::Role;
use familytime_domain::referrals::ReferralSource;
use familytime_domain::text::FieldErrors;
use familytime_store::referrals::CaseSummary;

/// The centre's calendar date now (a child's date of birth cannot be after it).
async fn centre_today(state: &AppState, caller: &Caller, centre: CentreId) -> Result<jiff::civil::Date, AppError> {
    let org = caller.user()?.organisation_id;
    let centre = found(state, caller, state.store.centre(org, centre).await, "centre", centre).await?;
    let zone = jiff::tz::TimeZone::get(&centre.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    Ok(state.clock.now().to_zoned(zone).date())
}

/// Sends a referral in. A referrer's referral is theirs (they follow its status); staff enter
/// referrals received by e-mail or phone, with the source as given.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    centre: &str,
    input: &ReferralInput,
) -> Result<CaseSummary, AppError> {
    let user = caller.user()?;
    // Without a centre, the rest is still checked, so the form shows every problem at once.
    let not_a_centre = |state: &AppState| {
        let mut errors = FieldErrors::single("centre_id", "Choose a centre from the list");
        if let Err(more) = input.parse(state.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date()) {
            errors.extend(more);
        }
        AppError::Invalid(errors)
    };
    let centre = CentreId::parse(centre).map_err(|_| not_a_centre(state))?;
    let actor = authorize(
        state,
        caller,
        Action::SubmitReferral,
        Object::Centre {
            organisation: user.organisation_id,
            centre,
        },
    )
    .await?;
    let today = match centre_today(state, caller, centre).await {
        Err(AppError::NotFound) => return Err(not_a_centre(state)),
        other => other?,
    };
    let mut referral = input.parse(today).map_err(AppError::Invalid)?;
    let referrer = (actor.role == Role::Referrer).then_some(actor.user_id);
    if referrer.is_some() && referral.source == ReferralSource::SelfReferral {
        return Err(AppError::Invalid(FieldErrors::single(
            "source",
            "Choose the kind of professional you are",
        )));
    }
    if referrer.is_some() && referral.referrer_name.is_none() {
        referral.referrer_name = Some(user.name.clone());
    }
    let scope = caller.scope(state.clock.now());
    let org = actor.organisation_id;
    // The referrer's acknowledgement is written with the case, or not at all (decision 0050).
    let reader = crate::mail::notices::referrer_of_new_case(state, org, referrer, centre).await?;
    let mut tx = state.store.begin().await?;
    let id = tx.insert_case(&scope, org, centre, referrer, &referral).await?;
    if let Some(reader) = &reader {
        let reference = tx.case_reference(org, &id.to_string()).await?;
        let message = crate::mail::notices::referral_received(state, reader, id, &reference)?;
        tx.enqueue(org, &[message], scope.at).await?;
    }
    tx.commit().await?;
    Ok(state.store.case(actor.organisation_id, id).await?.summary)
}
