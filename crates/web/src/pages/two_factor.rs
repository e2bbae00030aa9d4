//! Two-factor sign-in's pages (decision 0052): the sign-in's second step (a code, or enrolment
//! first when the organisation requires it), one's own enrolment and turning it off, an
//! administrator's reset of a colleague's factor, and the organisation's sign-in policy.
//!
//! Between the password and the second step the browser holds only a pending cookie: no session
//! exists yet, so nothing else can be reached until the step is done.

use super::{FormData, PageResult, Shell, anonymous_csrf, form_status, render, render_with, with_cookie};
use crate::cookies::{SESSION_COOKIE, cookie, set_cookie};
use crate::error::HttpStatus;
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use familytime_app::two_factor::{self, Enrolment, Policy};
use familytime_domain::text::FieldErrors;
use serde::Deserialize;

/// The cookie that carries a sign-in waiting for its second step (its secret; the server keeps
/// the hash, the person and the expiry).
pub const PENDING_COOKIE: &str = "ft_pending";

/// Where a right password goes next, with the page to return to afterwards.
pub fn second_step_location(enrol: bool, next: &str) -> String {
    let path = if enrol {
        "/login/two-factor/enrol"
    } else {
        "/login/two-factor"
    };
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    format!("{path}?{query}")
}

/// The pending cookie for a new pending sign-in, as long as it may wait.
pub fn pending_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secs = familytime_domain::two_factor::PENDING_FOR.as_secs();
    set_cookie(state, PENDING_COOKIE, token, secs)
}

fn clear_pending(state: &AppState) -> HeaderValue {
    set_cookie(state, PENDING_COOKIE, "", 0)
}

fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    set_cookie(
        state,
        SESSION_COOKIE,
        token,
        state.config.session_policy.absolute.as_secs(),
    )
}

/// The sign-in page in place of a second step that has no pending sign-in, the pending cookie cleared.
fn password_again(state: &AppState, headers: &HeaderMap, next: String) -> Response {
    let mut response = super::login_page::timed_out(state, headers, next);
    response.headers_mut().append(header::SET_COOKIE, clear_pending(state));
    response
}

/// Back to the password after a post: the pending sign-in has expired, been used, or never was.
fn start_again(state: &AppState) -> Response {
    let mut response = Redirect::to("/login?expired=1").into_response();
    response.headers_mut().append(header::SET_COOKIE, clear_pending(state));
    response
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn next_of(next: Option<&str>) -> String {
    super::login_page::safe_next(next.unwrap_or("/home"))
}

#[derive(askama::Template)]
#[template(path = "two_factor_code.html")]
struct CodePage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    next: String,
}

/// GET /login/two-factor: asks for the code after a right password.
pub async fn code_form(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<NextQuery>) -> PageResult {
    let next = next_of(q.next.as_deref());
    let Some(token) = cookie(&headers, PENDING_COOKIE) else {
        return Ok(password_again(&state, &headers, next));
    };
    if two_factor::pending(&state, token).await?.is_none() {
        return Ok(password_again(&state, &headers, next));
    }
    let (csrf, csrf_cookie) = anonymous_csrf(&state, &headers);
    let page = CodePage {
        shell: Shell::anonymous(),
        errors: FieldErrors::new(),
        csrf,
        next,
    };
    Ok(with_cookie(render(&page), csrf_cookie))
}

/// POST /login/two-factor: a right code starts the session; a wrong one says so and counts
/// towards the throttle, nothing else.
pub async fn code(State(state): State<AppState>, caller: Caller, headers: HeaderMap, form: FormData) -> PageResult {
    let next = next_of(Some(&form.get("next")));
    let Some(token) = cookie(&headers, PENDING_COOKIE) else {
        return Ok(start_again(&state));
    };
    match two_factor::sign_in_with_code(&state, &caller, token, &form.get("code")).await {
        Ok(signed_in) => {
            let mut response = Redirect::to(&next).into_response();
            let h = response.headers_mut();
            h.append(header::SET_COOKIE, session_cookie(&state, &signed_in.token));
            h.append(header::SET_COOKIE, clear_pending(&state));
            Ok(response)
        }
        Err(AppError::SignInRequired) => Ok(start_again(&state)),
        Err(err @ (AppError::Invalid(_) | AppError::TooManyRequests(_))) => {
            let status = err.status();
            let errors = match err {
                AppError::Invalid(errors) => super::messages::in_language(errors),
                other => FieldErrors::single("code", super::error_message(&other)),
            };
            let (csrf, csrf_cookie) = anonymous_csrf(&state, &headers);
            let page = CodePage {
                shell: Shell::anonymous(),
                errors,
                csrf,
                next,
            };
            Ok(with_cookie(render_with(status, &page), csrf_cookie))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "two_factor_enrol.html")]
struct EnrolPage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    /// Signed in already (enrolling from the account page) or between password and session.
    signed_in: bool,
    required: bool,
    action: &'static str,
    next: String,
    secret: String,
    qr_svg: String,
}

fn enrol_page(shell: Shell, errors: FieldErrors, csrf: String, enrolment: Enrolment, next: String) -> EnrolPage {
    let signed_in = shell.signed_in;
    EnrolPage {
        shell,
        errors,
        csrf,
        signed_in,
        required: !signed_in,
        action: if signed_in {
            "/account/two-factor"
        } else {
            "/login/two-factor/enrol"
        },
        next,
        secret: enrolment.secret,
        qr_svg: enrolment.qr_svg,
    }
}

/// GET /login/two-factor/enrol: enrolment the organisation requires, before the session starts.
pub async fn enrol_form(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<NextQuery>) -> PageResult {
    let next = next_of(q.next.as_deref());
    let Some(token) = cookie(&headers, PENDING_COOKIE) else {
        return Ok(password_again(&state, &headers, next));
    };
    let enrolment = match two_factor::pending_enrolment(&state, token).await {
        Ok(enrolment) => enrolment,
        Err(AppError::SignInRequired) => return Ok(password_again(&state, &headers, next)),
        Err(other) => return Err(other.into()),
    };
    let (csrf, csrf_cookie) = anonymous_csrf(&state, &headers);
    let page = enrol_page(Shell::anonymous(), FieldErrors::new(), csrf, enrolment, next);
    Ok(with_cookie(render(&page), csrf_cookie))
}

#[derive(askama::Template)]
#[template(path = "two_factor_recovery.html")]
struct RecoveryPage {
    shell: Shell,
    codes: Vec<String>,
    next: String,
}

/// POST /login/two-factor/enrol: a right first code confirms the enrolment and starts the session;
/// the recovery codes are shown this once.
pub async fn enrol(State(state): State<AppState>, caller: Caller, headers: HeaderMap, form: FormData) -> PageResult {
    let next = next_of(Some(&form.get("next")));
    let Some(token) = cookie(&headers, PENDING_COOKIE) else {
        return Ok(start_again(&state));
    };
    match two_factor::sign_in_enrolling(&state, &caller, token, &form.get("code")).await {
        Ok((signed_in, codes)) => {
            // The session starts with this response, so the page itself is drawn as before it.
            let shell = Shell::anonymous();
            let mut response = render(&RecoveryPage { shell, codes, next });
            let h = response.headers_mut();
            h.append(header::SET_COOKIE, session_cookie(&state, &signed_in.token));
            h.append(header::SET_COOKIE, clear_pending(&state));
            Ok(response)
        }
        Err(AppError::SignInRequired | AppError::Stale) => Ok(start_again(&state)),
        Err(AppError::Invalid(errors)) => {
            let enrolment = match two_factor::pending_enrolment(&state, token).await {
                Ok(enrolment) => enrolment,
                Err(AppError::SignInRequired) => return Ok(start_again(&state)),
                Err(other) => return Err(other.into()),
            };
            let errors = super::messages::in_language(errors);
            let status = form_status(&errors);
            let (csrf, csrf_cookie) = anonymous_csrf(&state, &headers);
            let page = enrol_page(Shell::anonymous(), errors, csrf, enrolment, next);
            Ok(with_cookie(render_with(status, &page), csrf_cookie))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "two_factor_account.html")]
struct AccountPage {
    shell: Shell,
    errors: FieldErrors,
    codes_left: i64,
    required: bool,
}

/// One's own second factor: the enrolment page when there is none, else its state and the way
/// to turn it off.
async fn own_page(state: &AppState, caller: &Caller, errors: FieldErrors, refused: Option<StatusCode>) -> PageResult {
    let status = two_factor::own_status(state, caller).await?;
    let shell = Shell::for_caller(state, caller, "/account/two-factor").await?;
    let http_status = refused.unwrap_or_else(|| form_status(&errors));
    if !status.enrolled {
        let Some(enrolment) = two_factor::own_enrolment(state, caller).await? else {
            return Err(AppError::Stale.into());
        };
        let csrf = shell.csrf.clone();
        let page = enrol_page(shell, errors, csrf, enrolment, "/account/two-factor".into());
        return Ok(render_with(http_status, &page));
    }
    let page = AccountPage {
        shell,
        errors,
        codes_left: status.recovery_codes_left,
        required: status.required,
    };
    Ok(render_with(http_status, &page))
}

/// GET /account/two-factor.
pub async fn own(State(state): State<AppState>, caller: Caller) -> PageResult {
    own_page(&state, &caller, FieldErrors::new(), None).await
}

/// POST /account/two-factor: confirms one's own enrolment with a first code.
pub async fn own_confirm(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    match two_factor::confirm_own(&state, &caller, &form.get("code")).await {
        Ok(codes) => {
            let shell = Shell::for_caller(&state, &caller, "/account/two-factor").await?;
            Ok(render(&RecoveryPage {
                shell,
                codes,
                next: "/account/two-factor".into(),
            }))
        }
        Err(AppError::Invalid(errors)) => own_page(&state, &caller, super::messages::in_language(errors), None).await,
        Err(AppError::Stale) => Ok(Redirect::to("/account/two-factor").into_response()),
        Err(other) => Err(other.into()),
    }
}

/// POST /account/two-factor/off: turns one's own second factor off with a current code (not while
/// the organisation requires it).
pub async fn own_off(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    match two_factor::turn_off_own(&state, &caller, &form.get("code")).await {
        Ok(()) => Ok(Redirect::to("/account?done=two-factor-off").into_response()),
        Err(err @ (AppError::Invalid(_) | AppError::TooManyRequests(_) | AppError::Conflict(_))) => {
            let status = err.status();
            let errors = match err {
                AppError::Invalid(errors) => super::messages::in_language(errors),
                other => FieldErrors::single("code", super::error_message(&other)),
            };
            own_page(&state, &caller, errors, Some(status)).await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /users/{id}/two-factor/reset: an administrator resets a colleague's second factor; the
/// person's page says it was done.
pub async fn reset(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let (user, had) = two_factor::reset(&state, &caller, &id).await?;
    let done = if had { "two-factor-reset" } else { "two-factor-none" };
    Ok(Redirect::to(&format!("/users/{}?done={done}", user.id)).into_response())
}

#[derive(askama::Template)]
#[template(path = "settings_sign_in.html")]
struct PolicyPage {
    shell: Shell,
    saved: bool,
    stale: bool,
    required: bool,
    version: i64,
}

/// GET /settings/sign-in (`?done=saved` after a change, `?done=stale` when refused).
pub async fn policy(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let policy = two_factor::policy(&state, &caller).await?;
    let done = query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "done"))
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    Ok(render(&PolicyPage {
        shell: Shell::for_caller(&state, &caller, "/settings/sign-in").await?,
        saved: done == "saved",
        stale: done == "stale",
        required: policy.required,
        version: policy.version,
    }))
}

/// POST /settings/sign-in. A change made by someone else since the page was opened is not
/// overwritten: the page shows the setting as it now is and says so.
pub async fn save_policy(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let wanted = Policy {
        required: form.checked("two_factor_required"),
        version: form.version(),
    };
    match two_factor::set_policy(&state, &caller, wanted).await {
        Ok(()) => Ok(Redirect::to("/settings/sign-in?done=saved").into_response()),
        Err(AppError::Stale) => Ok(Redirect::to("/settings/sign-in?done=stale").into_response()),
        Err(other) => Err(other.into()),
    }
}
