//! Money, as the rules see it: amounts in whole pence, price lists whose prices apply from a date (a
//! new price never changes what was charged before), the cancellation policy as data (tiers by notice
//! and by who cancelled), and the ledger of entries that are never edited, from which every balance
//! is derived. No IO and no clock: dates and instants are parameters.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

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

/// What an account's balance means to a person: "£12.00 owed", "£5.00 in credit", "Nothing owed".
pub fn describe_balance(owed: Pence) -> String {
    match owed.0 {
        0 => "Nothing owed".into(),
        n if n > 0 => format!("{} owed", owed.display()),
        n => format!("{} in credit", Pence(-n).display()),
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

    fn posted(id: &str, entry: Entry, against: Option<&str>, booking: Option<&str>) -> Posted {
        Posted {
            id: id.into(),
            entry,
            against: against.map(str::to_owned),
            booking: booking.map(str::to_owned),
        }
    }

    fn seed_parents() -> Parents {
        Parents {
            resident: Some("mum".into()),
            visiting: Some("dad".into()),
        }
    }

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
