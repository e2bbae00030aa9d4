//! Money in the database: price lists, the cancellation policy, each case's funding, the ledger (its
//! rows are never changed or deleted, triggers on both backends), invoices numbered without gaps per
//! organisation, and the organisation's details printed on invoices. One module per use case:
//!
//! - `prices`: a centre's prices
//! - `cancellation`: a centre's cancellation policy
//! - `settings`: the organisation's details on invoices and receipts
//! - `funding`: who pays for each case
//! - `ledger`: reading the ledger and writing to it
//! - `bursary`: the bursary fund's grants and what is left
//! - `invoices`: issuing and reading invoices
//! - `own_account`: the accounts a signed-in parent holds
//!
//! Every write that depends on the ledger reads it inside its own transaction (the case's row locked
//! on PostgreSQL; SQLite's writer is alone), so two refunds of the same deposit cannot both pass.

mod bursary;
mod cancellation;
mod funding;
mod invoices;
mod ledger;
mod own_account;
mod prices;
mod settings;

pub use crate::ledger::{LedgerRow, LedgerWrite, NewEntry};
pub(crate) use funding::funding_of;
pub use invoices::InvoiceRecord;
pub use prices::StoredPrice;
pub(crate) use prices::price_of;
pub use settings::BillingSettings;
