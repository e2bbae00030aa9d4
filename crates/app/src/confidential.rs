//! Hidden contact details: the staff named for a case, giving a reason to see a case's hidden
//! details without being named ("break glass"), and the list of those reasons that the safeguarding
//! lead reads. The decision itself is the domain's (`confidential::may_disclose`); this gathers the
//! facts it needs from the store.

use super::authorize;
use super::case_files::{case_file, file_org};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, Object};
use familytime_domain::confidential::{CaseRelation, break_glass_until, may_be_named};
use familytime_domain::ids::UserId;
use familytime_domain::text::{self, FieldErrors};
use familytime_store::AuditEvent;
use familytime_store::confidential::{BreakGlass, NamedStaff};
use familytime_store::referrals::CaseFile;

/// How far either side of now a session is looked for: wider than any time zone's offset, so the
/// domain can decide "the same calendar day at the centre" from all the candidates.
const SESSION_WINDOW_HOURS: i64 = 48;

/// The caller's relation to a case they may read, for `may_disclose`.
pub async fn relation(state: &AppState, caller: &Caller, file: &CaseFile) -> Result<CaseRelation, AppError> {
    let user = caller.user()?;
    let now = state.clock.now();
    let window = jiff::SignedDuration::from_hours(SESSION_WINDOW_HOURS);
    let from = now.checked_sub(window).unwrap_or(now);
    let to = now.checked_add(window).unwrap_or(now);
    Ok(state
        .store
        .case_relation(user.organisation_id, file.summary.id, user.id, from, to)
        .await?)
}

/// Who is named for a case, and who could be (the staff at its centre whose role allows it).
pub struct NamedStaffView {
    pub case: familytime_store::referrals::CaseSummary,
    pub named: Vec<NamedStaff>,
    /// Send this back when changing who is named.
    pub version: i64,
    pub candidates: Vec<Candidate>,
}

/// A member of staff at the case's centre who could be its key worker.
pub struct Candidate {
    pub user_id: UserId,
    pub name: String,
    pub role: familytime_domain::people::Role,
    /// Whether they may also be named other than as the key worker (not supervisors).
    pub may_be_named: bool,
}

/// The staff named for a case (for people who may read the case file).
pub async fn named_staff(state: &AppState, caller: &Caller, case: &str) -> Result<NamedStaffView, AppError> {
    let file = case_file(state, caller, case, Action::ViewCases).await?;
    let org = file_org(caller)?;
    let named = state.store.named_staff(org, file.summary.id).await?;
    let version = state.store.named_staff_version(org, file.summary.id).await?;
    let candidates = state
        .store
        .users_in_roles(org, &familytime_domain::people::Role::STAFF)
        .await?
        .into_iter()
        .filter(|u| !u.disabled && may_be_named(u.role, true) && u.actor().centres.includes(file.summary.centre_id))
        .map(|u| Candidate {
            user_id: u.id,
            may_be_named: may_be_named(u.role, false),
            name: u.name,
            role: u.role,
        })
        .collect();
    Ok(NamedStaffView {
        case: file.summary,
        named,
        version,
        candidates,
    })
}

/// Names a case's key worker (blank: none) and the coordinators and managers named for it,
/// replacing who was named before, if nobody changed the list since `version` was read. Each must work at the case's centre in a role that may be named;
/// nobody may name themself (the permission comes from someone else, or from a reason given).
pub async fn set_named_staff(
    state: &AppState,
    caller: &Caller,
    case: &str,
    key_worker: &str,
    named: &[String],
    version: i64,
) -> Result<(), AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let org = file_org(caller)?;
    let me = caller.user()?.id;
    let users = state
        .store
        .users_in_roles(org, &familytime_domain::people::Role::STAFF)
        .await?;
    let eligible = |id: &str, key: bool| {
        UserId::parse(id.trim()).ok().filter(|id| {
            users.iter().any(|u| {
                u.id == *id
                    && !u.disabled
                    && may_be_named(u.role, key)
                    && u.actor().centres.includes(file.summary.centre_id)
            })
        })
    };
    let mut errors = FieldErrors::new();
    let key = match key_worker.trim() {
        "" => None,
        id => {
            let found = eligible(id, true);
            if found.is_none() {
                errors.add(
                    "key_worker",
                    "Choose the key worker from the staff at this case's centre",
                );
            }
            found
        }
    };
    let mut others = Vec::new();
    for id in named.iter().filter(|n| !n.trim().is_empty()) {
        match eligible(id, false) {
            Some(id) if !others.contains(&id) => others.push(id),
            Some(_) => {}
            None => {
                errors.add(
                    "named",
                    "Choose coordinators, administrators or the safeguarding lead at this case's centre",
                );
                break;
            }
        }
    }
    let before = state.store.named_staff(org, file.summary.id).await?;
    let was = before.iter().find(|n| n.user_id == me);
    let now_key = key == Some(me);
    let now_named = now_key || others.contains(&me);
    if (now_named && was.is_none()) || (now_key && !was.is_some_and(|n| n.key_worker)) {
        let field = if now_key { "key_worker" } else { "named" };
        errors.add(
            field,
            "You cannot name yourself for a case: ask another coordinator or the administrator",
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(state
        .store
        .set_named_staff(
            &caller.scope(state.clock.now()),
            org,
            file.summary.id,
            version,
            key,
            &others,
        )
        .await?)
}

/// The case a reason would be given for (the form asks about it by its reference).
pub async fn break_glass_case(
    state: &AppState,
    caller: &Caller,
    case: &str,
) -> Result<familytime_store::referrals::CaseSummary, AppError> {
    Ok(case_file(state, caller, case, Action::BreakGlass).await?.summary)
}

/// Gives a reason to see a case's hidden details; returns until when it counts. The reason is kept
/// for the safeguarding lead; the audit log records who, which case and when.
pub async fn break_glass(state: &AppState, caller: &Caller, case: &str, reason: &str) -> Result<Timestamp, AppError> {
    let file = case_file(state, caller, case, Action::BreakGlass).await?;
    let reason = text::required("why you need to see the hidden details", reason, 2000)
        .map_err(|m| AppError::Invalid(FieldErrors::single("reason", m)))?;
    let now = state.clock.now();
    let until = break_glass_until(now);
    let user = caller.user()?;
    state
        .store
        .give_break_glass(
            &caller.scope(now),
            user.organisation_id,
            file.summary.id,
            user.id,
            &reason,
            until,
        )
        .await?;
    Ok(until)
}

/// How many of the latest reasons the list shows.
const LIST_LIMIT: i64 = 500;

/// The reasons given at the caller's centres, newest first (a read of personal data: audited).
pub async fn break_glass_list(state: &AppState, caller: &Caller) -> Result<Vec<BreakGlass>, AppError> {
    let org = file_org(caller)?;
    let actor = authorize(state, caller, Action::ViewBreakGlass, Object::Organisation(org)).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("break_glass.list", "organisation", org),
        )
        .await?;
    Ok(state
        .store
        .break_glass_list(org, LIST_LIMIT)
        .await?
        .into_iter()
        .filter(|g| actor.centres.includes(g.centre_id))
        .collect())
}
