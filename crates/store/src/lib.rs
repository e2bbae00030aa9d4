//! The only place in familytime that speaks SQL. One `Store` serves SQLite (the default, one file in
//! the data directory) and PostgreSQL; each query is written once with `$n` parameters, which both
//! backends accept, and the few dialect differences live in the migrations.

pub mod account_links;
pub mod agreements;
pub mod arrivals;
pub mod audit;
pub mod audit_keying;
pub mod audit_reads;
pub mod backup;
pub mod billing;
pub mod booking_rules;
pub mod case_list;
pub mod confidential;
pub mod documents;
mod error;
pub mod incidents;
pub mod interpreters;
pub mod languages;
pub mod ledger;
pub mod letters;
pub mod mail;
pub mod mail_prefs;
mod migrate;
pub mod scheduled_backups;
pub use migrate::newest_schema_version;
pub mod orders;
pub mod paging;
pub mod people;
mod pinned;
pub mod planning;
pub mod previsits;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod reviews;
pub mod schedule;
pub mod sessions;
pub mod tenancy;
pub mod throttle;
pub mod two_factor;
pub mod versions;
mod writer;

use jiff::Timestamp;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, PgPool, Postgres, SqlitePool};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use audit::{AuditEvent, AuditScope, ChainReport};
pub use audit_keying::CheckpointSettings;
pub use error::{Result, StoreError};

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// A SQLite file `familytime.sqlite` in this directory, created on first start.
    DataDir(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl Location {
    /// PostgreSQL when a URL is given, SQLite in the data directory otherwise.
    pub fn choose(database_url: Option<&str>, data_dir: &Path) -> Result<Location, StoreError> {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Location::Postgres(url.to_owned()))
            }
            Some(url) if url.starts_with("sqlite:") => Ok(Location::DataDir(
                PathBuf::from(url.trim_start_matches("sqlite://").trim_start_matches("sqlite:"))
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| data_dir.to_path_buf()),
            )),
            Some(_) => Err(StoreError::Config(
                "the database URL must start with postgres:// (leave it out to use SQLite in the data directory)"
                    .into(),
            )),
            None => Ok(Location::DataDir(data_dir.to_path_buf())),
        }
    }
}

/// The name of the SQLite file inside the data directory.
pub const SQLITE_FILE: &str = "familytime.sqlite";

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle on the database, cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
    /// SQLite has one writer at a time. Writers queue here, in this process, instead of in SQLite's
    /// busy handler, which sleeps and retries: under load the sleeping, not the writing, is the cost
    /// (0010). The writers queued at one moment share one COMMIT (group commit, 0014).
    writer: Arc<writer::Writers>,
    /// The audit chain's key and checkpoint directory, when configured (decision 0053).
    pub(crate) audit_keying: Option<Arc<audit_keying::AuditKeying>>,
}

/// A write transaction. On SQLite it holds the writer queue's turn and runs inside a group's
/// `BEGIN IMMEDIATE` transaction (in its own savepoint when it joined the group), so a transaction
/// that reads then writes holds the write lock from the start and cannot be overtaken between the
/// two; `commit` returns once its writes are durable (see `writer`).
pub struct Tx {
    pub(crate) inner: TxInner,
}

pub(crate) enum TxInner {
    Sqlite(writer::Member),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// Runs `$body` with `$p` bound to the backend's pool; the body is compiled once per backend.
macro_rules! with_pool {
    ($store:expr, |$p:ident| $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($p) => $body,
            $crate::Pool::Postgres(pool) => match $crate::pinned::connection(pool).await {
                Ok(mut connection) => {
                    let $p = &mut *connection;
                    $body
                }
                Err(e) => Err(e),
            },
        }
    };
}
pub(crate) use with_pool;

/// Runs `$body` with `$c` bound to the transaction's connection.
macro_rules! with_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match &mut $tx.inner {
            $crate::TxInner::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::TxInner::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use with_tx;

/// Like `with_pool!` for a statement that returns no rows: yields the number of rows it touched.
macro_rules! exec_pool {
    ($store:expr, |$p:ident| $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($p) => ($body).map(|r| r.rows_affected()),
            $crate::Pool::Postgres(pool) => match $crate::pinned::connection(pool).await {
                Ok(mut connection) => {
                    let $p = &mut *connection;
                    ($body).map(|r| r.rows_affected())
                }
                Err(e) => Err(e),
            },
        }
    };
}
pub(crate) use exec_pool;

/// Like `with_tx!` for a statement that returns no rows: yields the number of rows it touched.
macro_rules! exec_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match &mut $tx.inner {
            $crate::TxInner::Sqlite(t) => {
                let $c = &mut **t;
                ($body).map(|r| r.rows_affected())
            }
            $crate::TxInner::Postgres(t) => {
                let $c = &mut **t;
                ($body).map(|r| r.rows_affected())
            }
        }
    };
}
pub(crate) use exec_tx;

/// Binds a batch's values to a query, in order (a macro: the query's type differs per backend).
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for arg in $args {
            q = match arg {
                Arg::Text(v) => q.bind(v.as_deref()),
                Arg::Int(v) => q.bind(*v),
                Arg::MaybeInt(v) => q.bind(*v),
                Arg::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// A value bound into a `Batch`.
pub(crate) enum Arg {
    Text(Option<String>),
    Int(i64),
    MaybeInt(Option<i64>),
    Bool(bool),
}

/// Writes sent to the database together, in one round trip: on SQLite as statements one after
/// another in one call, on PostgreSQL as the data-modifying parts of one statement
/// (`WITH w0 AS (INSERT …), w1 AS (…) INSERT …`). Values are numbered across them all. Each
/// statement is written once; only the way they are joined differs between the backends.
#[derive(Default)]
pub(crate) struct Batch {
    statements: Vec<Statement>,
    args: Vec<Arg>,
}

/// One statement of a batch: as written, or an INSERT of rows, which a batch run on its own can
/// make wait for locks (`Batch::execute_alone`).
enum Statement {
    Written(String),
    Rows { into: String, values: String },
}

impl Batch {
    /// Adds a value and returns its placeholder (`$n`).
    pub(crate) fn arg(&mut self, value: Arg) -> String {
        self.args.push(value);
        format!("${}", self.args.len())
    }

    pub(crate) fn text(&mut self, value: impl Into<Option<String>>) -> String {
        self.arg(Arg::Text(value.into()))
    }

    pub(crate) fn int(&mut self, value: i64) -> String {
        self.arg(Arg::Int(value))
    }

    /// Adds a statement (an INSERT, UPDATE or DELETE without RETURNING) whose placeholders came
    /// from `arg`.
    pub(crate) fn push(&mut self, statement: String) {
        self.statements.push(Statement::Written(statement));
    }

    /// Adds `INSERT INTO {into} VALUES (…), (…)` with one bound value per field (nothing for no
    /// rows). `into` names the table and its columns; it is never user input.
    pub(crate) fn insert_rows(&mut self, into: &str, rows: Vec<Vec<Arg>>) {
        if rows.is_empty() {
            return;
        }
        let values: Vec<String> = rows
            .into_iter()
            .map(|row| {
                format!(
                    "({})",
                    row.into_iter().map(|v| self.arg(v)).collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        self.statements.push(Statement::Rows {
            into: into.to_owned(),
            values: values.join(", "),
        });
    }

    pub(crate) async fn execute(self, tx: &mut Tx) -> std::result::Result<(), sqlx::Error> {
        let Some(sql) = self.sql(matches!(tx.inner, TxInner::Postgres(_))) else {
            return Ok(());
        };
        let args = self.args;
        with_tx!(tx, |c| bind_args!(
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str())),
            &args
        )
        .execute(c)
        .await
        .map(|_| ()))
    }

    /// Runs the batch on its own as one PostgreSQL statement, outside any transaction: it is
    /// atomic all the same (see `Store::book`). First it takes the transaction-level advisory locks
    /// `locks` (in the order given, so callers sort them), and no row is inserted before it holds
    /// them all; the locks are released when the statement commits.
    pub(crate) async fn execute_alone(
        self,
        pool: &PgPool,
        locks: &[(i64, bool)],
    ) -> std::result::Result<(), sqlx::Error> {
        let mut connection = pinned::connection(pool).await?;
        let Some(sql) = self.sql_locked(!locks.is_empty()) else {
            return Ok(());
        };
        let query = bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), &self.args);
        let (keys, shared): (Vec<i64>, Vec<bool>) = locks.iter().copied().unzip();
        let query = if locks.is_empty() {
            query
        } else {
            query.bind(keys).bind(shared)
        };
        query.execute(&mut *connection).await.map(|_| ())
    }

    /// The statements joined for the backend, or `None` when there are none.
    fn sql(&self, postgres: bool) -> Option<String> {
        let statements: Vec<String> = self.statements.iter().map(Statement::plain).collect();
        let (last, rest) = statements.split_last()?;
        Some(if !postgres {
            statements.join(";\n")
        } else if rest.is_empty() {
            last.clone()
        } else {
            let parts: Vec<String> = rest.iter().enumerate().map(|(i, s)| format!("w{i} AS ({s})")).collect();
            format!("WITH {} {last}", parts.join(", "))
        })
    }

    /// The statements as one PostgreSQL statement whose row inserts, with `locked`, first wait for
    /// the locks bound after the batch's own values (an aggregate over them, read by every insert:
    /// whichever insert runs first takes them all).
    fn sql_locked(&self, locked: bool) -> Option<String> {
        if !locked || self.statements.is_empty() {
            return self.sql(true);
        }
        let mut parts = vec![take_locks(self.args.len() + 1)];
        parts.extend(self.statements.iter().map(|s| match s {
            Statement::Written(sql) => sql.clone(),
            Statement::Rows { into, values } => {
                format!("INSERT INTO {into} SELECT * FROM (VALUES {values}) AS v WHERE (SELECT n FROM lk) IS NOT NULL")
            }
        }));
        let (last, rest) = parts.split_last()?;
        let ctes: Vec<String> = rest
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i == 0 {
                    format!("lk AS ({s})")
                } else {
                    format!("w{i} AS ({s})")
                }
            })
            .collect();
        Some(format!("WITH {} {last}", ctes.join(", ")))
    }
}

impl Statement {
    fn plain(&self) -> String {
        match self {
            Statement::Written(sql) => sql.clone(),
            Statement::Rows { into, values } => format!("INSERT INTO {into} VALUES {values}"),
        }
    }
}

/// Takes transaction-level advisory locks in the order given: the keys bound at placeholder `at`,
/// each taken shared where the flags bound at `at + 1` say so. Counts them (as `n`), so a statement
/// can wait for them all.
pub(crate) fn take_locks(at: usize) -> String {
    format!(
        "SELECT count(CASE WHEN s THEN pg_advisory_xact_lock_shared(k) ELSE pg_advisory_xact_lock(k) END) AS n
         FROM unnest(${at}::bigint[], ${}::boolean[]) AS l(k, s)",
        at + 1
    )
}

/// Runs `PRAGMA optimize` (as `pragma`) on one connection, with a bounded sample per index
/// (`analysis_limit`, a per-connection setting) so that it takes milliseconds on a large file.
async fn optimize_sqlite(pool: &SqlitePool, pragma: &str) -> Result<()> {
    let mut connection = pool.acquire().await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PRAGMA analysis_limit = 1000; {pragma}")))
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Milliseconds since the epoch, as stored.
pub(crate) fn ms(at: Timestamp) -> i64 {
    at.as_millisecond()
}

/// A stored instant back as a timestamp (out-of-range values, which the store never writes, clamp).
pub(crate) fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 { Timestamp::MIN } else { Timestamp::MAX })
}

/// A PostgreSQL connection idle longer than this is pinged before it is used again.
const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub async fn open(location: &Location) -> Result<Store> {
        let store = Self::connect(location).await?;
        store.migrate().await?;
        if let Pool::Sqlite(p) = &store.pool {
            // At start, statistics for every table that has none or has grown much since (0x10000:
            // all tables, not only those this connection has read). Without them SQLite guesses
            // that every table is the same size, and can walk a growing table through the wrong
            // index (issue 27, decision 0033).
            optimize_sqlite(p, "PRAGMA optimize = 0x10002").await?;
        }
        Ok(store)
    }

    /// Connects without changing anything (no migration): for a backup's copy and a restore's
    /// target, which must be read as they are.
    pub async fn connect(location: &Location) -> Result<Store> {
        let store = match location {
            Location::DataDir(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Config(format!(
                        "cannot create the data directory {}: {}",
                        dir.display(),
                        e.kind()
                    ))
                })?;
                let options = SqliteConnectOptions::new()
                    .filename(dir.join(SQLITE_FILE))
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    // A writer joins the open group inside a savepoint, and SQLite copies each page
                    // it changes there into the savepoint's journal first. Kept in memory, that
                    // journal never spills to a temporary file (a write and a read back per page
                    // once a group has changed more than 64 KiB); it holds only pages changed in
                    // one group, so it stays small.
                    .pragma("temp_store", "memory")
                    .busy_timeout(Duration::from_secs(10));
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(15))
                    // sqlx would ping every idle connection as it is handed out, to find one the
                    // server hung up on. A SQLite connection is a file opened in this process and
                    // cannot be hung up on; the ping is a round trip to the connection's thread
                    // and back, a third of the hand-overs a read through the pool costs (the
                    // other is the ping sqlx always makes when the connection is handed back,
                    // which still finds a connection that failed).
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await?;
                Store {
                    pool: Pool::Sqlite(pool),
                    writer: Arc::default(),
                    audit_keying: None,
                }
            }
            Location::Postgres(url) => {
                let options = PgConnectOptions::from_str(url)
                    .map_err(|_| StoreError::Config("the PostgreSQL URL is not valid".into()))?;
                let pool = PgPoolOptions::new()
                    // Measured on two cores under the booking load: 8 connections made about 12%
                    // more bookings a second than 16 (fewer server processes competing for the
                    // CPUs) and 4 fewer (docs/benchmarks.md).
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(15))
                    // sqlx would ping every connection as it is handed out, a round trip to the
                    // server before each statement, on top of the ping it makes as each is handed
                    // back (which finds a connection that broke while in use). Only one that has
                    // sat idle a while can have been hung up on unnoticed, so only that one is
                    // pinged.
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for > PING_IF_IDLE_FOR {
                                conn.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect_with(options)
                    .await?;
                Store {
                    pool: Pool::Postgres(pool),
                    writer: Arc::default(),
                    audit_keying: None,
                }
            }
        };
        Ok(store)
    }

    /// "sqlite" or "postgres", as the health check reports it.
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        exec_pool!(self, |p| sqlx::query("SELECT 1").execute(p).await)?;
        Ok(())
    }

    /// Refreshes the planner's statistics after a bulk load. On PostgreSQL `ANALYZE`, as autovacuum
    /// would within a minute, so the plans each connection cached for its foreign-key checks while
    /// the tables were empty are made again. On SQLite `PRAGMA optimize`, which gathers them for the
    /// tables that changed much since they were last gathered (decision 0033).
    pub async fn analyze(&self) -> Result<()> {
        match &self.pool {
            Pool::Postgres(p) => {
                sqlx::query("ANALYZE").execute(p).await?;
            }
            Pool::Sqlite(p) => optimize_sqlite(p, "PRAGMA optimize").await?,
        }
        Ok(())
    }

    /// Runs `work` (a request) with one PostgreSQL connection for all its statements (see
    /// `pinned`); on SQLite simply runs it.
    pub async fn pinned<F: std::future::Future>(&self, work: F) -> F::Output {
        match self.pool {
            Pool::Sqlite(_) => work.await,
            Pool::Postgres(_) => pinned::scope(work).await,
        }
    }

    /// Starts a write transaction (see `Tx`).
    pub async fn begin(&self) -> Result<Tx> {
        match &self.pool {
            Pool::Sqlite(p) => Ok(Tx {
                inner: TxInner::Sqlite(writer::Member::begin(&self.writer, p).await?),
            }),
            Pool::Postgres(p) => Ok(Tx {
                inner: TxInner::Postgres(sqlx::Transaction::begin(pinned::take(p).await?, None).await?),
            }),
        }
    }

    /// Seals what waits in the audit queue, then closes every connection (on shutdown, at the end
    /// of a command, and before a test deletes its database).
    pub async fn close(&self) {
        if let Err(e) = self.seal_audit().await {
            tracing::warn!(error = %e, "sealing the audit queue before closing failed; the next start seals it");
        }
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }

    /// Checks what the database itself can check: page integrity and foreign keys on SQLite, and on
    /// both the audit chain. Tests end with it; an operator can run it with `familytime audit verify`.
    pub async fn check_consistency(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if let Pool::Sqlite(p) = &self.pool {
            let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(p).await?;
            if integrity != "ok" {
                problems.push(format!("integrity check: {integrity}"));
            }
            let fk: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(p)
                .await?;
            for (table,) in fk {
                problems.push(format!("foreign key broken in {table}"));
            }
        }
        if let Err(e) = self.verify_audit_chain().await? {
            problems.push(format!("audit chain: {e}"));
        }
        Ok(problems)
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Sqlite(m) => m.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Arg, Batch};

    /// The locks' two arrays are bound after the batch's own values, whatever their number
    /// (placeholders are numbered, so `$2` must not be found inside `$20`…`$29` or `$200`…).
    #[test]
    fn a_locked_batch_binds_its_locks_after_its_own_values() {
        for values in [1, 19, 28, 199, 250] {
            let mut batch = Batch::default();
            let row: Vec<Arg> = (0..values).map(|n| Arg::Int(n as i64)).collect();
            batch.insert_rows("t (a)", row.into_iter().map(|v| vec![v]).collect());
            let sql = batch.sql_locked(true).expect("a statement");
            let (keys, flags) = (values + 1, values + 2);
            assert!(
                sql.contains(&format!("unnest(${keys}::bigint[], ${flags}::boolean[])")),
                "{sql}"
            );
            assert!(
                !sql.contains(&format!("${}", flags + 1)),
                "no placeholder past the flags: {sql}"
            );
        }
    }
}
