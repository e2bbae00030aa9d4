//! A booking's charges: what of each is not yet taken back, and the confirmation rule (a booking is
//! confirmed only when every charge for it is paid, funded or waived, and the deposit is held).

use super::ledger::{Account, Entry, Posted, balances, outstanding};
use super::money::Pence;

/// What stops a booking being confirmed: each account and what it still owes for the booking, and
/// a deposit still to be paid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Owing {
    pub charges: Vec<(Account, Pence)>,
    pub deposit: Option<(Account, Pence)>,
}

impl Owing {
    pub fn is_settled(&self) -> bool {
        self.charges.is_empty() && self.deposit.is_none()
    }

    /// "£147.00 for the session, £100.00 deposit", naming the accounts through `name`.
    pub fn describe(&self, name: impl Fn(&Account) -> String) -> String {
        let mut parts: Vec<String> = self
            .charges
            .iter()
            .map(|(a, p)| format!("{} owes {}", name(a), p.display()))
            .collect();
        if let Some((a, p)) = &self.deposit {
            parts.push(format!("{} owes a deposit of {}", name(a), p.display()));
        }
        parts.join("; ")
    }
}

/// The confirmation rule: a booking is confirmed only when every charge for it is paid (or funded,
/// or waived), and, where the centre asks one, the resident parent's deposit is held.
pub fn owing_for_booking(posted: &[Posted], booking: &str, deposit: Option<(&Account, Pence)>) -> Owing {
    let left = outstanding(posted);
    let mut charges: Vec<(Account, Pence)> = Vec::new();
    for p in posted.iter().filter(|p| p.booking.as_deref() == Some(booking)) {
        if let (Entry::Charge { account, .. }, Some(owed)) = (&p.entry, left.get(&p.id))
            && owed.0 > 0
        {
            charges.push((account.clone(), *owed));
        }
    }
    let deposit = deposit.and_then(|(account, wanted)| {
        let entries: Vec<Entry> = posted.iter().map(|p| p.entry.clone()).collect();
        let held = balances(&entries)
            .get(account)
            .map(|b| b.deposit_held)
            .unwrap_or_default();
        (held < wanted).then(|| (account.clone(), Pence(wanted.0 - held.0)))
    });
    Owing { charges, deposit }
}

/// One charge on the booking being cancelled: its id, account, and what of it is not yet taken back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedCharge {
    pub id: String,
    pub account: Account,
    pub amount: Pence,
}

/// The charges for a booking, each with what credits and waivers against it have not taken back.
pub fn charges_left(posted: &[Posted], booking: &str) -> Vec<BookedCharge> {
    posted
        .iter()
        .filter(|p| p.booking.as_deref() == Some(booking) && matches!(p.entry, Entry::Charge { .. }))
        .map(|charge| {
            let taken: i64 = posted
                .iter()
                .filter(|p| p.against.as_deref() == Some(charge.id.as_str()))
                .filter(|p| matches!(p.entry, Entry::Credit { .. } | Entry::Waiver { .. }))
                .map(|p| p.entry.amount().0)
                .sum();
            BookedCharge {
                id: charge.id.clone(),
                account: charge.entry.account().clone(),
                amount: Pence((charge.entry.amount().0 - taken).max(0)),
            }
        })
        .filter(|c| c.amount.0 > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::test_parts::posted;

    #[test]
    fn ledger_payments_pay_the_oldest_charge_first_and_confirm_its_booking() {
        let dad = Account::Party("dad".into());
        let mum = Account::Party("mum".into());
        let mut ledger = vec![
            posted(
                "c1",
                Entry::Charge {
                    account: dad.clone(),
                    amount: Pence(14_700),
                },
                None,
                Some("b1"),
            ),
            posted(
                "c2",
                Entry::Charge {
                    account: dad.clone(),
                    amount: Pence(14_700),
                },
                None,
                Some("b2"),
            ),
        ];
        let deposit = Some((&mum, Pence(10_000)));
        let owing = owing_for_booking(&ledger, "b1", deposit);
        assert_eq!(owing.charges, vec![(dad.clone(), Pence(14_700))]);
        assert_eq!(owing.deposit, Some((mum.clone(), Pence(10_000))));
        ledger.push(posted(
            "p1",
            Entry::Payment {
                account: dad.clone(),
                amount: Pence(20_000),
            },
            None,
            None,
        ));
        ledger.push(posted(
            "d1",
            Entry::DepositHeld {
                account: mum.clone(),
                amount: Pence(10_000),
            },
            None,
            None,
        ));
        assert!(owing_for_booking(&ledger, "b1", deposit).is_settled(), "paid first");
        assert_eq!(
            owing_for_booking(&ledger, "b2", deposit).charges,
            vec![(dad.clone(), Pence(9_400))],
            "the rest of the payment goes to the next charge"
        );
        ledger.push(posted(
            "w1",
            Entry::Waiver {
                account: dad,
                amount: Pence(9_400),
            },
            Some("c2"),
            None,
        ));
        assert!(
            owing_for_booking(&ledger, "b2", deposit).is_settled(),
            "a waiver settles it too"
        );
    }
}
