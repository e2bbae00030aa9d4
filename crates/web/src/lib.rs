//! familytime over HTTP: the router, the middleware every request passes through (request id and
//! logging, security headers, sign-in, CSRF, the authorisation gate), the HTML pages and the JSON
//! API. Handlers are thin: parse, call one use case in the app crate (`familytime_app`), render.

pub mod api;
pub mod context;
mod cookies;
mod devices;
mod error;
pub mod i18n;
mod middleware;
pub mod pages;
pub mod routes;

use std::net::SocketAddr;

pub use context::Caller;
pub(crate) use familytime_app::{AppError, AppState};

/// How often a running server seals queued audit entries into the chain (decision 0016).
const SEAL_AUDIT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Serves until `shutdown` completes, sealing the audit queue in the background meanwhile
/// (`Store::close` seals what is left).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The catalogues are compiled in; a broken one fails the tests, and is said here too.
    for problem in i18n::check() {
        tracing::error!(problem, "message catalogue");
    }
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
