//! Browser tests: headless Chromium (Debian's chromium and chromium-driver) drives the real pages, and
//! axe-core checks each page it visits for accessibility problems (WCAG 2.2 A and AA rules).
//! `scripts/test` installs what they need; run alone, they say what is missing.

use crate::harness::{Org, PASSWORD, TestApp};
use familytime_domain::ids::UserId;
use familytime_domain::people::Role;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../node_modules/axe-core/axe.min.js").to_owned());
    std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("axe-core is missing at {path}: run `npm ci` (scripts/test does)"))
}

/// A chromedriver process on a free port, and a browser session through it.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    pub async fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let mut driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver_bin} ({e}): install chromium and chromium-driver (scripts/test does)")
            });
        let mut lines = BufReader::new(driver.stdout.take().unwrap()).lines();
        tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if line.contains("started successfully") {
                    return;
                }
            }
            panic!("chromedriver stopped before it was ready");
        })
        .await
        .expect("chromedriver ready");
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

        let chrome = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let profile = tempfile::tempdir().unwrap().keep();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chrome,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=1024,900", format!("--user-data-dir={}", profile.display())]
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session through chromedriver");
        Browser { client, driver }
    }

    pub async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
    }

    /// Runs axe-core on the current page; returns one line per violation. With
    /// `FAMILYTIME_SCREENSHOTS=DIR` set, also saves a picture of the page there, to look at.
    pub async fn accessibility_problems(&self) -> Vec<String> {
        if let Ok(dir) = std::env::var("FAMILYTIME_SCREENSHOTS") {
            let name = self.path().await.trim_matches('/').replace('/', "_");
            let png = self.client.screenshot().await.expect("screenshot");
            std::fs::create_dir_all(&dir).expect("screenshot folder");
            let mut file = std::path::Path::new(&dir)
                .join(if name.is_empty() { "index" } else { &name })
                .with_extension("png");
            let mut n = 1;
            while file.exists() {
                n += 1;
                file = file.with_file_name(format!("{name}-{n}.png"));
            }
            std::fs::write(file, png).expect("write screenshot");
        }
        self.client.execute(&axe_source(), vec![]).await.expect("load axe-core");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
              .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
              .catch(e => done(['axe failed: ' + e]));
        "#;
        match self.client.execute_async(script, vec![]).await.expect("run axe") {
            Value::Array(items) => items
                .into_iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect(),
            other => vec![format!("unexpected axe answer {other}")],
        }
    }

    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Waits (on the condition, not the clock) until an element appears after a click.
    pub async fn wait_for(&self, css: &str) {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("{css} appears"));
    }

    /// Waits until the browser is at `path` after a click.
    pub async fn wait_for_path(&self, app: &TestApp, path: &str) {
        let url = url::Url::parse(&app.url(path)).unwrap();
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_url(&url)
            .await
            .unwrap_or_else(|_| panic!("arrives at {path}"));
    }

    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }
}

pub(crate) async fn fill(browser: &Browser, id: &str, value: &str) {
    let field = browser
        .client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("field {id}"));
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_sign_in_and_pages_are_accessible() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let browser = Browser::start().await;
    let mut problems = Vec::new();

    browser.client.goto(&app.url("/")).await.unwrap();
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("/: {p}")),
    );
    // The public guide pages, as a parent finding the service would see them.
    for path in [
        "/services",
        "/which-service",
        "/which-service?answered=yes&court-order=yes",
        "/which-service?court-order=no&abuse=no&harm=yes&allegations=no&abduction=no&drugs-alcohol=no&mental-health=no&care=no&long-gap=no&conflict=not-sure",
        "/refer",
        "/prices",
        "/jargon-buster",
    ] {
        browser.client.goto(&app.url(path)).await.unwrap();
        problems.extend(
            browser
                .accessibility_problems()
                .await
                .into_iter()
                .map(|p| format!("{path}: {p}")),
        );
    }
    browser.client.goto(&app.url("/home")).await.unwrap();
    assert_eq!(browser.path().await, "/login", "signed out, a page asks you to sign in");
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("/login: {p}")),
    );

    // Keyboard: the first Tab reaches the skip link.
    browser
        .client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    let focused = browser.client.active_element().await.unwrap().text().await.unwrap();
    assert_eq!(focused, "Skip to main content");

    // A wrong password shows the error summary, keeps the email address, and is accessible.
    fill(&browser, "email", "admin@riverside.example").await;
    fill(&browser, "password", "not the right one").await;
    browser
        .client
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for(".error-summary").await;
    assert!(browser.client.title().await.unwrap().starts_with("Error:"));
    assert!(browser.text().await.contains("There is a problem"));
    let kept = browser
        .client
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("admin@riverside.example"));
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("/login with errors: {p}")),
    );

    fill(&browser, "password", PASSWORD).await;
    browser
        .client
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_path(&app, "/home").await;
    assert!(browser.text().await.contains("Hello, Test Organisation administrator"));

    for path in [
        "/home".to_owned(),
        "/centres".into(),
        format!("/centres/{}", org.centre),
        "/centres/new".into(),
        format!("/rooms/{}", org.room),
        "/users".into(),
        "/users/new".into(),
        "/account".into(),
        "/audit".into(),
        "/break-glass".into(),
    ] {
        browser.client.goto(&app.url(&path)).await.unwrap();
        problems.extend(
            browser
                .accessibility_problems()
                .await
                .into_iter()
                .map(|p| format!("{path}: {p}")),
        );
    }

    // A form with errors, through the browser: the centre form refuses an empty name.
    browser.client.goto(&app.url("/centres/new")).await.unwrap();
    browser
        .client
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for(".error-summary").await;
    assert!(browser.text().await.contains("Enter the centre's name"));
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("/centres/new with errors: {p}")),
    );

    // Sign out from the menu.
    browser
        .client
        .find(Locator::Css("header button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_path(&app, "/login").await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    app.finish().await;
}

async fn choose(browser: &Browser, id: &str, value: &str) {
    let select = browser
        .client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("select {id}"));
    select
        .select_by_value(value)
        .await
        .unwrap_or_else(|_| panic!("{id} offers {value}"));
}

async fn tick(browser: &Browser, id: &str) {
    browser
        .client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("checkbox {id}"))
        .click()
        .await
        .unwrap();
}

async fn submit_form(browser: &Browser, action: &str) {
    // A page may also have a search form (GET) to the same address.
    let css = format!("form[method=post][action='{action}'] button[type=submit]");
    browser
        .client
        .find(Locator::Css(&css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_a_coordinator_takes_a_referral_through_triage_to_accepted() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let sam = app.seed_user(&org, Role::Supervisor, "sam@riverside.example").await;
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    browser.client.goto(&app.url("/login")).await.unwrap();
    fill(&browser, "email", "jo@riverside.example").await;
    fill(&browser, "password", PASSWORD).await;
    browser
        .client
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_path(&app, "/home").await;

    browser.client.goto(&app.url("/referrals/new")).await.unwrap();
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("/referrals/new: {p}")),
    );
    // Sent empty: the error summary says what is needed.
    submit_form(&browser, "/referrals").await;
    browser.wait_for(".error-summary").await;
    assert!(browser.text().await.contains("Choose who made the referral"));
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("/referrals/new with errors: {p}")),
    );

    choose(&browser, "source", "solicitor").await;
    fill(&browser, "referrer_name", "David Chen").await;
    fill(&browser, "child1_name", "Mia Price").await;
    // A date input takes the digits of the browser's locale order; set it directly instead.
    browser
        .client
        .execute("document.getElementById('child1_dob').value = '2019-03-27'", vec![])
        .await
        .unwrap();
    fill(&browser, "resident_name", "Laura Price").await;
    fill(&browser, "resident_address", "9 Hidden Row, CANARY-b4").await;
    tick(&browser, "resident_hidden").await;
    fill(&browser, "visiting_name", "Daniel Price").await;
    fill(&browser, "risk_background", "Non-molestation order in force.").await;
    submit_form(&browser, "/referrals").await;
    browser.wait_for(".tag").await;
    assert!(
        browser.path().await.starts_with("/cases/"),
        "staff land on the new case"
    );
    let text = browser.text().await;
    assert!(
        text.contains("Mia Price") && text.contains("Daniel Price") && !text.contains("CANARY-b4"),
        "{text}"
    );
    // Nobody is named for the new case yet: the hidden address needs a reason, asked on its own page.
    let case_path = browser.path().await;
    let reason_action = format!("{}/break-glass", case_path.split('#').next().unwrap_or_default());
    browser
        .client
        .goto(&app.url(&format!("{case_path}/named-staff")))
        .await
        .unwrap();
    browser.wait_for("#key_worker").await;
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("/cases/ID/named-staff: {p}")),
    );
    browser.client.goto(&app.url(&reason_action)).await.unwrap();
    submit_form(&browser, &reason_action).await;
    browser.wait_for(".error-summary").await;
    assert!(
        browser
            .text()
            .await
            .contains("Enter why you need to see the hidden details")
    );
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("the reason step with errors: {p}")),
    );
    fill(&browser, "reason", "Checking the address the court gave").await;
    submit_form(&browser, &reason_action).await;
    browser.wait_for(".tag").await;
    let text = browser.text().await;
    assert!(text.contains("CANARY-b4"), "after giving a reason: {text}");
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("/cases/ID: {p}")),
    );

    for (to, reason) in [("waiting_list", "Complete referral"), ("assessment", "Top of the list")] {
        choose(&browser, "to", to).await;
        fill(&browser, "reason", reason).await;
        let case_path = browser.path().await;
        submit_form(&browser, &format!("{case_path}/status")).await;
        browser
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::XPath(&format!("//li[contains(., '{reason}')]")))
            .await
            .unwrap();
    }
    let case_path = browser.path().await;
    tick(&browser, "concerns").await;
    tick(&browser, "concern-hostility").await;
    choose(&browser, "decision", "supervised").await;
    fill(&browser, "decision_reason", "Abuse history and hostility").await;
    submit_form(&browser, &format!("{case_path}/risk")).await;
    // The page already has a banner (the move before): wait for this one.
    browser
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(
            "//*[contains(@class, 'notification')][contains(., 'Risk assessment recorded')]",
        ))
        .await
        .unwrap();
    assert!(browser.text().await.contains("the rules suggested supervised"));

    choose(&browser, "to", "pre_visits").await;
    fill(&browser, "reason", "Assessed").await;
    submit_form(&browser, &format!("{case_path}/status")).await;
    browser
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath("//li[contains(., 'Assessed')]"))
        .await
        .unwrap();

    // Pre-visits: each adult on their own, booked like sessions (the centre open, a room and a member
    // of staff), then recorded once they have happened, with the ground rules agreed.
    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    for weekday in 1..=7 {
        let r = jo
            .post(app.url(&format!("/api/v1/centres/{}/opening-hours", org.centre)))
            .json(&serde_json::json!({"weekday": weekday, "opens": "08:00", "closes": "20:00"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    }
    for (index, time) in [(0, "10:00"), (1, "14:00")] {
        browser.client.goto(&app.url(&case_path)).await.unwrap();
        choose(&browser, "room_id", &org.room.to_string()).await;
        choose(&browser, "staff", &sam.to_string()).await;
        browser
            .client
            .find(Locator::Id("party_id"))
            .await
            .unwrap()
            .select_by_index(index)
            .await
            .unwrap();
        let date = app.today().checked_add(jiff::ToSpan::days(14)).unwrap();
        let set = format!(
            "document.getElementById('date').value = '{date}'; document.getElementById('time').value = '{time}'"
        );
        browser.client.execute(&set, vec![]).await.unwrap();
        submit_form(&browser, &format!("{case_path}/pre-visits")).await;
        browser
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::XPath(&format!("//td[contains(., '{time}')]")))
            .await
            .unwrap();
    }
    assert!(browser.text().await.contains("Before sessions can be booked"));
    assert!(
        browser
            .client
            .find_all(Locator::Css("a[href^='/pre-visits/']"))
            .await
            .unwrap()
            .is_empty(),
        "not recorded before they happen"
    );
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 15));
    browser.client.goto(&app.url("/login")).await.unwrap();
    fill(&browser, "email", "jo@riverside.example").await;
    fill(&browser, "password", PASSWORD).await;
    browser
        .client
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_path(&app, "/home").await;
    browser.client.goto(&app.url(&case_path)).await.unwrap();
    for _ in 0..2 {
        browser
            .client
            .find(Locator::Css("a[href^='/pre-visits/']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        browser.wait_for("input[name=rules_agreed]").await;
        problems.extend(
            browser
                .accessibility_problems()
                .await
                .into_iter()
                .map(|p| format!("/pre-visits/ID: {p}")),
        );
        tick(&browser, "status").await;
        tick(&browser, "rules_agreed").await;
        tick(&browser, "checklist").await;
        let action = browser.path().await;
        submit_form(&browser, &action).await;
        browser.wait_for_path(&app, &case_path).await;
    }
    assert!(browser.text().await.contains("Ready to book"));

    choose(&browser, "to", "accepted").await;
    choose(&browser, "service", "supervised").await;
    fill(&browser, "reason", "Pre-visits done").await;
    submit_form(&browser, &format!("{case_path}/status")).await;
    browser
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath("//li[contains(., 'Pre-visits done')]"))
        .await
        .unwrap();
    assert!(browser.text().await.contains("Accepted — Supervised contact"));
    browser.client.goto(&app.url("/cases?status=accepted")).await.unwrap();
    assert!(browser.text().await.contains("Mia Price"));
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("/cases: {p}")),
    );
    problems.extend(book_first_session(&app, &org, &browser, &case_path, sam).await);
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    app.finish().await;
}

/// The coordinator opens the centre on the day, qualifies a supervisor, books the case's first
/// supervised session and looks at it from the booking, the calendar, the day sheet and /today.
/// Returns the accessibility problems of each page on the way.
async fn book_first_session(app: &TestApp, org: &Org, browser: &Browser, case_path: &str, sam: UserId) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = async |browser: &Browser, page: &str| {
        problems.extend(
            browser
                .accessibility_problems()
                .await
                .into_iter()
                .map(|p| format!("{page}: {p}")),
        );
    };
    let day = app.today().checked_add(jiff::ToSpan::days(21)).unwrap();
    let set_value = |id: &str, value: &str| format!("document.getElementById('{id}').value = '{value}'");

    let settings = format!("/centres/{}/schedule", org.centre);
    browser.client.goto(&app.url(&settings)).await.unwrap();
    check(browser, "/centres/ID/schedule").await;
    choose(browser, "weekday", &day.weekday().to_monday_one_offset().to_string()).await;
    browser
        .client
        .execute(&set_value("opens", "09:00"), vec![])
        .await
        .unwrap();
    browser
        .client
        .execute(&set_value("closes", "17:00"), vec![])
        .await
        .unwrap();
    submit_form(browser, &format!("/centres/{}/opening-hours", org.centre)).await;
    browser
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath("//td[contains(., '09:00')]"))
        .await
        .unwrap();

    browser.client.goto(&app.url(&format!("/staff/{sam}"))).await.unwrap();
    check(browser, "/staff/ID").await;
    tick(browser, "qualified_supervised").await;
    submit_form(browser, &format!("/staff/{sam}")).await;
    browser.wait_for_path(app, "/staff").await;

    browser
        .client
        .goto(&app.url(&format!("{case_path}/sessions")))
        .await
        .unwrap();
    check(browser, "/cases/ID/sessions").await;
    choose(browser, "kind", "supervised").await;
    browser
        .client
        .execute(&set_value("date", &day.to_string()), vec![])
        .await
        .unwrap();
    browser
        .client
        .execute(&set_value("time", "10:00"), vec![])
        .await
        .unwrap();
    fill(browser, "minutes", "120").await;
    choose(browser, "room_id", &org.room.to_string()).await;
    browser
        .client
        .find(Locator::Css(&format!("input[name=staff][value='{sam}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit_form(browser, &format!("{case_path}/sessions")).await;
    browser.wait_for(".notification").await;
    assert!(browser.text().await.contains("The sessions are booked."));
    check(browser, "/cases/ID/sessions after booking").await;

    browser
        .client
        .find(Locator::Css("a[href^='/bookings/']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for("h1").await;
    let booking = browser.text().await;
    assert!(
        booking.contains("Test Supervisor") && booking.contains("Arrival plan"),
        "{booking}"
    );
    check(browser, "/bookings/ID").await;

    for page in [
        format!("/centres/{}/calendar?date={day}", org.centre),
        format!("/centres/{}/day-sheet?date={day}", org.centre),
    ] {
        browser.client.goto(&app.url(&page)).await.unwrap();
        assert!(browser.text().await.contains("10:00"), "{page} shows the session");
        check(browser, &page).await;
    }
    for page in ["/today", "/staff"] {
        browser.client.goto(&app.url(page)).await.unwrap();
        check(browser, page).await;
    }
    problems
}
