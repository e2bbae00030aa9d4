//! Cookies: reading one from a request and writing a `Set-Cookie` with the flags every cookie of
//! ours carries. Used by the middleware (session, CSRF, language) and the pages and API that sign in and out,
//! so neither needs the other for them.

use crate::AppState;
use axum::http::header::{self, HeaderMap, HeaderValue};

pub const SESSION_COOKIE: &str = "ft_session";
pub const CSRF_COOKIE: &str = "ft_csrf";
/// The language a visitor chose with `?lang=` (decision 0039).
pub const LANGUAGE_COOKIE: &str = "ft_lang";

/// Reads one cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value: always `HttpOnly`, `SameSite=Lax`, path `/`; `Secure` behind TLS.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if state.config.behind_tls_proxy { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}
