//! The sign-in throttle under attack (issue 16, finding 3; decision 0023), through the API and the
//! sign-in page, with client addresses given by a trusted proxy: a hundred failures against one
//! account from one address lock out neither the account's owner (from a new address after the
//! delay, from a known device at once) nor the colleagues behind that address, the answer never
//! tells a real account from an unknown one, and spraying many accounts from one address is stopped.

use crate::harness::{PASSWORD, TestApp, csrf_in, set_cookie};
use familytime_app::Config;
use familytime_domain::people::Role;
use familytime_domain::ratelimit::SignInThrottle;
use reqwest::StatusCode;
use serde_json::json;

#[derive(Clone, Copy, Debug)]
enum Way {
    Api,
    Page,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    SignedIn,
    WrongPassword,
    Throttled,
}

struct Answer {
    outcome: Outcome,
    /// The body with the parts that differ between two requests anyway (the e-mail address typed
    /// and the page's CSRF token) taken out.
    body: String,
    /// The device cookie the answer set, if any.
    device: Option<String>,
}

/// One sign-in attempt from `from`, by a browser showing `device` (a device cookie's value) if given.
async fn attempt(app: &TestApp, way: Way, from: &str, email: &str, password: &str, device: Option<&str>) -> Answer {
    // No cookie store: each attempt is a fresh browser, holding only the cookies given here.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let device_cookie = device.map(|d| format!("ft_device={d}"));
    let response = match way {
        Way::Api => {
            let mut request = client
                .post(app.url("/api/v1/login"))
                .header("x-forwarded-for", from)
                .json(&json!({"email": email, "password": password}));
            if let Some(cookie) = &device_cookie {
                request = request.header("cookie", cookie);
            }
            request.send().await.unwrap()
        }
        Way::Page => {
            let form = client
                .get(app.url("/login"))
                .header("x-forwarded-for", from)
                .send()
                .await
                .unwrap();
            let csrf_cookie = set_cookie(form.headers(), "ft_csrf")
                .and_then(|c| c.split(';').next())
                .unwrap()
                .to_owned();
            let csrf = csrf_in(&form.text().await.unwrap()).unwrap();
            let cookies = match &device_cookie {
                Some(device) => format!("{csrf_cookie}; {device}"),
                None => csrf_cookie,
            };
            client
                .post(app.url("/login"))
                .header("x-forwarded-for", from)
                .header("cookie", cookies)
                .form(&[("email", email), ("password", password), ("csrf_token", &csrf)])
                .send()
                .await
                .unwrap()
        }
    };
    let status = response.status();
    let device = set_cookie(response.headers(), "ft_device")
        .map(|c| c.split(';').next().unwrap().trim_start_matches("ft_device=").to_owned());
    let outcome = match (way, status) {
        (Way::Api, StatusCode::OK) | (Way::Page, StatusCode::SEE_OTHER) => Outcome::SignedIn,
        (_, StatusCode::UNAUTHORIZED) => Outcome::WrongPassword,
        (_, StatusCode::TOO_MANY_REQUESTS) => Outcome::Throttled,
        (_, other) => panic!("unexpected answer {other} to a sign-in by {way:?}"),
    };
    let body = response
        .text()
        .await
        .unwrap()
        .replace(email, "EMAIL")
        .lines()
        .filter(|l| !l.contains("csrf_token"))
        .collect::<Vec<_>>()
        .join("\n");
    Answer { outcome, body, device }
}

async fn app_behind_a_proxy() -> TestApp {
    TestApp::spawn_with(Config {
        behind_tls_proxy: true,
        ..Config::default()
    })
    .await
}

const OWNER: &str = "amy@riverside.example";
const GHOST: &str = "nobody-here@riverside.example";
const HOME: &str = "198.51.100.20";
const ATTACKER: &str = "203.0.113.66";
const NEW_PLACE: &str = "192.0.2.44";
const ON_THE_MOVE: &str = "192.0.2.77";

async fn an_attack_on_one_account_locks_out_neither_its_owner_nor_the_office(way: Way) {
    let rule = SignInThrottle::default();
    let app = app_behind_a_proxy().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, OWNER).await;
    let colleagues = [
        "ben@riverside.example",
        "cat@riverside.example",
        "dev@riverside.example",
    ];
    for c in colleagues {
        app.seed_user(&org, Role::Supervisor, c).await;
    }

    // The owner signs in at home once: that browser is now a known device.
    let home = attempt(&app, way, HOME, OWNER, PASSWORD, None).await;
    assert_eq!(home.outcome, Outcome::SignedIn);
    let device = home.device.expect("a good sign-in sets the device cookie");

    // A hundred wrong passwords for the owner's account, and for an account that does not exist,
    // from one address, in step: whenever the attacker is made to wait, the clock is moved on, so
    // all hundred are really tried.
    let mut slowed = 0;
    for i in 0..100 {
        let password = format!("guess number {i}");
        let mut owner = attempt(&app, way, ATTACKER, OWNER, &password, None).await;
        let mut ghost = attempt(&app, way, ATTACKER, GHOST, &password, None).await;
        if owner.outcome == Outcome::Throttled {
            slowed += 1;
            assert_eq!(
                (ghost.outcome, &ghost.body),
                (Outcome::Throttled, &owner.body),
                "a throttled real account and an unknown one get the same answer"
            );
            app.clock.advance(rule.max_delay.max(rule.source_window));
            owner = attempt(&app, way, ATTACKER, OWNER, &password, None).await;
            ghost = attempt(&app, way, ATTACKER, GHOST, &password, None).await;
        }
        assert_eq!(
            (owner.outcome, ghost.outcome),
            (Outcome::WrongPassword, Outcome::WrongPassword),
            "attempt {i}"
        );
    }
    assert!(slowed > 90, "the attacker was slowed down: {slowed}");

    // Right after the attack, from a new address and without the device cookie, the account is
    // slowed down (and an unknown account looks exactly the same)…
    let owner_new = attempt(&app, way, NEW_PLACE, OWNER, PASSWORD, None).await;
    let ghost_new = attempt(&app, way, NEW_PLACE, GHOST, PASSWORD, None).await;
    assert_eq!(owner_new.outcome, Outcome::Throttled);
    assert_eq!(
        (ghost_new.outcome, ghost_new.body),
        (Outcome::Throttled, owner_new.body)
    );

    // A forged device cookie is worth nothing…
    let forged = attempt(&app, way, NEW_PLACE, OWNER, PASSWORD, Some(&device.replace('.', ".x"))).await;
    assert_eq!(forged.outcome, Outcome::Throttled);
    // …but the owner's own browser signs in at once, wherever it is, even at the attacker's address.
    for place in [ON_THE_MOVE, ATTACKER] {
        let known = attempt(&app, way, place, OWNER, PASSWORD, Some(&device)).await;
        assert_eq!(known.outcome, Outcome::SignedIn, "a known device at {place}");
    }

    // The colleagues behind the attacker's address (one office, one address) each mistype once and
    // then sign in.
    for c in colleagues {
        assert_eq!(
            attempt(&app, way, ATTACKER, c, "butterfingers", None).await.outcome,
            Outcome::WrongPassword
        );
        assert_eq!(
            attempt(&app, way, ATTACKER, c, PASSWORD, None).await.outcome,
            Outcome::SignedIn,
            "{c} signs in from the office"
        );
    }

    // After the progressive delay, the owner signs in from the new address too: no lock-out for good.
    app.clock.advance(rule.max_delay);
    assert_eq!(
        attempt(&app, way, NEW_PLACE, OWNER, PASSWORD, None).await.outcome,
        Outcome::SignedIn
    );

    // Neither addresses nor e-mail addresses are kept in clear.
    for table in ["sign_in_failures", "sign_in_known_addresses"] {
        for text in [ATTACKER, HOME, NEW_PLACE, OWNER, GHOST, "amy@"] {
            let sql = format!("SELECT 1 FROM {table} WHERE {} LIKE '%{text}%'", key_columns(table));
            assert!(!rows_exist(&app, &sql).await, "{text} stored in clear in {table}");
        }
    }
    app.finish().await;
}

fn key_columns(table: &str) -> &'static str {
    if table == "sign_in_failures" {
        "account_hash || source_hash || address_hash"
    } else {
        "key_hash"
    }
}

/// Whether the query finds any row, asked of the test database directly.
async fn rows_exist(app: &TestApp, select: &str) -> bool {
    let sql = format!("SELECT COUNT(*) FROM ({select}) AS found");
    let n: i64 = match &app.location {
        familytime_store::Location::DataDir(dir) => {
            let url = format!("sqlite://{}", dir.join(familytime_store::SQLITE_FILE).display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let n = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
            n
        }
        familytime_store::Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            let n = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
            n
        }
    };
    n > 0
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_throttle_api_an_attack_on_one_account_locks_out_neither_its_owner_nor_the_office() {
    an_attack_on_one_account_locks_out_neither_its_owner_nor_the_office(Way::Api).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_throttle_page_an_attack_on_one_account_locks_out_neither_its_owner_nor_the_office() {
    an_attack_on_one_account_locks_out_neither_its_owner_nor_the_office(Way::Page).await;
}

async fn spraying_many_accounts_from_one_address_is_stopped(way: Way) {
    let rule = SignInThrottle::default();
    let app = app_behind_a_proxy().await;
    let org = app.seed_organisation("Riverside").await;
    let sprayer = "203.0.113.99";
    // Fifty accounts, ten of them real; one person has signed in before on their own computer.
    let mut accounts = Vec::new();
    for i in 0..50 {
        let email = format!("person{i}@riverside.example");
        if i % 5 == 0 {
            app.seed_user(&org, Role::Volunteer, &email).await;
        }
        accounts.push(email);
    }
    let regular = &accounts[0];
    let device = attempt(&app, way, HOME, regular, PASSWORD, None)
        .await
        .device
        .expect("device cookie");

    let mut outcomes = Vec::new();
    for email in &accounts {
        outcomes.push(attempt(&app, way, sprayer, email, "Winter2026!", None).await.outcome);
    }
    let tried = outcomes.iter().filter(|o| **o == Outcome::WrongPassword).count();
    let stopped = outcomes.iter().filter(|o| **o == Outcome::Throttled).count();
    let limit = usize::try_from(rule.accounts_per_address).unwrap();
    assert_eq!(
        (tried, stopped),
        (limit, accounts.len() - limit),
        "spraying stops at the address's limit: {outcomes:?}"
    );
    // Even the right password is not checked from that address now…
    assert_eq!(
        attempt(&app, way, sprayer, &accounts[45], PASSWORD, None).await.outcome,
        Outcome::Throttled
    );
    // …except from a known device; and the sprayed accounts sign in from anywhere else.
    assert_eq!(
        attempt(&app, way, sprayer, regular, PASSWORD, Some(&device))
            .await
            .outcome,
        Outcome::SignedIn
    );
    assert_eq!(
        attempt(&app, way, NEW_PLACE, &accounts[5], PASSWORD, None)
            .await
            .outcome,
        Outcome::SignedIn
    );
    // The address's limit passes too.
    app.clock.advance(rule.address_window);
    assert_eq!(
        attempt(&app, way, sprayer, &accounts[45], PASSWORD, None).await.outcome,
        Outcome::SignedIn
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_throttle_api_spraying_many_accounts_from_one_address_is_stopped() {
    spraying_many_accounts_from_one_address_is_stopped(Way::Api).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_throttle_page_spraying_many_accounts_from_one_address_is_stopped() {
    spraying_many_accounts_from_one_address_is_stopped(Way::Page).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_throttle_the_device_cookie_is_signed_locked_down_and_long_lived() {
    let app = app_behind_a_proxy().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, OWNER).await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": OWNER, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookie(response.headers(), "ft_device")
        .expect("device cookie")
        .to_owned();
    for part in ["HttpOnly", "SameSite=Lax", "; Secure", "Path=/"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    let max_age: i64 = cookie
        .split("Max-Age=")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .and_then(|n| n.parse().ok())
        .expect("Max-Age");
    assert!(max_age >= 180 * 24 * 60 * 60, "long-lived: {max_age}");
    // A failure does not set it.
    let failed = reqwest::Client::new()
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": OWNER, "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(failed.headers(), "ft_device").is_none());
    app.finish().await;
}
