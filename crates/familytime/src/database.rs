//! Which database a command uses: the `--data-dir` / `--database-url` every command takes, and
//! opening it. Used by the commands, the demo and the benchmark alike (so none of them needs another).

use anyhow::{Context, Result};
use clap::Args;
use familytime_store::{Location, Store};
use std::path::PathBuf;

#[derive(Args, Clone)]
pub struct DatabaseArgs {
    /// Where the SQLite database lives (created on first start). Default ./familytime-data, or
    /// ./familytime-demo with `serve --demo`.
    #[arg(long, global = true, env = "FAMILYTIME_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Use PostgreSQL instead of SQLite: postgres://user@host/database
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// The audit log's key file (`familytime audit-key`), kept outside the database: with it the
    /// log is signed (HMAC-SHA-256) from the next entry on, for good. Without it the log is only
    /// hash-chained, which someone able to write to the database could recompute (decision 0053).
    #[arg(long, global = true, env = "FAMILYTIME_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,
    /// A directory, on another disk, where signed checkpoints of the audit log are written as new
    /// files (never rewritten); `audit verify` then catches the newest entries removed.
    #[arg(
        long,
        global = true,
        env = "FAMILYTIME_AUDIT_CHECKPOINT_DIR",
        requires = "audit_key_file"
    )]
    pub audit_checkpoint_dir: Option<PathBuf>,
}

pub async fn open(db: &DatabaseArgs, default_dir: &str) -> Result<Store> {
    let dir = db.data_dir.clone().unwrap_or_else(|| PathBuf::from(default_dir));
    let location = Location::choose(db.database_url.as_deref(), &dir)?;
    let store = Store::open(&location).await.context("cannot open the database")?;
    with_audit_key(db, store)
}

/// The store with the audit key and checkpoint directory the arguments name, if any.
pub fn with_audit_key(db: &DatabaseArgs, store: Store) -> Result<Store> {
    let Some(key) = audit_key(db)? else {
        return Ok(store);
    };
    let checkpoints = db
        .audit_checkpoint_dir
        .clone()
        .map(familytime_store::CheckpointSettings::in_dir);
    Ok(store.with_audit_key(key, checkpoints)?)
}

/// The database the commands other than `serve --demo` use.
pub fn location(db: &DatabaseArgs) -> Result<Location> {
    let dir = db.data_dir.clone().unwrap_or_else(|| PathBuf::from("familytime-data"));
    Ok(Location::choose(db.database_url.as_deref(), &dir)?)
}

/// Where uploaded documents live: beside the SQLite database, or in `--data-dir` with PostgreSQL.
pub fn documents_dir(db: &DatabaseArgs) -> PathBuf {
    db.data_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("familytime-data"))
        .join("documents")
}

/// The audit key the arguments name, read from its file.
pub fn audit_key(db: &DatabaseArgs) -> Result<Option<familytime_domain::audit::AuditKey>> {
    let Some(path) = &db.audit_key_file else {
        return Ok(None);
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the audit key file {}", path.display()))?;
    let key =
        familytime_domain::audit::AuditKey::parse(&text).map_err(|m| anyhow::anyhow!("{m}: {}", path.display()))?;
    Ok(Some(key))
}
