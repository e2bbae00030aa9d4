//! Two-factor sign-in (issue 18 item 4, decision 0052): enrolling a TOTP authenticator (from one's
//! account page, or straight after the password when the organisation's policy requires it), the
//! sign-in's second step with a code or a recovery code, turning it off, an administrator's reset,
//! and the policy itself. Codes are checked with `totp-rs` at the injected clock's time; each time
//! step is accepted once; wrong codes are throttled like wrong passwords, under their own keys.

use super::{authorize, found, parse_id};
use crate::secrets::{random_token, token_hash};
use crate::session_start::{SignedIn, start_session};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{OrganisationId, UserId};
use familytime_domain::ratelimit::ThrottleKey;
use familytime_domain::text::FieldErrors;
use familytime_domain::two_factor::{self as rules, SecondFactor};
use familytime_store::people::User;
use familytime_store::throttle::{AttemptKeys, Reservation};
use familytime_store::two_factor::{PendingSignIn, PendingStep};
use familytime_store::{AuditEvent, AuditScope};

/// The name authenticator apps show beside the code.
const ISSUER: &str = "familytime";

/// What a person needs to add familytime to an authenticator app: the secret as text (for typing
/// in) and as a QR code of its `otpauth://` link (SVG).
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret: String,
    pub qr_svg: String,
}

/// One's own second factor as the account page shows it.
#[derive(Debug, Clone)]
pub struct Status {
    pub enrolled: bool,
    pub recovery_codes_left: i64,
    /// The organisation's policy requires it of this person (so it cannot be turned off).
    pub required: bool,
}

/// The organisation's policy, with its version when read.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub required: bool,
    pub version: i64,
}

fn totp(secret: &str, account: &str) -> Result<totp_rs::Totp, AppError> {
    let secret = totp_rs::Secret::try_from_base32(secret).map_err(|_| AppError::Internal("stored TOTP secret"))?;
    // An e-mail address has no colon, but a label with one would be refused: fall back to none.
    let account = if account.contains(':') { "" } else { account };
    totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(rules::DIGITS as u8)
        .with_skew(rules::SKEW)
        .with_step_duration(rules::STEP_SECONDS)
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|_| AppError::Internal("TOTP parameters"))
}

/// Seconds since 1970 at `now` (the injected clock's), as TOTP counts them.
fn unix_seconds(now: Timestamp) -> u64 {
    u64::try_from(now.as_second()).unwrap_or(0)
}

/// 160 random bits, base32 (RFC 4226's recommended length).
fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    getrandom::getrandom(&mut bytes).unwrap_or_else(|_| std::process::abort());
    totp_rs::Secret::new_stack(bytes).to_base32()
}

/// A recovery code: 80 random bits as 16 lower-case base32 characters.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut bytes = [0u8; 10];
    getrandom::getrandom(&mut bytes).unwrap_or_else(|_| std::process::abort());
    let bits = bytes.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    (0..rules::RECOVERY_CODE_CHARS)
        .rev()
        .map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 31) as usize]))
        .collect()
}

fn enrolment_of(secret: &str, account: &str) -> Result<Enrolment, AppError> {
    let url = totp(secret, account)?
        .to_url()
        .map_err(|_| AppError::Internal("TOTP link"))?;
    let qr = qrcode::QrCode::new(url.as_bytes()).map_err(|_| AppError::Internal("QR code"))?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    // Inline in the page: the XML declaration belongs to a file, not to HTML.
    let svg = svg
        .strip_prefix(r#"<?xml version="1.0" standalone="yes"?>"#)
        .unwrap_or(&svg)
        .to_owned();
    Ok(Enrolment {
        secret: secret.to_owned(),
        qr_svg: svg,
    })
}

/// Starts (or goes on with) enrolment for `user`: the secret is made once and kept until the
/// first code confirms it. None when the person is enrolled already (the secret is never shown
/// again).
async fn enrolment_for(state: &AppState, user: &User) -> Result<Option<Enrolment>, AppError> {
    let now = state.clock.now();
    state
        .store
        .start_two_factor(user.organisation_id, user.id, &new_secret(), now)
        .await?;
    match state.store.two_factor(user.organisation_id, user.id).await? {
        Some(factor) if !factor.confirmed => Ok(Some(enrolment_of(&factor.secret, &user.email)?)),
        _ => Ok(None),
    }
}

/// Confirms `user`'s enrolment with a code from their app; returns the ten recovery codes, shown
/// this once (only their hashes are kept).
async fn confirm(state: &AppState, scope: &AuditScope, user: &User, typed: &str) -> Result<Vec<String>, AppError> {
    let code = rules::parse_enrolment_code(typed).map_err(|m| AppError::Invalid(FieldErrors::single("code", m)))?;
    let factor = match state.store.two_factor(user.organisation_id, user.id).await? {
        Some(factor) if !factor.confirmed => factor,
        _ => return Err(AppError::Stale),
    };
    let now = state.clock.now();
    let Some(step) = totp(&factor.secret, &user.email)?.check(&code, unix_seconds(now)) else {
        return Err(AppError::Invalid(FieldErrors::single(
            "code",
            "The code is not right. Check the time on your phone is set automatically, and enter the code your app shows now",
        )));
    };
    let codes: Vec<String> = (0..rules::RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes: Vec<String> = codes.iter().map(|c| token_hash(c)).collect();
    let step = i64::try_from(step).map_err(|_| AppError::Internal("TOTP step"))?;
    state
        .store
        .confirm_two_factor(scope, user.organisation_id, user.id, step, &hashes)
        .await?;
    Ok(codes.iter().map(|c| rules::show_recovery_code(c)).collect())
}

/// The hashed keys a second-step attempt is counted under: the sign-in throttle's kinds, each
/// marked as the second step's, so wrong codes and wrong passwords are counted apart.
fn second_step_keys(caller: &Caller, user: UserId) -> AttemptKeys {
    let account = format!("second-step:{user}");
    let hashed = |key: ThrottleKey| token_hash(&format!("second-step\n{}", key.material()));
    AttemptKeys {
        account: hashed(ThrottleKey::Account(account.clone())),
        address: hashed(ThrottleKey::client_address(&caller.client_addr)),
        account_address: hashed(ThrottleKey::account_address(&account, &caller.client_addr)),
        account_device: None,
    }
}

/// How a second factor was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accepted {
    Code,
    RecoveryCode,
}

/// Checks a typed second factor for `user`'s confirmed factor under the throttle. A wrong, reused
/// or out-of-window code changes nothing but the throttle's count (and is audited); a right one
/// takes its time step (or uses its recovery code up) so it never works again.
async fn check_second_factor(
    state: &AppState,
    caller: &Caller,
    organisation: OrganisationId,
    user: &User,
    typed: &str,
) -> Result<Accepted, AppError> {
    let factor = SecondFactor::parse(typed).map_err(|m| AppError::Invalid(FieldErrors::single("code", m)))?;
    let now = state.clock.now();
    let scope = AuditScope {
        organisation_id: Some(organisation),
        ..caller.scope(now)
    };
    let rule = state.config.sign_in_throttle;
    let keys = second_step_keys(caller, user.id);
    let reserved = match state.store.reserve_sign_in_attempt(&keys, &rule, now).await? {
        Reservation::Reserved(id) => id,
        Reservation::Refused(wait) => {
            state
                .store
                .audit(
                    &scope,
                    AuditEvent::denied("two_factor.throttled", "user", Some(user.id.to_string())),
                )
                .await?;
            let minutes = (wait.as_secs() + 59) / 60;
            return Err(AppError::TooManyRequests(format!(
                "Too many wrong codes. Wait {} and try again.",
                if minutes <= 1 {
                    "a minute".to_owned()
                } else {
                    format!("{minutes} minutes")
                }
            )));
        }
    };
    let stored = state.store.two_factor(organisation, user.id).await?;
    let accepted = match (&factor, stored) {
        (SecondFactor::Code(code), Some(stored)) if stored.confirmed => {
            match totp(&stored.secret, &user.email)?.check(code, unix_seconds(now)) {
                Some(step) => {
                    let step = i64::try_from(step).map_err(|_| AppError::Internal("TOTP step"))?;
                    state
                        .store
                        .accept_two_factor_step(organisation, user.id, step)
                        .await?
                        .then_some(Accepted::Code)
                }
                None => None,
            }
        }
        (SecondFactor::Recovery(code), Some(stored)) if stored.confirmed => state
            .store
            .use_recovery_code(organisation, user.id, &token_hash(code), now)
            .await?
            .then_some(Accepted::RecoveryCode),
        _ => None,
    };
    let Some(accepted) = accepted else {
        state
            .store
            .audit(
                &scope,
                AuditEvent::denied("two_factor.failed", "user", Some(user.id.to_string())),
            )
            .await?;
        return Err(AppError::Invalid(FieldErrors::single(
            "code",
            "The code is not right, or it has been used already. Enter the code your app shows now",
        )));
    };
    state.store.release_sign_in_attempt(reserved).await?;
    state
        .store
        .remember_sign_in_address(&keys.account_address, &rule, now)
        .await?;
    let event = match accepted {
        Accepted::Code => "two_factor.passed",
        Accepted::RecoveryCode => "two_factor.recovery_code_used",
    };
    state
        .store
        .audit(&scope, AuditEvent::ok(event, "user", user.id))
        .await?;
    Ok(accepted)
}

/// After a right password: which second step, if any, this person's sign-in waits for. A person
/// with a confirmed factor gives a code; one whose organisation requires a factor of their role and
/// who has none enrols first; anyone else is signed in at once.
pub(crate) async fn second_step_for(state: &AppState, user: &User) -> Result<Option<PendingStep>, AppError> {
    let factor = state.store.two_factor(user.organisation_id, user.id).await?;
    if factor.is_some_and(|f| f.confirmed) {
        return Ok(Some(PendingStep::Code));
    }
    let (policy, _) = state.store.two_factor_required(user.organisation_id).await?;
    Ok(rules::required_for(policy, user.role).then_some(PendingStep::Enrol))
}

/// Records a sign-in waiting for `step`; returns the secret for the browser's pending cookie.
pub(crate) async fn start_pending(state: &AppState, user: &User, step: PendingStep) -> Result<String, AppError> {
    let token = random_token();
    let now = state.clock.now();
    let expires = now
        .checked_add(rules::PENDING_FOR)
        .map_err(|_| AppError::Internal("pending sign-in expiry"))?;
    state
        .store
        .create_pending_sign_in(&token_hash(&token), user.organisation_id, user.id, step, now, expires)
        .await?;
    Ok(token)
}

/// The sign-in waiting for its second step under this cookie, if it has not expired or been used.
pub async fn pending(state: &AppState, token: &str) -> Result<Option<PendingSignIn>, AppError> {
    Ok(state
        .store
        .pending_sign_in(&token_hash(token), state.clock.now())
        .await?)
}

/// The pending sign-in and its person, or `SignInRequired` (start again with the password).
async fn pending_user(state: &AppState, token: &str, step: PendingStep) -> Result<(PendingSignIn, User), AppError> {
    let Some(pending) = pending(state, token).await? else {
        return Err(AppError::SignInRequired);
    };
    if pending.step != step {
        return Err(AppError::SignInRequired);
    }
    let user = state.store.user(pending.organisation_id, pending.user_id).await?;
    if user.disabled {
        return Err(AppError::SignInRequired);
    }
    Ok((pending, user))
}

/// Uses the pending sign-in up and starts the session.
async fn finish(state: &AppState, caller: &Caller, token: &str, user: User) -> Result<SignedIn, AppError> {
    let now = state.clock.now();
    if !state.store.finish_pending_sign_in(&token_hash(token), now).await? {
        return Err(AppError::SignInRequired);
    }
    start_session(state, caller, now, user).await
}

/// The second step with a code (or a recovery code): the session starts when it is right.
pub async fn sign_in_with_code(
    state: &AppState,
    caller: &Caller,
    token: &str,
    typed: &str,
) -> Result<SignedIn, AppError> {
    let (pending, user) = pending_user(state, token, PendingStep::Code).await?;
    check_second_factor(state, caller, pending.organisation_id, &user, typed).await?;
    finish(state, caller, token, user).await
}

/// Enrolment required by the policy, before the session starts: the secret and QR code.
pub async fn pending_enrolment(state: &AppState, token: &str) -> Result<Enrolment, AppError> {
    let (_, user) = pending_user(state, token, PendingStep::Enrol).await?;
    enrolment_for(state, &user).await?.ok_or(AppError::SignInRequired)
}

/// Confirms the enrolment the policy required and starts the session; returns the session and
/// the recovery codes to show once.
pub async fn sign_in_enrolling(
    state: &AppState,
    caller: &Caller,
    token: &str,
    typed: &str,
) -> Result<(SignedIn, Vec<String>), AppError> {
    let (pending, user) = pending_user(state, token, PendingStep::Enrol).await?;
    let scope = AuditScope {
        actor_user_id: Some(user.id),
        organisation_id: Some(pending.organisation_id),
        ..caller.scope(state.clock.now())
    };
    let codes = confirm(state, &scope, &user, typed).await?;
    let signed_in = finish(state, caller, token, user).await?;
    Ok((signed_in, codes))
}

/// The caller's own account, once `authz` agrees they may use it.
async fn own(state: &AppState, caller: &Caller) -> Result<User, AppError> {
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

/// Whether a person whose account the caller has already been allowed to read has a confirmed
/// second factor (the people page shows it).
pub async fn enrolled(state: &AppState, user: &User) -> Result<bool, AppError> {
    Ok(state
        .store
        .two_factor(user.organisation_id, user.id)
        .await?
        .is_some_and(|f| f.confirmed))
}

/// One's own second factor: whether enrolled, the recovery codes left, and whether required.
pub async fn own_status(state: &AppState, caller: &Caller) -> Result<Status, AppError> {
    let user = own(state, caller).await?;
    let enrolled = state
        .store
        .two_factor(user.organisation_id, user.id)
        .await?
        .is_some_and(|f| f.confirmed);
    let recovery_codes_left = if enrolled {
        state.store.recovery_codes_left(user.organisation_id, user.id).await?
    } else {
        0
    };
    let (policy, _) = state.store.two_factor_required(user.organisation_id).await?;
    Ok(Status {
        enrolled,
        recovery_codes_left,
        required: rules::required_for(policy, user.role),
    })
}

/// Enrolment from one's account page: the secret and QR code (None when enrolled already).
pub async fn own_enrolment(state: &AppState, caller: &Caller) -> Result<Option<Enrolment>, AppError> {
    let user = own(state, caller).await?;
    enrolment_for(state, &user).await
}

/// Confirms one's own enrolment; returns the recovery codes to show once.
pub async fn confirm_own(state: &AppState, caller: &Caller, typed: &str) -> Result<Vec<String>, AppError> {
    let user = own(state, caller).await?;
    confirm(state, &caller.scope(state.clock.now()), &user, typed).await
}

/// Turns one's own second factor off, with a current code (so a session left open is not enough);
/// refused while the organisation's policy requires it.
pub async fn turn_off_own(state: &AppState, caller: &Caller, typed: &str) -> Result<(), AppError> {
    let user = own(state, caller).await?;
    let (policy, _) = state.store.two_factor_required(user.organisation_id).await?;
    if rules::required_for(policy, user.role) {
        return Err(AppError::Conflict(
            "Your organisation requires two-factor sign-in for your role, so it cannot be turned off".into(),
        ));
    }
    check_second_factor(state, caller, user.organisation_id, &user, typed).await?;
    state
        .store
        .remove_two_factor(
            &caller.scope(state.clock.now()),
            user.organisation_id,
            user.id,
            "two_factor.turned_off",
            false,
        )
        .await?;
    Ok(())
}

/// An administrator resets a colleague's second factor (a lost phone): it is removed, their
/// sessions end, and they enrol again. Returns the colleague, and whether they had a factor.
pub async fn reset(state: &AppState, caller: &Caller, id: &str) -> Result<(User, bool), AppError> {
    let id = parse_id(id, UserId::parse)?;
    let org = caller.user()?.organisation_id;
    let actor = authorize(
        state,
        caller,
        Action::ResetTwoFactor,
        Object::User {
            organisation: org,
            user: id,
        },
    )
    .await?;
    let user = found(
        state,
        caller,
        state.store.user(actor.organisation_id, id).await,
        "user",
        id,
    )
    .await?;
    let had = state
        .store
        .remove_two_factor(
            &caller.scope(state.clock.now()),
            actor.organisation_id,
            id,
            "two_factor.reset",
            true,
        )
        .await?;
    Ok((user, had))
}

/// The organisation's policy, for its administrator.
pub async fn policy(state: &AppState, caller: &Caller) -> Result<Policy, AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageSignInPolicy, Object::Organisation(org)).await?;
    let (required, version) = state.store.two_factor_required(org).await?;
    Ok(Policy { required, version })
}

/// Sets the policy; a change made since `wanted.version` was read is refused as stale.
pub async fn set_policy(state: &AppState, caller: &Caller, wanted: Policy) -> Result<(), AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageSignInPolicy, Object::Organisation(org)).await?;
    state
        .store
        .set_two_factor_required(
            &caller.scope(state.clock.now()),
            org,
            wanted.required,
            Some(wanted.version),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_sixteen_base32_characters_and_differ() {
        let a = new_recovery_code();
        assert_eq!(a.len(), rules::RECOVERY_CODE_CHARS);
        assert!(matches!(SecondFactor::parse(&a), Ok(SecondFactor::Recovery(_))));
        assert_ne!(a, new_recovery_code());
    }

    #[test]
    fn a_new_secret_makes_codes_that_check_at_their_own_time_only() {
        let secret = new_secret();
        let totp = totp(&secret, "sam@example.org").unwrap();
        let now = 1_790_000_000;
        let code = totp.generate(now).to_string();
        assert_eq!(totp.check(&code, now), Some(now / rules::STEP_SECONDS));
        assert_eq!(totp.check(&code, now + 3 * rules::STEP_SECONDS), None);
        let enrolment = enrolment_of(&secret, "sam@example.org").unwrap();
        assert!(enrolment.qr_svg.starts_with("<svg"), "{}", &enrolment.qr_svg[..20]);
    }
}
