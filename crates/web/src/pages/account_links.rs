//! The pages of accounts by e-mail (decision 0051): "forgot password" (asks for an address and
//! answers the same whether or not it has an account) and the page a link opens, where the person
//! chooses their password; a link used or expired gets a page that says so.

use super::{FormData, PageResult, Shell, anonymous_csrf, form_status, render, render_with, with_cookie};
use crate::error::HttpStatus;
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use familytime_app::account_links;
use familytime_domain::text::FieldErrors;

#[derive(askama::Template)]
#[template(path = "forgot_password.html")]
struct ForgotPage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    email: String,
}

#[derive(askama::Template)]
#[template(path = "forgot_password_sent.html")]
struct SentPage {
    shell: Shell,
}

pub async fn forgot_form(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let (csrf, cookie) = anonymous_csrf(&state, &headers);
    let page = ForgotPage {
        shell: Shell::anonymous(),
        errors: FieldErrors::new(),
        csrf,
        email: String::new(),
    };
    Ok(with_cookie(render(&page), cookie))
}

/// The same page, with the same words, whether or not the address has an account.
pub async fn forgot(State(state): State<AppState>, caller: Caller, headers: HeaderMap, form: FormData) -> PageResult {
    let email = form.get("email");
    match account_links::forgot_password(&state, &caller, &email).await {
        Ok(()) => Ok(render(&SentPage {
            shell: Shell::anonymous(),
        })),
        Err(err @ (AppError::Invalid(_) | AppError::TooManyRequests(_))) => {
            let status = err.status();
            let errors = match err {
                AppError::Invalid(errors) => super::messages::in_language(errors),
                other => super::messages::in_language(FieldErrors::single("email", super::error_message(&other))),
            };
            let (csrf, cookie) = anonymous_csrf(&state, &headers);
            let page = ForgotPage {
                shell: Shell::anonymous(),
                errors,
                csrf,
                email,
            };
            Ok(with_cookie(render_with(status, &page), cookie))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "set_password.html")]
struct SetPasswordPage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    token: String,
    invitation: bool,
}

#[derive(askama::Template)]
#[template(path = "link_unusable.html")]
struct UnusablePage {
    shell: Shell,
}

#[derive(askama::Template)]
#[template(path = "password_set.html")]
struct PasswordSetPage {
    shell: Shell,
}

/// A link that cannot be used: gone (410), with what to do instead.
fn unusable() -> PageResult {
    Ok(render_with(
        StatusCode::GONE,
        &UnusablePage {
            shell: Shell::anonymous(),
        },
    ))
}

pub async fn set_form(State(state): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> PageResult {
    let Some(link) = account_links::usable_link(&state, &token).await? else {
        return unusable();
    };
    let (csrf, cookie) = anonymous_csrf(&state, &headers);
    let page = SetPasswordPage {
        shell: Shell::anonymous(),
        errors: FieldErrors::new(),
        csrf,
        token,
        invitation: link.purpose == familytime_store::account_links::LinkPurpose::Invitation,
    };
    Ok(with_cookie(render(&page), cookie))
}

pub async fn set(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(token): Path<String>,
    form: FormData,
) -> PageResult {
    let password = form.get("password");
    let confirmation = form.get("password_confirmation");
    match account_links::set_password_by_link(&state, &caller, &token, &password, &confirmation).await {
        Ok(_) => Ok(render(&PasswordSetPage {
            shell: Shell::anonymous(),
        })),
        Err(AppError::NotFound) => unusable(),
        Err(AppError::Invalid(errors)) => {
            let invitation = matches!(
                account_links::usable_link(&state, &token).await?,
                Some(l) if l.purpose == familytime_store::account_links::LinkPurpose::Invitation
            );
            let (csrf, cookie) = anonymous_csrf(&state, &headers);
            let page = SetPasswordPage {
                shell: Shell::anonymous(),
                errors: super::messages::in_language(errors),
                csrf,
                token,
                invitation,
            };
            Ok(with_cookie(render_with(form_status(&page.errors), &page), cookie))
        }
        Err(other) => Err(other.into()),
    }
}
