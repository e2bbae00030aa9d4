//! The device cookie (decision 0023): after a good sign-in the browser is given a long-lived cookie
//! that names the account and a random device id, signed with the server's key, so that a later
//! sign-in from that browser is held only to its own failures and never locked out by an attack
//! from elsewhere. One browser shared by colleagues keeps an entry for each of its recent accounts.

use crate::secrets::{mac, mac_matches, random_token};
use crate::{AppError, AppState};
use familytime_domain::ids::UserId;

pub const DEVICE_COOKIE: &str = "ft_device";
/// How long a browser stays a known device without signing in again (browsers cap cookies at 400
/// days).
pub const DEVICE_COOKIE_MAX_AGE_SECS: i64 = 365 * 24 * 60 * 60;
/// Accounts remembered by one browser; the oldest is dropped first.
const ENTRIES_PER_BROWSER: usize = 5;
const KEY_NAME: &str = "device-cookie";

/// One signed entry: (account, device id, tag). The separators are not in any part's alphabet
/// (hyphenated UUIDs and URL-safe base64).
fn entries(value: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    value.split('~').filter_map(|entry| {
        let mut parts = entry.split('.');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(user), Some(device), Some(tag), None) => Some((user, device, tag)),
            _ => None,
        }
    })
}

fn message(user: &str, device: &str) -> String {
    format!("device\n{user}\n{device}")
}

/// The server's signing key, read (or made, the first time) once per process.
async fn key(state: &AppState) -> Result<&[u8], AppError> {
    if let Some(key) = state.device_key.get() {
        return Ok(key.as_bytes());
    }
    let stored = state
        .store
        .server_key(KEY_NAME, &random_token(), state.clock.now())
        .await?;
    Ok(state.device_key.get_or_init(|| stored).as_bytes())
}

/// The device id this cookie holds for the account, if its entry's signature is good.
pub async fn known_device(state: &AppState, cookie: &str, user: UserId) -> Result<Option<String>, AppError> {
    let key = key(state).await?;
    let user = user.to_string();
    Ok(entries(cookie)
        .find(|(u, device, tag)| *u == user && mac_matches(key, &message(u, device), tag))
        .map(|(_, device, _)| device.to_owned()))
}

/// The cookie's new value after `user` signed in from this browser: their entry first (keeping its
/// device id when it had a good one), then the browser's other good entries, newest first.
pub async fn after_sign_in(state: &AppState, cookie: Option<&str>, user: UserId) -> Result<String, AppError> {
    let key = key(state).await?;
    let user = user.to_string();
    let cookie = cookie.unwrap_or("");
    let good: Vec<(&str, &str, &str)> = entries(cookie)
        .filter(|(u, device, tag)| mac_matches(key, &message(u, device), tag))
        .collect();
    let device = good
        .iter()
        .find(|(u, _, _)| *u == user)
        .map(|(_, d, _)| (*d).to_owned())
        .unwrap_or_else(|| random_token()[..22].to_owned());
    let mut value = vec![format!("{user}.{device}.{}", mac(key, &message(&user, &device)))];
    value.extend(
        good.iter()
            .filter(|(u, _, _)| *u != user)
            .take(ENTRIES_PER_BROWSER - 1)
            .map(|(u, d, t)| format!("{u}.{d}.{t}")),
    );
    Ok(value.join("~"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_need_exactly_three_parts() {
        let parsed: Vec<_> = entries("a.b.c~a.b~a.b.c.d~x.y.z").collect();
        assert_eq!(parsed, vec![("a", "b", "c"), ("x", "y", "z")]);
    }
}
