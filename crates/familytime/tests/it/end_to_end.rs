//! A supervised case end to end in headless Chromium: the supervisor keeps the register and writes
//! and signs the observation record, a coordinator composes the report and sends it for a check, an
//! administrator approves and releases it to the referrer, and the referrer downloads the PDF, whose
//! text (read with pdftotext) has the observations and never the hidden address. axe-core checks
//! every page on the way.

use crate::browser::{Browser, fill};
use crate::harness::{PASSWORD, TestApp};
use crate::records::{after_the_session, pdf_text, ran_session};
use crate::referrals::CANARY;
use crate::schedule::fixture;
use fantoccini::Locator;
use serde_json::json;

pub(crate) async fn sign_in(browser: &Browser, app: &TestApp, email: &str) {
    browser.client.goto(&app.url("/login")).await.unwrap();
    fill(browser, "email", email).await;
    fill(browser, "password", PASSWORD).await;
    click(browser, "main button[type=submit]").await;
    browser.wait_for_path(app, "/home").await;
}

pub(crate) async fn sign_out(browser: &Browser, app: &TestApp) {
    click(browser, "header button[type=submit]").await;
    browser.wait_for_path(app, "/login").await;
}

pub(crate) async fn click(browser: &Browser, css: &str) {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .click()
        .await
        .unwrap_or_else(|_| panic!("click {css}"));
}

/// Clicks a form's button and waits, on the condition rather than the clock, until the browser has
/// left the page (its old document is gone) and the next page has loaded.
pub(crate) async fn submit(browser: &Browser, css: &str) {
    let old = browser.client.find(Locator::Css("html")).await.unwrap();
    click(browser, css).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while old.tag_name().await.is_ok() {
        assert!(std::time::Instant::now() < deadline, "the page after {css} loads");
    }
    browser.wait_for("footer").await;
}

/// Sets a field's value as a person would leave it (time inputs take keystrokes by locale).
pub(crate) async fn set(browser: &Browser, css: &str, value: &str) {
    let found = browser
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); if (!e) { return false; } e.value = arguments[1]; return true;",
            vec![json!(css), json!(value)],
        )
        .await
        .unwrap();
    assert_eq!(found, json!(true), "{css}");
}

pub(crate) async fn check_page(browser: &Browser, problems: &mut Vec<String>, label: &str) {
    problems.extend(
        browser
            .accessibility_problems()
            .await
            .into_iter()
            .map(|p| format!("{label}: {p}")),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn end_to_end_a_supervised_case_from_register_to_the_referrers_pdf() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    after_the_session(&f, &ran).await;
    let b = ran.booking.clone();
    let browser = Browser::start().await;
    let mut problems = Vec::new();

    // The supervisor: the briefing, the register, the observation record, sign-off.
    sign_in(&browser, &f.app, "sam@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/bookings/{b}")))
        .await
        .unwrap();
    click(&browser, &format!("a[href='/bookings/{b}/record']")).await;
    browser.wait_for_path(&f.app, &format!("/bookings/{b}/record")).await;
    let text = browser.text().await;
    assert!(
        text.contains("Briefing before the session") && text.contains("non-molestation order"),
        "{text}"
    );
    assert!(!text.contains("CANARY-7f3a9"), "the briefing shows no hidden address");
    check_page(&browser, &mut problems, "session record").await;
    let row = format!(
        "form[action='/bookings/{b}/register']:has(input[value='party:{}'])",
        ran.visiting
    );
    set(&browser, &format!("{row} select[name=attendance]"), "arrived").await;
    set(&browser, &format!("{row} input[name=arrived]"), "09:45").await;
    submit(&browser, &format!("{row} button[type=submit]")).await;
    let arrived = browser
        .client
        .find(Locator::Css(&format!("{row} input[name=arrived]")))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        arrived.as_deref(),
        Some("09:45"),
        "the register, as saved, shows the arrival"
    );

    fill(
        &browser,
        "arrival",
        "Daniel arrived at 09:45 and waited in the Green Room.",
    )
    .await;
    fill(
        &browser,
        "interaction",
        "They read a book together. Mia said \"Read it again, Daddy!\" E2E-OBSERVATION-77.",
    )
    .await;
    fill(&browser, "ending", "Mia waved goodbye at 11:55 and left with Laura.").await;
    click(&browser, "#checklist-2").await;
    // The draft saves itself as the supervisor types (through the API, with its version).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let status = browser
            .client
            .find(Locator::Id("autosave-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if status.starts_with("Draft saved") {
            break;
        }
        assert!(!status.starts_with("Not saved"), "autosave failed: {status}");
        assert!(std::time::Instant::now() < deadline, "the draft saves itself");
    }
    let (_, record) = crate::schedule::get(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/record")).await;
    assert_eq!(
        record["observation"]["sections"]["ending"],
        "Mia waved goodbye at 11:55 and left with Laura."
    );
    submit(&browser, "#save-draft").await;
    check_page(&browser, &mut problems, "session record with a draft").await;
    submit(&browser, "#sign-off").await;
    let text = browser.text().await;
    assert!(
        text.contains("Signed off") && text.contains("E2E-OBSERVATION-77"),
        "{text}"
    );
    check_page(&browser, &mut problems, "signed record").await;
    sign_out(&browser, &f.app).await;

    // The coordinator: the distribution list, then a report from the signed record, sent for a check.
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/cases/{}", ran.case)))
        .await
        .unwrap();
    click(&browser, &format!("a[href='/cases/{}/reports']", ran.case)).await;
    browser.wait_for("#recipient-referrer").await;
    check_page(&browser, &mut problems, "case reports").await;
    click(&browser, "#recipient-referrer").await;
    click(&browser, "#recipient-court").await;
    submit(
        &browser,
        &format!("form[action='/cases/{}/distribution'] button[type=submit]", ran.case),
    )
    .await;
    assert!(browser.text().await.contains("The referrer, The court"));
    click(&browser, "#kind-session").await;
    click(&browser, "input[name=records]").await;
    fill(&browser, "title", "Supervised contact on 2 December").await;
    fill(&browser, "summary", "Daniel and Mia's second supervised session.").await;
    submit(
        &browser,
        &format!("form[action='/cases/{}/reports'] button[type=submit]", ran.case),
    )
    .await;
    check_page(&browser, &mut problems, "draft report").await;
    let report_path = browser.path().await;
    submit(&browser, "#step").await;
    assert!(browser.text().await.contains("Waiting for a quality check"));
    sign_out(&browser, &f.app).await;

    // A second person checks, approves and releases it to the referrer.
    sign_in(&browser, &f.app, "ade@riverside.example").await;
    browser.client.goto(&f.app.url(&report_path)).await.unwrap();
    browser.wait_for("#step-approve").await;
    check_page(&browser, &mut problems, "report in check").await;
    click(&browser, "#step-approve").await;
    submit(
        &browser,
        &format!("form[action='{report_path}/check'] button[type=submit]"),
    )
    .await;
    click(&browser, "#release-referrer").await;
    submit(
        &browser,
        &format!("form[action='{report_path}/release'] button[type=submit]"),
    )
    .await;
    let text = browser.text().await;
    assert!(text.contains("Released") && text.contains("To the referrer"), "{text}");
    check_page(&browser, &mut problems, "released report").await;

    // The other pages around a session, as the administrator sees them: raising a safeguarding
    // concern, the concerns list, the service page (notices, letters, reviews), the checklist.
    for path in [
        format!("/concerns/new?booking={b}"),
        "/concerns".to_owned(),
        format!("/cases/{}/service", ran.case),
        "/settings/observation-checklist".to_owned(),
        "/home".to_owned(),
    ] {
        browser.client.goto(&f.app.url(&path)).await.unwrap();
        browser.wait_for("footer").await;
        let text = browser.text().await;
        assert!(
            !text.contains("Page not found")
                && !text.contains("You cannot see this page")
                && !text.contains("There is a problem with the service"),
            "{path} shows its page: {text}"
        );
        check_page(&browser, &mut problems, &path).await;
    }
    sign_out(&browser, &f.app).await;

    // The referrer finds it in their portal and downloads the PDF.
    sign_in(&browser, &f.app, "ria@cafcass.example").await;
    click(&browser, "a[href='/my-reports']").await;
    browser.wait_for("a[download]").await;
    check_page(&browser, &mut problems, "reports for you").await;
    let href = browser
        .client
        .find(Locator::Css("a[download]"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("a download link");
    // The browser's own session cookie downloads it (the same request the link makes).
    let cookie = browser.client.get_named_cookie("ft_session").await.unwrap();
    let pdf = reqwest::Client::new()
        .get(f.app.url(&href))
        .header("cookie", format!("ft_session={}", cookie.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), reqwest::StatusCode::OK);
    let text = pdf_text(&pdf.bytes().await.unwrap());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("E2E-OBSERVATION-77") && flat.contains("Read it again, Daddy!"),
        "{text}"
    );
    assert!(flat.contains("Supervised contact on 2 December"), "{text}");
    assert!(
        !flat.contains(CANARY) && !flat.contains("CANARY-7f3a9"),
        "the PDF never has the hidden address"
    );
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}
