//! The organisation's languages (decision 0039), set by its administrator: the language of those
//! who have not chosen one, and whether letters to families are in Welsh and English together.

use super::{FormData, PageResult, Shell, render};
use crate::{AppState, Caller};
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect};
use familytime_app::languages;
use familytime_domain::language::Lang;

#[derive(askama::Template)]
#[template(path = "settings_languages.html")]
struct LanguagesPage {
    shell: Shell,
    saved: bool,
    default: &'static str,
    bilingual_letters: bool,
    languages: [Lang; 2],
}

/// GET /settings/languages (`?done=saved` after a change).
pub async fn show(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let policy = languages::policy(&state, &caller).await?;
    let saved = query
        .as_deref()
        .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "done" && v == "saved"));
    Ok(render(&LanguagesPage {
        shell: Shell::for_caller(&state, &caller, "/settings/languages").await?,
        saved,
        default: policy.default.code(),
        bilingual_letters: policy.bilingual_letters,
        languages: [Lang::Cy, Lang::En],
    }))
}

/// POST /settings/languages
pub async fn save(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    languages::set_policy(&state, &caller, &form.get("default"), form.checked("bilingual_letters")).await?;
    Ok(Redirect::to("/settings/languages?done=saved").into_response())
}
