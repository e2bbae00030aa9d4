//! The application's use cases, written once and called by the HTML pages, the JSON API, the command
//! line and the background jobs alike: each checks authorisation for the real object, parses input
//! with the domain's rules, and calls the store (which audits the change in the same transaction).
//! No HTTP types here (decision 0037): the web crate turns an `AppError` into an answer.

pub mod account_links;
pub mod accounts;
pub mod agreements;
pub mod arrivals;
pub mod asked;
pub mod audit;
pub mod backup;
pub mod billing;
pub mod booking_rules;
pub mod case_files;
pub mod clock;
pub mod confidential;
pub mod context;
pub mod devices;
mod error;
pub mod incidents;
pub mod interpreters;
pub mod languages;
pub mod mail;
pub mod mail_prefs;
pub mod orders;
pub mod paging;
mod paper;
pub mod people;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod reviews;
pub mod schedule;
pub mod scheduled_backups;
pub mod secrets;
pub mod session_start;
pub mod tenancy;
pub mod two_factor;

use clock::Clock;
use familytime_domain::authz::{self, Action, Actor, Object};
use familytime_domain::ratelimit::SignInThrottle;
use familytime_domain::sessions::SessionPolicy;
use familytime_store::AuditEvent;
use familytime_store::Store;
use std::sync::Arc;

pub use context::Caller;
pub use error::AppError;

/// Settings that change how the server behaves, all with safe defaults.
#[derive(Debug, Clone)]
pub struct Config {
    /// Served over HTTPS, directly or behind a TLS-terminating proxy: cookies get `Secure`, HSTS is
    /// sent, and the client address is taken from the proxy's `X-Forwarded-For`.
    pub behind_tls_proxy: bool,
    pub session_policy: SessionPolicy,
    pub sign_in_throttle: SignInThrottle,
    /// The largest request body accepted, in bytes (uploads have their own, larger limit).
    pub max_body_bytes: usize,
    /// Where uploaded documents are kept (in the data directory, whichever database is used).
    pub documents_dir: std::path::PathBuf,
    /// The address people reach this server at (`https://contact.example.org`, no trailing
    /// slash): addresses given out to be used elsewhere, such as calendar feeds, are built from it,
    /// never from the request's Host header. `serve` sets it from `--public-url`, or else the
    /// address it listens on.
    pub public_url: String,
    /// How e-mail is sent (issue 17): through an SMTP server, or kept in the outbox.
    pub mail: mail::MailSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            behind_tls_proxy: false,
            session_policy: SessionPolicy::default(),
            sign_in_throttle: SignInThrottle::default(),
            max_body_bytes: 1024 * 1024,
            documents_dir: std::path::PathBuf::from("familytime-data").join("documents"),
            public_url: "http://127.0.0.1:8080".into(),
            mail: mail::MailSettings::default(),
        }
    }
}

/// What every use case (and every handler) can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    /// A hash of a random password, verified when an unknown account signs in so that the answer
    /// takes as long as for a real account.
    dummy_password_hash: Arc<String>,
    /// The device cookies' signing key, read from the database on first use (see `devices`).
    device_key: Arc<std::sync::OnceLock<String>>,
}

impl AppState {
    pub fn new(store: Store, clock: Arc<dyn Clock>, config: Config) -> Result<AppState, AppError> {
        let dummy = secrets::hash_password(&secrets::random_token())?;
        Ok(AppState {
            store,
            clock,
            config: Arc::new(config),
            dummy_password_hash: Arc::new(dummy),
            device_key: Arc::default(),
        })
    }
}

/// Asks the one authorisation function about this object; a refusal is audited and becomes the
/// error to answer with (404 for another organisation's objects).
pub async fn authorize(state: &AppState, caller: &Caller, action: Action, object: Object) -> Result<Actor, AppError> {
    let actor = caller.actor();
    let decision = authz::authorize(actor.as_ref(), action, &object);
    match (AppError::from_decision(decision), actor) {
        (None, Some(actor)) => Ok(actor),
        (None, None) => Err(AppError::SignInRequired),
        (Some(refusal), actor) => {
            if actor.is_some() {
                // The object the request asked for (its path names it); failing that, what the
                // refused object itself names.
                let (object_type, object_id) = match (&caller.asked.object, &object) {
                    (Some(asked), _) => (asked.object_type, asked.object_id.clone()),
                    (None, Object::Centre { centre, .. } | Object::Case { centre, .. }) => {
                        ("centre", Some(centre.to_string()))
                    }
                    (None, Object::User { user, .. }) => ("user", Some(user.to_string())),
                    (
                        None,
                        Object::Organisation(organisation)
                        | Object::ReleasedReport { organisation, .. }
                        | Object::OwnedBy { organisation, .. },
                    ) => ("organisation", Some(organisation.to_string())),
                    (None, Object::Nothing) => ("object", None),
                };
                state
                    .store
                    .audit(
                        &caller.scope(state.clock.now()),
                        AuditEvent::denied("access.denied", object_type, object_id),
                    )
                    .await?;
                caller.asked.mark_audited();
            }
            Err(refusal)
        }
    }
}

/// Whether the caller may take `action` on `object`, without auditing: for offering a link or a form.
/// The use case asks `authorize` again when the action is taken.
pub fn may(caller: &Caller, action: Action, object: &Object) -> bool {
    let actor = caller.actor();
    actor.is_some() && authz::authorize(actor.as_ref(), action, object) == authz::Decision::Allow
}

/// Parses an identifier from a path or body; junk is simply not found.
pub fn parse_id<T>(text: &str, parse: fn(&str) -> Result<T, familytime_domain::ids::InvalidId>) -> Result<T, AppError> {
    parse(text).map_err(|_| AppError::NotFound)
}

/// Passes a store answer through; when the object is not found in the caller's organisation (a
/// mistyped or another organisation's id), the attempt is audited before answering 404.
pub async fn found<T>(
    state: &AppState,
    caller: &Caller,
    answer: Result<T, familytime_store::StoreError>,
    object_type: &'static str,
    object_id: impl ToString,
) -> Result<T, AppError> {
    match answer {
        Err(familytime_store::StoreError::NotFound) => {
            let event = AuditEvent::denied("access.not_found", object_type, Some(object_id.to_string()));
            state.store.audit(&caller.scope(state.clock.now()), event).await?;
            caller.asked.mark_audited();
            Err(AppError::NotFound)
        }
        other => Ok(other?),
    }
}
