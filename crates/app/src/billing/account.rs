//! A case's account: its funding, the balance of each account, what each booking still waits for,
//! the ledger and the invoices, as the money page and the account API show them.

use super::access::billing_case;
use super::case_money::{CaseMoney, account_key, load_money};
use super::funding::funded_use;
use super::invoices::{Invoice, with_standing};
use crate::case_files::file_org;
use crate::{AppError, AppState, Caller};
use familytime_domain::billing::{self, Account, Entry, FundedUse, Item, Owing, Pence, Posted};
use familytime_domain::intake::PartyRole;
use familytime_store::AuditEvent;
use familytime_store::billing::LedgerRow;
use familytime_store::schedule::Booking;
use std::collections::BTreeMap;

/// One account on a case and where it stands.
pub struct AccountLine {
    pub key: String,
    pub account: Account,
    pub name: String,
    /// Positive: owed; negative: in credit.
    pub owed: Pence,
    pub deposit_held: Pence,
}

/// A booking of the case and what still holds it back.
pub struct BookingMoney {
    pub booking: Booking,
    pub owing: Owing,
    pub description: String,
}

/// Everything the case's money page and the account API show.
pub struct CaseAccount {
    pub money: CaseMoney,
    pub used: FundedUse,
    pub rows: Vec<LedgerRow>,
    pub outstanding: BTreeMap<String, Pence>,
    pub accounts: Vec<AccountLine>,
    pub bookings: Vec<BookingMoney>,
    pub invoices: Vec<Invoice>,
    pub deposit_price: Option<Pence>,
}

fn account_lines(money: &CaseMoney, rows: &[LedgerRow]) -> Vec<AccountLine> {
    let entries: Vec<Entry> = rows.iter().map(|r| r.entry.clone()).collect();
    let balances = billing::balances(&entries);
    let mut accounts: Vec<Account> = money
        .people
        .parties
        .iter()
        .filter(|p| p.role != PartyRole::OtherAdult)
        .map(|p| Account::Party(p.id.to_string()))
        .collect();
    accounts.extend(money.funding.funder());
    for a in balances.keys() {
        if !accounts.contains(a) {
            accounts.push(a.clone());
        }
    }
    accounts
        .into_iter()
        .map(|account| {
            let b = balances.get(&account).copied().unwrap_or_default();
            AccountLine {
                key: account_key(&account),
                name: money.name(&account),
                owed: b.owed,
                deposit_held: b.deposit_held,
                account,
            }
        })
        .collect()
}

/// The case's money: funding, balances, what each booking still waits for, the ledger and the
/// invoices. Reading it is audited as a read of the case file.
pub async fn account(state: &AppState, caller: &Caller, case: &str) -> Result<CaseAccount, AppError> {
    let people = billing_case(state, caller, case).await?;
    let org = file_org(caller)?;
    let id = people.summary.id;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.read", "case", id),
        )
        .await?;
    let money = load_money(state, org, people).await?;
    let rows = state.store.ledger(org, id).await?;
    let posted: Vec<Posted> = rows.iter().map(LedgerRow::posted).collect();
    let bookings = state
        .store
        .case_bookings(org, id)
        .await?
        .into_iter()
        .map(|booking| {
            let owing = money.owing(&posted, &booking);
            let description = if owing.is_settled() {
                String::new()
            } else {
                owing.describe(|a| money.name(a))
            };
            BookingMoney {
                booking,
                owing,
                description,
            }
        })
        .collect();
    Ok(CaseAccount {
        used: funded_use(&money, &rows, None),
        outstanding: billing::outstanding(&posted),
        accounts: account_lines(&money, &rows),
        invoices: with_standing(state.store.invoices(org, Some(id)).await?, &rows),
        deposit_price: money
            .prices
            .price_on(Item::Deposit, money.day(state.clock.now()))
            .filter(|_| money.funding.parents_pay()),
        bookings,
        rows,
        money,
    })
}
