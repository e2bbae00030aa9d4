//! The application's use cases, written once and called by both the HTML pages and the JSON API:
//! each checks authorisation for the real object, parses input with the domain's rules, and calls
//! the store (which audits the change in the same transaction).

pub mod accounts;
pub mod arrivals;
pub mod audit;
pub mod billing;
pub mod confidential;
pub mod incidents;
pub mod people;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod reviews;
pub mod schedule;
pub mod tenancy;

use crate::{AppError, AppState, Caller};
use familytime_domain::authz::{self, Action, Actor, Object};
use familytime_store::AuditEvent;

/// Asks the one authorisation function about this object; a refusal is audited and becomes the
/// error to answer with (404 for another organisation's objects).
pub async fn authorize(state: &AppState, caller: &Caller, action: Action, object: Object) -> Result<Actor, AppError> {
    let actor = caller.actor();
    let decision = authz::authorize(actor.as_ref(), action, &object);
    match (AppError::from_decision(decision), actor) {
        (None, Some(actor)) => Ok(actor),
        (None, None) => Err(AppError::SignInRequired),
        (Some(refusal), actor) => {
            if actor.is_some() {
                // The object the request asked for (its path names it); failing that, what the
                // refused object itself names.
                let (object_type, object_id) = match (&caller.asked.object, &object) {
                    (Some(asked), _) => (asked.object_type, asked.object_id.clone()),
                    (None, Object::Centre { centre, .. } | Object::Case { centre, .. }) => {
                        ("centre", Some(centre.to_string()))
                    }
                    (None, Object::User { user, .. }) => ("user", Some(user.to_string())),
                    (
                        None,
                        Object::Organisation(organisation)
                        | Object::ReleasedReport { organisation, .. }
                        | Object::OwnedBy { organisation, .. },
                    ) => ("organisation", Some(organisation.to_string())),
                    (None, Object::Nothing) => ("object", None),
                };
                state
                    .store
                    .audit(
                        &caller.scope(state.clock.now()),
                        AuditEvent::denied("access.denied", object_type, object_id),
                    )
                    .await?;
                caller.asked.mark_audited();
            }
            Err(refusal)
        }
    }
}

/// Whether the caller may take `action` on `object`, without auditing: for offering a link or a form.
/// The use case asks `authorize` again when the action is taken.
pub fn may(caller: &Caller, action: Action, object: &Object) -> bool {
    let actor = caller.actor();
    actor.is_some() && authz::authorize(actor.as_ref(), action, object) == authz::Decision::Allow
}

/// Parses an identifier from a path or body; junk is simply not found.
pub fn parse_id<T>(text: &str, parse: fn(&str) -> Result<T, familytime_domain::ids::InvalidId>) -> Result<T, AppError> {
    parse(text).map_err(|_| AppError::NotFound)
}

/// Passes a store answer through; when the object is not found in the caller's organisation (a
/// mistyped or another organisation's id), the attempt is audited before answering 404.
pub async fn found<T>(
    state: &AppState,
    caller: &Caller,
    answer: Result<T, familytime_store::StoreError>,
    object_type: &'static str,
    object_id: impl ToString,
) -> Result<T, AppError> {
    match answer {
        Err(familytime_store::StoreError::NotFound) => {
            let event = AuditEvent::denied("access.not_found", object_type, Some(object_id.to_string()));
            state.store.audit(&caller.scope(state.clock.now()), event).await?;
            caller.asked.mark_audited();
            Err(AppError::NotFound)
        }
        other => Ok(other?),
    }
}
