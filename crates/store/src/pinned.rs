//! One PostgreSQL connection for the whole of a request, instead of one from the pool for each
//! statement.
//!
//! Why: sqlx pings a connection as it goes back to its pool (a round trip, to find one left broken
//! by a cancelled query), so every statement run on the pool cost two round trips. Under the booking
//! load the server is bound by CPU, and those round trips were about an eighth of it (measured:
//! adding one more ping a statement cost 12% of the bookings a second). Inside `Store::pinned` the
//! statements of one request share the connection it first takes, which goes back to the pool,
//! pinged once, when the request ends. A transaction takes the pinned connection with it (so a
//! request never holds two connections where it held one before); statements after it take another.
//! Outside a request (the audit sealer, the command line) every statement takes its own, as before.

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres};
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};

type Slot = Arc<Mutex<Option<PoolConnection<Postgres>>>>;

tokio::task_local! {
    static PINNED: Slot;
}

/// Runs `work` with one connection kept for all of its statements.
pub(crate) async fn scope<F: Future>(work: F) -> F::Output {
    PINNED.scope(Slot::default(), work).await
}

/// A connection for one statement: the request's pinned one, or one of its own from the pool.
pub(crate) enum PgConn {
    Pinned(OwnedMappedMutexGuard<Option<PoolConnection<Postgres>>, PoolConnection<Postgres>>),
    Own(PoolConnection<Postgres>),
}

impl Deref for PgConn {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        match self {
            PgConn::Pinned(c) => c,
            PgConn::Own(c) => c,
        }
    }
}

impl DerefMut for PgConn {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match self {
            PgConn::Pinned(c) => c,
            PgConn::Own(c) => c,
        }
    }
}

/// The connection the next statement runs on.
pub(crate) async fn connection(pool: &PgPool) -> Result<PgConn, sqlx::Error> {
    let Ok(slot) = PINNED.try_with(Arc::clone) else {
        return Ok(PgConn::Own(pool.acquire().await?));
    };
    let mut held = slot.lock_owned().await;
    if held.is_none() {
        *held = Some(pool.acquire().await?);
    }
    match OwnedMutexGuard::try_map(held, Option::as_mut) {
        Ok(pinned) => Ok(PgConn::Pinned(pinned)),
        // Filled just above; should it ever be empty, the statement still runs.
        Err(_) => Ok(PgConn::Own(pool.acquire().await?)),
    }
}

/// A connection for a transaction to own: the pinned one if the request holds one, else a new one.
pub(crate) async fn take(pool: &PgPool) -> Result<PoolConnection<Postgres>, sqlx::Error> {
    if let Ok(slot) = PINNED.try_with(Arc::clone)
        && let Some(connection) = slot.lock().await.take()
    {
        return Ok(connection);
    }
    pool.acquire().await
}

#[cfg(test)]
mod tests {
    //! On the PostgreSQL server the tests are given (`TEST_DATABASE_URL`); the SQLite run has no
    //! pinned connections to test.

    use super::{connection, scope, take};
    use sqlx::postgres::PgPoolOptions;

    async fn backend(pool: &sqlx::PgPool) -> i32 {
        let mut c = connection(pool).await.expect("a connection");
        sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut *c)
            .await
            .expect("the backend's process id")
    }

    async fn three_connections(pool: &sqlx::PgPool) -> Vec<sqlx::pool::PoolConnection<sqlx::Postgres>> {
        let (a, b, c) = tokio::join!(pool.acquire(), pool.acquire(), pool.acquire());
        vec![a.expect("one"), b.expect("two"), c.expect("three")]
    }

    #[tokio::test]
    async fn a_request_keeps_one_connection_and_a_transaction_takes_it_along() {
        let Some(url) = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
            return;
        };
        let pool = PgPoolOptions::new()
            .max_connections(3)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect(&url)
            .await
            .expect("TEST_DATABASE_URL must point at a PostgreSQL server");
        // Three idle connections, which the pool would hand out in turn.
        drop(three_connections(&pool).await);
        scope(async {
            let first = backend(&pool).await;
            for _ in 0..10 {
                assert_eq!(
                    backend(&pool).await,
                    first,
                    "a later statement of the request ran elsewhere"
                );
            }
            let mut tx = sqlx::Transaction::begin(take(&pool).await.expect("taken"), None)
                .await
                .expect("a transaction");
            let in_tx: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
                .fetch_one(&mut *tx)
                .await
                .expect("pid");
            assert_eq!(in_tx, first, "the transaction did not take the request's connection");
            assert_ne!(
                backend(&pool).await,
                first,
                "a statement beside the transaction shared its connection"
            );
            tx.rollback().await.expect("rollback");
        })
        .await;
        // Outside a request each statement takes one from the pool, which all went back to it.
        let (a, b) = (backend(&pool).await, backend(&pool).await);
        assert!(a > 0 && b > 0);
        // All three can be taken again only once the request gave back what it held (sqlx hands a
        // connection back in a task of its own, so counting the idle ones right now would race).
        drop(three_connections(&pool).await);
        pool.close().await;
    }
}
