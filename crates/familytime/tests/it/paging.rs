//! The lists that grow are paged (decision 0036): more than a page of cases, people and concerns is
//! made, and every page is walked through the API (following the `Link` header's `next`, then
//! back by `prev`) and through the pages' "Next page" links. Every item must appear exactly once,
//! in the list's order, and nothing of another organisation, or (for a person who works at one
//! centre) of another centre, may appear. A cursor the server did not give, and an unknown query
//! parameter, are refused with a message, never a 500. The case list's pages pass axe in Chromium.

use crate::harness::{PASSWORD, TestApp};
use crate::schedule::{Fixture, fixture, get, post};
use familytime_app::people::{NewUserInput, add_user};
use familytime_domain::ids::CentreId;
use familytime_domain::people::Role;
use familytime_domain::tenancy::CentreDetails;
use jiff::ToSpan;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// More than a page (50) of each list.
const MANY: usize = 56;

/// A referral at `centre` for the family `surname`; returns the case's id.
async fn referral(app: &TestApp, client: &reqwest::Client, centre: &str, surname: &str) -> String {
    let mut body = crate::referrals::referral(centre);
    body["children"][0]["name"] = json!(format!("Mia {surname}"));
    let (status, answer) = post(app, client, "/api/v1/referrals", body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    answer["id"].as_str().unwrap().to_owned()
}

/// A person who works at `centre` only (or everywhere), signed in to the API.
async fn person(f: &Fixture, role: Role, email: &str, name: &str, centre: Option<CentreId>) -> reqwest::Client {
    let input = NewUserInput {
        email: email.into(),
        name: name.into(),
        role: role.as_str().into(),
        password: PASSWORD.into(),
        centre_ids: centre.iter().map(ToString::to_string).collect(),
    };
    add_user(&f.app.store, &f.app.seed_scope(Some(f.org.id)), f.org.id, &input)
        .await
        .map_err(|e| e.message())
        .unwrap();
    let client = f.app.client();
    f.app.api_login(&client, email).await;
    client
}

/// The `rel` link of an API answer's `Link` header, as a path.
fn link(response: &reqwest::Response, rel: &str) -> Option<String> {
    let header = response.headers().get(reqwest::header::LINK)?.to_str().ok()?;
    header.split(", <").find_map(|part| {
        let (url, params) = part.trim_start_matches('<').split_once('>')?;
        params.contains(&format!("rel=\"{rel}\"")).then(|| url.to_owned())
    })
}

/// Every page of an API list from `path`, following `next`; then back from the last page by `prev`,
/// which must give the same pages. Returns the items in order.
async fn walk_api(app: &TestApp, client: &reqwest::Client, path: &str) -> Vec<Value> {
    let mut pages: Vec<(String, Vec<Value>)> = Vec::new();
    let mut at = Some(path.to_owned());
    while let Some(url) = at {
        assert!(pages.len() < 20, "{path}: the pages never end");
        let response = client.get(app.url(&url)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        at = link(&response, "next");
        let items: Vec<Value> = response.json().await.unwrap();
        assert!(items.len() <= 50, "{url}: a page holds 50 at most");
        assert!(
            !items.is_empty() || pages.is_empty(),
            "{url}: an empty page after the first"
        );
        pages.push((url, items));
    }
    // Back again from the last page.
    let mut back = pages.len() - 1;
    let last = client.get(app.url(&pages[back].0)).send().await.unwrap();
    let mut at = link(&last, "prev");
    while let Some(url) = at {
        back -= 1;
        let response = client.get(app.url(&url)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        at = link(&response, "prev");
        let items: Vec<Value> = response.json().await.unwrap();
        assert_eq!(items, pages[back].1, "{url}: going back gives the same page");
    }
    assert_eq!(back, 0, "{path}: going back ends on the first page");
    pages.into_iter().flat_map(|(_, items)| items).collect()
}

/// Every page of a page route from `path`, following "Next page"; returns the ids of the items
/// linked as `/{kind}/{id}` in order.
async fn walk_pages(app: &TestApp, client: &reqwest::Client, path: &str, kind: &str) -> Vec<String> {
    let (mut ids, mut at, mut pages) = (Vec::new(), Some(path.to_owned()), 0);
    while let Some(url) = at {
        pages += 1;
        assert!(pages < 20, "{path}: the pages never end");
        let response = client.get(app.url(&url)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let html = response.text().await.unwrap();
        let marker = format!("href=\"/{kind}/");
        for (at, _) in html.match_indices(&marker) {
            let id: String = html[at + marker.len()..].chars().take_while(|c| *c != '"').collect();
            if id.len() == 36 {
                ids.push(id);
            }
        }
        at = html.split("rel=\"next\"").next().and_then(|before| {
            html.contains("rel=\"next\"")
                .then(|| {
                    before
                        .rsplit("href=\"")
                        .next()
                        .map(|h| h.split('"').next().unwrap_or("").replace("&amp;", "&"))
                })
                .flatten()
        });
    }
    assert!(pages > 1, "{path}: more than a page is shown a page at a time");
    ids
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect()
}

/// Each id once, and exactly the ones expected.
fn once_each(what: &str, seen: &[String], expected: &BTreeSet<String>) {
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "{what}: an item appears twice");
    let missing: Vec<_> = expected.difference(&unique).collect();
    let extra: Vec<_> = unique.difference(expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: missing {missing:?}, not expected {extra:?}"
    );
}

async fn refused(app: &TestApp, client: &reqwest::Client, path: &str) {
    let (status, body) = get(app, client, path).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(message.len() > 20, "{path}: a message says what is wrong: {body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn paging_every_case_person_and_concern_once_in_order_and_in_scope() {
    let f = fixture().await;
    let app = &f.app;
    let home = f.org.centre;
    let elsewhere = {
        let scope = app.seed_scope(Some(f.org.id));
        let mut tx = app.store.begin().await.unwrap();
        let details = CentreDetails::parse("Hilltop Centre", "2 Canary Street", "Europe/London").unwrap();
        let centre = tx.insert_centre(&scope, f.org.id, &details).await.unwrap();
        tx.commit().await.unwrap();
        centre
    };
    // Another organisation with cases, people and concerns of its own.
    let other = app.seed_organisation("Other Contact").await;
    app.seed_user(&other, Role::Coordinator, "oz@other.example").await;
    let oz = app.client();
    app.api_login(&oz, "oz@other.example").await;
    let mut theirs = BTreeSet::new();
    for n in 0..3 {
        theirs.insert(referral(app, &oz, &other.centre.to_string(), &format!("Other{n}")).await);
    }

    // Cases: many at home, a few elsewhere; three at a time share the moment they arrived, so the
    // id decides their order.
    let (mut at_home, mut all) = (BTreeSet::new(), BTreeSet::new());
    for n in 0..MANY {
        if n % 3 == 0 {
            app.clock.advance(jiff::SignedDuration::from_mins(7));
        }
        let case = referral(app, &f.jo, &home.to_string(), &format!("Home{n}")).await;
        at_home.insert(case.clone());
        all.insert(case);
    }
    for n in 0..4 {
        all.insert(referral(app, &f.jo, &elsewhere.to_string(), &format!("Away{n}")).await);
    }
    let cat = person(
        &f,
        Role::Coordinator,
        "cat@riverside.example",
        "Cat One-centre",
        Some(home),
    )
    .await;
    let page_jo = app.client();
    app.page_login(&page_jo, "jo@riverside.example").await;
    let page_cat = app.client();
    app.page_login(&page_cat, "cat@riverside.example").await;

    // The API: every case once, newest first (the id breaking ties, as the store orders them).
    let listed = walk_api(app, &f.jo, "/api/v1/cases").await;
    once_each("the organisation's cases", &ids(&listed), &all);
    let times: Vec<jiff::Timestamp> = listed
        .iter()
        .map(|c| c["received_at"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // A person at one centre: that centre's cases only, every one of them.
    let cats = walk_api(app, &cat, "/api/v1/cases").await;
    once_each("one centre's cases", &ids(&cats), &at_home);
    // A filter holds on every page.
    let received = walk_api(app, &f.jo, "/api/v1/cases?status=received").await;
    once_each("the received cases", &ids(&received), &all);
    let (_, away) = get(app, &f.jo, &format!("/api/v1/cases?centre={elsewhere}")).await;
    assert_eq!(away.as_array().map(Vec::len), Some(4), "{away}");
    let (_, away) = get(app, &cat, &format!("/api/v1/cases?centre={elsewhere}")).await;
    assert_eq!(
        away.as_array().map(Vec::len),
        Some(0),
        "another centre's cases are not cat's: {away}"
    );
    let (_, found) = get(app, &f.jo, "/api/v1/cases?q=mia%20home17").await;
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    // The pages: the same cases in the same order as the API.
    let shown = walk_pages(app, &page_jo, "/cases", "cases").await;
    assert_eq!(shown, ids(&listed), "the case list's pages follow the API's order");
    let shown = walk_pages(app, &page_cat, "/cases", "cases").await;
    assert_eq!(shown, ids(&cats));
    for theirs in &theirs {
        assert!(!ids(&listed).contains(theirs));
    }
    // In Chromium: the list and its pagination pass axe, and "Next page" leads on.
    let browser = crate::browser::Browser::start().await;
    crate::journeys::sign_in(&browser, &f, "jo@riverside.example").await;
    browser.client.goto(&app.url("/cases")).await.unwrap();
    let mut problems = browser.accessibility_problems().await;
    crate::journeys::click(&browser, "a[rel=next]").await;
    browser.wait_for("a[rel=prev]").await;
    assert!(browser.path().await.starts_with("/cases"), "{}", browser.path().await);
    problems.extend(browser.accessibility_problems().await);
    browser.close().await;
    assert!(problems.is_empty(), "{problems:#?}");

    // People: more than a page, several with the same name.
    let mut people = BTreeSet::new();
    for n in 0..MANY {
        let email = format!("p{n:02}@riverside.example");
        let input = NewUserInput {
            email: email.clone(),
            name: format!("Paged Person {:02}", n / 2),
            role: Role::Volunteer.as_str().into(),
            password: PASSWORD.into(),
            centre_ids: vec![home.to_string()],
        };
        let user = add_user(&app.store, &app.seed_scope(Some(f.org.id)), f.org.id, &input)
            .await
            .map_err(|e| e.message())
            .unwrap();
        people.insert(user.id.to_string());
    }
    // The clock moved on while the cases came in: the administrator signs in again.
    app.api_login(&f.admin, "ade@riverside.example").await;
    let listed = walk_api(app, &f.admin, "/api/v1/users").await;
    let paged: Vec<&Value> = listed
        .iter()
        .filter(|u| u["name"].as_str().unwrap().starts_with("Paged Person"))
        .collect();
    let paged_ids: Vec<String> = paged.iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect();
    once_each("the people", &paged_ids, &people);
    let names: Vec<&str> = paged.iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "by name: {names:?}");
    assert!(
        paged.iter().all(|u| u["centre_ids"] == json!([home.to_string()])),
        "each with their centre"
    );
    assert!(
        !listed.iter().any(|u| u["email"] == "oz@other.example"),
        "nobody of another organisation"
    );
    let page_admin = app.client();
    app.page_login(&page_admin, "ade@riverside.example").await;
    let shown = walk_pages(app, &page_admin, "/users", "users").await;
    assert_eq!(shown, ids(&listed), "the people pages follow the API's order");

    // Concerns: many at home (closed, so the page's closed list is paged too), a few elsewhere.
    let lee = person(
        &f,
        Role::SafeguardingLead,
        "lee@riverside.example",
        "Lee One-centre",
        Some(home),
    )
    .await;
    let home_case = at_home.iter().next().unwrap().clone();
    let away_case = all.difference(&at_home).next().unwrap().clone();
    let (mut concerns_home, mut concerns_all) = (BTreeSet::new(), BTreeSet::new());
    for n in 0..MANY + 3 {
        let case = if n < MANY { &home_case } else { &away_case };
        if n % 4 == 0 {
            app.clock.advance(jiff::SignedDuration::from_mins(3));
        }
        let then = app.local_now().checked_sub(1.hour()).unwrap();
        let (status, raised) = post(
            app,
            &f.jo,
            "/api/v1/concerns",
            json!({"case_id": case, "kind": "concern", "about": format!("Child {n}"),
                   "exact_words": "Words.", "date": then.date().to_string(),
                   "time": then.time().strftime("%H:%M").to_string(), "action_taken": "Told the lead.",
                   "carers_told": true}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{raised}");
        let id = raised["id"].as_str().unwrap().to_owned();
        if n < MANY {
            let (_, read) = get(app, &lee, &format!("/api/v1/concerns/{id}")).await;
            let (status, body) = post(
                app,
                &lee,
                &format!("/api/v1/concerns/{id}/decision"),
                json!({"decision": "No further action.", "referred_to": "none", "close": true,
                       "version": read["version"]}),
            )
            .await;
            assert!(status.is_success(), "{body}");
            concerns_home.insert(id.clone());
        }
        concerns_all.insert(id);
    }
    let listed = walk_api(app, &f.jo, "/api/v1/concerns").await;
    once_each("the organisation's concerns", &ids(&listed), &concerns_all);
    let raised: Vec<jiff::Timestamp> = listed
        .iter()
        .map(|c| c["raised_at"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(raised.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let leads = walk_api(app, &lee, "/api/v1/concerns").await;
    once_each("one centre's concerns", &ids(&leads), &concerns_home);
    let closed = walk_api(app, &f.jo, "/api/v1/concerns?status=closed").await;
    once_each("the closed concerns", &ids(&closed), &concerns_home);
    app.page_login(&page_jo, "jo@riverside.example").await;
    let shown = walk_pages(app, &page_jo, "/concerns", "concerns").await;
    let open: Vec<String> = concerns_all.difference(&concerns_home).cloned().collect();
    let shown_closed: Vec<String> = shown.iter().filter(|c| !open.contains(c)).cloned().collect();
    assert_eq!(
        shown_closed,
        ids(&closed),
        "the closed concerns' pages follow the API's order"
    );

    app.api_login(&f.admin, "ade@riverside.example").await;
    // Refused, with a message: a cursor that is not one, another organisation's item, both
    // directions at once, an unknown parameter.
    let theirs = theirs.iter().next().unwrap();
    for (client, path) in [
        (&f.jo, "/api/v1/cases?after=nonsense".to_owned()),
        (&f.jo, format!("/api/v1/cases?after={theirs}")),
        (&f.jo, format!("/api/v1/cases?after={home_case}&before={home_case}")),
        (&f.jo, "/api/v1/cases?sort=name".to_owned()),
        (
            &f.admin,
            "/api/v1/users?after=00000000-0000-7000-8000-000000000000".to_owned(),
        ),
        (&f.admin, "/api/v1/users?page=2".to_owned()),
        (&f.jo, "/api/v1/concerns?before=%27%20OR%201%3D1".to_owned()),
        (&f.jo, "/api/v1/concerns?status=maybe".to_owned()),
        (&f.jo, format!("/api/v1/concerns?after={home_case}")),
    ] {
        refused(app, client, &path).await;
    }
    // A page given a cursor it does not know shows the first page.
    let response = page_jo.get(app.url("/cases?after=nonsense")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("rel=\"next\""));
    f.app.finish().await;
}
