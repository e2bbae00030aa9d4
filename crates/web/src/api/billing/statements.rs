//! API: an account's statement on a case as a PDF.

use crate::api::{ApiResult, ErrorBody};
use crate::pages::reports::pdf_response;
use crate::{AppState, Caller};
use axum::extract::{Path, State};
use familytime_app::billing as app;

/// An account's statement on a case as a PDF: every entry with the balance after it.
#[utoipa::path(get, path = "/api/v1/cases/{id}/statements/{account}", operation_id = "get_statement_pdf", tag = "billing",
    params(("id" = String, Path), ("account" = String, Path, description = "party:ID or funder")),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn statement_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, account)): Path<(String, String)>,
) -> ApiResult<axum::response::Response> {
    let (bytes, name) = app::statement_pdf(&state, &caller, &id, &account, crate::i18n::current()).await?;
    Ok(pdf_response(bytes, &name))
}
