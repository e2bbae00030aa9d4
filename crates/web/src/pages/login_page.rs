//! The sign-in page's form, shared by the password step (`signin`) and the second step
//! (`two_factor`), which shows it again when a pending sign-in has expired: apart from both, so
//! neither imports the other.

use super::{Shell, anonymous_csrf, render, with_cookie};
use crate::AppState;
use crate::i18n;
use axum::http::HeaderMap;
use axum::response::Response;
use familytime_domain::text::FieldErrors;

#[derive(askama::Template)]
#[template(path = "login.html")]
pub(crate) struct LoginPage {
    pub shell: Shell,
    pub errors: FieldErrors,
    pub csrf: String,
    pub email: String,
    pub next: String,
}

/// Only a path on this site may be returned to after sign-in (never another site).
/// Browsers drop tabs and newlines from addresses, so anything but plain visible ASCII is refused too
/// (`/<tab>/evil.example` would otherwise become `//evil.example`).
pub(crate) fn safe_next(next: &str) -> String {
    let plain = next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    let ok = plain && next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/login");
    if ok { next.to_owned() } else { "/home".to_owned() }
}

/// The sign-in page again, saying why: a second step was asked for with no pending sign-in (it
/// expired, was used, or never was). Answered in place, so the address stays what was asked.
pub(crate) fn timed_out(state: &AppState, headers: &HeaderMap, next: String) -> Response {
    let (csrf, cookie) = anonymous_csrf(state, headers);
    let page = LoginPage {
        shell: Shell::anonymous(),
        errors: FieldErrors::single("email", i18n::t("two-factor-expired")),
        csrf,
        email: String::new(),
        next,
    };
    with_cookie(render(&page), cookie)
}
