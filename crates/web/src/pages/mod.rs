//! The HTML pages: the page shell every page shares, form reading, error pages, and the handlers
//! (one module per feature). Pages work without JavaScript; forms show an error summary.

pub mod account;
pub mod account_links;
pub mod agreements;
pub mod audit;
pub mod billing;
pub mod booking_rules;
pub mod confidential;
pub mod guide;
pub mod incidents;
pub mod interpreters;
pub mod languages;
pub mod login_page;
pub mod mail;
pub mod mail_prefs;
pub mod mail_preview;
pub mod messages;
pub mod orders;
pub mod paging;
pub mod people;
pub mod public;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod reviews;
pub mod schedule;
pub mod scheduled_backups;
pub mod signin;
pub mod tenancy;
pub mod two_factor;
pub mod words;

use crate::context::Caller;
use crate::cookies::{CSRF_COOKIE, cookie, set_cookie};
use crate::error::HttpStatus;
use crate::i18n::{self, Lang};
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
    pub label: String,
    pub current: bool,
}

/// What the layout needs: who is signed in, their menu, the token their forms carry, and the
/// language the page is written in (chosen once per request by `middleware::language`), with the
/// words of the catalogues in that language (`shell.t("key")` in every template).
pub struct Shell {
    pub signed_in: bool,
    pub user_name: String,
    pub role_label: String,
    pub organisation_name: String,
    pub csrf: String,
    pub nav: Vec<NavLink>,
    pub lang: Lang,
    /// This page in the other language.
    pub switch_href: String,
}

impl Shell {
    /// For people who are not signed in.
    pub fn anonymous() -> Shell {
        let chosen = i18n::chosen();
        Shell {
            signed_in: false,
            user_name: String::new(),
            role_label: String::new(),
            organisation_name: String::new(),
            csrf: String::new(),
            nav: Vec::new(),
            lang: chosen.lang,
            switch_href: chosen.switch_href,
        }
    }

    /// A message from the catalogues in the page's language.
    pub fn t(&self, key: impl AsRef<str>) -> String {
        i18n::message(self.lang, key.as_ref(), None)
    }

    /// A message whose key is made of a prefix and a stable name (`"price"`, `"referral_fee"`).
    pub fn tk(&self, prefix: &str, name: &str) -> String {
        self.t(format!("{prefix}-{name}"))
    }

    /// A message with one number in it (`$count`, `$number`), which may choose a plural form.
    pub fn t_n(&self, key: &str, name: &str, value: impl Count) -> String {
        let args = i18n::args([(name, value.count().into())]);
        i18n::message(self.lang, key, Some(&args))
    }

    /// A message with one piece of text in it (a centre's name), never translated itself.
    pub fn t_s(&self, key: &str, name: &str, value: impl AsRef<str>) -> String {
        let args = i18n::args([(name, value.as_ref().into())]);
        i18n::message(self.lang, key, Some(&args))
    }

    /// `<html lang>`.
    pub fn html_lang(&self) -> &'static str {
        self.lang.html_lang()
    }

    /// The other language, for the language link (its name in itself, and its code).
    pub fn other_lang(&self) -> Lang {
        self.lang.other()
    }

    /// "Signed in as …", with the person's and the organisation's names as they were typed.
    pub fn signed_in_as(&self) -> String {
        let args = i18n::args([
            ("name", self.user_name.as_str().into()),
            ("role", self.role_label.as_str().into()),
            ("organisation", self.organisation_name.as_str().into()),
        ]);
        i18n::message(self.lang, "signed-in-as", Some(&args))
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
        let chosen = i18n::chosen();
        let nav = NAV
            .into_iter()
            .filter(|(_, _, action)| may(*action))
            .map(|(href, key, _)| NavLink {
                href,
                label: i18n::message(chosen.lang, key, None),
                current: href == current,
            })
            .collect();
        Ok(Shell {
            signed_in: true,
            user_name: user.name.clone(),
            role_label: i18n::message(chosen.lang, &format!("role-{}", user.role.as_str()), None),
            organisation_name: organisation.name,
            csrf: caller.csrf_token().unwrap_or_default().to_owned(),
            nav,
            lang: chosen.lang,
            switch_href: chosen.switch_href,
        })
    }
}

/// A number a template hands to a message, however deeply the template's loop borrowed it.
pub trait Count: Copy {
    fn count(self) -> i64;
}

impl Count for usize {
    fn count(self) -> i64 {
        i64::try_from(self).unwrap_or(i64::MAX)
    }
}

impl Count for i64 {
    fn count(self) -> i64 {
        self
    }
}

impl Count for u8 {
    fn count(self) -> i64 {
        i64::from(self)
    }
}

impl<T: Count> Count for &T {
    fn count(self) -> i64 {
        (*self).count()
    }
}

/// The main menu: where each item goes, the catalogue key of its words, and what it needs.
const NAV: [(&str, &str, Action); 14] = [
    ("/home", "nav-home", Action::UseOwnAccount),
    ("/cases", "nav-cases", Action::ViewCases),
    ("/today", "nav-calendar", Action::ViewSchedule),
    ("/referrals", "nav-your-referrals", Action::ViewOwnReferrals),
    ("/my-account", "nav-bookings-payments", Action::ViewOwnAccount),
    ("/my-reports", "nav-reports-for-you", Action::ViewReleasedReports),
    ("/billing", "nav-money", Action::ManageBilling),
    ("/centres", "nav-centres", Action::ViewCentres),
    ("/users", "nav-people", Action::ViewUsers),
    ("/audit", "nav-audit-log", Action::ViewAuditLog),
    ("/outbox", "nav-outbox", Action::ViewOutbox),
    ("/print-queue", "nav-print-queue", Action::ManagePrintQueue),
    ("/break-glass", "nav-break-glass", Action::ViewBreakGlass),
    ("/account", "nav-your-account", Action::UseOwnAccount),
];

/// The catalogue keys this module makes rather than a template naming them literally (the menu,
/// the roles, the error page, the account page's notices), so that the `welsh` tests can check each
/// is in every catalogue (`guide`, `signin`, `words`, `referrals::refer` and `paging` each have a
/// `catalogue_keys` of their own, called by the tests, not from here, so no module imports another
/// that imports it).
pub fn catalogue_keys() -> Vec<String> {
    let mut keys: Vec<String> = NAV.iter().map(|(_, key, _)| (*key).to_owned()).collect();
    keys.extend(Role::ALL.iter().map(|r| format!("role-{}", r.as_str())));
    keys.extend(ERROR_KEYS.iter().map(|k| (*k).to_owned()));
    keys.extend(ACCOUNT_KEYS.iter().map(|k| (*k).to_owned()));
    keys
}

/// The account page's keys named by code: its notices, and each language's words.
const ACCOUNT_KEYS: [&str; 10] = [
    "account-password-changed",
    "account-reminders-saved-off",
    "account-reminders-saved-on",
    "account-language-saved",
    "account-language-now-cy",
    "account-language-now-en",
    "account-language-default-cy",
    "account-language-default-en",
    "account-language-cy",
    "account-language-en",
];

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
    heading: String,
    message: String,
}

/// The error page's headings and the messages of the errors that carry no words of their own.
const ERROR_KEYS: [&str; 14] = [
    "error-heading-not-found",
    "error-heading-forbidden",
    "error-heading-sign-in",
    "error-heading-too-many",
    "error-heading-server",
    "error-heading-other",
    "error-sign-in",
    "error-forbidden",
    "error-bad-credentials",
    "error-not-found",
    "error-stale",
    "error-too-large",
    "error-unavailable",
    "error-internal",
];

/// An error's message in the page's language. Errors that carry their own words (a refusal the
/// application explained) are shown in those words, English for now.
pub fn error_message(err: &AppError) -> String {
    let key = match err {
        AppError::SignInRequired => "error-sign-in",
        AppError::Forbidden => "error-forbidden",
        AppError::BadCredentials => "error-bad-credentials",
        AppError::NotFound => "error-not-found",
        AppError::Stale => "error-stale",
        AppError::PayloadTooLarge => "error-too-large",
        AppError::Unavailable => "error-unavailable",
        AppError::Internal(_) => "error-internal",
        _ => return err.message(),
    };
    i18n::t(key)
}

/// The page for an error (shown without the menu: it is also used before sign-in is known).
pub fn error_page(err: AppError) -> Response {
    if let AppError::Internal(what) = &err {
        tracing::error!(error = *what, "internal error");
    }
    let heading = match err.status() {
        StatusCode::NOT_FOUND => "error-heading-not-found",
        StatusCode::FORBIDDEN => "error-heading-forbidden",
        StatusCode::UNAUTHORIZED => "error-heading-sign-in",
        StatusCode::TOO_MANY_REQUESTS => "error-heading-too-many",
        s if s.is_server_error() => "error-heading-server",
        _ => "error-heading-other",
    };
    render_with(
        err.status(),
        &ErrorPage {
            shell: Shell::anonymous(),
            heading: i18n::t(heading),
            message: error_message(&err),
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
