//! The organisation's interpreters (decision 0047): the list, and a form to add one, for those who
//! book sessions. An interpreter is then booked from a booking's page.

use super::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::interpreters::{self, Interpreter};
use familytime_domain::text::FieldErrors;

#[derive(askama::Template)]
#[template(path = "interpreters.html")]
struct InterpretersPage {
    shell: Shell,
    errors: FieldErrors,
    added: bool,
    interpreters: Vec<Interpreter>,
    name: String,
    languages: String,
}

async fn page(state: &AppState, caller: &Caller, errors: FieldErrors, added: bool, typed: &FormData) -> PageResult {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        form_status(&errors)
    };
    Ok(render_with(
        status,
        &InterpretersPage {
            shell: Shell::for_caller(state, caller, "/today").await?,
            interpreters: interpreters::list(state, caller).await?,
            errors,
            added,
            name: typed.get("name"),
            languages: typed.get("languages"),
        },
    ))
}

/// GET /interpreters (`?added=1` after one is added).
pub async fn list(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let added = query
        .as_deref()
        .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "added" && v == "1"));
    page(&state, &caller, FieldErrors::new(), added, &FormData::empty()).await
}

/// POST /interpreters: adds one, or shows the form again with every problem and what was typed.
pub async fn add(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    match interpreters::add(&state, &caller, &form.get("name"), &form.get("languages")).await {
        Ok(_) => Ok(Redirect::to("/interpreters?added=1").into_response()),
        Err(AppError::Invalid(errors)) => page(&state, &caller, errors, false, &form).await,
        Err(other) => Err(other.into()),
    }
}
