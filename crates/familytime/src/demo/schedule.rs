//! The demo's month: opening hours at both centres, qualified supervisors, and a weekly series for
//! every family with sessions.

use super::people::demo_admin;
use anyhow::Result;
use familytime_domain::Timestamp;
use familytime_store::{AuditScope, Store};

/// A realistic month at both centres: weekday and alternate-Saturday opening, Christmas closed,
/// supervisors qualified, and a weekly series of four sessions for every accepted or active family,
/// of the kind its service says, booked through the same use case as the pages (so every rule and
/// claim applies: the family still waiting for a pre-visit is refused).
pub(super) async fn seed_schedule(
    store: &Store,
    scope: &AuditScope,
    org: familytime_domain::ids::OrganisationId,
    centres: [familytime_domain::ids::CentreId; 2],
    now: Timestamp,
) -> Result<()> {
    use familytime_domain::schedule::{Closure, OpeningRule, WeekRepeat};
    use jiff::ToSpan;
    use jiff::civil::{Time, Weekday};
    let today = now.to_zoned(jiff::tz::TimeZone::get("Europe/London")?).date();
    for centre in centres {
        for weekday in [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ] {
            let rule = OpeningRule {
                weekday,
                opens: Time::constant(9, 0, 0, 0),
                closes: Time::constant(17, 0, 0, 0),
                repeat: WeekRepeat::Every,
            };
            store.add_opening(scope, org, centre, &rule).await?;
        }
        for (opens, closes) in [(10, 13), (14, 17)] {
            let rule = OpeningRule {
                weekday: Weekday::Saturday,
                opens: Time::constant(opens, 0, 0, 0),
                closes: Time::constant(closes, 0, 0, 0),
                repeat: WeekRepeat::Alternate { from: today },
            };
            store.add_opening(scope, org, centre, &rule).await?;
        }
        let christmas = Closure {
            first_day: jiff::civil::date(today.year(), 12, 24),
            last_day: jiff::civil::date(today.year(), 12, 27),
            reason: "Christmas".into(),
        };
        store.add_closure(scope, org, centre, &christmas).await?;
    }
    let staff = store.staff_profiles(org).await?;
    for person in &staff {
        let qualified = person.role == "supervisor" || person.role == "coordinator";
        store
            .save_staff_profile(
                scope,
                org,
                person.user_id,
                qualified,
                if qualified { "Supervised contact (Level 3)" } else { "" },
                Some(today.checked_sub(200.days())?),
                &[],
                person.version,
            )
            .await?;
    }
    // The administrator books the month (the coordinator works at one centre only).
    let (state, caller) = demo_admin(store).await?;
    let cases = store.cases(org, None, None).await?;
    let profiles = store.staff_profiles(org).await?;
    let mut monday = today.checked_add(1.days())?;
    while monday.weekday() != Weekday::Monday {
        monday = monday.checked_add(1.days())?;
    }
    let mut firsts = Vec::new();
    for (n, case) in (0i64..).zip(cases.iter().filter(|c| {
        matches!(
            c.status,
            familytime_domain::referrals::CaseStatus::Accepted
                | familytime_domain::referrals::CaseStatus::Active
                | familytime_domain::referrals::CaseStatus::UnderReview
        )
    })) {
        // The kind the case's service says for the first week (the Prices were stepped down to
        // supported contact, in the hall).
        let rules = store.case_rules(org, case.id).await?;
        let service = familytime_domain::booking_rules::service_on(&rules, monday)
            .unwrap_or(familytime_domain::referrals::Service::Supervised);
        let room_kind = if service == familytime_domain::referrals::Service::Supported {
            familytime_domain::tenancy::RoomKind::Hall
        } else {
            familytime_domain::tenancy::RoomKind::FamilyRoom
        };
        let rooms: Vec<String> = store
            .rooms(org, case.centre_id)
            .await?
            .into_iter()
            .filter(|r| r.kind == room_kind)
            .map(|r| r.id.to_string())
            .collect();
        let qualified: Vec<String> = profiles
            .iter()
            .filter(|s| s.qualified_supervised && s.works_at(case.centre_id))
            .map(|s| s.user_id.to_string())
            .collect();
        for attempt in 0..6i64 {
            let slot = n + attempt;
            let day = monday.checked_add((slot % 5).days())?;
            let time = ["10:00", "13:30"][(slot / 5 % 2) as usize];
            let input = familytime_app::schedule::BookingInput {
                kind: service.as_str().into(),
                date: day.to_string(),
                time: time.into(),
                minutes: "120".into(),
                repeat: "weekly".into(),
                count: "4".into(),
                until: String::new(),
                room_id: rooms
                    .get((slot as usize) % rooms.len().max(1))
                    .cloned()
                    .unwrap_or_default(),
                staff: vec![
                    qualified
                        .get((slot as usize) % qualified.len().max(1))
                        .cloned()
                        .unwrap_or_default(),
                ],
                party_id: String::new(),
                resident_stays: false,
            };
            if let Ok(familytime_app::schedule::BookingOutcome::Booked(booked, _)) =
                familytime_app::schedule::book(&state, &caller, &case.id.to_string(), &input).await
            {
                firsts.extend(booked.into_iter().next());
                break;
            }
        }
    }
    book_an_interpreter(store, &state, &caller, org, &firsts).await
}

/// The organisation's interpreter, booked for the first session of the father who needs one: the
/// day sheet and his booking show his need and who is booked (decision 0047).
async fn book_an_interpreter(
    store: &Store,
    state: &familytime_app::AppState,
    caller: &familytime_app::context::Caller,
    org: familytime_domain::ids::OrganisationId,
    firsts: &[familytime_store::schedule::Booking],
) -> Result<()> {
    let meera = familytime_app::interpreters::add(state, caller, "Meera Shah", "Gujarati, Hindi")
        .await
        .map_err(|e| anyhow::anyhow!("adding the demo's interpreter: {e}"))?;
    for first in firsts {
        let parties = store.booked_parties(org, &[first.id]).await?;
        if let Some(party) = parties.iter().find(|p| p.needs_interpreter) {
            let input = familytime_app::interpreters::InterpreterInput {
                party: party.party_id.clone(),
                interpreter: meera.id.clone(),
                version: first.version,
            };
            familytime_app::interpreters::set_for_booking(state, caller, &first.id.to_string(), &input)
                .await
                .map_err(|e| anyhow::anyhow!("booking the demo's interpreter: {e}"))?;
            break;
        }
    }
    Ok(())
}
