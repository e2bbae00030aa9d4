//! Who owes what across the organisation, largest first, and which invoices are overdue.

use super::access::{ledger_in_reach, money_reader};
use super::invoices::Invoice;
use crate::{AppError, AppState, Caller};
use familytime_domain::billing::{Account, Pence};
use familytime_domain::ids::CaseId;
use familytime_store::AuditEvent;
use familytime_store::billing::LedgerRow;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

/// An account that owes money, across the organisation.
pub struct OwedLine {
    pub case_id: CaseId,
    pub case_reference: String,
    pub name: String,
    pub owed: Pence,
    /// The oldest unpaid invoice past its due date, if any.
    pub overdue_since: Option<Date>,
}

/// Who owes what, largest first, and which invoices are overdue (past their due date with a balance
/// still due). Funders are listed per case. Only the cases at the reader's centres.
pub async fn outstanding(state: &AppState, caller: &Caller) -> Result<Vec<OwedLine>, AppError> {
    let (org, actor) = money_reader(state, caller).await?;
    let rows = ledger_in_reach(state, org, &actor).await?;
    let mut by_case: BTreeMap<CaseId, Vec<LedgerRow>> = BTreeMap::new();
    for r in &rows {
        by_case.entry(r.case_id).or_default().push(r.clone());
    }
    let invoices: Vec<Invoice> = state
        .store
        .invoices(org, None)
        .await?
        .into_iter()
        .filter_map(|i| {
            let case_rows = by_case.get(&i.case_id)?;
            Some(Invoice::of(i, case_rows))
        })
        .collect();
    // Names and money of many families at once: the read is audited like a case file's.
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.outstanding_read", "organisation", org),
        )
        .await?;
    let today = state.clock.now().to_zoned(TimeZone::UTC).date();
    let mut by: BTreeMap<(String, Account), (CaseId, String, String, i64)> = BTreeMap::new();
    for r in &rows {
        let key = (r.case_id.to_string(), r.entry.account().clone());
        let line = by
            .entry(key)
            .or_insert((r.case_id, r.case_reference.clone(), r.account_name.clone(), 0));
        line.3 += r.entry.owed_change();
    }
    let mut lines: Vec<OwedLine> = by
        .into_iter()
        .filter(|(_, v)| v.3 > 0)
        .map(|((case, account), (case_id, reference, name, owed))| OwedLine {
            overdue_since: invoices
                .iter()
                .filter(|i| i.standing.due.0 > 0)
                .map(|i| &i.record)
                .filter(|i| i.case_id.to_string() == case && i.account == account && i.due_on < today)
                .map(|i| i.due_on)
                .min(),
            case_id,
            case_reference: reference,
            name,
            owed: Pence(owed),
        })
        .collect();
    lines.sort_by(|a, b| b.owed.cmp(&a.owed).then(a.case_reference.cmp(&b.case_reference)));
    Ok(lines)
}
