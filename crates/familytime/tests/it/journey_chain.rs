//! The guard of issue 30: one case from the referral to the released report, through the pages only,
//! in real Chromium. After the fixture (the organisation, its centre and room, and the people's
//! accounts) nothing goes through the API or the application's functions: a referrer refers, the
//! coordinator triages, assesses, books and records the pre-visits, accepts the case, books a weekly
//! series and links the visiting parent's account; the supervisor keeps the register, writes and
//! signs the record and adds an addendum; a report is composed, checked by a second person and
//! released; the referrer downloads it (read back with pdftotext) and the parent sees their bookings
//! and their report. Time moves only on the injected clock. axe-core checks the pages on the way.

use crate::harness::{Org, TestApp};
use crate::pages::Walk;
use crate::records::pdf_text;
use familytime_domain::ids::UserId;
use familytime_domain::people::Role;
use jiff::ToSpan;
use reqwest::StatusCode;

const JO: &str = "jo@riverside.example";
const KAY: &str = "kay@riverside.example";
const SAM: &str = "sam@riverside.example";
const RIA: &str = "ria@cafcass.example";
const DAN: &str = "daniel@example.org";

struct People {
    sam: UserId,
    dan: UserId,
}

async fn people(app: &TestApp, org: &Org) -> People {
    app.seed_user(org, Role::Coordinator, JO).await;
    app.seed_user(org, Role::Coordinator, KAY).await;
    app.seed_user(org, Role::Referrer, RIA).await;
    People {
        sam: app.seed_user(org, Role::Supervisor, SAM).await,
        dan: app.seed_user(org, Role::Parent, DAN).await,
    }
}

/// Moves the injected clock on by whole days, with nobody signed in.
fn days_pass(app: &TestApp, days: i64) {
    app.clock.advance(jiff::SignedDuration::from_hours(24 * days));
}

/// A date `days` ahead of the server's today, as a date input takes it.
fn in_days(app: &TestApp, days: i64) -> jiff::civil::Date {
    app.today().checked_add(days.days()).unwrap()
}

/// The referrer sends the referral from her portal; returns the case's id.
async fn refer(w: &mut Walk<'_>, org: &Org) -> String {
    w.sign_in(RIA).await;
    w.follow("a[href='/referrals']").await;
    w.follow("a[href='/referrals/new']").await;
    w.axe("/referrals/new as the referrer").await;
    w.choose("centre_id", &org.centre.to_string()).await;
    w.choose("source", "cafcass").await;
    w.fill("referrer_name", "Ria Adviser").await;
    w.fill("child1_name", "Mia Chain").await;
    let born = w.app.today().checked_sub(7.years()).unwrap();
    w.set("#child1_dob", &born.to_string()).await;
    w.fill("resident_name", "Laura Chain").await;
    w.fill("visiting_name", "Daniel Chain").await;
    w.fill("child_lives_with", "Laura Chain").await;
    w.fill("risk_background", "Hostile handovers; contact stopped a year ago.")
        .await;
    w.submit_to("/referrals").await;
    w.confirmed("Referral sent").await;
    let path = w.path().await;
    let case = path.trim_start_matches("/referrals/").to_owned();
    assert!(
        !case.is_empty() && !case.contains('/'),
        "the referrer sees her referral: {path}"
    );
    w.axe("the referral as its referrer").await;
    w.sign_out().await;
    case
}

/// The coordinator opens the centre every day, qualifies the supervisor and triages the referral to
/// pre-visits, then books one pre-visit for each adult (tomorrow) and links Daniel's account.
/// Returns the visiting adult's party id.
async fn triage(w: &mut Walk<'_>, org: &Org, p: &People, case: &str) -> String {
    w.sign_in(JO).await;
    let settings = format!("/centres/{}/schedule", org.centre);
    w.goto(&settings).await;
    for weekday in 1..=7 {
        w.choose("weekday", &weekday.to_string()).await;
        w.set("#opens", "08:00").await;
        w.set("#closes", "20:00").await;
        w.submit_to(&format!("/centres/{}/opening-hours", org.centre)).await;
    }
    w.axe("/centres/ID/schedule").await;
    w.goto(&format!("/staff/{}", p.sam)).await;
    w.click("#qualified_supervised").await;
    w.submit_to(&format!("/staff/{}", p.sam)).await;
    assert_eq!(w.path().await, "/staff");

    // The new referral is on the case list; the coordinator opens it from there.
    w.goto("/cases").await;
    w.follow(&format!("main a[href='/cases/{case}']")).await;
    w.sees("Mia Chain").await;
    w.axe("/cases/ID, new").await;
    let case_path = format!("/cases/{case}");
    for (to, reason) in [("waiting_list", "Referral complete"), ("assessment", "Top of the list")] {
        w.choose("to", to).await;
        w.fill("reason", reason).await;
        w.submit_to(&format!("{case_path}/status")).await;
        w.confirmed("Moved to").await;
    }
    w.click("#concern-hostility").await;
    w.choose("decision", "supervised").await;
    w.fill("decision_reason", "Hostility at handovers").await;
    w.submit_to(&format!("{case_path}/risk")).await;
    w.confirmed("Risk assessment recorded").await;
    w.choose("to", "pre_visits").await;
    w.fill("reason", "Assessed: supervised contact").await;
    w.submit_to(&format!("{case_path}/status")).await;
    w.confirmed("Moved to").await;

    // Daniel's parent account, chosen on the case page.
    let mut visiting_party = String::new();
    for id in account_selects(w).await {
        let label = w.text_of(&format!("label[for='{id}']")).await;
        if label.contains("Daniel Chain") {
            visiting_party = id.trim_start_matches("account-").to_owned();
        }
    }
    assert!(!visiting_party.is_empty(), "Daniel's account can be chosen");
    w.choose(&format!("account-{visiting_party}"), &p.dan.to_string()).await;
    w.submit_to(&format!("{case_path}/parties/{visiting_party}/account"))
        .await;
    w.confirmed("Account linked").await;

    // One pre-visit for each adult, tomorrow, in the family room with the supervisor.
    let day = in_days(w.app, 1);
    for (index, time) in [(0, "10:00"), (1, "14:00")] {
        w.choose("room_id", &org.room.to_string()).await;
        w.choose("staff", &p.sam.to_string()).await;
        let party = w
            .browser
            .client
            .find(fantoccini::Locator::Id("party_id"))
            .await
            .unwrap();
        party.select_by_index(index).await.unwrap();
        w.set("#book-pre-visit #date", &day.to_string()).await;
        w.set("#book-pre-visit #time", time).await;
        w.submit_to(&format!("{case_path}/pre-visits")).await;
        w.confirmed("Pre-visit booked").await;
    }
    w.sees("How it went is recorded once its time has come").await;
    assert!(
        !w.present("a[href^='/pre-visits/']").await,
        "not recorded before they happen"
    );
    w.axe("/cases/ID with pre-visits booked").await;
    // The pre-visit's booking leads back to the pre-visit and the case.
    w.follow("main a[href^='/bookings/']").await;
    w.sees("Pre-visit").await;
    w.follow("#pre-visit-link a[href^='/pre-visits/']").await;
    w.sees("This pre-visit has not happened yet").await;
    w.sign_out().await;
    visiting_party
}

/// The ids of the case page's "Parent account for …" selects.
async fn account_selects(w: &Walk<'_>) -> Vec<String> {
    let mut ids = Vec::new();
    for select in w
        .browser
        .client
        .find_all(fantoccini::Locator::Css("select[id^='account-']"))
        .await
        .unwrap()
    {
        ids.push(select.attr("id").await.unwrap().unwrap_or_default());
    }
    ids
}

/// Once the pre-visits have happened: each is recorded done with the ground rules agreed, the case
/// is accepted as assessed, and a weekly series of three supervised sessions is booked from the day
/// after tomorrow; the first is confirmed. Returns the series' dates and the first booking's path.
async fn accept_and_book(w: &mut Walk<'_>, org: &Org, p: &People, case: &str) -> (Vec<jiff::civil::Date>, String) {
    w.sign_in(JO).await;
    let case_path = format!("/cases/{case}");
    w.goto(&case_path).await;
    for _ in 0..2 {
        w.follow("a[href^='/pre-visits/']").await;
        w.axe("/pre-visits/ID, due").await;
        w.click("#status").await;
        w.click("#rules_agreed").await;
        w.click("#checklist").await;
        let action = w.path().await;
        w.submit_to(&action).await;
        assert_eq!(w.path().await, case_path, "back on the case");
    }
    w.sees("Ready to book").await;
    w.choose("to", "accepted").await;
    w.fill("reason", "Pre-visits done").await;
    w.submit_to(&format!("{case_path}/status")).await;
    w.confirmed("Moved to").await;
    w.sees("Accepted — Supervised contact").await;

    w.follow(&format!("a[href='{case_path}/sessions']")).await;
    let first = in_days(w.app, 2);
    w.choose("kind", "supervised").await;
    w.set("#date", &first.to_string()).await;
    w.set("#time", "10:00").await;
    w.fill("minutes", "120").await;
    w.click("#repeat-weekly").await;
    w.fill("count", "3").await;
    w.choose("room_id", &org.room.to_string()).await;
    w.click(&format!("input[name=staff][value='{}']", p.sam)).await;
    w.submit_to(&format!("{case_path}/sessions")).await;
    w.confirmed("The sessions are booked.").await;
    w.axe("/cases/ID/sessions after booking a series").await;
    let dates: Vec<jiff::civil::Date> = (0..3).map(|n| first.checked_add((7 * n).days()).unwrap()).collect();
    let series = "//main//table/tbody/tr[contains(., 'Supervised')]";
    assert_eq!(w.count(series).await, 3, "three sessions: {}", w.text().await);

    // The first session is confirmed from its booking page.
    let when = first.strftime("%a %-d %b %Y 10:00").to_string();
    w.follow_xpath(&format!(
        "{series}[contains(., '{when}')]//a[starts-with(@href, '/bookings/')]"
    ))
    .await;
    let booking = w.path().await;
    w.sees(&when).await;
    w.click("input[name=status][value=confirmed]").await;
    w.submit_to(&format!("{booking}/status")).await;
    assert_eq!(w.text_of("main dl strong.tag").await, "Confirmed");
    w.axe("/bookings/ID, confirmed").await;
    w.goto(&format!("/centres/{}/day-sheet?date={first}", org.centre)).await;
    w.sees("10:00").await;
    w.axe("/centres/ID/day-sheet").await;
    w.sign_out().await;
    (dates, booking)
}

/// After the first session: the supervisor keeps the register, writes the record, signs it and
/// adds an addendum.
async fn run_the_session(w: &mut Walk<'_>, booking: &str, visiting: &str) {
    w.sign_in(SAM).await;
    w.goto(booking).await;
    w.follow(&format!("a[href='{booking}/record']")).await;
    w.sees("Briefing before the session").await;
    w.axe("/bookings/ID/record, before").await;
    let row = format!("form[action='{booking}/register']:has(input[value='party:{visiting}'])");
    w.set(&format!("{row} select[name=attendance]"), "arrived").await;
    w.set(&format!("{row} input[name=arrived]"), "09:50").await;
    w.submit(&format!("{row} button[type=submit]")).await;
    let arrived = w
        .browser
        .client
        .find(fantoccini::Locator::Css(&format!("{row} input[name=arrived]")))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(arrived.as_deref(), Some("09:50"), "the register keeps the arrival");

    w.fill("arrival", "Daniel arrived at 09:50; Mia came at 10:00 with Laura.")
        .await;
    w.fill("interaction", "They drew a map of the park. CHAIN-OBSERVED-31.")
        .await;
    w.fill("ending", "At 11:55 Daniel said goodbye and Mia left with Laura.")
        .await;
    // The draft saves itself as the supervisor types; then she saves it herself and signs it.
    w.wait_until_says("autosave-status", "Draft saved", "Not saved").await;
    w.submit("#save-draft").await;
    w.submit("#sign-off").await;
    w.sees("Signed off by").await;
    w.fill("addendum_text", "Mia gave her father the map. CHAIN-ADDENDUM-32")
        .await;
    w.fill("addendum_reason", "Left out of the record by mistake").await;
    w.submit("form[action$='/addenda'] button[type=submit]").await;
    w.confirmed("Addendum added").await;
    w.axe("/bookings/ID/record, signed with an addendum").await;
    w.sign_out().await;
}

/// The coordinator composes the report and sends it for its check; returns its path.
async fn compose(w: &mut Walk<'_>, case: &str) -> String {
    w.sign_in(JO).await;
    w.goto(&format!("/cases/{case}")).await;
    w.follow(&format!("a[href='/cases/{case}/reports']")).await;
    w.click("#recipient-referrer").await;
    w.click("#recipient-visiting").await;
    w.submit_to(&format!("/cases/{case}/distribution")).await;
    w.click("#kind-session").await;
    w.click("input[name=records]").await;
    w.fill("title", "Chain session report").await;
    w.fill("summary", "Daniel and Mia's first supervised session.").await;
    w.submit_to(&format!("/cases/{case}/reports")).await;
    let report = w.path().await;
    assert!(report.starts_with("/reports/"), "{report}");
    w.submit("#step").await;
    w.sees("Waiting for a quality check").await;
    w.axe("/reports/ID waiting for its check").await;
    w.sign_out().await;
    report
}

/// The second coordinator finds it on her home page, approves it and releases it to the referrer
/// and the visiting parent.
async fn check_and_release(w: &mut Walk<'_>, report: &str) {
    w.sign_in(KAY).await;
    w.follow(&format!("#reports-to-check + ul a[href='{report}']")).await;
    w.click("#step-approve").await;
    w.fill("notes", "Checked against the signed record and its addendum.")
        .await;
    w.submit_to(&format!("{report}/check")).await;
    w.confirmed("Report approved").await;
    w.click("#release-referrer").await;
    w.click("#release-visiting").await;
    w.submit_to(&format!("{report}/release")).await;
    w.confirmed("Report released").await;
    w.axe("/reports/ID released").await;
    w.sign_out().await;
}

/// The report's PDF from the signed-in person's "Reports for you" page, as text.
async fn download_mine(w: &mut Walk<'_>, who: &str) -> String {
    w.follow("a[href='/my-reports']").await;
    w.sees("Chain session report").await;
    w.axe(&format!("/my-reports as {who}")).await;
    let href = w.attr_of("a[download]", "href").await;
    let (status, name, bytes) = w.download(&href).await;
    assert_eq!(status, StatusCode::OK, "{who} downloads {href}");
    assert!(name.contains("report"), "{name}");
    let text = pdf_text(&bytes);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_chain_from_a_referral_to_the_released_report_through_the_pages() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    let p = people(&app, &org).await;
    let mut w = Walk::start(&app).await;

    let case = refer(&mut w, &org).await;
    let visiting = triage(&mut w, &org, &p, &case).await;
    days_pass(&app, 2);
    let (dates, booking) = accept_and_book(&mut w, &org, &p, &case).await;

    // The parent, before the session: the three sessions of the series on his page.
    w.sign_in(DAN).await;
    w.follow("a[href='/my-account']").await;
    let mine = w.text_of("main").await;
    for day in &dates {
        // Written by the locale library, as the page writes it (CLDR's British English).
        let label = familytime_i18n::dates::weekday_date(familytime_i18n::Lang::En, *day);
        assert!(mine.contains(&label), "the parent sees the session on {label}: {mine}");
    }
    assert!(!mine.contains("Laura Chain"), "nothing of the other parent's: {mine}");
    w.axe("/my-account as the parent").await;
    w.sign_out().await;

    days_pass(&app, 3);
    run_the_session(&mut w, &booking, &visiting).await;
    let report = compose(&mut w, &case).await;
    check_and_release(&mut w, &report).await;

    // The referrer downloads it: the record and its addendum are in the PDF.
    w.sign_in(RIA).await;
    let pdf = download_mine(&mut w, "the referrer").await;
    for said in ["CHAIN-OBSERVED-31", "CHAIN-ADDENDUM-32", "Chain session report"] {
        assert!(pdf.contains(said), "the referrer's PDF has {said}: {pdf}");
    }
    w.sign_out().await;

    // The parent finds what is theirs: the report released to him, and his bookings.
    w.sign_in(DAN).await;
    let pdf = download_mine(&mut w, "the parent").await;
    assert!(pdf.contains("CHAIN-OBSERVED-31"), "{pdf}");
    w.goto("/home").await;
    w.follow("a[href='/my-account']").await;
    w.sees(&familytime_i18n::dates::weekday_date(
        familytime_i18n::Lang::En,
        dates[2],
    ))
    .await;
    w.sign_out().await;

    w.finish().await;
    app.finish().await;
}
