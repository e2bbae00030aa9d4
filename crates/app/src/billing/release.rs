//! Releasing provisional bookings still unpaid after the organisation's set time: the server's sweep
//! and the API's "release now".

use super::access::{money_reader, reaches};
use super::cancellation::{cancellation_write, plan_cancellation};
use super::case_money::{CaseMoney, load_money};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::Actor;
use familytime_domain::billing::{CancellationPolicy, Canceller, Posted};
use familytime_domain::ids::{CaseId, OrganisationId};
use familytime_store::AuditEvent;
use familytime_store::billing::LedgerRow;
use std::collections::BTreeMap;

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
                // Never confirmed, so nobody was told of it by e-mail.
                &[],
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
