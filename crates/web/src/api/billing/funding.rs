//! API: setting who pays for a case.

use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::billing::{self as app, FundingInput};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingBody {
    pub payer: String,
    pub funder_name: String,
    /// null when not limited.
    #[serde(deserialize_with = "crate::api::present")]
    #[schema(required = true)]
    pub funded_sessions: Option<i64>,
    /// null when not limited.
    #[serde(deserialize_with = "crate::api::present")]
    #[schema(required = true)]
    pub funded_hours: Option<i64>,
    /// The visiting parent's share of what the parents pay, per cent (null: 100).
    #[serde(deserialize_with = "crate::api::present")]
    #[schema(required = true)]
    pub visiting_percent: Option<i64>,
    /// As read (0 when never set); a change since is refused with 409.
    pub version: i64,
}

/// Sets who pays for a case.
#[utoipa::path(put, path = "/api/v1/cases/{id}/funding", operation_id = "set_funding", tag = "billing", params(("id" = String, Path)),
    request_body = FundingBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_funding(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FundingBody>,
) -> ApiResult<StatusCode> {
    let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let input = FundingInput {
        payer: b.payer,
        funder_name: b.funder_name,
        funded_sessions: num(b.funded_sessions),
        funded_hours: num(b.funded_hours),
        visiting_percent: num(b.visiting_percent),
        version: b.version,
    };
    app::set_funding(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
