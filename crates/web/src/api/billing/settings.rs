//! API: the organisation's details printed on invoices and receipts.

use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use familytime_app::billing as app;
use familytime_store::billing::BillingSettings;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = BillingSettings)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    pub charity_name: String,
    pub charity_number: String,
    pub postal_address: String,
    pub payment_details: String,
    pub payment_terms_days: i64,
    /// Provisional bookings still unpaid this many hours after they were made are released
    /// (cancelled by the centre); null keeps them.
    #[serde(deserialize_with = "crate::api::present")]
    #[schema(required = true)]
    pub release_unpaid_hours: Option<i64>,
    /// As read; 0 when never saved. A change since is refused with 409.
    pub version: i64,
}

/// The details printed on invoices and receipts.
#[utoipa::path(get, path = "/api/v1/settings/billing", operation_id = "get_billing_settings", tag = "billing", responses((status = 200, body = SettingsBody)))]
pub async fn settings(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<SettingsBody>> {
    let s = app::settings(&state, &caller).await?;
    Ok(Json(SettingsBody {
        charity_name: s.charity_name,
        charity_number: s.charity_number,
        postal_address: s.postal_address,
        payment_details: s.payment_details,
        payment_terms_days: s.payment_terms_days,
        release_unpaid_hours: s.release_unpaid_hours,
        version: s.version,
    }))
}

#[utoipa::path(put, path = "/api/v1/settings/billing", operation_id = "update_billing_settings", tag = "billing", request_body = SettingsBody,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_settings(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<SettingsBody>,
) -> ApiResult<StatusCode> {
    let input = BillingSettings {
        charity_name: b.charity_name,
        charity_number: b.charity_number,
        postal_address: b.postal_address,
        payment_details: b.payment_details,
        payment_terms_days: b.payment_terms_days,
        release_unpaid_hours: b.release_unpaid_hours,
        version: b.version,
    };
    app::save_settings(&state, &caller, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
