//! The device cookie's `Set-Cookie` header; the signed value itself is made and checked by the app
//! crate's `devices` (decision 0023).

use familytime_app::AppState;
use familytime_app::devices::{DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECS};

/// The `Set-Cookie` for the device cookie: long-lived and, like the session cookie, `HttpOnly`,
/// `SameSite` and `Secure` behind TLS.
pub(crate) fn device_cookie(state: &AppState, value: &str) -> axum::http::HeaderValue {
    crate::cookies::set_cookie(state, DEVICE_COOKIE, value, DEVICE_COOKIE_MAX_AGE_SECS)
}
