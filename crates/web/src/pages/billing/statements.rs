//! An account's statement and a receipt, as PDF downloads.

use crate::AppState;
use crate::context::Caller;
use crate::pages::PageResult;
use crate::pages::reports::pdf_response;
use axum::extract::{Path, State};
use familytime_app::billing as app;

/// GET /cases/{id}/statements/{account}: staff, and the parent whose account it is.
pub async fn statement_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, account)): Path<(String, String)>,
) -> PageResult {
    let (bytes, name) = app::statement_pdf(&state, &caller, &id, &account, crate::i18n::current()).await?;
    Ok(pdf_response(bytes, &name))
}

/// GET /cases/{id}/receipts/{entry}: staff, and the parent who paid.
pub async fn receipt_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, entry)): Path<(String, String)>,
) -> PageResult {
    let (bytes, name) = app::receipt_pdf(&state, &caller, &id, &entry, crate::i18n::current()).await?;
    Ok(pdf_response(bytes, &name))
}
