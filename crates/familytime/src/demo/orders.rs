//! The demo's court order patterns (issue 19 item 5, decision 0046): the Prices' order asks for a
//! session every week for the four weeks their series runs, so they are booked as ordered; another
//! family's order asks for every week with no end, and their series of four runs out, so they are
//! under their order in the weeks after it (they show on the coordinator's list).

use anyhow::Result;
use familytime_domain::Timestamp;
use familytime_domain::ids::{OrganisationId, UserId};
use familytime_domain::orders::{PatternInput, weekday_code};
use familytime_domain::referrals::CaseStatus;
use familytime_store::{AuditScope, Store};

/// The family booked as their order asks.
pub const AS_ORDERED: &str = super::rules::STEPPED_DOWN;

pub(super) async fn seed_patterns(
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
    let until = now
        .checked_add(jiff::SignedDuration::from_hours(24 * 7 * 12))
        .unwrap_or(now);
    let mut under_given = false;
    for case in store.cases(org, None, None).await? {
        if !matches!(
            case.status,
            CaseStatus::Accepted | CaseStatus::Active | CaseStatus::UnderReview
        ) {
            continue;
        }
        let as_ordered = case.children.iter().any(|c| c == AS_ORDERED);
        if !as_ordered && under_given {
            continue;
        }
        let Some((order, _, _)) = store.case_orders(org, case.id).await?.into_iter().next() else {
            continue;
        };
        // From the Monday of this week, as the comparison's first period reads: a session earlier
        // this week (the register's, yesterday) is one the order counts too.
        let today = now.to_zoned(zone.clone()).date();
        let monday = today
            .checked_sub(jiff::Span::new().days(i64::from(today.weekday().to_monday_zero_offset())))
            .unwrap_or(today);
        let week_start = monday.to_zoned(zone.clone()).map_or(now, |z| z.timestamp());
        let sessions = store
            .counted_sessions(org, &[case.id.to_string()], week_start, until)
            .await?;
        let mut days: Vec<jiff::civil::Date> = sessions
            .iter()
            .map(|(_, at)| at.to_zoned(zone.clone()).date())
            .collect();
        days.sort();
        let (Some(first), Some(last)) = (days.first(), days.last()) else {
            continue;
        };
        let input = PatternInput {
            every: "weeks".into(),
            interval: Some(1),
            weekdays: vec![weekday_code(first.weekday()).to_owned()],
            minutes: Some(120),
            from: first.to_string(),
            // The Prices' order runs as long as their series; the other's has no end.
            until: if as_ordered { last.to_string() } else { String::new() },
        };
        let pattern = input
            .parse()
            .map_err(|e| anyhow::anyhow!("demo pattern: {:?}", e.messages()))?;
        store
            .save_order_pattern(scope, org, case.id, &order, &pattern, 0)
            .await?;
        under_given |= !as_ordered;
    }
    Ok(())
}
