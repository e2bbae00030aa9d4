//! API: the organisation's sign-in policy (whether the roles that see case data must use a second
//! factor) and an administrator's reset of a colleague's second factor (decision 0052). Enrolment
//! is in the browser only: it shows a QR code and the recovery codes once.

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::two_factor::{self, Policy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The organisation's sign-in policy.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInPolicyBody {
    /// Administrators, coordinators, supervisors and safeguarding leads must sign in with a
    /// second factor (and enrol at their next sign-in if they have none).
    pub two_factor_required: bool,
    /// As read; a change made since is refused with 409.
    pub version: i64,
}

/// The organisation's sign-in policy (administrators).
#[utoipa::path(get, path = "/api/v1/settings/sign-in", operation_id = "get_sign_in_policy", tag = "accounts",
    responses((status = 200, body = SignInPolicyBody), (status = 403, body = ErrorBody)))]
pub async fn get_policy(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<SignInPolicyBody>> {
    let p = two_factor::policy(&state, &caller).await?;
    Ok(Json(SignInPolicyBody {
        two_factor_required: p.required,
        version: p.version,
    }))
}

/// Sets the policy; audited as `two_factor.policy.on` or `.off`.
#[utoipa::path(put, path = "/api/v1/settings/sign-in", operation_id = "set_sign_in_policy", tag = "accounts",
    request_body = SignInPolicyBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<SignInPolicyBody>,
) -> ApiResult<StatusCode> {
    let wanted = Policy {
        required: b.two_factor_required,
        version: b.version,
    };
    two_factor::set_policy(&state, &caller, wanted).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the person had a second factor to reset.
#[derive(Serialize, ToSchema)]
pub struct ResetView {
    pub had_second_factor: bool,
}

/// Resets a colleague's second factor (audited as `two_factor.reset`); their sessions end and they
/// enrol again.
#[utoipa::path(post, path = "/api/v1/users/{id}/two-factor/reset", operation_id = "reset_two_factor", tag = "people",
    params(("id" = String, Path, description = "The person's id")),
    responses((status = 200, body = ResetView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reset(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ResetView>> {
    let (_, had) = two_factor::reset(&state, &caller, &id).await?;
    Ok(Json(ResetView { had_second_factor: had }))
}
