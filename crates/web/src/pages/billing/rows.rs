//! The lines the account pages list, shared by a case's account and a parent's own: ledger entries
//! and invoices.

use super::when;
use familytime_app::billing as app;
use jiff::tz::TimeZone;

pub struct LedgerLine {
    pub id: String,
    pub when: String,
    pub account: String,
    pub kind: String,
    pub detail: String,
    pub amount: String,
    pub left: String,
    pub invoice: String,
    pub receipt: bool,
}

pub struct InvoiceLine {
    pub id: String,
    pub number: i64,
    pub to: String,
    pub issued: String,
    pub due: String,
    /// What it billed when issued.
    pub total: String,
    /// What was taken back since (empty when nothing was).
    pub taken_back: String,
    pub paid: String,
    pub balance: String,
}

impl InvoiceLine {
    pub(super) fn of(zone: &TimeZone, invoice: &app::Invoice) -> InvoiceLine {
        let (i, s) = (&invoice.record, &invoice.standing);
        InvoiceLine {
            id: i.id.clone(),
            number: i.number,
            to: i.issued_to.clone(),
            issued: when(zone, i.issued_at),
            due: i.due_on.strftime("%-d %b %Y").to_string(),
            total: s.billed.display(),
            taken_back: if s.taken_back.0 > 0 {
                s.taken_back.display()
            } else {
                String::new()
            },
            paid: s.paid.display(),
            balance: s.due.display(),
        }
    }
}
