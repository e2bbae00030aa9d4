//! Who pays for a case's contact (the parents, split by shares, Cafcass, a local authority, legal
//! aid, a grant, the centre's bursary fund), what a funder's allowance covers, and who is charged
//! for each session or item.

use super::ledger::Account;
use super::money::{Pence, split};
use crate::referrals::named;
use crate::text::FieldErrors;

/// Who pays for a case's contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Payer {
    Private,
    Cafcass,
    LocalAuthority,
    LegalAid,
    CharityGrant,
    Bursary,
}

named!(Payer,
    Private => "private", "The parents pay";
    Cafcass => "cafcass", "Cafcass (court-ordered)";
    LocalAuthority => "local_authority", "A local authority";
    LegalAid => "legal_aid", "Legal aid";
    CharityGrant => "charity_grant", "A charity grant";
    Bursary => "bursary", "The centre's bursary fund";
);

/// The funder's name for charges the centre's own bursary fund pays.
pub const BURSARY_FUND: &str = "Bursary fund";

/// Cafcass funds six sessions, twelve hours, unless the order says otherwise.
pub const CAFCASS_SESSIONS: u32 = 6;
pub const CAFCASS_MINUTES: i64 = 12 * 60;

/// Who pays for what on one case. A funder pays pre-visits and reports, and sessions within its
/// allowance; the parents pay the rest, split by the visiting parent's share. A Cafcass case is
/// never charged to either parent: once its allowance is used, no more sessions can be booked
/// until the funding is extended or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funding {
    pub payer: Payer,
    /// The funder's name on invoices ("Cafcass", "Kent County Council"); empty when private.
    pub funder_name: String,
    /// Sessions the funder pays for; `None` is no limit.
    pub funded_sessions: Option<u32>,
    /// Minutes of contact the funder pays for; `None` is no limit.
    pub funded_minutes: Option<i64>,
    /// The visiting parent's share of what the parents pay, in basis points; the resident parent
    /// pays the rest.
    pub visiting_share: i64,
}

/// What a funder has paid for so far on a case: sessions charged to it and not taken back; and,
/// for the centre's bursary fund, what is left in the fund (`None`: no limit in money).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FundedUse {
    pub sessions: u32,
    pub minutes: i64,
    pub fund_left: Option<Pence>,
}

impl FundedUse {
    fn affords(&self, price: Pence) -> bool {
        self.fund_left.is_none_or(|left| left >= price)
    }
}

/// The parents on a case, by their party ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parents {
    pub resident: Option<String>,
    pub visiting: Option<String>,
}

/// How one booking or item is paid for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// No price applies: nothing to charge.
    Free,
    /// Charged to these accounts; the parts add up to the price.
    Charged(Vec<(Account, Pence)>),
    /// The funder's allowance is used and the parents may not be charged: refused with the reason.
    NotFunded(String),
}

impl Funding {
    /// A case's funding when nobody has set it: Cafcass's allowance for a Cafcass referral, the
    /// visiting parent paying otherwise.
    pub fn default_for(cafcass: bool) -> Funding {
        if cafcass {
            Funding {
                payer: Payer::Cafcass,
                funder_name: "Cafcass".into(),
                funded_sessions: Some(CAFCASS_SESSIONS),
                funded_minutes: Some(CAFCASS_MINUTES),
                visiting_share: 10_000,
            }
        } else {
            Funding {
                payer: Payer::Private,
                funder_name: String::new(),
                funded_sessions: None,
                funded_minutes: None,
                visiting_share: 10_000,
            }
        }
    }

    /// Reads funding as a form or the API sends it.
    pub fn parse(
        payer: &str,
        funder_name: &str,
        funded_sessions: &str,
        funded_hours: &str,
        visiting_percent: &str,
    ) -> Result<Funding, FieldErrors> {
        let mut errors = FieldErrors::new();
        let payer = Payer::parse(payer);
        if payer.is_none() {
            errors.add("payer", "Choose who pays");
        }
        let name = funder_name.trim();
        let name = if payer == Some(Payer::Bursary) {
            BURSARY_FUND
        } else {
            name
        };
        if payer.is_some_and(|p| p != Payer::Private) && name.is_empty() {
            errors.add("funder_name", "Enter the funder's name, as it goes on invoices");
        }
        if name.chars().count() > 120 {
            errors.add("funder_name", "Enter a name of 120 characters or fewer");
        }
        let whole = |text: &str, field: &'static str, max: i64, errors: &mut FieldErrors| -> Option<i64> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<i64>() {
                Ok(n) if (0..=max).contains(&n) => Some(n),
                _ => {
                    errors.add(
                        field,
                        format!("Enter a whole number from 0 to {max}, or leave it empty for no limit"),
                    );
                    None
                }
            }
        };
        let sessions = whole(funded_sessions, "funded_sessions", 500, &mut errors);
        let hours = whole(funded_hours, "funded_hours", 1_000, &mut errors);
        let share = match visiting_percent.trim() {
            "" => Some(100),
            t => match t.trim_end_matches('%').trim().parse::<i64>() {
                Ok(n) if (0..=100).contains(&n) => Some(n),
                _ => {
                    errors.add(
                        "visiting_percent",
                        "Enter the visiting parent's share as a whole per cent, 0 to 100",
                    );
                    None
                }
            },
        };
        match (payer, share) {
            (Some(payer), Some(share)) if errors.is_empty() => Ok(Funding {
                payer,
                funder_name: if payer == Payer::Private {
                    String::new()
                } else {
                    name.to_owned()
                },
                funded_sessions: if payer == Payer::Private {
                    None
                } else {
                    sessions.map(|n| n as u32)
                },
                funded_minutes: if payer == Payer::Private {
                    None
                } else {
                    hours.map(|h| h * 60)
                },
                visiting_share: share * 100,
            }),
            _ => Err(errors),
        }
    }

    pub fn funder(&self) -> Option<Account> {
        (self.payer != Payer::Private).then(|| Account::Funder(self.funder_name.clone()))
    }

    /// Whether the centre may ask this case's resident parent for a deposit: only when the parents pay.
    pub fn parents_pay(&self) -> bool {
        self.payer == Payer::Private
    }

    /// Whether one more session of `minutes` is within the funder's allowance.
    pub fn within_allowance(&self, used: FundedUse, minutes: i64) -> bool {
        self.funded_sessions.is_none_or(|n| used.sessions < n)
            && self.funded_minutes.is_none_or(|m| used.minutes + minutes <= m)
    }

    /// "3 of 6 sessions, 6 of 12 hours used".
    pub fn describe_use(&self, used: FundedUse) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.funded_sessions {
            parts.push(format!("{} of {n} sessions", used.sessions));
        }
        if let Some(m) = self.funded_minutes {
            parts.push(format!("{} of {} hours", hours(used.minutes), hours(m)));
        }
        if parts.is_empty() {
            "no limit".into()
        } else {
            format!("{} used", parts.join(", "))
        }
    }

    /// Who pays for one contact session of `minutes` at `price`, given what the funder has paid
    /// for already.
    pub fn cover_session(&self, price: Option<Pence>, minutes: i64, used: FundedUse, parents: &Parents) -> Coverage {
        let Some(price) = price.filter(|p| p.0 > 0) else {
            return Coverage::Free;
        };
        if let Some(funder) = self.funder() {
            if self.within_allowance(used, minutes) && used.affords(price) {
                return Coverage::Charged(vec![(funder, price)]);
            }
            if self.payer == Payer::Cafcass {
                return Coverage::NotFunded(format!(
                    "Cafcass funding for this case is used up ({}). Extend the funding or change who pays before booking more sessions",
                    self.describe_use(used)
                ));
            }
        }
        self.parents_share(price, parents)
    }

    /// Who pays for an item that is not a contact session (a pre-visit for `attendee`, a report,
    /// mileage): the funder when there is one (and its fund, if limited, has the money), otherwise
    /// the attendee or the parents by their shares.
    pub fn cover_item(
        &self,
        price: Option<Pence>,
        attendee: Option<&str>,
        parents: &Parents,
        used: FundedUse,
    ) -> Coverage {
        let Some(price) = price.filter(|p| p.0 > 0) else {
            return Coverage::Free;
        };
        if let Some(funder) = self.funder()
            && (used.affords(price) || self.payer == Payer::Cafcass)
        {
            return Coverage::Charged(vec![(funder, price)]);
        }
        match attendee {
            Some(party) => Coverage::Charged(vec![(Account::Party(party.to_owned()), price)]),
            None => self.parents_share(price, parents),
        }
    }

    fn parents_share(&self, price: Pence, parents: &Parents) -> Coverage {
        let shares = [
            (parents.visiting.as_ref(), self.visiting_share),
            (parents.resident.as_ref(), 10_000 - self.visiting_share),
        ];
        let present: Vec<(&String, i64)> = shares
            .iter()
            .filter_map(|(p, s)| p.map(|p| (p, *s)))
            .filter(|(_, s)| *s > 0)
            .collect();
        if present.is_empty() {
            return Coverage::NotFunded("Nobody on the case can be charged: add the parents first".into());
        }
        let total: i64 = present.iter().map(|(_, s)| s).sum();
        // With one parent missing, the other pays all: shares are rescaled to 100%.
        let mut scaled: Vec<i64> = present.iter().map(|(_, s)| s * 10_000 / total).collect();
        let given: i64 = scaled.iter().sum();
        if let Some(last) = scaled.last_mut() {
            *last += 10_000 - given;
        }
        match split(price, &scaled) {
            Ok(parts) => Coverage::Charged(
                present
                    .iter()
                    .zip(parts)
                    .filter(|(_, part)| part.0 > 0)
                    .map(|((party, _), part)| (Account::Party((*party).clone()), part))
                    .collect(),
            ),
            Err(m) => Coverage::NotFunded(m),
        }
    }
}

fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        format!("{}", minutes / 60)
    } else {
        format!("{:.1}", minutes as f64 / 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::test_parts::seed_parents;

    #[test]
    fn cafcass_funding_is_never_charged_to_a_parent_and_stops_at_its_allowance() {
        let f = Funding::default_for(true);
        let parents = seed_parents();
        let price = Some(Pence(14_700));
        let mut used = FundedUse::default();
        for _ in 0..6 {
            assert_eq!(
                f.cover_session(price, 120, used, &parents),
                Coverage::Charged(vec![(Account::Funder("Cafcass".into()), Pence(14_700))])
            );
            used.sessions += 1;
            used.minutes += 120;
        }
        assert!(
            matches!(f.cover_session(price, 120, used, &parents), Coverage::NotFunded(m) if m.contains("6 of 6 sessions"))
        );
        assert!(!f.parents_pay(), "no deposit is asked");
        assert_eq!(
            f.cover_item(Some(Pence(6_100)), Some("mum"), &parents, FundedUse::default()),
            Coverage::Charged(vec![(Account::Funder("Cafcass".into()), Pence(6_100))])
        );
        let la = Funding {
            payer: Payer::LocalAuthority,
            funder_name: "Kent".into(),
            ..f
        };
        assert_eq!(
            la.cover_session(price, 120, used, &parents),
            Coverage::Charged(vec![(Account::Party("dad".into()), Pence(14_700))]),
            "past another funder's allowance the parents pay"
        );
    }

    #[test]
    fn private_funding_splits_between_the_parents_and_pre_visits_are_per_person() {
        let f = Funding::parse("private", "", "", "", "60").unwrap();
        let c = f.cover_session(Some(Pence(14_701)), 120, FundedUse::default(), &seed_parents());
        assert_eq!(
            c,
            Coverage::Charged(vec![
                (Account::Party("dad".into()), Pence(8_820)),
                (Account::Party("mum".into()), Pence(5_881)),
            ])
        );
        assert_eq!(
            f.cover_item(Some(Pence(6_100)), Some("mum"), &seed_parents(), FundedUse::default()),
            Coverage::Charged(vec![(Account::Party("mum".into()), Pence(6_100))])
        );
        assert_eq!(
            f.cover_session(None, 120, FundedUse::default(), &seed_parents()),
            Coverage::Free
        );
        for bad in [
            ("nobody", "", "", "", ""),
            ("cafcass", "", "6", "12", ""),
            ("private", "", "", "", "120"),
            ("legal_aid", "LAA", "-1", "", ""),
        ] {
            assert!(Funding::parse(bad.0, bad.1, bad.2, bad.3, bad.4).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn bursary_fund_pays_while_it_has_the_money_then_the_parents_do() {
        let f = Funding::parse("bursary", "", "", "", "").unwrap();
        assert_eq!(f.funder_name, BURSARY_FUND);
        let used = FundedUse {
            fund_left: Some(Pence(20_000)),
            ..FundedUse::default()
        };
        assert_eq!(
            f.cover_session(Some(Pence(14_700)), 120, used, &seed_parents()),
            Coverage::Charged(vec![(Account::Funder(BURSARY_FUND.into()), Pence(14_700))])
        );
        let short = FundedUse {
            fund_left: Some(Pence(5_300)),
            ..used
        };
        assert_eq!(
            f.cover_session(Some(Pence(14_700)), 120, short, &seed_parents()),
            Coverage::Charged(vec![(Account::Party("dad".into()), Pence(14_700))])
        );
    }
}
