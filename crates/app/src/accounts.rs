//! Signing in and out, the first-run setup, one's own password and API tokens.

use super::authorize;
use super::people::{NewUserInput, insert_prepared, prepare_user};
use crate::devices;
use crate::secrets::{self, hash_password_blocking, random_token, token_hash, verify_password_blocking};
pub use crate::session_start::SignedIn;
use crate::session_start::start_session;
use crate::two_factor;
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{ApiTokenId, OrganisationId, UserId};
use familytime_domain::people::{Email, NewPassword, Role};
use familytime_domain::ratelimit::ThrottleKey;
use familytime_domain::text::{self, FieldErrors};
use familytime_store::people::User;
use familytime_store::sessions::ApiToken;
use familytime_store::throttle::{AttemptKeys, Reservation};
use familytime_store::two_factor::PendingStep;
use familytime_store::{AuditEvent, AuditScope, Store};

/// Where a right password leads: a session at once, or a second step first (decision 0052).
pub enum SignInStep {
    Done(SignedIn),
    /// The password was right and a second step waits: the secret for the browser's pending
    /// cookie, which step, and the device cookie's new value (the password earned it).
    SecondStep {
        pending: String,
        step: PendingStep,
        device_cookie: String,
    },
}

/// Signs a person in. Failures give one answer whether or not the account exists, after the same
/// password-hashing work; attempts are throttled by the rule in `ratelimit` (per account, per
/// source, per address), which treats an unknown account exactly like a real one. `device_cookie`
/// is the browser's device cookie, if it sent one.
pub async fn sign_in(
    state: &AppState,
    caller: &Caller,
    email: &str,
    password: &str,
    device_cookie: Option<&str>,
) -> Result<SignInStep, AppError> {
    let mut errors = FieldErrors::new();
    if email.trim().is_empty() {
        errors.add("email", "Enter your email address");
    }
    if password.is_empty() {
        errors.add("password", "Enter your password");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = state.clock.now();
    let credentials = match Email::parse(email) {
        Ok(email) => state.store.credentials(&email).await?,
        Err(_) => None,
    };
    let device = match (&credentials, device_cookie) {
        (Some(c), Some(cookie)) => devices::known_device(state, cookie, c.user_id).await?,
        _ => None,
    };
    let stored_hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let account_ids = credentials.as_ref().map(|c| (c.organisation_id, c.user_id));
    let attempt = check_password(state, caller, email, password, stored_hash, device, account_ids).await?;
    match credentials {
        Some(c) if attempt.matches && !c.disabled => {
            state.store.release_sign_in_attempt(attempt.reserved).await?;
            state
                .store
                .remember_sign_in_address(&attempt.keys.account_address, &state.config.sign_in_throttle, now)
                .await?;
            let device_cookie = devices::after_sign_in(state, device_cookie, c.user_id).await?;
            let user = state.store.user(c.organisation_id, c.user_id).await?;
            if let Some(step) = two_factor::second_step_for(state, &user).await? {
                let pending = two_factor::start_pending(state, &user, step).await?;
                return Ok(SignInStep::SecondStep {
                    pending,
                    step,
                    device_cookie,
                });
            }
            let mut signed_in = start_session(state, caller, now, user).await?;
            signed_in.device_cookie = Some(device_cookie);
            Ok(SignInStep::Done(signed_in))
        }
        known => {
            let scope = AuditScope {
                organisation_id: known.as_ref().map(|c| c.organisation_id),
                ..caller.scope(now)
            };
            let object = known.as_ref().map(|c| c.user_id.to_string());
            state
                .store
                .audit(&scope, AuditEvent::denied("sign_in.failed", "user", object))
                .await?;
            Err(AppError::BadCredentials)
        }
    }
}

/// A password check under the sign-in throttle: whether it matched, the attempt it reserved (which
/// stays counted as a failure unless the caller releases it) and the keys it was counted under.
struct Attempt {
    matches: bool,
    reserved: i64,
    keys: AttemptKeys,
}

/// The hashed keys an attempt on `account` (as typed) from the caller is counted under.
pub(crate) fn attempt_keys(caller: &Caller, account: &str, device: Option<&str>) -> AttemptKeys {
    let account = account.trim().to_lowercase();
    let hashed = |key: ThrottleKey| token_hash(&key.material());
    AttemptKeys {
        account: hashed(ThrottleKey::Account(account.clone())),
        address: hashed(ThrottleKey::client_address(&caller.client_addr)),
        account_address: hashed(ThrottleKey::account_address(&account, &caller.client_addr)),
        account_device: device.map(|device| {
            hashed(ThrottleKey::AccountDevice {
                account: account.clone(),
                device: device.to_owned(),
            })
        }),
    }
}

/// Checks a password against a stored hash (or, for an unknown account, a dummy hash, so both take
/// the same time), reserving the attempt under the throttle first. A refused attempt checks
/// nothing and is answered 429 alike for every account, real or not, with an honest wait.
/// `known` is the account's organisation and id when it exists (for the audit entry only).
async fn check_password(
    state: &AppState,
    caller: &Caller,
    account: &str,
    password: &str,
    stored_hash: Option<String>,
    device: Option<String>,
    known: Option<(OrganisationId, UserId)>,
) -> Result<Attempt, AppError> {
    let now = state.clock.now();
    let rule = state.config.sign_in_throttle;
    let keys = attempt_keys(caller, account, device.as_deref());
    let reserved = match state.store.reserve_sign_in_attempt(&keys, &rule, now).await? {
        Reservation::Reserved(id) => id,
        Reservation::Refused(wait) => {
            let scope = AuditScope {
                organisation_id: known.map(|(org, _)| org),
                ..caller.scope(now)
            };
            state
                .store
                .audit(
                    &scope,
                    AuditEvent::denied("sign_in.throttled", "user", known.map(|(_, user)| user.to_string())),
                )
                .await?;
            // Whole minutes, rounded up, so that waiting as long as it says is always enough.
            let minutes = (wait.as_secs() + 59) / 60;
            return Err(AppError::TooManyRequests(format!(
                "Too many failed attempts to sign in. Wait {} and try again, or sign in from a device you have used before.",
                if minutes <= 1 {
                    "a minute".to_owned()
                } else {
                    format!("{minutes} minutes")
                }
            )));
        }
    };
    let stored_hash = stored_hash.unwrap_or_else(|| state.dummy_password_hash.as_str().to_owned());
    let matches = verify_password_blocking(password.to_owned(), stored_hash).await;
    Ok(Attempt {
        matches,
        reserved,
        keys,
    })
}

/// Ends the caller's session at once (the cookie stops working even if kept).
pub async fn sign_out(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    let user = caller.user()?;
    if let Some(session) = caller.session_id() {
        let now = state.clock.now();
        state
            .store
            .end_session(now, user.organisation_id, session, Some(&caller.scope(now)))
            .await?;
    }
    Ok(())
}

/// On an empty database, makes a new one-time setup token (replacing any earlier one) and returns
/// it; `None` once an organisation exists.
pub async fn issue_setup_token(store: &Store, now: Timestamp) -> Result<Option<String>, AppError> {
    if store.has_organisations().await? {
        return Ok(None);
    }
    let token = random_token();
    store.replace_setup_token(&token_hash(&token), now).await?;
    Ok(Some(token))
}

pub async fn setup_usable(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(state.store.setup_token_usable(&token_hash(token)).await?)
}

/// The first-run setup form.
#[derive(Debug, Default, Clone)]
pub struct SetupInput {
    pub organisation_name: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub password_confirmation: String,
}

/// Creates the first organisation and its administrator, using up the setup token, and signs the
/// administrator in. The token works once, even when two requests race.
pub async fn complete_setup(
    state: &AppState,
    caller: &Caller,
    token: &str,
    input: &SetupInput,
) -> Result<SignedIn, AppError> {
    if !setup_usable(state, token).await? {
        return Err(AppError::NotFound);
    }
    let mut errors = FieldErrors::new();
    let org_name = errors.take(
        "organisation_name",
        text::required("your organisation's name", &input.organisation_name, 120),
    );
    if input.password != input.password_confirmation {
        errors.add("password_confirmation", "The passwords do not match");
    }
    let new = NewUserInput {
        email: input.email.clone(),
        name: input.name.clone(),
        role: Role::OrganisationAdmin.as_str().into(),
        password: input.password.clone(),
        centre_ids: Vec::new(),
    };
    let prepared = prepare_user(&new, errors).await?;
    let Some(org_name) = org_name else {
        return Err(AppError::Internal("setup form checked"));
    };
    let now = state.clock.now();
    let scope = caller.scope(now);
    let mut tx = state.store.begin().await?;
    if !tx.consume_setup_token(&token_hash(token), now).await? {
        return Err(AppError::NotFound);
    }
    let org = tx.insert_organisation(&scope, &org_name).await?;
    let scope = AuditScope {
        organisation_id: Some(org),
        ..scope
    };
    let admin_id = insert_prepared(&mut tx, &scope, org, &prepared).await?;
    tx.commit().await?;
    let admin = state.store.user(org, admin_id).await?;
    tracing::info!("first-run setup completed");
    start_session(state, caller, now, admin).await
}

/// The caller's own account, once `authz` agrees they may use it.
async fn own_account(state: &AppState, caller: &Caller) -> Result<User, AppError> {
    let user = caller.user()?.clone();
    authorize(
        state,
        caller,
        Action::UseOwnAccount,
        Object::User {
            organisation: user.organisation_id,
            user: user.id,
        },
    )
    .await?;
    Ok(user)
}

/// Changes the caller's own password; their other sessions end.
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    current: &str,
    new: &str,
    confirmation: &str,
) -> Result<(), AppError> {
    let user = own_account(state, caller).await?;
    let mut errors = FieldErrors::new();
    let email = Email::parse(&user.email).map_err(|_| AppError::Internal("stored email"))?;
    let stored = state.store.credentials(&email).await?.map(|c| c.password_hash);
    // Guessing the current password from a stolen session is held to the sign-in limits.
    let known = Some((user.organisation_id, user.id));
    let attempt = check_password(state, caller, &user.email, current, stored, None, known).await?;
    if attempt.matches {
        state.store.release_sign_in_attempt(attempt.reserved).await?;
    } else {
        errors.add("current_password", "Your current password is not right");
    }
    let password = errors.take("new_password", NewPassword::parse(new, &[&user.email, &user.name]));
    if new != confirmation {
        errors.add("password_confirmation", "The new passwords do not match");
    }
    let Some(password) = password else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hash = hash_password_blocking(password.expose().to_owned()).await?;
    let scope = caller.scope(state.clock.now());
    Ok(state
        .store
        .set_password(&scope, user.organisation_id, user.id, &hash, caller.session_id())
        .await?)
}

/// Makes a personal API token; the secret is returned once and never stored.
pub async fn create_api_token(state: &AppState, caller: &Caller, name: &str) -> Result<(ApiTokenId, String), AppError> {
    let user = own_account(state, caller).await?;
    issue_api_token(&state.store, &caller.scope(state.clock.now()), &user, name).await
}

/// Makes a personal API token for `user` (also used by `familytime users token`).
pub async fn issue_api_token(
    store: &Store,
    scope: &AuditScope,
    user: &User,
    name: &str,
) -> Result<(ApiTokenId, String), AppError> {
    let name = text::required("a name for the token", name, 100)
        .map_err(|m| AppError::Invalid(FieldErrors::single("name", m)))?;
    let secret = format!("ft_{}", secrets::random_token());
    let id = store.create_api_token(scope, user, &name, &token_hash(&secret)).await?;
    Ok((id, secret))
}

pub async fn list_api_tokens(state: &AppState, caller: &Caller) -> Result<Vec<ApiToken>, AppError> {
    Ok(state.store.api_tokens(caller.user()?).await?)
}

pub async fn revoke_api_token(state: &AppState, caller: &Caller, id: &str) -> Result<(), AppError> {
    let id = super::parse_id(id, ApiTokenId::parse)?;
    Ok(state
        .store
        .revoke_api_token(&caller.scope(state.clock.now()), caller.user()?, id)
        .await?)
}
