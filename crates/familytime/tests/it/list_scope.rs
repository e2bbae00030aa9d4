//! Every list a centre-scoped person can read names only cases their own case list shows (issue 30,
//! finding 6: money crossed the centre's boundary). One table of list routes: a new list route is a
//! new row. Each row is read by a coordinator (or lead) who works at one centre of two; the case
//! references in the answer must all be on that person's case list, and nothing of the other
//! centre's family (its surname) may appear. Where the row says so, the organisation-wide
//! coordinator reading the same route does see the other centre's case, so the row can fail.

use crate::harness::PASSWORD;
use crate::schedule::{Fixture, accept_referral, fixture, get, party_id, post};
use familytime_app::people::{NewUserInput, add_user};
use familytime_domain::ids::CentreId;
use familytime_domain::people::Role;
use familytime_domain::tenancy::CentreDetails;
use jiff::ToSpan;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeSet;

/// The other centre's family: their surname must never appear in a list read from the first centre.
const ELSEWHERE: &str = "Quillfeather";

/// Case references ("2026-0012") in a body: four digits, a hyphen, four digits, standing alone (so
/// dates, times and the groups of an identifier are not taken for one).
fn references(body: &str) -> BTreeSet<String> {
    let bytes = body.as_bytes();
    let mut found = BTreeSet::new();
    for start in 0..bytes.len().saturating_sub(8) {
        let window = &bytes[start..start + 9];
        let shape = window
            .iter()
            .enumerate()
            .all(|(i, b)| if i == 4 { *b == b'-' } else { b.is_ascii_digit() });
        let joined = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-');
        if shape && !joined(start.checked_sub(1).and_then(|i| bytes.get(i))) && !joined(bytes.get(start + 9)) {
            found.insert(String::from_utf8_lossy(window).into_owned());
        }
    }
    found
}

async fn body(f: &Fixture, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(f.app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

/// An accepted case at `centre` for a family called `surname`, with money on the visiting parent's
/// account (a charge, part paid, invoiced) and a concern raised about it.
async fn case_with_money(f: &Fixture, centre: CentreId, surname: &str) -> String {
    let mut referral = crate::referrals::referral(&centre.to_string());
    referral["children"][0]["name"] = json!(format!("Mia {surname}"));
    referral["adults"][0]["name"] = json!(format!("Laura {surname}"));
    referral["adults"][1]["name"] = json!(format!("Raj {surname}"));
    referral["source"] = json!("solicitor");
    let (case, file) = accept_referral(f, &f.jo, referral).await;
    let visiting = format!("party:{}", party_id(&file, "visiting"));
    for body in [
        json!({"kind": "charge", "account": visiting, "amount": "51", "item": "written_report"}),
        json!({"kind": "payment", "account": visiting, "amount": "20", "method": "card"}),
    ] {
        let (status, answer) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/ledger"), body).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let (status, answer) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/invoices"),
        json!({"account": visiting}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let then = f.app.local_now().checked_sub(1.hour()).unwrap();
    let (status, answer) = post(
        &f.app,
        &f.jo,
        "/api/v1/concerns",
        json!({"case_id": case, "kind": "concern", "about": format!("Mia {surname}"),
               "exact_words": "Mia was upset at the handover.", "date": then.date().to_string(),
               "time": then.time().strftime("%H:%M").to_string(), "action_taken": "Told the lead.",
               "carers_told": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    // A court order's pattern with nothing booked: on the list of cases under their order.
    let (_, pattern) = crate::schedule::get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/order-pattern")).await;
    let set =
        f.jo.put(f.app.url(&format!("/api/v1/cases/{case}/order-pattern")))
            .json(
                &json!({"order_id": pattern["orders"][0]["id"], "every": "weeks", "interval": 1,
                      "weekdays": ["saturday"], "minutes": 120, "version": 0}),
            )
            .send()
            .await
            .unwrap();
    assert_eq!(set.status(), StatusCode::NO_CONTENT);
    case
}

/// A person who works at `centre` only.
async fn at_one_centre(f: &Fixture, role: Role, email: &str, centre: CentreId) -> reqwest::Client {
    let input = NewUserInput {
        email: email.into(),
        name: format!("One-centre {}", role.label()),
        role: role.as_str().into(),
        password: PASSWORD.into(),
        centre_ids: vec![centre.to_string()],
    };
    add_user(&f.app.store, &f.app.seed_scope(Some(f.org.id)), f.org.id, &input)
        .await
        .map_err(|e| e.message())
        .unwrap();
    let client = f.app.client();
    f.app.api_login(&client, email).await;
    client
}

#[tokio::test(flavor = "multi_thread")]
async fn scope_every_list_a_centre_scoped_role_reads_names_only_cases_on_its_case_list() {
    let f = fixture().await;
    let home = f.org.centre;
    let elsewhere = {
        let scope = f.app.seed_scope(Some(f.org.id));
        let mut tx = f.app.store.begin().await.unwrap();
        let details = CentreDetails::parse("Hilltop Centre", "2 Canary Street", "Europe/London").unwrap();
        let centre = tx.insert_centre(&scope, f.org.id, &details).await.unwrap();
        tx.commit().await.unwrap();
        centre
    };
    case_with_money(&f, home, "Alderley").await;
    case_with_money(&f, elsewhere, ELSEWHERE).await;
    let cat = at_one_centre(&f, Role::Coordinator, "cat@riverside.example", home).await;
    let lee = at_one_centre(&f, Role::SafeguardingLead, "lee@riverside.example", home).await;

    // Each reader's case list: what every other list they read may name.
    let mut case_list = std::collections::BTreeMap::new();
    for (who, client) in [("cat", &cat), ("lee", &lee)] {
        let (status, cases) = get(&f.app, client, "/api/v1/cases").await;
        assert_eq!(status, StatusCode::OK, "{cases}");
        let listed = references(&cases.to_string());
        assert_eq!(listed.len(), 1, "{who} sees the one case at their centre: {cases}");
        assert!(!cases.to_string().contains(ELSEWHERE));
        case_list.insert(who, listed);
    }
    let other = {
        let (_, all) = get(&f.app, &f.jo, "/api/v1/cases").await;
        let all = references(&all.to_string());
        assert_eq!(all.len(), 2, "the organisation-wide coordinator sees both");
        all.difference(&case_list["cat"]).next().unwrap().clone()
    };

    // (reader, route, whether the organisation-wide coordinator sees the other centre's case there)
    let calendar_from = f.app.today().to_string();
    let rows: Vec<(&str, String, bool)> = vec![
        ("cat", "/cases".into(), true),
        ("cat", "/api/v1/cases".into(), true),
        ("cat", "/billing".into(), true),
        ("cat", "/billing/ledger.csv".into(), true),
        ("cat", "/api/v1/billing/outstanding".into(), true),
        ("cat", "/api/v1/billing/ledger.csv".into(), true),
        ("cat", "/orders".into(), true),
        ("cat", "/api/v1/orders".into(), true),
        ("cat", "/concerns".into(), true),
        ("cat", "/api/v1/concerns".into(), true),
        ("cat", "/today".into(), false),
        ("cat", "/home".into(), false),
        ("cat", "/staff".into(), false),
        ("cat", format!("/centres/{home}/calendar"), false),
        ("cat", format!("/centres/{home}/day-sheet"), false),
        (
            "cat",
            format!("/api/v1/centres/{home}/calendar?from={calendar_from}"),
            false,
        ),
        ("lee", "/concerns".into(), true),
        ("lee", "/api/v1/concerns".into(), true),
        ("lee", "/break-glass".into(), false),
        ("lee", "/api/v1/break-glass".into(), false),
    ];
    let mut crossed = Vec::new();
    for (who, path, control) in &rows {
        let client = if *who == "cat" { &cat } else { &lee };
        let text = body(&f, client, path).await;
        let named = references(&text);
        let beyond: Vec<&String> = named.difference(&case_list[who]).collect();
        if !beyond.is_empty() || text.contains(ELSEWHERE) {
            crossed.push(format!(
                "{who} reading {path} sees {beyond:?}{}",
                if text.contains(ELSEWHERE) {
                    " and the other family's name"
                } else {
                    ""
                }
            ));
        }
        if *control {
            let everyone = body(&f, &f.jo, path).await;
            assert!(
                references(&everyone).contains(&other),
                "{path}: the organisation-wide coordinator sees {other} there, so this row can fail"
            );
        }
    }
    assert!(
        crossed.is_empty(),
        "lists beyond the reader's case list:\n{}",
        crossed.join("\n")
    );
    f.app.finish().await;
}
