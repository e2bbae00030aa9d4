//! API: who owes what across the organisation, with overdue invoices.

use super::{Money, money};
use crate::api::ApiResult;
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::State;
use familytime_app::billing as app;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct OwedView {
    pub case_id: String,
    pub case_reference: String,
    pub name: String,
    pub owed: Money,
    /// The due date of the oldest invoice past due, when the account still owes money.
    pub overdue_since: Option<String>,
}

/// Who owes what across the organisation, largest first, with overdue invoices.
#[utoipa::path(get, path = "/api/v1/billing/outstanding", operation_id = "list_outstanding", tag = "billing", responses((status = 200, body = Vec<OwedView>)))]
pub async fn outstanding(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<OwedView>>> {
    Ok(Json(
        app::outstanding(&state, &caller)
            .await?
            .into_iter()
            .map(|l| OwedView {
                case_id: l.case_id.to_string(),
                case_reference: l.case_reference,
                name: l.name,
                owed: money(l.owed),
                overdue_since: l.overdue_since.map(|d| d.to_string()),
            })
            .collect(),
    ))
}
