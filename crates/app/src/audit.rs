//! Reading the organisation's audit log (administrators). Reading it is itself audited.

use super::authorize;
use crate::{AppError, AppState, Caller};
use familytime_domain::audit::AuditEntry;
use familytime_domain::authz::{Action, Object};
use familytime_store::AuditEvent;

/// A page of entries, newest first, older than `before_seq`.
pub async fn list_entries(
    state: &AppState,
    caller: &Caller,
    before_seq: Option<i64>,
) -> Result<Vec<AuditEntry>, AppError> {
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ViewAuditLog, Object::Organisation(org)).await?;
    let entries = state
        .store
        .audit_entries(actor.organisation_id, before_seq, 100)
        .await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("audit.read", "organisation", org),
        )
        .await?;
    Ok(entries)
}

/// Reads `before=N` from a query string; anything else there is ignored, a non-number refused.
pub fn before_param(query: Option<&str>) -> Result<Option<i64>, AppError> {
    let Some(value) = query.and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "before")
            .map(|(_, v)| v.into_owned())
    }) else {
        return Ok(None);
    };
    value
        .trim()
        .parse()
        .map(Some)
        .map_err(|_| AppError::BadRequest("before must be an entry number".into()))
}
