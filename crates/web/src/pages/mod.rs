//! The HTML pages: the page shell every page shares, form reading, error pages, and the handlers
//! (one module per feature). Pages work without JavaScript; forms show an error summary.

pub mod account;
pub mod audit;
pub mod billing;
pub mod confidential;
pub mod guide;
pub mod incidents;
pub mod paging;
pub mod people;
pub mod public;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod reviews;
pub mod schedule;
pub mod signin;
pub mod tenancy;

use crate::context::Caller;
use crate::cookies::{CSRF_COOKIE, cookie, set_cookie};
use crate::error::HttpStatus;
use crate::{AppError, AppState};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use familytime_domain::authz::{self, Action, Object};
use familytime_domain::people::Role;

/// A link in the main menu.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What the layout needs: who is signed in, their menu and the token their forms carry.
pub struct Shell {
    pub signed_in: bool,
    pub user_name: String,
    pub role_label: &'static str,
    pub organisation_name: String,
    pub csrf: String,
    pub nav: Vec<NavLink>,
}

impl Shell {
    /// For people who are not signed in.
    pub fn anonymous() -> Shell {
        Shell {
            signed_in: false,
            user_name: String::new(),
            role_label: "",
            organisation_name: String::new(),
            csrf: String::new(),
            nav: Vec::new(),
        }
    }

    /// The shell for the caller, with `current` marking where they are in the menu. The menu only
    /// offers what `authz` allows the caller.
    pub async fn for_caller(state: &AppState, caller: &Caller, current: &str) -> Result<Shell, AppError> {
        let Some(user) = &caller.user else {
            return Ok(Shell::anonymous());
        };
        let organisation = state.store.organisation(user.organisation_id).await?;
        let actor = user.actor();
        let may = |action| {
            authz::authorize(Some(&actor), action, &Object::Organisation(user.organisation_id))
                == authz::Decision::Allow
        };
        let candidates: [(&'static str, &'static str, Action); 12] = [
            ("/home", "Home", Action::UseOwnAccount),
            ("/cases", "Cases", Action::ViewCases),
            ("/today", "Calendar", Action::ViewSchedule),
            ("/referrals", "Your referrals", Action::ViewOwnReferrals),
            ("/my-account", "Bookings and payments", Action::ViewOwnAccount),
            ("/my-reports", "Reports for you", Action::ViewReleasedReports),
            ("/billing", "Money", Action::ManageBilling),
            ("/centres", "Centres", Action::ViewCentres),
            ("/users", "People", Action::ViewUsers),
            ("/audit", "Audit log", Action::ViewAuditLog),
            ("/break-glass", "Reasons to see hidden details", Action::ViewBreakGlass),
            ("/account", "Your account", Action::UseOwnAccount),
        ];
        let nav = candidates
            .into_iter()
            .filter(|(_, _, action)| may(*action))
            .map(|(href, label, _)| NavLink {
                href,
                label,
                current: href == current,
            })
            .collect();
        Ok(Shell {
            signed_in: true,
            user_name: user.name.clone(),
            role_label: user.role.label(),
            organisation_name: organisation.name,
            csrf: caller.csrf_token().unwrap_or_default().to_owned(),
            nav,
        })
    }
}

/// Whether the caller's role may take `action` in their own organisation (for offering a form or a
/// link; the application checks the real object again when it is used).
pub fn may(caller: &Caller, action: Action) -> bool {
    caller
        .user
        .as_ref()
        .is_some_and(|user| familytime_app::may(caller, action, &Object::Organisation(user.organisation_id)))
}

/// How a refused change is shown again on its own page: problems with the fields beside them (422);
/// a stale write or a conflict as one message at `field` (409), with the page as it is now. Returns
/// the errors, the status and whether to keep what was typed (not after a conflict: it was refused
/// as a whole). Any other error is not for the page.
pub fn refusal(
    err: AppError,
    field: &'static str,
) -> Result<(familytime_domain::text::FieldErrors, StatusCode, bool), AppError> {
    use familytime_domain::text::FieldErrors;
    match err {
        AppError::Invalid(errors) => {
            let status = form_status(&errors);
            Ok((errors, status, true))
        }
        err @ AppError::Stale => Ok((
            FieldErrors::single(
                field,
                format!("{} Nothing was saved; the page shows it as it is now.", err.message()),
            ),
            StatusCode::CONFLICT,
            true,
        )),
        AppError::Conflict(message) => Ok((FieldErrors::single(field, message), StatusCode::CONFLICT, false)),
        other => Err(other),
    }
}

/// Renders a template as a page with the given status.
pub fn render_with(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => {
            tracing::error!("template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!DOCTYPE html><title>Error</title><p>Something went wrong.</p>"),
            )
                .into_response()
        }
    }
}

pub fn render(template: &impl Template) -> Response {
    render_with(StatusCode::OK, template)
}

/// Status for a re-shown form: 422 when it had errors.
pub fn form_status(errors: &familytime_domain::text::FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    shell: Shell,
    heading: &'static str,
    message: String,
}

/// The page for an error (shown without the menu: it is also used before sign-in is known).
pub fn error_page(err: AppError) -> Response {
    if let AppError::Internal(what) = &err {
        tracing::error!(error = *what, "internal error");
    }
    let heading = match err.status() {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::FORBIDDEN => "You cannot see this page",
        StatusCode::UNAUTHORIZED => "Sign in to continue",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        s if s.is_server_error() => "Sorry, there is a problem with the service",
        _ => "There is a problem",
    };
    render_with(
        err.status(),
        &ErrorPage {
            shell: Shell::anonymous(),
            heading,
            message: err.message(),
        },
    )
}

/// A page handler's error: shown as an error page.
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(err: E) -> Self {
        PageError(err.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.0)
    }
}

pub type PageResult = Result<Response, PageError>;

/// A submitted HTML form, read leniently: a missing field is an empty string, so that every problem
/// is reported by the same validation as the API, in words, rather than as a parse failure.
#[derive(Clone)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    /// A form not yet filled in.
    pub fn empty() -> Self {
        FormData(Vec::new())
    }
    /// A form filled in with what is stored, for editing.
    pub fn from_pairs(pairs: Vec<(&str, String)>) -> Self {
        FormData(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
    /// The record version a form was opened at; junk counts as stale.
    pub fn version(&self) -> i64 {
        self.get("version").trim().parse().unwrap_or(-1)
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| PageError(AppError::PayloadTooLarge))?;
        Ok(FormData(form_urlencoded::parse(&bytes).into_owned().collect()))
    }
}

/// The CSRF token for a form shown before sign-in: the one already in the browser's cookie, or a
/// new one with the cookie to set.
pub fn anonymous_csrf(state: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match cookie(headers, CSRF_COOKIE) {
        Some(token) if token.len() >= 32 && token.len() <= 64 => (token.to_owned(), None),
        _ => {
            let token = familytime_app::secrets::random_token();
            let cookie = set_cookie(state, CSRF_COOKIE, &token, 60 * 60 * 12);
            (token, Some(cookie))
        }
    }
}

/// Adds a `Set-Cookie` header to a response when there is one.
pub fn with_cookie(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The home page's welcome, by role.
pub fn role_intro(role: Role) -> &'static str {
    match role {
        Role::OrganisationAdmin => "You manage your organisation's centres, rooms and the people who use familytime.",
        Role::Coordinator => "You run your centres: referrals, families, the week's sessions and reports.",
        Role::Supervisor => "You supervise contact and write the observation records for your sessions.",
        Role::Volunteer => "You help at supported sessions: attendance, and raising any safeguarding concern.",
        Role::SafeguardingLead => "You decide on safeguarding concerns raised by staff and volunteers.",
        Role::Referrer => "You refer families and follow your own referrals and the reports released to you.",
        Role::Parent => "You can see your own bookings, what you owe, and reports released to you.",
    }
}
