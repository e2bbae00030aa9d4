//! API: the staff named for a case (who see its hidden contact details without a reason), giving a
//! reason to see a case's hidden details ("break glass"), and the list of reasons given.

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::confidential;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A member of staff named for a case.
#[derive(Serialize, ToSchema)]
pub struct NamedPerson {
    pub user_id: String,
    pub name: String,
    pub role: String,
}

/// Who is named for a case.
#[derive(Serialize, ToSchema)]
pub struct NamedStaffView {
    /// The key worker (null: none named).
    pub key_worker: Option<NamedPerson>,
    /// The coordinators and managers named for the case (not the key worker).
    pub named: Vec<NamedPerson>,
    /// Send this back when changing who is named.
    pub version: i64,
}

/// Who to name for a case, replacing who was named before.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedStaffBody {
    /// The key worker's user id (null: none). Any member of staff at the case's centre who may see
    /// hidden details (administrator, coordinator, supervisor, safeguarding lead). Required, even
    /// when null, so that leaving it out never removes the key worker.
    #[serde(deserialize_with = "Option::deserialize")]
    pub key_worker: Option<String>,
    /// Coordinators, administrators or safeguarding leads at the case's centre. You cannot name yourself.
    pub named: Vec<String>,
    /// The `version` as you read it; a change from an older one is refused (409), nothing changed.
    pub version: i64,
}

/// Who is named for a case: they see its hidden contact details without giving a reason.
#[utoipa::path(get, path = "/api/v1/cases/{id}/named-staff", operation_id = "get_named_staff", tag = "referrals", params(("id" = String, Path)),
    responses((status = 200, body = NamedStaffView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_named_staff(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<NamedStaffView>> {
    let view = confidential::named_staff(&state, &caller, &id).await?;
    let person = |n: &familytime_store::confidential::NamedStaff| NamedPerson {
        user_id: n.user_id.to_string(),
        name: n.name.clone(),
        role: n.role.as_str().into(),
    };
    Ok(Json(NamedStaffView {
        key_worker: view.named.iter().find(|n| n.key_worker).map(person),
        named: view.named.iter().filter(|n| !n.key_worker).map(person).collect(),
        version: view.version,
    }))
}

/// Names a case's key worker and the coordinators and managers named for it (audited).
#[utoipa::path(put, path = "/api/v1/cases/{id}/named-staff", operation_id = "set_named_staff", tag = "referrals", params(("id" = String, Path)),
    request_body = NamedStaffBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_named_staff(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NamedStaffBody>,
) -> ApiResult<StatusCode> {
    confidential::set_named_staff(
        &state,
        &caller,
        &id,
        b.key_worker.as_deref().unwrap_or(""),
        &b.named,
        b.version,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Why you need to see a case's hidden contact details.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakGlassBody {
    /// Required; kept for the safeguarding lead, never written to the audit log.
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct BreakGlassGranted {
    /// Until when (UTC) the case's hidden details are shown to you.
    pub until: String,
}

/// Gives a reason to see a case's hidden contact details when you are not named for it and do not
/// supervise its session today. Audited (`contact.break_glass`, naming the case) and shown to the
/// safeguarding lead; counts for an hour. Volunteers, referrers and parents cannot.
#[utoipa::path(post, path = "/api/v1/cases/{id}/break-glass", operation_id = "break_glass", tag = "referrals", params(("id" = String, Path)),
    request_body = BreakGlassBody,
    responses((status = 201, body = BreakGlassGranted), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn break_glass(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BreakGlassBody>,
) -> ApiResult<(StatusCode, Json<BreakGlassGranted>)> {
    let until = confidential::break_glass(&state, &caller, &id, &b.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(BreakGlassGranted {
            until: until.to_string(),
        }),
    ))
}

/// A reason given to see a case's hidden details.
#[derive(Serialize, ToSchema)]
pub struct BreakGlassEntry {
    pub id: String,
    pub case_id: String,
    pub case_reference: String,
    pub user_id: String,
    pub user_name: String,
    pub reason: String,
    pub given_at: String,
    pub expires_at: String,
}

/// The reasons given to see cases' hidden details at your centres, newest first (the safeguarding
/// lead and administrators; the read is audited).
#[utoipa::path(get, path = "/api/v1/break-glass", operation_id = "list_break_glass", tag = "safeguarding",
    responses((status = 200, body = Vec<BreakGlassEntry>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<BreakGlassEntry>>> {
    let entries = confidential::break_glass_list(&state, &caller).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|g| BreakGlassEntry {
                id: g.id,
                case_id: g.case_id.to_string(),
                case_reference: g.case_reference,
                user_id: g.user_id.to_string(),
                user_name: g.user_name,
                reason: g.reason,
                given_at: g.given_at.to_string(),
                expires_at: g.expires_at.to_string(),
            })
            .collect(),
    ))
}
