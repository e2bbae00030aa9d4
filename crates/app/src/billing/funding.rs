//! Who funds a case: setting it, and what the funder has paid for so far against its allowance.

use super::access::billing_case;
use super::case_money::CaseMoney;
use crate::case_files::file_org;
use crate::{AppError, AppState, Caller};
use familytime_domain::billing::{self, FundedUse, Funding, Item, Posted};
use familytime_store::billing::LedgerRow;

/// What the funder has paid for so far: session charges to it not wholly taken back, leaving out
/// `moving` (a booking being moved, whose charge is about to be taken back).
pub(super) fn funded_use(money: &CaseMoney, ledger: &[LedgerRow], moving: Option<&str>) -> FundedUse {
    let Some(funder) = money.funding.funder() else {
        return money.fund(0, 0);
    };
    let posted: Vec<Posted> = ledger.iter().map(LedgerRow::posted).collect();
    let mut used = money.fund(0, 0);
    for row in ledger {
        let session = row.item.is_some_and(|i| {
            matches!(
                i,
                Item::SupervisedSession | Item::SupportedSession | Item::HandoverSession
            )
        });
        let Some(booking) = row.booking_id.as_deref() else {
            continue;
        };
        if !session || *row.entry.account() != funder || Some(booking) == moving {
            continue;
        }
        if billing::charges_left(&posted, booking).iter().any(|c| c.id == row.id) {
            used.sessions += 1;
            used.minutes += row.minutes.unwrap_or(0);
        }
    }
    used
}

/// Funding as the form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct FundingInput {
    pub payer: String,
    pub funder_name: String,
    pub funded_sessions: String,
    pub funded_hours: String,
    pub visiting_percent: String,
    pub version: i64,
}

pub async fn set_funding(state: &AppState, caller: &Caller, case: &str, input: &FundingInput) -> Result<(), AppError> {
    let people = billing_case(state, caller, case).await?;
    let funding = Funding::parse(
        &input.payer,
        &input.funder_name,
        &input.funded_sessions,
        &input.funded_hours,
        &input.visiting_percent,
    )
    .map_err(AppError::Invalid)?;
    let scope = caller.scope(state.clock.now());
    Ok(state
        .store
        .set_case_funding(&scope, file_org(caller)?, people.summary.id, &funding, input.version)
        .await?)
}
