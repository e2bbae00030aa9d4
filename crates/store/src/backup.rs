//! What a backup reads from the database (decision 0049): a consistent copy (SQLite's `VACUUM
//! INTO`; on PostgreSQL an exported snapshot that `pg_dump` copies while the same snapshot is
//! counted), the schema version, the audit head and every table's rows; and whether a database a
//! restore is pointed at already holds anything.

use crate::{Pool, Result, Store, StoreError};
use sqlx::{PgConnection, SqliteConnection};
use std::collections::BTreeMap;
use std::path::Path;

/// The facts a backup's manifest records, and a restore compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseFacts {
    pub schema_version: i64,
    pub audit_seq: i64,
    pub audit_hash: String,
    pub tables: BTreeMap<String, i64>,
}

const SQLITE_TABLES: &str =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
const PG_TABLES: &str = "SELECT table_name::text FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name";

/// Counts each table's rows and reads the schema version and audit head on `$c`, listing the
/// tables with `$list` (the table names come from the database's own catalogue, quoted).
macro_rules! read_facts {
    ($c:expr, $list:expr) => {{
        let names: Vec<String> = sqlx::query_scalar($list).fetch_all(&mut *$c).await?;
        let mut tables = BTreeMap::new();
        for name in names {
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {quoted}")))
                .fetch_one(&mut *$c)
                .await?;
            tables.insert(name, count);
        }
        let schema_version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&mut *$c)
            .await?;
        let (audit_seq, audit_hash): (i64, String) = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *$c)
            .await?;
        Ok::<DatabaseFacts, StoreError>(DatabaseFacts {
            schema_version: schema_version.unwrap_or(0),
            audit_seq,
            audit_hash,
            tables,
        })
    }};
}

async fn sqlite_facts(c: &mut SqliteConnection) -> Result<DatabaseFacts> {
    read_facts!(c, SQLITE_TABLES)
}

async fn pg_facts(c: &mut PgConnection) -> Result<DatabaseFacts> {
    read_facts!(c, PG_TABLES)
}

/// A PostgreSQL snapshot held open while `pg_dump --snapshot` copies it: what it counts is what the
/// copy holds, whatever the server writes meanwhile.
pub struct PgSnapshot {
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
    /// For `pg_dump --snapshot`.
    pub id: String,
}

impl PgSnapshot {
    /// The facts as the snapshot sees them.
    pub async fn facts(&mut self) -> Result<DatabaseFacts> {
        pg_facts(&mut self.tx).await
    }

    /// Lets the snapshot go (once `pg_dump` has finished with it).
    pub async fn release(self) -> Result<()> {
        Ok(self.tx.commit().await?)
    }
}

impl Store {
    /// The database's facts as they are now (after a restore: to compare with the manifest).
    pub async fn database_facts(&self) -> Result<DatabaseFacts> {
        match &self.pool {
            Pool::Sqlite(p) => sqlite_facts(&mut *p.acquire().await?).await,
            Pool::Postgres(p) => pg_facts(&mut *p.acquire().await?).await,
        }
    }

    /// Writes a consistent copy of a SQLite database to `into` (which must not exist yet); the
    /// server may go on writing meanwhile.
    pub async fn copy_sqlite_into(&self, into: &Path) -> Result<()> {
        let Pool::Sqlite(p) = &self.pool else {
            return Err(StoreError::Config(
                "a copy file is made only of a SQLite database".into(),
            ));
        };
        let path = into
            .to_str()
            .ok_or_else(|| StoreError::Config("the backup's temporary path is not valid text".into()))?;
        sqlx::query("VACUUM INTO $1").bind(path).execute(p).await?;
        Ok(())
    }

    /// Opens a repeatable-read transaction on PostgreSQL and exports its snapshot.
    pub async fn pg_snapshot(&self) -> Result<PgSnapshot> {
        let Pool::Postgres(p) = &self.pool else {
            return Err(StoreError::Config("a snapshot is exported only by PostgreSQL".into()));
        };
        let mut tx = p.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let id: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut *tx)
            .await?;
        Ok(PgSnapshot { tx, id })
    }

    /// Whether the database holds any table at all (a restore goes only into an empty one).
    pub async fn holds_tables(&self) -> Result<bool> {
        let names: Vec<String> = match &self.pool {
            Pool::Sqlite(p) => sqlx::query_scalar(SQLITE_TABLES).fetch_all(p).await?,
            Pool::Postgres(p) => sqlx::query_scalar(PG_TABLES).fetch_all(p).await?,
        };
        Ok(!names.is_empty())
    }
}
