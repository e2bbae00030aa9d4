//! API: ledger entries as JSON, recording money on a case, and the organisation's ledger as CSV.

use super::{Money, at, money};
use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use familytime_app::billing::{self as app, MoneyInput, account_key};
use familytime_domain::billing::{Entry, Pence};
use familytime_store::billing::LedgerRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct EntryView {
    pub id: String,
    /// charge, payment, refund, waiver, credit, deposit_held, deposit_returned, deposit_forfeited
    pub kind: String,
    pub account: String,
    pub account_name: String,
    pub amount: Money,
    pub item: Option<String>,
    pub booking_id: Option<String>,
    /// For credits and waivers: the charge they reduce.
    pub against: Option<String>,
    /// For charges: what is still owed on it.
    pub outstanding: Option<Money>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub invoice_number: Option<i64>,
    pub recorded_at: String,
}

pub(super) fn entry_view(r: &LedgerRow, outstanding: Option<Pence>) -> EntryView {
    EntryView {
        id: r.id.clone(),
        kind: r.kind().into(),
        account: account_key(r.entry.account()),
        account_name: r.account_name.clone(),
        amount: money(r.entry.amount()),
        item: r.item.map(|i| i.as_str().into()),
        booking_id: r.booking_id.clone(),
        against: r.against.clone(),
        outstanding: matches!(r.entry, Entry::Charge { .. })
            .then(|| outstanding.map(money))
            .flatten(),
        method: r.method.clone(),
        reference: r.reference.clone(),
        reason: r.reason.clone(),
        invoice_number: r.invoice_number,
        recorded_at: at(r.recorded_at),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyBody {
    /// payment, deposit, refund, deposit_return, waiver or charge
    pub kind: String,
    /// "party:ID" or "funder"; for a charge, omitted means "as the funding says".
    #[serde(default)]
    pub account: String,
    /// In pounds, like "147" or "61.50"; for a charge, omitted means the price list's price.
    #[serde(default)]
    pub amount: String,
    /// cash, card, bank_transfer or cheque (payments, deposits and refunds).
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub reference: String,
    /// Needed for waivers and refunds.
    #[serde(default)]
    pub reason: String,
    /// For a charge: what it is for.
    #[serde(default)]
    pub item: String,
    /// For a charge: how many (miles for mileage).
    #[serde(default)]
    pub quantity: Option<i64>,
    /// For a waiver: the charge it reduces.
    #[serde(default)]
    pub against: String,
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    pub ids: Vec<String>,
}

/// Records money on a case. A payment larger than what is owed stays as credit; bookings the money
/// now pays for are confirmed in the same transaction.
#[utoipa::path(post, path = "/api/v1/cases/{id}/ledger", operation_id = "record_ledger_entry", tag = "billing", params(("id" = String, Path)),
    request_body = MoneyBody, responses((status = 201, body = Recorded), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MoneyBody>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    let input = MoneyInput {
        kind: b.kind,
        account: b.account,
        amount: b.amount,
        method: b.method,
        reference: b.reference,
        reason: b.reason,
        item: b.item,
        quantity: b.quantity.map(|q| q.to_string()).unwrap_or_default(),
        against: b.against,
    };
    let ids = app::record(&state, &caller, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(Recorded { ids })))
}

/// The organisation's whole ledger as CSV, for its accounts. Audited.
#[utoipa::path(get, path = "/api/v1/billing/ledger.csv", operation_id = "export_ledger_csv", tag = "billing",
    responses((status = 200, description = "CSV", content_type = "text/csv")))]
pub async fn ledger_csv(State(state): State<AppState>, caller: Caller) -> ApiResult<axum::response::Response> {
    let csv = app::ledger_csv(&state, &caller).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
}
