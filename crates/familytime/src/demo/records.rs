//! One case's last two sessions as they were run: the register, observation records, a report and a
//! safeguarding concern; and another family's last weekday session, run but not yet written up.

use anyhow::Result;
use familytime_domain::Timestamp;
use familytime_store::Store;

/// A case's last two sessions as they were run: the register, signed observation records (one with
/// an addendum), a summary report checked by a second person and released to the Cafcass officer,
/// and an open safeguarding concern raised by the volunteer. Everything goes through the same use
/// cases as the pages; the sessions are booked by a clock set ten days back, as they were.
pub(super) async fn seed_records(
    store: &Store,
    org: familytime_domain::ids::OrganisationId,
    centre: familytime_domain::ids::CentreId,
    cafcass: Option<familytime_domain::ids::UserId>,
    now: Timestamp,
) -> Result<()> {
    use familytime_app::clock::{ShiftedClock, SystemClock};
    use familytime_app::{incidents, records, reports, schedule};
    use jiff::ToSpan;
    let state_with = |clock: std::sync::Arc<dyn familytime_app::clock::Clock>| {
        familytime_app::AppState::new(store.clone(), clock, familytime_app::Config::default())
            .map_err(|e| anyhow::anyhow!(e.message()))
    };
    let back = ShiftedClock::default();
    back.advance(jiff::SignedDuration::from_hours(-24 * 10));
    let then = state_with(std::sync::Arc::new(back))?;
    let state = state_with(std::sync::Arc::new(SystemClock))?;
    let mut callers = std::collections::HashMap::new();
    for email in [
        "admin@riverside.example",
        "coordinator@riverside.example",
        "supervisor@riverside.example",
        "volunteer@riverside.example",
    ] {
        let user = store
            .user_by_email(&familytime_domain::people::Email::parse(email).map_err(|e| anyhow::anyhow!(e))?)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo account {email}"))?;
        callers.insert(
            email,
            familytime_app::context::Caller {
                user: Some(user),
                credential: familytime_app::context::Credential::Anonymous,
                request_id: "demo-seed".into(),
                client_addr: "127.0.0.1".into(),
                asked: Default::default(),
            },
        );
    }
    let who = |email: &str| {
        callers
            .get(email)
            .ok_or_else(|| anyhow::anyhow!("demo account {email}"))
    };
    let fail = |what: &str, e: familytime_app::AppError| anyhow::anyhow!("demo {what}: {}", e.message());
    let Some(case) = store
        .cases(org, Some(familytime_domain::referrals::CaseStatus::Active), cafcass)
        .await?
        .into_iter()
        .find(|c| c.centre_id == centre)
    else {
        return Ok(());
    };
    let file = store.case(org, case.id).await?;
    let party = |role: familytime_domain::intake::PartyRole| {
        file.parties
            .iter()
            .find(|p| p.role == role)
            .map(|p| p.id.to_string())
            .unwrap_or_default()
    };
    let (resident, visiting) = (
        party(familytime_domain::intake::PartyRole::Resident),
        party(familytime_domain::intake::PartyRole::Visiting),
    );
    let room = store
        .rooms(org, centre)
        .await?
        .into_iter()
        .find(|r| r.kind == familytime_domain::tenancy::RoomKind::FamilyRoom)
        .map(|r| r.id.to_string())
        .unwrap_or_default();
    let grace = who("supervisor@riverside.example")?;
    let grace_id = grace.user()?.id.to_string();
    let today = now.to_zoned(jiff::tz::TimeZone::get("Europe/London")?).date();
    // Two weekdays of the last eight days, at least three days apart (stepping three days at a time
    // found only one on a Monday, when two of the steps fell on the weekend).
    let mut weekdays: Vec<jiff::civil::Date> = Vec::new();
    let mut day = today.checked_sub(8.days())?;
    while weekdays.len() < 2 && day < today {
        let apart = weekdays.last().is_none_or(|last| day >= last.saturating_add(3.days()));
        if day.weekday().to_monday_one_offset() <= 5 && apart {
            weekdays.push(day);
        }
        day = day.checked_add(1.days())?;
    }
    // The records speak of this case's own children, by first name (the demo's families have one
    // child each; the words follow the case, not a template family).
    let first_names: Vec<&str> = file
        .children
        .iter()
        .filter_map(|c| c.name.split_whitespace().next())
        .collect();
    let (kids, was) = match first_names.as_slice() {
        [] => ("the child".to_owned(), "was"),
        [one] => ((*one).to_owned(), "was"),
        [init @ .., last] => (format!("{} and {last}", init.join(", ")), "were"),
    };
    let mut signed = Vec::new();
    for (n, day) in weekdays.iter().enumerate() {
        let input = schedule::BookingInput {
            kind: "supervised".into(),
            date: day.to_string(),
            time: "10:00".into(),
            minutes: "120".into(),
            repeat: String::new(),
            count: String::new(),
            until: String::new(),
            room_id: room.clone(),
            staff: vec![grace_id.clone()],
            party_id: String::new(),
            resident_stays: false,
        };
        let admin = who("admin@riverside.example")?;
        let booked = match schedule::book(&then, admin, &case.id.to_string(), &input).await {
            Ok(schedule::BookingOutcome::Booked(b, _)) => b,
            _ => continue,
        };
        let Some(booking) = booked.first() else { continue };
        let id = booking.id.to_string();
        let status = schedule::StatusInput {
            status: "confirmed".into(),
            version: booking.version,
            ..Default::default()
        };
        schedule::set_status(&then, admin, &id, &status)
            .await
            .map_err(|e| fail("confirm", e))?;
        // The mother drops the children off and leaves, and comes back for the pick-up (decision
        // 0047): the register keeps both times.
        for (who_, arrived, left, away) in [
            (format!("party:{visiting}"), "09:45", "12:25", None),
            (format!("party:{resident}"), "10:00", "12:08", Some(("10:08", "11:58"))),
        ] {
            let line = records::RegisterInput {
                who: who_,
                attendance: "left".into(),
                arrived: arrived.into(),
                left: left.into(),
                departed: away.map(|(d, _)| d.to_owned()).unwrap_or_default(),
                returned: away.map(|(_, r)| r.to_owned()).unwrap_or_default(),
                ..Default::default()
            };
            records::write_register(&state, grace, &id, &line)
                .await
                .map_err(|e| fail("register", e))?;
        }
        for child in &file.children {
            let line = records::RegisterInput {
                who: format!("child:{}", child.id),
                attendance: "left".into(),
                arrived: "10:00".into(),
                left: "12:00".into(),
                brought_by: "Resident parent".into(),
                collected_by: "Resident parent".into(),
                ..Default::default()
            };
            records::write_register(&state, grace, &id, &line)
                .await
                .map_err(|e| fail("register", e))?;
        }
        let sections = [
            (
                "arrival",
                format!(
                    "The father arrived at 09:45 and waited in the Front Waiting Room. The mother brought {kids} at 10:00 and left by the side entrance."
                ),
            ),
            (
                "mood",
                format!("{kids} held the mother's hand at the door, then walked into the Blue Room."),
            ),
            (
                "interaction",
                if n == 0 {
                    format!(
                        "They played a board game. {kids} laughed and said \"You always win, Dad!\" The father praised {kids} for taking turns."
                    )
                } else {
                    format!("The father read two books aloud. {kids} sat beside him for the second one.")
                },
            ),
            (
                "care",
                "The father offered the snack agreed with the centre (fruit and water).".to_owned(),
            ),
            (
                "boundaries",
                "Phones stayed in the locker. No gifts were brought.".to_owned(),
            ),
            (
                "interventions",
                if n == 0 {
                    format!(
                        "10:40 The father began to ask about {kids}'s new school. I reminded him of the ground rules and he changed the subject."
                    )
                } else {
                    "None.".to_owned()
                },
            ),
            (
                "ending",
                format!(
                    "At 11:55 the father said goodbye with a hug. {kids} left with the mother at 12:00; the father left at 12:12."
                ),
            ),
        ];
        let observation = records::ObservationInput {
            sections: sections.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            checklist: familytime_domain::records::DEFAULT_CHECKLIST
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            version: 0,
        };
        let (record, version) = records::save_observation(&state, grace, &id, &observation)
            .await
            .map_err(|e| fail("observation", e))?;
        records::sign_observation(&state, grace, &record, version)
            .await
            .map_err(|e| fail("sign-off", e))?;
        if n == 0 {
            records::add_addendum(
                &state,
                grace,
                &record,
                &format!(
                    "{kids} also asked whether Dad could come to sports day; the father said that was for the grown-ups to sort out."
                ),
                "Remembered when writing up the second session",
            )
            .await
            .map_err(|e| fail("addendum", e))?;
        }
        signed.push(record);
    }
    if signed.is_empty() {
        return Ok(());
    }
    let jo = who("coordinator@riverside.example")?;
    reports::set_distribution(
        &state,
        jo,
        &case.id.to_string(),
        &["referrer".into(), "court".into()],
        0,
    )
    .await
    .map_err(|e| fail("distribution", e))?;
    let report = reports::create_report(
        &state,
        grace,
        &case.id.to_string(),
        &reports::NewReportInput {
            kind: "summary".into(),
            title: "Summary of supervised contact".into(),
            summary: format!(
                "The father attended both sessions on time. {kids} {was} relaxed with him and the sessions ended calmly."
            ),
            records: signed,
            language: "en".into(),
            // The Cafcass officer asked for it: Cafcass pays the report fee.
            requested_by: "referrer".into(),
        },
        familytime_domain::language::Lang::En,
    )
    .await
    .map_err(|e| fail("report", e))?;
    let step = |step: &str, version: i64| reports::CheckInput {
        step: step.into(),
        notes: String::new(),
        version,
    };
    reports::check(&state, grace, &report, &step("send_for_check", 1))
        .await
        .map_err(|e| fail("check", e))?;
    reports::check(&state, jo, &report, &step("approve", 2))
        .await
        .map_err(|e| fail("approve", e))?;
    reports::release(&state, jo, &report, &["referrer".into()], 3)
        .await
        .map_err(|e| fail("release", e))?;

    let maureen = who("volunteer@riverside.example")?;
    let raised = incidents::RaiseInput {
        case_id: case.id.to_string(),
        date: today.checked_sub(1.days())?.to_string(),
        time: "14:20".into(),
        concern: familytime_domain::incidents::ConcernInput {
            kind: "disclosure".into(),
            about: file
                .children
                .first()
                .map_or_else(|| "The child".to_owned(), |c| c.name.clone()),
            exact_words: "\"Mummy's friend shouts at me when she's out.\"".into(),
            action_taken: "Listened, did not ask leading questions, told the safeguarding lead straight away.".into(),
            carers_told: Some(false),
            carers_not_told_reason: "Telling the mother could put the child at risk before the lead decides.".into(),
        },
        ..Default::default()
    };
    incidents::raise(&state, maureen, &raised)
        .await
        .map_err(|e| fail("concern", e))?;
    // Another family's last weekday afternoon session, run but not yet written up: its register is
    // still open, so a supervisor (or an integration through the API) can record who came. (Not the
    // family above: their Cafcass-funded sessions are all booked.)
    let other = store
        .cases(org, Some(familytime_domain::referrals::CaseStatus::Active), cafcass)
        .await?
        .into_iter()
        .find(|c| c.centre_id == centre && c.id != case.id);
    let Some(other) = other else { return Ok(()) };
    let admin = who("admin@riverside.example")?;
    // The last weekday the centre was open: a day it was closed (Christmas, a bank holiday) refuses
    // the booking, so the demo walks back to the one before, up to a fortnight.
    let weekdays = (1..=14)
        .filter_map(|back| today.checked_sub(back.days()).ok())
        .filter(|day| day.weekday().to_monday_one_offset() <= 5);
    for day in weekdays {
        let input = schedule::BookingInput {
            kind: "supervised".into(),
            date: day.to_string(),
            time: "14:00".into(),
            minutes: "60".into(),
            room_id: room.clone(),
            staff: vec![grace_id.clone()],
            ..Default::default()
        };
        let Ok(schedule::BookingOutcome::Booked(booked, _)) =
            schedule::book(&then, admin, &other.id.to_string(), &input).await
        else {
            continue;
        };
        if let Some(booking) = booked.first() {
            let status = schedule::StatusInput {
                status: "confirmed".into(),
                version: booking.version,
                ..Default::default()
            };
            schedule::set_status(&then, admin, &booking.id.to_string(), &status)
                .await
                .map_err(|e| fail("confirm", e))?;
        }
        break;
    }
    Ok(())
}
