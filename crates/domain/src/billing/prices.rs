//! A centre's prices: what it charges for, and prices that apply from a date (a new price never
//! changes what was charged before).

use super::money::Pence;
use crate::referrals::named;
use crate::text::FieldErrors;
use jiff::civil::Date;

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

    pub fn prices(&self) -> &[Price] {
        &self.0
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
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
}
