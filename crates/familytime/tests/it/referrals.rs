//! Referrals and cases through the API: a referral goes from a referrer through triage to accepted and
//! closed; referrers see only their own; bad referrals change nothing; and the canary test: a
//! confidential address hidden from the visiting parent never reaches anyone it must not.

use crate::harness::{Org, TestApp, json_of};
use familytime_domain::people::Role;
use familytime_web::routes::route_table;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const CANARY: &str = "17 Canary Wharf Close, CANARY-7f3a9";

/// A referral of one child, from Cafcass, with the resident parent's address hidden from the
/// visiting parent (adult 1).
pub fn referral(centre: &str) -> Value {
    json!({
        "centre_id": centre,
        "source": "cafcass",
        "referrer_organisation": "Cafcass",
        "children": [{"name": "Mia Price", "date_of_birth": "2019-03-27", "needs": "Asthma inhaler"}],
        "adults": [
            {"role": "resident", "name": "Laura Price", "parental_responsibility": true,
             "contacts": [{"kind": "address", "value": CANARY, "hidden_from": [1]}, {"kind": "phone", "value": "07700 900123", "hidden_from": [1]}]},
            {"role": "visiting", "name": "Daniel Price", "relationship": "Father", "parental_responsibility": true, "availability": "Saturdays"}
        ],
        "court_orders": [
            {"kind": "child_arrangements", "made_on": "2026-09-01", "court": "Leeds Family Court", "sessions": 6, "reports_ordered": true, "report_recipients": "Cafcass, both solicitors"},
            {"kind": "non_molestation", "made_on": "2026-06-15", "court": "Leeds Family Court"}
        ],
        "child_lives_with": "Mother",
        "risk_background": "History of domestic abuse; non-molestation order in force.",
        "consent_to_share": true
    })
}

async fn submit(app: &TestApp, client: &reqwest::Client, body: &Value) -> (StatusCode, Value) {
    json_of(
        client
            .post(app.url("/api/v1/referrals"))
            .json(body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn move_case(app: &TestApp, client: &reqwest::Client, id: &str, body: Value) -> (StatusCode, Value) {
    let (_, file) = json_of(
        client
            .get(app.url(&format!("/api/v1/cases/{id}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let mut body = body;
    body["version"] = file["case"]["version"].clone();
    json_of(
        client
            .post(app.url(&format!("/api/v1/cases/{id}/transitions")))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_referral_goes_from_a_referrer_through_triage_to_accepted_and_closed() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Referrer, "fca@cafcass.example").await;
    let jo_id = app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let fca = app.client();
    app.api_login(&fca, "fca@cafcass.example").await;
    let (status, created) = submit(&app, &fca, &referral(&org.centre.to_string())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "received");
    let id = created["id"].as_str().unwrap().to_owned();
    app.name_for_case(&org, &id, jo_id, false).await;

    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    let (_, list) = json_of(jo.get(app.url("/api/v1/cases?status=received")).send().await.unwrap()).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["children"], json!(["Mia Price"]));

    let (status, file) = json_of(jo.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        file["contacts"][0]["value"], CANARY,
        "the coordinator named for the case sees the hidden address (the control)"
    );
    assert_eq!(file["contacts"][0]["hidden_from"], json!(["Daniel Price"]));
    assert_eq!(file["court_orders"].as_array().unwrap().len(), 2);
    assert_eq!(file["case"]["referrer_name"], Value::Null);
    assert_eq!(
        file["referrer_name"], "Test Referrer",
        "a referrer's own name is recorded"
    );

    // Illegal and incomplete moves are refused and change nothing.
    let (status, body) = move_case(&app, &jo, &id, json!({"to": "active", "reason": "skip ahead"})).await;
    assert_eq!(
        (status, body["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("to"))
    );
    let (status, _) = move_case(&app, &jo, &id, json!({"to": "declined", "reason": " "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "declining needs a reason");
    let stale = jo
        .post(app.url(&format!("/api/v1/cases/{id}/transitions")))
        .json(&json!({"to": "waiting_list", "reason": "complete", "version": 99}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);

    for step in [
        json!({"to": "waiting_list", "reason": "Referral complete; no fee for Cafcass referrals"}),
        json!({"to": "assessment", "reason": "Reached the top of the waiting list"}),
    ] {
        let (status, body) = move_case(&app, &jo, &id, step).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    // Before a risk assessment has decided the service, accepting needs one named.
    let (status, _) = move_case(&app, &jo, &id, json!({"to": "accepted", "reason": "Assessed"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "accepting needs a service");
    let (status, advice) = json_of(
        jo.post(app.url(&format!("/api/v1/cases/{id}/risk-assessments")))
            .json(&json!({"concerns": ["domestic_abuse", "court_requires_supervision"], "notes": "Order in force", "decision": "supervised", "decision_reason": "Court order and abuse history"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{advice}");
    assert_eq!(advice["suggestion"], "supervised");
    let (status, body) = move_case(&app, &jo, &id, json!({"to": "pre_visits", "reason": "Assessment done"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // Pre-visits: one per adult, never together; both done with the rules agreed means ready to book.
    let (_, file) = json_of(jo.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.unwrap()).await;
    let adults = file["adults"].as_array().unwrap();
    let party = |role: &str| {
        adults.iter().find(|a| a["role"] == role).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (resident, visiting) = (party("resident"), party("visiting"));
    // A pre-visit is a booking: the centre is open, it takes a room and a member of staff.
    for weekday in 1..=7 {
        let r = jo
            .post(app.url(&format!("/api/v1/centres/{}/opening-hours", org.centre)))
            .json(&json!({"weekday": weekday, "opens": "08:00", "closes": "20:00"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let sam = app
        .seed_user(&org, Role::Supervisor, "sam@riverside.example")
        .await
        .to_string();
    // Two weeks from the server's today.
    let day = app.today().checked_add(jiff::ToSpan::days(14)).unwrap();
    let date = day.to_string();
    let book = |party: String, time: &'static str| {
        let date = date.clone();
        let url = app.url(&format!("/api/v1/cases/{id}/pre-visits"));
        let jo = jo.clone();
        let body = json!({"party_id": party, "date": date, "time": time, "room_id": org.room.to_string(), "staff": [sam.clone()]});
        async move { json_of(jo.post(url).json(&body).send().await.unwrap()).await }
    };
    let (status, booked) = book(resident.clone(), "10:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert_eq!(booked[0]["kind"], "pre_visit", "{booked}");
    let (status, clash) = book(visiting.clone(), "10:30").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "never together: {clash}");
    assert_eq!(book(visiting.clone(), "14:00").await.0, StatusCode::CREATED);
    let (status, _) = book(visiting.clone(), "2026-13-40").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, file) = json_of(jo.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.unwrap()).await;
    assert_eq!(file["still_needed"].as_array().unwrap().len(), 2);
    let london = jiff::tz::TimeZone::get("Europe/London").unwrap();
    let ten = day.at(10, 0, 0, 0).to_zoned(london).unwrap().timestamp();
    assert_eq!(
        file["pre_visits"][0]["at"],
        ten.to_string(),
        "10:00 in London is stored as that instant in UTC"
    );
    assert_eq!(
        file["pre_visits"][0]["booking_id"], booked[0]["id"],
        "the record points at its booking"
    );
    // Not before the visits have happened.
    let first = &file["pre_visits"][0];
    let early =
        json!({"status": "done", "rules_agreed": true, "checklist": [], "notes": "", "version": first["version"]});
    let (status, body) = json_of(
        jo.post(app.url(&format!("/api/v1/pre-visits/{}", first["id"].as_str().unwrap())))
            .json(&early)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("not happened yet"), "{body}");
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 15));
    app.api_login(&jo, "jo@riverside.example").await;
    app.api_login(&fca, "fca@cafcass.example").await;
    for visit in file["pre_visits"].as_array().unwrap() {
        let record = json!({"status": "done", "rules_agreed": true, "checklist": ["rooms_shown", "conduct_rules"], "notes": "Shown round", "version": visit["version"]});
        let r = jo
            .post(app.url(&format!("/api/v1/pre-visits/{}", visit["id"].as_str().unwrap())))
            .json(&record)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    let (_, file) = json_of(jo.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.unwrap()).await;
    assert_eq!(file["still_needed"], json!([]), "ready to book");
    for step in [
        json!({"to": "accepted", "reason": "Both pre-visits done", "service": "supervised"}),
        json!({"to": "active", "reason": "First session booked"}),
        json!({"to": "closed", "reason": "Six sessions completed", "outcome": "moved_to_handover"}),
    ] {
        let (status, body) = move_case(&app, &jo, &id, step).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let (_, file) = json_of(jo.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.unwrap()).await;
    assert_eq!(
        (
            file["case"]["status"].as_str(),
            file["case"]["service"].as_str(),
            file["outcome"].as_str()
        ),
        (Some("closed"), Some("supervised"), Some("moved_to_handover"))
    );
    assert_eq!(file["history"].as_array().unwrap().len(), 7);
    assert!(
        app.store
            .audit_entries(org.id, None, 500)
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "pre_visit.record")
    );

    // The referrer follows the status, not the file.
    let (_, mine) = json_of(
        fca.get(app.url(&format!("/api/v1/referrals/{id}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(mine["referral"]["status"], "closed");
    assert!(
        !mine.to_string().contains("Six sessions completed"),
        "the reasons stay in the case file"
    );
    assert_eq!(
        fca.get(app.url(&format!("/api/v1/cases/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let entries = app.store.audit_entries(org.id, None, 500).await.unwrap();
    assert!(
        entries.iter().any(|e| e.action == "case.read")
            && entries.iter().filter(|e| e.action == "case.transition").count() == 6
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_referrer_sees_only_their_own_referrals() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Referrer, "one@cafcass.example").await;
    app.seed_user(&org, Role::Referrer, "two@law.example").await;
    let one = app.client();
    app.api_login(&one, "one@cafcass.example").await;
    let two = app.client();
    app.api_login(&two, "two@law.example").await;
    let (_, created) = submit(&app, &one, &referral(&org.centre.to_string())).await;
    let id = created["id"].as_str().unwrap();
    let (_, theirs) = json_of(two.get(app.url("/api/v1/referrals")).send().await.unwrap()).await;
    assert_eq!(theirs, json!([]));
    assert_eq!(
        two.get(app.url(&format!("/api/v1/referrals/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        two.get(app.url("/api/v1/cases")).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let (_, mine) = json_of(one.get(app.url("/api/v1/referrals")).send().await.unwrap()).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    // A referrer cannot move their referral on.
    let r = one
        .post(app.url(&format!("/api/v1/cases/{id}/transitions")))
        .json(&json!({"to": "declined", "reason": "x", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_referrals_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    let other = app.seed_organisation("Hillside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    let centre = org.centre.to_string();
    let mut future_child = referral(&centre);
    future_child["children"][0]["date_of_birth"] = json!("2099-01-01");
    let mut no_resident = referral(&centre);
    no_resident["adults"] = json!([{"role": "visiting", "name": "Daniel Price"}]);
    let mut undated_injunction = referral(&centre);
    undated_injunction["court_orders"][1]["made_on"] = json!("");
    let mut unknown_hidden = referral(&centre);
    unknown_hidden["adults"][0]["contacts"][0]["hidden_from"] = json!([5]);
    let cases = [
        (future_child, "today or in the past"),
        (no_resident, "resident parent"),
        (undated_injunction, "date"),
        (unknown_hidden, "not on the referral"),
        (referral("not-a-centre"), "centre"),
        (referral(&other.centre.to_string()), "centre"),
        (referral(&uuid::Uuid::now_v7().to_string()), "centre"),
    ];
    for (body, words) in cases {
        let (status, answer) = submit(&app, &jo, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer.to_string().contains(words), "{words}: {answer}");
    }
    assert!(app.store.cases(org.id, None, None).await.unwrap().is_empty());
    assert!(app.store.cases(other.id, None, None).await.unwrap().is_empty());
    app.finish().await;
}

/// Every GET route, with this case's ids filled in (`party`: one of its adults).
pub(crate) fn reachable_paths(org: &Org, case: &str, user: &str, party: &str) -> Vec<String> {
    route_table()
        .into_iter()
        .filter(|r| r.method == Method::GET)
        .map(|r| {
            let id = if r.path.contains("/centres/") {
                org.centre.to_string()
            } else if r.path.contains("/rooms/") {
                org.room.to_string()
            } else if r.path.contains("/users/") {
                user.to_owned()
            } else {
                case.to_owned()
            };
            r.path
                .replace("{id}", &id)
                .replace("{party}", party)
                .replace("{token}", "x")
                .replace("{file}", "app.css")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn canary_hidden_address_never_reaches_those_it_is_hidden_from() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    let jo_id = app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    app.seed_user(&org, Role::Referrer, "fca@cafcass.example").await;
    app.seed_user(&org, Role::Referrer, "other@law.example").await;
    app.seed_user(&org, Role::Volunteer, "val@riverside.example").await;
    let visiting = app.seed_user(&org, Role::Parent, "daniel@example.com").await;
    let fca = app.client();
    app.api_login(&fca, "fca@cafcass.example").await;
    let (_, created) = submit(&app, &fca, &referral(&org.centre.to_string())).await;
    let case = created["id"].as_str().unwrap().to_owned();
    let file = app
        .store
        .case(org.id, familytime_domain::ids::CaseId::parse(&case).unwrap())
        .await
        .unwrap();
    let resident = file
        .parties
        .iter()
        .find(|p| p.role == familytime_domain::intake::PartyRole::Resident)
        .unwrap()
        .id
        .to_string();
    let paths = reachable_paths(&org, &case, &visiting.to_string(), &resident);

    // The control: the case file of the coordinator named for it does show it, on the page and in
    // the API.
    app.name_for_case(&org, &case, jo_id, false).await;
    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    let page = jo
        .get(app.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let api = jo
        .get(app.url(&format!("/api/v1/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("CANARY-7f3a9") && api.contains("CANARY-7f3a9"),
        "the canary is really there"
    );

    for who in [
        "daniel@example.com",
        "other@law.example",
        "val@riverside.example",
        "fca@cafcass.example",
    ] {
        let client = app.client();
        app.api_login(&client, who).await;
        for path in &paths {
            let body = client.get(app.url(path)).send().await.unwrap().text().await.unwrap();
            assert!(!body.contains("CANARY-7f3a9"), "{who} saw the hidden address at {path}");
        }
    }
    let anonymous = app.client();
    for path in &paths {
        let body = anonymous.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(
            !body.contains("CANARY-7f3a9"),
            "a visitor saw the hidden address at {path}"
        );
    }
    // Nor is it in the audit log.
    let entries = app.store.audit_entries(org.id, None, 500).await.unwrap();
    assert!(entries.iter().all(|e| !format!("{e:?}").contains("CANARY")));
    assert!(
        entries.iter().any(|e| e.action == "contact.disclose"),
        "the coordinator's disclosure was audited"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_waiting_list_is_in_order_of_arrival_with_the_wait_shown() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let (_, created) = submit(&app, &jo, &referral(&org.centre.to_string())).await;
        let id = created["id"].as_str().unwrap().to_owned();
        let (status, _) = move_case(&app, &jo, &id, json!({"to": "waiting_list", "reason": "complete"})).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        ids.push(id);
        app.clock.advance(jiff::SignedDuration::from_hours(24 * 7));
        app.api_login(&jo, "jo@riverside.example").await; // a week later the session has timed out
    }
    let (_, list) = json_of(
        jo.get(app.url("/api/v1/cases?status=waiting_list"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let order: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(
        order,
        ids.iter().map(String::as_str).collect::<Vec<_>>(),
        "first come, first served"
    );
    assert_eq!(list[0]["days_waiting"], 21);
    let page = jo
        .get(app.url("/cases?status=waiting_list"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("21 days"), "the wait is shown");
    let bad = jo.get(app.url("/api/v1/cases?status=lost")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn referrals_from_every_source_reach_every_ending_and_can_be_found() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    app.seed_user(&org, Role::Referrer, "fca@cafcass.example").await;
    let admin = app.client();
    app.api_login(&admin, "admin@riverside.example").await;
    let (_, second) = json_of(
        admin
            .post(app.url("/api/v1/centres"))
            .json(&json!({"name": "Northgate"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let northgate = second["id"].as_str().unwrap().to_owned();
    let fca = app.client();
    app.api_login(&fca, "fca@cafcass.example").await;

    let mut ids = std::collections::BTreeMap::new();
    for (i, source) in [
        "cafcass",
        "court",
        "solicitor",
        "social_worker",
        "mediator",
        "other_centre",
        "self_referral",
        "other",
    ]
    .into_iter()
    .enumerate()
    {
        let centre = if i % 2 == 0 {
            org.centre.to_string()
        } else {
            northgate.clone()
        };
        let mut body = referral(&centre);
        body["source"] = json!(source);
        body["children"][0]["name"] = json!(format!("Child {source}"));
        let client = if source == "cafcass" { &fca } else { &admin };
        let (status, created) = submit(&app, client, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{source}: {created}");
        assert_eq!(created["source"], source);
        ids.insert(source, created["id"].as_str().unwrap().to_owned());
    }
    let to_end = |path: Vec<Value>| path;
    let endings = [
        (
            "cafcass",
            to_end(vec![
                json!({"to": "waiting_list", "reason": "ok"}),
                json!({"to": "assessment", "reason": "ok"}),
                json!({"to": "accepted", "reason": "ok", "service": "supported"}),
            ]),
        ),
        (
            "court",
            to_end(vec![json!({"to": "declined", "reason": "Abduction risk"})]),
        ),
        (
            "solicitor",
            to_end(vec![json!({"to": "signposted", "reason": "Nearer another centre"})]),
        ),
        (
            "social_worker",
            to_end(vec![
                json!({"to": "assessment", "reason": "ok"}),
                json!({"to": "accepted", "reason": "ok", "service": "handover"}),
                json!({"to": "active", "reason": "ok"}),
                json!({"to": "closed", "reason": "Done", "outcome": "arranging_contact_themselves"}),
            ]),
        ),
        (
            "self_referral",
            to_end(vec![
                json!({"to": "awaiting_fee", "reason": "Private referral"}),
                json!({"to": "waiting_list", "reason": "Fee paid"}),
            ]),
        ),
        (
            "mediator",
            to_end(vec![
                json!({"to": "incomplete", "reason": "Need the order", "missing": "The child arrangements order"}),
            ]),
        ),
    ];
    for (source, steps) in endings {
        for step in steps {
            let (status, body) = move_case(&app, &admin, &ids[source], step).await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{source}: {body}");
        }
    }
    let status_of = |list: &Value, source: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == ids[source].as_str())
            .map(|c| c["status"].clone())
    };
    let (_, all) = json_of(admin.get(app.url("/api/v1/cases")).send().await.unwrap()).await;
    assert_eq!(all.as_array().unwrap().len(), 8);
    for (source, status) in [
        ("cafcass", "accepted"),
        ("court", "declined"),
        ("solicitor", "signposted"),
        ("social_worker", "closed"),
        ("self_referral", "waiting_list"),
        ("mediator", "incomplete"),
        ("other", "received"),
    ] {
        assert_eq!(status_of(&all, source), Some(json!(status)), "{source}");
    }
    let (_, found) = json_of(
        admin
            .get(app.url("/api/v1/cases?q=child%20MEDIATOR"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(found.as_array().unwrap().len(), 1, "search by child's name, any case");
    let reference = found[0]["reference"].as_str().unwrap().to_owned();
    let (_, by_ref) = json_of(
        admin
            .get(app.url(&format!("/api/v1/cases?q={reference}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(by_ref[0]["id"], found[0]["id"]);
    let (_, at_northgate) = json_of(
        admin
            .get(app.url(&format!("/api/v1/cases?centre={northgate}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(at_northgate.as_array().unwrap().len(), 4);
    let page = admin
        .get(app.url(&format!("/cases?centre={northgate}&status=received")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Child other") && !page.contains("Child cafcass"));
    app.finish().await;
}
