//! Cancelling a booking: what it would forfeit, shown before it is confirmed, then recorded (or
//! waived, with a reason); and setting a centre's cancellation policy.

use super::access::centre_for;
use super::case_money::{CaseMoney, load_money};
use crate::case_files::{centre_zone, file_org};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::Action;
use familytime_domain::billing::{
    self, Account, BookedCharge, CancellationOutcome, CancellationPolicy, Canceller, Entry, Forfeit, Item, Parents,
    Pence, Posted, Tier,
};
use familytime_domain::ids::BookingId;
use familytime_domain::text::FieldErrors;
use familytime_store::AuditEvent;
use familytime_store::billing::{LedgerRow, LedgerWrite, NewEntry};
use familytime_store::schedule::Booking;
use jiff::tz::TimeZone;

/// What cancelling would do, for the coordinator to see before confirming it.
pub struct CancellationPreview {
    pub booking: Booking,
    pub outcome: CancellationOutcome,
    /// One line, e.g. "47 hours' notice: Sam Jones forfeits £147.00 (the session fee)".
    pub description: String,
    pub zone: TimeZone,
}

pub(super) fn plan_cancellation(
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
    let booking = crate::case_files::booking_for(state, caller, id, Action::ManageSchedule).await?;
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
    // The adults told of a confirmed session are told it is cancelled (a provisional one was never
    // sent to them), with the calendar's cancellation at the SEQUENCE the change gives it.
    let messages = if booking.status == familytime_store::schedule::BookingStatus::Confirmed {
        crate::mail::compose::booking_messages(
            state,
            org,
            &booking,
            familytime_domain::mail::MailKind::BookingCancelled,
            booking.sequence + 1,
        )
        .await?
    } else {
        Vec::new()
    };
    let answer = state
        .store
        .cancel_booking(
            &scope,
            org,
            booking.id,
            input.version,
            reason,
            input.cancelled_by.trim(),
            &messages,
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
pub(super) fn cancellation_write(
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
        messages: Vec::new(),
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
