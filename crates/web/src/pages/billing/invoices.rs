//! Issuing an invoice from a case's account page, and an invoice's PDF.

use super::account::case_page;
use crate::context::Caller;
use crate::pages::reports::pdf_response;
use crate::pages::{FormData, PageResult};
use crate::{AppError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::billing as app;
use familytime_domain::text::FieldErrors;

/// POST /cases/{id}/invoices
pub async fn issue_invoice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::issue_invoice(&state, &caller, &id, &form.get("invoice_account"), &[]).await {
        Ok(invoice) => Ok(Redirect::to(&format!(
            "/cases/{id}/money?invoiced={}#invoice-{}",
            invoice.record.id, invoice.record.number
        ))
        .into_response()),
        // The choice is kept, so the person sees whose invoice was refused.
        Err(AppError::Invalid(e)) => {
            let errors = FieldErrors::single("invoice_account", e.messages().join(" "));
            case_page(&state, &caller, &id, errors, StatusCode::UNPROCESSABLE_ENTITY, form).await
        }
        Err(AppError::Conflict(m)) => {
            case_page(
                &state,
                &caller,
                &id,
                FieldErrors::single("invoice_account", m),
                StatusCode::CONFLICT,
                form,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// GET /invoices/{id}/pdf: staff, and the parent it is addressed to.
pub async fn invoice_pdf(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let (bytes, name) = app::invoice_pdf(&state, &caller, &id, crate::i18n::current()).await?;
    Ok(pdf_response(bytes, &name))
}
