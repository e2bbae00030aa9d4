//! Ending or suspending a service and review meetings through the API, on the real database: the
//! notice closes the case (and cancels what was booked), the three letters are PDFs with the reason and the recipient's name and
//! never a hidden address, letters are recorded as sent or printed, only coordinators decide, bad
//! input changes nothing, review meetings appear on the case, and Cafcass-funded hours are counted.

use crate::records::{after_the_session, pdf_text, ran_session};
use crate::referrals::CANARY;
use crate::schedule::{fixture, get, post};
use familytime_domain::people::Role;
use reqwest::StatusCode;
use serde_json::json;

const REASON: &str = "Daniel arrived under the influence of alcohol on two occasions (REASON-CHECK-81).";

async fn letter_text(f: &crate::schedule::Fixture, notice: &str, recipient: &str) -> String {
    let pdf =
        f.jo.get(f.app.url(&format!("/api/v1/notices/{notice}/letters/{recipient}")))
            .send()
            .await
            .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK, "letter to {recipient}");
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    pdf_text(&pdf.bytes().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coordinator_ends_a_service_closes_the_case_and_prints_three_letters() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let case = &ran.case;
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/notices"),
        json!({"kind": "ended", "reason": REASON, "effective_on": crate::schedule::ahead(&f.app, 2)}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let notice = body["id"].as_str().unwrap().to_owned();

    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(file["case"]["status"], "closed", "{file}");
    assert_eq!(file["outcome"], "service_ended", "{file}");

    let (status, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/notices")).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["notices"][0]["kind"], "ended");
    assert_eq!(listed["notices"][0]["reason"], REASON);
    // The booked session is cancelled by the centre with the service (decision 0043).
    assert_eq!(listed["coming_bookings"], json!([]), "{listed}");
    let (_, session) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{}", ran.booking)).await;
    assert_eq!(session["booking"]["status"], "cancelled", "{session}");
    assert_eq!(session["booking"]["cancelled_by"], "centre", "{session}");

    let referrer = file["referrer_name"].as_str().map(str::to_owned);
    for (recipient, name) in [
        ("resident", Some("Laura Price".to_owned())),
        ("visiting", Some("Daniel Price".to_owned())),
        ("referrer", referrer),
    ] {
        let text = letter_text(&f, &notice, recipient).await;
        assert!(text.contains("REASON-CHECK-81"), "{recipient}: {text}");
        if let Some(name) = name {
            assert!(text.contains(&name), "{recipient} letter names {name}: {text}");
        }
        assert!(!text.contains("CANARY"), "no address in the {recipient} letter");
        assert!(!text.contains(CANARY) && !text.contains("07700 900123"));
    }

    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/notices/{notice}/letters"),
        json!({"recipient": "resident", "delivery": "printed"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/notices")).await;
    let letters = listed["notices"][0]["letters"].as_array().unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0]["recipient"], "resident");
    assert_eq!(letters[0]["delivery"], "printed");

    // The service page shows the notice and links each letter.
    let page = f.app.client();
    f.app.page_login(&page, "jo@riverside.example").await;
    let html = page
        .get(f.app.url(&format!("/cases/{case}/service")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("REASON-CHECK-81"));
    assert!(html.contains(&format!("/notices/{notice}/letters/referrer")));
    assert!(
        !html.contains(&format!("/bookings/{}", ran.booking)),
        "the cancelled session is no longer to come"
    );
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suspension_keeps_the_case_open_and_only_coordinators_decide() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let case = &ran.case;
    let notice = json!({"kind": "suspended", "reason": "The child persistently refuses to attend", "effective_on": crate::schedule::ahead(&f.app, 1)});
    // A supervisor may stop a session, never end or suspend the service.
    let (status, _) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/cases/{case}/notices"),
        notice.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = get(&f.app, &ran.sam, &format!("/api/v1/cases/{case}/notices")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/notices"), notice).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(file["case"]["status"], "accepted", "a suspension keeps the case open");
    let pdf = ran
        .sam
        .get(f.app.url(&format!("/api/v1/notices/{id}/letters/resident")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::FORBIDDEN);
    let text = letter_text(&f, &id, "visiting").await;
    assert!(text.contains("suspend"), "{text}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_notices_and_letters_change_nothing() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let case = &ran.case;
    let date = crate::schedule::ahead(&f.app, 2);
    for (body, field) in [
        (json!({"kind": "ended", "reason": "  ", "effective_on": date}), "reason"),
        (
            json!({"kind": "terminated", "reason": "x", "effective_on": date}),
            "kind",
        ),
        (
            json!({"kind": "ended", "reason": "x", "effective_on": "next Tuesday"}),
            "effective_on",
        ),
    ] {
        let (status, answer) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/notices"), body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field, "{answer}");
    }
    // Another organisation's coordinator cannot even see the case.
    let other = f.app.seed_organisation("Elsewhere").await;
    f.app
        .seed_user(&other, Role::Coordinator, "kim@elsewhere.example")
        .await;
    let kim = f.app.client();
    f.app.api_login(&kim, "kim@elsewhere.example").await;
    let (status, _) = post(
        &f.app,
        &kim,
        &format!("/api/v1/cases/{case}/notices"),
        json!({"kind": "ended", "reason": "x", "effective_on": date}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/notices")).await;
    assert_eq!(listed["notices"], json!([]), "nothing recorded");
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(file["case"]["status"], "accepted");

    // Letters: only to the three recipients, only for a notice that exists.
    let (_, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/notices"),
        json!({"kind": "suspended", "reason": "Review of risk", "effective_on": date}),
    )
    .await;
    let notice = body["id"].as_str().unwrap().to_owned();
    let (status, _) = get(&f.app, &f.jo, &format!("/api/v1/notices/{notice}/letters/grandmother")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, answer) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/notices/{notice}/letters"),
        json!({"recipient": "grandmother", "delivery": "post"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, _) = get(&f.app, &kim, &format!("/api/v1/notices/{notice}/letters/resident")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post(
        &f.app,
        &kim,
        &format!("/api/v1/notices/{notice}/letters"),
        json!({"recipient": "resident", "delivery": "post"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/notices")).await;
    assert_eq!(listed["notices"][0]["letters"], json!([]), "no letter recorded");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_review_meeting_is_recorded_and_funded_hours_are_counted() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let case = &ran.case;
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(file["funded_hours"]["text"], "0 of 12 funded hours used", "{file}");
    after_the_session(&f, &ran).await;
    let (_, booking) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{}", ran.booking)).await;
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{}/status", ran.booking),
        json!({"status": "completed", "version": booking["booking"]["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(file["funded_hours"]["used_minutes"], 120, "{file}");
    assert_eq!(file["funded_hours"]["text"], "2 of 12 funded hours used");
    assert_eq!(file["funded_hours"]["reached"], false);
    assert_eq!(file["review_due_since"], json!(null));

    // The clock has moved on past the session; the real today is a day before the centre's.
    let today = crate::schedule::ahead(&f.app, 0);
    let review = json!({
        "held_on": today,
        "attendees": "Jo (coordinator), Laura Price, Daniel Price",
        "resident_view": "RESIDENT-VIEW-17: the handovers feel safe",
        "visiting_view": "VISITING-VIEW-23: would like longer sessions",
        "child_view": "Mia says she likes the tower game",
        "outcome": "continue",
        "risk_notes": "No incidents; the non-molestation order is still in force."
    });
    // Bad input first: nothing recorded.
    let mut bad = review.clone();
    bad["outcome"] = json!("carry_on");
    bad["visiting_view"] = json!("");
    let (status, answer) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/reviews"), bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, _) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/cases/{case}/reviews"),
        review.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/reviews")).await;
    assert_eq!(listed["reviews"], json!([]));

    let (status, body) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/reviews"), review).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/reviews")).await;
    let r = &listed["reviews"][0];
    assert_eq!(r["outcome"], "continue");
    assert!(r["resident_view"].as_str().unwrap().contains("RESIDENT-VIEW-17"));
    assert!(r["visiting_view"].as_str().unwrap().contains("VISITING-VIEW-23"));
    assert_eq!(listed["funded_hours"]["text"], "2 of 12 funded hours used");

    let page = f.app.client();
    f.app.page_login(&page, "jo@riverside.example").await;
    let html = page
        .get(f.app.url(&format!("/cases/{case}/service")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("RESIDENT-VIEW-17") && html.contains("VISITING-VIEW-23"));
    let case_page = page
        .get(f.app.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        case_page.contains("2 of 12 funded hours used"),
        "shown on the case page"
    );
    assert!(case_page.contains(&format!("/cases/{case}/service")));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_page_shows_errors_in_words_and_records_letters() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let case = &ran.case;
    let page = f.app.client();
    let csrf = f.app.page_login(&page, "jo@riverside.example").await;
    let response = page
        .post(f.app.url(&format!("/cases/{case}/notices")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("kind", "ended"),
            ("reason", ""),
            ("effective_on", "soon"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Enter the reason") && html.contains("as a date"),
        "{html}"
    );
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(file["case"]["status"], "accepted");

    let response = page
        .post(f.app.url(&format!("/cases/{case}/notices")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("kind", "suspended"),
            ("reason", "Mia has refused to come to three sessions in a row"),
            ("effective_on", &crate::schedule::ahead(&f.app, 0)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/notices")).await;
    let notice = listed["notices"][0]["id"].as_str().unwrap().to_owned();
    let response = page
        .post(f.app.url(&format!("/notices/{notice}/letters")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("recipient", "referrer"),
            ("delivery", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Choose how the letter was sent") && html.contains(r#"id="delivery""#));
    let response = page
        .post(f.app.url(&format!("/notices/{notice}/letters")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("recipient", "referrer"),
            ("delivery", "email"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = page
        .get(f.app.url(&format!("/cases/{case}/service")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Sent by e-mail"), "{html}");

    // A supervisor reads the case but is not offered the service page.
    let sam = f.app.client();
    f.app.page_login(&sam, "sam@riverside.example").await;
    let html = sam
        .get(f.app.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&format!("/cases/{case}/service")));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_notice_and_the_case_closing_are_written_together_or_not_at_all() {
    use familytime_domain::ids::CaseId;
    use familytime_domain::referrals::{CaseStatus, ClosureOutcome, Transition};
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let case = CaseId::parse(&ran.case).unwrap();
    let file = f.app.store.case(f.org.id, case).await.unwrap();
    let today = f.app.today();
    let notice = familytime_domain::reviews::Notice::parse(
        "ended",
        "Repeated breaches of the ground rules",
        &today.to_string(),
        today,
    )
    .unwrap();
    let closing = Transition {
        to: CaseStatus::Closed,
        reason: "Service ended".into(),
        service: None,
        outcome: Some(ClosureOutcome::ServiceEnded),
        missing: None,
    };
    let kim = f
        .app
        .seed_user(&f.org, Role::Coordinator, "kim@riverside.example")
        .await;
    let scope = familytime_store::AuditScope {
        actor_user_id: Some(kim),
        ..f.app.seed_scope(Some(f.org.id))
    };
    // The case changed since it was read: neither the notice nor the closing is written.
    let stale = f
        .app
        .store
        .issue_notice(
            &scope,
            f.org.id,
            case,
            &notice,
            Some((file.summary.version - 1, &closing)),
        )
        .await;
    assert!(matches!(stale, Err(familytime_store::StoreError::Stale)), "{stale:?}");
    assert!(
        f.app.store.case_notices(f.org.id, case).await.unwrap().is_empty(),
        "no notice without the closing"
    );
    let (_, api) = get(&f.app, &f.jo, &format!("/api/v1/cases/{}", ran.case)).await;
    assert_ne!(api["case"]["status"], "closed");
    f.app.finish().await;
}
