//! Recording money given to the bursary fund, from the billing overview.

use super::outstanding::overview_page;
use crate::context::Caller;
use crate::pages::{FormData, PageResult, form_status};
use crate::{AppError, AppState};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use familytime_app::billing as app;

/// POST /billing/bursary: money given to the bursary fund.
pub async fn add_grant(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    match app::add_bursary_grant(
        &state,
        &caller,
        &form.get("grant_amount"),
        &form.get("grant_source"),
        &form.get("grant_received_on"),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/billing#bursary").into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            overview_page(&state, &caller, errors, status, form).await
        }
        Err(e) => Err(e.into()),
    }
}
