//! The centre's rules agreed (decision 0046): the case page's form recording a parent's agreement
//! to the current version, and the organisation's versions of its rules (issuing a new one).

use super::referrals::case_file::{case_page_kept, done};
use super::{FormData, PageResult, Shell, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::agreements;
use familytime_domain::agreements::{AgreementInput, VersionInput};
use familytime_domain::text::FieldErrors;

/// POST /cases/{id}/rules-agreements
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = AgreementInput {
        parent_id: form.get("parent_id"),
        how: form.get("how"),
        agreed_on: form.get("agreed_on"),
    };
    match agreements::record(&state, &caller, &id, &input).await {
        Ok(_) => Ok(done(&id, "agreement")),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let (errors, _, _) = crate::pages::refusal(err, "parent_id")?;
            case_page_kept(&state, &caller, &id, errors, form).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A version as the settings page lists it.
pub struct VersionRow {
    pub label: String,
    pub issued_on: String,
    pub summary: String,
}

#[derive(askama::Template)]
#[template(path = "settings_rules.html")]
struct RulesPage {
    shell: Shell,
    errors: FieldErrors,
    saved: bool,
    versions: Vec<VersionRow>,
    label: String,
    issued_on: String,
    summary: String,
}

async fn rules_page(
    state: &AppState,
    caller: &Caller,
    errors: FieldErrors,
    saved: bool,
    typed: &FormData,
) -> PageResult {
    let versions = agreements::versions(state, caller).await?;
    let shell = Shell::for_caller(state, caller, "/settings/rules").await?;
    let lang = shell.lang;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = RulesPage {
        shell,
        errors,
        saved,
        versions: versions
            .into_iter()
            .map(|v| VersionRow {
                label: v.label,
                issued_on: familytime_i18n::dates::date(lang, v.issued_on),
                summary: v.summary.unwrap_or_default(),
            })
            .collect(),
        label: typed.get("label"),
        issued_on: typed.get("issued_on"),
        summary: typed.get("summary"),
    };
    Ok(if status == StatusCode::OK {
        render(&page)
    } else {
        render_with(status, &page)
    })
}

/// GET /settings/rules (`?done=saved` after a new version)
pub async fn versions(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let saved = query
        .as_deref()
        .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "done" && v == "saved"));
    rules_page(&state, &caller, FieldErrors::new(), saved, &FormData::empty()).await
}

/// POST /settings/rules
pub async fn add_version(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let input = VersionInput {
        label: form.get("label"),
        issued_on: form.get("issued_on"),
        summary: form.get("summary"),
    };
    match agreements::add_version(&state, &caller, &input).await {
        Ok(_) => Ok(Redirect::to("/settings/rules?done=saved").into_response()),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let (errors, _, _) = crate::pages::refusal(err, "label")?;
            rules_page(&state, &caller, errors, false, &form).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "my_rules.html")]
struct OwnRulesPage {
    shell: Shell,
    agreed_now: bool,
    places: Vec<agreements::OwnAgreement>,
}

/// GET /my-rules (`?done=agreed` after agreeing): the centre's rules a parent is asked to agree to.
pub async fn own(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let agreed_now = query
        .as_deref()
        .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "done" && v == "agreed"));
    let places = agreements::own_agreements(&state, &caller).await?;
    Ok(render(&OwnRulesPage {
        shell: Shell::for_caller(&state, &caller, "/my-rules").await?,
        agreed_now,
        places,
    }))
}

/// POST /my-rules: the parent agrees to the current version for one of their places.
pub async fn agree(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    agreements::agree_in_portal(&state, &caller, &form.get("party_id")).await?;
    Ok(Redirect::to("/my-rules?done=agreed").into_response())
}
