//! The public pages, sign-in and self-referral in Welsh in a real browser (headless Chromium), each
//! checked by axe-core, whose rules include the page's `lang` (issue 22, decision 0039). Welsh is
//! chosen once with the language link, as a visitor would, and then kept by the cookie.

use crate::browser::Browser;
use crate::harness::TestApp;
use fantoccini::Locator;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn welsh_public_pages_are_accessible_in_a_browser() {
    let app = TestApp::spawn().await;
    app.seed_organisation("Canolfan Glan-yr-Afon").await;
    let browser = Browser::start().await;
    let mut problems = Vec::new();

    // In English first; the language link (in Welsh, marked as Welsh) switches the page.
    browser.client.goto(&app.url("/services")).await.unwrap();
    let link = browser.client.find(Locator::Css("a.header__language")).await.unwrap();
    assert_eq!(link.text().await.unwrap(), "Cymraeg");
    assert_eq!(link.attr("lang").await.unwrap().as_deref(), Some("cy"));
    link.click().await.unwrap();
    browser.wait_for("html[lang=cy]").await;
    assert_eq!(browser.path().await, "/services", "the link keeps the page");

    for path in [
        "/",
        "/services",
        "/which-service",
        "/which-service?answered=yes&court-order=yes",
        "/which-service?court-order=no&abuse=no&harm=yes&allegations=no&abduction=no&drugs-alcohol=no&mental-health=no&care=no&long-gap=no&conflict=not-sure",
        "/refer",
        "/prices",
        "/jargon-buster",
        "/login",
        "/self-referral",
        "/no-such-page",
    ] {
        // No `?lang=`: the cookie the link set keeps the visitor in Welsh.
        browser.client.goto(&app.url(path)).await.unwrap();
        let lang = browser
            .client
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap();
        assert_eq!(lang, Value::from("cy"), "{path}");
        problems.extend(
            browser
                .accessibility_problems()
                .await
                .into_iter()
                .map(|p| format!("{path}: {p}")),
        );
    }

    // Keyboard: the first Tab reaches the skip link, in Welsh.
    browser
        .client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    let focused = browser.client.active_element().await.unwrap().text().await.unwrap();
    assert_eq!(focused, "Neidio i'r prif gynnwys");

    browser.close().await;
    assert!(
        problems.is_empty(),
        "accessibility problems in Welsh:\n{}",
        problems.join("\n")
    );
    app.finish().await;
}
