//! Money, as the rules see it: amounts in whole pence, price lists whose prices apply from a date (a
//! new price never changes what was charged before), the cancellation policy as data (tiers by notice
//! and by who cancelled), and the ledger of entries that are never edited, from which every balance
//! is derived. No IO and no clock: dates and instants are parameters. One module per rule:
//!
//! - `money`: amounts in pence, read and shown as pounds, split between payers
//! - `prices`: what a centre charges for, and prices that apply from a date
//! - `cancellation`: the cancellation policy, and what cancelling a booking forfeits
//! - `ledger`: accounts, entries, balances, the checks before an entry, what each charge still owes
//! - `funding`: who pays for a case and what a funder's allowance covers
//! - `charges`: a booking's charges and the confirmation rule
//! - `invoices`: where an invoice stands

mod cancellation;
mod charges;
mod funding;
mod invoices;
mod ledger;
mod money;
mod prices;

pub use cancellation::{
    CancellationOutcome, CancellationPolicy, Canceller, Forfeit, Tier, cancellation_outcome, notice_words,
};
pub use charges::{BookedCharge, Owing, charges_left, owing_for_booking};
pub use funding::{BURSARY_FUND, CAFCASS_MINUTES, CAFCASS_SESSIONS, Coverage, FundedUse, Funding, Parents, Payer};
pub use invoices::{InvoiceStanding, invoice_standing};
pub use ledger::{Account, Balance, Entry, Posted, balances, check_entry, outstanding};
pub use money::{Pence, describe_balance, split};
pub use prices::{Item, Price, PriceList};

/// Ledgers and parents that several modules' tests build on.
#[cfg(test)]
mod test_parts {
    use super::{Entry, Parents, Posted};

    pub(super) fn posted(id: &str, entry: Entry, against: Option<&str>, booking: Option<&str>) -> Posted {
        Posted {
            id: id.into(),
            entry,
            against: against.map(str::to_owned),
            booking: booking.map(str::to_owned),
        }
    }

    pub(super) fn seed_parents() -> Parents {
        Parents {
            resident: Some("mum".into()),
            visiting: Some("dad".into()),
        }
    }
}
