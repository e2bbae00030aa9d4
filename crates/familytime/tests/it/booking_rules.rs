//! The booking rules (issue 19, decision 0043) on the real database, through the API and the case's
//! sessions page: the service decides the kind of contact and a review's step-down (or step back
//! up) changes it from its date; contact waits for every adult's pre-visit and the rules agreed
//! where the organisation asks (switching that off is audited); a suspended service takes no
//! contact and holds what was booked; a suspension racing a booking never lets both stand; asking
//! for a written report charges its fee. Each refusal says what is missing and writes nothing.

use crate::schedule::{Fixture, accepted_case, ahead, booking, fixture, get, post, supervisor};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn hall(f: &Fixture) -> String {
    let (status, hall) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/centres/{}/rooms", f.org.centre),
        json!({"name": "Hall", "kind": "hall", "capacity_families": 8}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{hall}");
    hall["id"].as_str().unwrap().to_owned()
}

async fn bookings_of(f: &Fixture, case: &str) -> Vec<Value> {
    let (status, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings")).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    listed.as_array().unwrap().clone()
}

async fn book(f: &Fixture, case: &str, body: Value) -> (StatusCode, Value) {
    post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), body).await
}

/// The organisation asks for every adult's pre-visit and the rules agreed before contact.
async fn ask_for_pre_visits(f: &Fixture) {
    f.app
        .store
        .set_previsits_before_contact(&f.app.seed_scope(Some(f.org.id)), f.org.id, true, None)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_the_service_decides_the_kind_and_a_step_down_changes_it_from_its_date() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Kind").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let hall = hall(&f).await;
    let room = f.org.room.to_string();
    // Accepted for supervised contact: supported contact is refused, saying why, and nothing is written.
    let (status, body) = book(
        &f,
        &case,
        booking("supported", &ahead(&f.app, 1), "10:00", &hall, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "kind", "{body}");
    assert!(
        body.to_string()
            .contains("The case is for supervised contact on that day, not supported contact"),
        "{body}"
    );
    assert!(bookings_of(&f, &case).await.is_empty(), "nothing written");
    let (status, body) = book(
        &f,
        &case,
        booking("handover", &ahead(&f.app, 1), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = book(
        &f,
        &case,
        booking("supervised", &ahead(&f.app, 1), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // A review steps the case down to supported contact from its date (today).
    let today = f.app.today().to_string();
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/reviews"),
        json!({"held_on": today, "attendees": "Both parents, separately", "resident_view": "Going well",
               "visiting_view": "Going well", "child_view": null, "outcome": "step_down_supported",
               "risk_notes": "No concerns"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = book(
        &f,
        &case,
        booking("supervised", &ahead(&f.app, 2), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old kind is refused from then on: {body}"
    );
    assert!(body.to_string().contains("for supported contact on that day"), "{body}");
    let (status, body) = book(
        &f,
        &case,
        booking("supported", &ahead(&f.app, 2), "10:00", &hall, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body[0]["kind"], "supported", "{body}");
    assert_eq!(bookings_of(&f, &case).await.len(), 2);

    // Supported contact does not go well: a second review the same day steps it back up. The later
    // decision stands, so supervised contact is booked again and supported contact is refused.
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/reviews"),
        json!({"held_on": today, "attendees": "Both parents, separately", "resident_view": "Worried",
               "visiting_view": "Fine", "child_view": null, "outcome": "step_up_supervised",
               "risk_notes": "Raised voices at handover"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = book(
        &f,
        &case,
        booking("supported", &ahead(&f.app, 3), "10:00", &hall, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("for supervised contact on that day"),
        "{body}"
    );
    let (status, body) = book(
        &f,
        &case,
        booking("supervised", &ahead(&f.app, 3), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(bookings_of(&f, &case).await.len(), 3);
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_a_venue_must_be_of_the_services_kind() {
    let f = fixture().await;
    let mut referral = crate::referrals::referral(&f.org.centre.to_string());
    referral["children"][0]["name"] = json!("Mia Ward");
    let (case, _) = crate::schedule::accept_referral(&f, &f.jo, referral).await;
    // The venue is looked at before anything else about the session: a community venue is no
    // place for hospital contact, whatever the case's service.
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (status, venue) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/centres/{}/rooms", f.org.centre),
        json!({"name": "Riverside Library", "kind": "off_site_venue", "capacity_families": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{venue}");
    let venue = venue["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/rooms/{venue}/approval"),
        json!({"venue_kind": "community", "notes": "Children's library, quiet room"}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let second = supervisor(&f, "kai@riverside.example").await;
    let (status, body) = book(
        &f,
        &case,
        booking("hospital", &ahead(&f.app, 1), "10:00", &venue, &[&sam, &second]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string()
            .contains("Hospital contact takes place only at an approved hospital venue"),
        "{body}"
    );
    assert!(bookings_of(&f, &case).await.is_empty());
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_contact_waits_for_each_adults_pre_visit_and_the_rules_agreed() {
    let f = fixture().await;
    let (case, resident, visiting) = accepted_case(&f, "Visit").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let room = f.org.room.to_string();
    ask_for_pre_visits(&f).await;
    let first = booking("supervised", &ahead(&f.app, 3), "10:00", &room, &[&sam]);
    let (status, body) = book(&f, &case, first.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let said = body.to_string();
    assert!(said.contains("the resident parent's pre-visit"), "{said}");
    assert!(said.contains("the visiting adult's pre-visit"), "{said}");
    assert!(bookings_of(&f, &case).await.is_empty(), "nothing written");

    // Both pre-visits booked (pre-visits are not contact, so they are never held back).
    for (party, time) in [(&resident, "10:00"), (&visiting, "14:00")] {
        let (status, body) = post(
            &f.app,
            &f.jo,
            &format!("/api/v1/cases/{case}/pre-visits"),
            json!({"party_id": party, "date": ahead(&f.app, 1), "time": time, "room_id": room, "staff": [sam]}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    f.app.clock.advance(jiff::SignedDuration::from_hours(24 * 8));
    f.app.api_login(&f.jo, "jo@riverside.example").await;
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    let visits = file["pre_visits"].as_array().unwrap().clone();
    // The resident parent's visit done with the rules agreed; the visiting adult's done without.
    for (visit, agreed) in visits.iter().zip([true, false]) {
        let record = json!({"status": "done", "rules_agreed": agreed, "checklist": ["rooms_shown"], "notes": "", "version": visit["version"]});
        let (status, body) = post(
            &f.app,
            &f.jo,
            &format!("/api/v1/pre-visits/{}", visit["id"].as_str().unwrap()),
            record,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let later = booking("supervised", &ahead(&f.app, 3), "10:00", &room, &[&sam]);
    let (status, body) = book(&f, &case, later.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let said = body.to_string();
    assert!(
        !said.contains("resident parent"),
        "the resident parent's is done: {said}"
    );
    // Both visits are done; the tick on the resident parent's record is her agreement to the
    // current rules (decision 0046), and the visiting parent's agreement is missing, by name.
    assert!(!said.contains("pre-visit"), "{said}");
    assert!(
        said.contains("Daniel Visit's agreement to the centre's rules (version 1)"),
        "{said}"
    );
    assert!(!said.contains("Laura Visit"), "{said}");

    // The organisation's administrator switches the rule off through the API (a coordinator may
    // not, and a change from a stale read is refused): audited, and contact can be booked.
    let rules_path = "/api/v1/settings/booking-rules";
    f.app.api_login(&f.admin, "ade@riverside.example").await;
    let (status, rules) = get(&f.app, &f.admin, rules_path).await;
    assert_eq!(status, StatusCode::OK, "{rules}");
    assert_eq!(rules["previsits_before_contact"], true, "{rules}");
    let read = rules["version"].clone();
    let off = json!({"previsits_before_contact": false, "version": read});
    let (status, _) = crate::billing::put(&f, &f.jo, rules_path, off.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the administrator");
    let (status, body) = crate::billing::put(&f, &f.admin, rules_path, off.clone()).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = crate::billing::put(
        &f,
        &f.admin,
        rules_path,
        json!({"previsits_before_contact": true, "version": read}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "a change from a stale read: {body}");
    let (_, rules) = get(&f.app, &f.admin, rules_path).await;
    assert_eq!(
        rules["previsits_before_contact"], false,
        "the stale change wrote nothing"
    );
    let entries = f.app.store.audit_entries(f.org.id, None, 50).await.unwrap();
    assert!(
        entries.iter().any(|e| e.action == "rules.previsits.off"),
        "switching a rule off is audited"
    );
    let (status, body) = book(&f, &case, later.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_the_sessions_page_says_what_is_missing_before_and_when_refused() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Page").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    ask_for_pre_visits(&f).await;
    let csrf = f.app.page_login(&f.jo, "jo@riverside.example").await;
    let page =
        f.jo.get(f.app.url(&format!("/cases/{case}/sessions")))
            .send()
            .await
            .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Contact today is supervised contact."), "{html}");
    assert!(html.contains("Contact cannot be booked until:"), "shown before trying");
    assert!(html.contains("the resident parent&#39;s pre-visit") || html.contains("the resident parent's pre-visit"));
    assert_eq!(
        html.matches("agreement to the centre").count(),
        2,
        "each parent's agreement to the rules is listed: {html}"
    );
    let room = f.org.room.to_string();
    let date = ahead(&f.app, 2);
    let form = [
        ("csrf_token", csrf.as_str()),
        ("kind", "supervised"),
        ("date", date.as_str()),
        ("time", "10:00"),
        ("minutes", "120"),
        ("repeat", "once"),
        ("room_id", room.as_str()),
        ("staff", sam.as_str()),
    ];
    let refused =
        f.jo.post(f.app.url(&format!("/cases/{case}/sessions")))
            .form(&form)
            .send()
            .await
            .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("error-summary"), "{html}");
    assert!(
        html.contains("id=\"kind-error\""),
        "the reason is at the kind of session: {html}"
    );
    assert!(html.contains("value=\"10:00\""), "the form keeps its input");
    assert!(bookings_of(&f, &case).await.is_empty(), "nothing written");
    switch_off_on_the_page(&f).await;
    let page =
        f.jo.get(f.app.url(&format!("/cases/{case}/sessions")))
            .send()
            .await
            .unwrap();
    assert!(page.text().await.unwrap().contains("Contact can be booked."));
    let done =
        f.jo.post(f.app.url(&format!("/cases/{case}/sessions")))
            .form(&form)
            .send()
            .await
            .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER, "booked, and on to the session");
    assert_eq!(
        bookings_of(&f, &case).await.len(),
        1,
        "booked through the page once allowed"
    );
    f.app.finish().await;
}

async fn notice(f: &Fixture, case: &str, kind: &str) -> (StatusCode, Value) {
    post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/notices"),
        json!({"kind": kind, "reason": "The child persistently refuses to attend", "effective_on": f.app.today().to_string()}),
    )
    .await
}

async fn coming(f: &Fixture, case: &str) -> Value {
    let (status, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/notices")).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    listed
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_a_suspension_refuses_contact_and_holds_what_was_booked_until_it_resumes() {
    let f = fixture().await;
    let (case, resident, _) = accepted_case(&f, "Held").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let room = f.org.room.to_string();
    let (status, body) = book(
        &f,
        &case,
        booking("supervised", &ahead(&f.app, 2), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let booked = body[0]["id"].as_str().unwrap().to_owned();
    let (status, body) = notice(&f, &case, "suspended").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let listed = coming(&f, &case).await;
    assert_eq!(listed["service_state"], "suspended", "{listed}");
    assert_eq!(listed["coming_bookings"][0]["id"], booked.as_str(), "{listed}");
    assert_eq!(listed["coming_bookings"][0]["held"], true, "put on hold: {listed}");

    let (status, body) = book(
        &f,
        &case,
        booking("supervised", &ahead(&f.app, 3), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("The service is suspended"), "{body}");
    assert_eq!(bookings_of(&f, &case).await.len(), 1, "nothing written");
    // A review meeting is not contact: it can still be booked.
    let (status, body) = book(
        &f,
        &case,
        json!({"kind": "review", "date": ahead(&f.app, 3), "time": "15:00", "minutes": 60, "room_id": room,
               "staff": [sam], "party_id": resident}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // The service page shows the hold and offers to resume; resuming makes the session live again.
    f.app.page_login(&f.jo, "jo@riverside.example").await;
    let html =
        f.jo.get(f.app.url(&format!("/cases/{case}/service")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    assert!(html.contains("On hold (the service is suspended)"), "{html}");
    assert!(html.contains(&format!("/cases/{case}/service/resume")), "{html}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/service/resume"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let listed = coming(&f, &case).await;
    assert_eq!(listed["service_state"], "running");
    assert_eq!(listed["coming_bookings"][0]["held"], false, "{listed}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/service/resume"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "only a suspended service resumes: {body}");
    let (status, body) = book(
        &f,
        &case,
        booking("supervised", &ahead(&f.app, 3), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_ending_the_service_cancels_contact_by_the_centre_and_refuses_more() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Ended").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let room = f.org.room.to_string();
    let (status, body) = book(
        &f,
        &case,
        booking("supervised", &ahead(&f.app, 2), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let booked = body[0]["id"].as_str().unwrap().to_owned();
    let (status, body) = notice(&f, &case, "ended").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, session) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{booked}")).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["booking"]["status"], "cancelled", "{session}");
    assert_eq!(session["booking"]["cancelled_by"], "centre", "{session}");
    assert!(
        coming(&f, &case).await["coming_bookings"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The room is free again for another family.
    let (other, _, _) = accepted_case(&f, "Next").await;
    let (status, body) = book(
        &f,
        &other,
        booking("supervised", &ahead(&f.app, 2), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    f.app.finish().await;
}

/// A suspension and a booking for the same case at the same moment, for several cases: each case
/// ends with either the booking refused, or the booking made and then put on hold — never a live
/// booking under a suspended service.
#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_a_suspension_racing_a_booking_never_lets_both_stand() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let mut cases = Vec::new();
    for n in 0..6 {
        let (case, _, _) = accepted_case(&f, &format!("Race{n}")).await;
        let room = crate::schedule::family_room(&f, &format!("Room {n}")).await;
        cases.push((case, room));
    }
    let mut tasks = Vec::new();
    for (n, (case, room)) in cases.iter().enumerate() {
        let (jo, app_url) = (f.jo.clone(), f.app.url(""));
        // A week apart, so the one supervisor is free for each and only the rules decide.
        let body = booking("supervised", &ahead(&f.app, n as i64 + 1), "10:00", room, &[&sam]);
        let case_b = case.clone();
        tasks.push(tokio::spawn(async move {
            let r = jo
                .post(format!("{app_url}/api/v1/cases/{case_b}/bookings"))
                .json(&body)
                .send()
                .await
                .unwrap();
            ("booking", r.status())
        }));
        let (jo, app_url, case_n) = (f.jo.clone(), f.app.url(""), case.clone());
        let today = f.app.today().to_string();
        tasks.push(tokio::spawn(async move {
            let r = jo
                .post(format!("{app_url}/api/v1/cases/{case_n}/notices"))
                .json(&json!({"kind": "suspended", "reason": "Concern raised", "effective_on": today}))
                .send()
                .await
                .unwrap();
            ("notice", r.status())
        }));
    }
    for task in tasks {
        let (what, status) = task.await.unwrap();
        match what {
            "notice" => assert_eq!(status, StatusCode::CREATED),
            _ => assert!(
                [
                    StatusCode::CREATED,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    StatusCode::CONFLICT
                ]
                .contains(&status),
                "{status}"
            ),
        }
    }
    for (case, _) in &cases {
        let listed = coming(&f, case).await;
        assert_eq!(listed["service_state"], "suspended");
        for b in listed["coming_bookings"].as_array().unwrap() {
            assert_eq!(
                b["held"], true,
                "a booking that won the race is held by the suspension: {listed}"
            );
        }
    }
    f.app.finish().await;
}

// ---- The court order's contact pattern and the rules agreed as records (decision 0046) ----

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

/// The administrator switches the pre-visit rule off on the booking rules page, which confirms it.
async fn switch_off_on_the_page(f: &Fixture) {
    let csrf = f.app.page_login(&f.admin, "ade@riverside.example").await;
    let page = f.admin.get(f.app.url("/settings/booking-rules")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("name=\"previsits_before_contact\" type=\"checkbox\" value=\"yes\" checked"));
    let version = html
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("the form carries the version it was opened at: {html}"))
        .to_owned();
    let saved = f
        .admin
        .post(f.app.url("/settings/booking-rules"))
        .form(&[("csrf_token", csrf.as_str()), ("version", version.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let shown = f
        .admin
        .get(f.app.url("/settings/booking-rules?done=saved"))
        .send()
        .await
        .unwrap();
    let html = shown.text().await.unwrap();
    assert!(html.contains("The booking rules have been saved."), "{html}");
    assert!(!html.contains("value=\"yes\" checked"), "shown switched off: {html}");
    // The same form sent again from the page as it was: refused, shown, not overwritten.
    let stale = f
        .admin
        .post(f.app.url("/settings/booking-rules"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("version", version.as_str()),
            ("previsits_before_contact", "yes"),
        ])
        .send()
        .await
        .unwrap();
    let said = stale.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(said, "/settings/booking-rules?done=stale");
    let shown = f
        .admin
        .get(f.app.url(&said))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shown.contains("Someone else changed the booking rules"), "{shown}");
    let (required, _) = f.app.store.previsits_before_contact(f.org.id).await.unwrap();
    assert!(!required, "the stale form changed nothing");
}

// The report fee (item 7): asking for a written report charges it, in the report's transaction.

/// A signed observation record of a session that has happened, on a Cafcass-funded case.
async fn signed_record(f: &Fixture) -> crate::records::Ran {
    let ran = crate::records::ran_session(f, "supervised").await;
    crate::records::after_the_session(f, &ran).await;
    let b = &ran.booking;
    let (status, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        crate::records::observation(0),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    ran
}

/// The case's report-fee charges: (account, pence) in the order they were written.
async fn report_charges(f: &Fixture, case: &str) -> Vec<(String, i64)> {
    let (status, money) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/account")).await;
    assert_eq!(status, StatusCode::OK, "{money}");
    money["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "charge" && e["item"] == "written_report")
        .map(|e| {
            let pence = e["amount"]["pence"].as_i64().unwrap_or_else(|| panic!("{e}"));
            (e["account"].as_str().unwrap().to_owned(), pence)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_asking_for_a_written_report_charges_its_fee_to_whoever_the_funding_says() {
    let f = fixture().await;
    let ran = signed_record(&f).await;
    crate::billing::seed_centre_money(&f).await;
    let case = &ran.case;
    let (_, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/reports")).await;
    let record = listed["signed_records"][0].as_str().map(str::to_owned);
    let record = record.unwrap_or_else(|| panic!("a signed record to compose from: {listed}"));
    let ask = |title: &str, asked_by: &str| json!({"kind": "session", "title": title, "records": [record], "requested_by": asked_by});
    let reports = format!("/api/v1/cases/{case}/reports");
    let start = |body: Value| post(&f.app, &f.jo, &reports, body);

    // Somebody the case does not know: refused, saying what to choose; nothing written.
    let (status, body) = start(ask("Asked by a judge", "judge")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "requested_by", "{body}");
    assert!(report_charges(&f, case).await.is_empty(), "nothing charged");

    // Cafcass funds the case: Cafcass pays the report fee whoever asked.
    let (status, created) = start(ask("For the father", "visiting")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(report_charges(&f, case).await, vec![("funder".to_owned(), 5_100)]);
    let report = created["id"].as_str().unwrap();
    let (_, shown) = get(&f.app, &f.jo, &format!("/api/v1/reports/{report}")).await;
    assert_eq!(shown["requested_by"], "visiting", "{shown}");
    assert_eq!(shown["fee_pence"], 5_100, "{shown}");
    assert_eq!(shown["fee_due"], true, "{shown}");

    // The parents pay, the visiting parent 60%: the father asking pays it all; the referrer
    // asking shares it by the parents' shares; the centre's own report charges nobody.
    let (status, body) = crate::billing::put(
        &f,
        &f.jo,
        &format!("/api/v1/cases/{case}/funding"),
        json!({"payer": "private", "funder_name": "", "funded_sessions": null, "funded_hours": null,
               "visiting_percent": 60, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, created) = start(ask("Asked by the father", "visiting")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, created) = start(ask("Asked by the referrer", "referrer")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, own) = start(json!({"kind": "session", "title": "Our own", "records": [record]})).await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let (_, shown) = get(
        &f.app,
        &f.jo,
        &format!("/api/v1/reports/{}", own["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(shown["requested_by"], Value::Null, "{shown}");
    assert_eq!(shown["fee_pence"], 0, "{shown}");
    let father = format!("party:{}", ran.visiting);
    let mother = format!("party:{}", ran.resident);
    assert_eq!(
        report_charges(&f, case).await,
        vec![
            ("funder".to_owned(), 5_100),
            (father.clone(), 5_100),
            (father, 3_060),
            (mother, 2_040),
        ]
    );
    f.app.finish().await;
}
