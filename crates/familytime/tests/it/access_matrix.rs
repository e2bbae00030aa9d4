//! Walks every registered route with every role, and signed out, and checks each answer against the
//! table in docs/access-matrix.md. A route missing from the table (or a row with no route) fails.

use crate::harness::{TestApp, csrf_in};
use familytime_domain::people::Role;
use familytime_web::routes::route_table;
use reqwest::{Method, StatusCode};
use std::collections::BTreeMap;

const MATRIX: &str = include_str!("../../../../docs/access-matrix.md");

/// (method, path) → whether each column may use the route.
pub(crate) type Matrix = BTreeMap<(String, String), Vec<bool>>;

/// The column headings and the rows of docs/access-matrix.md.
pub(crate) fn read_matrix() -> (Vec<String>, Matrix) {
    let mut columns = Vec::new();
    let mut rows = BTreeMap::new();
    for line in MATRIX.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_owned())
            .collect();
        if cells[0] == "method" {
            columns = cells[2..].to_vec();
        } else if !cells[0].starts_with("---") {
            let answers = cells[2..].iter().map(|c| c == "yes").collect();
            assert!(
                cells[2..].iter().all(|c| c == "yes" || c == "no"),
                "cells are yes or no: {line}"
            );
            rows.insert((cells[0].clone(), cells[1].clone()), answers);
        }
    }
    (columns, rows)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_answers_every_role_as_the_access_matrix_says() {
    let (columns, matrix) = read_matrix();
    let registered: Vec<(String, String)> = route_table()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    let unlisted: Vec<_> = registered.iter().filter(|r| !matrix.contains_key(*r)).collect();
    assert!(
        unlisted.is_empty(),
        "routes missing from docs/access-matrix.md: {unlisted:?}"
    );
    let stale: Vec<_> = matrix.keys().filter(|r| !registered.contains(r)).collect();
    assert!(
        stale.is_empty(),
        "rows in docs/access-matrix.md with no route: {stale:?}"
    );

    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    let target = app.seed_user(&org, Role::Volunteer, "target@riverside.example").await;
    for role in Role::ALL {
        app.seed_user(&org, role, &format!("{}@riverside.example", role.as_str()))
            .await;
    }
    let fill = |path: &str| {
        let id = if path.starts_with("/centres/") || path.starts_with("/api/v1/centres/") {
            org.centre.to_string()
        } else if path.contains("/rooms/") {
            org.room.to_string()
        } else if path.contains("/users/") {
            target.to_string()
        } else {
            uuid::Uuid::now_v7().to_string()
        };
        path.replace("{id}", &id)
            .replace("{token}", "not-a-setup-token")
            .replace("{file}", "app.css")
    };

    let mut mismatches = Vec::new();
    for (column, heading) in columns.iter().enumerate() {
        let role = if heading == "anonymous" {
            None
        } else {
            Some(Role::parse(heading).expect("a role heading"))
        };
        let session = async || {
            let client = app.client();
            let csrf = match role {
                Some(role) => {
                    app.page_login(&client, &format!("{}@riverside.example", role.as_str()))
                        .await
                }
                None => csrf_in(
                    &client
                        .get(app.url("/login"))
                        .send()
                        .await
                        .unwrap()
                        .text()
                        .await
                        .unwrap(),
                )
                .unwrap(),
            };
            (client, csrf)
        };
        let shared = session().await;
        for ((method, path), answers) in &matrix {
            let allowed = answers[column];
            // Signing out ends the session, so it gets one of its own.
            let own;
            let (client, csrf) = if path.ends_with("/logout") {
                own = session().await;
                (&own.0, &own.1)
            } else {
                (&shared.0, &shared.1)
            };
            let url = app.url(&fill(path));
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let request = client.request(method.clone(), &url);
            let request = if path.starts_with("/api/") {
                if method == Method::GET {
                    request
                } else {
                    request.json(&serde_json::json!({}))
                }
            } else if method == Method::GET {
                request
            } else {
                request.form(&[("csrf_token", csrf.as_str())])
            };
            let response = request.send().await.unwrap();
            let status = response.status();
            let to_login = status == StatusCode::SEE_OTHER
                && response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .is_some_and(|l| l.starts_with("/login"));
            let refused = match role {
                None => status == StatusCode::UNAUTHORIZED || (method == Method::GET && to_login),
                Some(_) => status == StatusCode::FORBIDDEN,
            };
            let answered = !(matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                || (method == Method::GET && to_login));
            assert!(!status.is_server_error(), "{heading} {method} {path}: {status}");
            if (allowed && !answered) || (!allowed && !refused) {
                mismatches.push(format!(
                    "{heading} {method} {path}: expected {}, got {status}",
                    if allowed { "yes" } else { "no" }
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} cells differ from docs/access-matrix.md:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    app.finish().await;
}
