//! Triage: a risk assessment recorded (the rules suggest, the coordinator decides and says why).

use crate::case_files::{case_file, file_org};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::Action;
use familytime_domain::referrals::Service;
use familytime_domain::text::{self, FieldErrors};
use familytime_domain::triage::{self, Advice, Concern};
use familytime_store::referrals::{CaseFile, NewAssessment};

/// The service the case's latest risk assessment decided, if it has one.
pub fn assessed_service(file: &CaseFile) -> Option<Service> {
    file.assessments.first().and_then(|a| Service::parse(&a.decision))
}

/// A risk assessment as a form or the API sends it.
#[derive(Debug, Default, Clone)]
pub struct AssessmentInput {
    pub concerns: Vec<String>,
    pub notes: String,
    pub decision: String,
    pub decision_reason: String,
}

/// Records a risk assessment: the rules suggest, the coordinator decides and says why.
pub async fn assess(state: &AppState, caller: &Caller, id: &str, input: &AssessmentInput) -> Result<Advice, AppError> {
    let file = case_file(state, caller, id, Action::ManageCases).await?;
    let mut errors = FieldErrors::new();
    let mut concerns = Vec::new();
    for c in &input.concerns {
        match Concern::parse(c) {
            Some(concern) => concerns.push(concern),
            None => errors.add("concerns", "Choose concerns from the list"),
        }
    }
    let notes = errors
        .take("notes", text::optional("the notes", &input.notes, 10000))
        .flatten();
    let decision = Service::parse(&input.decision);
    if decision.is_none() {
        errors.add("decision", "Choose the service you decide on");
    }
    let reason = errors.take(
        "decision_reason",
        text::required("why you decided this", &input.decision_reason, 4000),
    );
    let (Some(decision), Some(reason)) = (decision, reason) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let advice = triage::advise(&concerns);
    let assessment = NewAssessment {
        concerns: &concerns,
        notes: notes.as_deref(),
        suggestion: advice.suggestion.as_str(),
        decision,
        decision_reason: &reason,
    };
    let scope = caller.scope(state.clock.now());
    state
        .store
        .add_risk_assessment(&scope, file_org(caller)?, file.summary.id, &assessment)
        .await?;
    Ok(advice)
}
