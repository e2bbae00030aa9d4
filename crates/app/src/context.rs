//! Who is calling: the signed-in person (by session cookie or API token) or nobody, with the request
//! id and client address. The web crate's sign-in middleware puts a `Caller` on every request; the
//! command line makes its own.

use crate::AppError;
use familytime_domain::Timestamp;
use familytime_domain::authz::Actor;
use familytime_store::AuditScope;
use familytime_store::people::User;

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    Anonymous,
    /// A browser session: its id and the CSRF token its forms must carry.
    Session {
        id: String,
        csrf_token: String,
    },
    ApiToken,
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub user: Option<User>,
    pub credential: Credential,
    pub request_id: String,
    pub client_addr: String,
    /// The object the request's path names, for auditing a refusal (set by the route's gate).
    pub asked: crate::asked::Asked,
}

impl Caller {
    pub fn actor(&self) -> Option<Actor> {
        self.user.as_ref().map(User::actor)
    }

    /// The signed-in person, or `SignInRequired`.
    pub fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::SignInRequired)
    }

    /// The audit scope for what this caller does at `at`.
    pub fn scope(&self, at: Timestamp) -> AuditScope {
        AuditScope {
            at,
            request_id: self.request_id.clone(),
            actor_user_id: self.user.as_ref().map(|u| u.id),
            organisation_id: self.user.as_ref().map(|u| u.organisation_id),
        }
    }

    pub fn session_id(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { id, .. } => Some(id),
            _ => None,
        }
    }

    pub fn csrf_token(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { csrf_token, .. } => Some(csrf_token),
            _ => None,
        }
    }
}
