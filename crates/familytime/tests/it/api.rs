//! The API shell: the OpenAPI document describes every API route, and personal API tokens work as
//! bearer credentials until revoked.

use crate::harness::{TestApp, json_of};
use familytime_domain::people::Role;
use familytime_web::routes::route_table;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_describes_every_api_route_and_nothing_else() {
    let app = TestApp::spawn().await;
    let (status, doc) = json_of(reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let mut registered: Vec<String> = route_table()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    documented.sort();
    registered.sort();
    assert_eq!(documented, registered, "every API route is documented, and only those");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn api_tokens_authenticate_until_revoked() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Referrer, "fca@cafcass.example").await;
    let client = app.client();
    app.api_login(&client, "fca@cafcass.example").await;
    let (status, created) = json_of(
        client
            .post(app.url("/api/v1/tokens"))
            .json(&json!({"name": "case system"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let token = created["token"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();
    let (_, list) = json_of(client.get(app.url("/api/v1/tokens")).send().await.unwrap()).await;
    assert_eq!(list[0]["name"], "case system");
    assert!(!list.to_string().contains(&token), "the secret is never shown again");

    let bearer = reqwest::Client::new();
    let (status, me) = json_of(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["role"], "referrer");
    // A token holder is still only who they are.
    assert_eq!(
        bearer
            .get(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth("ft_made_up")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .header("authorization", "Basic abc")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );

    assert_eq!(
        client
            .delete(app.url(&format!("/api/v1/tokens/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        client
            .delete(app.url(&format!("/api/v1/tokens/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_of_personal_data_and_changes_are_audited() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let jo = app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let client = app.client();
    app.api_login(&client, "admin@riverside.example").await;
    let before = app.store.audit_entries(org.id, None, 500).await.unwrap().len();
    assert_eq!(
        client
            .get(app.url(&format!("/api/v1/users/{jo}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        client
            .get(app.url(&format!("/users/{jo}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        client.get(app.url("/api/v1/users")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let (status, _) = json_of(
        client
            .put(app.url(&format!("/api/v1/users/{jo}")))
            .json(&json!({"name": "Jo W", "role": "coordinator", "centre_ids": [], "version": 1}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let entries = app.store.audit_entries(org.id, None, 500).await.unwrap();
    let new: Vec<&str> = entries[..entries.len() - before]
        .iter()
        .rev()
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(new, ["user.read", "user.read", "user.list", "user.update"]);
    assert!(
        entries.iter().all(|e| !format!("{e:?}").contains("Jo W")),
        "never the data itself"
    );
    app.finish().await;
}
