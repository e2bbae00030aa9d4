//! Moving a case on from its page (a refused or stale move shows the page again, the move kept).

use super::case_file::{case_page_kept, done};
use crate::pages::{FormData, PageResult};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use familytime_app::referrals::{self, TransitionInput};

pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = TransitionInput {
        to: form.get("to"),
        reason: form.get("reason"),
        service: form.get("service"),
        outcome: form.get("outcome"),
        missing: form.get("missing"),
        version: form.version(),
    };
    match referrals::transition(&state, &caller, &id, &input).await {
        Ok(()) => Ok(done(&id, "moved")),
        Err(AppError::Invalid(errors)) => case_page_kept(&state, &caller, &id, errors, form).await,
        Err(err) => {
            // A stale move: nothing changed; the page shows the case as it is now, the move kept.
            let (errors, _, _) = crate::pages::refusal(err, "to")?;
            case_page_kept(&state, &caller, &id, errors, form).await
        }
    }
}
