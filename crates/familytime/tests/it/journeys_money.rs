//! The money journey through the pages (issue 30, finding 2): a coordinator records a payment on the
//! case's money page and then issues an invoice there, and the invoice shows what it bills, what has
//! been paid against it and the balance due, the same on the page and in its PDF (read back with
//! pdftotext). The forms keep what was typed and show every error at once, and each action confirms
//! itself with a notification banner. The case and its sessions are set up through the API; the
//! journey itself is pages only, in real Chromium.

use crate::browser::Browser;
use crate::end_to_end::{check_page, set, sign_in, submit};
use crate::records::pdf_text;
use crate::schedule::{Fixture, accept_referral, ahead, booking, fixture, party_id, post, supervisor};
use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::json;

/// A privately paid supervised case (the visiting parent pays) with four sessions booked at £147
/// each: £588.00 charged to the visiting parent. Returns (case, visiting party id).
async fn four_sessions_charged(f: &Fixture) -> (String, String) {
    let from = f.app.today().checked_sub(jiff::ToSpan::days(30)).unwrap().to_string();
    let (status, body) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/centres/{}/prices", f.org.centre),
        json!({"item": "supervised_session", "amount": "147", "applies_from": from}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let sam = supervisor(f, "sam@riverside.example").await;
    let mut referral = crate::referrals::referral(&f.org.centre.to_string());
    referral["source"] = json!("solicitor");
    referral["adults"][0]["name"] = json!("Laura Okafor");
    referral["adults"][1]["name"] = json!("Raj Patel");
    let (case, file) = accept_referral(f, &f.jo, referral).await;
    for week in 1..=4 {
        let (status, booked) = post(
            &f.app,
            &f.jo,
            &format!("/api/v1/cases/{case}/bookings"),
            booking(
                "supervised",
                &ahead(&f.app, week),
                "10:00",
                &f.org.room.to_string(),
                &[&sam],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{booked}");
    }
    (case, party_id(&file, "visiting"))
}

async fn value_of(browser: &Browser, css: &str) -> String {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_a_payment_then_an_invoice_that_shows_the_payment_and_the_balance_due() {
    let f = fixture().await;
    let (case, visiting) = four_sessions_charged(&f).await;
    let visiting = format!("party:{visiting}");
    let browser = Browser::start().await;
    let mut problems = Vec::new();
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/cases/{case}/money")))
        .await
        .unwrap();
    let record = format!("form[action='/cases/{case}/money'] button[type=submit]");

    // Two things wrong at once: both are reported, and what was typed is kept.
    set(&browser, "#kind", "payment").await;
    set(&browser, "#account", &visiting).await;
    set(&browser, "#amount", "14 7").await;
    set(&browser, "#method", "").await;
    set(&browser, "#reference", "CARD-REF-5").await;
    submit(&browser, &record).await;
    let summary = text_of(&browser, ".error-summary").await;
    assert!(
        summary.contains("Choose how the money was paid") && summary.lines().count() >= 3,
        "every error at once: {summary}"
    );
    assert_eq!(value_of(&browser, "#amount").await, "14 7");
    assert_eq!(value_of(&browser, "#reference").await, "CARD-REF-5");
    assert_eq!(value_of(&browser, "#account").await, visiting);
    assert_eq!(value_of(&browser, "#kind").await, "payment");
    check_page(&browser, &mut problems, "money, with errors").await;

    // Put right: the payment is recorded and the page says so.
    set(&browser, "#amount", "147").await;
    set(&browser, "#method", "card").await;
    submit(&browser, &record).await;
    let banner = text_of(&browser, ".notification").await;
    assert!(banner.contains("Payment of £147.00 recorded for Raj Patel"), "{banner}");
    assert!(
        text_of(&browser, &format!("#account-{}", visiting.replace(':', "\\:")))
            .await
            .contains("£441.00 owed")
    );

    // The invoice: what it bills, what has been paid against it and the balance due.
    set(&browser, "#invoice_account", &visiting).await;
    submit(
        &browser,
        &format!("form[action='/cases/{case}/invoices'] button[type=submit]"),
    )
    .await;
    let banner = text_of(&browser, ".notification").await;
    assert!(
        banner.contains("Invoice 1 created for Raj Patel: £588.00 billed, £147.00 paid, £441.00 due"),
        "{banner}"
    );
    assert_eq!(text_of(&browser, "#invoice-1 .invoice-billed").await, "£588.00");
    assert_eq!(text_of(&browser, "#invoice-1 .invoice-paid").await, "£147.00");
    assert_eq!(text_of(&browser, "#invoice-1 .invoice-balance").await, "£441.00");
    check_page(&browser, &mut problems, "money, invoiced").await;

    // The PDF says the same: downloaded with the browser's own session, as the link does.
    let href = browser
        .client
        .find(Locator::Css("#invoice-1 a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("a link to the PDF");
    let cookie = browser.client.get_named_cookie("ft_session").await.unwrap();
    let pdf = reqwest::Client::new()
        .get(f.app.url(&href))
        .header("cookie", format!("ft_session={}", cookie.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let text = pdf_text(&pdf.bytes().await.unwrap());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for said in ["Total billed £588.00", "-£147.00", "Balance due £441.00"] {
        assert!(flat.contains(said), "the PDF says {said}: {text}");
    }

    // Nothing left to invoice: refused, saying so, with the choice kept.
    submit(
        &browser,
        &format!("form[action='/cases/{case}/invoices'] button[type=submit]"),
    )
    .await;
    assert!(text_of(&browser, ".error-summary").await.contains("nothing to invoice"));
    assert_eq!(value_of(&browser, "#invoice_account").await, visiting);
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems: {problems:#?}");
    f.app.finish().await;
}
