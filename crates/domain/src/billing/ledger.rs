//! The ledger: who owes or holds money (accounts), entries that are never edited, the balances
//! derived from them, the checks an entry passes before it is added, and what is still owed on each
//! charge (payments pay the oldest charges first).

use super::money::Pence;
use std::collections::BTreeMap;

/// Who owes or holds money on a case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account {
    Party(String),
    Funder(String),
}

/// A ledger entry. Charges raise what an account owes; payments, waivers and forfeited deposits
/// lower it; refunds and deposits returned raise it again. Entries are never edited: a correction is
/// a new entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Charge {
        account: Account,
        amount: Pence,
    },
    Payment {
        account: Account,
        amount: Pence,
    },
    Refund {
        account: Account,
        amount: Pence,
    },
    Waiver {
        account: Account,
        amount: Pence,
    },
    /// A charge taken back, in part or whole: a booking cancelled in time, or by the centre.
    Credit {
        account: Account,
        amount: Pence,
    },
    DepositHeld {
        account: Account,
        amount: Pence,
    },
    DepositReturned {
        account: Account,
        amount: Pence,
    },
    DepositForfeited {
        account: Account,
        amount: Pence,
    },
}

impl Entry {
    pub fn account(&self) -> &Account {
        match self {
            Entry::Charge { account, .. }
            | Entry::Payment { account, .. }
            | Entry::Refund { account, .. }
            | Entry::Waiver { account, .. }
            | Entry::Credit { account, .. }
            | Entry::DepositHeld { account, .. }
            | Entry::DepositReturned { account, .. }
            | Entry::DepositForfeited { account, .. } => account,
        }
    }
}

/// An account's position, derived from the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balance {
    /// Positive: what the account owes; negative: credit the centre holds for it.
    pub owed: Pence,
    /// Deposit the centre holds for the account.
    pub deposit_held: Pence,
}

/// Balances per account. Every entry moves exactly one account, so the sum over accounts is the sum
/// over entries (tested).
pub fn balances(entries: &[Entry]) -> BTreeMap<Account, Balance> {
    let mut out: BTreeMap<Account, Balance> = BTreeMap::new();
    for e in entries {
        let b = out.entry(e.account().clone()).or_default();
        b.owed.0 += e.owed_change();
        b.deposit_held.0 += e.deposit_change();
    }
    out
}

/// Checks an entry against the ledger before it is added: no negative or zero amounts, a refund
/// no larger than what was paid and not yet refunded, a deposit returned or forfeited only while
/// held (so a second refund of the same deposit is refused).
pub fn check_entry(ledger: &[Entry], entry: &Entry) -> Result<(), String> {
    let amount = match entry {
        Entry::Charge { amount, .. }
        | Entry::Payment { amount, .. }
        | Entry::Refund { amount, .. }
        | Entry::Waiver { amount, .. }
        | Entry::Credit { amount, .. }
        | Entry::DepositHeld { amount, .. }
        | Entry::DepositReturned { amount, .. }
        | Entry::DepositForfeited { amount, .. } => *amount,
    };
    if amount.0 <= 0 {
        return Err("An amount must be more than nothing".into());
    }
    let account = entry.account();
    let mine =
        |f: fn(&Entry) -> Option<i64>| -> i64 { ledger.iter().filter(|e| e.account() == account).filter_map(f).sum() };
    match entry {
        Entry::Refund { .. } => {
            let paid = mine(|e| matches!(e, Entry::Payment { .. }).then(|| payment_amount(e)));
            let refunded = mine(|e| matches!(e, Entry::Refund { .. }).then(|| payment_amount(e)));
            if amount.0 > paid - refunded {
                return Err("A refund cannot be more than what was paid and not yet refunded".into());
            }
        }
        Entry::DepositReturned { .. } | Entry::DepositForfeited { .. } => {
            let held = balances(ledger).get(account).map(|b| b.deposit_held.0).unwrap_or(0);
            if amount.0 > held {
                return Err("That deposit is no longer held: it was already returned or forfeited".into());
            }
        }
        _ => {}
    }
    Ok(())
}

fn payment_amount(e: &Entry) -> i64 {
    match e {
        Entry::Payment { amount, .. } | Entry::Refund { amount, .. } => amount.0,
        _ => 0,
    }
}

impl Entry {
    /// How the entry moves what its account owes: charges and refunds raise it; payments, waivers
    /// and credits lower it; deposits do not touch it.
    pub fn owed_change(&self) -> i64 {
        match self {
            Entry::Charge { amount, .. } | Entry::Refund { amount, .. } => amount.0,
            Entry::Payment { amount, .. } | Entry::Waiver { amount, .. } | Entry::Credit { amount, .. } => -amount.0,
            _ => 0,
        }
    }

    /// How the entry moves the deposit held for its account.
    pub fn deposit_change(&self) -> i64 {
        match self {
            Entry::DepositHeld { amount, .. } => amount.0,
            Entry::DepositReturned { amount, .. } | Entry::DepositForfeited { amount, .. } => -amount.0,
            _ => 0,
        }
    }

    /// The amount the entry moves (always more than nothing once checked).
    pub fn amount(&self) -> Pence {
        match self {
            Entry::Charge { amount, .. }
            | Entry::Payment { amount, .. }
            | Entry::Refund { amount, .. }
            | Entry::Waiver { amount, .. }
            | Entry::Credit { amount, .. }
            | Entry::DepositHeld { amount, .. }
            | Entry::DepositReturned { amount, .. }
            | Entry::DepositForfeited { amount, .. } => *amount,
        }
    }
}

/// An entry as the ledger keeps it: its id, and for credits and waivers the charge they take back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub id: String,
    pub entry: Entry,
    /// For a credit or a waiver: the charge it reduces. Payments are never tied to a charge: they
    /// pay the account's oldest charges first.
    pub against: Option<String>,
    pub booking: Option<String>,
}

/// What is still owed on each charge: credits and waivers reduce the charge they name; payments
/// (less refunds) and untied waivers and credits pay each account's oldest charges first. Entries
/// are in the order they were recorded.
pub fn outstanding(posted: &[Posted]) -> BTreeMap<String, Pence> {
    let mut left: Vec<(String, Account, i64)> = Vec::new();
    let mut pool: BTreeMap<Account, i64> = BTreeMap::new();
    for p in posted {
        match &p.entry {
            Entry::Charge { account, amount } => left.push((p.id.clone(), account.clone(), amount.0)),
            Entry::Payment { account, amount } => *pool.entry(account.clone()).or_default() += amount.0,
            Entry::Refund { account, amount } => *pool.entry(account.clone()).or_default() -= amount.0,
            Entry::Credit { account, amount } | Entry::Waiver { account, amount } => {
                match left.iter_mut().find(|(id, _, _)| Some(id) == p.against.as_ref()) {
                    Some((_, _, owed)) => {
                        let taken = (*owed).min(amount.0);
                        *owed -= taken;
                        // Any more than the charge still owed pays the account's other charges.
                        *pool.entry(account.clone()).or_default() += amount.0 - taken;
                    }
                    None => *pool.entry(account.clone()).or_default() += amount.0,
                }
            }
            _ => {}
        }
    }
    left.into_iter()
        .map(|(id, account, owed)| {
            let available = pool.entry(account).or_default();
            let paid = owed.min((*available).max(0));
            *available -= paid;
            (id, Pence(owed - paid))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ledger_refunds_and_deposits_cannot_go_past_what_is_there() {
        let mum = Account::Party("resident".into());
        let mut ledger = vec![
            Entry::Charge {
                account: mum.clone(),
                amount: Pence(10_000),
            },
            Entry::Payment {
                account: mum.clone(),
                amount: Pence(10_000),
            },
            Entry::DepositHeld {
                account: mum.clone(),
                amount: Pence(10_000),
            },
        ];
        let refund = Entry::Refund {
            account: mum.clone(),
            amount: Pence(10_001),
        };
        assert!(check_entry(&ledger, &refund).is_err());
        let back = Entry::DepositReturned {
            account: mum.clone(),
            amount: Pence(10_000),
        };
        assert!(check_entry(&ledger, &back).is_ok());
        ledger.push(back.clone());
        assert!(
            check_entry(&ledger, &back).is_err(),
            "a second refund of the same deposit"
        );
        assert!(
            check_entry(
                &ledger,
                &Entry::Waiver {
                    account: mum,
                    amount: Pence(0)
                }
            )
            .is_err()
        );
    }

    fn entry() -> impl Strategy<Value = Entry> {
        let account = prop_oneof![
            Just(Account::Party("resident".into())),
            Just(Account::Party("visiting".into())),
            Just(Account::Funder("cafcass".into())),
        ];
        (account, 0usize..8, 1i64..50_000).prop_map(|(account, kind, p)| {
            let amount = Pence(p);
            match kind {
                0 => Entry::Charge { account, amount },
                1 => Entry::Payment { account, amount },
                2 => Entry::Refund { account, amount },
                3 => Entry::Waiver { account, amount },
                4 => Entry::DepositHeld { account, amount },
                5 => Entry::DepositReturned { account, amount },
                6 => Entry::Credit { account, amount },
                _ => Entry::DepositForfeited { account, amount },
            }
        })
    }

    proptest! {
        #[test]
        fn ledger_always_balances(candidates in proptest::collection::vec(entry(), 0..60)) {
            // Only entries the rules accept are added, as the store would.
            let mut ledger = Vec::new();
            for e in candidates {
                if check_entry(&ledger, &e).is_ok() {
                    ledger.push(e);
                }
            }
            let by_account = balances(&ledger);
            let owed: i64 = by_account.values().map(|b| b.owed.0).sum();
            let held: i64 = by_account.values().map(|b| b.deposit_held.0).sum();
            let signed = |e: &Entry| match e {
                Entry::Charge { amount, .. } | Entry::Refund { amount, .. } => (amount.0, 0),
                Entry::Payment { amount, .. } | Entry::Waiver { amount, .. } | Entry::Credit { amount, .. } => (-amount.0, 0),
                Entry::DepositHeld { amount, .. } => (0, amount.0),
                Entry::DepositReturned { amount, .. } | Entry::DepositForfeited { amount, .. } => (0, -amount.0),
            };
            prop_assert_eq!(owed, ledger.iter().map(|e| signed(e).0).sum::<i64>());
            prop_assert_eq!(held, ledger.iter().map(|e| signed(e).1).sum::<i64>());
            prop_assert!(by_account.values().all(|b| b.deposit_held.0 >= 0), "no deposit goes below nothing");
        }

        #[test]
        fn ledger_outstanding_adds_up_to_what_each_account_owes(
            candidates in proptest::collection::vec((entry(), 0usize..4), 0..60)
        ) {
            let mut ledger: Vec<Posted> = Vec::new();
            for (n, (e, target)) in candidates.into_iter().enumerate() {
                let plain: Vec<Entry> = ledger.iter().map(|p| p.entry.clone()).collect();
                if check_entry(&plain, &e).is_err() {
                    continue;
                }
                let charges: Vec<String> = ledger
                    .iter()
                    .filter(|p| matches!(&p.entry, Entry::Charge { account, .. } if account == e.account()))
                    .map(|p| p.id.clone())
                    .collect();
                let against = matches!(e, Entry::Credit { .. } | Entry::Waiver { .. })
                    .then(|| charges.get(target).cloned())
                    .flatten();
                ledger.push(Posted { id: format!("e{n}"), entry: e, against, booking: None });
            }
            let left = outstanding(&ledger);
            let plain: Vec<Entry> = ledger.iter().map(|p| p.entry.clone()).collect();
            for (account, balance) in balances(&plain) {
                let charged: Vec<&Posted> = ledger
                    .iter()
                    .filter(|p| matches!(&p.entry, Entry::Charge { account: a, .. } if *a == account))
                    .collect();
                for p in &charged {
                    let owed = left[&p.id];
                    prop_assert!(owed.0 >= 0 && owed <= p.entry.amount());
                }
                let total: i64 = charged.iter().map(|p| left[&p.id].0).sum();
                prop_assert_eq!(total, balance.owed.0.max(0), "{:?}", account);
            }
        }
    }
}
