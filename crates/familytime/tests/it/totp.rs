//! Two-factor sign-in (issue 18 item 4, decision 0052), through the pages (HTTP form posts) and the
//! API, on the real server: enrolment from the account page, the sign-in's second step with a code
//! accepted once only, recovery codes used once, the second step's throttle, the organisation's
//! policy forcing enrolment for the roles that see case data, an administrator's reset, and API
//! tokens beside it all. Codes are computed here with totp-rs at the time of the server's injected
//! clock, never the machine's; every refusal is checked to have changed nothing.

use crate::harness::{Org, PASSWORD, TestApp, csrf_in, json_of};
use familytime_app::clock::Clock;
use familytime_domain::ids::UserId;
use familytime_domain::people::Role;
use familytime_domain::ratelimit::SignInThrottle;
use familytime_domain::two_factor::{PENDING_FOR, RECOVERY_CODES, STEP_SECONDS};
use reqwest::{Client, Response, StatusCode};
use serde_json::json;

const ADMIN: &str = "ada@riverside.example";
const COORDINATOR: &str = "cora@riverside.example";
const PARENT: &str = "pat@riverside.example";

struct Fixture {
    app: TestApp,
    org: Org,
    coordinator: UserId,
}

/// A server whose clock stands one second into a TOTP time step, so a test has most of the step
/// before the codes it computed change (the clock runs on between requests).
async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let into_step = app.clock.now().as_second().rem_euclid(STEP_SECONDS as i64);
    app.clock
        .advance(jiff::SignedDuration::from_secs(STEP_SECONDS as i64 - into_step + 1));
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, ADMIN).await;
    let coordinator = app.seed_user(&org, Role::Coordinator, COORDINATOR).await;
    app.seed_user(&org, Role::Parent, PARENT).await;
    Fixture { app, org, coordinator }
}

/// The TOTP the server made for a secret, as an authenticator app holds it.
fn authenticator(secret: &str) -> totp_rs::Totp {
    let secret = totp_rs::Secret::try_from_base32(secret).expect("a base32 secret");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("RFC 6238 parameters")
}

/// The code for `steps` steps from now by the server's clock.
pub(crate) fn code_at(app: &TestApp, secret: &str, steps: i64) -> String {
    let at = app.clock.now().as_second() + steps * STEP_SECONDS as i64;
    authenticator(secret).generate(at as u64).to_string()
}

/// A six-digit code that is none of the codes accepted now (the previous, current or next step's).
fn wrong_code(app: &TestApp, secret: &str) -> String {
    let taken: Vec<String> = (-1..=1).map(|s| code_at(app, secret, s)).collect();
    (0..)
        .map(|n: u32| format!("{:06}", (taken[1].parse::<u32>().unwrap() + 1 + n) % 1_000_000))
        .find(|c| !taken.contains(c))
        .unwrap()
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    let to = html[from..].find(end)? + from;
    Some(&html[from..to])
}

/// The key shown for typing in on an enrolment page.
fn secret_in(html: &str) -> String {
    between(html, "<code class=\"token\" id=\"secret\">", "</code>")
        .expect("the enrolment page shows the key")
        .to_owned()
}

/// The recovery codes on the page that shows them once.
fn recovery_codes_in(html: &str) -> Vec<String> {
    let list = between(html, "id=\"recovery-codes\">", "</ul>").expect("the recovery codes");
    list.split("<code class=\"token\">")
        .skip(1)
        .filter_map(|c| c.split("</code>").next())
        .map(str::to_owned)
        .collect()
}

async fn form_post(client: &Client, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Response {
    client.post(app.url(path)).form(fields).send().await.unwrap()
}

async fn page(client: &Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The password step on the sign-in page, in a fresh browser: where it sends the browser next.
pub(crate) async fn password_step(app: &TestApp, client: &Client, email: &str) -> String {
    let (_, form) = page(client, app, "/login").await;
    let csrf = csrf_in(&form).unwrap();
    let response = form_post(
        client,
        app,
        "/login",
        &[
            ("email", email),
            ("password", PASSWORD),
            ("csrf_token", &csrf),
            ("next", "/home"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "a right password");
    location(&response)
}

/// The second step's page, then its form posted with `code`.
pub(crate) async fn code_step(app: &TestApp, client: &Client, code: &str) -> Response {
    let (status, form) = page(client, app, "/login/two-factor?next=%2Fhome").await;
    assert_eq!(status, StatusCode::OK, "the code page: {form}");
    let csrf = csrf_in(&form).unwrap();
    form_post(
        client,
        app,
        "/login/two-factor",
        &[("code", code), ("csrf_token", &csrf), ("next", "/home")],
    )
    .await
}

/// Whether the browser has a session: the home page answers, or sends it to sign in.
async fn signed_in(app: &TestApp, client: &Client) -> bool {
    let response = client.get(app.url("/home")).send().await.unwrap();
    match response.status() {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER => false,
        other => panic!("home answered {other}"),
    }
}

async fn actions(app: &TestApp, org: &Org) -> Vec<(String, Option<String>)> {
    let entries = app.store.audit_entries(org.id, None, 500).await.unwrap();
    entries.into_iter().map(|e| (e.action, e.object_id)).collect()
}

async fn count_of(app: &TestApp, org: &Org, action: &str) -> usize {
    actions(app, org).await.iter().filter(|(a, _)| a == action).count()
}

/// Enrols `email` from their own account page, signed in with a password alone; returns the
/// secret and the recovery codes, and the client (still signed in).
pub(crate) async fn enrol_from_account(app: &TestApp, email: &str) -> (Client, String, Vec<String>) {
    let client = app.client();
    app.page_login(&client, email).await;
    let (status, enrol) = page(&client, app, "/account/two-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(enrol.contains("<svg"), "a QR code to scan");
    let secret = secret_in(&enrol);
    let csrf = csrf_in(&enrol).unwrap();
    let code = code_at(app, &secret, 0);
    let response = form_post(
        &client,
        app,
        "/account/two-factor",
        &[("code", &code), ("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let shown = response.text().await.unwrap();
    let codes = recovery_codes_in(&shown);
    (client, secret, codes)
}

async fn sign_out(app: &TestApp, client: &Client) {
    let (_, account) = page(client, app, "/account").await;
    let csrf = csrf_in(&account).unwrap();
    let response = form_post(client, app, "/logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(!signed_in(app, client).await);
}

#[tokio::test]
async fn totp_enrolment_then_each_code_signs_in_once_only() {
    let f = fixture().await;
    let app = &f.app;
    let client = app.client();
    app.page_login(&client, COORDINATOR).await;
    let (_, enrol) = page(&client, app, "/account/two-factor").await;
    let secret = secret_in(&enrol);
    assert_eq!(secret.len(), 32, "160 bits in base32");
    let (_, again) = page(&client, app, "/account/two-factor").await;
    assert_eq!(secret_in(&again), secret, "reloading keeps the secret being enrolled");
    let csrf = csrf_in(&enrol).unwrap();

    // Bad input is refused with a clear message and enrols nothing.
    for (typed, says) in [
        ("", "Enter the 6-digit code"),
        ("12a456", "Enter the 6 digits your authenticator app shows"),
        (wrong_code(app, &secret).as_str(), "The code is not right"),
    ] {
        let response = form_post(
            &client,
            app,
            "/account/two-factor",
            &[("code", typed), ("csrf_token", &csrf)],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{typed:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains(says), "{typed:?}: {body}");
        assert!(body.contains("error-summary"), "the error summary");
    }
    let factor = app.store.two_factor(f.org.id, f.coordinator).await.unwrap().unwrap();
    assert!(!factor.confirmed, "no enrolment from a wrong code");
    assert_eq!(count_of(app, &f.org, "two_factor.enrolled").await, 0);

    // The current code confirms it; ten recovery codes are shown once.
    let enrolled_with = code_at(app, &secret, 0);
    let response = form_post(
        &client,
        app,
        "/account/two-factor",
        &[("code", &enrolled_with), ("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let shown = response.text().await.unwrap();
    let codes = recovery_codes_in(&shown);
    assert_eq!(codes.len(), RECOVERY_CODES);
    let (_, after) = page(&client, app, "/account/two-factor").await;
    assert!(!after.contains(&secret), "the secret is never shown again");
    assert!(!after.contains(&codes[0]), "nor the recovery codes");
    assert!(after.contains("10 recovery codes left"), "{after}");
    assert_eq!(count_of(app, &f.org, "two_factor.enrolled").await, 1);
    sign_out(app, &client).await;

    // The password alone no longer signs in: the browser is sent to the second step.
    let browser = app.client();
    let next = password_step(app, &browser, COORDINATOR).await;
    assert!(next.starts_with("/login/two-factor?"), "{next}");
    assert!(!signed_in(app, &browser).await, "no session before the second step");

    // The code that confirmed the enrolment was taken: it cannot be used again (replay).
    let response = code_step(app, &browser, &enrolled_with).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("used already"));
    // A code two steps old is out of the window.
    let response = code_step(app, &browser, &code_at(app, &secret, -2)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!signed_in(app, &browser).await, "refusals start no session");
    let last = app
        .store
        .two_factor(f.org.id, f.coordinator)
        .await
        .unwrap()
        .unwrap()
        .last_step;
    // The next step's code is accepted (one step of skew).
    let response = code_step(app, &browser, &code_at(app, &secret, 1)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/home");
    assert!(signed_in(app, &browser).await);
    let taken = app
        .store
        .two_factor(f.org.id, f.coordinator)
        .await
        .unwrap()
        .unwrap()
        .last_step;
    assert!(taken > last, "the accepted step is remembered");

    // The same code again, after a fresh password: refused, as is a code from before it.
    let other = app.client();
    password_step(app, &other, COORDINATOR).await;
    for steps in [1, 0] {
        let response = code_step(app, &other, &code_at(app, &secret, steps)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "step {steps}");
    }
    assert!(!signed_in(app, &other).await);
    let entries = actions(app, &f.org).await;
    let of_coordinator = |action: &str| {
        entries
            .iter()
            .filter(|(a, id)| a == action && id.as_deref() == Some(f.coordinator.to_string().as_str()))
            .count()
    };
    assert_eq!(of_coordinator("two_factor.failed"), 4);
    assert_eq!(of_coordinator("two_factor.passed"), 1);
    let log = format!("{entries:?}");
    assert!(
        !log.contains(&secret) && !log.contains(&enrolled_with),
        "no secret or code is logged"
    );
    f.app.finish().await;
}

#[tokio::test]
async fn totp_recovery_codes_work_once_each() {
    let f = fixture().await;
    let app = &f.app;
    let (client, _secret, codes) = enrol_from_account(app, COORDINATOR).await;
    sign_out(app, &client).await;

    let browser = app.client();
    password_step(app, &browser, COORDINATOR).await;
    // Typed in capitals and with spaces for dashes, as people do.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let response = code_step(app, &browser, &typed).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(signed_in(app, &browser).await);
    assert_eq!(count_of(app, &f.org, "two_factor.recovery_code_used").await, 1);

    let again = app.client();
    password_step(app, &again, COORDINATOR).await;
    let response = code_step(app, &again, &codes[3]).await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a used recovery code"
    );
    let made_up = "abcd-efgh-ijkl-mnop";
    assert!(!codes.iter().any(|c| c == made_up));
    let response = code_step(app, &again, made_up).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "not one of theirs");
    assert!(!signed_in(app, &again).await);
    let left = app.store.recovery_codes_left(f.org.id, f.coordinator).await.unwrap();
    assert_eq!(left, RECOVERY_CODES as i64 - 1, "the refusals used nothing up");
    let response = code_step(app, &again, &codes[4]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, status) = page(&again, app, "/account/two-factor").await;
    assert!(status.contains("8 recovery codes left"), "{status}");
    f.app.finish().await;
}

#[tokio::test]
async fn totp_second_step_is_throttled_like_the_first_and_expires() {
    let rule = SignInThrottle::default();
    let f = fixture().await;
    let app = &f.app;
    let (client, secret, _) = enrol_from_account(app, COORDINATOR).await;
    sign_out(app, &client).await;
    let browser = app.client();
    password_step(app, &browser, COORDINATOR).await;
    let before = app
        .store
        .two_factor(f.org.id, f.coordinator)
        .await
        .unwrap()
        .unwrap()
        .last_step;
    // From an address this account has never passed the second step from, the free failures go,
    // then even the right code waits (the first delay), and nothing is taken meanwhile.
    for n in 0..rule.free_account_failures {
        let response = code_step(app, &browser, &wrong_code(app, &secret)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "wrong code {n}");
    }
    let response = code_step(app, &browser, &code_at(app, &secret, 0)).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = response.text().await.unwrap();
    assert!(body.contains("Too many wrong codes"), "{body}");
    assert!(!signed_in(app, &browser).await);
    let after = app
        .store
        .two_factor(f.org.id, f.coordinator)
        .await
        .unwrap()
        .unwrap()
        .last_step;
    assert_eq!(after, before, "the throttled code was not taken");
    assert_eq!(count_of(app, &f.org, "two_factor.throttled").await, 1);
    // A wrong password is counted apart: the password step is not held up by wrong codes.
    let fresh = app.client();
    password_step(app, &fresh, COORDINATOR).await;

    // After the wait, the right code signs in.
    app.clock.advance(rule.first_delay + jiff::SignedDuration::from_secs(1));
    let response = code_step(app, &browser, &code_at(app, &secret, 0)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(signed_in(app, &browser).await);

    // A pending second step expires: the browser is sent back to the password, and says why.
    let late = app.client();
    password_step(app, &late, COORDINATOR).await;
    app.clock.advance(PENDING_FOR + jiff::SignedDuration::from_secs(1));
    let (status, login) = page(&late, app, "/login/two-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(login.contains("timed out"), "{login}");
    assert!(login.contains("action=\"/login\""), "the password is asked again");
    let csrf = csrf_in(&login).unwrap();
    let code = code_at(app, &secret, 0);
    let response = form_post(
        &late,
        app,
        "/login/two-factor",
        &[("code", &code), ("csrf_token", &csrf), ("next", "/home")],
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "an expired step takes no code"
    );
    assert!(!signed_in(app, &late).await);
    f.app.finish().await;
}

/// The administrator switches the policy on through its page (a stale form changes nothing).
async fn require_two_factor(app: &TestApp, admin: &Client) {
    let (status, settings) = page(admin, app, "/settings/sign-in").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_in(&settings).unwrap();
    let version = between(&settings, "name=\"version\" value=\"", "\"")
        .unwrap()
        .to_owned();
    let stale = (version.parse::<i64>().unwrap() - 1).to_string();
    let response = form_post(
        admin,
        app,
        "/settings/sign-in",
        &[
            ("two_factor_required", "yes"),
            ("version", &stale),
            ("csrf_token", &csrf),
        ],
    )
    .await;
    assert_eq!(location(&response), "/settings/sign-in?done=stale");
    let response = form_post(
        admin,
        app,
        "/settings/sign-in",
        &[
            ("two_factor_required", "yes"),
            ("version", &version),
            ("csrf_token", &csrf),
        ],
    )
    .await;
    assert_eq!(location(&response), "/settings/sign-in?done=saved");
    let (_, saved) = page(admin, app, "/settings/sign-in?done=saved").await;
    assert!(saved.contains("checked"), "the policy is on");
}

#[tokio::test]
async fn totp_policy_forces_enrolment_for_a_coordinator_and_not_a_parent() {
    let f = fixture().await;
    let app = &f.app;
    let admin = app.client();
    app.page_login(&admin, ADMIN).await;
    // Off by default: a coordinator signs in with a password alone.
    let before = app.client();
    assert_eq!(password_step(app, &before, COORDINATOR).await, "/home");
    require_two_factor(app, &admin).await;
    assert_eq!(count_of(app, &f.org, "two_factor.policy.on").await, 1);

    // The parent is outside the roles that see case data.
    let parent = app.client();
    assert_eq!(password_step(app, &parent, PARENT).await, "/home");
    assert!(signed_in(app, &parent).await);

    // The coordinator is sent straight to enrolment, and reaches nothing else until it is done.
    let browser = app.client();
    let next = password_step(app, &browser, COORDINATOR).await;
    assert!(next.starts_with("/login/two-factor/enrol?"), "{next}");
    assert!(!signed_in(app, &browser).await);
    let response = browser.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (status, enrol) = page(&browser, app, &next).await;
    assert_eq!(status, StatusCode::OK);
    assert!(enrol.contains("requires two-factor sign-in"), "{enrol}");
    let secret = secret_in(&enrol);
    let csrf = csrf_in(&enrol).unwrap();
    let wrong = wrong_code(app, &secret);
    let response = form_post(
        &browser,
        app,
        "/login/two-factor/enrol",
        &[("code", &wrong), ("csrf_token", &csrf), ("next", "/home")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!signed_in(app, &browser).await);
    let code = code_at(app, &secret, 0);
    let response = form_post(
        &browser,
        app,
        "/login/two-factor/enrol",
        &[("code", &code), ("csrf_token", &csrf), ("next", "/home")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(recovery_codes_in(&response.text().await.unwrap()).len(), RECOVERY_CODES);
    assert!(signed_in(app, &browser).await, "enrolled and signed in");

    // The policy requires it, so the coordinator cannot turn it off, even with a right code.
    let (_, own) = page(&browser, app, "/account/two-factor").await;
    assert!(own.contains("cannot be turned off"), "{own}");
    assert!(!own.contains("/account/two-factor/off"), "no form to turn it off");
    let csrf = csrf_in(&own).unwrap();
    let next_code = code_at(app, &secret, 1);
    let response = form_post(
        &browser,
        app,
        "/account/two-factor/off",
        &[("code", &next_code), ("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let factor = app.store.two_factor(f.org.id, f.coordinator).await.unwrap();
    assert!(factor.is_some_and(|f| f.confirmed), "still on");

    // Through the API: no enrolment there, a clear refusal instead; the policy as a setting.
    let supervisor = "sid@riverside.example";
    app.seed_user(&f.org, Role::Supervisor, supervisor).await;
    let api = app.client();
    let response = api
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": supervisor, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, policy) = json_of(admin.get(app.url("/api/v1/settings/sign-in")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(policy["two_factor_required"], true);
    let response = admin
        .put(app.url("/api/v1/settings/sign-in"))
        .json(&json!({"two_factor_required": false, "version": policy["version"], "roles": "all"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "an unknown field");
    let (_, still) = json_of(admin.get(app.url("/api/v1/settings/sign-in")).send().await.unwrap()).await;
    assert_eq!(still, policy, "the refused change wrote nothing");
    let response = parent.get(app.url("/settings/sign-in")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "only administrators set it");
    f.app.finish().await;
}

#[tokio::test]
async fn totp_admin_reset_is_audited_and_forces_enrolment_again() {
    let f = fixture().await;
    let app = &f.app;
    let admin = app.client();
    app.page_login(&admin, ADMIN).await;
    require_two_factor(app, &admin).await;
    let browser = app.client();
    let next = password_step(app, &browser, COORDINATOR).await;
    let (_, enrol) = page(&browser, app, &next).await;
    let secret = secret_in(&enrol);
    let csrf = csrf_in(&enrol).unwrap();
    let code = code_at(app, &secret, 0);
    form_post(
        &browser,
        app,
        "/login/two-factor/enrol",
        &[("code", &code), ("csrf_token", &csrf), ("next", "/home")],
    )
    .await;
    assert!(signed_in(app, &browser).await);

    // A colleague who is not an administrator may not reset it.
    let colleague = "cleo@riverside.example";
    app.seed_user(&f.org, Role::Parent, colleague).await;
    let other = app.client();
    let csrf_other = app.page_login(&other, colleague).await;
    let path = format!("/users/{}/two-factor/reset", f.coordinator);
    let response = form_post(&other, app, &path, &[("csrf_token", &csrf_other)]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Another organisation's administrator does not even find the account.
    let elsewhere = app.seed_organisation("Hillside").await;
    app.seed_user(&elsewhere, Role::OrganisationAdmin, "hal@hillside.example")
        .await;
    let stranger = app.client();
    let csrf_stranger = app.page_login(&stranger, "hal@hillside.example").await;
    let response = form_post(&stranger, app, &path, &[("csrf_token", &csrf_stranger)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        app.store.two_factor(f.org.id, f.coordinator).await.unwrap().is_some(),
        "refusals change nothing"
    );
    assert!(signed_in(app, &browser).await);

    // The people page offers the reset; it is audited, ends the person's sessions, and they enrol again.
    let user_page = format!("/users/{}", f.coordinator);
    let (_, person) = page(&admin, app, &user_page).await;
    assert!(person.contains(&path), "the reset is offered");
    let csrf_admin = csrf_in(&person).unwrap();
    let response = form_post(&admin, app, &path, &[("csrf_token", &csrf_admin)]).await;
    assert_eq!(location(&response), format!("{user_page}?done=two-factor-reset"));
    let (_, done) = page(&admin, app, &location(&response)).await;
    assert!(done.contains("Two-factor sign-in reset"), "the reset confirms itself");
    assert!(done.contains("Not set up"));
    let entries = actions(app, &f.org).await;
    assert!(
        entries
            .iter()
            .any(|(a, id)| a == "two_factor.reset" && id.as_deref() == Some(f.coordinator.to_string().as_str())),
        "the reset is audited with the person's id"
    );
    assert!(!signed_in(app, &browser).await, "their sessions ended");
    let again = app.client();
    let next = password_step(app, &again, COORDINATOR).await;
    assert!(next.starts_with("/login/two-factor/enrol?"), "{next}");
    let (_, enrol) = page(&again, app, &next).await;
    assert_ne!(secret_in(&enrol), secret, "a new secret");
    f.app.finish().await;
}

#[tokio::test]
async fn totp_api_tokens_and_api_sign_in_with_a_code() {
    let f = fixture().await;
    let app = &f.app;
    let (client, secret, _) = enrol_from_account(app, COORDINATOR).await;
    sign_out(app, &client).await;

    // A token is made by someone signed in, so after their second step.
    let browser = app.client();
    password_step(app, &browser, COORDINATOR).await;
    let response = code_step(app, &browser, &code_at(app, &secret, 1)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, created) = json_of(
        browser
            .post(app.url("/api/v1/tokens"))
            .json(&json!({"name": "reports script"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let token = created["token"].as_str().unwrap().to_owned();
    let bare = reqwest::Client::new();
    let response = bare
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the token works without a code");

    // The API's sign-in takes the code in the same request.
    let api = app.client();
    let login = |body: serde_json::Value| api.post(app.url("/api/v1/login")).json(&body).send();
    let (status, body) = json_of(
        login(json!({"email": COORDINATOR, "password": PASSWORD}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no code: {body}");
    let used = code_at(app, &secret, 1);
    let (status, _) = json_of(
        login(json!({"email": COORDINATOR, "password": PASSWORD, "code": used}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a code already used");
    assert_eq!(
        api.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let recovery = app.store.recovery_codes_left(f.org.id, f.coordinator).await.unwrap();
    assert_eq!(recovery, RECOVERY_CODES as i64);
    // A later step's code: the one after the step already taken.
    app.clock.advance(jiff::SignedDuration::from_secs(STEP_SECONDS as i64));
    let fresh = code_at(app, &secret, 1);
    let (status, me) = json_of(
        login(json!({"email": COORDINATOR, "password": PASSWORD, "code": fresh}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["email"], COORDINATOR);
    f.app.finish().await;
}
