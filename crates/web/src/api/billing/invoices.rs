//! API: invoices as JSON, issuing one, and an invoice's PDF (for staff, and for the parent it is
//! addressed to).

use super::{Money, at, money};
use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::pages::reports::pdf_response;
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::billing::{self as app, account_key};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct InvoiceView {
    pub id: String,
    pub number: i64,
    pub account: String,
    pub issued_to: String,
    pub issued_at: String,
    pub due_on: String,
    /// What the invoice billed when it was issued (its lines added up).
    pub total: Money,
    /// Each line as billed (credits and waivers are negative).
    pub lines: Vec<InvoiceLineView>,
    /// Taken back from its charges since it was issued (sessions cancelled, charges waived).
    pub taken_back: Money,
    /// Paid against its charges so far (payments pay the account's oldest charges first).
    pub paid: Money,
    /// What its charges still owe: total less taken back less paid.
    pub balance_due: Money,
}

/// One line of an invoice. (An object rather than a pair, so that generated clients can read it:
/// a pair is a `prefixItems` array, which openapi-python-client refuses.)
#[derive(Serialize, ToSchema)]
pub struct InvoiceLineView {
    pub description: String,
    pub amount: Money,
}

pub(super) fn invoice_view(invoice: &app::Invoice) -> InvoiceView {
    let (i, s) = (&invoice.record, &invoice.standing);
    InvoiceView {
        taken_back: money(s.taken_back),
        paid: money(s.paid),
        balance_due: money(s.due),
        id: i.id.clone(),
        number: i.number,
        account: account_key(&i.account),
        issued_to: i.issued_to.clone(),
        issued_at: at(i.issued_at),
        due_on: i.due_on.to_string(),
        total: money(i.total),
        lines: i
            .lines
            .iter()
            .map(|(description, amount)| InvoiceLineView {
                description: description.clone(),
                amount: money(*amount),
            })
            .collect(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceBody {
    /// "party:ID" or "funder".
    pub account: String,
    /// Only these charges; omitted means every charge of the account not yet invoiced.
    #[serde(default)]
    pub entries: Vec<String>,
}

/// Issues an invoice, numbered without gaps across the organisation.
#[utoipa::path(post, path = "/api/v1/cases/{id}/invoices", operation_id = "issue_invoice", tag = "billing", params(("id" = String, Path)),
    request_body = InvoiceBody, responses((status = 201, body = InvoiceView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn issue_invoice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<InvoiceBody>,
) -> ApiResult<(StatusCode, Json<InvoiceView>)> {
    let invoice = app::issue_invoice(&state, &caller, &id, &b.account, &b.entries).await?;
    Ok((StatusCode::CREATED, Json(invoice_view(&invoice))))
}

#[utoipa::path(get, path = "/api/v1/invoices/{id}", operation_id = "get_invoice", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, body = InvoiceView), (status = 404, body = ErrorBody)))]
pub async fn invoice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(Json(invoice_view(&app::invoice(&state, &caller, &id).await?)))
}

/// The invoice as a PDF (staff).
#[utoipa::path(get, path = "/api/v1/invoices/{id}/pdf", operation_id = "get_invoice_pdf", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn invoice_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let (bytes, name) = app::invoice_pdf(&state, &caller, &id, crate::i18n::current()).await?;
    Ok(pdf_response(bytes, &name))
}

/// One of the parent's own invoices as a PDF.
#[utoipa::path(get, path = "/api/v1/my-account/invoices/{id}/pdf", operation_id = "get_my_invoice_pdf", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn own_invoice_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let (bytes, name) = app::invoice_pdf(&state, &caller, &id, crate::i18n::current()).await?;
    Ok(pdf_response(bytes, &name))
}
