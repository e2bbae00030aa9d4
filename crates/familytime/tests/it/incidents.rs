//! Safeguarding concerns, end to end on the real server: a volunteer raises concerns at a supported
//! session (API and pages) and cannot read them afterwards; the safeguarding lead sees them on their
//! home page, decides with a police referral, and closed concerns leave the home page; a stale
//! decision is refused and changes nothing; bad input is refused with a clear message and nothing is
//! written; an incident makes the case show "Risk reassessment due" until risk is assessed again.

use crate::harness::{Org, TestApp, json_of};
use familytime_domain::people::Role;
use jiff::ToSpan;
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Fixture {
    app: TestApp,
    org: Org,
    /// A coordinator (API).
    jo: reqwest::Client,
    /// A volunteer, signed in for pages (the CSRF token) and the API.
    vic: reqwest::Client,
    vic_csrf: String,
    /// The designated safeguarding lead.
    dee: reqwest::Client,
    dee_csrf: String,
    case: String,
    reference: String,
    booking: String,
}

async fn post(app: &TestApp, client: &reqwest::Client, path: &str, body: Value) -> (StatusCode, Value) {
    json_of(client.post(app.url(path)).json(&body).send().await.unwrap()).await
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, Value) {
    json_of(client.get(app.url(path)).send().await.unwrap()).await
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let r = client.get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn form(app: &TestApp, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let r = client.post(app.url(path)).form(fields).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// An hour ago, by the server's clock, as the centre's (Europe/London) date and time.
fn an_hour_ago(app: &TestApp) -> (String, String) {
    let then = app.local_now().checked_sub(1.hour()).unwrap();
    (then.date().to_string(), then.time().strftime("%H:%M").to_string())
}

/// A centre open every day, a shared hall, an accepted supported case with one session a week ahead
/// staffed by the volunteer, and everyone signed in.
async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    app.seed_user(&org, Role::OrganisationAdmin, "ade@riverside.example")
        .await;
    let vic_id = app
        .seed_user(&org, Role::Volunteer, "vic@riverside.example")
        .await
        .to_string();
    app.seed_user(&org, Role::SafeguardingLead, "dee@riverside.example")
        .await;
    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    let admin = app.client();
    app.api_login(&admin, "ade@riverside.example").await;
    for weekday in 1..=7 {
        let (status, body) = post(
            &app,
            &jo,
            &format!("/api/v1/centres/{}/opening-hours", org.centre),
            json!({"weekday": weekday, "opens": "08:00", "closes": "20:00"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, hall) = post(
        &app,
        &admin,
        &format!("/api/v1/centres/{}/rooms", org.centre),
        json!({"name": "Main hall", "kind": "hall", "capacity_families": 10}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{hall}");
    let (status, case) = post(
        &app,
        &jo,
        "/api/v1/referrals",
        crate::referrals::referral(&org.centre.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["id"].as_str().unwrap().to_owned();
    for step in [
        json!({"to": "waiting_list", "reason": "complete"}),
        json!({"to": "assessment", "reason": "top of the list"}),
        json!({"to": "accepted", "reason": "assessed", "service": "supported"}),
    ] {
        let (_, file) = get(&app, &jo, &format!("/api/v1/cases/{id}")).await;
        let mut step = step;
        step["version"] = file["case"]["version"].clone();
        let (status, body) = post(&app, &jo, &format!("/api/v1/cases/{id}/transitions"), step).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let date = app.today().checked_add(7.days()).unwrap().to_string();
    let (status, booked) = post(
        &app,
        &jo,
        &format!("/api/v1/cases/{id}/bookings"),
        json!({"kind": "supported", "date": date, "time": "10:00", "minutes": 120, "room_id": hall["id"], "staff": [vic_id]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let vic = app.client();
    let vic_csrf = app.page_login(&vic, "vic@riverside.example").await;
    let dee = app.client();
    let dee_csrf = app.page_login(&dee, "dee@riverside.example").await;
    Fixture {
        org,
        jo,
        vic,
        vic_csrf,
        dee,
        dee_csrf,
        reference: case["reference"].as_str().unwrap().to_owned(),
        case: id,
        booking: booked[0]["id"].as_str().unwrap().to_owned(),
        app,
    }
}

/// A complete concern, to be spoiled one field at a time.
fn concern(app: &TestApp, place: (&str, &str), kind: &str) -> Value {
    let (date, time) = an_hour_ago(app);
    let mut body = json!({
        "kind": kind,
        "about": "Mia Price (7)",
        "exact_words": "Mia said: \"Daddy said not to tell Mummy where we went.\"",
        "date": date,
        "time": time,
        "action_taken": "Listened without questioning; phoned the safeguarding lead at once.",
        "carers_told": false,
        "carers_not_told_reason": "Telling the father could put Mia at risk",
    });
    body[place.0] = json!(place.1);
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn a_volunteer_raises_concerns_at_a_supported_session_and_the_lead_decides_them() {
    let f = fixture().await;
    let app = &f.app;

    // Through the API, at the session.
    let (status, raised) = post(
        app,
        &f.vic,
        "/api/v1/concerns",
        concern(app, ("booking_id", &f.booking), "disclosure"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{raised}");
    assert_eq!(raised["prompts_risk_reassessment"], true);
    let first = raised["id"].as_str().unwrap().to_owned();

    // Through the pages: the session's page links to the form, which names the session's case.
    let (status, booking_page) = page(app, &f.vic, &format!("/bookings/{}", f.booking)).await;
    assert_eq!(status, StatusCode::OK);
    let link = format!("/concerns/new?booking={}", f.booking);
    assert!(booking_page.contains(&link), "the booking page offers the form");
    let (status, form_page) = page(app, &f.vic, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form_page.contains(&f.reference), "the form says which case");
    let (date, time) = an_hour_ago(app);
    let sent = f
        .vic
        .post(app.url("/concerns"))
        .form::<[(&str, &str)]>(&[
            ("csrf_token", &f.vic_csrf),
            ("booking_id", &f.booking),
            ("case_id", ""),
            ("kind", "incident"),
            ("about", "Mia Price and her father"),
            (
                "exact_words",
                "Father shouted \"You'll never see her again\" at the hall door.",
            ),
            ("date", &date),
            ("time", &time),
            (
                "action_taken",
                "Took Mia to the quiet room with a colleague; ended the session.",
            ),
            ("carers_told", "yes"),
            ("carers_not_told_reason", ""),
        ])
        .send()
        .await
        .unwrap();
    // Redirected after the POST, so a refresh never raises it twice; only its author sees the page.
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let confirmation = sent.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        confirmation.starts_with("/concerns/") && confirmation.ends_with("/raised"),
        "{confirmation}"
    );
    let (status, done) = page(app, &f.vic, &confirmation).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let (status, _) = page(app, &f.dee, &confirmation).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nobody else's confirmation");
    assert!(done.contains("Concern raised"));
    assert!(
        !done.contains("View the concern"),
        "a volunteer is not offered the concern to read"
    );

    // A volunteer cannot read concerns afterwards, by page or API.
    for path in [
        "/concerns".to_owned(),
        format!("/concerns/{first}"),
        "/api/v1/concerns".to_owned(),
        format!("/api/v1/concerns/{first}"),
    ] {
        let status = f.vic.get(app.url(&path)).send().await.unwrap().status();
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }

    // The lead sees both on their home page.
    let (_, home) = page(app, &f.dee, "/home").await;
    assert!(home.contains("Open safeguarding concerns: 2"), "{home}");
    assert!(home.contains(&format!("/concerns/{first}")));
    let (_, list) = get(app, &f.dee, "/api/v1/concerns").await;
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 2);
    let second = list.iter().find(|c| c["id"] != first.as_str()).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, c) = get(app, &f.dee, &format!("/api/v1/concerns/{first}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(c["kind"], "disclosure");
    assert_eq!(c["case_id"], f.case.as_str(), "the session's case is recorded");
    assert_eq!(c["booking_id"], f.booking.as_str());
    assert_eq!(c["carers_told"], false);
    assert_eq!(c["carers_not_told_reason"], "Telling the father could put Mia at risk");
    assert_eq!(c["raised_by"], "Test Volunteer");
    assert_eq!(c["status"], "open");

    // A referral needs its reference and the person contacted; refused, nothing changes.
    let decision = json!({"decision": "Disclosure of harm: referred to the police.", "referred_to": "police",
                          "close": true, "version": c["version"]});
    let (status, body) = post(
        app,
        &f.dee,
        &format!("/api/v1/concerns/{first}/decision"),
        decision.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["agency_reference", "agency_contact"]);
    // A coordinator may read concerns but not decide them.
    let (status, _) = post(
        app,
        &f.jo,
        &format!("/api/v1/concerns/{first}/decision"),
        decision.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut decision = decision;
    decision["agency_reference"] = json!("CRN 4471/26");
    decision["agency_contact"] = json!("PC Amir Shah, Leeds CID");
    let (status, body) = post(
        app,
        &f.dee,
        &format!("/api/v1/concerns/{first}/decision"),
        decision.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, c) = get(app, &f.dee, &format!("/api/v1/concerns/{first}")).await;
    assert_eq!(
        (
            &c["status"],
            &c["referred_to"],
            &c["agency_reference"],
            &c["agency_contact"],
            &c["decided_by"]
        ),
        (
            &json!("closed"),
            &json!("police"),
            &json!("CRN 4471/26"),
            &json!("PC Amir Shah, Leeds CID"),
            &json!("Test Safeguarding lead")
        )
    );
    // A closed concern's decision is not changed again.
    let (status, _) = post(app, &f.dee, &format!("/api/v1/concerns/{first}/decision"), decision).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // It has left the home page; the second is still there.
    let (_, home) = page(app, &f.dee, "/home").await;
    assert!(home.contains("Open safeguarding concerns: 1"), "{home}");
    assert!(!home.contains(&format!("/concerns/{first}")));
    assert!(home.contains(&format!("/concerns/{second}")));

    // The second is decided on its page (kept open), then a decision made on the old version is
    // refused and changes nothing.
    let (status, shown) = page(app, &f.dee, &format!("/concerns/{second}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(shown.contains("never see her again"), "the exact words are shown");
    assert!(shown.contains("Record your decision"));
    let (status, _) = form(
        app,
        &f.dee,
        &format!("/concerns/{second}/decision"),
        &[
            ("csrf_token", &f.dee_csrf),
            ("version", "1"),
            (
                "decision",
                "Spoke to the coordinator; supervised contact to be considered.",
            ),
            ("referred_to", "none"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let stale = json!({"decision": "Overwrite", "referred_to": "none", "close": true, "version": 1});
    let (status, body) = post(app, &f.dee, &format!("/api/v1/concerns/{second}/decision"), stale).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("stale"))
    );
    let (status, stale_page) = form(
        app,
        &f.dee,
        &format!("/concerns/{second}/decision"),
        &[
            ("csrf_token", &f.dee_csrf),
            ("version", "1"),
            ("decision", "Overwrite from an old tab"),
            ("referred_to", "none"),
            ("close", "yes"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(stale_page.contains("changed by someone else"));
    let (_, c) = get(app, &f.dee, &format!("/api/v1/concerns/{second}")).await;
    assert_eq!(
        c["decision"],
        "Spoke to the coordinator; supervised contact to be considered."
    );
    assert_eq!(c["status"], "open");
    assert_eq!(c["version"], 2);

    // Closing it empties the home page's list; /concerns shows it among the closed.
    let (status, _) = form(
        app,
        &f.dee,
        &format!("/concerns/{second}/decision"),
        &[
            ("csrf_token", &f.dee_csrf),
            ("version", "2"),
            (
                "decision",
                "Supervised contact agreed at review; nothing more for safeguarding.",
            ),
            ("referred_to", "none"),
            ("close", "yes"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The earlier decision's words are kept beside the new one, never replaced.
    let (_, c) = get(app, &f.dee, &format!("/api/v1/concerns/{second}")).await;
    let words: Vec<&str> = c["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["decision"].as_str().unwrap())
        .collect();
    assert_eq!(
        words,
        [
            "Spoke to the coordinator; supervised contact to be considered.",
            "Supervised contact agreed at review; nothing more for safeguarding."
        ]
    );
    assert_eq!(c["decisions"][1]["closed"], true);
    for sql in [
        "UPDATE concern_decisions SET decision = 'rewritten'",
        "DELETE FROM concern_decisions",
    ] {
        assert!(
            crate::records::raw_sql(&app.location, sql).await.is_err(),
            "{sql} must be refused"
        );
    }
    let (_, shown) = page(app, &f.dee, &format!("/concerns/{second}")).await;
    assert!(shown.contains("Every decision, oldest first") && shown.contains("supervised contact to be considered"));
    let (_, home) = page(app, &f.dee, "/home").await;
    assert!(home.contains("Open safeguarding concerns: 0"));
    let (status, all) = page(app, &f.dee, "/concerns").await;
    assert_eq!(status, StatusCode::OK);
    assert!(all.contains("Closed (2)"));

    // Every read of a concern is in the audit log.
    let entries = app.store.audit_entries(f.org.id, None, 500).await.unwrap();
    let count = |action: &str| entries.iter().filter(|e| e.action == action).count();
    assert_eq!(count("concern.raise"), 2);
    assert!(count("concern.read") >= 4);
    assert_eq!(count("concern.close"), 2);
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_concerns_are_refused_with_a_reason_and_nothing_is_written() {
    let f = fixture().await;
    let app = &f.app;
    let other = app.seed_organisation("Elsewhere").await;
    let place = ("case_id", f.case.as_str());
    let spoil = |field: &str, value: Value| {
        let mut body = concern(app, place, "concern");
        body[field] = value;
        body
    };
    let tomorrow = app.today().checked_add(1.day()).unwrap().to_string();
    let cases = [
        (
            spoil("exact_words", json!("  ")),
            "exact_words",
            "Enter the exact words",
        ),
        (
            spoil("carers_not_told_reason", json!("")),
            "carers_not_told_reason",
            "why the parents or carers were not told",
        ),
        (spoil("carers_told", Value::Null), "carers_told", "Say whether"),
        (spoil("date", json!(tomorrow)), "date", "cannot be in the future"),
        (spoil("date", json!("2026-02-30")), "date", "Enter the date"),
        (spoil("kind", json!("rumour")), "kind", "Choose what kind"),
        (
            spoil("exact_words", json!("x".repeat(10_001))),
            "exact_words",
            "characters or fewer",
        ),
    ];
    for (body, field, expected) in cases {
        let (status, answer) = post(app, &f.vic, "/api/v1/concerns", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field, "{answer}");
        assert!(
            answer.to_string().contains(expected),
            "expected “{expected}” in {answer}"
        );
    }
    // Another organisation's case, centre or session: not found (or not offered), nothing written.
    let mut elsewhere = concern(app, ("case_id", &uuid::Uuid::now_v7().to_string()), "concern");
    let (status, _) = post(app, &f.vic, "/api/v1/concerns", elsewhere.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    elsewhere["case_id"] = Value::Null;
    elsewhere["centre_id"] = json!(other.centre.to_string());
    let (status, answer) = post(app, &f.vic, "/api/v1/concerns", elsewhere).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["fields"][0]["field"], "centre_id");
    let other_admin = app.seed_user(&other, Role::Coordinator, "cat@elsewhere.example").await;
    let _ = other_admin;
    let cat = app.client();
    app.api_login(&cat, "cat@elsewhere.example").await;
    let (status, _) = post(
        app,
        &cat,
        "/api/v1/concerns",
        concern(app, ("case_id", &f.case), "concern"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another organisation's case id");
    let (status, _) = post(
        app,
        &cat,
        "/api/v1/concerns",
        concern(app, ("booking_id", &f.booking), "concern"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another organisation's session");

    // The page shows the problems in an error summary, keeps what was typed, and writes nothing.
    let (status, shown) = form(
        app,
        &f.vic,
        "/concerns",
        &[
            ("csrf_token", &f.vic_csrf),
            ("case_id", &f.case),
            ("kind", "allegation"),
            ("about", "Mia Price"),
            ("exact_words", ""),
            ("date", &tomorrow),
            ("time", "10:00"),
            ("action_taken", "Told the lead"),
            ("carers_told", "no"),
            ("carers_not_told_reason", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(shown.contains("There is a problem"));
    assert!(shown.contains("Enter the exact words used"));
    assert!(shown.contains("cannot be in the future"));
    assert!(shown.contains("Enter why the parents or carers were not told"));
    assert!(shown.contains("value=\"Mia Price\""), "what was typed is kept");

    let (_, list) = get(app, &f.dee, "/api/v1/concerns").await;
    assert_eq!(list, json!([]), "nothing was written");
    let (status, _) = get(app, &f.dee, &format!("/api/v1/concerns/{}", uuid::Uuid::now_v7())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(app, &f.dee, "/api/v1/concerns/not-an-id").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incident_makes_the_case_due_a_risk_reassessment_until_one_is_recorded() {
    let f = fixture().await;
    let app = &f.app;
    let jo_csrf = app.page_login(&f.jo, "jo@riverside.example").await;
    let _ = jo_csrf;
    let case_path = format!("/cases/{}", f.case);
    let (_, before) = page(app, &f.jo, &case_path).await;
    assert!(!before.contains("Risk reassessment due"));

    // A general welfare concern does not prompt a reassessment; an incident does.
    let (status, raised) = post(
        app,
        &f.jo,
        "/api/v1/concerns",
        concern(app, ("case_id", &f.case), "concern"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{raised}");
    assert_eq!(raised["prompts_risk_reassessment"], false);
    let (_, shown) = page(app, &f.jo, &case_path).await;
    assert!(!shown.contains("Risk reassessment due"));
    let (status, raised) = post(
        app,
        &f.jo,
        "/api/v1/concerns",
        concern(app, ("case_id", &f.case), "incident"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{raised}");
    assert_eq!(raised["prompts_risk_reassessment"], true);
    let (status, shown) = page(app, &f.jo, &case_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        shown.contains("Risk reassessment due: an incident was raised on"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("/concerns/{}", raised["id"].as_str().unwrap())),
        "the case lists its concerns to those who may read them"
    );
    let (_, file) = get(app, &f.jo, &format!("/api/v1/cases/{}", f.case)).await;
    assert!(file["risk_reassessment_due"].is_string(), "{file}");

    // A new risk assessment clears it.
    let (status, body) = post(
        app,
        &f.jo,
        &format!("/api/v1/cases/{}/risk-assessments", f.case),
        json!({"concerns": ["hostility"], "decision": "supervised", "decision_reason": "Incident at the supported session"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, after) = page(app, &f.jo, &case_path).await;
    assert!(!after.contains("Risk reassessment due"));
    let (_, file) = get(app, &f.jo, &format!("/api/v1/cases/{}", f.case)).await;
    assert_eq!(file["risk_reassessment_due"], Value::Null);
    f.app.finish().await;
}
