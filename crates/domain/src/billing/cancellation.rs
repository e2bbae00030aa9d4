//! Cancelling a booking: the centre's cancellation policy as data (tiers by notice and by who
//! cancelled), and what a cancellation forfeits and takes back. Nothing is refunded automatically.

use super::charges::BookedCharge;
use super::funding::Parents;
use super::ledger::{Account, Entry};
use super::money::Pence;

/// Who cancelled a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Canceller {
    Centre,
    Resident,
    Visiting,
}

impl Canceller {
    /// Reads who cancelled as bookings record it. Someone else (a court, the referrer) cancelling is
    /// treated as the centre: no parent forfeits anything for it.
    pub fn parse(text: &str) -> Option<Canceller> {
        match text.trim() {
            "centre" | "other" => Some(Canceller::Centre),
            "resident" => Some(Canceller::Resident),
            "visiting" => Some(Canceller::Visiting),
            _ => None,
        }
    }
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

/// A centre's cancellation policy as data. The tightest tier that applies wins; a centre with no
/// tiers forfeits nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CancellationPolicy(Vec<Tier>);

impl CancellationPolicy {
    pub fn new(tiers: Vec<Tier>) -> CancellationPolicy {
        CancellationPolicy(tiers)
    }

    pub fn tiers(&self) -> &[Tier] {
        &self.0
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

/// What cancelling a booking does to the money, worked out before the coordinator confirms it and
/// recorded as it was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationOutcome {
    pub forfeit: Forfeit,
    pub notice_minutes: i64,
    /// The entries to record: credits (with the charge each takes back) and a forfeited deposit.
    pub entries: Vec<(Entry, Option<String>)>,
    /// What is kept, for the person deciding: account and amount.
    pub kept: Vec<(Account, Pence, &'static str)>,
}

impl CancellationOutcome {
    /// One line a person reads: "47 hours' notice: the session fee of £147.00 is kept", or that
    /// nothing is forfeited.
    pub fn describe(&self, name: impl Fn(&Account) -> String) -> String {
        let notice = notice_words(self.notice_minutes);
        if self.kept.is_empty() {
            return format!("{notice}: nothing is forfeited; every charge for this session is taken back");
        }
        let kept: Vec<String> = self
            .kept
            .iter()
            .map(|(a, p, what)| format!("{} forfeits {} ({what})", name(a), p.display()))
            .collect();
        format!("{notice}: {}", kept.join("; "))
    }
}

/// "47 hours' notice", "3 days' notice", "after the start".
pub fn notice_words(minutes: i64) -> String {
    if minutes < 0 {
        "Cancelled after the session started".into()
    } else if minutes < 72 * 60 {
        format!("{} hours' notice", minutes / 60)
    } else {
        format!("{} days' notice", minutes / (24 * 60))
    }
}

/// Works out a cancellation. Cancelling in time (or by the centre) takes back every charge for the
/// session. A late cancellation by a parent forfeits what the policy says: a share of the session
/// fee charged to them (and to a funder paying for them), or the resident parent's deposit; what
/// the other parent was charged is always taken back. Nothing is refunded: a credit on an account
/// that had paid is credit, which a person may refund.
pub fn cancellation_outcome(
    policy: &CancellationPolicy,
    by: Canceller,
    notice_minutes: i64,
    charges: &[BookedCharge],
    parents: &Parents,
    deposit_held: Pence,
) -> CancellationOutcome {
    let forfeit = policy.outcome(by, notice_minutes);
    let canceller = match by {
        Canceller::Resident => parents.resident.clone().map(Account::Party),
        Canceller::Visiting => parents.visiting.clone().map(Account::Party),
        Canceller::Centre => None,
    };
    let mut entries = Vec::new();
    let mut kept = Vec::new();
    for c in charges.iter().filter(|c| c.amount.0 > 0) {
        let bears_it = Some(&c.account) == canceller.as_ref() || matches!(c.account, Account::Funder(_));
        let keep = match forfeit {
            Forfeit::SessionFee { basis_points } if bears_it => c.amount.share(basis_points),
            _ => Pence(0),
        };
        if keep.0 > 0 {
            kept.push((c.account.clone(), keep, "the session fee"));
        }
        let back = Pence(c.amount.0 - keep.0);
        if back.0 > 0 {
            entries.push((
                Entry::Credit {
                    account: c.account.clone(),
                    amount: back,
                },
                Some(c.id.clone()),
            ));
        }
    }
    if forfeit == Forfeit::Deposit
        && deposit_held.0 > 0
        && let Some(resident) = &parents.resident
    {
        let account = Account::Party(resident.clone());
        kept.push((account.clone(), deposit_held, "the deposit"));
        entries.push((
            Entry::DepositForfeited {
                account,
                amount: deposit_held,
            },
            None,
        ));
    }
    CancellationOutcome {
        forfeit,
        notice_minutes,
        entries,
        kept,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::test_parts::seed_parents;

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
    fn cancellation_seed_centre_47_hours_by_each_parent_forfeits_what_the_rules_say() {
        let policy = CancellationPolicy::seed_centre();
        let dad = Account::Party("dad".into());
        let mum = Account::Party("mum".into());
        let charges = vec![BookedCharge {
            id: "c1".into(),
            account: dad.clone(),
            amount: Pence(14_700),
        }];
        let parents = seed_parents();

        let by_dad = cancellation_outcome(&policy, Canceller::Visiting, 47 * 60, &charges, &parents, Pence(10_000));
        assert_eq!(by_dad.kept, vec![(dad.clone(), Pence(14_700), "the session fee")]);
        assert!(
            by_dad.entries.is_empty(),
            "the session charge stands; the deposit is untouched"
        );

        let by_mum = cancellation_outcome(&policy, Canceller::Resident, 47 * 60, &charges, &parents, Pence(10_000));
        assert_eq!(by_mum.kept, vec![(mum.clone(), Pence(10_000), "the deposit")]);
        assert_eq!(
            by_mum.entries,
            vec![
                (
                    Entry::Credit {
                        account: dad.clone(),
                        amount: Pence(14_700)
                    },
                    Some("c1".into())
                ),
                (
                    Entry::DepositForfeited {
                        account: mum,
                        amount: Pence(10_000)
                    },
                    None
                ),
            ]
        );

        for by in [Canceller::Visiting, Canceller::Resident, Canceller::Centre] {
            let in_time = cancellation_outcome(&policy, by, 49 * 60, &charges, &parents, Pence(10_000));
            assert!(in_time.kept.is_empty(), "{by:?} 49 hours ahead forfeits nothing");
            assert_eq!(
                in_time.entries,
                vec![(
                    Entry::Credit {
                        account: dad.clone(),
                        amount: Pence(14_700)
                    },
                    Some("c1".into())
                )]
            );
        }
        let by_centre = cancellation_outcome(&policy, Canceller::Centre, 60, &charges, &parents, Pence(10_000));
        assert!(by_centre.kept.is_empty(), "the centre cancelling forfeits nothing");
    }

    #[test]
    fn cancellation_late_by_one_parent_gives_the_other_parent_their_share_back() {
        let policy = CancellationPolicy::tiered_by_notice();
        let dad = Account::Party("dad".into());
        let mum = Account::Party("mum".into());
        let charges = vec![
            BookedCharge {
                id: "c1".into(),
                account: dad.clone(),
                amount: Pence(7_350),
            },
            BookedCharge {
                id: "c2".into(),
                account: mum.clone(),
                amount: Pence(7_350),
            },
        ];
        let o = cancellation_outcome(
            &policy,
            Canceller::Visiting,
            30 * 60,
            &charges,
            &seed_parents(),
            Pence(0),
        );
        assert_eq!(o.kept, vec![(dad.clone(), Pence(3_675), "the session fee")]);
        assert_eq!(
            o.entries,
            vec![
                (
                    Entry::Credit {
                        account: dad,
                        amount: Pence(3_675)
                    },
                    Some("c1".into())
                ),
                (
                    Entry::Credit {
                        account: mum,
                        amount: Pence(7_350)
                    },
                    Some("c2".into())
                ),
            ]
        );
    }
}
