//! Money, as the rules see it: amounts in whole pence, price lists whose prices apply from a date (a
//! new price never changes what was charged before), the cancellation policy as data (tiers by notice
//! and by who cancelled), and the ledger of entries that are never edited, from which every balance
//! is derived. No IO and no clock: dates and instants are parameters.

use crate::referrals::named;
use crate::text::FieldErrors;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// An amount of money in pence. Negative amounts exist only as ledger movements (a refund, a credit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pence(pub i64);

impl Pence {
    /// Reads "147", "147.00", "£147.5" or "0.99" as pounds; refuses negatives, more than two decimal
    /// places, junk and anything over £100,000.
    pub fn parse_pounds(text: &str) -> Result<Pence, String> {
        let t = text.trim().trim_start_matches('£').replace(',', "");
        let bad = || "Enter an amount in pounds, like 61 or 61.50".to_string();
        if t.is_empty() || t.starts_with('-') || t.starts_with('+') {
            return Err(bad());
        }
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t.as_str(), ""),
        };
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 2 {
            return Err("Enter pounds and pence, with at most two decimal places".into());
        }
        let pounds: i64 = whole.parse().map_err(|_| bad())?;
        let pence: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let total = pounds
            .checked_mul(100)
            .and_then(|p| p.checked_add(pence))
            .ok_or_else(bad)?;
        if total > 10_000_000 {
            return Err("That is more than £100,000: check the amount".into());
        }
        Ok(Pence(total))
    }

    /// "£147.00", "-£5.50".
    pub fn display(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}£{}.{:02}", abs / 100, abs % 100)
    }

    /// A share of this amount in basis points (1/100 of a per cent), rounded down; the remainder is
    /// given by `split` to the last payer so the parts always add up.
    fn share(self, basis_points: i64) -> Pence {
        Pence(self.0 * basis_points / 10_000)
    }
}

/// Splits an amount between payers by shares in basis points that add up to 10,000 (100%). The
/// parts add up to the amount exactly: what rounding leaves over goes to the last payer.
pub fn split(amount: Pence, shares: &[i64]) -> Result<Vec<Pence>, String> {
    if shares.is_empty() || shares.iter().any(|s| *s < 0) || shares.iter().sum::<i64>() != 10_000 {
        return Err("The shares must add up to 100%".into());
    }
    let mut parts: Vec<Pence> = shares.iter().map(|s| amount.share(*s)).collect();
    let given: i64 = parts.iter().map(|p| p.0).sum();
    if let Some(last) = parts.last_mut() {
        last.0 += amount.0 - given;
    }
    Ok(parts)
}

/// What a centre charges for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    ReferralFee,
    PreVisit,
    SupervisedSession,
    SupportedSession,
    HandoverSession,
    Deposit,
    WrittenReport,
    IncidentReport,
    MileagePerMile,
    SupportedDonation,
}

named!(Item,
    ReferralFee => "referral_fee", "Referral fee";
    PreVisit => "pre_visit", "Pre-visit (per person)";
    SupervisedSession => "supervised_session", "Supervised session (two hours)";
    SupportedSession => "supported_session", "Supported session";
    HandoverSession => "handover_session", "Handover";
    Deposit => "deposit", "Deposit (resident parent)";
    WrittenReport => "written_report", "Written report";
    IncidentReport => "incident_report", "Incident report";
    MileagePerMile => "mileage", "Mileage (per mile)";
    SupportedDonation => "supported_donation", "Suggested donation (supported session)";
);

/// One price, applying from a date until a later price for the same item replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    pub item: Item,
    pub amount: Pence,
    pub from: Date,
}

/// A centre's prices over time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceList(Vec<Price>);

impl PriceList {
    pub fn new(mut prices: Vec<Price>) -> PriceList {
        prices.sort_by_key(|p| (p.item, p.from));
        PriceList(prices)
    }

    /// The seed centre's prices (the demo's): pre-visit £61 a person, a two-hour supervised session
    /// £147, the resident parent's deposit £100, a written report £51.
    pub fn seed_centre(from: Date) -> PriceList {
        PriceList::new(vec![
            Price {
                item: Item::PreVisit,
                amount: Pence(6_100),
                from,
            },
            Price {
                item: Item::SupervisedSession,
                amount: Pence(14_700),
                from,
            },
            Price {
                item: Item::Deposit,
                amount: Pence(10_000),
                from,
            },
            Price {
                item: Item::WrittenReport,
                amount: Pence(5_100),
                from,
            },
        ])
    }

    /// The price of `item` on `day`: the latest that applies from that day or before.
    pub fn price_on(&self, item: Item, day: Date) -> Option<Pence> {
        self.0
            .iter()
            .filter(|p| p.item == item && p.from <= day)
            .max_by_key(|p| p.from)
            .map(|p| p.amount)
    }

    /// Adds a price, refusing a second price for the same item from the same day.
    pub fn with(mut self, price: Price) -> Result<PriceList, FieldErrors> {
        if self.0.iter().any(|p| p.item == price.item && p.from == price.from) {
            return Err(FieldErrors::single(
                "from",
                format!("{} already has a price from that day", price.item.label()),
            ));
        }
        self.0.push(price);
        Ok(PriceList::new(self.0))
    }
}

/// Who cancelled a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Canceller {
    Centre,
    Resident,
    Visiting,
}

/// What a late cancellation costs the one who cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forfeit {
    Nothing,
    /// A share of the session fee, in basis points (10,000 = all of it).
    SessionFee {
        basis_points: i64,
    },
    /// The resident parent's deposit.
    Deposit,
}

/// One tier: cancelling with less than `under_hours` notice, by `by`, forfeits `forfeit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    pub under_hours: i64,
    pub by: Canceller,
    pub forfeit: Forfeit,
}

/// A centre's cancellation policy as data. The tightest tier that applies wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationPolicy(Vec<Tier>);

impl CancellationPolicy {
    pub fn new(tiers: Vec<Tier>) -> CancellationPolicy {
        CancellationPolicy(tiers)
    }

    /// The seed centre: under 48 hours, the visiting parent forfeits the session payment and the
    /// resident parent forfeits the deposit.
    pub fn seed_centre() -> CancellationPolicy {
        CancellationPolicy(vec![
            Tier {
                under_hours: 48,
                by: Canceller::Visiting,
                forfeit: Forfeit::SessionFee { basis_points: 10_000 },
            },
            Tier {
                under_hours: 48,
                by: Canceller::Resident,
                forfeit: Forfeit::Deposit,
            },
        ])
    }

    /// Another common policy: under 24 hours the full fee, 24 to 48 hours half, whoever cancels.
    pub fn tiered_by_notice() -> CancellationPolicy {
        let mut tiers = Vec::new();
        for by in [Canceller::Resident, Canceller::Visiting] {
            tiers.push(Tier {
                under_hours: 24,
                by,
                forfeit: Forfeit::SessionFee { basis_points: 10_000 },
            });
            tiers.push(Tier {
                under_hours: 48,
                by,
                forfeit: Forfeit::SessionFee { basis_points: 5_000 },
            });
        }
        CancellationPolicy(tiers)
    }

    /// What a cancellation with `notice_minutes` of notice by `by` forfeits. Cancellations by the
    /// centre never forfeit anything; notice of exactly the tier's hours is enough.
    pub fn outcome(&self, by: Canceller, notice_minutes: i64) -> Forfeit {
        if by == Canceller::Centre {
            return Forfeit::Nothing;
        }
        self.0
            .iter()
            .filter(|t| t.by == by && notice_minutes < t.under_hours * 60)
            .min_by_key(|t| t.under_hours)
            .map(|t| t.forfeit)
            .unwrap_or(Forfeit::Nothing)
    }
}

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
    Charge { account: Account, amount: Pence },
    Payment { account: Account, amount: Pence },
    Refund { account: Account, amount: Pence },
    Waiver { account: Account, amount: Pence },
    DepositHeld { account: Account, amount: Pence },
    DepositReturned { account: Account, amount: Pence },
    DepositForfeited { account: Account, amount: Pence },
}

impl Entry {
    fn account(&self) -> &Account {
        match self {
            Entry::Charge { account, .. }
            | Entry::Payment { account, .. }
            | Entry::Refund { account, .. }
            | Entry::Waiver { account, .. }
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
        match e {
            Entry::Charge { amount, .. } | Entry::Refund { amount, .. } => b.owed.0 += amount.0,
            Entry::Payment { amount, .. } | Entry::Waiver { amount, .. } => b.owed.0 -= amount.0,
            Entry::DepositHeld { amount, .. } => b.deposit_held.0 += amount.0,
            Entry::DepositReturned { amount, .. } | Entry::DepositForfeited { amount, .. } => {
                b.deposit_held.0 -= amount.0
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn pounds_are_read_and_shown_in_pence() {
        assert_eq!(Pence::parse_pounds("147"), Ok(Pence(14_700)));
        assert_eq!(Pence::parse_pounds("£61.5"), Ok(Pence(6_150)));
        assert_eq!(Pence::parse_pounds("0.99"), Ok(Pence(99)));
        for bad in ["-5", "", "1.234", "abc", "1.2.3", "£", "200000"] {
            assert!(Pence::parse_pounds(bad).is_err(), "{bad}");
        }
        assert_eq!(Pence(14_700).display(), "£147.00");
        assert_eq!(Pence(-550).display(), "-£5.50");
    }

    #[test]
    fn a_price_change_applies_from_its_date_only() {
        let list = PriceList::seed_centre(day("2026-01-01"))
            .with(Price {
                item: Item::SupervisedSession,
                amount: Pence(15_500),
                from: day("2027-01-01"),
            })
            .unwrap();
        assert_eq!(
            list.price_on(Item::SupervisedSession, day("2026-12-31")),
            Some(Pence(14_700))
        );
        assert_eq!(
            list.price_on(Item::SupervisedSession, day("2027-01-01")),
            Some(Pence(15_500))
        );
        assert_eq!(list.price_on(Item::PreVisit, day("2025-12-31")), None);
        assert!(
            list.with(Price {
                item: Item::PreVisit,
                amount: Pence(1),
                from: day("2026-01-01")
            })
            .is_err()
        );
    }

    #[test]
    fn cancellation_seed_centre_47_hours_forfeits_49_hours_does_not() {
        let p = CancellationPolicy::seed_centre();
        assert_eq!(
            p.outcome(Canceller::Visiting, 47 * 60),
            Forfeit::SessionFee { basis_points: 10_000 }
        );
        assert_eq!(p.outcome(Canceller::Resident, 47 * 60), Forfeit::Deposit);
        assert_eq!(p.outcome(Canceller::Visiting, 49 * 60), Forfeit::Nothing);
        assert_eq!(p.outcome(Canceller::Resident, 49 * 60), Forfeit::Nothing);
        assert_eq!(
            p.outcome(Canceller::Visiting, 48 * 60),
            Forfeit::Nothing,
            "48 hours is enough notice"
        );
        assert_eq!(
            p.outcome(Canceller::Centre, 10),
            Forfeit::Nothing,
            "the centre forfeits nothing"
        );
    }

    #[test]
    fn cancellation_tiers_by_notice_take_the_tightest_that_applies() {
        let p = CancellationPolicy::tiered_by_notice();
        assert_eq!(
            p.outcome(Canceller::Resident, 23 * 60),
            Forfeit::SessionFee { basis_points: 10_000 }
        );
        assert_eq!(
            p.outcome(Canceller::Resident, 30 * 60),
            Forfeit::SessionFee { basis_points: 5_000 }
        );
        assert_eq!(p.outcome(Canceller::Visiting, 72 * 60), Forfeit::Nothing);
    }

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
        (account, 0usize..7, 1i64..50_000).prop_map(|(account, kind, p)| {
            let amount = Pence(p);
            match kind {
                0 => Entry::Charge { account, amount },
                1 => Entry::Payment { account, amount },
                2 => Entry::Refund { account, amount },
                3 => Entry::Waiver { account, amount },
                4 => Entry::DepositHeld { account, amount },
                5 => Entry::DepositReturned { account, amount },
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
                Entry::Payment { amount, .. } | Entry::Waiver { amount, .. } => (-amount.0, 0),
                Entry::DepositHeld { amount, .. } => (0, amount.0),
                Entry::DepositReturned { amount, .. } | Entry::DepositForfeited { amount, .. } => (0, -amount.0),
            };
            prop_assert_eq!(owed, ledger.iter().map(|e| signed(e).0).sum::<i64>());
            prop_assert_eq!(held, ledger.iter().map(|e| signed(e).1).sum::<i64>());
            prop_assert!(by_account.values().all(|b| b.deposit_held.0 >= 0), "no deposit goes below nothing");
        }

        #[test]
        fn ledger_splits_always_add_up(amount in 0i64..10_000_000, first in 0i64..=10_000) {
            let parts = split(Pence(amount), &[first, 10_000 - first]).unwrap();
            prop_assert_eq!(parts.iter().map(|p| p.0).sum::<i64>(), amount);
        }
    }

    #[test]
    fn ledger_split_refuses_shares_that_do_not_add_up() {
        assert!(split(Pence(100), &[6_000, 3_000]).is_err());
        assert!(split(Pence(100), &[]).is_err());
        assert_eq!(split(Pence(101), &[5_000, 5_000]).unwrap(), vec![Pence(50), Pence(51)]);
    }
}
