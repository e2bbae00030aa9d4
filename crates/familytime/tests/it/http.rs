//! The HTTP basics: the health check, security headers on every answer, errors in the right shape,
//! oversized bodies refused, and no junk request that makes the server answer 500.

use crate::harness::{TestApp, json_of};
use familytime_domain::people::Role;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn health_check_names_the_database() {
    let app = TestApp::spawn().await;
    let r = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    let expected = match app.location {
        familytime_store::Location::DataDir(_) => r#"{"status":"ok","database":"sqlite"}"#,
        familytime_store::Location::Postgres(_) => r#"{"status":"ok","database":"postgres"}"#,
    };
    assert_eq!(body, expected);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    app.api_login(&client, "admin@riverside.example").await;
    for path in [
        "/",
        "/login",
        "/home",
        "/centres",
        "/users",
        "/api/v1/me",
        "/api/v1/openapi.json",
        "/nowhere",
        "/api/v1/nowhere",
        "/static/app.css",
    ] {
        let r = client.get(app.url(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        for part in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "script-src 'self'",
        ] {
            assert!(csp.contains(part), "{path}: CSP lacks {part}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert!(h.get("referrer-policy").is_some(), "{path}");
        assert!(h.get("x-request-id").is_some(), "{path}");
        let cache = h.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default();
        if path.starts_with("/static/") {
            assert!(cache.contains("max-age"), "{path}");
        } else {
            assert_eq!(cache, "no-store", "{path}: pages may carry personal data");
        }
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn api_errors_are_json_with_code_and_message() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    let (status, body) = json_of(client.get(app.url("/api/v1/nowhere")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].is_string());

    let (status, body) = json_of(client.get(app.url("/api/v1/me")).send().await.unwrap()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );

    app.api_login(&client, "admin@riverside.example").await;
    let cases: Vec<(reqwest::RequestBuilder, StatusCode, &str)> = vec![
        (
            client
                .post(app.url("/api/v1/centres"))
                .header("content-type", "application/json")
                .body("{not json"),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            // JSON that does not fit the request is 422 naming the field (issue 16).
            client.post(app.url("/api/v1/centres")).json(&json!({"name": 42})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            client
                .post(app.url("/api/v1/centres"))
                .json(&json!({"name": "x".repeat(500)})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            client
                .post(app.url("/api/v1/centres"))
                .json(&json!({"name": "Dup", "time_zone": "Moon/Base"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            client.get(app.url("/api/v1/centres/not-an-id")),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            client.get(app.url(&format!("/api/v1/centres/{}", uuid::Uuid::now_v7()))),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            client.put(app.url("/api/v1/me")).json(&json!({})),
            StatusCode::METHOD_NOT_ALLOWED,
            "bad_request",
        ),
        (
            client
                .post(app.url("/api/v1/users"))
                .json(&json!({"email": "bad", "name": "", "role": "king", "password": "short"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
    ];
    for (request, status, code) in cases {
        let (got, body) = json_of(request.send().await.unwrap()).await;
        assert_eq!((got, body["error"]["code"].as_str()), (status, Some(code)), "{body}");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_are_refused_with_413() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    app.api_login(&client, "admin@riverside.example").await;
    let huge = "x".repeat(2 * 1024 * 1024);
    let requests = [
        client.post(app.url("/api/v1/centres")).json(&json!({"name": huge})),
        client
            .post(app.url("/centres"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("name={huge}")),
    ];
    for request in requests {
        // The server answers as soon as the limit is passed and stops reading; the client may still
        // be sending and then sees the connection close instead of the answer. Either way nothing
        // may be created and the server must carry on.
        match request.send().await {
            Ok(r) => assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE),
            Err(e) => assert!(e.is_request(), "{e}"),
        }
        // A new connection: the one the server closed cannot be reused.
        let fresh = reqwest::get(app.url("/healthz")).await.unwrap();
        assert_eq!(fresh.status(), StatusCode::OK, "the server carries on");
    }
    assert_eq!(app.store.centres(org.id).await.unwrap().len(), 1, "nothing created");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn junk_never_makes_the_server_answer_500() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    let csrf = app.page_login(&client, "admin@riverside.example").await;
    let junk = [
        "",
        "%",
        "%zz",
        "\u{0}",
        "'; DROP TABLE users; --",
        "../../etc/passwd",
        "🙂",
        "a=b=c&&&",
        "version=abc",
    ];
    let paths = [
        "/centres",
        "/centres/x",
        "/centres/x/rooms",
        "/rooms/x",
        "/users",
        "/users/x",
        "/users/x/disable",
        "/account/password",
        "/account/tokens",
        "/login",
        "/setup/x",
    ];
    for path in paths {
        for j in junk {
            let body = format!("csrf_token={csrf}&name={j}&version={j}&{j}");
            let r = client
                .post(app.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            assert!(!r.status().is_server_error(), "POST {path} with {j:?}: {}", r.status());
        }
    }
    for path in ["/api/v1/centres", "/api/v1/users", "/api/v1/tokens", "/api/v1/login"] {
        for body in [
            "",
            "null",
            "[]",
            "{}",
            "{\"name\": null}",
            "\"\u{0}\"",
            "{\"email\": [1,2]}",
        ] {
            let r = client
                .post(app.url(path))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert!(
                !r.status().is_server_error(),
                "POST {path} with {body:?}: {}",
                r.status()
            );
        }
    }
    for path in [
        "/audit?before=abc",
        "/api/v1/audit?before=1e9",
        "/centres/%00",
        "/static/../Cargo.toml",
        "/users/00000000-0000-0000-0000-000000000000",
    ] {
        let r = client.get(app.url(path)).send().await.unwrap();
        assert!(!r.status().is_server_error(), "GET {path}: {}", r.status());
    }
    app.finish().await;
}
