//! API: a centre's cancellation policy, and what cancelling a booking now would forfeit.

use super::{Money, money};
use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::billing::{self as app, TierInput, account_key};
use familytime_domain::billing::{Canceller, Forfeit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierBody {
    /// Cancelling with less notice than this, in hours.
    pub under_hours: i64,
    /// resident or visiting
    pub canceller: String,
    /// session_fee or deposit
    pub forfeit: String,
    /// For session_fee: the share forfeited, 1 to 100 per cent; null for a deposit.
    #[serde(deserialize_with = "crate::api::present")]
    #[schema(required = true)]
    pub percent: Option<i64>,
}

/// A centre's whole cancellation policy and its version.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    pub tiers: Vec<TierBody>,
    /// As read (0 when never set); a change since is refused with 409.
    pub version: i64,
}

/// A centre's cancellation policy: the tightest tier that applies wins; none means nothing is
/// forfeited; the centre cancelling never forfeits anything.
#[utoipa::path(get, path = "/api/v1/centres/{id}/cancellation-policy", operation_id = "get_cancellation_policy", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, body = PolicyBody), (status = 404, body = ErrorBody)))]
pub async fn policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PolicyBody>> {
    let view = app::centre_money(&state, &caller, &id).await?;
    Ok(Json(PolicyBody {
        version: view.policy_version,
        tiers: view
            .policy
            .tiers()
            .iter()
            .map(|t| TierBody {
                under_hours: t.under_hours,
                canceller: if t.by == Canceller::Resident {
                    "resident"
                } else {
                    "visiting"
                }
                .into(),
                forfeit: if t.forfeit == Forfeit::Deposit {
                    "deposit"
                } else {
                    "session_fee"
                }
                .into(),
                percent: match t.forfeit {
                    Forfeit::SessionFee { basis_points } => Some(basis_points / 100),
                    _ => None,
                },
            })
            .collect(),
    }))
}

/// Replaces a centre's whole cancellation policy. A stale version is 409 and changes nothing.
#[utoipa::path(put, path = "/api/v1/centres/{id}/cancellation-policy", operation_id = "set_cancellation_policy", tag = "billing", params(("id" = String, Path)),
    request_body = PolicyBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PolicyBody>,
) -> ApiResult<StatusCode> {
    let tiers: Vec<TierInput> = b
        .tiers
        .into_iter()
        .map(|t| TierInput {
            under_hours: t.under_hours.to_string(),
            canceller: t.canceller,
            forfeit: t.forfeit,
            percent: t.percent.map(|p| p.to_string()).unwrap_or_default(),
        })
        .collect();
    app::set_policy(&state, &caller, &id, &tiers, b.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeBody {
    /// centre, resident, visiting or other
    pub cancelled_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct OutcomeView {
    /// Whole minutes of notice, were it cancelled now.
    pub notice_minutes: i64,
    /// What is forfeited, in words; send it back as `expected_outcome` when cancelling.
    pub description: String,
    /// Each account that forfeits something, and how much.
    pub forfeits: Vec<ForfeitView>,
}

/// What one account forfeits (an object rather than a pair, for generated clients).
#[derive(Serialize, ToSchema)]
pub struct ForfeitView {
    /// "party:ID" or "funder".
    pub account: String,
    pub amount: Money,
}

/// What cancelling the booking now would forfeit, under the centre's policy (nothing changes).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancellation-outcome", operation_id = "preview_cancellation", tag = "billing", params(("id" = String, Path)),
    request_body = OutcomeBody, responses((status = 200, body = OutcomeView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancellation_outcome(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OutcomeBody>,
) -> ApiResult<Json<OutcomeView>> {
    let p = app::cancellation_preview(&state, &caller, &id, &b.cancelled_by).await?;
    Ok(Json(OutcomeView {
        notice_minutes: p.outcome.notice_minutes,
        forfeits: p
            .outcome
            .kept
            .iter()
            .map(|(a, m, _)| ForfeitView {
                account: account_key(a),
                amount: money(*m),
            })
            .collect(),
        description: p.description,
    }))
}
