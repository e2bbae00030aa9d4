//! familytime over HTTP: the router, the middleware every request passes through (request id and
//! logging, security headers, sign-in, CSRF, the authorisation gate), the HTML pages and the JSON
//! API. Handlers are thin: parse, call one application function in `app`, render.

pub mod api;
pub mod app;
pub mod asked;
pub mod clock;
pub mod context;
pub mod devices;
mod error;
mod middleware;
pub mod pages;
pub mod routes;
pub mod secrets;

use clock::Clock;
use familytime_domain::ratelimit::SignInThrottle;
use familytime_domain::sessions::SessionPolicy;
use familytime_store::Store;
use std::net::SocketAddr;
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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            behind_tls_proxy: false,
            session_policy: SessionPolicy::default(),
            sign_in_throttle: SignInThrottle::default(),
            max_body_bytes: 1024 * 1024,
            documents_dir: std::path::PathBuf::from("familytime-data").join("documents"),
        }
    }
}

/// What every handler can reach.
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

/// How often a running server seals queued audit entries into the chain (decision 0016).
const SEAL_AUDIT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Serves until `shutdown` completes, sealing the audit queue in the background meanwhile
/// (`Store::close` seals what is left).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    let (stop_sealing, sealing_stopped) = tokio::sync::oneshot::channel::<()>();
    let sealer = tokio::spawn(async move {
        store
            .seal_audit_every(SEAL_AUDIT_EVERY, async {
                let _ = sealing_stopped.await;
            })
            .await
    });
    let app = routes::router(state);
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    let _ = stop_sealing.send(());
    let _ = sealer.await;
    served
}
