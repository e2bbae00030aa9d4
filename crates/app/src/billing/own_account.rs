//! A parent's own account: their bookings with their own times, their money and their invoices,
//! and nothing about the other party.

use super::case_money::account_key;
use super::invoices::{Invoice, with_standing};
use crate::case_files::file_org;
use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::authz::{Action, Object};
use familytime_domain::billing::{self, Account, Entry, Pence};
use familytime_domain::ids::CaseId;
use familytime_store::AuditEvent;
use familytime_store::billing::LedgerRow;
use familytime_store::schedule::{BookedParty, Booking, BookingStatus};
use jiff::tz::TimeZone;

/// One of a parent's places on a case, with only their own bookings, times and money.
pub struct OwnCase {
    pub case_reference: String,
    pub centre_name: String,
    pub zone: TimeZone,
    /// Their bookings and the times *they* arrive and leave.
    pub bookings: Vec<(Booking, BookedParty)>,
    pub rows: Vec<LedgerRow>,
    pub owed: Pence,
    pub deposit_held: Pence,
    pub invoices: Vec<Invoice>,
    pub case_id: CaseId,
    /// Their account on the case ("party:ID"), for their statement.
    pub account: String,
}

/// A parent's own account. Nothing about the other party: their bookings are read by the parent's
/// own party, their money and invoices by their own account. The read is audited.
pub async fn own_account(state: &AppState, caller: &Caller) -> Result<Vec<OwnCase>, AppError> {
    let org = file_org(caller)?;
    let user = caller.user()?.id;
    authorize(
        state,
        caller,
        Action::ViewOwnAccount,
        Object::OwnedBy {
            organisation: org,
            owners: vec![user],
        },
    )
    .await?;
    let mut out = Vec::new();
    for (party, case) in state.store.parties_of_user(org, user).await? {
        let people = state.store.case_people(org, case).await?;
        let centre = state.store.centre(org, people.summary.centre_id).await?;
        let zone = TimeZone::get(&centre.time_zone).unwrap_or(TimeZone::UTC);
        let own = Account::Party(party.clone());
        let rows: Vec<LedgerRow> = state
            .store
            .ledger(org, case)
            .await?
            .into_iter()
            .filter(|r| *r.entry.account() == own)
            .collect();
        let entries: Vec<Entry> = rows.iter().map(|r| r.entry.clone()).collect();
        let balance = billing::balances(&entries).get(&own).copied().unwrap_or_default();
        let mut bookings: Vec<(Booking, BookedParty)> = state
            .store
            .party_bookings(org, &party, None)
            .await?
            .into_iter()
            .filter(|(b, _)| b.status != BookingStatus::Cancelled || b.span.start > state.clock.now())
            .collect();
        bookings.sort_by_key(|(b, _)| b.span.start);
        out.push(OwnCase {
            case_reference: people.summary.reference.clone(),
            centre_name: centre.name,
            zone,
            bookings,
            owed: balance.owed,
            deposit_held: balance.deposit_held,
            invoices: with_standing(
                state
                    .store
                    .invoices(org, Some(case))
                    .await?
                    .into_iter()
                    .filter(|i| i.account == own)
                    .collect(),
                &rows,
            ),
            rows,
            case_id: case,
            account: account_key(&own),
        });
    }
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.own_account", "user", user),
        )
        .await?;
    Ok(out)
}
