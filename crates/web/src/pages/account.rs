//! The signed-in person's own account: password and API tokens.

use super::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use familytime_app::accounts;
use familytime_domain::text::FieldErrors;

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
    notice: Option<&'static str>,
    new_token: Option<String>,
    user_name: String,
    email: String,
    role_label: &'static str,
    tokens: Vec<TokenRow>,
}

fn when(at: familytime_domain::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

async fn page(
    state: &AppState,
    caller: &Caller,
    errors: FieldErrors,
    notice: Option<&'static str>,
    new_token: Option<String>,
) -> PageResult {
    let user = caller.user()?;
    let tokens = accounts::list_api_tokens(state, caller)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.to_string(),
            name: t.name,
            created: when(t.created_at),
            last_used: t.last_used_at.map(when).unwrap_or_else(|| "Never".into()),
        })
        .collect();
    let status = form_status(&errors);
    let page = AccountPage {
        shell: Shell::for_caller(state, caller, "/account").await?,
        errors,
        notice,
        new_token,
        user_name: user.name.clone(),
        email: user.email.clone(),
        role_label: user.role.label(),
        tokens,
    };
    Ok(render_with(status, &page))
}

pub async fn show(State(state): State<AppState>, caller: Caller) -> PageResult {
    page(&state, &caller, FieldErrors::new(), None, None).await
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
                Some("Your password has been changed. You have been signed out everywhere else."),
                None,
            )
            .await
        }
        Err(AppError::Invalid(errors)) => page(&state, &caller, errors, None, None).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn create_token(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    match accounts::create_api_token(&state, &caller, &form.get("name")).await {
        Ok((_, secret)) => page(&state, &caller, FieldErrors::new(), None, Some(secret)).await,
        Err(AppError::Invalid(errors)) => page(&state, &caller, errors, None, None).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn revoke_token(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    accounts::revoke_api_token(&state, &caller, &id).await?;
    Ok(Redirect::to("/account").into_response())
}
