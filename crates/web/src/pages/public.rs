//! Public pages (no sign-in), the health check and the static files.

use super::{Shell, render};
use crate::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};

#[derive(askama::Template)]
#[template(path = "index.html")]
struct IndexPage {
    shell: Shell,
    organisation_label: String,
}

pub async fn index(State(state): State<AppState>) -> Response {
    // One organisation (a single centre's own server) is named; a hosted service stays generic.
    let label = match state.store.organisations().await {
        Ok(orgs) if orgs.len() == 1 => orgs.into_iter().next().map(|o| o.name).unwrap_or_default(),
        _ => crate::i18n::t("index-title"),
    };
    render(&IndexPage {
        shell: Shell::anonymous(),
        organisation_label: label,
    })
}

/// The health check's answer, fields in this order.
#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    database: &'static str,
}

/// `200 {"status":"ok","database":"sqlite"}` while the database answers; 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let database = state.store.backend();
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(Health { status: "ok", database })).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "unavailable",
                database,
            }),
        )
            .into_response(),
    }
}

/// The static files, embedded in the binary.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/app.css"),
    ),
    (
        "records.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/records.js"),
    ),
];

pub async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => ([(header::CONTENT_TYPE, *content_type)], *body).into_response(),
        None => super::error_page(crate::AppError::NotFound),
    }
}
