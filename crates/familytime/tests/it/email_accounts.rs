//! Accounts by e-mail (issue 17, decision 0051), against the real SMTP server process `email.rs`
//! starts, messages read back with Python's email package, on whichever database the suite runs
//! on: an invitation's link sets a password once; "forgot password" answers alike for an address
//! with an account and one without, and only the account gets a link; a used, replaced or expired
//! link is refused with a page that says so; a link's secret reaches neither the audit log nor the
//! outbox once sent.

use crate::email::{SmtpServer, sender_state};
use crate::harness::{PASSWORD, csrf_in, json_of};
use crate::schedule::{Fixture, fixture};
use familytime_app::mail::sender::send_due;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};

const NEW_PASSWORD: &str = "violet harbour kettle lantern";

/// The link to set a password in a message's text.
pub(crate) fn link_in(message: &Value) -> String {
    let text = message["text"].as_str().unwrap_or_default();
    let start = text.find("http").expect("a link in the message");
    text[start..].split_whitespace().next().expect("the link").to_owned()
}

/// The path of a link (`/set-password/…`), for the test's server.
fn path_of(link: &str) -> String {
    let at = link.find("/set-password/").expect("a set-password link");
    link[at..].to_owned()
}

/// Sends what is due through the test's SMTP server and returns every message it has accepted.
async fn deliver(f: &Fixture, server: &SmtpServer) -> Vec<Value> {
    let (state, mailer) = sender_state(f, &server.url());
    send_due(&state, &mailer).await.expect("a pass");
    server.messages()
}

/// A form page's CSRF token, for a signed-out visitor (the cookie stays in the client).
async fn anonymous_csrf(f: &Fixture, client: &reqwest::Client, path: &str) -> String {
    let page = client.get(f.app.url(path)).send().await.unwrap().text().await.unwrap();
    csrf_in(&page).expect("the form carries a CSRF token")
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Sets a password through a link's page; returns the status and the page.
async fn set_password(
    f: &Fixture,
    client: &reqwest::Client,
    path: &str,
    password: &str,
    again: &str,
) -> (StatusCode, String) {
    let csrf = anonymous_csrf(f, client, "/forgot-password").await;
    let response = client
        .post(f.app.url(path))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("password", password),
            ("password_confirmation", again),
        ])
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

async fn sign_in(f: &Fixture, email: &str, password: &str) -> StatusCode {
    f.app
        .client()
        .post(f.app.url("/api/v1/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

/// What the audit log holds for the organisation, as text.
async fn audit_text(f: &Fixture) -> String {
    format!("{:?}", f.app.store.audit_entries(f.org.id, None, 1000).await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn email_invitation_link_sets_a_password_once_then_the_person_signs_in() {
    let f = fixture().await;
    let server = SmtpServer::start(false);
    let admin = no_redirects();
    let csrf = f.app.page_login(&admin, "ade@riverside.example").await;

    // An address the sender could not send to is refused where it is typed, with the form kept.
    let bad = admin
        .post(f.app.url("/users"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "Nia Evans"),
            ("email", "nia..evans@example.org"),
            ("role", "supervisor"),
            ("how", "invite"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap();
    assert!(page.contains("Enter an email address in the correct format"), "{page}");
    assert!(page.contains("Nia Evans"), "the form keeps what was typed");
    assert!(
        f.app
            .store
            .user_by_email(&familytime_domain::people::Email::parse("nia@example.org").unwrap())
            .await
            .unwrap()
            .is_none()
    );

    // Added by invitation through the page: no password typed, a message with a link.
    let added = admin
        .post(f.app.url("/users"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "Nia Evans"),
            ("email", "nia@example.org"),
            ("role", "supervisor"),
            ("how", "invite"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let location = added.headers()["location"].to_str().unwrap().to_owned();
    let confirmed = admin
        .get(f.app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        confirmed.contains("an invitation to choose their password is on its way"),
        "{confirmed}"
    );
    let messages = deliver(&f, &server).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let invitation = &messages[0];
    assert_eq!(invitation["headers"]["to"], "nia@example.org");
    assert_eq!(invitation["headers"]["subject"], "Your familytime account");
    assert!(invitation["text"].as_str().unwrap().contains("72 hours"));
    let first_link = link_in(invitation);
    assert!(first_link.starts_with(&f.app.url("/set-password/")), "{first_link}");

    // Sent again (the API): the first link stops working, the new one works.
    let user_id = location
        .trim_start_matches("/users/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let (status, body) = json_of(
        f.admin
            .post(f.app.url(&format!("/api/v1/users/{user_id}/invitation")))
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let messages = deliver(&f, &server).await;
    assert_eq!(messages.len(), 2);
    let link = link_in(&messages[1]);
    assert_ne!(link, first_link);
    let visitor = no_redirects();
    let old = visitor.get(f.app.url(&path_of(&first_link))).send().await.unwrap();
    assert_eq!(old.status(), StatusCode::GONE, "a replaced link is refused");
    assert!(old.text().await.unwrap().contains("This link cannot be used"));

    // The form: every problem at once, nothing set.
    let (status, page) = set_password(&f, &visitor, &path_of(&link), "short", "different").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("12 characters") && page.contains("do not match"),
        "{page}"
    );
    assert_eq!(sign_in(&f, "nia@example.org", "short").await, StatusCode::UNAUTHORIZED);

    // Set: the person signs in with it; the link is used up.
    let (status, page) = set_password(&f, &visitor, &path_of(&link), NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Your password is set"), "{page}");
    assert_eq!(sign_in(&f, "nia@example.org", NEW_PASSWORD).await, StatusCode::OK);
    let (status, page) = set_password(
        &f,
        &visitor,
        &path_of(&link),
        "another long passphrase here",
        "another long passphrase here",
    )
    .await;
    assert_eq!(status, StatusCode::GONE, "a used link is refused: {page}");
    assert_eq!(
        sign_in(&f, "nia@example.org", NEW_PASSWORD).await,
        StatusCode::OK,
        "nothing changed"
    );

    // The secret is in no audit entry, and the outbox keeps no copy once sent.
    let secret = link.rsplit('/').next().unwrap().to_owned();
    let audit = audit_text(&f).await;
    assert!(!audit.contains(&secret) && !audit.contains(&first_link));
    assert!(audit.contains("account_link.invite") && audit.contains("account_link.accept_invitation"));
    let stored = f
        .app
        .store
        .outbox_page(f.org.id, None, &Default::default())
        .await
        .unwrap();
    assert_eq!(stored.items.len(), 2);
    for m in &stored.items {
        assert_eq!(m.state, "sent");
        assert!(
            !m.body_text.contains(&secret) && !m.body_html.contains(&secret),
            "{}",
            m.body_text
        );
    }
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn email_forgot_password_answers_alike_and_only_an_account_gets_a_single_use_short_lived_link() {
    let f = fixture().await;
    let server = SmtpServer::start(false);
    let visitor = no_redirects();
    let mut answers = Vec::new();
    for address in ["jo@riverside.example", "nobody@riverside.example"] {
        let csrf = anonymous_csrf(&f, &visitor, "/forgot-password").await;
        let response = visitor
            .post(f.app.url("/forgot-password"))
            .form(&[("csrf_token", csrf.as_str()), ("email", address)])
            .send()
            .await
            .unwrap();
        answers.push((response.status(), response.text().await.unwrap()));
    }
    assert_eq!(answers[0].0, StatusCode::OK);
    assert_eq!(
        answers[0], answers[1],
        "the same page whether or not the address has an account"
    );
    assert!(answers[0].1.contains("Check your email"));
    // The API answers alike too.
    let mut api = Vec::new();
    for address in ["ade@riverside.example", "none@riverside.example"] {
        let response = f
            .app
            .client()
            .post(f.app.url("/api/v1/password-reset"))
            .json(&json!({"email": address}))
            .send()
            .await
            .unwrap();
        api.push(json_of(response).await);
    }
    assert_eq!(api[0].0, StatusCode::ACCEPTED);
    assert_eq!(api[0], api[1]);
    let (status, body) = json_of(
        f.app
            .client()
            .post(f.app.url("/api/v1/password-reset"))
            .json(&json!({"email": "jo@riverside.example", "admin": true}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an unknown field is refused: {body}"
    );

    let messages = deliver(&f, &server).await;
    let recipients: Vec<&str> = messages.iter().map(|m| m["headers"]["to"].as_str().unwrap()).collect();
    assert_eq!(recipients.len(), 2, "{recipients:?}");
    assert!(recipients.contains(&"jo@riverside.example") && recipients.contains(&"ade@riverside.example"));
    let jo_link = link_in(
        messages
            .iter()
            .find(|m| m["headers"]["to"] == "jo@riverside.example")
            .unwrap(),
    );
    let ade_link = link_in(
        messages
            .iter()
            .find(|m| m["headers"]["to"] == "ade@riverside.example")
            .unwrap(),
    );
    for m in &messages {
        assert_eq!(m["headers"]["subject"], "Reset your familytime password");
        assert!(m["text"].as_str().unwrap().contains("1 hours") || m["text"].as_str().unwrap().contains("for 1 "));
    }

    // Used: the new password works, the account's other sessions end (jo's API client is signed out).
    let (status, _) = json_of(f.jo.get(f.app.url("/api/v1/me")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, page) = set_password(&f, &visitor, &path_of(&jo_link), NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, _) = json_of(f.jo.get(f.app.url("/api/v1/me")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the account's sessions ended");
    assert_eq!(
        sign_in(&f, "jo@riverside.example", PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(sign_in(&f, "jo@riverside.example", NEW_PASSWORD).await, StatusCode::OK);
    // Used once: the API refuses it again.
    let (status, body) = json_of(
        f.app
            .client()
            .post(f.app.url("/api/v1/password-reset/complete"))
            .json(&json!({"token": jo_link.rsplit('/').next().unwrap(), "password": "yet another passphrase", "password_confirmation": "yet another passphrase"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::GONE, "{body}");

    // Expired: an hour later the administrator's link is refused, and the password stands.
    f.app.clock.advance(SignedDuration::from_mins(61));
    let expired = visitor.get(f.app.url(&path_of(&ade_link))).send().await.unwrap();
    assert_eq!(expired.status(), StatusCode::GONE);
    let (status, _) = set_password(&f, &visitor, &path_of(&ade_link), NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(sign_in(&f, "ade@riverside.example", PASSWORD).await, StatusCode::OK);

    let audit = audit_text(&f).await;
    for link in [&jo_link, &ade_link] {
        assert!(
            !audit.contains(link.rsplit('/').next().unwrap()),
            "a secret in the audit log"
        );
    }
    assert!(audit.contains("account_link.reset_password"));
    f.app.finish().await;
}
