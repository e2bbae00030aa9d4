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
}

pub async fn open(db: &DatabaseArgs, default_dir: &str) -> Result<Store> {
    let dir = db.data_dir.clone().unwrap_or_else(|| PathBuf::from(default_dir));
    let location = Location::choose(db.database_url.as_deref(), &dir)?;
    Store::open(&location).await.context("cannot open the database")
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
