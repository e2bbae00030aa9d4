//! Journeys through referral, triage and the case page (issue 30, "Confusing"): a parent refers
//! themself through the public pages, and the coordinator finds on the case what the family said,
//! moves it, changes an adult's phone and accepts it, all through the pages in real Chromium. Each
//! form is first sent with something wrong: every problem is shown at once and the rest is kept.

use crate::browser::{Browser, fill};
use crate::end_to_end::{check_page, set, sign_out, submit};
use crate::journeys::{click, present, sign_in};
use crate::schedule::{Fixture, fixture};
use familytime_domain::people::Role;
use fantoccini::Locator;
use jiff::ToSpan;
use reqwest::StatusCode;

const ORDER_DETAIL: &str = "Made in March: he must not come to her home. ORDER-DETAIL-3";

/// A field's value as the browser holds it now.
async fn value(browser: &Browser, id: &str) -> String {
    browser
        .client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("field {id}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Whether a checkbox or radio is ticked.
async fn ticked(browser: &Browser, id: &str) -> bool {
    browser
        .client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("field {id}"))
        .prop("checked")
        .await
        .unwrap()
        .is_some_and(|c| c == "true")
}

/// The text of one element.
async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} is on the page"))
        .text()
        .await
        .unwrap()
}

/// Daniel, the visiting father, fills in the self-referral (everything but the centre and the
/// child's date of birth): an email but no phone, parental responsibility not known, Laura's phone,
/// a non-molestation order described, supervised contact asked for.
async fn fill_self_referral(browser: &Browser) {
    click(browser, "#your_role-visiting").await;
    fill(browser, "your_name", "Daniel Price").await;
    fill(browser, "your_relationship", "Father").await;
    click(browser, "#your_pr-not_known").await;
    fill(browser, "your_email", "daniel@example.org").await;
    fill(browser, "child1_name", "Mia Price").await;
    fill(browser, "other_name", "Laura Price").await;
    fill(browser, "other_relationship", "Mother").await;
    fill(browser, "other_phone", "07700 900123").await;
    click(browser, "#order_kinds-non_molestation").await;
    fill(browser, "order_details", ORDER_DETAIL).await;
    click(browser, "#service-supervised").await;
    fill(browser, "safety", "We argue at handovers. SAFETY-TEXT-9").await;
    click(browser, "#consent").await;
}

const SEND: &str = "form[action='/self-referral'] button[type=submit]";

/// The self-referral sent whole through the page; returns the reference on the thanks page.
async fn self_refer_through_the_pages(browser: &Browser, f: &Fixture) -> String {
    browser.client.goto(&f.app.url("/self-referral")).await.unwrap();
    fill_self_referral(browser).await;
    set(browser, "#centre_id", &f.org.centre.to_string()).await;
    let born = f.app.today().checked_sub(7.years()).unwrap().to_string();
    set(browser, "#child1_dob", &born).await;
    submit(browser, SEND).await;
    let thanks = browser.text().await;
    thanks
        .split("Your reference is ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("a reference: {thanks}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_self_referral_shows_every_problem_at_once_and_keeps_what_was_typed() {
    let f = fixture().await;
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    browser.client.goto(&f.app.url("/self-referral")).await.unwrap();
    assert_eq!(
        value(&browser, "centre_id").await,
        "",
        "no centre is chosen for the person"
    );
    fill_self_referral(&browser).await;
    // Two things wrong, found by different checks: no centre chosen, and a child born next month.
    let next_month = f.app.today().checked_add(30.days()).unwrap().to_string();
    set(&browser, "#child1_dob", &next_month).await;
    submit(&browser, SEND).await;
    let summary = text_of(&browser, ".error-summary").await;
    assert!(summary.contains("Choose the centre"), "{summary}");
    assert!(summary.contains("date of birth"), "{summary}");
    for (id, typed) in [
        ("your_name", "Daniel Price"),
        ("your_email", "daniel@example.org"),
        ("child1_name", "Mia Price"),
        ("child1_dob", next_month.as_str()),
        ("other_name", "Laura Price"),
        ("other_phone", "07700 900123"),
        ("order_details", ORDER_DETAIL),
        ("safety", "We argue at handovers. SAFETY-TEXT-9"),
    ] {
        assert_eq!(value(&browser, id).await, typed, "{id} is kept");
    }
    for id in [
        "your_role-visiting",
        "your_pr-not_known",
        "order_kinds-non_molestation",
        "service-supervised",
        "consent",
    ] {
        assert!(ticked(&browser, id).await, "{id} stays ticked");
    }
    check_page(&browser, &mut problems, "self-referral with errors").await;

    set(&browser, "#centre_id", &f.org.centre.to_string()).await;
    let born = f.app.today().checked_sub(7.years()).unwrap().to_string();
    set(&browser, "#child1_dob", &born).await;
    submit(&browser, SEND).await;
    let thanks = browser.text().await;
    assert!(thanks.contains("Your reference is"), "{thanks}");
    // No phone was given: the centre cannot call, so it says it will email.
    assert!(thanks.contains("will email you"), "{thanks}");
    assert!(!thanks.contains("call you"), "{thanks}");
    assert!(thanks.contains("using the details you gave"), "{thanks}");
    check_page(&browser, &mut problems, "thanks").await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_coordinator_sees_what_the_family_said_moves_edits_and_accepts() {
    let f = fixture().await;
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    let reference = self_refer_through_the_pages(&browser, &f).await;

    sign_in(&browser, &f, "jo@riverside.example").await;
    browser.client.goto(&f.app.url("/cases")).await.unwrap();
    browser
        .client
        .find(Locator::LinkText(&reference))
        .await
        .expect("the case is listed")
        .click()
        .await
        .unwrap();
    browser.wait_for("#child-lives-with").await;
    let case_path = browser.path().await;

    // What the family said is on the case.
    assert_eq!(text_of(&browser, "#child-lives-with").await, "Laura Price (Mother)");
    let responsibility = browser
        .client
        .find_all(Locator::Css(".parental-responsibility"))
        .await
        .unwrap();
    assert_eq!(responsibility.len(), 2);
    for r in responsibility {
        assert_eq!(r.text().await.unwrap(), "Not known");
    }
    let orders = text_of(&browser, "#orders-described").await;
    assert!(
        orders.contains("Non-molestation order") && orders.contains("ORDER-DETAIL-3"),
        "{orders}"
    );
    assert!(text_of(&browser, "#service-asked").await.contains("Supervised contact"));
    check_page(&browser, &mut problems, "case").await;

    // Moving it with what is missing left out: refused, the target and why kept.
    let move_button = "form[action$='/status'] button[type=submit]";
    set(&browser, "#to", "incomplete").await;
    fill(&browser, "reason", "Waiting for a copy of the order REASON-1").await;
    submit(&browser, move_button).await;
    assert!(
        text_of(&browser, ".error-summary")
            .await
            .contains("List what is missing")
    );
    assert_eq!(value(&browser, "to").await, "incomplete");
    assert_eq!(
        value(&browser, "reason").await,
        "Waiting for a copy of the order REASON-1"
    );
    check_page(&browser, &mut problems, "move with errors").await;
    set(&browser, "#to", "assessment").await;
    submit(&browser, move_button).await;
    assert!(text_of(&browser, ".notification").await.contains("Moved to Assessment"));
    let history = text_of(&browser, ".timeline").await;
    assert!(
        history.contains("by Test Coordinator: Waiting for a copy of the order REASON-1"),
        "{history}"
    );
    assert!(!history.contains("a member of staff"), "{history}");

    // The risk assessment decides the service.
    click(&browser, "#concerns").await;
    set(&browser, "#decision", "supervised").await;
    fill(&browser, "decision_reason", "A non-molestation order is in place").await;
    submit(&browser, "form[action$='/risk'] button[type=submit]").await;
    assert!(
        text_of(&browser, ".notification")
            .await
            .contains("Risk assessment recorded")
    );

    // Laura's phone changes.
    browser
        .client
        .find(Locator::LinkText("Change Laura Price's details"))
        .await
        .expect("a link to change an adult's details")
        .click()
        .await
        .unwrap();
    browser.wait_for("#phone").await;
    let edit_path = browser.path().await;
    assert_eq!(value(&browser, "phone").await, "07700 900123");
    let version = browser
        .client
        .find(Locator::Css("main form input[name=version]"))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    check_page(&browser, &mut problems, "adult's details").await;
    fill(&browser, "name", "").await;
    fill(&browser, "phone", "07700 900999").await;
    submit(&browser, "main form button[type=submit]").await;
    // A name left empty: refused, the new phone kept.
    assert!(
        text_of(&browser, ".error-summary")
            .await
            .contains("Enter their full name")
    );
    assert_eq!(value(&browser, "phone").await, "07700 900999");
    fill(&browser, "name", "Laura Price").await;
    submit(&browser, "main form button[type=submit]").await;
    assert!(
        text_of(&browser, ".notification")
            .await
            .contains("Laura Price's details saved")
    );
    let contacts = text_of(&browser, "#contact-details + p + table").await;
    assert!(contacts.contains("07700 900999"), "{contacts}");
    assert!(!contacts.contains("07700 900123"), "{contacts}");

    // A save from the page as it was first opened is stale: refused, and nothing changes.
    let jo = f.app.client();
    let csrf = f.app.page_login(&jo, "jo@riverside.example").await;
    let stale = jo
        .post(f.app.url(&edit_path))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("version", version.as_str()),
            ("name", "Laura Price"),
            ("parental_responsibility", "yes"),
            ("phone", "07700 900000"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let page = stale.text().await.unwrap();
    assert!(page.contains("Nothing was saved"), "{page}");
    browser.client.goto(&f.app.url(&case_path)).await.unwrap();
    let contacts = text_of(&browser, "#contact-details + p + table").await;
    assert!(
        contacts.contains("07700 900999") && !contacts.contains("07700 900000"),
        "{contacts}"
    );

    // Accepting takes the service the assessment decided: nothing to choose again.
    set(&browser, "#to", "accepted").await;
    fill(&browser, "reason", "Both adults seen").await;
    submit(&browser, move_button).await;
    assert!(
        text_of(&browser, ".notification").await.contains("Moved to Accepted"),
        "{}",
        browser.text().await
    );
    let status = text_of(&browser, ".summary-list").await;
    assert!(status.contains("Accepted — Supervised contact"), "{status}");
    check_page(&browser, &mut problems, "accepted").await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_which_service_leads_to_the_self_referral_and_refer_gives_the_centres_phone() {
    let f = fixture().await;
    let browser = Browser::start().await;
    let mut problems = Vec::new();

    // The administrator gives the centre's phone number for families.
    sign_in(&browser, &f, "ade@riverside.example").await;
    let centre = f.org.centre.to_string();
    browser
        .client
        .goto(&f.app.url(&format!("/centres/{centre}/edit")))
        .await
        .unwrap();
    fill(&browser, "public_phone", "0113 496 0999").await;
    submit(&browser, "main form button[type=submit]").await;
    sign_out(&browser, &f.app).await;

    browser.client.goto(&f.app.url("/refer")).await.unwrap();
    let contacts = text_of(&browser, "#centre-contacts + ul").await;
    assert!(contacts.contains("0113 496 0999"), "{contacts}");
    check_page(&browser, &mut problems, "refer").await;

    let answers = "answered=yes&court-order=no&abuse=yes&harm=no&allegations=no&abduction=no\
                   &drugs-alcohol=no&mental-health=no&care=no&long-gap=no&conflict=no";
    browser
        .client
        .goto(&f.app.url(&format!("/which-service?{answers}")))
        .await
        .unwrap();
    assert!(present(&browser, "#refer-yourself").await, "{}", browser.text().await);
    submit(&browser, "#refer-yourself").await;
    assert_eq!(browser.path().await, "/self-referral");
    assert!(
        ticked(&browser, "service-supervised").await,
        "the service found is carried"
    );
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_a_parent_finds_their_bookings_from_their_home_page() {
    let f = fixture().await;
    f.app.seed_user(&f.org, Role::Parent, "daniel@example.org").await;
    let browser = Browser::start().await;
    sign_in(&browser, &f, "daniel@example.org").await;
    submit(&browser, "main a[href='/my-account']").await;
    assert_eq!(browser.path().await, "/my-account");
    browser.close().await;
    f.app.finish().await;
}
