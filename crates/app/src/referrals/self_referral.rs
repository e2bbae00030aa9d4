//! The public self-referral: a parent refers themself (no account, limited per client address), and
//! the other adult gives their own part later through a one-time link staff make for them.

use crate::case_files::{case_file, file_org};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::Action;
use familytime_domain::ids::CentreId;
use familytime_domain::text::FieldErrors;
use familytime_store::referrals::CaseSummary;

/// How many self-referrals one client address may send in an hour (the form is public).
const SELF_REFERRALS_PER_HOUR: u32 = 5;

/// The centres a parent can refer themself to.
pub async fn public_centres(state: &AppState) -> Result<Vec<familytime_store::tenancy::Centre>, AppError> {
    Ok(state.store.all_centres().await?)
}

/// A parent refers themself (no account). Limited per client address; the other adult is named only,
/// and gives their own part later through a link the centre sends them.
pub async fn self_refer(
    state: &AppState,
    caller: &Caller,
    centre: &str,
    input: &familytime_domain::intake::SelfReferralInput,
) -> Result<CaseSummary, AppError> {
    // Every problem is reported at once: the centre, this form's own checks, then the general
    // referral checks (under this form's field names, without repeating what was already said).
    let mut errors = FieldErrors::new();
    let chosen = match CentreId::parse(centre) {
        Ok(id) => state.store.all_centres().await?.into_iter().find(|c| c.id == id),
        Err(_) => None,
    };
    if chosen.is_none() {
        errors.add("centre_id", "Choose the centre you want to use");
    }
    let zone = chosen
        .as_ref()
        .and_then(|c| jiff::tz::TimeZone::get(&c.time_zone).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let now = state.clock.now();
    let today = now.to_zoned(zone).date();
    let (referral, own) = input.to_referral(today);
    errors.extend(own);
    let parsed = referral.parse(today);
    if let Err(general) = &parsed {
        for e in self_referral_fields(general.clone()).0 {
            if !errors.0.iter().any(|k| k.field == e.field) {
                errors.add(e.field, e.message);
            }
        }
    }
    let (Some(centre), Ok(referral), true) = (chosen, parsed, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let centre_id = centre.id;
    let key = crate::secrets::token_hash(&format!(
        "self-referral:{}",
        familytime_domain::ratelimit::ThrottleKey::client_address(&caller.client_addr).material()
    ));
    let since = now.checked_sub(jiff::SignedDuration::from_hours(1)).unwrap_or(now);
    if state
        .store
        .reserve_login_attempt(&[key], now, since, SELF_REFERRALS_PER_HOUR)
        .await?
        .is_none()
    {
        return Err(AppError::TooManyRequests(
            "Too many referrals have been sent from here. Wait an hour, or contact the centre.".into(),
        ));
    }
    let scope = familytime_store::AuditScope {
        organisation_id: Some(centre.organisation_id),
        ..caller.scope(now)
    };
    // The parent's acknowledgement is written with the case, or not at all (decision 0050).
    let org = centre.organisation_id;
    let policy = state.store.language_policy(org).await?;
    let mut tx = state.store.begin().await?;
    let id = tx.insert_case(&scope, org, centre_id, None, &referral).await?;
    let reference = tx.case_reference(org, &id.to_string()).await?;
    let targets = tx.mail_targets(org, &id.to_string()).await?;
    if let Some(message) = crate::mail::notices::self_referral_received(
        state,
        &policy,
        &centre.name,
        id,
        &reference,
        &targets,
        &input.your_email,
    )? {
        tx.enqueue(org, &[message], scope.at).await?;
    }
    tx.commit().await?;
    Ok(state.store.case(centre.organisation_id, id).await?.summary)
}

/// The general referral checks name fields of the general form; on the self-referral form they are
/// the applicant's ("adults" is about them and the other parent; "children" stays).
fn self_referral_fields(errors: FieldErrors) -> FieldErrors {
    FieldErrors(
        errors
            .0
            .into_iter()
            .map(|mut e| {
                e.field = match e.field {
                    "adults" => "your_name",
                    "children" => "child1_name",
                    "risk_background" => "safety",
                    "orders_described" => "order_details",
                    "service_asked" => "service",
                    other => other,
                };
                e
            })
            // The adults' and children's details are all checked by the form's own checks, under
            // its own names.
            .filter(|e| e.field != "your_name" && e.field != "child1_name")
            .collect(),
    )
}

/// How long an invitation link works.
const INVITE_DAYS: i64 = 28;

/// Makes a one-time link for one adult of the case to give their own part; returns the secret
/// token (shown once to the member of staff, who sends it).
pub async fn create_invite(state: &AppState, caller: &Caller, id: &str, party: &str) -> Result<String, AppError> {
    let file = case_file(state, caller, id, Action::ManageCases).await?;
    let party = familytime_domain::ids::PartyId::parse(party)
        .ok()
        .filter(|p| file.parties.iter().any(|x| x.id == *p))
        .ok_or_else(|| {
            AppError::Invalid(FieldErrors::single(
                "invite_party",
                "Choose one of the adults on this case",
            ))
        })?;
    let token = crate::secrets::random_token();
    let now = state.clock.now();
    let expires = now
        .checked_add(jiff::SignedDuration::from_hours(24 * INVITE_DAYS))
        .unwrap_or(now);
    state
        .store
        .create_party_invite(
            &caller.scope(now),
            file_org(caller)?,
            file.summary.id,
            party,
            &crate::secrets::token_hash(&token),
            expires,
        )
        .await?;
    Ok(token)
}

/// The invitation behind a link, if it still works.
pub async fn invite(state: &AppState, token: &str) -> Result<familytime_store::referrals::Invite, AppError> {
    state
        .store
        .party_invite(&crate::secrets::token_hash(token), state.clock.now())
        .await?
        .ok_or(AppError::NotFound)
}

/// The invited adult gives their own part; their details are hidden from the other adults if they
/// ask (the safe default). Returns the case reference.
pub async fn give_own_part(
    state: &AppState,
    caller: &Caller,
    token: &str,
    input: &familytime_domain::intake::OwnPartInput,
) -> Result<String, AppError> {
    let invite = invite(state, token).await?;
    let file = state.store.case(invite.organisation_id, invite.case_id).await?;
    let others: Vec<familytime_domain::ids::PartyId> = file
        .parties
        .iter()
        .map(|p| p.id)
        .filter(|p| *p != invite.party_id)
        .collect();
    let part = input.parse(others.len()).map_err(AppError::Invalid)?;
    let scope = caller.scope(state.clock.now());
    if !state
        .store
        .give_own_part(&scope, &crate::secrets::token_hash(token), &part, &others)
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(invite.reference)
}
