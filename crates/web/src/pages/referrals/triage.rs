//! Recording a risk assessment from the case page.

use super::case_file::{case_page_kept, done};
use crate::pages::{FormData, PageResult};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use familytime_app::referrals::{self, AssessmentInput};

pub async fn assess(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = AssessmentInput {
        concerns: form.all("concerns"),
        notes: form.get("notes"),
        decision: form.get("decision"),
        decision_reason: form.get("decision_reason"),
    };
    match referrals::assess(&state, &caller, &id, &input).await {
        Ok(_) => Ok(done(&id, "assessed")),
        Err(AppError::Invalid(errors)) => case_page_kept(&state, &caller, &id, errors, form).await,
        Err(other) => Err(other.into()),
    }
}
