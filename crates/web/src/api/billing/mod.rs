//! API: money. A centre's prices and cancellation policy, the organisation's invoice details, each
//! case's funding and account (ledger, balances, what each booking waits for), recording money,
//! invoices (JSON and PDF), the cancellation outcome before cancelling, who owes what, the ledger
//! as CSV, and a parent's own account. One module per use case, named as in the other layers:
//!
//! - `prices`: a centre's prices
//! - `cancellation`: the cancellation policy, and what cancelling a booking would forfeit
//! - `settings`: the organisation's invoice details
//! - `account`: a case's account
//! - `funding`: who pays for a case
//! - `ledger`: ledger entries, recording money, the ledger as CSV
//! - `invoices`: invoices, issuing them, their PDF
//! - `statements`: an account's statement as PDF
//! - `outstanding`: who owes what
//! - `own_account`: a parent's own account
//! - `bursary`: the bursary fund
//! - `release`: releasing unpaid bookings now
//!
//! Each handler is re-exported with the `__path_` item its `utoipa::path` makes, so the OpenAPI
//! document names it as `billing::handler`.

use familytime_domain::billing::Pence;
use serde::Serialize;
use utoipa::ToSchema;

mod account;
mod bursary;
mod cancellation;
mod funding;
mod invoices;
mod ledger;
mod outstanding;
mod own_account;
mod prices;
mod release;
mod settings;
mod statements;

pub use account::{__path_account, account};
pub use bursary::{__path_add_grant, __path_bursary, add_grant, bursary};
pub use cancellation::{
    __path_cancellation_outcome, __path_policy, __path_set_policy, cancellation_outcome, policy, set_policy,
};
pub use funding::{__path_set_funding, set_funding};
pub use invoices::{
    __path_invoice, __path_invoice_pdf, __path_issue_invoice, __path_own_invoice_pdf, invoice, invoice_pdf,
    issue_invoice, own_invoice_pdf,
};
pub use ledger::{__path_ledger_csv, __path_record, ledger_csv, record};
pub use outstanding::{__path_outstanding, outstanding};
pub use own_account::{__path_own, own};
pub use prices::{__path_add_price, __path_prices, add_price, prices};
pub use release::{__path_release_unpaid, release_unpaid};
pub use settings::{__path_save_settings, __path_settings, save_settings, settings};
pub use statements::{__path_statement_pdf, statement_pdf};

fn at(t: familytime_domain::Timestamp) -> String {
    t.to_string()
}

/// An amount: pence, and as people write it.
#[derive(Serialize, ToSchema)]
pub struct Money {
    pub pence: i64,
    /// For example "£147.00".
    pub text: String,
}

fn money(p: Pence) -> Money {
    Money {
        pence: p.0,
        text: p.display(),
    }
}
