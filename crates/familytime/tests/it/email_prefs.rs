//! E-mail preferences (issue 17, decision 0051) on whichever database the suite runs on, with the
//! real SMTP server `email.rs` starts: a parent opted out of reminders (by staff, through the
//! adult's page) gets none but still gets the cancellation; a centre's reminder times, set on its
//! page, change what the reminder job writes as the injected clock moves; a parent with no e-mail
//! address gets a letter in the print queue whose PDF has their own times and nothing hidden; the
//! staff preview shows each adult their own times and sends nothing; an address is checked where
//! it is typed.

use crate::email::{
    RESIDENT_EMAIL, SmtpServer, VISITING_EMAIL, book, booking_now, case_with_addresses, hhmm, outbox, sender_state,
    sign_in_again, to,
};
use crate::harness::{json_of, pdf_text};
use crate::referrals::CANARY;
use crate::schedule::{Fixture, accept_referral, fixture, party_id, post, supervisor};
use familytime_app::mail::reminders::enqueue_due;
use familytime_app::mail::sender::send_due;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn confirm(f: &Fixture, id: &str) {
    let current = booking_now(f, id).await;
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/status"),
        json!({"status": "confirmed", "version": current["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

/// Moves the clock to `hours` before the session starts.
fn hours_before(f: &Fixture, booked: &Value, hours: i64) {
    let start: jiff::Timestamp = booked["starts_at"].as_str().unwrap().parse().unwrap();
    let target = start - SignedDuration::from_hours(hours);
    let now = familytime_app::clock::Clock::now(f.app.clock.as_ref());
    assert!(target > now, "the clock only moves forward");
    f.app.clock.advance(target.duration_since(now));
}

#[tokio::test(flavor = "multi_thread")]
async fn email_opting_out_stops_reminders_but_not_a_cancellation_and_centre_times_move_the_reminders() {
    let f = fixture().await;
    let server = SmtpServer::start(false);
    let (case, _resident, visiting) = case_with_addresses(&f, "Reminded").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let booked = book(&f, &case, 5, &sam).await;
    let id = booked["id"].as_str().unwrap().to_owned();
    confirm(&f, &id).await;

    // The visiting parent asks for no reminders: staff say so on his page (a form post).
    let jo = no_redirects();
    let csrf = f.app.page_login(&jo, "jo@riverside.example").await;
    let response = jo
        .post(f.app.url(&format!("/cases/{case}/parties/{visiting}/reminders")))
        .form(&[("csrf_token", csrf.as_str()), ("reminders", "off")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to_page = response.headers()["location"].to_str().unwrap().to_owned();
    let page = jo.get(f.app.url(&to_page)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("they will not get reminders"), "{page}");
    let bad = jo
        .post(f.app.url(&format!("/cases/{case}/parties/{visiting}/reminders")))
        .form(&[("csrf_token", csrf.as_str()), ("reminders", "sometimes")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // 71 hours before: nothing is due at the default times (48 and 24 hours).
    hours_before(&f, &booked, 71);
    sign_in_again(&f).await;
    let (state, mailer) = sender_state(&f, &server.url());
    assert_eq!(enqueue_due(&state).await.unwrap(), 0);

    // The administrator sets 72 and 6 hours on the centre's page: every problem first, then saved.
    let admin = no_redirects();
    let csrf = f.app.page_login(&admin, "ade@riverside.example").await;
    let centre = f.org.centre;
    let (status, times) = json_of(
        f.admin
            .get(f.app.url(&format!("/api/v1/centres/{centre}/reminder-times")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (times["first_hours"].as_i64(), times["second_hours"].as_i64()),
        (Some(48), Some(24))
    );
    let version = times["version"].to_string();
    let refused = admin
        .post(f.app.url(&format!("/centres/{centre}/reminder-times")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("version", version.as_str()),
            ("reminder_first_hours", "three days"),
            ("reminder_second_hours", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("three days") && page.contains("whole number of hours") && page.contains("at least 1 hour"),
        "{page}"
    );
    let saved = admin
        .post(f.app.url(&format!("/centres/{centre}/reminder-times")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("version", version.as_str()),
            ("reminder_first_hours", "72"),
            ("reminder_second_hours", "6"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    assert!(
        saved
            .text()
            .await
            .unwrap()
            .contains("Reminder times saved: 72 hours and 6 hours")
    );
    let stale = admin
        .post(f.app.url(&format!("/centres/{centre}/reminder-times")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("version", version.as_str()),
            ("reminder_first_hours", "30"),
            ("reminder_second_hours", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale.status(),
        StatusCode::CONFLICT,
        "a save from an older version is refused"
    );

    // Now the first reminder is due: to the resident parent only.
    assert_eq!(enqueue_due(&state).await.unwrap(), 1);
    assert_eq!(enqueue_due(&state).await.unwrap(), 0, "written once");
    assert_eq!(
        send_due(&state, &mailer).await.unwrap().sent,
        3,
        "the two confirmations, and the one reminder"
    );
    hours_before(&f, &booked, 7);
    sign_in_again(&f).await;
    assert_eq!(
        enqueue_due(&state).await.unwrap(),
        0,
        "the second is not due until 6 hours before"
    );
    hours_before(&f, &booked, 5);
    sign_in_again(&f).await;
    assert_eq!(enqueue_due(&state).await.unwrap(), 1);
    assert_eq!(send_due(&state, &mailer).await.unwrap().sent, 1);
    let kinds: Vec<(String, String)> = outbox(&f, "")
        .await
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["recipient_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        kinds
            .iter()
            .filter(|(k, _)| k.starts_with("reminder"))
            .all(|(_, r)| r != &visiting),
        "{kinds:?}"
    );

    // Cancelled: both parents are told, opted out or not.
    let current = booking_now(&f, &id).await;
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/status"),
        json!({"status": "cancelled", "cancelled_by": "centre", "reason": "Staff illness", "version": current["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    send_due(&state, &mailer).await.unwrap();
    let messages = server.messages();
    let subjects = |address: &str| -> Vec<String> {
        to(&messages, address)
            .iter()
            .map(|m| m["headers"]["subject"].as_str().unwrap().to_owned())
            .collect()
    };
    let resident = subjects(RESIDENT_EMAIL);
    let visiting_got = subjects(VISITING_EMAIL);
    assert_eq!(
        resident.iter().filter(|s| s.starts_with("Reminder")).count(),
        2,
        "{resident:?}"
    );
    assert_eq!(
        visiting_got.iter().filter(|s| s.starts_with("Reminder")).count(),
        0,
        "{visiting_got:?}"
    );
    assert!(visiting_got.iter().any(|s| s.contains("cancelled")), "{visiting_got:?}");
    assert!(resident.iter().any(|s| s.contains("cancelled")), "{resident:?}");

    // One's own choice, on the account page (and the API).
    let (status, mine) = json_of(
        f.jo.put(f.app.url("/api/v1/me/reminders"))
            .json(&json!({"reminders": "off"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, mine["reminders"].as_str()), (StatusCode::OK, Some("off")));
    f.app.page_login(&jo, "jo@riverside.example").await;
    let page = jo
        .get(f.app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"reminders-off\" name=\"reminders\" type=\"radio\" value=\"off\" checked"),
        "the account page shows it"
    );
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn email_print_queue_letter_and_preview_give_each_parent_their_own_times_and_nothing_hidden() {
    let f = fixture().await;
    // Neither parent has an e-mail address; the resident parent's address and phone are hidden
    // from the visiting parent (the canary).
    let (case, file) = accept_referral(&f, &f.jo, crate::referrals::referral(&f.org.centre.to_string())).await;
    let (resident, visiting) = (party_id(&file, "resident"), party_id(&file, "visiting"));
    let sam = supervisor(&f, "sam@riverside.example").await;
    let booked = book(&f, &case, 4, &sam).await;
    let id = booked["id"].as_str().unwrap().to_owned();
    let booking_id = familytime_domain::ids::BookingId::parse(&id).unwrap();
    let plans = f.app.store.booked_parties(f.org.id, &[booking_id]).await.unwrap();
    let times = |party: &str| {
        let plan = plans.iter().find(|p| p.party_id == party).unwrap();
        (hhmm(plan.arrives_at), hhmm(plan.leaves_at))
    };

    // The preview: each adult's own times, and nothing written or sent.
    let jo = no_redirects();
    f.app.page_login(&jo, "jo@riverside.example").await;
    let preview = jo
        .get(f.app.url(&format!("/bookings/{id}/messages")))
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    let page = preview.text().await.unwrap();
    for (party, name) in [(&resident, "Laura Price"), (&visiting, "Daniel Price")] {
        let (arrive, leave) = times(party);
        let section = page
            .split("<h2")
            .find(|s| s.contains(&format!("To {name}")))
            .expect("a section per adult");
        assert!(
            section.contains(&format!("Please arrive at {arrive} and leave at {leave}")),
            "{section}"
        );
        assert!(section.contains("A letter to print and post"), "{section}");
    }
    assert!(
        !page.contains(CANARY) && !page.contains("Mia"),
        "the preview shows nothing hidden"
    );
    let reminder = jo
        .get(f.app.url(&format!("/bookings/{id}/messages?kind=reminder_24h")))
        .send()
        .await
        .unwrap();
    assert_eq!(reminder.status(), StatusCode::OK);
    assert!(reminder.text().await.unwrap().contains("Reminder"));
    let unknown = jo
        .get(f.app.url(&format!("/bookings/{id}/messages?kind=spam")))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(outbox(&f, "").await.is_empty(), "the preview sent nothing");
    let audit = format!("{:?}", f.app.store.audit_entries(f.org.id, None, 500).await.unwrap());
    assert!(audit.contains("mail.preview"), "the preview is audited as a read");
    let page = jo
        .get(f.app.url("/print-queue"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("No letters are waiting"), "{page}");

    // Confirmed: a letter to each parent instead of nothing.
    confirm(&f, &id).await;
    let page = jo
        .get(f.app.url("/print-queue"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let letter_ids: Vec<String> = page
        .split("/print-queue/")
        .skip(1)
        .filter_map(|s| s.split('/').next())
        .filter(|s| s.len() == 36)
        .map(str::to_owned)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(letter_ids.len(), 2, "{page}");
    assert!(page.contains("Laura Price") && page.contains("Daniel Price"));
    let mut visiting_letter = None;
    for letter in &letter_ids {
        let pdf = jo
            .get(f.app.url(&format!("/print-queue/{letter}/pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), StatusCode::OK);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let text = pdf_text(&pdf.bytes().await.unwrap())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let party = if text.contains("Daniel Price") {
            &visiting
        } else {
            &resident
        };
        let (arrive, leave) = times(party);
        assert!(
            text.contains(&format!("Please arrive at {arrive} and leave at {leave}")),
            "{text}"
        );
        assert!(
            !text.contains("CANARY") && !text.contains("07700 900123") && !text.contains("Mia"),
            "{text}"
        );
        if party == &visiting {
            assert!(!text.contains("Laura"), "{text}");
            visiting_letter = Some(letter.clone());
        }
    }
    let visiting_letter = visiting_letter.expect("the visiting parent's letter");

    // Marked posted through the page, once; it leaves the queue, audited.
    let csrf = crate::harness::csrf_in(&page).unwrap();
    let posted = jo
        .post(f.app.url(&format!("/print-queue/{visiting_letter}/posted")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let page = jo
        .get(f.app.url("/print-queue?done=posted"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Letter marked as posted") && !page.contains(&visiting_letter),
        "{page}"
    );
    let again = jo
        .post(f.app.url(&format!("/print-queue/{visiting_letter}/posted")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let audit = format!("{:?}", f.app.store.audit_entries(f.org.id, None, 500).await.unwrap());
    assert!(audit.contains("letter.posted"));

    // The reminder job writes each reminder once as a letter and does not look again.
    hours_before(&f, &booked, 47);
    sign_in_again(&f).await;
    let state = familytime_app::AppState::new(
        f.app.store.clone(),
        f.app.clock.clone() as std::sync::Arc<dyn familytime_app::clock::Clock>,
        familytime_app::Config::default(),
    )
    .unwrap();
    assert_eq!(
        enqueue_due(&state).await.unwrap(),
        2,
        "a reminder letter to each parent"
    );
    assert_eq!(enqueue_due(&state).await.unwrap(), 0, "and not again");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn email_an_address_that_cannot_be_sent_to_is_refused_where_it_is_entered() {
    let f = fixture().await;
    // A new account (API).
    let (status, body) = post(
        &f.app,
        &f.admin,
        "/api/v1/users/invitations",
        json!({"email": "ann@@example.org", "name": "Ann", "role": "supervisor"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("\"email\""), "{body}");
    // A party's e-mail on a referral.
    let mut referral = crate::referrals::referral(&f.org.centre.to_string());
    referral["adults"][1]["contacts"] = json!([{"kind": "email", "value": "daniel at example.org"}]);
    let (status, body) = post(&f.app, &f.jo, "/api/v1/referrals", referral).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("correct format"), "{body}");
    // A party's e-mail changed on the case (a form post): refused, nothing changed.
    let (case, _resident, visiting) = case_with_addresses(&f, "Checked").await;
    let jo = no_redirects();
    f.app.page_login(&jo, "jo@riverside.example").await;
    let form_page = jo
        .get(f.app.url(&format!("/cases/{case}/parties/{visiting}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::harness::csrf_in(&form_page).unwrap();
    let version = form_page
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let response = jo
        .post(f.app.url(&format!("/cases/{case}/parties/{visiting}")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("version", version.as_str()),
            ("name", "Daniel Checked"),
            ("parental_responsibility", "yes"),
            ("email", "daniel@example..org"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Enter an email address in the correct format") && page.contains("daniel@example..org"),
        "{page}"
    );
    let targets = f.app.store.mail_targets(f.org.id, &case).await.unwrap();
    let target = targets.iter().find(|t| t.party_id == visiting).unwrap();
    assert_eq!(target.address.as_deref(), Some(VISITING_EMAIL), "nothing changed");
    f.app.finish().await;
}
