//! The public pages, sign-in and self-referral, and the parent's portal, in Welsh in a real browser
//! (headless Chromium), each checked by axe-core, whose rules include the page's `lang` (issue 22,
//! decision 0039). A visitor chooses Welsh once with the language link, and the cookie keeps it; a
//! parent chooses Cymraeg on their account page, and their pages follow.

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

#[tokio::test(flavor = "multi_thread")]
async fn welsh_parent_portal_is_accessible_in_a_browser_after_choosing_cymraeg() {
    use crate::journeys::{click, sign_in};
    let f = crate::welsh_portal::world().await;
    let browser = Browser::start().await;
    sign_in(&browser, &f, crate::welsh_portal::PARENT).await;
    let lang = || async {
        browser
            .client
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap()
    };
    assert_eq!(lang().await, Value::from("en-GB"), "English until they choose");

    // Cymraeg, chosen on the account page; the page confirms it, in Welsh.
    browser.client.goto(&f.app.url("/account")).await.unwrap();
    click(&browser, "#language-cy").await;
    click(&browser, "form[action='/account/language'] button[type=submit]").await;
    browser.wait_for("html[lang=cy]").await;
    assert!(browser.text().await.contains("Mae eich iaith wedi'i chadw."));

    let mut problems = Vec::new();
    for path in ["/home", "/account", "/my-account", "/my-reports"] {
        browser.client.goto(&f.app.url(path)).await.unwrap();
        assert_eq!(lang().await, Value::from("cy"), "{path}");
        problems.extend(
            browser
                .accessibility_problems()
                .await
                .into_iter()
                .map(|p| format!("{path}: {p}")),
        );
    }
    // The last page (the reports released to them) is headed in Welsh.
    assert!(browser.text().await.contains("Adroddiadau i chi"));
    browser.close().await;
    assert!(
        problems.is_empty(),
        "accessibility problems in Welsh:\n{}",
        problems.join("\n")
    );
    f.app.finish().await;
}
