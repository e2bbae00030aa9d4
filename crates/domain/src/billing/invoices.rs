//! Where an invoice stands: what it billed, what was taken back since, what was paid against it and
//! the balance still due, read from the case's ledger.

use super::ledger::{Entry, Posted, outstanding};
use super::money::Pence;

/// Where an invoice stands: what it billed when it was issued (its charges less what was taken back
/// on it), what was taken back since (a session cancelled, a charge waived), what has been paid
/// against it, and the balance still due. Payments are not tied to invoices: as everywhere in the
/// ledger they pay the account's oldest charges first, so an invoice's charges are paid in the
/// order they were charged, and what its charges still owe (`outstanding`) is its balance due.
/// So every invoice of an account, plus what is not yet invoiced, adds up to what the account owes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InvoiceStanding {
    pub billed: Pence,
    pub taken_back: Pence,
    pub paid: Pence,
    pub due: Pence,
}

/// Works out an invoice's standing from the case's ledger: `on_invoice` are the ids of the entries
/// printed on it (its charges, and the credits and waivers against them at the time).
pub fn invoice_standing(posted: &[Posted], on_invoice: &[String]) -> InvoiceStanding {
    let printed = |id: &str| on_invoice.iter().any(|i| i == id);
    let charges: Vec<&Posted> = posted
        .iter()
        .filter(|p| matches!(p.entry, Entry::Charge { .. }) && printed(&p.id))
        .collect();
    let mut billed = 0;
    let mut taken_back = 0;
    for charge in &charges {
        // As `outstanding` does: what is taken back from a charge is never more than the charge.
        let mut left = charge.entry.amount().0;
        billed += left;
        for p in posted
            .iter()
            .filter(|p| p.against.as_deref() == Some(charge.id.as_str()))
        {
            if let Entry::Credit { amount, .. } | Entry::Waiver { amount, .. } = &p.entry {
                let taken = left.min(amount.0);
                left -= taken;
                if printed(&p.id) {
                    billed -= taken;
                } else {
                    taken_back += taken;
                }
            }
        }
    }
    let still_owed = outstanding(posted);
    let due: i64 = charges
        .iter()
        .map(|c| still_owed.get(&c.id).map(|p| p.0).unwrap_or(0))
        .sum();
    InvoiceStanding {
        billed: Pence(billed),
        taken_back: Pence(taken_back),
        paid: Pence(billed - taken_back - due),
        due: Pence(due),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::Account;
    use crate::billing::test_parts::posted;

    #[test]
    fn ledger_an_invoice_shows_what_was_paid_against_it_and_what_is_still_due() {
        let dad = Account::Party("dad".into());
        let charge = |id: &str| {
            posted(
                id,
                Entry::Charge {
                    account: dad.clone(),
                    amount: Pence(14_700),
                },
                None,
                None,
            )
        };
        let mut ledger: Vec<Posted> = ["c1", "c2", "c3", "c4"].into_iter().map(charge).collect();
        ledger.push(posted(
            "p1",
            Entry::Payment {
                account: dad.clone(),
                amount: Pence(14_700),
            },
            None,
            None,
        ));
        let on: Vec<String> = ["c1", "c2", "c3", "c4"].map(String::from).to_vec();
        // The case: four sessions charged, one paid, then the invoice.
        assert_eq!(
            invoice_standing(&ledger, &on),
            InvoiceStanding {
                billed: Pence(58_800),
                taken_back: Pence(0),
                paid: Pence(14_700),
                due: Pence(44_100)
            }
        );
        // A session taken back after the invoice lowers what is due, and says so; a later payment
        // is counted too, and the balance never goes below nothing.
        ledger.push(posted(
            "k1",
            Entry::Credit {
                account: dad.clone(),
                amount: Pence(14_700),
            },
            Some("c4"),
            None,
        ));
        ledger.push(posted(
            "p2",
            Entry::Payment {
                account: dad.clone(),
                amount: Pence(50_000),
            },
            None,
            None,
        ));
        assert_eq!(
            invoice_standing(&ledger, &on),
            InvoiceStanding {
                billed: Pence(58_800),
                taken_back: Pence(14_700),
                paid: Pence(44_100),
                due: Pence(0)
            }
        );
        // Two invoices: the older charges are paid first, so the first invoice is paid before the second.
        let mut ledger: Vec<Posted> = ["c1", "c2"].into_iter().map(charge).collect();
        ledger.push(posted(
            "p1",
            Entry::Payment {
                account: dad.clone(),
                amount: Pence(20_000),
            },
            None,
            None,
        ));
        let first = invoice_standing(&ledger, &["c1".to_owned()]);
        let second = invoice_standing(&ledger, &["c2".to_owned()]);
        assert_eq!((first.paid, first.due), (Pence(14_700), Pence(0)));
        assert_eq!((second.paid, second.due), (Pence(5_300), Pence(9_400)));
        // A credit printed on the invoice is part of what it billed, not taken back since.
        let mut ledger: Vec<Posted> = vec![charge("c1")];
        ledger.push(posted(
            "k1",
            Entry::Waiver {
                account: dad.clone(),
                amount: Pence(4_700),
            },
            Some("c1"),
            None,
        ));
        let s = invoice_standing(&ledger, &["c1".to_owned(), "k1".to_owned()]);
        assert_eq!(
            (s.billed, s.taken_back, s.paid, s.due),
            (Pence(10_000), Pence(0), Pence(0), Pence(10_000))
        );
    }
}
