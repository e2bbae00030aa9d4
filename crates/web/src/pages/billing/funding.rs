//! Setting who pays for a case, from its account page.

use super::account::after;
use crate::AppState;
use crate::context::Caller;
use crate::pages::{FormData, PageResult};
use axum::extract::{Path, State};
use familytime_app::billing::{self as app, FundingInput};

/// POST /cases/{id}/funding
pub async fn set_funding(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = FundingInput {
        payer: form.get("payer"),
        funder_name: form.get("funder_name"),
        funded_sessions: form.get("funded_sessions"),
        funded_hours: form.get("funded_hours"),
        visiting_percent: form.get("visiting_percent"),
        version: form.version(),
    };
    let result = app::set_funding(&state, &caller, &id, &input)
        .await
        .map(|()| "saved=funding".to_owned());
    after(&state, &caller, &id, result, form, "payer", "funding").await
}
