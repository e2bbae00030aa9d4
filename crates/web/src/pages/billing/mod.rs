//! The money pages: a case's account (funding, balances, what each booking waits for, recording
//! money, invoices and receipts), the cancellation check before a booking is cancelled, a centre's
//! prices and cancellation policy, the organisation's invoice details, the outstanding and overdue
//! list with the ledger export, and a parent's own account. One module per use case, named as in
//! the other layers:
//!
//! - `account`: a case's account page, shown again after each of its forms
//! - `funding`: setting who pays for a case
//! - `ledger`: recording money on a case, and the ledger as CSV
//! - `invoices`: issuing an invoice, and its PDF
//! - `statements`: an account's statement and a receipt as PDF
//! - `cancellation`: the check before cancelling a booking, and the cancellation policy
//! - `prices`: a centre's money page, and adding a price
//! - `settings`: the organisation's invoice details
//! - `outstanding`: who owes what, what is overdue, and the bursary fund
//! - `bursary`: money given to the bursary fund
//! - `own_account`: a parent's own account
//!
//! Shared: `rows` (the ledger and invoice lines the account pages list).

use super::reports::Choice;
use familytime_domain::Timestamp;
use jiff::tz::TimeZone;

mod account;
mod bursary;
mod cancellation;
mod funding;
mod invoices;
mod ledger;
mod outstanding;
mod own_account;
mod prices;
mod rows;
mod settings;
mod statements;

pub use account::show;
pub use bursary::add_grant;
pub use cancellation::{cancellation_page, set_policy};
pub use funding::set_funding;
pub use invoices::{invoice_pdf, issue_invoice};
pub use ledger::{ledger_csv, record};
pub use outstanding::overview;
pub use own_account::own;
pub use prices::{add_price, centre};
pub use settings::{save_settings, settings};
pub use statements::{receipt_pdf, statement_pdf};

fn when(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%a %-d %b %Y, %H:%M").to_string()
}

fn choice(value: &str, label: &str, chosen: &str) -> Choice {
    Choice {
        value: value.to_owned(),
        label: label.to_owned(),
        checked: chosen == value,
    }
}
