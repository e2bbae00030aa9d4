//! Accounts by e-mail (issue 17, decision 0051): an administrator creates an account by invitation
//! (the person chooses their own password through a link sent to them) and can send it again, and
//! anyone can ask for a "forgot password" link. A link is random, kept only as a hash, works once
//! and expires (72 hours for an invitation, 1 hour to reset); its message is written to the outbox
//! in the transaction that writes the link. Asking for a link answers the same, after the same
//! work, whether or not the address has an account, and is throttled like signing in.

use super::{authorize, found, parse_id};
use crate::accounts::attempt_keys;
use crate::mail::account_mail::{LinkRecipient, link_message};
use crate::people::{NewUserInput, prepare_invited};
use crate::secrets::{hash_password_blocking, random_token, token_hash};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::UserId;
use familytime_domain::mail::MailKind;
use familytime_domain::people::{Email, NewPassword};
use familytime_domain::text::FieldErrors;
use familytime_store::account_links::{AccountLink, LinkPurpose, NewLink};
use familytime_store::people::User;
use familytime_store::throttle::Reservation;
use familytime_store::{AuditEvent, AuditScope};

/// How long an invitation's link works.
pub const INVITATION_HOURS: i64 = 72;
/// How long a "forgot password" link works.
pub const RESET_HOURS: i64 = 1;

/// The address a link is used at: `{public_url}/set-password/{token}`.
fn link_url(state: &AppState, token: &str) -> String {
    format!("{}/set-password/{token}", state.config.public_url.trim_end_matches('/'))
}

/// Writes a new link for `user` and its message, in one transaction (earlier links of the same
/// purpose stop working).
async fn issue(state: &AppState, scope: &AuditScope, user: &User, purpose: LinkPurpose) -> Result<(), AppError> {
    let recipient = LinkRecipient::of_user(user);
    let (kind, hours) = match purpose {
        LinkPurpose::Invitation => (MailKind::AccountInvitation, INVITATION_HOURS),
        LinkPurpose::Reset => (MailKind::PasswordReset, RESET_HOURS),
    };
    let token = random_token();
    let message = link_message(state, &recipient, kind, &link_url(state, &token), hours).await?;
    let expires_at = scope
        .at
        .checked_add(jiff::SignedDuration::from_hours(hours))
        .map_err(|_| AppError::Internal("a link's expiry is out of range"))?;
    let link = NewLink {
        organisation_id: user.organisation_id,
        user_id: user.id,
        purpose,
        token_hash: &token_hash(&token),
        expires_at,
        message: &message,
    };
    Ok(state.store.issue_account_link(scope, &link).await?)
}

/// Creates an account by invitation: checked as any new account (without a password), stored with
/// a password nobody knows, and sent a link to choose their own, all in one transaction.
pub async fn invite_user(state: &AppState, caller: &Caller, input: &NewUserInput) -> Result<User, AppError> {
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ManageUsers, Object::Organisation(org)).await?;
    let prepared = prepare_invited(input).await?;
    let scope = caller.scope(state.clock.now());
    let mut tx = state.store.begin().await?;
    let id = crate::people::insert_prepared(&mut tx, &scope, actor.organisation_id, &prepared).await?;
    // The message is composed from the account as written (its language is the organisation's
    // until they choose one).
    let recipient = LinkRecipient {
        organisation_id: actor.organisation_id,
        user_id: id,
        address: prepared.email().as_str().to_owned(),
        preferred_language: None,
    };
    let token = random_token();
    let message = link_message(
        state,
        &recipient,
        MailKind::AccountInvitation,
        &link_url(state, &token),
        INVITATION_HOURS,
    )
    .await?;
    let expires_at = scope
        .at
        .checked_add(jiff::SignedDuration::from_hours(INVITATION_HOURS))
        .map_err(|_| AppError::Internal("a link's expiry is out of range"))?;
    tx.issue_account_link(
        &scope,
        &NewLink {
            organisation_id: actor.organisation_id,
            user_id: id,
            purpose: LinkPurpose::Invitation,
            token_hash: &token_hash(&token),
            expires_at,
            message: &message,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(state.store.user(actor.organisation_id, id).await?)
}

/// Sends a new invitation to an account (the earlier link stops working).
pub async fn resend_invitation(state: &AppState, caller: &Caller, id: &str) -> Result<User, AppError> {
    let id = parse_id(id, UserId::parse)?;
    let org = caller.user()?.organisation_id;
    let object = Object::User {
        organisation: org,
        user: id,
    };
    let actor = authorize(state, caller, Action::ManageUsers, object).await?;
    let user = found(
        state,
        caller,
        state.store.user(actor.organisation_id, id).await,
        "user",
        id,
    )
    .await?;
    if user.disabled {
        return Err(AppError::Conflict(
            "This account is disabled: enable it before sending an invitation".into(),
        ));
    }
    issue(state, &caller.scope(state.clock.now()), &user, LinkPurpose::Invitation).await?;
    Ok(user)
}

/// "Forgot password": writes a reset link to the account with this address, if there is one and it
/// is not disabled. The answer is `Ok(())` either way, after the same work (the throttle's write,
/// a token made and hashed, the message composed); only an existing account's link and message are
/// stored. A malformed address is refused, which says nothing about any account.
pub async fn forgot_password(state: &AppState, caller: &Caller, email: &str) -> Result<(), AppError> {
    let address = Email::parse(email).map_err(|m| AppError::Invalid(FieldErrors::single("email", m)))?;
    let now = state.clock.now();
    // Counted under keys of their own ("reset:" before the address), so asking for links never
    // counts against signing in, and held to the same limits.
    let keys = attempt_keys(caller, &format!("reset:{}", address.as_str()), None);
    if let Reservation::Refused(wait) = state
        .store
        .reserve_sign_in_attempt(&keys, &state.config.sign_in_throttle, now)
        .await?
    {
        state
            .store
            .audit(
                &caller.scope(now),
                AuditEvent::denied("account_link.throttled", "route", None),
            )
            .await?;
        let minutes = (wait.as_secs() + 59) / 60;
        return Err(AppError::TooManyRequests(format!(
            "Too many requests for a link. Wait {} and try again.",
            if minutes <= 1 {
                "a minute".to_owned()
            } else {
                format!("{minutes} minutes")
            }
        )));
    }
    let account = match state.store.user_by_email(&address).await? {
        Some(user) if !user.disabled => Some(user),
        _ => None,
    };
    match account {
        Some(user) => {
            let scope = AuditScope {
                organisation_id: Some(user.organisation_id),
                ..caller.scope(now)
            };
            issue(state, &scope, &user, LinkPurpose::Reset).await
        }
        None => {
            // Work like an account's, kept nowhere but an audit entry that names nobody (a write,
            // as the account's link is): a token made and hashed, a message composed for a
            // stand-in in the caller's organisation, if any.
            let token = random_token();
            let _ = token_hash(&token);
            if let Some(user) = caller.user.as_ref() {
                let stand_in = LinkRecipient {
                    address: address.as_str().to_owned(),
                    ..LinkRecipient::of_user(user)
                };
                let _ = link_message(
                    state,
                    &stand_in,
                    MailKind::PasswordReset,
                    &link_url(state, &token),
                    RESET_HOURS,
                )
                .await;
            }
            state
                .store
                .audit(
                    &caller.scope(now),
                    AuditEvent::denied("account_link.no_account", "route", None),
                )
                .await?;
            Ok(())
        }
    }
}

/// The link, if it can still be used (for the page that asks for the new password).
pub async fn usable_link(state: &AppState, token: &str) -> Result<Option<AccountLink>, AppError> {
    Ok(state
        .store
        .usable_account_link(&token_hash(token), state.clock.now())
        .await?)
}

/// Uses a link: checks the new password (the same rules as everywhere), sets it, ends every session
/// of the account and revokes its API tokens, audited. A link used, expired or unknown is
/// `NotFound` (the page says so); a second use, even racing the first, changes nothing.
pub async fn set_password_by_link(
    state: &AppState,
    caller: &Caller,
    token: &str,
    password: &str,
    confirmation: &str,
) -> Result<User, AppError> {
    let Some(link) = usable_link(state, token).await? else {
        return Err(AppError::NotFound);
    };
    let user = state.store.user(link.organisation_id, link.user_id).await?;
    let mut errors = FieldErrors::new();
    let new = errors.take("password", NewPassword::parse(password, &[&user.email, &user.name]));
    if password != confirmation {
        errors.add("password_confirmation", "The passwords do not match");
    }
    let Some(new) = new else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hash = hash_password_blocking(new.expose().to_owned()).await?;
    match state
        .store
        .use_account_link(&caller.scope(state.clock.now()), &token_hash(token), &hash)
        .await?
    {
        Some(_) => Ok(user),
        None => Err(AppError::NotFound),
    }
}
