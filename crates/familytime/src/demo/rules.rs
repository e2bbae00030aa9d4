//! The demo's facts the booking rules decide from (issue 19): every accepted family's adults have
//! had their pre-visits and agreed the rules, except the Clarkes, whose visiting parent has not been
//! yet (so their contact is refused, saying so); and the Prices were stepped down at a review from
//! supervised to supported contact from today.

use anyhow::Result;
use familytime_domain::Timestamp;
use familytime_domain::booking_rules::ServiceChange;
use familytime_domain::ids::{OrganisationId, UserId};
use familytime_domain::intake::PartyRole;
use familytime_domain::referrals::{CaseStatus, Service};
use familytime_domain::reviews::{Review, ReviewOutcome};
use familytime_store::{AuditScope, Store};

/// The family still waiting for the visiting parent's pre-visit.
pub const WAITING_FOR_PRE_VISIT: &str = "Poppy Clarke";
/// The family stepped down from supervised to supported contact.
pub const STEPPED_DOWN: &str = "Mia Price";

/// Pre-visits and reviews are recorded by a person: the coordinator.
pub(super) async fn seed_rules(
    store: &Store,
    scope: &AuditScope,
    org: OrganisationId,
    coordinator: Option<UserId>,
    now: Timestamp,
) -> Result<()> {
    let scope = &AuditScope {
        actor_user_id: coordinator,
        ..scope.clone()
    };
    let zone = jiff::tz::TimeZone::get("Europe/London")?;
    let today = now.to_zoned(zone).date();
    let days_ago = |days: i64| {
        now.checked_sub(jiff::SignedDuration::from_hours(24 * days))
            .unwrap_or(now)
    };
    for case in store.cases(org, None, None).await? {
        if !matches!(
            case.status,
            CaseStatus::Accepted | CaseStatus::Active | CaseStatus::UnderReview
        ) {
            continue;
        }
        let people = store.case_people(org, case.id).await?;
        let waiting = case.children.iter().any(|c| c == WAITING_FOR_PRE_VISIT);
        for party in &people.parties {
            let when = match party.role {
                PartyRole::Resident => days_ago(21),
                PartyRole::Visiting if !waiting => days_ago(20),
                _ => continue,
            };
            let visit_scope = AuditScope {
                at: when,
                ..scope.clone()
            };
            store
                .seed_pre_visit(&visit_scope, org, case.id, party.id, when, true)
                .await?;
        }
        if case.children.iter().any(|c| c == STEPPED_DOWN) {
            let review = Review {
                held_on: today,
                attendees: "Both parents (separately), the coordinator".into(),
                resident_view: "Contact has gone well; happy for it to be less formal.".into(),
                visiting_view: "Would like more relaxed sessions.".into(),
                child_view: Some("Enjoys the visits.".into()),
                outcome: ReviewOutcome::StepDownSupported,
                risk_notes: "No concerns at twelve supervised sessions.".into(),
            };
            let change = ServiceChange {
                service: Service::Supported,
                from: today,
            };
            store.record_review(scope, org, case.id, &review, Some(change)).await?;
        }
    }
    Ok(())
}
