//! Journeys through the pages (issue 30): real Chromium drives the pages a person uses, so a form
//! whose fields do not match its handler, or a page offering what its viewer may not do, is caught.
//! The case and its session are set up through the API (that is not the journey under test); each
//! journey itself is pages only. `cargo test journey` runs them.

use crate::browser::{Browser, fill};
use crate::end_to_end::{check_page, set, sign_out, submit};
use crate::harness::PASSWORD;
use crate::records::{Ran, after_the_session, ran_session};
use crate::schedule::{Fixture, accepted_case, ahead, booking, fixture, get, post, supervisor};
use familytime_domain::people::Role;
use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

pub(crate) async fn sign_in(browser: &Browser, f: &Fixture, email: &str) {
    browser.client.goto(&f.app.url("/login")).await.unwrap();
    fill(browser, "email", email).await;
    fill(browser, "password", PASSWORD).await;
    click(browser, "main button[type=submit]").await;
    browser.wait_for_path(&f.app, "/home").await;
}

pub(crate) async fn click(browser: &Browser, css: &str) {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .click()
        .await
        .unwrap();
}

pub(crate) async fn present(browser: &Browser, css: &str) -> bool {
    !browser.client.find_all(Locator::Css(css)).await.unwrap().is_empty()
}

pub(crate) async fn wait_for_text(browser: &Browser, text: &str) {
    browser
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(&format!("//*[contains(., '{text}')]")))
        .await
        .unwrap_or_else(|_| panic!("the page says {text}"));
}

/// A supervisor writes the record of a session that has happened and signs it off, through the page.
/// Returns the browser, signed in as the supervisor, on the signed record.
async fn sign_through_the_page(f: &Fixture, ran: &Ran) -> Browser {
    after_the_session(f, ran).await;
    let browser = Browser::start().await;
    sign_in(&browser, f, "sam@riverside.example").await;
    let b = &ran.booking;
    browser
        .client
        .goto(&f.app.url(&format!("/bookings/{b}/record")))
        .await
        .unwrap();
    fill(&browser, "arrival", "Daniel arrived at 09:45; Mia at 10:00 with Laura.").await;
    fill(
        &browser,
        "interaction",
        "They built a tower. Mia said \"look how tall!\"",
    )
    .await;
    fill(
        &browser,
        "ending",
        "At 11:55 Daniel said goodbye and Mia left with Laura.",
    )
    .await;
    click(&browser, "#save-draft").await;
    browser.wait_for("#sign-off").await;
    click(&browser, "#sign-off").await;
    wait_for_text(&browser, "Signed off by").await;
    browser
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_addendum_to_a_signed_record_through_the_page() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let browser = sign_through_the_page(&f, &ran).await;

    // Sent without a reason: the error names it and what was typed is kept.
    fill(
        &browser,
        "addendum_text",
        "Mia also drew a picture for her father. ADDENDUM-TEXT-7",
    )
    .await;
    click(&browser, "form[action$='/addenda'] button[type=submit]").await;
    browser.wait_for(".error-summary").await;
    assert!(browser.text().await.contains("Enter why it is added"));
    let kept = browser
        .client
        .find(Locator::Id("addendum_text"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("Mia also drew a picture for her father. ADDENDUM-TEXT-7")
    );

    // With both: confirmed, and listed under the record with why.
    fill(&browser, "addendum_reason", "Left out by mistake REASON-7").await;
    click(&browser, "form[action$='/addenda'] button[type=submit]").await;
    browser.wait_for(".notification").await;
    let text = browser.text().await;
    assert!(text.contains("Addendum added"), "{text}");
    assert!(!text.contains("There is a problem"), "{text}");
    let listed = browser
        .client
        .find(Locator::Css("#addenda + ol"))
        .await
        .expect("the addenda are listed")
        .text()
        .await
        .unwrap();
    assert!(
        listed.contains("ADDENDUM-TEXT-7") && listed.contains("REASON-7") && listed.contains("Test Supervisor"),
        "{listed}"
    );
    let problems = browser.accessibility_problems().await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_signed_record_closes_the_register_and_stopping() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let b = ran.booking.clone();
    let register = format!("form[action='/bookings/{b}/register']");
    let stop = format!("form[action='/bookings/{b}/stop']");
    after_the_session(&f, &ran).await;
    {
        // Before sign-off the register and stopping are offered (so the checks below can fail).
        let browser = Browser::start().await;
        sign_in(&browser, &f, "sam@riverside.example").await;
        browser
            .client
            .goto(&f.app.url(&format!("/bookings/{b}/record")))
            .await
            .unwrap();
        assert!(
            present(&browser, &register).await,
            "the register is open before sign-off"
        );
        assert!(present(&browser, &stop).await, "stopping is offered before sign-off");
        browser.close().await;
    }
    let browser = sign_through_the_page(&f, &ran).await;
    browser
        .client
        .goto(&f.app.url(&format!("/bookings/{b}/record")))
        .await
        .unwrap();
    browser.wait_for("#register-closed").await;
    assert!(
        !present(&browser, &register).await,
        "no register form on a signed record"
    );
    assert!(!present(&browser, &stop).await, "no stop button on a signed record");
    assert!(!browser.text().await.contains("Stop the session early"));
    let problems = browser.accessibility_problems().await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

/// After sign-off, writing the register or stopping the session is refused by the page routes and
/// the API alike, and nothing changes.
#[tokio::test(flavor = "multi_thread")]
async fn signed_session_refuses_register_and_stop_on_page_and_api() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let b = ran.booking.clone();
    after_the_session(&f, &ran).await;
    let (status, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        json!({"sections": {"arrival": "A", "interaction": "B", "ending": "C"}, "checklist": [], "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": saved["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let booking = get(&f.app, &f.jo, &format!("/api/v1/bookings/{b}")).await.1["booking"].clone();
    let version = booking["version"].as_i64().unwrap();
    let who = format!("party:{}", ran.visiting);

    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/register"),
        json!({"who": who, "attendance": "arrived", "arrived": "09:45", "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("signed off"),
        "{body}"
    );
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/stop"),
        json!({"reason": "child_distressed", "detail": "Mia cried.", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    let csrf = f.app.page_login(&ran.sam, "sam@riverside.example").await;
    for (path, form) in [
        (
            format!("/bookings/{b}/register"),
            vec![
                ("who", who.clone()),
                ("attendance", "arrived".into()),
                ("arrived", "09:45".into()),
                ("version", "0".into()),
            ],
        ),
        (
            format!("/bookings/{b}/stop"),
            vec![
                ("reason", "child_distressed".into()),
                ("detail", "Mia cried.".into()),
                ("version", version.to_string()),
            ],
        ),
    ] {
        let mut form = form;
        form.push(("csrf_token", csrf.clone()));
        let answer = ran.sam.post(f.app.url(&path)).form(&form).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::CONFLICT, "{path}");
        let html = answer.text().await.unwrap();
        assert!(html.contains("signed off, so the session is closed"), "{path}");
    }

    // Nothing changed: no one on the register, the session still as it ran.
    let (status, view) = get(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/record")).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["register"].as_array().map(Vec::len), Some(0), "{view}");
    assert_eq!(view["register_open"], false, "{view}");
    let after = get(&f.app, &f.jo, &format!("/api/v1/bookings/{b}")).await.1["booking"].clone();
    assert_eq!(after["status"], "confirmed");
    assert_eq!(after["status"], booking["status"]);
    assert_eq!(after["version"], booking["version"]);
    f.app.finish().await;
}

/// A coordinator moves a session at the visiting parent's request, through the booking page: both
/// bookings and the parent's own page say where it went and who asked, never "cancelled by the centre".
#[tokio::test(flavor = "multi_thread")]
async fn journey_moved_session_says_who_asked_on_both_sides() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, _resident, visiting) = accepted_case(&f, "Price").await;
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
            &ahead(&f.app, 2),
            "10:00",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let old = booked[0]["id"].as_str().unwrap().to_owned();
    let browser = Browser::start().await;
    let mut problems = Vec::new();

    sign_in(&browser, &f, "jo@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/bookings/{old}")))
        .await
        .unwrap();
    let move_button = format!("form[action='/bookings/{old}/move'] button[type=submit]");
    // Without saying who asked: refused, the date and time kept.
    set(&browser, "#date", &ahead(&f.app, 3)).await;
    set(&browser, "#time", "14:00").await;
    submit(&browser, &move_button).await;
    assert!(browser.text().await.contains("Say who asked for the move"));
    let kept = browser
        .client
        .find(Locator::Id("time"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("14:00"));
    check_page(&browser, &mut problems, "move with errors").await;
    set(&browser, "#asked_by", "visiting").await;
    submit(&browser, &move_button).await;

    let new_page = browser.path().await;
    assert_ne!(new_page, format!("/bookings/{old}"), "the new booking is shown");
    let moved_from = browser
        .client
        .find(Locator::Id("moved-from"))
        .await
        .expect("the new booking says where it was moved from")
        .text()
        .await
        .unwrap();
    assert!(
        moved_from.contains("10:00") && moved_from.contains("at the request of the visiting parent"),
        "{moved_from}"
    );
    check_page(&browser, &mut problems, "moved booking").await;

    browser
        .client
        .goto(&f.app.url(&format!("/bookings/{old}")))
        .await
        .unwrap();
    let text = browser.text().await;
    let moved_to = browser
        .client
        .find(Locator::Id("moved-to"))
        .await
        .expect("the old booking says where it was moved to")
        .text()
        .await
        .unwrap();
    assert!(
        moved_to.contains("14:00") && moved_to.contains("at the request of the visiting parent"),
        "{moved_to}"
    );
    assert!(!text.to_lowercase().contains("cancelled by the centre"), "{text}");
    check_page(&browser, &mut problems, "old booking").await;
    sign_out(&browser, &f.app).await;

    // The father's own page says the same.
    sign_in(&browser, &f, "daniel@example.org").await;
    browser.client.goto(&f.app.url("/my-account")).await.unwrap();
    let text = browser.text().await;
    assert!(
        text.contains("Moved to") && text.contains("at the request of the visiting parent"),
        "{text}"
    );
    assert!(text.contains("moved from"), "{text}");
    assert!(!text.to_lowercase().contains("cancelled by the centre"), "{text}");
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

/// The API asks who asked for a move too: without it the move is refused (422 naming the field)
/// and nothing changes.
#[tokio::test(flavor = "multi_thread")]
async fn move_without_who_asked_is_refused_and_changes_nothing() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, _, _) = accepted_case(&f, "Price").await;
    let (status, booked) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking(
            "supervised",
            &ahead(&f.app, 2),
            "10:00",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let id = booked[0]["id"].as_str().unwrap().to_owned();
    for asked in [json!(""), json!("the dog")] {
        let (status, body) = post(
            &f.app,
            &f.jo,
            &format!("/api/v1/bookings/{id}/move"),
            json!({"date": ahead(&f.app, 3), "time": "14:00", "asked_by": asked, "version": booked[0]["version"]}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("asked_by"), "{body}");
    }
    let (status, moved) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/move"),
        json!({"date": ahead(&f.app, 3), "time": "14:00", "asked_by": "resident", "version": booked[0]["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    let old = get(&f.app, &f.jo, &format!("/api/v1/bookings/{id}")).await.1["booking"].clone();
    assert_eq!(old["cancelled_by"], "resident");
    f.app.finish().await;
}
