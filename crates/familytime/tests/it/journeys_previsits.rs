//! Journeys through the pages for pre-visits and the booking pages (issue 30, finding 3 and the
//! booking form, arrival plan and "provisional" items): real Chromium, pages only for the journey
//! under test (cases, and sessions the journey does not book itself, are set up through the API).
//! A pre-visit is a booking: it shows on the calendar and day sheet with its room and staff, keeps
//! the opening hours, and its outcome is recorded only once its time has come.

use crate::browser::Browser;
use crate::end_to_end::{check_page, click, set, sign_in, submit};
use crate::harness::TestApp;
use crate::journeys::{present, wait_for_text};
use crate::schedule::{Fixture, accepted_case, ahead, booking, fixture, get, post, supervisor};
use familytime_domain::people::Role;
use fantoccini::Locator;
use jiff::ToSpan;
use reqwest::StatusCode;
use serde_json::json;

/// The value of a form field as the page holds it.
async fn value_of(browser: &Browser, id: &str) -> String {
    browser
        .client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("#{id}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The text of the option a select shows as chosen.
async fn chosen_text(browser: &Browser, id: &str) -> String {
    let text = browser
        .client
        .execute(
            "const s = document.getElementById(arguments[0]); return s.options[s.selectedIndex].text;",
            vec![json!(id)],
        )
        .await
        .unwrap();
    text.as_str().unwrap_or_default().to_owned()
}

/// On the case page, fills the pre-visit form for `adult` and sends it.
async fn book_pre_visit(browser: &Browser, f: &Fixture, case: &str, adult: &str, date: &str, time: &str, staff: &str) {
    browser
        .client
        .goto(&f.app.url(&format!("/cases/{case}")))
        .await
        .unwrap();
    set(browser, "#party_id", adult).await;
    set(browser, "#date", date).await;
    set(browser, "#time", time).await;
    set(browser, "#room_id", &f.org.room.to_string()).await;
    set(browser, "#staff", staff).await;
    submit(browser, "form#book-pre-visit button[type=submit]").await;
}

/// A centre open Monday to Friday, 09:00–17:00 (the fixture's is open every day).
async fn weekday_fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    app.seed_user(&org, Role::OrganisationAdmin, "ade@riverside.example")
        .await;
    let admin = app.client();
    app.api_login(&admin, "ade@riverside.example").await;
    for weekday in 1..=5 {
        let (status, body) = post(
            &app,
            &jo,
            &format!("/api/v1/centres/{}/opening-hours", org.centre),
            json!({"weekday": weekday, "opens": "09:00", "closes": "17:00"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    Fixture { app, org, jo, admin }
}

/// The case's pre-visits as its file shows them.
async fn pre_visits(f: &Fixture, case: &str) -> Vec<serde_json::Value> {
    let (status, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(status, StatusCode::OK, "{file}");
    file["pre_visits"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_pre_visit_booked_from_the_case_page_is_on_the_calendar_and_day_sheet() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, resident, _) = accepted_case(&f, "Price").await;
    let date = ahead(&f.app, 1);
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    book_pre_visit(&browser, &f, &case, &resident, &date, "10:00", &sam).await;
    browser.wait_for(".notification").await;
    let text = browser.text().await;
    assert!(text.contains("Pre-visit booked"), "{text}");
    assert!(!text.contains("There is a problem"), "{text}");
    let listed = browser
        .client
        .find(Locator::Id("pre-visits"))
        .await
        .expect("the case lists its pre-visits")
        .text()
        .await
        .unwrap();
    assert!(
        listed.contains("Laura Price") && listed.contains("Blue Room") && listed.contains("Test Supervisor"),
        "{listed}"
    );
    check_page(&browser, &mut problems, "case page with a pre-visit").await;

    // The centre's calendar and day sheet show it, with its room and member of staff.
    let centre = f.org.centre;
    for page in [
        format!("/centres/{centre}/calendar?date={date}"),
        format!("/centres/{centre}/day-sheet?date={date}"),
    ] {
        browser.client.goto(&f.app.url(&page)).await.unwrap();
        wait_for_text(&browser, "Pre-visit").await;
        let text = browser.text().await;
        assert!(
            text.contains("Pre-visit") && text.contains("Blue Room") && text.contains("Test Supervisor"),
            "{page}: {text}"
        );
        check_page(&browser, &mut problems, &page).await;
    }
    let text = browser.text().await;
    assert!(text.contains("Laura Price"), "the day sheet names who comes: {text}");

    // It holds its room: a contact session over it is refused.
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking("supervised", &date, "10:00", &f.org.room.to_string(), &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let visits = pre_visits(&f, &case).await;
    assert_eq!(visits.len(), 1);
    assert!(visits[0]["booking_id"].is_string(), "{visits:?}");
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_pre_visit_outcome_is_recorded_only_once_its_time_has_come() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, resident, _) = accepted_case(&f, "Price").await;
    let date = ahead(&f.app, 1);
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    book_pre_visit(&browser, &f, &case, &resident, &date, "10:00", &sam).await;
    browser.wait_for(".notification").await;
    let visit = pre_visits(&f, &case).await[0].clone();
    let id = visit["id"].as_str().unwrap().to_owned();

    // Before its time: no way to record it is offered, on the case page or its own page.
    browser
        .client
        .goto(&f.app.url(&format!("/cases/{case}")))
        .await
        .unwrap();
    assert!(
        !present(&browser, "a[href^='/pre-visits/']").await,
        "no link to record a pre-visit that has not happened"
    );
    assert!(
        browser
            .text()
            .await
            .contains("How it went is recorded once its time has come")
    );
    browser
        .client
        .goto(&f.app.url(&format!("/pre-visits/{id}")))
        .await
        .unwrap();
    browser.wait_for("#not-yet").await;
    assert!(!present(&browser, &format!("form[action='/pre-visits/{id}']")).await);
    check_page(&browser, &mut problems, "pre-visit before its time").await;
    // Sent anyway (the form as it was): refused, nothing recorded.
    let csrf = f.app.page_login(&f.jo, "jo@riverside.example").await;
    let answer =
        f.jo.post(f.app.url(&format!("/pre-visits/{id}")))
            .form(&[
                ("status", "done"),
                ("rules_agreed", "yes"),
                ("version", &visit["version"].to_string()),
                ("csrf_token", &csrf),
            ])
            .send()
            .await
            .unwrap();
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.text().await.unwrap().contains("has not happened yet"));
    f.app.api_login(&f.jo, "jo@riverside.example").await;
    let now = pre_visits(&f, &case).await[0].clone();
    assert_eq!(
        (now["status"].as_str(), now["rules_agreed"].as_bool()),
        (Some("scheduled"), Some(false))
    );

    // After its time it is recorded through the page.
    f.app.clock.advance(jiff::SignedDuration::from_hours(24 * 8));
    f.app.api_login(&f.jo, "jo@riverside.example").await;
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/cases/{case}")))
        .await
        .unwrap();
    submit(&browser, &format!("a[href='/pre-visits/{id}']")).await;
    browser.wait_for("input[name=rules_agreed]").await;
    check_page(&browser, &mut problems, "pre-visit to record").await;
    click(&browser, "#status").await;
    click(&browser, "#rules_agreed").await;
    click(&browser, "#checklist").await;
    submit(
        &browser,
        &format!("form[action='/pre-visits/{id}'] button[type=submit]"),
    )
    .await;
    browser.wait_for_path(&f.app, &format!("/cases/{case}")).await;
    let listed = browser
        .client
        .find(Locator::Id("pre-visits"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(listed.contains("Done") && listed.contains("Agreed"), "{listed}");
    let now = pre_visits(&f, &case).await[0].clone();
    assert_eq!(now["status"], "done");
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_pre_visit_on_a_day_the_centre_is_closed_names_the_opening_hours() {
    let f = weekday_fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, resident, _) = accepted_case(&f, "Price").await;
    // The first Saturday at least a week ahead.
    let mut saturday = f.app.today().checked_add(7.days()).unwrap();
    while saturday.weekday() != jiff::civil::Weekday::Saturday {
        saturday = saturday.tomorrow().unwrap();
    }
    let date = saturday.to_string();
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    book_pre_visit(&browser, &f, &case, &resident, &date, "10:00", &sam).await;
    browser.wait_for(".error-summary").await;
    let summary = browser
        .client
        .find(Locator::Css(".error-summary"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        summary.contains("outside the centre's opening hours")
            && summary.contains("Monday to Friday 09:00\u{2013}17:00"),
        "{summary}"
    );
    // What was typed is kept.
    assert_eq!(value_of(&browser, "date").await, date);
    assert_eq!(value_of(&browser, "time").await, "10:00");
    assert_eq!(value_of(&browser, "room_id").await, f.org.room.to_string());
    assert_eq!(value_of(&browser, "staff").await, sam);
    check_page(&browser, &mut problems, "pre-visit refused").await;
    assert!(pre_visits(&f, &case).await.is_empty(), "nothing booked");
    let (_, booked) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings")).await;
    assert_eq!(booked.as_array().map(Vec::len), Some(0), "{booked}");
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_booking_form_does_not_silently_choose_no_room() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, _, _) = accepted_case(&f, "Price").await;
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/cases/{case}/sessions")))
        .await
        .unwrap();
    browser.wait_for("#room_id").await;
    assert_eq!(value_of(&browser, "room_id").await, "", "nothing chosen yet");
    let shown = chosen_text(&browser, "room_id").await;
    assert!(!shown.contains("No room"), "the form chose {shown:?}");

    // A supervised session sent without choosing a room: asked for one, nothing booked.
    set(&browser, "#kind", "supervised").await;
    set(&browser, "#date", &ahead(&f.app, 1)).await;
    set(&browser, "#time", "10:00").await;
    set(&browser, "#minutes", "120").await;
    click(&browser, &format!("input[name=staff][value='{sam}']")).await;
    submit(
        &browser,
        &format!("form[action='/cases/{case}/sessions'][method=post] button[type=submit]"),
    )
    .await;
    browser.wait_for(".error-summary").await;
    let summary = browser
        .client
        .find(Locator::Css(".error-summary"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(summary.contains("Choose a room"), "{summary}");
    assert!(!chosen_text(&browser, "room_id").await.contains("No room"));
    assert_eq!(value_of(&browser, "time").await, "10:00");
    check_page(&browser, &mut problems, "booking without a room").await;
    let (_, booked) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings")).await;
    assert_eq!(booked.as_array().map(Vec::len), Some(0), "{booked}");

    // A virtual session still needs no room, chosen as such.
    set(&browser, "#kind", "virtual_supervised").await;
    set(&browser, "#room_id", "none").await;
    submit(
        &browser,
        &format!("form[action='/cases/{case}/sessions'][method=post] button[type=submit]"),
    )
    .await;
    browser.wait_for("a[href^='/bookings/']").await;
    let (_, booked) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings")).await;
    assert_eq!(booked.as_array().map(Vec::len), Some(1), "{booked}");
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_arrival_plan_warns_when_the_risk_calls_for_separate_entrances() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    // One case with a non-molestation order (the test referral's), one without.
    let (ordered, _, _) = accepted_case(&f, "Price").await;
    let mut calm = crate::referrals::referral(&f.org.centre.to_string());
    calm["children"][0]["name"] = json!("Ava Jones");
    calm["adults"][0]["name"] = json!("Sara Jones");
    calm["adults"][1]["name"] = json!("Tom Jones");
    calm["court_orders"] = json!([calm["court_orders"][0].clone()]);
    assert_ne!(calm["court_orders"][0]["kind"], "non_molestation");
    let (calm, _) = crate::schedule::accept_referral(&f, &f.jo, calm).await;
    let date = ahead(&f.app, 1);
    let room = f.org.room.to_string();
    let mut ids = Vec::new();
    for (case, time) in [(&ordered, "10:00"), (&calm, "14:00")] {
        let (status, booked) = post(
            &f.app,
            &f.jo,
            &format!("/api/v1/cases/{case}/bookings"),
            booking("supervised", &date, time, &room, &[&sam]),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{booked}");
        ids.push(booked[0]["id"].as_str().unwrap().to_owned());
    }
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/centres/{}/day-sheet?date={date}", f.org.centre)))
        .await
        .unwrap();
    wait_for_text(&browser, "Arrival plan").await;
    let warning = browser
        .client
        .find(Locator::Id(&format!("arrival-warning-{}", ids[0])))
        .await
        .expect("the plan of the case with a non-molestation order warns")
        .text()
        .await
        .unwrap();
    assert!(
        warning.contains("non-molestation") && warning.contains("entrances or waiting rooms"),
        "{warning}"
    );
    assert!(
        !present(&browser, &format!("#arrival-warning-{}", ids[1])).await,
        "no warning for a case whose risk does not call for it"
    );
    check_page(&browser, &mut problems, "day sheet with a warning").await;
    // The booking's own plan says the same.
    browser
        .client
        .goto(&f.app.url(&format!("/bookings/{}", ids[0])))
        .await
        .unwrap();
    browser.wait_for(&format!("#arrival-warning-{}", ids[0])).await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_provisional_is_explained_to_the_coordinator_and_the_parent() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, _, visiting) = accepted_case(&f, "Price").await;
    let dad = f.app.seed_user(&f.org, Role::Parent, "daniel@example.org").await;
    let link =
        f.jo.put(f.app.url(&format!("/api/v1/cases/{case}/parties/{visiting}/account")))
            .json(&json!({"user_id": dad, "version": 0}))
            .send()
            .await
            .unwrap();
    assert_eq!(link.status(), StatusCode::NO_CONTENT);
    let (status, booked) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking(
            "supervised",
            &ahead(&f.app, 1),
            "10:00",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert_eq!(booked[0]["status"], "provisional", "{booked}");
    let id = booked[0]["id"].as_str().unwrap().to_owned();
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    for page in [format!("/bookings/{id}"), format!("/cases/{case}/sessions")] {
        browser.client.goto(&f.app.url(&page)).await.unwrap();
        browser.wait_for("#provisional-explained").await;
        click(&browser, "#provisional-explained summary").await;
        let text = browser
            .client
            .find(Locator::Id("provisional-explained"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            text.contains("not confirmed") && text.contains("paid"),
            "{page}: {text}"
        );
        check_page(&browser, &mut problems, &page).await;
    }
    crate::end_to_end::sign_out(&browser, &f.app).await;
    sign_in(&browser, &f.app, "daniel@example.org").await;
    browser.client.goto(&f.app.url("/my-account")).await.unwrap();
    browser.wait_for("#provisional-explained").await;
    click(&browser, "#provisional-explained summary").await;
    let text = browser
        .client
        .find(Locator::Id("provisional-explained"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("held for you") && text.contains("confirmed once it is paid"),
        "{text}"
    );
    check_page(&browser, &mut problems, "/my-account").await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

/// Not a journey: migration 0021 on a database as it was before (pre-visits with no booking, one
/// "done" recorded two days before it was due, a pre-visit booking made on the sessions page with no
/// record), and the database refusing an outcome recorded before the visit afterwards.
#[tokio::test(flavor = "multi_thread")]
async fn pre_visits_migrate_safely_and_the_database_refuses_an_early_outcome() {
    use crate::records::raw_sql;
    use familytime_app::clock::Clock;
    use familytime_store::Location;
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, resident, visiting) = accepted_case(&f, "Price").await;
    let mut visit = booking(
        "pre_visit",
        &ahead(&f.app, 1),
        "10:00",
        &f.org.room.to_string(),
        &[&sam],
    );
    visit["minutes"] = json!(60);
    visit["party_id"] = json!(resident);
    let (status, booked) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), visit).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let booking_id = booked[0]["id"].as_str().unwrap().to_owned();
    let early = "UPDATE pre_visits SET status = 'done', recorded_at = scheduled_at - 1";
    assert!(
        raw_sql(&f.app.location, early).await.is_err(),
        "the database refuses an outcome recorded before the visit"
    );

    // The table as it was, with what the old code let through.
    let old_table = match &f.app.location {
        Location::DataDir(_) => include_str!("../../../store/migrations/sqlite/0003_previsits.sql"),
        Location::Postgres(_) => include_str!("../../../store/migrations/postgres/0003_previsits.sql"),
    };
    let now = f.app.clock.now().as_millisecond();
    let day = 24 * 3600 * 1000;
    let org = f.org.id;
    let rows = [
        // Recorded as done two days before it was due: goes back to booked.
        (
            "early",
            &visiting,
            now + 2 * day,
            "done",
            true,
            Some(now),
            "EARLY-NOTES",
        ),
        // Recorded after it happened: kept.
        (
            "late",
            &visiting,
            now - 3 * day,
            "done",
            true,
            Some(now - 3 * day + 3_600_000),
            "LATE-NOTES",
        ),
        // Booked before pre-visits held rooms: kept, with no booking.
        (
            "legacy",
            &resident,
            now + 5 * day,
            "scheduled",
            false,
            None,
            "LEGACY-NOTES",
        ),
    ];
    let mut sql = format!("DROP TABLE pre_visits; {old_table}");
    for (id, party, at, status, agreed, recorded, notes) in rows {
        sql.push_str(&format!(
            "INSERT INTO pre_visits (organisation_id, id, case_id, party_id, scheduled_at, status, rules_agreed, notes, recorded_at, created_at)
             VALUES ('{org}', '{id}', '{case}', '{party}', {at}, '{status}', {agreed}, '{notes}', {}, {now});",
            recorded.map_or("NULL".to_owned(), |r| r.to_string())
        ));
    }
    sql.push_str("DELETE FROM schema_migrations WHERE version = 21;");
    raw_sql(&f.app.location, &sql).await.unwrap();
    assert_eq!(f.app.store.migrate().await.unwrap(), 1, "0021 applied again");

    let visits = pre_visits(&f, &case).await;
    let find = |id: &str| {
        visits
            .iter()
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {visits:?}"))
    };
    let early = find("early");
    assert_eq!(
        (
            early["status"].as_str(),
            early["rules_agreed"].as_bool(),
            early["notes"].as_str()
        ),
        (Some("scheduled"), Some(false), Some("EARLY-NOTES")),
        "an outcome recorded before the visit goes back to booked, its notes kept"
    );
    let late = find("late");
    assert_eq!(
        (late["status"].as_str(), late["rules_agreed"].as_bool()),
        (Some("done"), Some(true))
    );
    let legacy = find("legacy");
    assert_eq!(
        (legacy["status"].as_str(), legacy["booking_id"].is_null()),
        (Some("scheduled"), true)
    );
    let from_booking = find(&booking_id);
    assert_eq!(
        (from_booking["status"].as_str(), from_booking["booking_id"].as_str()),
        (Some("scheduled"), Some(booking_id.as_str())),
        "a pre-visit booking without a record gets one"
    );
    assert!(
        raw_sql(&f.app.location, early_sql(&booking_id).as_str()).await.is_err(),
        "the rebuilt table refuses an early outcome too"
    );
    f.app.finish().await;
}

fn early_sql(id: &str) -> String {
    format!("UPDATE pre_visits SET status = 'missed', recorded_at = scheduled_at - 1 WHERE id = '{id}'")
}
