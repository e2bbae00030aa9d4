//! Signing in and out: wrong passwords and unknown accounts look alike, failures are throttled per
//! account, per source and per address (the attacks themselves are in sign_in_throttle.rs), sessions
//! end on sign-out, disabling and timeouts, and forms need CSRF.

use crate::harness::{PASSWORD, TestApp, csrf_in, json_of, set_cookie};
use familytime_app::Config;
use familytime_domain::people::Role;
use familytime_domain::ratelimit::SignInThrottle;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let client = app.client();

    let wrong = client
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "jo@riverside.example", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    let unknown = client
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "nobody@riverside.example", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    let (wrong_status, wrong_body) = json_of(wrong).await;
    let (unknown_status, unknown_body) = json_of(unknown).await;
    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_status, wrong_status);
    assert_eq!(
        unknown_body, wrong_body,
        "the body must not reveal whether the account exists"
    );
    assert_eq!(wrong_body["error"]["code"], "bad_credentials");

    // The HTML form says the same for both.
    let page = |email: &'static str| {
        let client = app.client();
        let url = app.url("/login");
        async move {
            let form = client.get(&url).send().await.unwrap().text().await.unwrap();
            let csrf = csrf_in(&form).unwrap();
            let r = client
                .post(&url)
                .form(&[
                    ("email", email),
                    ("password", "not the password"),
                    ("csrf_token", &csrf),
                ])
                .send()
                .await
                .unwrap();
            (
                r.status(),
                r.text().await.unwrap().replace(email, "EMAIL").replace(&csrf, "CSRF"),
            )
        }
    };
    let (s1, b1) = page("jo@riverside.example").await;
    let (s2, b2) = page("nobody@riverside.example").await;
    assert_eq!(s1, StatusCode::UNAUTHORIZED);
    assert_eq!((s1, strip_ids(&b1)), (s2, strip_ids(&b2)));

    // Both failures are audited; neither holds the address typed.
    let entries = app.store.audit_entries(org.id, None, 100).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "sign_in.failed"));
    app.finish().await;
}

/// Removes the per-request parts (the anonymous CSRF token differs between two browsers).
fn strip_ids(html: &str) -> String {
    html.lines()
        .filter(|l| !l.contains("csrf_token"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_failures_slow_the_account_down_from_a_new_address_then_it_works_again() {
    let rule = SignInThrottle::default();
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Supervisor, "sam@riverside.example").await;
    let client = app.client();
    let attempt = |password: &'static str| {
        let client = client.clone();
        let url = app.url("/api/v1/login");
        async move {
            client
                .post(url)
                .json(&json!({"email": "sam@riverside.example", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // A few mistakes are free; then, from an address the account has never signed in from, each
    // further attempt waits (decision 0023).
    for _ in 0..rule.free_account_failures {
        assert_eq!(attempt("wrong password here").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt("wrong password here").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        attempt(PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the delay"
    );

    // An unknown account is throttled the same way (no enumeration by the 429).
    let unknown = app.client();
    let mut last = StatusCode::OK;
    for _ in 0..=rule.free_account_failures {
        last = unknown
            .post(app.url("/api/v1/login"))
            .json(&json!({"email": "ghost@riverside.example", "password": "x"}))
            .send()
            .await
            .unwrap()
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);

    app.clock.advance(rule.max_delay);
    assert_eq!(attempt(PASSWORD).await, StatusCode::OK, "no permanent lock-out");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn many_accounts_from_one_address_are_throttled_and_forged_forwarding_does_not_help() {
    let rule = SignInThrottle::default();
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Volunteer, "val@riverside.example").await;
    let client = app.client();
    for i in 0..rule.accounts_per_address {
        let status = client
            .post(app.url("/api/v1/login"))
            .header("x-forwarded-for", format!("10.0.0.{i}"))
            .json(&json!({"email": format!("guess{i}@riverside.example"), "password": "x"}))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let status = client
        .post(app.url("/api/v1/login"))
        .header("x-forwarded-for", "192.0.2.99")
        .json(&json!({"email": "val@riverside.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the address limit holds whatever X-Forwarded-For claims"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_session_cookie_is_new_at_sign_in_locked_down_and_refused_after_logout() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let client = app.client();
    let response = client
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "jo@riverside.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = set_cookie(response.headers(), "ft_session")
        .expect("session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP without --behind-tls-proxy");
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("ft_session=")
        .to_owned();
    assert!(token.len() >= 43, "at least 256 bits, base64");

    // A second sign-in gets a different token.
    let other = app.client();
    let second = other
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "jo@riverside.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_ne!(set_cookie(second.headers(), "ft_session").unwrap(), cookie);

    assert_eq!(
        client.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        client
            .post(app.url("/api/v1/logout"))
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );

    // The old cookie, replayed by hand, no longer works.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = replay
        .get(app.url("/api/v1/me"))
        .header("cookie", format!("ft_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = replay
        .get(app.url("/home"))
        .header("cookie", format!("ft_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "pages send a signed-out person to sign in"
    );
    // The other session is untouched.
    assert_eq!(
        other.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::OK
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn page_sign_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let client = app.client();
    let login = client
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "jo@riverside.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let session = set_cookie(login.headers(), "ft_session")
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned();
    let account = client.get(app.url("/account")).send().await.unwrap();
    let csrf = csrf_in(&account.text().await.unwrap()).expect("a CSRF token");
    // The old cookie is replayed by hand, from a client that keeps no cookies of its own: the
    // browser forgetting it at sign-out proves nothing, the server must refuse it.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let replayed = |path: &str| replay.get(app.url(path)).header("cookie", session.clone()).send();
    assert_eq!(
        replayed("/account").await.unwrap().status(),
        StatusCode::OK,
        "the replayed cookie works while the session lasts"
    );

    let r = client
        .post(app.url("/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        client.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        replayed("/api/v1/me").await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "the old cookie no longer works in the API"
    );
    let page = replayed("/account").await.unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    let to = page
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default();
    assert!(to.starts_with("/login"), "pages send the old cookie to sign in: {to}");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_end_when_idle_and_at_the_absolute_limit() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Supervisor, "sam@riverside.example").await;
    let idle = app.client();
    app.api_login(&idle, "sam@riverside.example").await;
    let busy = app.client();
    app.api_login(&busy, "sam@riverside.example").await;

    // Busy: used every 50 minutes; idle: not used.
    for _ in 0..2 {
        app.clock.advance(jiff::SignedDuration::from_mins(50));
        assert_eq!(
            busy.get(app.url("/api/v1/me")).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    assert_eq!(
        idle.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "idle for 100 minutes"
    );

    for _ in 0..13 {
        app.clock.advance(jiff::SignedDuration::from_mins(50));
        let _ = busy.get(app.url("/api/v1/me")).send().await.unwrap();
    }
    assert_eq!(
        busy.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "past 12 hours"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn disabling_an_account_ends_its_sessions_and_tokens_at_once() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let victim = app.seed_user(&org, Role::Volunteer, "val@riverside.example").await;
    let val = app.client();
    app.api_login(&val, "val@riverside.example").await;
    let (_, created) = json_of(
        val.post(app.url("/api/v1/tokens"))
            .json(&json!({"name": "script"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let token = created["token"].as_str().unwrap().to_owned();
    let bearer = reqwest::Client::new();
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let admin = app.client();
    app.api_login(&admin, "admin@riverside.example").await;
    let r = admin
        .post(app.url(&format!("/api/v1/users/{victim}/disable")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    assert_eq!(
        val.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let again = app.client();
    let r = again
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "val@riverside.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a disabled account cannot sign in, with the usual answer"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn forms_without_the_csrf_token_change_nothing() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    let csrf = app.page_login(&client, "admin@riverside.example").await;
    let before = app.store.centres(org.id).await.unwrap().len();

    let missing = client
        .post(app.url("/centres"))
        .form(&[("name", "Forged Centre")])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let wrong = client
        .post(app.url("/centres"))
        .form(&[("name", "Forged Centre"), ("csrf_token", "guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.centres(org.id).await.unwrap().len(),
        before,
        "nothing created"
    );

    let good = client
        .post(app.url("/centres"))
        .form(&[("name", "Real Centre"), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.store.centres(org.id).await.unwrap().len(), before + 1);

    // The API with the session cookie takes JSON only (a cross-site form cannot send it).
    let form_post = client
        .post(app.url("/api/v1/centres"))
        .form(&[("name", "Forged Centre")])
        .send()
        .await
        .unwrap();
    assert_eq!(form_post.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(app.store.centres(org.id).await.unwrap().len(), before + 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cookies_are_secure_behind_a_tls_proxy_and_the_proxy_address_is_used() {
    let app = TestApp::spawn_with(Config {
        behind_tls_proxy: true,
        ..Config::default()
    })
    .await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let client = app.client();
    let r = client.get(app.url("/login")).send().await.unwrap();
    assert!(set_cookie(r.headers(), "ft_csrf").unwrap().contains("; Secure"));
    assert!(r.headers().get("strict-transport-security").is_some());
    let r = client
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "jo@riverside.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(set_cookie(r.headers(), "ft_session").unwrap().contains("; Secure"));
    assert!(set_cookie(r.headers(), "ft_device").unwrap().contains("; Secure"));

    // Behind the proxy, each client address has its own limit: the proxy's last entry counts.
    // (Another browser, without the device cookie, which would pass the address's limit.)
    let client = app.client();
    for i in 0..SignInThrottle::default().accounts_per_address {
        client
            .post(app.url("/api/v1/login"))
            .header("x-forwarded-for", "203.0.113.5")
            .json(&json!({"email": format!("x{i}@y.example"), "password": "x"}))
            .send()
            .await
            .unwrap();
    }
    let blocked = client
        .post(app.url("/api/v1/login"))
        .header("x-forwarded-for", "203.0.113.5")
        .json(&json!({"email": "jo@riverside.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = client
        .post(app.url("/api/v1/login"))
        .header("x-forwarded-for", "203.0.113.5, 198.51.100.7")
        .json(&json!({"email": "jo@riverside.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::OK);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_is_audited_without_the_email_address() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    let jo = app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let client = app.client();
    app.api_login(&client, "jo@riverside.example").await;
    let entries = app.store.audit_entries(org.id, None, 100).await.unwrap();
    let sign_in = entries.iter().find(|e| e.action == "sign_in").expect("sign-in audited");
    assert_eq!(sign_in.actor_user_id.as_deref(), Some(jo.to_string().as_str()));
    for e in &entries {
        let text = format!("{e:?}");
        assert!(
            !text.contains("jo@riverside"),
            "no personal data in the audit log: {text}"
        );
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_the_password_signs_out_other_sessions_and_the_old_one_stops_working() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let here = app.client();
    let csrf = app.page_login(&here, "jo@riverside.example").await;
    let elsewhere = app.client();
    app.api_login(&elsewhere, "jo@riverside.example").await;

    let weak = here
        .post(app.url("/account/password"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("current_password", PASSWORD),
            ("new_password", "password1234"),
            ("password_confirmation", "password1234"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong_current = here
        .post(app.url("/account/password"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("current_password", "not it at all"),
            ("new_password", "violet harbour compass"),
            ("password_confirmation", "violet harbour compass"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_current.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong_current
            .text()
            .await
            .unwrap()
            .contains("current password is not right")
    );

    let changed = here
        .post(app.url("/account/password"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("current_password", PASSWORD),
            ("new_password", "violet harbour compass"),
            ("password_confirmation", "violet harbour compass"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(
        here.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        elsewhere.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "others end"
    );
    let old = app
        .client()
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "jo@riverside.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = app
        .client()
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "jo@riverside.example", "password": "violet harbour compass"}))
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), StatusCode::OK);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn after_sign_in_a_person_returns_to_the_page_they_asked_for_but_never_to_another_site() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    let r = client.get(app.url("/users")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/login?next=%2Fusers");
    for (next, expected) in [
        ("/users", "/users"),
        ("//evil.example/x", "/home"),
        ("https://evil.example", "/home"),
        ("/\\evil.example", "/home"),
        ("/\t/evil.example", "/home"),
        ("/home\u{1}", "/home"),
        ("/users?x=%0a", "/users?x=%0a"),
    ] {
        let client = app.client();
        let form = client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_in(&form).unwrap();
        let r = client
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("email", "admin@riverside.example"),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], expected, "next={next}");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_setup_link_works_once_even_when_two_people_race_for_it() {
    let app = TestApp::spawn().await;
    let token = familytime_app::accounts::issue_setup_token(&app.store, familytime_domain::Timestamp::now())
        .await
        .map_err(|e| e.message())
        .unwrap()
        .expect("an empty database offers setup");
    let link = app.url(&format!("/setup/{token}"));
    // Everyone opens the form first, then all send it at the same moment.
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(5));
    let mut racers = Vec::new();
    for i in 0..5 {
        let client = app.client();
        let csrf = csrf_in(&client.get(&link).send().await.unwrap().text().await.unwrap()).unwrap();
        let link = link.clone();
        let barrier = barrier.clone();
        racers.push(tokio::spawn(async move {
            barrier.wait().await;
            let email = format!("admin{i}@org{i}.example");
            let fields = [
                ("csrf_token", csrf.as_str()),
                ("organisation_name", &format!("Org {i}")),
                ("name", "Admin Person"),
                ("email", &email),
                ("password", PASSWORD),
                ("password_confirmation", PASSWORD),
            ];
            client.post(&link).form(&fields).send().await.unwrap().status()
        }));
    }
    let mut statuses = Vec::new();
    for r in racers {
        statuses.push(r.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::NOT_FOUND),
        "{statuses:?}"
    );
    assert_eq!(app.store.organisations().await.unwrap().len(), 1);
    assert!(
        familytime_app::accounts::issue_setup_token(&app.store, familytime_domain::Timestamp::now())
            .await
            .map_err(|e| e.message())
            .unwrap()
            .is_none(),
        "no new link once set up"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sets_a_new_password_for_someone_who_forgot_theirs() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let jo = app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let jo_client = app.client();
    app.api_login(&jo_client, "jo@riverside.example").await;
    let admin = app.client();
    app.api_login(&admin, "admin@riverside.example").await;

    let weak = admin
        .post(app.url(&format!("/api/v1/users/{jo}/password")))
        .json(&json!({"password": "password1234"}))
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        jo_client.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::OK,
        "a refused reset changes nothing"
    );

    let reset = admin
        .post(app.url(&format!("/api/v1/users/{jo}/password")))
        .json(&json!({"password": "violet harbour compass"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(
        jo_client.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let new = app
        .client()
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": "jo@riverside.example", "password": "violet harbour compass"}))
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), StatusCode::OK);
    let entries = app.store.audit_entries(org.id, None, 100).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action == "user.password_change" && e.object_id.as_deref() == Some(jo.to_string().as_str()))
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_guesses_cannot_slip_past_the_limit() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    // Signed in from here before, so the limit that applies is this address's own for the account
    // (not the delay for new addresses).
    app.api_login(&app.client(), "jo@riverside.example").await;
    let limit = usize::try_from(SignInThrottle::default().per_source).unwrap();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(30));
    let mut guesses = Vec::new();
    for i in 0..30 {
        let client = app.client();
        let url = app.url("/api/v1/login");
        let barrier = barrier.clone();
        guesses.push(tokio::spawn(async move {
            barrier.wait().await;
            let body = json!({"email": "jo@riverside.example", "password": format!("guess number {i}")});
            client.post(url).json(&body).send().await.unwrap().status()
        }));
    }
    let mut statuses = Vec::new();
    for g in guesses {
        statuses.push(g.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(
        (checked, refused),
        (limit, 30 - limit),
        "exactly the limit is checked: {statuses:?}"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_change_revokes_api_tokens_made_with_the_old_one() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let client = app.client();
    let csrf = app.page_login(&client, "jo@riverside.example").await;
    let (_, created) = json_of(
        client
            .post(app.url("/api/v1/tokens"))
            .json(&json!({"name": "made by a thief"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let token = created["token"].as_str().unwrap().to_owned();
    let bearer = reqwest::Client::new();
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let changed = client
        .post(app.url("/account/password"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("current_password", PASSWORD),
            ("new_password", "violet harbour compass"),
            ("password_confirmation", "violet harbour compass"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    app.finish().await;
}
