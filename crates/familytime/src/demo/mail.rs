//! The demo's e-mail (issue 17): a session for the family whose parents have accounts, on the first
//! day from tomorrow the centre takes it, confirmed, so its confirmations and the reminders before
//! it wait in the outbox (the demo never sends mail).

use super::people::demo_admin;
use anyhow::Result;
use familytime_domain::Timestamp;
use familytime_domain::ids::OrganisationId;
use familytime_store::Store;
use jiff::ToSpan;

pub(super) async fn seed_reminders(store: &Store, org: OrganisationId, now: Timestamp) -> Result<()> {
    let (state, caller) = demo_admin(store).await?;
    let profiles = store.staff_profiles(org).await?;
    let today = now.to_zoned(jiff::tz::TimeZone::get("Europe/London")?).date();
    for case in store.cases(org, None, None).await? {
        let targets = store.mail_targets(org, &case.id.to_string()).await?;
        if targets.iter().all(|t| t.address.is_none()) {
            continue;
        }
        let rules = store.case_rules(org, case.id).await?;
        let staff: Vec<String> = profiles
            .iter()
            .filter(|s| s.qualified_supervised && s.works_at(case.centre_id))
            .map(|s| s.user_id.to_string())
            .collect();
        for ahead in 1..=14i64 {
            let day = today.checked_add(ahead.days())?;
            let service = familytime_domain::booking_rules::service_on(&rules, day)
                .unwrap_or(familytime_domain::referrals::Service::Supervised);
            let room_kind = if service == familytime_domain::referrals::Service::Supported {
                familytime_domain::tenancy::RoomKind::Hall
            } else {
                familytime_domain::tenancy::RoomKind::FamilyRoom
            };
            let Some(room) = store
                .rooms(org, case.centre_id)
                .await?
                .into_iter()
                .find(|r| r.kind == room_kind && r.active)
            else {
                break;
            };
            let input = familytime_app::schedule::BookingInput {
                kind: service.as_str().into(),
                date: day.to_string(),
                time: "15:30".into(),
                minutes: "60".into(),
                repeat: "weekly".into(),
                count: "1".into(),
                room_id: room.id.to_string(),
                staff: staff.first().cloned().into_iter().collect(),
                ..Default::default()
            };
            let Ok(familytime_app::schedule::BookingOutcome::Booked(booked, _)) =
                familytime_app::schedule::book(&state, &caller, &case.id.to_string(), &input).await
            else {
                continue;
            };
            let Some(booking) = booked.first() else { continue };
            // Confirmed as if paid: the demo's money is not the point here.
            let messages = familytime_app::mail::compose::booking_messages(
                &state,
                org,
                booking,
                familytime_domain::mail::MailKind::BookingConfirmed,
                booking.sequence + 1,
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo mail: {}", e.message()))?;
            store
                .set_booking_status(
                    &caller.scope(now),
                    org,
                    booking.id,
                    familytime_store::schedule::BookingStatus::Confirmed,
                    booking.version,
                    Some("Paid"),
                    None,
                    &messages,
                )
                .await?;
            familytime_app::mail::reminders::enqueue_due(&state)
                .await
                .map_err(|e| anyhow::anyhow!("demo reminders: {}", e.message()))?;
            return Ok(());
        }
    }
    Ok(())
}
