//! What a case may book today, for the pages to show before a coordinator tries (issue 19,
//! decision 0043): the service in effect, its changes, and everything that stands in the way of
//! contact. The same rule decides as the booking's own transaction does (`Store::book`). And the
//! organisation's switch for the pre-visit rule.

use crate::case_files::file_org;
use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::authz::{Action, Object};
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

/// The organisation's booking rules as its administrator sees and sets them.
#[derive(Debug, Clone, Copy)]
pub struct RulesSettings {
    /// Contact waits for every adult's pre-visit and the rules agreed.
    pub previsits_before_contact: bool,
    /// The organisation's version when read, sent back with a change.
    pub version: i64,
}

/// The organisation's booking rules, for its administrator.
pub async fn settings(state: &AppState, caller: &Caller) -> Result<RulesSettings, AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageBookingRules, Object::Organisation(org)).await?;
    let (previsits_before_contact, version) = state.store.previsits_before_contact(org).await?;
    Ok(RulesSettings {
        previsits_before_contact,
        version,
    })
}

/// Switches whether contact waits for the pre-visits (audited either way: some centres allow a
/// first supported visit straight away). A change made since `version` was read is refused.
pub async fn set_settings(state: &AppState, caller: &Caller, wanted: RulesSettings) -> Result<(), AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageBookingRules, Object::Organisation(org)).await?;
    state
        .store
        .set_previsits_before_contact(
            &caller.scope(state.clock.now()),
            org,
            wanted.previsits_before_contact,
            Some(wanted.version),
        )
        .await?;
    Ok(())
}
