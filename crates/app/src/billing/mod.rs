//! Money, the use cases: price lists and the cancellation policy, who funds each case, charges
//! written with each booking, payments, refunds, deposits and waivers, the confirmation rule
//! (a booking is confirmed only when it is paid or funded), what a cancellation forfeits (shown
//! before it is confirmed, then recorded), invoices and receipts as PDF, the outstanding and overdue
//! lists, the ledger export, and a parent's own account. The rules are in `domain::billing`; the
//! store writes every ledger change in one transaction with the ledger read inside it. One module
//! per use case, named as in the other layers:
//!
//! - `prices`: a centre's prices, and the public prices page
//! - `cancellation`: what cancelling a booking forfeits, cancelling, and the cancellation policy
//! - `funding`: who funds a case, and what the funder has paid for so far
//! - `charges`: charges written with each booking, and the confirmation rule
//! - `ledger`: recording money on a case, and the ledger as CSV
//! - `account`: a case's account, as the money page shows it
//! - `invoices`: issuing invoices, reading them, their PDF
//! - `statements`: receipts and an account's statement as PDF
//! - `outstanding`: who owes what, and overdue invoices
//! - `bursary`: the bursary fund
//! - `settings`: the organisation's details on invoices, and the letterhead
//! - `own_account`: a parent's own account
//! - `release`: releasing bookings still unpaid
//! - `report_fee`: the fee charged when a written report is asked for
//!
//! Shared by several: `case_money` (what charging a case needs) and `access` (who may reach which
//! money).

mod access;
mod account;
mod bursary;
mod cancellation;
mod case_money;
mod charges;
mod funding;
mod invoices;
mod ledger;
#[cfg(test)]
pub(crate) use ledger::METHODS;
mod outstanding;
mod own_account;
mod prices;
mod release;
mod report_fee;
mod settings;
mod statements;

pub use account::{AccountLine, BookingMoney, CaseAccount, account};
pub use bursary::{Bursary, add_bursary_grant, bursary};
pub use cancellation::{
    CancelInput, CancellationPreview, TierInput, cancel, cancellation_preview, parse_tiers, set_policy,
};
pub use case_money::{CaseMoney, account_key};
pub(crate) use charges::{charge_sessions, check_confirmable};
pub use funding::{FundingInput, set_funding};
pub use invoices::{Invoice, invoice, invoice_pdf, issue_invoice};
pub use ledger::{MoneyInput, entry_words, ledger_csv, record};
pub use outstanding::{OwedLine, outstanding};
pub use own_account::{OwnCase, own_account};
pub use prices::{CentreMoney, PriceInput, PublicPrices, add_price, centre_money, public_prices};
pub use release::{release_unpaid, release_unpaid_forever, release_unpaid_now};
pub(crate) use report_fee::report_fee;
pub use settings::{save_settings, settings};
pub use statements::{receipt_pdf, statement_pdf};
