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

/// A query parameter documented as a path parameter (utoipa's default for `IntoParams`) makes every
/// client send it in the wrong place; a component name used by two structs silently documents one
/// body with the other's fields. Both were found by schemathesis.
#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_puts_each_parameter_where_the_server_reads_it() {
    let app = TestApp::spawn().await;
    let (_, doc) = json_of(reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap()).await;
    let mut misplaced = Vec::new();
    let mut path_params = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for param in operation["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                let in_template = path.contains(&format!("{{{name}}}"));
                if param["in"] == "path" {
                    path_params += 1;
                }
                if (param["in"] == "path") != in_template {
                    misplaced.push(format!("{method} {path}: {name} in {}", param["in"]));
                }
            }
        }
    }
    assert!(path_params > 10, "the document has path parameters to check");
    assert!(misplaced.is_empty(), "misplaced parameters: {misplaced:#?}");
    for name in ["ScheduleSettings", "BillingSettings"] {
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} has its own schema"
        );
    }
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

/// axum refuses a body that is not multipart in plain text; the API's own answer is JSON, as the
/// document says (found by schemathesis).
#[tokio::test(flavor = "multi_thread")]
async fn an_upload_that_is_not_multipart_is_refused_in_the_apis_own_format() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    app.api_login(&client, "admin@riverside.example").await;
    let (_, created) = json_of(
        client
            .post(app.url("/api/v1/tokens"))
            .json(&json!({"name": "uploads"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    // A bearer token: cookie-authenticated API calls take JSON only, so only a token reaches the upload.
    let token = created["token"].as_str().unwrap();
    let response = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/cases/{}/documents", uuid::Uuid::now_v7())))
        .bearer_auth(token)
        .body("not a form")
        .header("content-type", "text/plain")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "the refusal is JSON"
    );
    let (_, body) = json_of(response).await;
    assert_eq!(body["error"]["code"], "unsupported_media_type");
    app.finish().await;
}
