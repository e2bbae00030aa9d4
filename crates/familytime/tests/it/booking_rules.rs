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

pub(crate) async fn book(f: &Fixture, case: &str, body: Value) -> (StatusCode, Value) {
    post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), body).await
}

/// The organisation asks for every adult's pre-visit and the rules agreed before contact.
pub(crate) async fn ask_for_pre_visits(f: &Fixture) {
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

/// The administrator switches the pre-visit rule off on the booking rules page, which confirms it.
pub(crate) async fn switch_off_on_the_page(f: &Fixture) {
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
