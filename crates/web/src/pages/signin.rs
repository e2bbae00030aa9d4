//! Signing in and out, the first-run setup page, and each role's home page.

use super::login_page::{LoginPage, safe_next};
use super::two_factor;
use super::{FormData, PageResult, Shell, anonymous_csrf, form_status, render, render_with, with_cookie};
use crate::cookies::{SESSION_COOKIE, cookie, set_cookie};
use crate::devices::device_cookie;
use crate::error::HttpStatus;
use crate::i18n;
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use familytime_app::accounts::SignInStep;
use familytime_app::devices::DEVICE_COOKIE;
use familytime_app::{self as app, accounts::SetupInput};
use familytime_domain::authz::Action;
use familytime_domain::people::Role;
use familytime_domain::text::FieldErrors;
use familytime_store::tenancy::Centre;
use familytime_store::two_factor::PendingStep;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// Set when a second step expired or was used: the password is asked again, and why is said.
    expired: Option<String>,
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
    let errors = match q.expired {
        Some(_) => FieldErrors::single("email", i18n::t("two-factor-expired")),
        None => FieldErrors::new(),
    };
    let page = LoginPage {
        shell: Shell::anonymous(),
        errors,
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
        Ok(SignInStep::SecondStep {
            pending,
            step,
            device_cookie: device,
        }) => {
            // No session yet: only the pending cookie, good for the second step alone (decision 0052).
            let location = two_factor::second_step_location(step == PendingStep::Enrol, &next);
            let mut response = Redirect::to(&location).into_response();
            let h = response.headers_mut();
            h.append(header::SET_COOKIE, two_factor::pending_cookie(&state, &pending));
            h.append(header::SET_COOKIE, device_cookie(&state, &device));
            Ok(response)
        }
        Ok(SignInStep::Done(signed_in)) => {
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
                AppError::Invalid(errors) => super::messages::in_language(errors),
                other => super::messages::in_language(FieldErrors::single("email", super::error_message(&other))),
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

/// A task offered on a home page: where it goes, and the stable name of its words
/// (`home-task-{name}`, `home-hint-{name}`).
pub struct Task {
    pub href: &'static str,
    pub name: &'static str,
}

/// Every task a home page may offer, with what the caller needs to be offered it.
const TASKS: [(&str, &str, Action); 17] = [
    ("/centres", "centres", Action::ManageCentres),
    ("/users", "users", Action::ManageUsers),
    ("/audit", "audit", Action::ViewAuditLog),
    ("/backups", "backups", Action::ViewBackups),
    ("/settings/observation-checklist", "checklist", Action::ManageCentres),
    ("/settings/languages", "languages", Action::ManageLanguages),
    ("/settings/booking-rules", "booking-rules", Action::ManageBookingRules),
    ("/settings/sign-in", "sign-in-policy", Action::ManageSignInPolicy),
    ("/settings/rules", "centre-rules", Action::ManageCentres),
    ("/orders", "orders", Action::ManageSchedule),
    ("/concerns", "concerns", Action::ViewConcerns),
    ("/concerns/new", "raise-concern", Action::RaiseConcern),
    ("/referrals", "referrals", Action::ViewOwnReferrals),
    ("/my-account", "bookings", Action::ViewOwnAccount),
    ("/my-rules", "rules", Action::ViewOwnAccount),
    ("/my-reports", "reports", Action::ViewReleasedReports),
    ("/account", "account", Action::UseOwnAccount),
];

/// The catalogue keys the home page makes from stable names (checked by the `welsh` tests).
pub fn catalogue_keys() -> Vec<String> {
    let mut keys: Vec<String> = TASKS
        .iter()
        .flat_map(|(_, name, _)| [format!("home-task-{name}"), format!("home-hint-{name}")])
        .collect();
    keys.extend(Role::ALL.iter().map(|r| format!("home-intro-{}", r.as_str())));
    keys
}

#[derive(askama::Template)]
#[template(path = "home.html")]
struct HomePage {
    /// (id, title, author) of reports waiting for this person's quality check.
    reports_to_check: Vec<(String, String, String)>,
    shell: Shell,
    /// The person's name, as they typed it.
    heading: String,
    /// The role's stable name, for its welcome (`home-intro-{role}`).
    intro: &'static str,
    tasks: Vec<Task>,
    centres: Vec<Centre>,
    /// The safeguarding lead's open concerns, listed until they are closed.
    shows_concerns: bool,
    concerns: Vec<super::incidents::ConcernLine>,
    /// For administrators when the backups need them: the warning's title and text.
    backup_warning: Option<(String, String)>,
}

/// What an administrator is told when the backups are not in order (nothing when they are).
fn backup_warning(health: Option<app::scheduled_backups::BackupHealth>) -> Option<(String, String)> {
    use app::scheduled_backups::BackupHealth;
    let when = |at: familytime_domain::Timestamp| at.strftime("%Y-%m-%d %H:%M UTC").to_string();
    match health? {
        BackupHealth::Good => None,
        BackupHealth::Failed { at, why } => {
            let args = i18n::args([("at", when(at).into()), ("why", why.into())]);
            Some((
                "home-backup-failed-title".into(),
                i18n::t_args("home-backup-failed", &args),
            ))
        }
        BackupHealth::Unfinished { since } => {
            let args = i18n::args([("at", when(since).into())]);
            Some((
                "home-backup-unfinished-title".into(),
                i18n::t_args("home-backup-unfinished", &args),
            ))
        }
        BackupHealth::NoneMade => Some(("home-backup-none-title".into(), i18n::t("home-backup-none"))),
    }
}

pub async fn home(State(state): State<AppState>, caller: Caller) -> PageResult {
    let user = caller.user()?;
    let role = user.role;
    let tasks = TASKS
        .iter()
        .filter(|(_, _, action)| match action {
            Action::ViewConcerns | Action::RaiseConcern => app::incidents::may(&caller, *action, None),
            _ => super::may(&caller, *action),
        })
        .map(|(href, name, _)| Task { href, name })
        .collect();
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
            .map(|r| {
                let args = i18n::args([
                    ("title", r.title.as_str().into()),
                    ("reference", r.case_reference.as_str().into()),
                ]);
                (r.id, i18n::t_args("home-report-case", &args), r.author_name)
            })
            .collect()
    } else {
        Vec::new()
    };
    let backup_warning = backup_warning(app::scheduled_backups::health(&state, &caller).await?);
    let page = HomePage {
        backup_warning,
        reports_to_check,
        shell: Shell::for_caller(&state, &caller, "/home").await?,
        heading: user.name.clone(),
        intro: role.as_str(),
        tasks,
        centres,
        shows_concerns,
        concerns,
    };
    Ok(render(&page))
}
