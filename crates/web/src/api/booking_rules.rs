//! API: the organisation's booking rules (issue 19, decision 0043) — whether contact waits for
//! every adult's pre-visit and the rules agreed. Switching it is audited.

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use familytime_app::booking_rules::{self, RulesSettings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The organisation's booking rules.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingRulesBody {
    /// Contact sessions are refused until every adult's pre-visit is done and the rules agreed.
    pub previsits_before_contact: bool,
    /// As read; a change made since is refused with 409.
    pub version: i64,
}

/// The organisation's booking rules (administrators).
#[utoipa::path(get, path = "/api/v1/settings/booking-rules", operation_id = "get_booking_rules", tag = "schedule",
    responses((status = 200, body = BookingRulesBody), (status = 403, body = ErrorBody)))]
pub async fn get_rules(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BookingRulesBody>> {
    let s = booking_rules::settings(&state, &caller).await?;
    Ok(Json(BookingRulesBody {
        previsits_before_contact: s.previsits_before_contact,
        version: s.version,
    }))
}

/// Switches whether contact waits for the pre-visits; audited as `rules.previsits.on` or `.off`.
#[utoipa::path(put, path = "/api/v1/settings/booking-rules", operation_id = "set_booking_rules", tag = "schedule",
    request_body = BookingRulesBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_rules(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<BookingRulesBody>,
) -> ApiResult<StatusCode> {
    let wanted = RulesSettings {
        previsits_before_contact: b.previsits_before_contact,
        version: b.version,
    };
    booking_rules::set_settings(&state, &caller, wanted).await?;
    Ok(StatusCode::NO_CONTENT)
}
