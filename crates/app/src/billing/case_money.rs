//! What charging a case needs, read once and shared by the money use cases: its people, the centre's
//! prices, who funds it and the parents; and what still holds a booking back.

use crate::{AppError, AppState};
use familytime_domain::Timestamp;
use familytime_domain::billing::{
    self, Account, Entry, FundedUse, Funding, Item, Owing, Parents, Payer, Pence, Posted, PriceList,
};
use familytime_domain::ids::{BookingId, OrganisationId};
use familytime_domain::intake::PartyRole;
use familytime_domain::referrals::ReferralSource;
use familytime_domain::schedule::BookingKind;
use familytime_store::planning::Charging;
use familytime_store::referrals::CasePeople;
use familytime_store::schedule::Booking;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// What charging a case needs: its people, the centre's prices, and who funds it.
pub struct CaseMoney {
    pub people: CasePeople,
    pub prices: PriceList,
    pub funding: Funding,
    /// 0 when nobody has set the funding (it is then the default for the referral's source).
    pub funding_version: i64,
    pub parents: Parents,
    pub zone: TimeZone,
    /// What is left in the bursary fund, when the bursary pays for this case.
    pub bursary_left: Option<Pence>,
}

impl CaseMoney {
    /// What the funder has paid so far counts against its allowance; the bursary fund also has to
    /// have the money.
    pub(super) fn fund(&self, sessions: u32, minutes: i64) -> FundedUse {
        FundedUse {
            sessions,
            minutes,
            fund_left: self.bursary_left,
        }
    }

    /// The account's name: the party's or the funder's.
    pub fn name(&self, account: &Account) -> String {
        match account {
            Account::Funder(name) => name.clone(),
            Account::Party(id) => self
                .people
                .parties
                .iter()
                .find(|p| p.id.to_string() == *id)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| "Someone no longer on the case".into()),
        }
    }

    pub(super) fn day(&self, at: Timestamp) -> Date {
        at.to_zoned(self.zone.clone()).date()
    }

    /// The deposit a booking waits for: the resident parent's, where the centre charges one and the
    /// parents pay, for contact sessions only.
    fn deposit_wanted(&self, kind: &str, at: Timestamp) -> Option<(Account, Pence)> {
        let contact = matches!(BookingKind::parse(kind), Some(BookingKind::Contact(_)));
        let price = self.prices.price_on(Item::Deposit, self.day(at)).filter(|p| p.0 > 0)?;
        let resident = self.parents.resident.clone()?;
        (contact && self.funding.parents_pay()).then_some((Account::Party(resident), price))
    }

    /// What still stops a booking being confirmed. What a funder is charged counts as funded, so
    /// only what the parents owe, and the deposit, hold a booking back.
    pub fn owing(&self, posted: &[Posted], booking: &Booking) -> Owing {
        let wanted = self.deposit_wanted(&booking.kind, booking.span.start);
        let mut owing =
            billing::owing_for_booking(posted, &booking.id.to_string(), wanted.as_ref().map(|(a, p)| (a, *p)));
        owing.charges.retain(|(a, _)| matches!(a, Account::Party(_)));
        owing
    }

    /// Whether a booking waits on money at all (it has a parent's charge or wants a deposit), so
    /// that a payment confirms only bookings it was for.
    pub(super) fn waits_on_money(&self, posted: &[Posted], booking: &Booking) -> bool {
        let id = booking.id.to_string();
        posted.iter().any(|p| {
            p.booking.as_deref() == Some(id.as_str())
                && matches!(
                    &p.entry,
                    Entry::Charge {
                        account: Account::Party(_),
                        ..
                    }
                )
        }) || self.deposit_wanted(&booking.kind, booking.span.start).is_some()
    }

    /// The provisional bookings that `posted` now pays for.
    pub(super) fn now_paid(&self, posted: &[Posted], provisional: &[Booking]) -> Vec<BookingId> {
        provisional
            .iter()
            .filter(|b| self.waits_on_money(posted, b) && self.owing(posted, b).is_settled())
            .map(|b| b.id)
            .collect()
    }

    /// Reads an account as forms and the API name it: "party:ID" for a party of this case, or
    /// "funder" for the case's funder.
    pub(super) fn account(&self, key: &str) -> Option<Account> {
        match key.trim() {
            "funder" => self.funding.funder(),
            other => {
                let id = other.strip_prefix("party:")?;
                self.people
                    .parties
                    .iter()
                    .find(|p| p.id.to_string() == id)
                    .map(|p| Account::Party(p.id.to_string()))
            }
        }
    }
}

/// "party:ID" or "funder": how forms and the API name an account.
pub fn account_key(account: &Account) -> String {
    match account {
        Account::Party(id) => format!("party:{id}"),
        Account::Funder(_) => "funder".into(),
    }
}

pub(crate) async fn load_money(
    state: &AppState,
    org: OrganisationId,
    people: CasePeople,
) -> Result<CaseMoney, AppError> {
    let zone = state
        .store
        .centre(org, people.summary.centre_id)
        .await
        .ok()
        .and_then(|c| TimeZone::get(&c.time_zone).ok())
        .unwrap_or(TimeZone::UTC);
    let charging = state
        .store
        .charging_rules(org, people.summary.centre_id, people.summary.id)
        .await?;
    load_money_in(state, charging, org, people, zone).await
}

/// As `load_money`, when the centre's zone and the charging rules are already known (booking
/// read them with the rest of its planning).
pub(super) async fn load_money_in(
    state: &AppState,
    (prices, funding): Charging,
    org: OrganisationId,
    people: CasePeople,
    zone: TimeZone,
) -> Result<CaseMoney, AppError> {
    let (funding, funding_version) = match funding {
        Some(set) => set,
        None => (
            Funding::default_for(people.summary.source == ReferralSource::Cafcass),
            0,
        ),
    };
    let first = |role: PartyRole| people.parties.iter().find(|p| p.role == role).map(|p| p.id.to_string());
    let parents = Parents {
        resident: first(PartyRole::Resident),
        visiting: first(PartyRole::Visiting),
    };
    let bursary_left = if funding.payer == Payer::Bursary {
        Some(state.store.bursary_left(org).await?)
    } else {
        None
    };
    Ok(CaseMoney {
        people,
        prices,
        funding,
        funding_version,
        parents,
        zone,
        bursary_left,
    })
}
