//! The signed-in person's own account: the language they read familytime in, their password,
//! two-factor sign-in (its own page: `two_factor`) and API tokens.

use super::{FormData, PageResult, Shell, form_status, render_with};
use crate::cookies::{LANGUAGE_COOKIE, set_cookie};
use crate::i18n::{self, dates};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use familytime_app::{accounts, languages, two_factor};
use familytime_domain::text::FieldErrors;

/// How long the language cookie set with a saved choice is kept (as the language link's).
const LANGUAGE_COOKIE_SECS: i64 = 60 * 60 * 24 * 365;

pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub created: String,
    pub last_used: String,
}

#[derive(askama::Template)]
#[template(path = "account.html")]
struct AccountPage {
    shell: Shell,
    errors: FieldErrors,
    /// The catalogue key of what was just done.
    notice: Option<&'static str>,
    language_saved: bool,
    new_token: Option<String>,
    user_name: String,
    email: String,
    role: &'static str,
    /// The person's own choice: `cy`, `en` or `default`.
    language: &'static str,
    /// The organisation's default language's code.
    organisation_default: &'static str,
    tokens: Vec<TokenRow>,
    /// Opted out of reminders before a session (decision 0051).
    reminders_off: bool,
    /// The person signs in with a second factor (decision 0052).
    two_factor_on: bool,
}

fn when(at: familytime_domain::Timestamp) -> String {
    let at = at.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    format!("{} UTC", dates::date_time(i18n::current(), at))
}

async fn page(
    state: &AppState,
    caller: &Caller,
    errors: FieldErrors,
    notice: Option<&'static str>,
    new_token: Option<String>,
) -> PageResult {
    let user = caller.user()?;
    let never = i18n::t("account-token-never");
    let tokens = accounts::list_api_tokens(state, caller)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.to_string(),
            name: t.name,
            created: when(t.created_at),
            last_used: t.last_used_at.map(when).unwrap_or_else(|| never.clone()),
        })
        .collect();
    let policy = languages::own_policy(state, caller).await?;
    let two_factor_on = two_factor::own_status(state, caller).await?.enrolled;
    let status = form_status(&errors);
    let page = AccountPage {
        shell: Shell::for_caller(state, caller, "/account").await?,
        errors,
        notice,
        language_saved: notice == Some("account-language-saved"),
        new_token,
        user_name: user.name.clone(),
        email: user.email.clone(),
        role: user.role.as_str(),
        language: user.preferred_language.map_or("default", |l| l.code()),
        organisation_default: policy.default.code(),
        tokens,
        reminders_off: familytime_app::mail_prefs::own_reminders_off(state, caller).await?,
        two_factor_on,
    };
    Ok(render_with(status, &page))
}

/// GET /account (`?done=language` after a language was saved, `?done=two-factor-off` after
/// two-factor sign-in was turned off).
pub async fn show(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let done = query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "done"))
        .map(|(_, v)| v.into_owned());
    let notice = match done.as_deref() {
        Some("language") => Some("account-language-saved"),
        Some("reminders-off") => Some("account-reminders-saved-off"),
        Some("reminders-on") => Some("account-reminders-saved-on"),
        Some("two-factor-off") => Some("two-factor-turned-off"),
        _ => None,
    };
    page(&state, &caller, FieldErrors::new(), notice, None).await
}

/// POST /account/language: saves the language the person reads familytime in, and sets the
/// language cookie to it (or clears it, for the organisation's default) so that the choice is
/// what the next page uses, whatever the language link set before.
pub async fn choose_language(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let chosen = languages::choose_own_language(&state, &caller, &form.get("language")).await?;
    let cookie = match chosen {
        Some(lang) => set_cookie(&state, LANGUAGE_COOKIE, lang.code(), LANGUAGE_COOKIE_SECS),
        None => set_cookie(&state, LANGUAGE_COOKIE, "", 0),
    };
    let mut response = Redirect::to("/account?done=language#language").into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

pub async fn change_password(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let result = accounts::change_password(
        &state,
        &caller,
        &form.get("current_password"),
        &form.get("new_password"),
        &form.get("password_confirmation"),
    )
    .await;
    match result {
        Ok(()) => {
            page(
                &state,
                &caller,
                FieldErrors::new(),
                Some("account-password-changed"),
                None,
            )
            .await
        }
        Err(AppError::Invalid(errors)) => page(&state, &caller, super::messages::in_language(errors), None, None).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn create_token(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    match accounts::create_api_token(&state, &caller, &form.get("name")).await {
        Ok((_, secret)) => page(&state, &caller, FieldErrors::new(), None, Some(secret)).await,
        Err(AppError::Invalid(errors)) => page(&state, &caller, super::messages::in_language(errors), None, None).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn revoke_token(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    accounts::revoke_api_token(&state, &caller, &id).await?;
    Ok(Redirect::to("/account").into_response())
}
