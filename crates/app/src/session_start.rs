//! Starting a session once a person has proved who they are: after their password, or after the
//! second step of two-factor sign-in (decision 0052). Apart from both, so neither imports the other.

use crate::secrets::{random_token, token_hash};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_store::AuditScope;
use familytime_store::people::User;

/// A new session: the cookie's secret token and who it belongs to, and the device cookie's new
/// value when the person signed in with a password (decision 0023).
pub struct SignedIn {
    pub token: String,
    pub user: User,
    pub device_cookie: Option<String>,
}

/// Makes the session (audited as `sign_in`) and its secret token.
pub(crate) async fn start_session(
    state: &AppState,
    caller: &Caller,
    now: Timestamp,
    user: User,
) -> Result<SignedIn, AppError> {
    let token = random_token();
    let scope = AuditScope {
        actor_user_id: Some(user.id),
        organisation_id: Some(user.organisation_id),
        ..caller.scope(now)
    };
    state
        .store
        .create_session(&scope, &user, &token_hash(&token), &random_token())
        .await?;
    Ok(SignedIn {
        token,
        user,
        device_cookie: None,
    })
}
