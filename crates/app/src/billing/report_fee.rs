//! The written report's fee: asking for a report charges the price list's written report, on the day
//! it is asked for, to whoever the case's funding says (the funder when there is one; else the parent
//! who asked, or both parents by their shares when the referrer asked). The entries are written in
//! the report's own transaction, like every other charge.

use super::case_money::load_money;
use crate::{AppError, AppState};
use familytime_domain::Timestamp;
use familytime_domain::billing::{Coverage, Entry, Item};
use familytime_domain::ids::{CaseId, OrganisationId};
use familytime_domain::reports::ReportRequester;
use familytime_domain::text::FieldErrors;
use familytime_store::billing::NewEntry;

/// The charges asking for a report makes; none where the price list has no written report (or the
/// centre's own report, which nobody asked for). Refused, saying why, when nobody can be charged.
pub(crate) async fn report_fee(
    state: &AppState,
    org: OrganisationId,
    case: CaseId,
    asked_by: ReportRequester,
    at: Timestamp,
) -> Result<Vec<NewEntry>, AppError> {
    let people = state.store.case_people(org, case).await?;
    let money = load_money(state, org, people).await?;
    let price = money.prices.price_on(Item::WrittenReport, money.day(at));
    let parent = match asked_by {
        ReportRequester::Referrer => None,
        ReportRequester::Visiting => money.parents.visiting.as_deref(),
        ReportRequester::Resident => money.parents.resident.as_deref(),
    };
    if asked_by != ReportRequester::Referrer && parent.is_none() {
        return Err(AppError::Invalid(FieldErrors::single(
            "requested_by",
            format!("{} is not on this case", asked_by.label()),
        )));
    }
    match money
        .funding
        .cover_item(price, parent, &money.parents, money.fund(0, 0))
    {
        Coverage::Free => Ok(Vec::new()),
        Coverage::NotFunded(why) => Err(AppError::Invalid(FieldErrors::single("requested_by", why))),
        Coverage::Charged(parts) => Ok(parts
            .into_iter()
            .map(|(account, amount)| NewEntry {
                item: Some(Item::WrittenReport),
                reason: Some(format!(
                    "Written report asked for by {}",
                    asked_by.label().to_lowercase()
                )),
                ..NewEntry::of(Entry::Charge { account, amount })
            })
            .collect()),
    }
}
