//! Signing in and out, the first-run setup page, and each role's home page.

use super::{FormData, PageResult, Shell, anonymous_csrf, form_status, render, render_with, role_intro, with_cookie};
use crate::cookies::{SESSION_COOKIE, cookie, set_cookie};
use crate::devices::device_cookie;
use crate::error::HttpStatus;
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use familytime_app::devices::DEVICE_COOKIE;
use familytime_app::{self as app, accounts::SetupInput};
use familytime_domain::authz::Action;
use familytime_domain::people::Role;
use familytime_domain::text::FieldErrors;
use familytime_store::tenancy::Centre;
use serde::Deserialize;

#[derive(askama::Template)]
#[template(path = "login.html")]
struct LoginPage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    email: String,
    next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a path on this site may be returned to after sign-in (never another site).
/// Browsers drop tabs and newlines from addresses, so anything but plain visible ASCII is refused too
/// (`/<tab>/evil.example` would otherwise become `//evil.example`).
fn safe_next(next: &str) -> String {
    let plain = next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    let ok = plain && next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/login");
    if ok { next.to_owned() } else { "/home".to_owned() }
}

pub async fn login_form(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    if caller.user.is_some() {
        return Redirect::to("/home").into_response();
    }
    let (csrf, cookie) = anonymous_csrf(&state, &headers);
    let page = LoginPage {
        shell: Shell::anonymous(),
        errors: FieldErrors::new(),
        csrf,
        email: String::new(),
        next: safe_next(q.next.as_deref().unwrap_or("/home")),
    };
    with_cookie(render(&page), cookie)
}

/// The session cookie for a new session; its lifetime is the absolute session limit.
fn session_cookie(state: &AppState, token: &str) -> header::HeaderValue {
    set_cookie(
        state,
        SESSION_COOKIE,
        token,
        state.config.session_policy.absolute.as_secs(),
    )
}

pub async fn login(State(state): State<AppState>, caller: Caller, headers: HeaderMap, form: FormData) -> PageResult {
    let email = form.get("email");
    let next = safe_next(&form.get("next"));
    let device = cookie(&headers, DEVICE_COOKIE);
    match app::accounts::sign_in(&state, &caller, &email, &form.get("password"), device).await {
        Ok(signed_in) => {
            let mut response = Redirect::to(&next).into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie(&state, &signed_in.token));
            if let Some(device) = &signed_in.device_cookie {
                response
                    .headers_mut()
                    .append(header::SET_COOKIE, device_cookie(&state, device));
            }
            Ok(response)
        }
        Err(err @ (AppError::Invalid(_) | AppError::BadCredentials | AppError::TooManyRequests(_))) => {
            let status = err.status();
            let errors = match err {
                AppError::Invalid(errors) => errors,
                other => FieldErrors::single("email", super::error_message(&other)),
            };
            let (csrf, cookie) = anonymous_csrf(&state, &headers);
            let page = LoginPage {
                shell: Shell::anonymous(),
                errors,
                csrf,
                email,
                next,
            };
            Ok(with_cookie(render_with(status, &page), cookie))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn logout(State(state): State<AppState>, caller: Caller) -> PageResult {
    app::accounts::sign_out(&state, &caller).await?;
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", 0));
    Ok(response)
}

#[derive(askama::Template)]
#[template(path = "setup.html")]
struct SetupPage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    token: String,
    organisation_name: String,
    name: String,
    email: String,
}

pub async fn setup_form(State(state): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> PageResult {
    if !app::accounts::setup_usable(&state, &token).await? {
        return Err(AppError::NotFound.into());
    }
    let (csrf, cookie) = anonymous_csrf(&state, &headers);
    let page = SetupPage {
        shell: Shell::anonymous(),
        errors: FieldErrors::new(),
        csrf,
        token,
        organisation_name: String::new(),
        name: String::new(),
        email: String::new(),
    };
    Ok(with_cookie(render(&page), cookie))
}

pub async fn setup(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(token): Path<String>,
    form: FormData,
) -> PageResult {
    let input = SetupInput {
        organisation_name: form.get("organisation_name"),
        name: form.get("name"),
        email: form.get("email"),
        password: form.get("password"),
        password_confirmation: form.get("password_confirmation"),
    };
    match app::accounts::complete_setup(&state, &caller, &token, &input).await {
        Ok(signed_in) => {
            let mut response = Redirect::to("/home").into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie(&state, &signed_in.token));
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => {
            let (csrf, cookie) = anonymous_csrf(&state, &headers);
            let page = SetupPage {
                shell: Shell::anonymous(),
                errors,
                csrf,
                token,
                organisation_name: input.organisation_name,
                name: input.name,
                email: input.email,
            };
            Ok(with_cookie(render_with(form_status(&page.errors), &page), cookie))
        }
        Err(other) => Err(other.into()),
    }
}

/// A task offered on a home page.
pub struct Task {
    pub href: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

#[derive(askama::Template)]
#[template(path = "home.html")]
struct HomePage {
    /// (id, title, author) of reports waiting for this person's quality check.
    reports_to_check: Vec<(String, String, String)>,
    shell: Shell,
    heading: String,
    intro: &'static str,
    tasks: Vec<Task>,
    centres: Vec<Centre>,
    /// The safeguarding lead's open concerns, listed until they are closed.
    shows_concerns: bool,
    concerns: Vec<super::incidents::ConcernLine>,
}

pub async fn home(State(state): State<AppState>, caller: Caller) -> PageResult {
    let user = caller.user()?;
    let role = user.role;
    let mut tasks = Vec::new();
    if role == Role::OrganisationAdmin {
        tasks.push(Task {
            href: "/centres",
            label: "Centres and rooms",
            hint: "Add centres, their rooms and spaces",
        });
        tasks.push(Task {
            href: "/users",
            label: "People",
            hint: "Add staff, volunteers, referrers and parents; disable accounts",
        });
        tasks.push(Task {
            href: "/audit",
            label: "Audit log",
            hint: "Who signed in, changed or viewed what",
        });
        tasks.push(Task {
            href: "/settings/observation-checklist",
            label: "Observation checklist",
            hint: "The statements supervisors tick on every observation record",
        });
    }
    if app::incidents::may(&caller, Action::ViewConcerns, None) {
        tasks.push(Task {
            href: "/concerns",
            label: "Safeguarding concerns",
            hint: "Open concerns first, then closed ones",
        });
    }
    if app::incidents::may(&caller, Action::RaiseConcern, None) {
        tasks.push(Task {
            href: "/concerns/new",
            label: "Raise a safeguarding concern",
            hint: "Anything that worries you about a child, at any session",
        });
    }
    if super::may(&caller, Action::ViewOwnAccount) {
        tasks.push(Task {
            href: "/my-account",
            label: "Your bookings",
            hint: "Your sessions and pre-visits, what you owe and what you have paid",
        });
    }
    if super::may(&caller, Action::ViewReleasedReports) {
        tasks.push(Task {
            href: "/my-reports",
            label: "Reports for you",
            hint: "Reports the centre has released to you, as PDF",
        });
    }
    tasks.push(Task {
        href: "/account",
        label: "Your account",
        hint: "Change your password, manage API tokens",
    });
    let centres = if role.is_staff() {
        app::tenancy::list_centres(&state, &caller).await?
    } else {
        Vec::new()
    };
    let shows_concerns = app::incidents::may(&caller, Action::DecideConcerns, None);
    let concerns = if shows_concerns {
        let open = app::incidents::list(&state, &caller, true).await?;
        super::incidents::lines(&state, &caller, &open).await?
    } else {
        Vec::new()
    };
    // Reports waiting for a quality check that this person can check (never their own, never at a
    // centre they do not work at): the same rule the check itself applies.
    let reports_to_check = if super::may(&caller, Action::CheckReports) {
        app::reports::to_check(&state, &caller)
            .await?
            .into_iter()
            .map(|r| (r.id, format!("{} (case {})", r.title, r.case_reference), r.author_name))
            .collect()
    } else {
        Vec::new()
    };
    let page = HomePage {
        reports_to_check,
        shell: Shell::for_caller(&state, &caller, "/home").await?,
        heading: format!("Hello, {}", user.name),
        intro: role_intro(role),
        tasks,
        centres,
        shows_concerns,
        concerns,
    };
    Ok(render(&page))
}
