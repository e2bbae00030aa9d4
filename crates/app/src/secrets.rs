//! Secrets: random tokens (sessions, CSRF, API tokens, setup links), their stored hashes, password
//! hashing with argon2id, and comparison that takes the same time whatever matches.

use crate::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// 256 random bits from the operating system, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing is not recoverable; refusing to make a weak token is right.
    getrandom::getrandom(&mut bytes).unwrap_or_else(|_| std::process::abort());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored in place of a token: its SHA-256 (tokens are random, so no salt is needed).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time that depends only on their lengths.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

type HmacSha256 = hmac::Hmac<sha2_for_hmac::Sha256>;

/// HMAC-SHA256 of `message` under `key`, URL-safe: signs what the server hands out and must get
/// back unchanged (the device cookie).
pub fn mac(key: &[u8], message: &str) -> String {
    use hmac::{KeyInit, Mac};
    // HMAC takes a key of any length, so this cannot fail; an empty tag would never verify.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return String::new();
    };
    mac.update(message.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Whether `tag` is `mac(key, message)`, compared in constant time.
pub fn mac_matches(key: &[u8], message: &str, tag: &str) -> bool {
    use hmac::{KeyInit, Mac};
    let (Ok(tag), Ok(mut mac)) = (URL_SAFE_NO_PAD.decode(tag), HmacSha256::new_from_slice(key)) else {
        return false;
    };
    mac.update(message.as_bytes());
    mac.verify_slice(&tag).is_ok()
}

/// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AppError::Internal("password hashing failed"))
}

/// Whether the password matches the stored hash. A malformed stored hash never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// At most this many password hashes are computed at once (19 MiB each): a burst of sign-ins waits
/// its turn instead of exhausting memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Runs the (deliberately slow) hashing off the async threads.
pub async fn hash_password_blocking(password: String) -> Result<String, AppError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|_| AppError::Internal("hashing closed"))?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::Internal("password hashing task failed"))?
}

pub async fn verify_password_blocking(password: String, stored: String) -> bool {
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = random_token();
        assert_eq!(a.len(), 43, "32 bytes in unpadded base64");
        assert_ne!(a, random_token());
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("lantern orchard pebble").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("lantern orchard pebble", &hash));
        assert!(!verify_password("lantern orchard pebbles", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn macs_match_rfc_4231_and_only_their_own_message_and_key() {
        // RFC 4231, test case 2.
        let tag = mac(b"Jefe", "what do ya want for nothing?");
        assert_eq!(
            hex::encode(URL_SAFE_NO_PAD.decode(&tag).unwrap()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(mac_matches(b"Jefe", "what do ya want for nothing?", &tag));
        assert!(!mac_matches(b"Jefe", "what do ya want for nothing!", &tag));
        assert!(!mac_matches(b"jefe", "what do ya want for nothing?", &tag));
        assert!(!mac_matches(
            b"Jefe",
            "what do ya want for nothing?",
            "not base64 at all!"
        ));
        assert!(!mac_matches(b"Jefe", "what do ya want for nothing?", ""));
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
