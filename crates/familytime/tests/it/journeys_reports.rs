//! Journeys through the pages for reports and the supervisor's briefing (issue 30, findings 4 and
//! 5): a report's quality check is offered only to those who may do it, and the briefing before a
//! session shows the case's risk and its safeguarding concerns. Real Chromium, pages only; the case
//! and its sessions are set up through the API (that is not the journey under test).

use crate::browser::{Browser, fill};
use crate::end_to_end::{check_page, set, sign_out, submit};
use crate::harness::PASSWORD;
use crate::journeys::{click, present, sign_in, sign_through_the_page, wait_for_text};
use crate::records::{after_the_session, ran_session};
use crate::schedule::{Fixture, ahead, booking, fixture, get, post};
use familytime_app::people::{NewUserInput, add_user};
use familytime_domain::people::Role;
use familytime_domain::tenancy::CentreDetails;
use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::json;

/// An account with a name of its own (the harness names everyone "Test <role>"), at `centres` (empty:
/// every centre).
async fn person(f: &Fixture, email: &str, name: &str, role: Role, centres: Vec<String>) {
    let input = NewUserInput {
        email: email.into(),
        name: name.into(),
        role: role.as_str().into(),
        password: PASSWORD.into(),
        centre_ids: centres,
    };
    add_user(&f.app.store, &f.app.seed_scope(Some(f.org.id)), f.org.id, &input)
        .await
        .map_err(|e| e.message())
        .unwrap();
}

/// A second centre of the organisation, with its own coordinator.
async fn other_centre_coordinator(f: &Fixture, email: &str) {
    let scope = f.app.seed_scope(Some(f.org.id));
    let mut tx = f.app.store.begin().await.unwrap();
    let details = CentreDetails::parse("Northgate Family Centre", "3 Station Road", "Europe/London").unwrap();
    let centre = tx.insert_centre(&scope, f.org.id, &details).await.unwrap();
    tx.commit().await.unwrap();
    person(f, email, "Peter Northgate", Role::Coordinator, vec![centre.to_string()]).await;
}

async fn goto(browser: &Browser, f: &Fixture, path: &str) {
    browser.client.goto(&f.app.url(path)).await.unwrap();
    browser.wait_for("footer").await;
}

/// The text of the element `css`.
async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} is on the page"))
        .text()
        .await
        .unwrap()
}

/// No form on the page sends a quality check's decision (approve or send back).
async fn not_offered_the_check(browser: &Browser, report: &str, who: &str) {
    let text = browser.text().await;
    assert!(
        !present(browser, "#step-approve").await && !present(browser, "#step-send_back").await,
        "{who} is offered the check form: {text}"
    );
    assert!(
        !present(browser, "textarea#notes").await,
        "{who} is offered notes: {text}"
    );
    assert!(
        !present(browser, &format!("form[action='/reports/{report}/release']")).await,
        "{who} is offered the release"
    );
}

/// The Content-Disposition file name of a download, fetched with the browser's own session.
async fn download_name(browser: &Browser, f: &Fixture, href: &str) -> (StatusCode, String) {
    let cookie = browser.client.get_named_cookie("ft_session").await.unwrap();
    let answer = reqwest::Client::new()
        .get(f.app.url(href))
        .header("cookie", format!("ft_session={}", cookie.value()))
        .send()
        .await
        .unwrap();
    let name = answer
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (answer.status(), name)
}

/// Finding 4: a coordinator writes a report and sends it for its check. Neither she (the author) nor
/// a supervisor is offered the check; the safeguarding lead reads the report; the other centre's
/// coordinator does not reach it (it follows the case list's scope). The second coordinator at the
/// centre, named on the page as one who can check it, finds it on her home page, approves it and
/// releases it to the referrer, who finds it by its case and child and downloads it under a name
/// that says which report it is and names nobody.
#[tokio::test(flavor = "multi_thread")]
async fn journey_report_is_checked_by_the_second_person_offered_it() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    person(&f, "kay@riverside.example", "Kay Second", Role::Coordinator, Vec::new()).await;
    person(&f, "max@riverside.example", "Max Other", Role::Supervisor, Vec::new()).await;
    person(
        &f,
        "lee@riverside.example",
        "Lee Lead",
        Role::SafeguardingLead,
        Vec::new(),
    )
    .await;
    other_centre_coordinator(&f, "peter@riverside.example").await;
    let case = ran.case.clone();
    let mut problems = Vec::new();

    // The supervisor signs the session's record through the page.
    let browser = sign_through_the_page(&f, &ran).await;
    sign_out(&browser, &f.app).await;

    // The coordinator sets who reports may go to, writes the report and sends it for its check.
    sign_in(&browser, &f, "jo@riverside.example").await;
    goto(&browser, &f, &format!("/cases/{case}/reports")).await;
    click(&browser, "#recipient-referrer").await;
    submit(
        &browser,
        &format!("form[action='/cases/{case}/distribution'] button[type=submit]"),
    )
    .await;
    click(&browser, "#kind-session").await;
    click(&browser, "input[name=records]").await;
    fill(&browser, "title", "Supervised contact: session report").await;
    fill(&browser, "summary", "Daniel and Mia's first supervised session.").await;
    submit(
        &browser,
        &format!("form[action='/cases/{case}/reports'] button[type=submit]"),
    )
    .await;
    let report_path = browser.path().await;
    let report = report_path.trim_start_matches("/reports/").to_owned();
    // While a draft, the page already says who will check it: never its author.
    let who = text_of(&browser, "#who-checks").await;
    assert!(who.contains("Kay Second"), "{who}");
    assert!(
        !who.contains("Test Coordinator"),
        "the author is not named as a checker: {who}"
    );
    submit(&browser, "#step").await;
    wait_for_text(&browser, "Sent for a quality check").await;
    assert!(browser.text().await.contains("Waiting for a quality check"));
    not_offered_the_check(&browser, &report, "the author").await;
    let who = text_of(&browser, "#who-checks").await;
    assert!(
        who.contains("Kay Second") && who.contains("Test Organisation administrator"),
        "{who}"
    );
    for not_a_checker in [
        "Test Coordinator",
        "Test Supervisor",
        "Max Other",
        "Lee Lead",
        "Peter Northgate",
    ] {
        assert!(!who.contains(not_a_checker), "{not_a_checker} is named: {who}");
    }
    check_page(&browser, &mut problems, "report waiting for its check, as its author").await;
    sign_out(&browser, &f.app).await;

    // A supervisor (the record's author, and another) reads it and is not offered the check.
    for email in ["sam@riverside.example", "max@riverside.example"] {
        sign_in(&browser, &f, email).await;
        goto(&browser, &f, &report_path).await;
        assert!(browser.text().await.contains("Waiting for a quality check"));
        not_offered_the_check(&browser, &report, email).await;
        assert!(text_of(&browser, "#who-checks").await.contains("Kay Second"));
        sign_out(&browser, &f.app).await;
    }

    // The safeguarding lead reads the report (and the case's reports) without being offered the check.
    sign_in(&browser, &f, "lee@riverside.example").await;
    goto(&browser, &f, &report_path).await;
    let text = browser.text().await;
    assert!(
        text.contains("Supervised contact: session report") && !text.contains("You cannot see this page"),
        "{text}"
    );
    not_offered_the_check(&browser, &report, "the safeguarding lead").await;
    check_page(&browser, &mut problems, "report as the safeguarding lead").await;
    goto(&browser, &f, &format!("/cases/{case}/reports")).await;
    assert!(browser.text().await.contains("Supervised contact: session report"));
    assert!(
        !present(&browser, &format!("form[action='/cases/{case}/reports']")).await,
        "the lead reads reports; she does not write them"
    );
    sign_out(&browser, &f.app).await;

    // The other centre's coordinator: neither on her home page nor reachable.
    sign_in(&browser, &f, "peter@riverside.example").await;
    assert!(!browser.text().await.contains("Supervised contact: session report"));
    goto(&browser, &f, &report_path).await;
    assert!(browser.text().await.contains("Page not found"));
    goto(&browser, &f, "/home").await;
    sign_out(&browser, &f.app).await;

    // The second coordinator finds it on her home page, checks it and releases it.
    sign_in(&browser, &f, "kay@riverside.example").await;
    click(&browser, &format!("#reports-to-check + ul a[href='{report_path}']")).await;
    browser.wait_for("#step-approve").await;
    check_page(&browser, &mut problems, "report to check, as the second coordinator").await;
    // Without a decision: refused, the notes kept.
    fill(&browser, "notes", "Checked against the signed record. NOTES-41").await;
    submit(
        &browser,
        &format!("form[action='{report_path}/check'] button[type=submit]"),
    )
    .await;
    assert!(browser.text().await.contains("There is a problem"));
    let kept = browser
        .client
        .find(Locator::Id("notes"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Checked against the signed record. NOTES-41"));
    click(&browser, "#step-approve").await;
    submit(
        &browser,
        &format!("form[action='{report_path}/check'] button[type=submit]"),
    )
    .await;
    wait_for_text(&browser, "Report approved").await;
    let text = browser.text().await;
    assert!(text.contains("Approved") && text.contains("NOTES-41"), "{text}");
    click(&browser, "#release-referrer").await;
    submit(
        &browser,
        &format!("form[action='{report_path}/release'] button[type=submit]"),
    )
    .await;
    wait_for_text(&browser, "Report released").await;
    assert!(browser.text().await.contains("To the referrer: released by Kay Second"));
    check_page(&browser, &mut problems, "released report").await;
    sign_out(&browser, &f.app).await;

    // The referrer finds it by its case and child, and downloads it.
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    let reference = file["case"]["reference"].as_str().unwrap().to_owned();
    sign_in(&browser, &f, "ria@cafcass.example").await;
    click(&browser, "a[href='/my-reports']").await;
    browser.wait_for("a[download]").await;
    let row = text_of(&browser, "tbody tr").await;
    assert!(row.contains(&reference) && row.contains("Mia"), "{row}");
    check_page(&browser, &mut problems, "reports for the referrer").await;
    let href = browser
        .client
        .find(Locator::Css("a[download]"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("a download link");
    let (status, name) = download_name(&browser, &f, &href).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        name.contains(&format!("{reference}-report-1-session-")),
        "the file says which report it is: {name}"
    );
    assert!(
        !name.contains("Mia") && !name.contains("Price"),
        "no name in it: {name}"
    );
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

/// Two reports of one case download under two names, each saying which report it is (issue 30).
#[tokio::test(flavor = "multi_thread")]
async fn two_reports_of_one_case_download_under_distinct_names() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    after_the_session(&f, &ran).await;
    let b = &ran.booking;
    let (_, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        json!({"sections": {"arrival": "On time.", "interaction": "A board game.", "ending": "Calm."},
               "checklist": [], "version": 0}),
    )
    .await;
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, _) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": saved["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut names = Vec::new();
    for (kind, title) in [("session", "Session report"), ("summary", "Summary report")] {
        let (status, created) = post(
            &f.app,
            &f.jo,
            &format!("/api/v1/cases/{}/reports", ran.case),
            json!({"kind": kind, "title": title, "records": [record]}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap();
        for path in [format!("/reports/{id}/pdf"), format!("/api/v1/reports/{id}/pdf")] {
            let answer = f.jo.get(f.app.url(&path)).send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::OK, "{path}");
            let name = answer.headers()["content-disposition"].to_str().unwrap().to_owned();
            assert!(name.contains(kind), "{name}");
            assert!(!name.contains("Mia") && !name.contains("Price"), "{name}");
            names.push(name);
        }
    }
    assert_eq!(names[0], names[1], "the page and the API give one report one name");
    assert_ne!(names[0], names[2], "two reports, two names: {names:?}");
    f.app.finish().await;
}

/// Finding 5: a volunteer raises a concern on a case; the safeguarding lead refers it to children's
/// social care; the coordinator assesses the risk again. The supervisor's briefing for the case's next
/// session shows the risk as now assessed and the concern with the lead's decision — and not the
/// words of the disclosure, which stay with those who read concerns.
#[tokio::test(flavor = "multi_thread")]
async fn journey_concern_and_decision_reach_the_supervisors_briefing() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let case = ran.case.clone();
    person(
        &f,
        "lee@riverside.example",
        "Lee Lead",
        Role::SafeguardingLead,
        Vec::new(),
    )
    .await;
    person(
        &f,
        "val@riverside.example",
        "Val Volunteer",
        Role::Volunteer,
        Vec::new(),
    )
    .await;
    // The assessment the case was accepted on: hostility between the adults.
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/risk-assessments"),
        json!({"concerns": ["hostility"], "decision": "supervised", "decision_reason": "Hostile handovers"}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    // The case's next session, in two weeks, with the same supervisor.
    let (status, next) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking(
            "supervised",
            &ahead(&f.app, 2),
            "10:00",
            &f.org.room.to_string(),
            &[&ran.sam_id],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{next}");
    let next = next[0]["id"].as_str().unwrap().to_owned();
    let mut problems = Vec::new();
    let browser = Browser::start().await;

    // A volunteer raises the concern on the case.
    sign_in(&browser, &f, "val@riverside.example").await;
    goto(&browser, &f, &format!("/concerns/new?case={case}")).await;
    click(&browser, "#kind-disclosure").await;
    fill(&browser, "about", "Mia Price").await;
    fill(&browser, "exact_words", "\"Mummy's friend shouts at me.\" WORDS-93").await;
    set(&browser, "#date", &f.app.today().to_string()).await;
    set(&browser, "#time", "00:00").await;
    fill(
        &browser,
        "action_taken",
        "Listened; told the safeguarding lead at once.",
    )
    .await;
    click(&browser, "#carers_told-no").await;
    fill(
        &browser,
        "carers_not_told_reason",
        "Telling the mother could put Mia at risk.",
    )
    .await;
    submit(&browser, "form[action='/concerns'] button[type=submit]").await;
    let text = browser.text().await;
    assert!(!text.contains("There is a problem"), "{text}");
    sign_out(&browser, &f.app).await;

    // The safeguarding lead refers it to children's social care.
    sign_in(&browser, &f, "lee@riverside.example").await;
    click(&browser, "a[href='/concerns']").await;
    browser.wait_for("a[href^='/concerns/']").await;
    let concern = browser
        .client
        .find(Locator::Css("main a[href^='/concerns/']:not([href='/concerns/new'])"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    goto(&browser, &f, &concern).await;
    fill(
        &browser,
        "decision",
        "Referred on the same day. The mother's partner must not come to the centre. DECISION-57",
    )
    .await;
    click(&browser, "#referred_to-childrens_social_care").await;
    fill(&browser, "agency_reference", "CSC-REF-2214").await;
    fill(&browser, "agency_contact", "Sam Duty, duty social worker").await;
    submit(
        &browser,
        &format!("form[action='{concern}/decision'] button[type=submit]"),
    )
    .await;
    assert!(browser.text().await.contains("DECISION-57"));
    sign_out(&browser, &f.app).await;

    // The coordinator assesses the risk again, as the case page asks after a disclosure.
    sign_in(&browser, &f, "jo@riverside.example").await;
    goto(&browser, &f, &format!("/cases/{case}")).await;
    assert!(present(&browser, "#risk-reassessment-due").await);
    click(&browser, "#concern-risk_of_harm").await;
    click(&browser, "#concern-hostility").await;
    set(&browser, "#decision", "supervised").await;
    fill(&browser, "decision_reason", "Social care involved after a disclosure").await;
    submit(
        &browser,
        &format!("form[action='/cases/{case}/risk'] button[type=submit]"),
    )
    .await;
    assert!(!present(&browser, "#risk-reassessment-due").await);
    sign_out(&browser, &f.app).await;

    // The supervisor's briefing for the next session.
    sign_in(&browser, &f, "sam@riverside.example").await;
    goto(&browser, &f, &format!("/bookings/{next}/record")).await;
    let risks = text_of(&browser, "#briefing-risks").await;
    assert!(
        risks.contains("current social care involvement") && risks.contains("High hostility"),
        "the risks of the latest assessment: {risks}"
    );
    assert!(risks.contains("Social care involved after a disclosure"), "{risks}");
    let concerns = text_of(&browser, "#briefing-concerns").await;
    assert!(
        concerns.contains("A disclosure") && concerns.contains("(open)"),
        "the open concern: {concerns}"
    );
    assert!(
        concerns.contains("DECISION-57") && concerns.contains("Referred to Children's social care"),
        "the lead's decision: {concerns}"
    );
    let text = browser.text().await;
    for kept_back in ["WORDS-93", "CSC-REF-2214", "Sam Duty", "Val Volunteer"] {
        assert!(!text.contains(kept_back), "the briefing shows {kept_back}: {text}");
    }
    check_page(&browser, &mut problems, "briefing with a concern").await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}
