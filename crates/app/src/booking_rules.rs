//! What a case may book today, for the pages to show before a coordinator tries (issue 19,
//! decision 0043): the service in effect, its changes, and everything that stands in the way of
//! contact. The same rule decides as the booking's own transaction does (`Store::book`).

use crate::case_files::file_org;
use crate::{AppError, AppState, Caller};
use familytime_domain::booking_rules::{self, ServiceChange};
use familytime_domain::referrals::Service;
use familytime_domain::schedule::BookingKind;
use familytime_store::referrals::CaseFile;
use jiff::civil::Date;

/// What the case may book on a day.
#[derive(Debug, Clone)]
pub struct RulesView {
    /// The service in effect that day.
    pub service: Option<Service>,
    /// The changes of service, oldest first.
    pub changes: Vec<ServiceChange>,
    /// What stands in the way of contact, in words (empty: contact can be booked).
    pub missing: Vec<String>,
}

/// What the case of an already authorised `file` may book on `day`.
pub async fn rules_on(state: &AppState, caller: &Caller, file: &CaseFile, day: Date) -> Result<RulesView, AppError> {
    let rules = state.store.case_rules(file_org(caller)?, file.summary.id).await?;
    let service = booking_rules::service_on(&rules, day);
    // Asked of the service in effect, so only what the case lacks is listed (no service: that).
    let asked = BookingKind::Contact(service.unwrap_or(Service::Supervised));
    let missing = match booking_rules::check(&rules, asked, day) {
        Ok(()) => Vec::new(),
        Err(missing) => booking_rules::messages(&missing),
    };
    let mut changes = rules.changes;
    changes.sort_by_key(|c| c.from);
    Ok(RulesView {
        service,
        changes,
        missing,
    })
}
