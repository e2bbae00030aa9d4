//! API: the organisation's audit log.

use super::{ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{RawQuery, State};
use familytime_app as app;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub request_id: String,
    pub actor_user_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub outcome: String,
    pub hash: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries older than this sequence number (for paging).
    pub before: Option<i64>,
}

/// Up to 100 entries, newest first.
#[utoipa::path(get, path = "/api/v1/audit", operation_id = "list_audit_entries", tag = "audit", params(AuditQuery),
    responses((status = 200, body = [AuditEntryView]), (status = 403, body = ErrorBody)))]
pub async fn list_entries(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<AuditEntryView>>> {
    let before = familytime_app::audit::before_param(query.as_deref())?;
    let entries = app::audit::list_entries(&state, &caller, before).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditEntryView {
                seq: e.seq,
                at: familytime_domain::Timestamp::from_millisecond(e.at_ms)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                request_id: e.request_id,
                actor_user_id: e.actor_user_id,
                action: e.action,
                object_type: e.object_type,
                object_id: e.object_id,
                outcome: e.outcome,
                hash: e.hash,
            })
            .collect(),
    ))
}
