//! API: a centre's prices, and adding a price from a date.

use super::{Money, money};
use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::billing::{self as app, PriceInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PriceView {
    /// referral_fee, pre_visit, supervised_session, supported_session, handover_session, deposit,
    /// written_report, incident_report, mileage, supported_donation
    pub item: String,
    pub amount: Money,
    /// The date it applies from.
    pub applies_from: String,
}

/// A centre's prices, each with the date it applies from.
#[utoipa::path(get, path = "/api/v1/centres/{id}/prices", operation_id = "list_prices", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, body = Vec<PriceView>), (status = 404, body = ErrorBody)))]
pub async fn prices(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<PriceView>>> {
    let view = app::centre_money(&state, &caller, &id).await?;
    Ok(Json(
        view.prices
            .iter()
            .map(|p| PriceView {
                item: p.price.item.as_str().into(),
                amount: money(p.price.amount),
                applies_from: p.price.from.to_string(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceBody {
    pub item: String,
    /// In pounds, like "147" or "61.50"; never negative.
    pub amount: String,
    /// Like 2027-01-01.
    pub applies_from: String,
}

/// Adds a price from a date (a later price replaces it from then; charges keep their own amounts).
#[utoipa::path(post, path = "/api/v1/centres/{id}/prices", operation_id = "add_price", tag = "billing", params(("id" = String, Path)),
    request_body = PriceBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_price(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PriceBody>,
) -> ApiResult<StatusCode> {
    let input = PriceInput {
        item: b.item,
        amount: b.amount,
        applies_from: b.applies_from,
    };
    app::add_price(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
