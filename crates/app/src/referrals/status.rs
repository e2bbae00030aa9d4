//! A case's status: moved on by staff, the domain's checks reported all at once, field by field.

use super::triage::assessed_service;
use crate::case_files::{case_file, file_org};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::Action;
use familytime_domain::referrals::{CaseStatus, ClosureOutcome, Service, Transition};
use familytime_domain::text::FieldErrors;

/// Trimmed text, or `None` when blank.
fn optional(v: &str) -> Option<&str> {
    Some(v.trim()).filter(|v| !v.is_empty())
}

/// A status change as a form or the API sends it.
#[derive(Debug, Default, Clone)]
pub struct TransitionInput {
    pub to: String,
    pub reason: String,
    pub service: String,
    pub outcome: String,
    pub missing: String,
    pub version: i64,
}

/// Moves a case on; illegal moves and stale versions are refused with the reason.
pub async fn transition(state: &AppState, caller: &Caller, id: &str, input: &TransitionInput) -> Result<(), AppError> {
    let file = case_file(state, caller, id, Action::ManageCases).await?;
    let mut errors = FieldErrors::new();
    let to = CaseStatus::parse(&input.to);
    if to.is_none() {
        errors.add("to", "Choose what happens next");
    }
    let service = optional(&input.service).map(|s| Service::parse(s).ok_or("Choose a service from the list"));
    let outcome = optional(&input.outcome).map(|o| ClosureOutcome::parse(o).ok_or("Choose an outcome from the list"));
    if let Some(Err(m)) = service {
        errors.add("service", m);
    }
    if let Some(Err(m)) = outcome {
        errors.add("outcome", m);
    }
    let Some(to) = to else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    // Accepting takes the service the latest risk assessment decided, unless another is chosen
    // (with the reason every move needs, which the history keeps).
    let service = service
        .and_then(Result::ok)
        .or_else(|| (to == CaseStatus::Accepted).then(|| assessed_service(&file)).flatten());
    let t = Transition {
        to,
        reason: input.reason.trim().to_owned(),
        service,
        outcome: outcome.and_then(Result::ok),
        missing: optional(&input.missing).map(str::to_owned),
    };
    // The domain's checks first, each message on its own field, all at once.
    let problems = familytime_domain::referrals::transition_problems(file.summary.status, &t);
    if !problems.is_empty() {
        use familytime_domain::referrals::TransitionError as E;
        let mut errors = FieldErrors::new();
        for e in problems {
            let field = match e {
                E::NotAllowed { .. } => "to",
                E::ServiceRequired => "service",
                E::OutcomeRequired => "outcome",
                E::MissingRequired => "missing",
                E::ReasonRequired | E::TooLong(_) => "reason",
            };
            errors.add(field, e.to_string());
        }
        return Err(AppError::Invalid(errors));
    }
    let org = file_org(caller)?;
    let scope = caller.scope(state.clock.now());
    // Accepting or declining tells the referrer, in the transition's own transaction (decision 0050).
    let messages = match to {
        CaseStatus::Accepted => crate::mail::notices::referral_decided(state, org, &file.summary, true).await?,
        CaseStatus::Declined => crate::mail::notices::referral_decided(state, org, &file.summary, false).await?,
        _ => Vec::new(),
    };
    let mut tx = state.store.begin().await?;
    tx.transition_case(&scope, org, file.summary.id, input.version, &t)
        .await?;
    tx.enqueue(org, &messages, scope.at).await?;
    tx.commit().await?;
    Ok(())
}
