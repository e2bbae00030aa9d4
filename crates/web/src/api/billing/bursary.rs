//! API: the bursary fund, and recording money given to it.

use super::{Money, money};
use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use familytime_app::billing as app;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct GrantView {
    pub amount: Money,
    pub source: String,
    pub received_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct BursaryView {
    /// What is left: grants less what the fund was charged (net of what was taken back).
    pub left: Money,
    pub grants: Vec<GrantView>,
}

/// The centre's bursary fund.
#[utoipa::path(get, path = "/api/v1/billing/bursary", operation_id = "get_bursary", tag = "billing", responses((status = 200, body = BursaryView)))]
pub async fn bursary(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BursaryView>> {
    let b = app::bursary(&state, &caller).await?;
    Ok(Json(BursaryView {
        left: money(b.left),
        grants: b
            .grants
            .into_iter()
            .map(|(amount, source, on, _)| GrantView {
                amount: money(amount),
                source,
                received_on: on.to_string(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    /// In pounds.
    pub amount: String,
    pub source: String,
    /// Like 2026-11-25.
    pub received_on: String,
}

/// Records money given to the bursary fund.
#[utoipa::path(post, path = "/api/v1/billing/bursary", operation_id = "add_bursary_grant", tag = "billing", request_body = GrantBody,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn add_grant(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<GrantBody>,
) -> ApiResult<StatusCode> {
    app::add_bursary_grant(&state, &caller, &b.amount, &b.source, &b.received_on).await?;
    Ok(StatusCode::NO_CONTENT)
}
