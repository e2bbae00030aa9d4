//! The case list: a page of the cases at the caller's centres (the waiting list among them),
//! narrowed by status, centre or a search.

use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::authz::CentreScope;
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::CentreId;
use familytime_domain::referrals::CaseStatus;
use familytime_store::AuditEvent;
use familytime_store::case_list::CaseListFilter;
use familytime_store::paging::Page;
use familytime_store::referrals::CaseSummary;

/// What a case list is narrowed to, as typed (each part may be blank), and which page of it.
#[derive(Debug, Default, Clone, Copy)]
pub struct CaseFilter<'a> {
    pub status: Option<&'a str>,
    pub search: Option<&'a str>,
    pub centre: Option<&'a str>,
    /// The page after (or before) this case, as the list's links give it.
    pub after: Option<&'a str>,
    pub before: Option<&'a str>,
}

/// A page of the cases at the caller's centres, newest first (the waiting list: longest wait
/// first), optionally of one status or centre, or found by a search (a read of personal data:
/// audited). The filters and the caller's centres narrow the read itself, so every page is full.
pub async fn list_cases(
    state: &AppState,
    caller: &Caller,
    filter: CaseFilter<'_>,
) -> Result<Page<CaseSummary>, AppError> {
    let CaseFilter {
        status,
        search,
        centre,
        after,
        before,
    } = filter;
    let centre = match centre.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(CentreId::parse(c).map_err(|_| AppError::BadRequest("Choose a centre from the list".into()))?),
        None => None,
    };
    let request = crate::paging::page_request(after, before)?;
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ViewCases, Object::Organisation(org)).await?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => {
            Some(CaseStatus::parse(s).ok_or_else(|| AppError::BadRequest("Choose a status from the list".into()))?)
        }
        None => None,
    };
    // The centres read: the one asked for (if the caller works there), else all of the caller's.
    let centres = match (&actor.centres, centre) {
        (_, Some(wanted)) => Some(std::iter::once(wanted).filter(|c| actor.centres.includes(*c)).collect()),
        (CentreScope::All, None) => None,
        (CentreScope::Only(only), None) => Some(only.clone()),
    };
    let list = CaseListFilter {
        status,
        centres,
        search: search.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()),
    };
    let cases = crate::paging::page_read(state.store.case_page(org, &list, &request).await)?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("case.list", "organisation", org),
        )
        .await?;
    Ok(cases)
}
