//! Money, the use cases: price lists and the cancellation policy, who funds each case, charges
//! written with each booking, payments, refunds, deposits and waivers, the confirmation rule
//! (a booking is confirmed only when it is paid or funded), what a cancellation forfeits (shown
//! before it is confirmed, then recorded), invoices and receipts as PDF, the outstanding and overdue
//! lists, the ledger export, and a parent's own account. The rules are in `domain::billing`; the
//! store writes every ledger change in one transaction with the ledger read inside it.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use super::case_files::{centre_zone, file_org};
use super::{authorize, found, parse_id};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::{self, Action, Actor, Object};
use familytime_domain::billing::{
    self, Account, BookedCharge, CancellationOutcome, CancellationPolicy, Canceller, Coverage, Entry, Forfeit,
    FundedUse, Funding, InvoiceStanding, Item, Owing, Parents, Payer, Pence, Posted, Price, PriceList, Tier,
};
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId, UserId};
use familytime_domain::intake::PartyRole;
use familytime_domain::referrals::ReferralSource;
use familytime_domain::schedule::BookingKind;
use familytime_domain::text::FieldErrors;
use familytime_reports::{Block, Document, DocumentKind};
use familytime_store::AuditEvent;
use familytime_store::billing::{BillingSettings, InvoiceRecord, LedgerRow, LedgerWrite, NewEntry, StoredPrice};
use familytime_store::planning::Charging;
use familytime_store::referrals::CasePeople;
use familytime_store::schedule::{BookedParty, Booking, BookingStatus, NewBooking};
use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

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
    fn fund(&self, sessions: u32, minutes: i64) -> FundedUse {
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

    fn day(&self, at: Timestamp) -> Date {
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
    fn waits_on_money(&self, posted: &[Posted], booking: &Booking) -> bool {
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
    fn now_paid(&self, posted: &[Posted], provisional: &[Booking]) -> Vec<BookingId> {
        provisional
            .iter()
            .filter(|b| self.waits_on_money(posted, b) && self.owing(posted, b).is_settled())
            .map(|b| b.id)
            .collect()
    }

    /// Reads an account as forms and the API name it: "party:ID" for a party of this case, or
    /// "funder" for the case's funder.
    fn account(&self, key: &str) -> Option<Account> {
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

/// The charge item for a kind of booking, and whether it is a contact session (which counts
/// against a funder's allowance).
fn item_for(kind: BookingKind) -> Option<(Item, bool)> {
    use familytime_domain::referrals::Service::*;
    match kind {
        BookingKind::PreVisit => Some((Item::PreVisit, false)),
        BookingKind::Review => None,
        BookingKind::Contact(Indirect) => None,
        BookingKind::Contact(Supported | VirtualSupported) => Some((Item::SupportedSession, true)),
        BookingKind::Contact(Handover) => Some((Item::HandoverSession, true)),
        BookingKind::Contact(_) => Some((Item::SupervisedSession, true)),
    }
}

/// A supervised session's price is for two hours; a shorter or longer one costs in proportion.
fn session_price(item: Item, base: Pence, minutes: i64) -> Pence {
    if item == Item::SupervisedSession {
        Pence((base.0 * minutes + 60) / 120)
    } else {
        base
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
async fn load_money_in(
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

/// What the funder has paid for so far: session charges to it not wholly taken back, leaving out
/// `moving` (a booking being moved, whose charge is about to be taken back).
fn funded_use(money: &CaseMoney, ledger: &[LedgerRow], moving: Option<&str>) -> FundedUse {
    let Some(funder) = money.funding.funder() else {
        return money.fund(0, 0);
    };
    let posted: Vec<Posted> = ledger.iter().map(LedgerRow::posted).collect();
    let mut used = money.fund(0, 0);
    for row in ledger {
        let session = row.item.is_some_and(|i| {
            matches!(
                i,
                Item::SupervisedSession | Item::SupportedSession | Item::HandoverSession
            )
        });
        let Some(booking) = row.booking_id.as_deref() else {
            continue;
        };
        if !session || *row.entry.account() != funder || Some(booking) == moving {
            continue;
        }
        if billing::charges_left(&posted, booking).iter().any(|c| c.id == row.id) {
            used.sessions += 1;
            used.minutes += row.minutes.unwrap_or(0);
        }
    }
    used
}

/// Adds to each new session what it costs and who pays, in date order, counting the funder's
/// allowance as it goes. The sessions a funder can no longer pay for, where the parents may not be
/// charged instead, are returned with the reason, and nothing is booked.
pub(crate) async fn charge_sessions(
    state: &AppState,
    charging: &Charging,
    org: OrganisationId,
    people: &CasePeople,
    zone: &TimeZone,
    sessions: &mut [NewBooking],
    moving: Option<&str>,
) -> Result<Vec<(Timestamp, String)>, AppError> {
    let Some(first) = sessions.first() else {
        return Ok(Vec::new());
    };
    let Some((item, is_session)) = BookingKind::parse(&first.kind).and_then(item_for) else {
        return Ok(Vec::new());
    };
    let money = load_money_in(state, charging.clone(), org, people.clone(), zone.clone()).await?;
    // Only a funder's allowance needs what was charged before: other bookings skip the read.
    let mut used = if is_session && money.funding.funder().is_some() {
        let ledger = state.store.ledger(org, people.summary.id).await?;
        funded_use(&money, &ledger, moving)
    } else {
        money.fund(0, 0)
    };
    let mut failures = Vec::new();
    for session in sessions.iter_mut() {
        let minutes = session.span.minutes();
        let price = money
            .prices
            .price_on(item, money.day(session.span.start))
            .map(|p| session_price(item, p, minutes));
        let coverage = if is_session {
            money.funding.cover_session(price, minutes, used, &money.parents)
        } else {
            let attendee = session.parties.first().map(|p| p.party_id.as_str());
            money.funding.cover_item(price, attendee, &money.parents, used)
        };
        match coverage {
            Coverage::Free => {}
            Coverage::NotFunded(why) => failures.push((session.span.start, why)),
            Coverage::Charged(parts) => {
                if let Some((_, paid)) = parts.iter().find(|(a, _)| matches!(a, Account::Funder(_))) {
                    if is_session {
                        used.sessions += 1;
                        used.minutes += minutes;
                    }
                    used.fund_left = used.fund_left.map(|left| Pence(left.0 - paid.0));
                }
                session.charges = parts
                    .into_iter()
                    .map(|(account, amount)| NewEntry {
                        item: Some(item),
                        booking: Some(session.id),
                        minutes: Some(minutes),
                        ..NewEntry::of(Entry::Charge { account, amount })
                    })
                    .collect();
            }
        }
    }
    Ok(failures)
}

// ---- the confirmation rule -----------------------------------------------------------------------

/// Refuses to confirm a booking its money does not yet cover, saying who owes what.
pub(crate) async fn check_confirmable(
    state: &AppState,
    org: OrganisationId,
    booking: &Booking,
) -> Result<(), AppError> {
    let Some(case) = booking.case_id else {
        return Ok(());
    };
    let people = state.store.case_people(org, case).await?;
    let money = load_money(state, org, people).await?;
    let posted: Vec<Posted> = state
        .store
        .ledger(org, case)
        .await?
        .iter()
        .map(LedgerRow::posted)
        .collect();
    let owing = money.owing(&posted, booking);
    if owing.is_settled() {
        Ok(())
    } else {
        Err(AppError::Invalid(FieldErrors::single(
            "status",
            format!(
                "This booking is confirmed once it is paid: {}",
                owing.describe(|a| money.name(a))
            ),
        )))
    }
}

// ---- cancellation ---------------------------------------------------------------------------------

/// What cancelling would do, for the coordinator to see before confirming it.
pub struct CancellationPreview {
    pub booking: Booking,
    pub outcome: CancellationOutcome,
    /// One line, e.g. "47 hours' notice: Sam Jones forfeits £147.00 (the session fee)".
    pub description: String,
    pub zone: TimeZone,
}

fn plan_cancellation(
    money: &CaseMoney,
    policy: &CancellationPolicy,
    ledger: &[LedgerRow],
    booking: &Booking,
    by: Canceller,
    at: Timestamp,
) -> CancellationOutcome {
    let posted: Vec<Posted> = ledger.iter().map(LedgerRow::posted).collect();
    let charges: Vec<BookedCharge> = billing::charges_left(&posted, &booking.id.to_string());
    let held = money
        .parents
        .resident
        .as_ref()
        .map(|r| {
            let entries: Vec<Entry> = posted.iter().map(|p| p.entry.clone()).collect();
            billing::balances(&entries)
                .get(&Account::Party(r.clone()))
                .map(|b| b.deposit_held)
                .unwrap_or_default()
        })
        .unwrap_or_default();
    // The deposit forfeited is the centre's deposit price at most, never more than is held.
    let deposit = money
        .prices
        .price_on(Item::Deposit, money.day(booking.span.start))
        .map(|p| p.min(held))
        .unwrap_or(held);
    let notice = (booking.span.start.as_second() - at.as_second()).div_euclid(60);
    billing::cancellation_outcome(policy, by, notice, &charges, &money.parents, deposit)
}

async fn cancellation_context(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(Booking, Option<(CaseMoney, CancellationPolicy)>), AppError> {
    let booking = super::case_files::booking_for(state, caller, id, Action::ManageSchedule).await?;
    let org = file_org(caller)?;
    let Some(case) = booking.case_id else {
        return Ok((booking, None));
    };
    let people = state.store.case_people(org, case).await?;
    let money = load_money(state, org, people).await?;
    let policy = state.store.cancellation_policy(org, booking.centre_id).await?;
    Ok((booking, Some((money, policy))))
}

fn canceller(text: &str) -> Result<Canceller, AppError> {
    Canceller::parse(text).ok_or_else(|| AppError::Invalid(FieldErrors::single("cancelled_by", "Say who cancelled")))
}

/// What cancelling a booking now, by `cancelled_by`, would forfeit.
pub async fn cancellation_preview(
    state: &AppState,
    caller: &Caller,
    id: &str,
    cancelled_by: &str,
) -> Result<CancellationPreview, AppError> {
    let by = canceller(cancelled_by)?;
    let (booking, context) = cancellation_context(state, caller, id).await?;
    let org = file_org(caller)?;
    let zone = centre_zone(state, caller, booking.centre_id).await?;
    let now = state.clock.now();
    let (outcome, description) = match (&context, booking.case_id) {
        (Some((money, policy)), Some(case)) => {
            let ledger = state.store.ledger(org, case).await?;
            let outcome = plan_cancellation(money, policy, &ledger, &booking, by, now);
            let description = outcome.describe(|a| money.name(a));
            (outcome, description)
        }
        _ => {
            let outcome = billing::cancellation_outcome(
                &CancellationPolicy::default(),
                Canceller::Centre,
                (booking.span.start.as_second() - now.as_second()).div_euclid(60),
                &[],
                &Parents::default(),
                Pence(0),
            );
            let description = outcome.describe(|_| String::new());
            (outcome, description)
        }
    };
    Ok(CancellationPreview {
        booking,
        outcome,
        description,
        zone,
    })
}

/// A cancellation as the form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct CancelInput {
    pub reason: String,
    pub cancelled_by: String,
    pub version: i64,
    /// Waive what the cancellation would forfeit (a staff decision, with a reason).
    pub waive: bool,
    pub waiver_reason: String,
    /// The outcome the person was shown; when it no longer holds (the notice crossed a tier while
    /// they read it), the cancellation is refused and the new outcome shown.
    pub expected: Option<String>,
}

/// Cancels a booking and records what it forfeits (or the waiver), in one transaction.
pub async fn cancel(state: &AppState, caller: &Caller, id: &str, input: &CancelInput) -> Result<String, AppError> {
    let mut errors = FieldErrors::new();
    let reason = input.reason.trim();
    if reason.is_empty() {
        errors.add("reason", "Say why");
    }
    let by = Canceller::parse(&input.cancelled_by);
    if by.is_none() {
        errors.add("cancelled_by", "Say who cancelled");
    }
    let waiver_reason = input.waiver_reason.trim().to_owned();
    if input.waive && waiver_reason.is_empty() {
        errors.add("waiver_reason", "Say why what is forfeited is waived");
    }
    let Some(by) = by.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let (booking, context) = cancellation_context(state, caller, id).await?;
    let org = file_org(caller)?;
    let now = state.clock.now();
    let scope = caller.scope(now);
    let booking_id = booking.id;
    let expected = input.expected.clone();
    let waive = input.waive;
    let mut shown = String::new();
    let answer = state
        .store
        .cancel_booking(
            &scope,
            org,
            booking.id,
            input.version,
            reason,
            input.cancelled_by.trim(),
            |ledger, current| {
                let Some((money, policy)) = &context else {
                    return Ok(LedgerWrite::default());
                };
                let outcome = plan_cancellation(money, policy, ledger, current, by, now);
                shown = outcome.describe(|a| money.name(a));
                if expected.as_ref().is_some_and(|e| e.trim() != shown) {
                    return Err(format!(
                        "What cancelling forfeits has changed since it was shown. Now: {shown}"
                    ));
                }
                Ok(cancellation_write(&outcome, ledger, booking_id, waive, &waiver_reason))
            },
        )
        .await;
    match answer {
        Ok(Ok(())) => Ok(shown),
        Ok(Err(message)) => Err(AppError::Conflict(message)),
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Invalid(FieldErrors::single("status", m))),
        Err(e) => Err(e.into()),
    }
}

/// The entries a cancellation records: credits for what is taken back, and what is kept, either
/// forfeited or, when waived, a waiver with its reason (the deposit then simply stays held).
fn cancellation_write(
    outcome: &CancellationOutcome,
    ledger: &[LedgerRow],
    booking: BookingId,
    waive: bool,
    waiver_reason: &str,
) -> LedgerWrite {
    let mut entries = Vec::new();
    for (entry, against) in &outcome.entries {
        if waive && matches!(entry, Entry::DepositForfeited { .. }) {
            continue;
        }
        entries.push(NewEntry {
            against: against.clone(),
            booking: Some(booking),
            reason: Some(match entry {
                Entry::DepositForfeited { .. } => "Deposit forfeited: cancelled late".to_owned(),
                _ => "Cancelled: charge taken back".to_owned(),
            }),
            ..NewEntry::of(entry.clone())
        });
    }
    let mut audit = Vec::new();
    if waive && !outcome.kept.is_empty() {
        let posted: Vec<Posted> = ledger.iter().map(LedgerRow::posted).collect();
        for (account, amount, _) in &outcome.kept {
            if outcome.forfeit == Forfeit::Deposit {
                continue;
            }
            let against = billing::charges_left(&posted, &booking.to_string())
                .into_iter()
                .find(|c| &c.account == account)
                .map(|c| c.id);
            entries.push(NewEntry {
                against,
                booking: Some(booking),
                reason: Some(waiver_reason.to_owned()),
                ..NewEntry::of(Entry::Waiver {
                    account: account.clone(),
                    amount: *amount,
                })
            });
        }
        audit.push(AuditEvent::ok("billing.waive", "booking", booking));
    }
    LedgerWrite {
        entries,
        confirm: Vec::new(),
        audit,
    }
}

// ---- a case's account -----------------------------------------------------------------------------

/// One account on a case and where it stands.
pub struct AccountLine {
    pub key: String,
    pub account: Account,
    pub name: String,
    /// Positive: owed; negative: in credit.
    pub owed: Pence,
    pub deposit_held: Pence,
}

/// A booking of the case and what still holds it back.
pub struct BookingMoney {
    pub booking: Booking,
    pub owing: Owing,
    pub description: String,
}

/// Everything the case's money page and the account API show.
pub struct CaseAccount {
    pub money: CaseMoney,
    pub used: FundedUse,
    pub rows: Vec<LedgerRow>,
    pub outstanding: BTreeMap<String, Pence>,
    pub accounts: Vec<AccountLine>,
    pub bookings: Vec<BookingMoney>,
    pub invoices: Vec<Invoice>,
    pub deposit_price: Option<Pence>,
}

async fn billing_case(state: &AppState, caller: &Caller, id: &str) -> Result<CasePeople, AppError> {
    let id = parse_id(id, CaseId::parse)?;
    let org = file_org(caller)?;
    let people = found(state, caller, state.store.case_people(org, id).await, "case", id).await?;
    let object = Object::Case {
        organisation: org,
        centre: people.summary.centre_id,
        referred_by: people.summary.referrer_user_id,
    };
    authorize(state, caller, Action::ManageBilling, object).await?;
    Ok(people)
}

fn account_lines(money: &CaseMoney, rows: &[LedgerRow]) -> Vec<AccountLine> {
    let entries: Vec<Entry> = rows.iter().map(|r| r.entry.clone()).collect();
    let balances = billing::balances(&entries);
    let mut accounts: Vec<Account> = money
        .people
        .parties
        .iter()
        .filter(|p| p.role != PartyRole::OtherAdult)
        .map(|p| Account::Party(p.id.to_string()))
        .collect();
    accounts.extend(money.funding.funder());
    for a in balances.keys() {
        if !accounts.contains(a) {
            accounts.push(a.clone());
        }
    }
    accounts
        .into_iter()
        .map(|account| {
            let b = balances.get(&account).copied().unwrap_or_default();
            AccountLine {
                key: account_key(&account),
                name: money.name(&account),
                owed: b.owed,
                deposit_held: b.deposit_held,
                account,
            }
        })
        .collect()
}

/// The case's money: funding, balances, what each booking still waits for, the ledger and the
/// invoices. Reading it is audited as a read of the case file.
pub async fn account(state: &AppState, caller: &Caller, case: &str) -> Result<CaseAccount, AppError> {
    let people = billing_case(state, caller, case).await?;
    let org = file_org(caller)?;
    let id = people.summary.id;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.read", "case", id),
        )
        .await?;
    let money = load_money(state, org, people).await?;
    let rows = state.store.ledger(org, id).await?;
    let posted: Vec<Posted> = rows.iter().map(LedgerRow::posted).collect();
    let bookings = state
        .store
        .case_bookings(org, id)
        .await?
        .into_iter()
        .map(|booking| {
            let owing = money.owing(&posted, &booking);
            let description = if owing.is_settled() {
                String::new()
            } else {
                owing.describe(|a| money.name(a))
            };
            BookingMoney {
                booking,
                owing,
                description,
            }
        })
        .collect();
    Ok(CaseAccount {
        used: funded_use(&money, &rows, None),
        outstanding: billing::outstanding(&posted),
        accounts: account_lines(&money, &rows),
        invoices: with_standing(state.store.invoices(org, Some(id)).await?, &rows),
        deposit_price: money
            .prices
            .price_on(Item::Deposit, money.day(state.clock.now()))
            .filter(|_| money.funding.parents_pay()),
        bookings,
        rows,
        money,
    })
}

/// Funding as the form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct FundingInput {
    pub payer: String,
    pub funder_name: String,
    pub funded_sessions: String,
    pub funded_hours: String,
    pub visiting_percent: String,
    pub version: i64,
}

pub async fn set_funding(state: &AppState, caller: &Caller, case: &str, input: &FundingInput) -> Result<(), AppError> {
    let people = billing_case(state, caller, case).await?;
    let funding = Funding::parse(
        &input.payer,
        &input.funder_name,
        &input.funded_sessions,
        &input.funded_hours,
        &input.visiting_percent,
    )
    .map_err(AppError::Invalid)?;
    let scope = caller.scope(state.clock.now());
    Ok(state
        .store
        .set_case_funding(&scope, file_org(caller)?, people.summary.id, &funding, input.version)
        .await?)
}

/// Money recorded by staff, as the form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct MoneyInput {
    /// payment, deposit, refund, deposit_return, waiver or charge.
    pub kind: String,
    /// "party:ID" or "funder"; for a charge, empty means "whoever the funding says".
    pub account: String,
    pub amount: String,
    pub method: String,
    pub reference: String,
    pub reason: String,
    /// For a charge: what it is for.
    pub item: String,
    /// For a charge: how many (miles, for mileage); 1 when empty.
    pub quantity: String,
    /// For a waiver: the charge it reduces.
    pub against: String,
}

const METHODS: [&str; 4] = ["cash", "card", "bank_transfer", "cheque"];

/// Records money on a case. Payments over what is owed stay as credit on the account; a refund
/// is never more than was paid; a deposit is returned only while held; a waiver needs a reason.
/// Bookings the money now pays for are confirmed in the same transaction. Returns the entries' ids.
pub async fn record(
    state: &AppState,
    caller: &Caller,
    case: &str,
    input: &MoneyInput,
) -> Result<Vec<String>, AppError> {
    let people = billing_case(state, caller, case).await?;
    let org = file_org(caller)?;
    let case_id = people.summary.id;
    let money = load_money(state, org, people).await?;
    let now = state.clock.now();
    let entries = money_entries(&money, input, money.day(now))?;
    let scope = caller.scope(now);
    let answer = state
        .store
        .write_ledger(&scope, org, case_id, |ledger, provisional| {
            let mut posted: Vec<Posted> = ledger.iter().map(LedgerRow::posted).collect();
            for e in &entries {
                let plain: Vec<Entry> = posted.iter().map(|p| p.entry.clone()).collect();
                billing::check_entry(&plain, &e.entry)?;
                if let (Entry::Waiver { amount, account }, Some(charge)) = (&e.entry, &e.against) {
                    let on_account = posted.iter().any(|p| {
                        p.id == *charge && matches!(&p.entry, Entry::Charge { account: a, .. } if a == account)
                    });
                    if !on_account {
                        return Err("Choose a charge on this account to waive".into());
                    }
                    let left = billing::outstanding(&posted).get(charge).copied();
                    match left {
                        None => return Err("Choose a charge on this case to waive".into()),
                        Some(left) if *amount > left => {
                            return Err(format!("Only {} of that charge is still owed", left.display()));
                        }
                        Some(_) => {}
                    }
                }
                posted.push(Posted {
                    id: format!("new-{}", posted.len()),
                    entry: e.entry.clone(),
                    against: e.against.clone(),
                    booking: e.booking.map(|b| b.to_string()),
                });
            }
            let action = match input.kind.trim() {
                "waiver" => "billing.waive",
                "charge" => "billing.charge",
                "refund" | "deposit_return" => "billing.refund",
                _ => "billing.payment",
            };
            Ok(LedgerWrite {
                confirm: money.now_paid(&posted, provisional),
                audit: vec![AuditEvent::ok(action, "case", case_id)],
                entries: entries.clone(),
            })
        })
        .await?;
    answer.map_err(|m| AppError::Invalid(FieldErrors::single("amount", m)))
}

/// Reads a money form into the entries it records, before the ledger is consulted.
fn money_entries(money: &CaseMoney, input: &MoneyInput, today: Date) -> Result<Vec<NewEntry>, AppError> {
    let mut errors = FieldErrors::new();
    let kind = input.kind.trim();
    if !["payment", "deposit", "refund", "deposit_return", "waiver", "charge"].contains(&kind) {
        errors.add("kind", "Choose what to record");
    }
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let reason = text(&input.reason);
    let reference = text(&input.reference);
    let method = text(&input.method);
    if matches!(kind, "payment" | "deposit" | "refund" | "deposit_return")
        && !method.as_deref().is_some_and(|m| METHODS.contains(&m))
    {
        errors.add(
            "method",
            "Choose how the money was paid: cash, card, bank transfer or cheque",
        );
    }
    if matches!(kind, "refund" | "deposit_return" | "waiver") && reason.is_none() {
        errors.add("reason", "Say why");
    }
    if reason.as_deref().is_some_and(|r| r.chars().count() > 500)
        || reference.as_deref().is_some_and(|r| r.chars().count() > 120)
    {
        errors.add(
            "reason",
            "Keep the reason under 500 characters and the reference under 120",
        );
    }
    let account = if input.account.trim().is_empty() && kind == "charge" {
        None
    } else {
        let a = money.account(&input.account);
        if a.is_none() {
            errors.add("account", "Choose whose account this is");
        }
        a
    };
    if kind == "deposit"
        && account
            .as_ref()
            .is_some_and(|a| Some(a) != money.parents.resident.clone().map(Account::Party).as_ref())
    {
        errors.add("account", "The deposit is the resident parent's");
    }
    let amount = if input.amount.trim().is_empty() && kind == "charge" {
        None
    } else {
        errors.take("amount", Pence::parse_pounds(&input.amount))
    };
    if amount.is_some_and(|a| a.0 == 0) {
        errors.add("amount", "Enter an amount of more than nothing");
    }
    let against = text(&input.against);
    if kind == "waiver" && against.is_none() {
        errors.add("against", "Choose the charge to waive");
    }
    if kind == "charge" {
        return charge_entries(money, input, today, account, amount, reason, errors);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (Some(account), Some(amount)) = (account, amount) else {
        return Err(AppError::Invalid(FieldErrors::single("amount", "Enter the amount")));
    };
    let entry = match kind {
        "payment" => Entry::Payment { account, amount },
        "deposit" => Entry::DepositHeld { account, amount },
        "refund" => Entry::Refund { account, amount },
        "deposit_return" => Entry::DepositReturned { account, amount },
        _ => Entry::Waiver { account, amount },
    };
    Ok(vec![NewEntry {
        method,
        reference,
        reason,
        against,
        ..NewEntry::of(entry)
    }])
}

/// A charge for something other than a session (a report, mileage, a referral fee): at the price
/// list's price unless an amount is given, to the account given or as the funding says.
fn charge_entries(
    money: &CaseMoney,
    input: &MoneyInput,
    today: Date,
    account: Option<Account>,
    amount: Option<Pence>,
    reason: Option<String>,
    mut errors: FieldErrors,
) -> Result<Vec<NewEntry>, AppError> {
    let item = Item::parse(&input.item);
    let Some(item) = item.filter(|i| !matches!(i, Item::Deposit)) else {
        errors.add("item", "Choose what the charge is for");
        return Err(AppError::Invalid(errors));
    };
    let quantity = match input.quantity.trim() {
        "" => 1,
        q => match q.parse::<i64>() {
            Ok(n) if (1..=1_000).contains(&n) => n,
            _ => {
                errors.add("quantity", "Enter how many, a whole number from 1 to 1,000");
                1
            }
        },
    };
    let price = amount.or_else(|| money.prices.price_on(item, today).map(|p| Pence(p.0 * quantity)));
    if price.is_none() {
        errors.add(
            "amount",
            format!(
                "There is no price for {}: enter the amount",
                item.label().to_lowercase()
            ),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let parts = match (account, price) {
        (Some(account), Some(price)) => vec![(account, price)],
        (None, price) => match money.funding.cover_item(price, None, &money.parents, money.fund(0, 0)) {
            Coverage::Charged(parts) => parts,
            Coverage::Free => Vec::new(),
            Coverage::NotFunded(why) => return Err(AppError::Invalid(FieldErrors::single("account", why))),
        },
        (Some(_), None) => Vec::new(),
    };
    if parts.is_empty() {
        return Err(AppError::Invalid(FieldErrors::single(
            "amount",
            "Enter an amount of more than nothing",
        )));
    }
    Ok(parts
        .into_iter()
        .map(|(account, amount)| NewEntry {
            item: Some(item),
            reason: reason.clone(),
            ..NewEntry::of(Entry::Charge { account, amount })
        })
        .collect())
}

// ---- invoices and receipts ------------------------------------------------------------------------

/// Issues an invoice to an account for its charges on the case not yet invoiced (or only `only`).
pub async fn issue_invoice(
    state: &AppState,
    caller: &Caller,
    case: &str,
    account: &str,
    only: &[String],
) -> Result<Invoice, AppError> {
    let people = billing_case(state, caller, case).await?;
    let org = file_org(caller)?;
    let case_id = people.summary.id;
    let money = load_money(state, org, people).await?;
    let account = money
        .account(account)
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("account", "Choose whose account to invoice")))?;
    let settings = state.store.billing_settings(org).await?;
    let now = state.clock.now();
    let due_on = money
        .day(now)
        .checked_add(settings.payment_terms_days.days())
        .map_err(|_| AppError::Internal("due date"))?;
    let bookings: BTreeMap<String, Booking> = state
        .store
        .case_bookings(org, case_id)
        .await?
        .into_iter()
        .map(|b| (b.id.to_string(), b))
        .collect();
    let zone = money.zone.clone();
    let describe = |row: &LedgerRow| {
        let when = row
            .booking_id
            .as_ref()
            .and_then(|b| bookings.get(b))
            .map(|b| {
                format!(
                    ", {}",
                    b.span.start.to_zoned(zone.clone()).strftime("%A %-d %B %Y, %H:%M")
                )
            })
            .unwrap_or_default();
        match (&row.entry, row.item) {
            (Entry::Charge { .. }, Some(item)) => format!("{}{when}", item.label()),
            (Entry::Waiver { .. }, _) => format!("Waived{when}: {}", row.reason.clone().unwrap_or_default()),
            _ => format!("Taken back{when}: {}", row.reason.clone().unwrap_or_default()),
        }
    };
    let only = (!only.is_empty()).then_some(only);
    let issued_to = money.name(&account);
    let scope = caller.scope(now);
    match state
        .store
        .issue_invoice(&scope, org, case_id, &account, only, &issued_to, due_on, describe)
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Conflict(m)),
        Err(e) => Err(e.into()),
        Ok(record) => {
            let rows = state.store.ledger(org, case_id).await?;
            Ok(Invoice::of(record, &rows))
        }
    }
}

/// An invoice and where it stands now: what it billed, what was taken back since, what has been
/// paid against it and the balance due (see `billing::invoice_standing`). The page, the API and the
/// PDF all show this one reading.
#[derive(Debug, Clone)]
pub struct Invoice {
    pub record: InvoiceRecord,
    pub standing: InvoiceStanding,
}

impl Invoice {
    /// `rows` is the case's ledger (or at least the invoice's account's part of it).
    pub fn of(record: InvoiceRecord, rows: &[LedgerRow]) -> Invoice {
        let posted: Vec<Posted> = rows.iter().map(LedgerRow::posted).collect();
        let on: Vec<String> = rows
            .iter()
            .filter(|r| r.invoice_number == Some(record.number))
            .map(|r| r.id.clone())
            .collect();
        Invoice {
            standing: billing::invoice_standing(&posted, &on),
            record,
        }
    }
}

fn with_standing(records: Vec<InvoiceRecord>, rows: &[LedgerRow]) -> Vec<Invoice> {
    records.into_iter().map(|r| Invoice::of(r, rows)).collect()
}

/// An invoice for the people allowed to see it: staff who manage billing at the case's centre, and
/// the parent it is addressed to.
async fn invoice_for(state: &AppState, caller: &Caller, id: &str) -> Result<(Invoice, CaseMoney), AppError> {
    let org = file_org(caller)?;
    let key = parse_id(id, |t| {
        uuid::Uuid::try_parse(t.trim())
            .map(|u| u.to_string())
            .map_err(|_| familytime_domain::ids::InvalidId)
    })?;
    let invoice = found(state, caller, state.store.invoice(org, &key).await, "invoice", &key).await?;
    let people = state.store.case_people(org, invoice.case_id).await?;
    authorize_own_or_staff(state, caller, &people, &invoice.account).await?;
    let rows = state.store.ledger(org, invoice.case_id).await?;
    let money = load_money(state, org, people).await?;
    Ok((Invoice::of(invoice, &rows), money))
}

/// Staff who manage billing reach everything on their centres' cases; a parent reaches only their
/// own account's papers.
async fn authorize_own_or_staff(
    state: &AppState,
    caller: &Caller,
    people: &CasePeople,
    account: &Account,
) -> Result<(), AppError> {
    let org = file_org(caller)?;
    let user = caller.user()?;
    if user.role == familytime_domain::people::Role::Parent {
        let owners: Vec<UserId> = match account {
            Account::Party(id) => people
                .parties
                .iter()
                .filter(|p| p.id.to_string() == *id)
                .filter_map(|p| p.user_id)
                .collect(),
            Account::Funder(_) => Vec::new(),
        };
        authorize(
            state,
            caller,
            Action::ViewOwnAccount,
            Object::OwnedBy {
                organisation: org,
                owners,
            },
        )
        .await?;
    } else {
        let object = Object::Case {
            organisation: org,
            centre: people.summary.centre_id,
            referred_by: people.summary.referrer_user_id,
        };
        authorize(state, caller, Action::ManageBilling, object).await?;
    }
    Ok(())
}

/// An invoice as data; the read is audited like the PDF's download.
pub async fn invoice(state: &AppState, caller: &Caller, id: &str) -> Result<Invoice, AppError> {
    let invoice = invoice_for(state, caller, id).await?.0;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.invoice_read", "invoice", &invoice.record.id),
        )
        .await?;
    Ok(invoice)
}

async fn letterhead(state: &AppState, org: OrganisationId) -> Result<(String, BillingSettings), AppError> {
    let settings = state.store.billing_settings(org).await?;
    let name = if settings.charity_name.trim().is_empty() {
        state.store.organisation(org).await?.name
    } else {
        settings.charity_name.clone()
    };
    Ok((name, settings))
}

fn footer(name: &str, settings: &BillingSettings) -> Option<String> {
    let mut lines = vec![name.to_owned()];
    if !settings.charity_number.trim().is_empty() {
        lines.push(format!("Registered charity number {}", settings.charity_number.trim()));
    }
    if !settings.postal_address.trim().is_empty() {
        lines.push(settings.postal_address.trim().to_owned());
    }
    Some(lines.join("\n"))
}

async fn render(doc: Document) -> Result<Vec<u8>, AppError> {
    // Typesetting is CPU work: it runs off the async threads so other requests keep moving.
    tokio::task::spawn_blocking(move || familytime_reports::render_pdf(&doc))
        .await
        .map_err(|_| AppError::Internal("the invoice renderer stopped"))?
        .map_err(|_| AppError::Internal("the invoice could not be rendered"))
}

/// The invoice as a PDF: the organisation's details, the payer's name (never an address), the
/// lines and the total. The download is audited.
pub async fn invoice_pdf(state: &AppState, caller: &Caller, id: &str) -> Result<(Vec<u8>, String), AppError> {
    let (
        Invoice {
            record: invoice,
            standing,
        },
        money,
    ) = invoice_for(state, caller, id).await?;
    let org = file_org(caller)?;
    let (name, settings) = letterhead(state, org).await?;
    let day = |t: Timestamp| t.to_zoned(money.zone.clone()).strftime("%-d %B %Y").to_string();
    let mut rows: Vec<Vec<String>> = invoice
        .lines
        .iter()
        .map(|(d, a)| vec![d.clone(), a.display()])
        .collect();
    rows.push(vec!["Total".into(), invoice.total.display()]);
    let today = day(state.clock.now());
    let mut summary = vec![vec!["Total billed".to_owned(), standing.billed.display()]];
    if standing.taken_back.0 > 0 {
        summary.push(vec![
            "Taken back since (sessions cancelled, charges waived)".to_owned(),
            format!("-{}", standing.taken_back.display()),
        ]);
    }
    summary.push(vec![
        format!("Paid by {today}"),
        format!("-{}", standing.paid.display()),
    ]);
    summary.push(vec!["Balance due".to_owned(), standing.due.display()]);
    let mut blocks = vec![
        Block::Table {
            header: vec!["Description".into(), "Amount".into()],
            rows,
        },
        Block::Heading("Payments and balance".into()),
        Block::Paragraph(
            "Payments pay the oldest charges first; the balance due is what this invoice's charges still owe.".into(),
        ),
        Block::Table {
            header: vec!["".into(), "Amount".into()],
            rows: summary,
        },
    ];
    if !settings.payment_details.trim().is_empty() {
        blocks.push(Block::Heading("How to pay".into()));
        blocks.push(Block::Paragraph(settings.payment_details.trim().to_owned()));
    }
    blocks.push(Block::Paragraph(format!(
        "Please quote invoice number {} with your payment.",
        invoice.number
    )));
    let doc = Document {
        kind: DocumentKind::Invoice,
        organisation: name.clone(),
        title: format!("Invoice {}", invoice.number),
        reference: Some(invoice.case_reference.clone()),
        meta: vec![
            ("Invoice number".into(), invoice.number.to_string()),
            ("Date".into(), day(invoice.issued_at)),
            ("To".into(), invoice.issued_to.clone()),
            (
                "Payment due by".into(),
                invoice.due_on.strftime("%-d %B %Y").to_string(),
            ),
            (format!("Balance due at {today}"), standing.due.display()),
        ],
        caveat: None,
        blocks,
        footer_note: footer(&name, &settings),
    };
    let bytes = render(doc).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.invoice_download", "invoice", &invoice.id),
        )
        .await?;
    Ok((bytes, format!("invoice-{}.pdf", invoice.number)))
}

/// A receipt for a payment or a deposit, as a PDF. The download is audited.
pub async fn receipt_pdf(
    state: &AppState,
    caller: &Caller,
    case: &str,
    entry: &str,
) -> Result<(Vec<u8>, String), AppError> {
    let case_id = parse_id(case, CaseId::parse)?;
    let org = file_org(caller)?;
    let people = found(
        state,
        caller,
        state.store.case_people(org, case_id).await,
        "case",
        case_id,
    )
    .await?;
    let rows = state.store.ledger(org, case_id).await?;
    let row = rows
        .into_iter()
        .find(|r| r.id == entry.trim() && matches!(r.entry, Entry::Payment { .. } | Entry::DepositHeld { .. }))
        .ok_or(AppError::NotFound)?;
    authorize_own_or_staff(state, caller, &people, row.entry.account()).await?;
    let money = load_money(state, org, people).await?;
    let (name, settings) = letterhead(state, org).await?;
    let what = if matches!(row.entry, Entry::DepositHeld { .. }) {
        "Deposit received"
    } else {
        "Payment received"
    };
    let mut meta = vec![
        (
            "Date".into(),
            row.recorded_at
                .to_zoned(money.zone.clone())
                .strftime("%-d %B %Y")
                .to_string(),
        ),
        ("Received from".into(), row.account_name.clone()),
        ("Amount".into(), row.entry.amount().display()),
        (
            "Paid by".into(),
            row.method.clone().unwrap_or_default().replace('_', " "),
        ),
    ];
    if let Some(reference) = &row.reference {
        meta.push(("Reference".into(), reference.clone()));
    }
    let doc = Document {
        kind: DocumentKind::Invoice,
        organisation: name.clone(),
        title: "Receipt".into(),
        reference: Some(row.case_reference.clone()),
        meta,
        caveat: None,
        blocks: vec![Block::Paragraph(format!("{what} with thanks."))],
        footer_note: footer(&name, &settings),
    };
    let bytes = render(doc).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.receipt_download", "ledger_entry", &row.id),
        )
        .await?;
    Ok((bytes, format!("receipt-{}.pdf", row.recorded_at.strftime("%Y%m%d"))))
}

/// An account's statement on a case as a PDF: every entry with the balance after it, for the staff
/// or for the parent whose account it is. The download is audited.
pub async fn statement_pdf(
    state: &AppState,
    caller: &Caller,
    case: &str,
    account: &str,
) -> Result<(Vec<u8>, String), AppError> {
    let case_id = parse_id(case, CaseId::parse)?;
    let org = file_org(caller)?;
    let people = found(
        state,
        caller,
        state.store.case_people(org, case_id).await,
        "case",
        case_id,
    )
    .await?;
    let money = load_money(state, org, people).await?;
    let account = money.account(account).ok_or(AppError::NotFound)?;
    authorize_own_or_staff(state, caller, &money.people, &account).await?;
    let rows: Vec<LedgerRow> = state
        .store
        .ledger(org, case_id)
        .await?
        .into_iter()
        .filter(|r| *r.entry.account() == account)
        .collect();
    let (name, settings) = letterhead(state, org).await?;
    let day = |t: Timestamp| t.to_zoned(money.zone.clone()).strftime("%-d %b %Y").to_string();
    let mut owed = 0i64;
    let mut held = 0i64;
    let mut table = Vec::new();
    for r in &rows {
        owed += r.entry.owed_change();
        held += r.entry.deposit_change();
        let detail = [
            r.item.map(|i| i.label().to_owned()),
            r.reason.clone(),
            r.reference.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(". ");
        table.push(vec![
            day(r.recorded_at),
            entry_words(&r.entry).to_owned(),
            detail,
            r.entry.amount().display(),
            Pence(owed).display(),
        ]);
    }
    let standing = billing::describe_balance(Pence(owed));
    let mut meta = vec![
        ("For".to_owned(), money.name(&account)),
        ("Date".to_owned(), day(state.clock.now())),
        ("Balance".to_owned(), standing),
    ];
    if held > 0 {
        meta.push(("Deposit held".to_owned(), Pence(held).display()));
    }
    let doc = Document {
        kind: DocumentKind::Invoice,
        organisation: name.clone(),
        title: "Statement".into(),
        reference: Some(money.people.summary.reference.clone()),
        meta,
        caveat: None,
        blocks: vec![Block::Table {
            header: vec![
                "Date".into(),
                "Entry".into(),
                "Detail".into(),
                "Amount".into(),
                "Balance".into(),
            ],
            rows: table,
        }],
        footer_note: footer(&name, &settings),
    };
    let bytes = render(doc).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.statement_download", "case", case_id),
        )
        .await?;
    Ok((bytes, format!("statement-{}.pdf", money.people.summary.reference)))
}

/// An entry's kind in words, for statements and pages.
pub fn entry_words(entry: &Entry) -> &'static str {
    match entry {
        Entry::Charge { .. } => "Charge",
        Entry::Payment { .. } => "Payment",
        Entry::Refund { .. } => "Refund",
        Entry::Waiver { .. } => "Waiver",
        Entry::Credit { .. } => "Taken back",
        Entry::DepositHeld { .. } => "Deposit paid",
        Entry::DepositReturned { .. } => "Deposit returned",
        Entry::DepositForfeited { .. } => "Deposit forfeited",
    }
}

// ---- the organisation's lists and export ----------------------------------------------------------

/// An account that owes money, across the organisation.
pub struct OwedLine {
    pub case_id: CaseId,
    pub case_reference: String,
    pub name: String,
    pub owed: Pence,
    /// The oldest unpaid invoice past its due date, if any.
    pub overdue_since: Option<Date>,
}

async fn organisation_scope(state: &AppState, caller: &Caller) -> Result<OrganisationId, AppError> {
    Ok(money_reader(state, caller).await?.0)
}

/// The organisation and the person reading its money lists, who see only the cases at their centres.
async fn money_reader(state: &AppState, caller: &Caller) -> Result<(OrganisationId, Actor), AppError> {
    let org = file_org(caller)?;
    let actor = authorize(state, caller, Action::ManageBilling, Object::Organisation(org)).await?;
    Ok((org, actor))
}

/// Whether a money list may name a case at `centre` to `actor`: the same rule as the case list and
/// opening the case's money page, decided in the authorisation module.
fn reaches(actor: &Actor, centre: CentreId) -> bool {
    authz::listed(
        actor,
        Action::ManageBilling,
        &Object::Case {
            organisation: actor.organisation_id,
            centre,
            referred_by: None,
        },
    )
}

/// The organisation's ledger, only the cases the reader's case list shows.
async fn ledger_in_reach(state: &AppState, org: OrganisationId, actor: &Actor) -> Result<Vec<LedgerRow>, AppError> {
    Ok(state
        .store
        .organisation_ledger(org)
        .await?
        .into_iter()
        .filter(|r| reaches(actor, r.centre_id))
        .collect())
}

/// Who owes what, largest first, and which invoices are overdue (past their due date with a balance
/// still due). Funders are listed per case. Only the cases at the reader's centres.
pub async fn outstanding(state: &AppState, caller: &Caller) -> Result<Vec<OwedLine>, AppError> {
    let (org, actor) = money_reader(state, caller).await?;
    let rows = ledger_in_reach(state, org, &actor).await?;
    let mut by_case: BTreeMap<CaseId, Vec<LedgerRow>> = BTreeMap::new();
    for r in &rows {
        by_case.entry(r.case_id).or_default().push(r.clone());
    }
    let invoices: Vec<Invoice> = state
        .store
        .invoices(org, None)
        .await?
        .into_iter()
        .filter_map(|i| {
            let case_rows = by_case.get(&i.case_id)?;
            Some(Invoice::of(i, case_rows))
        })
        .collect();
    // Names and money of many families at once: the read is audited like a case file's.
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.outstanding_read", "organisation", org),
        )
        .await?;
    let today = state.clock.now().to_zoned(TimeZone::UTC).date();
    let mut by: BTreeMap<(String, Account), (CaseId, String, String, i64)> = BTreeMap::new();
    for r in &rows {
        let key = (r.case_id.to_string(), r.entry.account().clone());
        let line = by
            .entry(key)
            .or_insert((r.case_id, r.case_reference.clone(), r.account_name.clone(), 0));
        line.3 += r.entry.owed_change();
    }
    let mut lines: Vec<OwedLine> = by
        .into_iter()
        .filter(|(_, v)| v.3 > 0)
        .map(|((case, account), (case_id, reference, name, owed))| OwedLine {
            overdue_since: invoices
                .iter()
                .filter(|i| i.standing.due.0 > 0)
                .map(|i| &i.record)
                .filter(|i| i.case_id.to_string() == case && i.account == account && i.due_on < today)
                .map(|i| i.due_on)
                .min(),
            case_id,
            case_reference: reference,
            name,
            owed: Pence(owed),
        })
        .collect();
    lines.sort_by(|a, b| b.owed.cmp(&a.owed).then(a.case_reference.cmp(&b.case_reference)));
    Ok(lines)
}

/// The organisation's ledger as CSV for its accounts (the cases at the reader's centres). Cells that
/// a spreadsheet would run as a formula are quoted with a leading apostrophe. The export is audited.
pub async fn ledger_csv(state: &AppState, caller: &Caller) -> Result<String, AppError> {
    let (org, actor) = money_reader(state, caller).await?;
    let rows = ledger_in_reach(state, org, &actor).await?;
    let mut out = String::from("date,case,account,entry,item,amount,method,reference,reason,invoice,recorded_by\r\n");
    for r in &rows {
        let cells = [
            r.recorded_at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            r.case_reference.clone(),
            r.account_name.clone(),
            r.kind().to_owned(),
            r.item.map(|i| i.as_str().to_owned()).unwrap_or_default(),
            format!("{}.{:02}", r.entry.amount().0 / 100, r.entry.amount().0 % 100),
            r.method.clone().unwrap_or_default(),
            r.reference.clone().unwrap_or_default(),
            r.reason.clone().unwrap_or_default(),
            r.invoice_number.map(|n| n.to_string()).unwrap_or_default(),
            r.recorded_by_name.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.export", "organisation", org),
        )
        .await?;
    Ok(out)
}

fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

// ---- prices, the policy and the organisation's details --------------------------------------------

async fn centre_for(state: &AppState, caller: &Caller, id: &str, action: Action) -> Result<CentreId, AppError> {
    let centre = parse_id(id, CentreId::parse)?;
    let org = file_org(caller)?;
    found(state, caller, state.store.centre(org, centre).await, "centre", centre).await?;
    authorize(
        state,
        caller,
        action,
        Object::Centre {
            organisation: org,
            centre,
        },
    )
    .await?;
    Ok(centre)
}

/// A centre's prices and cancellation policy.
pub struct CentreMoney {
    pub centre: familytime_store::tenancy::Centre,
    pub prices: Vec<StoredPrice>,
    pub policy: CancellationPolicy,
    /// The policy's version, sent back when changing it.
    pub policy_version: i64,
}

pub async fn centre_money(state: &AppState, caller: &Caller, id: &str) -> Result<CentreMoney, AppError> {
    let centre = centre_for(state, caller, id, Action::SetPrices).await?;
    let org = file_org(caller)?;
    Ok(CentreMoney {
        centre: state.store.centre(org, centre).await?,
        prices: state.store.prices(org, centre).await?,
        policy: state.store.cancellation_policy(org, centre).await?,
        policy_version: state
            .store
            .list_version(
                org,
                familytime_store::versions::ListKind::CancellationPolicy,
                &centre.to_string(),
            )
            .await?,
    })
}

/// A price as the form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct PriceInput {
    pub item: String,
    pub amount: String,
    pub applies_from: String,
}

/// Adds a price from a date; a price already charged or invoiced never changes, because charges
/// keep their own amounts.
pub async fn add_price(state: &AppState, caller: &Caller, id: &str, input: &PriceInput) -> Result<(), AppError> {
    let centre = centre_for(state, caller, id, Action::SetPrices).await?;
    let mut errors = FieldErrors::new();
    let item = Item::parse(&input.item);
    if item.is_none() {
        errors.add("item", "Choose what the price is for");
    }
    let amount = errors.take("amount", Pence::parse_pounds(&input.amount));
    let from: Option<Date> = errors.take(
        "applies_from",
        familytime_domain::dates::parse_date(&input.applies_from),
    );
    let (Some(item), Some(amount), Some(from)) = (item, amount, from) else {
        return Err(AppError::Invalid(errors));
    };
    let scope = caller.scope(state.clock.now());
    match state
        .store
        .add_price(&scope, file_org(caller)?, centre, &Price { item, amount, from })
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => {
            Err(AppError::Invalid(FieldErrors::single("applies_from", m)))
        }
        other => Ok(other.map(|_| ())?),
    }
}

/// One tier of the policy as the form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct TierInput {
    pub under_hours: String,
    pub canceller: String,
    /// "session_fee" or "deposit".
    pub forfeit: String,
    /// For a session fee: the share forfeited, in per cent.
    pub percent: String,
}

/// Reads a policy's tiers, each checked; the field names carry the tier's position.
pub fn parse_tiers(inputs: &[TierInput]) -> Result<CancellationPolicy, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut tiers = Vec::new();
    if inputs.len() > 20 {
        errors.add("tiers", "A policy has at most 20 tiers");
    }
    for t in inputs {
        let hours = match t.under_hours.trim().parse::<i64>() {
            Ok(h) if (1..=720).contains(&h) => Some(h),
            _ => {
                errors.add("under_hours", "Enter the notice in whole hours, from 1 to 720");
                None
            }
        };
        let by = match t.canceller.trim() {
            "resident" => Some(Canceller::Resident),
            "visiting" => Some(Canceller::Visiting),
            _ => {
                errors.add("canceller", "Choose which parent the tier is for");
                None
            }
        };
        let forfeit = match t.forfeit.trim() {
            "deposit" => Some(Forfeit::Deposit),
            "session_fee" => match t.percent.trim().trim_end_matches('%').parse::<i64>() {
                Ok(p) if (1..=100).contains(&p) => Some(Forfeit::SessionFee { basis_points: p * 100 }),
                _ => {
                    errors.add("percent", "Enter the share of the fee forfeited, 1 to 100 per cent");
                    None
                }
            },
            _ => {
                errors.add("forfeit", "Choose what is forfeited");
                None
            }
        };
        if let (Some(under_hours), Some(by), Some(forfeit)) = (hours, by, forfeit) {
            tiers.push(Tier {
                under_hours,
                by,
                forfeit,
            });
        }
    }
    if errors.is_empty() {
        Ok(CancellationPolicy::new(tiers))
    } else {
        Err(errors)
    }
}

pub async fn set_policy(
    state: &AppState,
    caller: &Caller,
    id: &str,
    tiers: &[TierInput],
    version: i64,
) -> Result<(), AppError> {
    let centre = centre_for(state, caller, id, Action::SetPrices).await?;
    let policy = parse_tiers(tiers).map_err(AppError::Invalid)?;
    let scope = caller.scope(state.clock.now());
    Ok(state
        .store
        .set_cancellation_policy(&scope, file_org(caller)?, centre, &policy, version)
        .await?)
}

pub async fn settings(state: &AppState, caller: &Caller) -> Result<BillingSettings, AppError> {
    let org = file_org(caller)?;
    authorize(state, caller, Action::SetPrices, Object::Organisation(org)).await?;
    Ok(state.store.billing_settings(org).await?)
}

pub async fn save_settings(state: &AppState, caller: &Caller, input: &BillingSettings) -> Result<(), AppError> {
    let org = file_org(caller)?;
    authorize(state, caller, Action::SetPrices, Object::Organisation(org)).await?;
    let mut errors = FieldErrors::new();
    for (field, value, max) in [
        ("charity_name", &input.charity_name, 200),
        ("charity_number", &input.charity_number, 40),
        ("postal_address", &input.postal_address, 500),
        ("payment_details", &input.payment_details, 1_000),
    ] {
        if value.chars().count() > max {
            errors.add(field, format!("Keep this to {max} characters or fewer"));
        }
    }
    if !(0..=365).contains(&input.payment_terms_days) {
        errors.add("payment_terms_days", "Enter the days to pay, 0 to 365");
    }
    if input.release_unpaid_hours.is_some_and(|h| !(1..=2160).contains(&h)) {
        errors.add(
            "release_unpaid_hours",
            "Enter the hours after which unpaid bookings are released, 1 to 2,160, or leave it empty",
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let clean = BillingSettings {
        charity_name: input.charity_name.trim().to_owned(),
        charity_number: input.charity_number.trim().to_owned(),
        postal_address: input.postal_address.trim().to_owned(),
        payment_details: input.payment_details.trim().to_owned(),
        ..input.clone()
    };
    Ok(state
        .store
        .save_billing_settings(&caller.scope(state.clock.now()), org, &clean)
        .await?)
}

// ---- a parent's own account -----------------------------------------------------------------------

/// One of a parent's places on a case, with only their own bookings, times and money.
pub struct OwnCase {
    pub case_reference: String,
    pub centre_name: String,
    pub zone: TimeZone,
    /// Their bookings and the times *they* arrive and leave.
    pub bookings: Vec<(Booking, BookedParty)>,
    pub rows: Vec<LedgerRow>,
    pub owed: Pence,
    pub deposit_held: Pence,
    pub invoices: Vec<Invoice>,
    pub case_id: CaseId,
    /// Their account on the case ("party:ID"), for their statement.
    pub account: String,
}

/// A parent's own account. Nothing about the other party: their bookings are read by the parent's
/// own party, their money and invoices by their own account. The read is audited.
pub async fn own_account(state: &AppState, caller: &Caller) -> Result<Vec<OwnCase>, AppError> {
    let org = file_org(caller)?;
    let user = caller.user()?.id;
    authorize(
        state,
        caller,
        Action::ViewOwnAccount,
        Object::OwnedBy {
            organisation: org,
            owners: vec![user],
        },
    )
    .await?;
    let mut out = Vec::new();
    for (party, case) in state.store.parties_of_user(org, user).await? {
        let people = state.store.case_people(org, case).await?;
        let centre = state.store.centre(org, people.summary.centre_id).await?;
        let zone = TimeZone::get(&centre.time_zone).unwrap_or(TimeZone::UTC);
        let own = Account::Party(party.clone());
        let rows: Vec<LedgerRow> = state
            .store
            .ledger(org, case)
            .await?
            .into_iter()
            .filter(|r| *r.entry.account() == own)
            .collect();
        let entries: Vec<Entry> = rows.iter().map(|r| r.entry.clone()).collect();
        let balance = billing::balances(&entries).get(&own).copied().unwrap_or_default();
        let mut bookings: Vec<(Booking, BookedParty)> = state
            .store
            .party_bookings(org, &party)
            .await?
            .into_iter()
            .filter(|(b, _)| b.status != BookingStatus::Cancelled || b.span.start > state.clock.now())
            .collect();
        bookings.sort_by_key(|(b, _)| b.span.start);
        out.push(OwnCase {
            case_reference: people.summary.reference.clone(),
            centre_name: centre.name,
            zone,
            bookings,
            owed: balance.owed,
            deposit_held: balance.deposit_held,
            invoices: with_standing(
                state
                    .store
                    .invoices(org, Some(case))
                    .await?
                    .into_iter()
                    .filter(|i| i.account == own)
                    .collect(),
                &rows,
            ),
            rows,
            case_id: case,
            account: account_key(&own),
        });
    }
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.own_account", "user", user),
        )
        .await?;
    Ok(out)
}

// ---- releasing unpaid bookings --------------------------------------------------------------------

/// Releases provisional bookings still unpaid after the organisation's set time: each is cancelled
/// by the centre ("Not paid in time"), so it forfeits nothing and its charges are taken back, and
/// its room, staff and people are free again. Returns how many were released. Run by the server
/// every few minutes for every organisation, and on demand through the API.
pub async fn release_unpaid(
    state: &AppState,
    org: OrganisationId,
    scope: &familytime_store::AuditScope,
    asked_by: Option<&Actor>,
) -> Result<usize, AppError> {
    let Some(hours) = state.store.billing_settings(org).await?.release_unpaid_hours else {
        return Ok(0);
    };
    let before = scope.at - jiff::SignedDuration::from_hours(hours);
    let mut released = 0;
    let mut cases: BTreeMap<CaseId, CaseMoney> = BTreeMap::new();
    for booking in state.store.provisional_made_before(org, before).await? {
        let Some(case) = booking.case_id else { continue };
        // A person's "release now" reaches only the cases at their centres; the server's sweep, all.
        if asked_by.is_some_and(|actor| !reaches(actor, booking.centre_id)) {
            continue;
        }
        let money = match cases.entry(case) {
            std::collections::btree_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::btree_map::Entry::Vacant(slot) => {
                let people = state.store.case_people(org, case).await?;
                slot.insert(load_money(state, org, people).await?)
            }
        };
        let money = &*money;
        let answer = state
            .store
            .cancel_booking(
                scope,
                org,
                booking.id,
                booking.version,
                "Not paid in time",
                "centre",
                |ledger, current| {
                    let posted: Vec<Posted> = ledger.iter().map(LedgerRow::posted).collect();
                    if !money.waits_on_money(&posted, current) || money.owing(&posted, current).is_settled() {
                        return Err("paid, or not waiting on money".into());
                    }
                    let policy = CancellationPolicy::default();
                    let outcome = plan_cancellation(money, &policy, ledger, current, Canceller::Centre, scope.at);
                    let mut write = cancellation_write(&outcome, ledger, current.id, false, "");
                    write
                        .audit
                        .push(AuditEvent::ok("billing.release_unpaid", "booking", current.id));
                    Ok(write)
                },
            )
            .await;
        match answer {
            Ok(Ok(())) => released += 1,
            // Paid meanwhile, changed by someone, or not waiting on money: left as it is.
            Ok(Err(_)) | Err(familytime_store::StoreError::Stale | familytime_store::StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(released)
}

/// The API's "release now": the same sweep for the caller's organisation, under their name.
pub async fn release_unpaid_now(state: &AppState, caller: &Caller) -> Result<usize, AppError> {
    let (org, actor) = money_reader(state, caller).await?;
    release_unpaid(state, org, &caller.scope(state.clock.now()), Some(&actor)).await
}

/// Runs the release sweep for every organisation every ten minutes, for as long as the server runs.
pub async fn release_unpaid_forever(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        let Ok(organisations) = state.store.organisations().await else {
            continue;
        };
        for org in organisations {
            let scope = familytime_store::AuditScope {
                at: state.clock.now(),
                request_id: "release-unpaid".into(),
                actor_user_id: None,
                organisation_id: Some(org.id),
            };
            if let Err(e) = release_unpaid(&state, org.id, &scope, None).await {
                tracing::warn!(error = e.message(), "releasing unpaid bookings failed");
            }
        }
    }
}

// ---- the public prices page -----------------------------------------------------------------------

/// One centre's prices today and its cancellation policy, for the public prices page.
pub struct PublicPrices {
    pub centre_name: String,
    pub prices: Vec<(Item, Pence)>,
    pub policy: CancellationPolicy,
}

/// Every centre that has set prices, with the prices that apply today: public information, shown
/// to anyone.
pub async fn public_prices(state: &AppState) -> Result<Vec<PublicPrices>, AppError> {
    let today = state.clock.now().to_zoned(TimeZone::UTC).date();
    let mut out = Vec::new();
    for org in state.store.organisations().await? {
        for centre in state.store.centres(org.id).await? {
            let list = state.store.price_list(org.id, centre.id).await?;
            let prices: Vec<(Item, Pence)> = Item::ALL
                .iter()
                .filter_map(|item| list.price_on(*item, today).map(|p| (*item, p)))
                .filter(|(_, p)| p.0 > 0)
                .collect();
            if prices.is_empty() {
                continue;
            }
            out.push(PublicPrices {
                centre_name: centre.name,
                prices,
                policy: state.store.cancellation_policy(org.id, centre.id).await?,
            });
        }
    }
    Ok(out)
}

// ---- the bursary fund -----------------------------------------------------------------------------

/// The bursary fund: what is left, and the grants it received.
pub struct Bursary {
    pub left: Pence,
    pub grants: Vec<(Pence, String, Date, Timestamp)>,
}

pub async fn bursary(state: &AppState, caller: &Caller) -> Result<Bursary, AppError> {
    let org = organisation_scope(state, caller).await?;
    Ok(Bursary {
        left: state.store.bursary_left(org).await?,
        grants: state.store.bursary_grants(org).await?,
    })
}

/// Records money given to the bursary fund (a grant, a donation).
pub async fn add_bursary_grant(
    state: &AppState,
    caller: &Caller,
    amount: &str,
    source: &str,
    received_on: &str,
) -> Result<(), AppError> {
    let org = organisation_scope(state, caller).await?;
    let mut errors = FieldErrors::new();
    let amount = errors.take("grant_amount", Pence::parse_pounds(amount));
    let source = source.trim();
    if source.is_empty() || source.chars().count() > 200 {
        errors.add(
            "grant_source",
            "Say where the money came from, in 200 characters or fewer",
        );
    }
    let on: Option<Date> = errors.take("grant_received_on", familytime_domain::dates::parse_date(received_on));
    let (Some(amount), Some(on)) = (amount.filter(|a| a.0 > 0), on) else {
        if errors.is_empty() {
            errors.add("grant_amount", "Enter an amount of more than nothing");
        }
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(state
        .store
        .add_bursary_grant(&caller.scope(state.clock.now()), org, amount, source, on)
        .await?)
}
