//! Recording money on a case from its account page, and the organisation's ledger as CSV.

use super::account::after;
use crate::AppState;
use crate::context::Caller;
use crate::pages::{FormData, PageResult};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use familytime_app::billing::{self as app, MoneyInput};

/// POST /cases/{id}/money: a payment, deposit, charge, waiver or refund.
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = MoneyInput {
        kind: form.get("kind"),
        account: form.get("account"),
        amount: form.get("amount"),
        method: form.get("method"),
        reference: form.get("reference"),
        reason: form.get("reason"),
        item: form.get("item"),
        quantity: form.get("quantity"),
        against: form.get("against"),
    };
    let result = app::record(&state, &caller, &id, &input)
        .await
        .map(|ids| format!("recorded={}", ids.join(",")));
    after(&state, &caller, &id, result, form, "amount", "ledger").await
}

/// GET /billing/ledger.csv
pub async fn ledger_csv(State(state): State<AppState>, caller: Caller) -> PageResult {
    let csv = app::ledger_csv(&state, &caller).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"ledger.csv\""),
        ],
        csv,
    )
        .into_response())
}
