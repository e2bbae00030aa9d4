//! The court order's contact pattern and the rules agreed as records (issue 19, decision 0046), on
//! the real database, through the API, the case page, the series form and the parent's portal: the
//! pattern is recorded, compared with the bookings and listed; contact waits for each parent's
//! agreement to the current rules; the administrator's switch of the pre-visit rule is confirmed
//! and audited. (Split from `booking_rules.rs`; the `booking_rules_` names keep
//! `cargo test booking_rules` running them all.)

use crate::booking_rules::{ask_for_pre_visits, book};
use crate::schedule::{Fixture, accepted_case, ahead, booking, fixture, get, post, supervisor};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn put(f: &Fixture, client: &reqwest::Client, path: &str, body: Value) -> (StatusCode, Value) {
    crate::harness::json_of(client.put(f.app.url(path)).json(&body).send().await.unwrap()).await
}

/// The weekday of a date as forms and the API name it ("saturday").
fn weekday_of(date: &str) -> String {
    let day: jiff::civil::Date = date.parse().unwrap();
    format!("{:?}", day.weekday()).to_lowercase()
}

async fn audited(f: &Fixture, action: &str) -> usize {
    let entries = f.app.store.audit_entries(f.org.id, None, 200).await.unwrap();
    entries.iter().filter(|e| e.action == action).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_the_orders_pattern_is_recorded_compared_with_bookings_and_listed() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Order").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let room = f.org.room.to_string();
    let path = format!("/api/v1/cases/{case}/order-pattern");
    let (status, before) = get(&f.app, &f.jo, &path).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["pattern"], Value::Null);
    assert_eq!(before["version"], 0);
    let order = before["orders"][0]["id"].as_str().unwrap().to_owned();

    // Every problem at once, nothing changed; unknown fields and another case's order refused.
    let (status, body) = put(
        &f,
        &f.jo,
        &path,
        json!({"order_id": order, "every": "fortnightly", "weekdays": [], "minutes": 5, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["every", "weekdays", "minutes"], "{body}");
    let (status, body) = put(
        &f,
        &f.jo,
        &path,
        json!({"order_id": order, "every": "weeks", "interval": 1, "weekdays": ["monday"], "minutes": 120, "version": 0, "colour": "red"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = put(
        &f,
        &f.jo,
        &path,
        json!({"order_id": "not-an-order", "every": "weeks", "interval": 1, "weekdays": ["monday"], "minutes": 120, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "order_id", "{body}");
    assert_eq!(
        get(&f.app, &f.jo, &path).await.1["pattern"],
        Value::Null,
        "nothing changed"
    );
    assert_eq!(audited(&f, "order.pattern").await, 0);

    // Every week on the weekday of the sessions below, two hours.
    let day = ahead(&f.app, 1);
    let pattern = json!({"order_id": order, "every": "weeks", "interval": 1, "weekdays": [weekday_of(&day)], "minutes": 120, "version": 0});
    let (status, body) = put(&f, &f.jo, &path, pattern.clone()).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(audited(&f, "order.pattern").await, 1);
    let (status, body) = put(&f, &f.jo, &path, pattern.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "a stale version is refused: {body}");
    let (_, view) = get(&f.app, &f.jo, &path).await;
    assert_eq!(view["version"], 1);
    assert_eq!(view["order_id"], order.as_str());
    assert!(
        view["pattern"]["described"]
            .as_str()
            .unwrap()
            .starts_with("Every week on"),
        "{view}"
    );
    let periods = view["periods"].as_array().unwrap();
    assert!(periods.len() >= 8, "the coming eight weeks: {view}");
    assert!(periods.iter().all(|p| p["standing"] == "under" && p["booked"] == 0));
    assert_eq!(view["overall"], "under");

    // One session in the week of `day` meets the order; two in it are over it.
    let in_week = |view: &Value| -> Value {
        view["periods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["first"].as_str().unwrap() <= day.as_str() && day.as_str() <= p["last"].as_str().unwrap())
            .unwrap()
            .clone()
    };
    let (status, body) = book(&f, &case, booking("supervised", &day, "10:00", &room, &[&sam])).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, view) = get(&f.app, &f.jo, &path).await;
    assert_eq!(in_week(&view)["standing"], "as_ordered", "{view}");
    assert_eq!(view["overall"], "under", "the other weeks are still under");
    let (status, body) = book(&f, &case, booking("supervised", &day, "14:00", &room, &[&sam])).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, view) = get(&f.app, &f.jo, &path).await;
    assert_eq!(in_week(&view)["standing"], "over", "{view}");
    assert_eq!(view["overall"], "under_and_over");

    // The coordinator's list names the case, in the API and the page; a case with no pattern is
    // not on it.
    let (other, _, _) = accepted_case(&f, "Unordered").await;
    let (status, list) = get(&f.app, &f.jo, "/api/v1/orders").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let cases = list["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1, "{list}");
    assert_eq!(cases[0]["case_id"], case.as_str());
    assert_eq!(cases[0]["overall"], "under_and_over");
    assert!(!list.to_string().contains(&other));
    let (status, body) = get(&f.app, &f.jo, "/api/v1/orders?after=junk").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = get(&f.app, &f.jo, "/api/v1/orders?colour=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    f.app.page_login(&f.jo, "jo@riverside.example").await;
    let page = f.jo.get(f.app.url("/orders")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("/cases/{case}#order-pattern")), "{html}");
    assert!(
        html.contains("Over the order") && html.contains("Under the order"),
        "{html}"
    );
    assert!(audited(&f, "order.list").await >= 2, "the list's reads are audited");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_the_case_page_records_the_pattern_and_the_series_form_proposes_it() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Pattern").await;
    let csrf = f.app.page_login(&f.jo, "jo@riverside.example").await;
    let (_, view) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/order-pattern")).await;
    let order = view["orders"][0]["id"].as_str().unwrap().to_owned();
    // A refused form shows every error at once and keeps what was typed.
    let refused =
        f.jo.post(f.app.url(&format!("/cases/{case}/order-pattern")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("pattern_form", "1"),
                ("version", "0"),
                ("order_id", order.as_str()),
                ("every", "weeks"),
                ("interval", "40"),
                ("minutes", "90"),
                ("until", "someday"),
            ])
            .send()
            .await
            .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("error-summary"), "{html}");
    for field in ["interval", "weekdays", "until"] {
        assert!(html.contains(&format!("id=\"{field}-error\"")), "{field}: {html}");
    }
    assert!(html.contains("value=\"90\""), "the form keeps its input");
    // Every other Saturday, 90 minutes.
    let saved =
        f.jo.post(f.app.url(&format!("/cases/{case}/order-pattern")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("pattern_form", "1"),
                ("version", "0"),
                ("order_id", order.as_str()),
                ("every", "weeks"),
                ("interval", "2"),
                ("weekdays", "saturday"),
                ("minutes", "90"),
            ])
            .send()
            .await
            .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page =
        f.jo.get(f.app.url(&format!("/cases/{case}?done=pattern")))
            .send()
            .await
            .unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Contact pattern saved"), "the action confirms itself");
    assert!(html.contains("Every other week on Saturday, 1 h 30 min"), "{html}");
    assert!(html.contains("id=\"order-periods\""), "{html}");
    // The series form proposes it: every two weeks, 90 minutes, on a Saturday.
    let sessions =
        f.jo.get(f.app.url(&format!("/cases/{case}/sessions")))
            .send()
            .await
            .unwrap();
    let html = sessions.text().await.unwrap();
    assert!(html.contains("id=\"order-proposal\""), "{html}");
    assert!(html.contains("value=\"90\""), "{html}");
    assert!(
        html.contains("value=\"fortnightly\" checked"),
        "the repeat is proposed: {html}"
    );
    let date = html
        .split("id=\"date\" name=\"date\" type=\"date\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert_eq!(weekday_of(&date), "saturday", "{date}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_contact_waits_for_each_parents_agreement_to_the_current_rules() {
    let f = fixture().await;
    let (case, resident, visiting) = accepted_case(&f, "Agree").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let room = f.org.room.to_string();
    ask_for_pre_visits(&f).await;
    // Both pre-visits done, no rules agreed on them.
    let scope = f.app.seed_scope(Some(f.org.id));
    let case_id = familytime_domain::ids::CaseId::parse(&case).unwrap();
    for party in [&resident, &visiting] {
        let party = familytime_domain::ids::PartyId::parse(party).unwrap();
        let at = familytime_app::clock::Clock::now(f.app.clock.as_ref()) - jiff::SignedDuration::from_hours(48);
        f.app
            .store
            .seed_pre_visit(&scope, f.org.id, case_id, party, at, false)
            .await
            .unwrap();
    }
    let first = booking("supervised", &ahead(&f.app, 2), "10:00", &room, &[&sam]);
    let (status, body) = book(&f, &case, first.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let said = body.to_string();
    assert!(!said.contains("pre-visit"), "the visits are done: {said}");
    assert!(
        said.contains("Laura Agree's agreement to the centre's rules (version 1)"),
        "{said}"
    );
    assert!(
        said.contains("Daniel Agree's agreement to the centre's rules (version 1)"),
        "{said}"
    );

    // Bad input: every problem at once, nothing written; unknown fields refused.
    let path = format!("/api/v1/cases/{case}/rules-agreements");
    let tomorrow = f.app.today().tomorrow().unwrap().to_string();
    let (status, body) = post(
        &f.app,
        &f.jo,
        &path,
        json!({"parent_id": "", "how": "portal", "agreed_on": tomorrow}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"].as_array().unwrap().len(), 3, "{body}");
    let today = f.app.today().to_string();
    let (status, body) = post(
        &f.app,
        &f.jo,
        &path,
        json!({"parent_id": resident, "how": "paper", "agreed_on": today, "signed": true}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &path,
        json!({"parent_id": sam, "how": "paper", "agreed_on": today}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not a parent of the case: {body}"
    );
    assert_eq!(audited(&f, "rules.agreement").await, 0, "nothing written");

    // The resident parent signs on paper: only the visiting parent is missing now.
    let (status, body) = post(
        &f.app,
        &f.jo,
        &path,
        json!({"parent_id": resident, "how": "paper", "agreed_on": today}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &path,
        json!({"parent_id": resident, "how": "paper", "agreed_on": today}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "agreed once to a version: {body}");
    let (status, body) = book(&f, &case, first.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(!body.to_string().contains("Laura Agree"), "{body}");
    assert!(body.to_string().contains("Daniel Agree"), "{body}");

    // The visiting parent's, in person, through the case page's form: contact can be booked.
    let csrf = f.app.page_login(&f.jo, "jo@riverside.example").await;
    let recorded =
        f.jo.post(f.app.url(&format!("/cases/{case}/rules-agreements")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("parent_id", visiting.as_str()),
                ("how", "in_person"),
                ("agreed_on", today.as_str()),
            ])
            .send()
            .await
            .unwrap();
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    f.app.api_login(&f.jo, "jo@riverside.example").await;
    let (status, body) = book(&f, &case, first.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(audited(&f, "rules.agreement").await, 2);

    // A new version of the rules: each parent is asked again, by name, for version 2.
    let (status, body) = post(
        &f.app,
        &f.admin,
        "/api/v1/rules-versions",
        json!({"label": "2", "issued_on": today, "summary": "Phones stay in the lockers"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = post(
        &f.app,
        &f.admin,
        "/api/v1/rules-versions",
        json!({"label": "2", "issued_on": today}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        "/api/v1/rules-versions",
        json!({"label": "3", "issued_on": today}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a coordinator does not issue the rules: {body}"
    );
    let later = booking("supervised", &ahead(&f.app, 3), "10:00", &room, &[&sam]);
    let (status, body) = book(&f, &case, later).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string()
            .contains("Laura Agree's agreement to the centre's rules (version 2)"),
        "{body}"
    );
    let (status, view) = get(&f.app, &f.jo, &path).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["current_version"], "2");
    assert!(view["parents"].as_array().unwrap().iter().all(|p| p["agreed"] == false));
    let hows: Vec<&str> = view["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["how"].as_str().unwrap())
        .collect();
    assert_eq!(hows, vec!["in_person", "paper"], "kept, newest first: {view}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_journey_the_coordinator_records_the_orders_pattern_on_the_case_page() {
    use crate::browser::Browser;
    use crate::end_to_end::{check_page, click, set, sign_in, submit};
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Journey").await;
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/cases/{case}")))
        .await
        .unwrap();
    browser.wait_for("#order-pattern-form").await;
    assert!(browser.text().await.contains("No pattern recorded from the order yet."));
    check_page(&browser, &mut problems, "case page with no pattern").await;

    // Sent with no day and a length in words: both said at once, what was typed kept.
    click(&browser, "#every").await;
    set(&browser, "#interval", "2").await;
    set(&browser, "#minutes", "ninety").await;
    submit(&browser, "form#order-pattern-form button[type=submit]").await;
    browser.wait_for(".error-summary").await;
    let text = browser.text().await;
    assert!(text.contains("Choose the day of the week the order names"), "{text}");
    // A number field holds no words: the length is missing.
    assert!(text.contains("Enter how long each session lasts"), "{text}");
    let interval = browser
        .client
        .find(fantoccini::Locator::Id("interval"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(interval.as_deref(), Some("2"), "the form keeps its input");
    check_page(&browser, &mut problems, "refused pattern form").await;

    // Every other Saturday, two hours: saved, said, and compared with the coming weeks.
    click(&browser, "#weekday-saturday").await;
    set(&browser, "#minutes", "120").await;
    submit(&browser, "form#order-pattern-form button[type=submit]").await;
    browser.wait_for(".notification").await;
    let text = browser.text().await;
    assert!(text.contains("Contact pattern saved"), "{text}");
    assert!(text.contains("Every other week on Saturday, 2 hours"), "{text}");
    assert!(!text.contains("There is a problem"), "{text}");
    browser.wait_for("#order-periods").await;
    check_page(&browser, &mut problems, "case page with a pattern").await;

    // Nothing is booked: the case is on the coordinator's list, under its order.
    browser.client.goto(&f.app.url("/orders")).await.unwrap();
    browser.wait_for("#orders-list").await;
    browser
        .wait_for(&format!("a[href='/cases/{case}#order-pattern']"))
        .await;
    assert!(browser.text().await.contains("Under the order"));
    check_page(&browser, &mut problems, "/orders").await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_a_parent_agrees_to_the_current_rules_in_the_portal() {
    let f = fixture().await;
    let (case, resident, visiting) = accepted_case(&f, "Portal").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let room = f.org.room.to_string();
    ask_for_pre_visits(&f).await;
    let scope = f.app.seed_scope(Some(f.org.id));
    let case_id = familytime_domain::ids::CaseId::parse(&case).unwrap();
    let at = familytime_app::clock::Clock::now(f.app.clock.as_ref()) - jiff::SignedDuration::from_hours(48);
    for (party, ticked) in [(&resident, true), (&visiting, false)] {
        let party = familytime_domain::ids::PartyId::parse(party).unwrap();
        f.app
            .store
            .seed_pre_visit(&scope, f.org.id, case_id, party, at, ticked)
            .await
            .unwrap();
    }
    let dad = f
        .app
        .seed_user(&f.org, familytime_domain::people::Role::Parent, "daniel@example.org")
        .await;
    let (status, _) = put(
        &f,
        &f.jo,
        &format!("/api/v1/cases/{case}/parties/{visiting}/account"),
        json!({"user_id": dad.to_string(), "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let session = booking("supervised", &ahead(&f.app, 2), "10:00", &room, &[&sam]);
    let (status, body) = book(&f, &case, session.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("Daniel Portal's agreement"), "{body}");

    let parent = f.app.client();
    let csrf = f.app.page_login(&parent, "daniel@example.org").await;
    let page = parent.get(f.app.url("/my-rules")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("value=\"{visiting}\"")), "{html}");
    assert!(!html.contains(&resident), "only the parent's own place: {html}");
    // Another's place is not theirs to agree for: not found, nothing written.
    let refused = parent
        .post(f.app.url("/my-rules"))
        .form(&[("csrf_token", csrf.as_str()), ("party_id", resident.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let agreed = parent
        .post(f.app.url("/my-rules"))
        .form(&[("csrf_token", csrf.as_str()), ("party_id", visiting.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(agreed.status(), StatusCode::SEE_OTHER);
    let html = parent
        .get(f.app.url("/my-rules?done=agreed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("your agreement is recorded"),
        "the action confirms itself"
    );
    assert!(!html.contains("name=\"party_id\""), "nothing left to agree to: {html}");
    let (_, view) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/rules-agreements")).await;
    let hows: Vec<(&str, &str)> = view["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["how"].as_str().unwrap()))
        .collect();
    assert_eq!(
        hows,
        vec![("Daniel Portal", "portal"), ("Laura Portal", "in_person")],
        "the tick on her pre-visit is her agreement, in person: {view}"
    );
    let (status, body) = book(&f, &case, session).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_the_migration_turns_the_pre_visit_ticks_into_agreements_to_version_1() {
    let f = fixture().await;
    let (case, resident, visiting) = accepted_case(&f, "Ticked").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    ask_for_pre_visits(&f).await;
    // A database as it was before migration 0039: both visits done, only hers ticked.
    let org = f.org.id;
    let then = familytime_app::clock::Clock::now(f.app.clock.as_ref()).as_millisecond() - 3 * 86_400_000;
    let sql = format!(
        "DROP TABLE rules_agreements; DROP TABLE rules_versions; DROP TABLE order_patterns;
         DELETE FROM schema_migrations WHERE version = 39;
         INSERT INTO pre_visits (organisation_id, id, case_id, party_id, scheduled_at, status, rules_agreed, notes, recorded_at, created_at)
         VALUES ('{org}', 'ticked', '{case}', '{resident}', {then}, 'done', TRUE, 'n', {then}, {then}),
                ('{org}', 'unticked', '{case}', '{visiting}', {then}, 'done', FALSE, 'n', {then}, {then});"
    );
    crate::records::raw_sql(&f.app.location, &sql).await.unwrap();
    assert_eq!(f.app.store.migrate().await.unwrap(), 1, "0039 applied again");
    let (_, view) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/rules-agreements")).await;
    assert_eq!(view["current_version"], "1", "{view}");
    let agreements = view["agreements"].as_array().unwrap();
    assert_eq!(agreements.len(), 1, "{view}");
    assert_eq!(
        (
            agreements[0]["name"].as_str(),
            agreements[0]["version"].as_str(),
            agreements[0]["how"].as_str()
        ),
        (Some("Laura Ticked"), Some("1"), Some("in_person"))
    );
    let room = f.org.room.to_string();
    let (status, body) = book(
        &f,
        &case,
        booking("supervised", &ahead(&f.app, 2), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("Daniel Ticked's agreement"), "{body}");
    assert!(!body.to_string().contains("Laura Ticked"), "{body}");
    f.app.finish().await;
}
