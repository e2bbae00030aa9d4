//! Scheduling journeys through the pages (issue 30): the coordinator finds free times that are
//! spread over the weeks searched and keep to the times each adult can come (set on the case's
//! sessions page), finds and books a weekly time for a series, reads why a series outside the
//! opening hours was refused, and keeps two adults apart by choosing them rather than pasting an
//! identifier. Real Chromium, pages only; the case is set up through the API.

use crate::browser::{Browser, fill};
use crate::end_to_end::{sign_in, submit};
use crate::schedule::{Fixture, accepted_case, fixture, supervisor};
use fantoccini::Locator;
use jiff::civil::{Date, Time};
use std::collections::BTreeMap;

/// The free times offered on the page, as (date, start) read from each offer's booking link.
async fn offers(browser: &Browser) -> Vec<(Date, Time, String)> {
    let mut out = Vec::new();
    for link in browser
        .client
        .find_all(Locator::Css("table a[href*='#book']"))
        .await
        .unwrap()
    {
        let href = link.attr("href").await.unwrap().unwrap();
        let url = url::Url::parse(&format!("http://x{href}")).unwrap();
        let q: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
        out.push((q["date"].parse().unwrap(), q["time"].parse().unwrap(), href.clone()));
    }
    out
}

/// After a page has loaded: the element is there, or the test says what the page shows instead.
async fn shows(browser: &Browser, css: &str) {
    if browser.client.find_all(Locator::Css(css)).await.unwrap().is_empty() {
        panic!("{css} is not on {}: {}", browser.path().await, browser.text().await);
    }
}

async fn choose(browser: &Browser, css: &str, value: &str) {
    let ok = browser
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); if (!e) { return false; } e.value = arguments[1]; return e.value === arguments[1];",
            vec![serde_json::json!(css), serde_json::json!(value)],
        )
        .await
        .unwrap();
    assert_eq!(ok, serde_json::json!(true), "{css} = {value}");
}

async fn tick(browser: &Browser, css: &str) {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .click()
        .await
        .unwrap();
}

/// An accepted case and a supervisor; returns the case, its visiting parent and the supervisor.
async fn case_with_supervisor(f: &Fixture) -> (String, String, String) {
    let (case, _, visiting) = accepted_case(f, "Walk").await;
    let sam = supervisor(f, "sam@riverside.example").await;
    (case, visiting, sam)
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_free_times_spread_over_the_weeks_and_keep_to_each_adults_hours() {
    let f = fixture().await;
    let (case, visiting, _) = case_with_supervisor(&f).await;
    let browser = Browser::start().await;
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    let page = f.app.url(&format!("/cases/{case}/sessions"));

    // The visiting parent can come on weekday afternoons after 3pm: said on the page.
    browser.client.goto(&page).await.unwrap();
    choose(&browser, "#avail-party", &visiting).await;
    for day in [
        "#avail-days",
        "#avail-days-2",
        "#avail-days-3",
        "#avail-days-4",
        "#avail-days-5",
    ] {
        tick(&browser, day).await;
    }
    choose(&browser, "#avail-from", "15:00").await;
    choose(&browser, "#avail-to", "20:00").await;
    submit(&browser, "form[action$='/availability'] button[type=submit]").await;
    shows(&browser, ".notification").await;
    let text = browser.text().await;
    assert!(text.contains("When the adult can come is saved."), "{text}");
    assert!(text.contains("Monday 15:00–20:00"), "the saved hours are shown: {text}");

    // Free times over four weeks: spread over the days, at most two a day, all after 3pm on a weekday.
    let from = f.app.today().checked_add(jiff::ToSpan::days(1)).unwrap();
    browser
        .client
        .goto(&format!(
            "{page}?find=1&kind=supervised&minutes=120&from={from}&days=28"
        ))
        .await
        .unwrap();
    let found = offers(&browser).await;
    assert_eq!(found.len(), 10, "ten offers: {found:?}");
    let mut per_day: BTreeMap<Date, usize> = BTreeMap::new();
    for (date, time, _) in &found {
        *per_day.entry(*date).or_default() += 1;
        assert!(*time >= Time::constant(15, 0, 0, 0), "after 3pm: {date} {time}");
        assert!(
            date.weekday().to_monday_one_offset() <= 5,
            "on a weekday: {date} {time}"
        );
    }
    assert!(per_day.values().all(|n| *n <= 2), "at most two a day: {per_day:?}");
    let first = *per_day.keys().next().unwrap();
    let last = *per_day.keys().last().unwrap();
    assert!(
        (last - first).get_days() >= 14,
        "spread over the weeks searched, not one morning: {first} to {last}"
    );
    let problems = browser.accessibility_problems().await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_free_times_for_a_series_offer_a_weekly_time_and_book_it() {
    let f = fixture().await;
    let (case, _, _) = case_with_supervisor(&f).await;
    let browser = Browser::start().await;
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    let page = f.app.url(&format!("/cases/{case}/sessions"));
    let from = f.app.today().checked_add(jiff::ToSpan::days(1)).unwrap();
    browser
        .client
        .goto(&format!(
            "{page}?find=1&kind=supervised&minutes=120&from={from}&days=14&repeat=weekly&count=6"
        ))
        .await
        .unwrap();
    let found = offers(&browser).await;
    assert!(!found.is_empty(), "{}", browser.text().await);
    let text = browser.text().await;
    assert!(
        text.contains("6 sessions from"),
        "an offer reads as a weekly time: {text}"
    );
    let (date, time, link) = found[0].clone();
    assert!(link.contains("repeat=weekly") && link.contains("count=6"), "{link}");
    assert!(text.contains(&format!("Every {} at", date.strftime("%A"))), "{text}");

    // The offer fills in the series; booking it books six sessions at that time.
    browser.client.goto(&f.app.url(&link)).await.unwrap();
    submit(&browser, "form[action$='/sessions'][method='post'] button[type=submit]").await;
    shows(&browser, ".notification").await;
    let rows = browser
        .client
        .find_all(Locator::Css("table tbody td a[href^='/bookings/']"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 6, "{}", browser.text().await);
    let listed = browser.text().await;
    assert!(listed.contains(&time.strftime("%H:%M").to_string()), "{listed}");
    browser.close().await;
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_a_refused_series_names_the_opening_hours_and_the_latest_start() {
    let f = fixture().await;
    let (case, _, sam) = case_with_supervisor(&f).await;
    let browser = Browser::start().await;
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/cases/{case}/sessions")))
        .await
        .unwrap();
    let date = f.app.today().checked_add(jiff::ToSpan::days(8)).unwrap();
    choose(&browser, "#date", &date.to_string()).await;
    choose(&browser, "#time", "19:00").await;
    fill(&browser, "minutes", "120").await;
    tick(&browser, "#repeat-weekly").await;
    fill(&browser, "count", "3").await;
    choose(&browser, "#room_id", &f.org.room.to_string()).await;
    tick(&browser, &format!("input[name=staff][value='{sam}']")).await;
    submit(&browser, "form[action$='/sessions'][method='post'] button[type=submit]").await;
    shows(&browser, ".error-summary").await;
    let text = browser.text().await;
    assert!(
        text.contains("outside the centre's opening hours (08:00–20:00)"),
        "names the opening hours: {text}"
    );
    assert!(
        text.contains("a 120-minute session starts by 18:00 at the latest"),
        "names the latest start: {text}"
    );
    browser.close().await;
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_keep_two_adults_apart_by_choosing_them() {
    let f = fixture().await;
    let (case, visiting, _) = case_with_supervisor(&f).await;
    let (_, other_resident, _) = accepted_case(&f, "Other").await;
    let browser = Browser::start().await;
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    browser
        .client
        .goto(&f.app.url(&format!("/cases/{case}/sessions")))
        .await
        .unwrap();
    let page = browser.text().await;
    assert!(!page.contains("Reference of the other adult"), "no identifier to paste");
    // The other adult is chosen from the centre's people, by case.
    let option = browser
        .client
        .find(Locator::Css(&format!("#nm-other option[value='{other_resident}']")))
        .await
        .expect("the other case's adult is offered");
    assert_eq!(option.text().await.unwrap(), "Laura Other (Resident parent or carer)");
    choose(&browser, "#nm-party", &visiting).await;
    choose(&browser, "#nm-other", &other_resident).await;

    // Without a reason: the error, and both choices kept.
    submit(&browser, "form[action$='/never-meet'] button[type=submit]").await;
    shows(&browser, ".error-summary").await;
    let kept = browser
        .client
        .execute(
            "return [document.querySelector('#nm-party').value, document.querySelector('#nm-other').value];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(kept, serde_json::json!([visiting, other_resident]));

    fill(&browser, "nm-reason", "Non-molestation order REASON-NM").await;
    submit(&browser, "form[action$='/never-meet'] button[type=submit]").await;
    shows(&browser, ".notification").await;
    let text = browser.text().await;
    assert!(text.contains("The two adults are kept apart."), "{text}");
    assert!(
        text.contains("Daniel Walk and Laura Other") || text.contains("Laura Other and Daniel Walk"),
        "{text}"
    );
    assert!(text.contains("REASON-NM"), "{text}");
    let problems = browser.accessibility_problems().await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
    f.app.finish().await;
}
