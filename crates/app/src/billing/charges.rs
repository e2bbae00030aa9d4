//! Charges written with each booking (what a session costs and who pays, counting a funder's
//! allowance), and the confirmation rule: a booking is confirmed only when it is paid or funded.

use super::case_money::{load_money, load_money_in};
use super::funding::funded_use;
use crate::{AppError, AppState};
use familytime_domain::Timestamp;
use familytime_domain::billing::{Account, Coverage, Entry, Item, Pence, Posted};
use familytime_domain::ids::OrganisationId;
use familytime_domain::schedule::BookingKind;
use familytime_domain::text::FieldErrors;
use familytime_store::billing::{LedgerRow, NewEntry};
use familytime_store::planning::Charging;
use familytime_store::referrals::CasePeople;
use familytime_store::schedule::{Booking, NewBooking};
use jiff::tz::TimeZone;

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
