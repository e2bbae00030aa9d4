//! The backup commands (decisions 0049 and 0054): `familytime backup`, `restore`, `backup-check`
//! and `backup-key`, and the flags with which `serve` makes its own backups on a schedule.

use crate::database::{self, DatabaseArgs, documents_dir, location, open};
use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use familytime_app::clock::{Clock, SystemClock};
use familytime_app::{backup, scheduled_backups};
use std::path::{Path, PathBuf};

/// How a backup is encrypted: a key file, or else a passphrase from the environment.
#[derive(Args)]
pub struct BackupKeyArgs {
    /// The age key file (`familytime backup-key`). Without it, the passphrase in
    /// FAMILYTIME_BACKUP_PASSPHRASE is used.
    #[arg(long, env = "FAMILYTIME_BACKUP_KEY_FILE")]
    pub key_file: Option<PathBuf>,
}

impl BackupKeyArgs {
    fn key(&self) -> Result<backup::BackupKey> {
        backup_key(self.key_file.as_ref(), "--key-file")
    }
}

/// A key file when one is given, or else the passphrase in FAMILYTIME_BACKUP_PASSPHRASE.
fn backup_key(file: Option<&PathBuf>, flag: &str) -> Result<backup::BackupKey> {
    if let Some(path) = file {
        return Ok(backup::BackupKey::File(path.clone()));
    }
    match std::env::var("FAMILYTIME_BACKUP_PASSPHRASE") {
        Ok(phrase) if !phrase.is_empty() => Ok(backup::BackupKey::Passphrase(phrase.into())),
        _ => bail!("give {flag} FILE, or set FAMILYTIME_BACKUP_PASSPHRASE"),
    }
}

/// The backups `serve` makes on its own (decision 0054).
#[derive(Args)]
pub struct ScheduledBackupArgs {
    /// Make a backup into this folder once every --backup-every, read each one back to check it,
    /// and keep the newest --backup-keep. Encrypted with --backup-key-file, or else the passphrase
    /// in FAMILYTIME_BACKUP_PASSPHRASE. Put the folder on another disk than the database.
    #[arg(long, env = "FAMILYTIME_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    /// How often: a number and m, h or d (30m, 6h, 24h, 7d). A day's backup is made soon after
    /// midnight UTC, and at the first start.
    #[arg(long, env = "FAMILYTIME_BACKUP_EVERY", default_value = "24h")]
    pub backup_every: String,
    /// How many scheduled backups to keep in the folder.
    #[arg(long, env = "FAMILYTIME_BACKUP_KEEP", default_value_t = 14)]
    backup_keep: usize,
    /// The age key file the backups are encrypted to (`familytime backup-key`).
    #[arg(long, env = "FAMILYTIME_BACKUP_KEY_FILE")]
    backup_key_file: Option<PathBuf>,
}

impl ScheduledBackupArgs {
    /// The plan, when backups were asked for: every flag checked now, so a wrong one stops the
    /// start in words.
    pub fn plan(&self, location: familytime_store::Location) -> Result<Option<scheduled_backups::BackupPlan>> {
        let Some(dir) = &self.backup_dir else {
            return Ok(None);
        };
        let schedule = familytime_domain::scheduled_backups::BackupSchedule::new(&self.backup_every, self.backup_keep)
            .map_err(|m| anyhow!("{m}"))?;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the backup folder {}", dir.display()))?;
        let plan = scheduled_backups::BackupPlan {
            dir: dir.clone(),
            schedule,
            key: backup_key(self.backup_key_file.as_ref(), "--backup-key-file")?,
            location,
        };
        plan.check().map_err(|m| anyhow!("{m}"))?;
        Ok(Some(plan))
    }
}

#[derive(Args)]
pub struct BackupArgs {
    /// The backup file to write.
    #[arg(long)]
    pub to: PathBuf,
    #[command(flatten)]
    pub key: BackupKeyArgs,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The backup file to restore.
    #[arg(long)]
    pub from: PathBuf,
    #[command(flatten)]
    pub key: BackupKeyArgs,
}

/// `familytime backup --to FILE`, while the server runs.
pub async fn backup(db: &DatabaseArgs, args: &BackupArgs) -> Result<()> {
    let key = args.key.key()?;
    let store = open(db, "familytime-data").await?;
    let documents = documents_dir(db);
    let target = backup::Target {
        location: &location(db)?,
        documents: &documents,
        audit_key: None,
    };
    let made = backup::backup(&store, target, &args.to, &key, SystemClock.now()).await?;
    println!(
        "backup written to {}: schema {}, {} audit entries, {} tables, {} files",
        args.to.display(),
        made.schema_version,
        made.audit_head.seq,
        made.tables.len(),
        made.files.len()
    );
    Ok(())
}

/// `familytime restore --from FILE` into an empty data folder or database.
pub async fn restore(db: &DatabaseArgs, args: &RestoreArgs) -> Result<()> {
    let key = args.key.key()?;
    let documents = documents_dir(db);
    let audit_key = database::audit_key(db)?;
    let target = backup::Target {
        location: &location(db)?,
        documents: &documents,
        audit_key: audit_key.as_ref(),
    };
    let restored = backup::restore(&args.from, &key, target).await?;
    println!(
        "restored the backup made {} (schema {}): the rows of {} tables match the manifest; audit log intact: {} entries",
        restored.manifest.made_at,
        restored.manifest.schema_version,
        restored.manifest.tables.len(),
        restored.audit_entries
    );
    Ok(())
}

/// `familytime backup-check --from FILE`: reads a backup back without restoring it.
pub async fn check(db: &DatabaseArgs, args: &RestoreArgs) -> Result<()> {
    let key = args.key.key()?;
    let read = backup::verify(&args.from, &key, &location(db)?).await?;
    println!(
        "{} is whole: made {} (schema {}), {} audit entries, {} tables, {} files, each matching its checksum",
        args.from.display(),
        read.made_at,
        read.schema_version,
        read.audit_head.seq,
        read.tables.len(),
        read.files.len()
    );
    Ok(())
}

/// `familytime backup-key --to FILE`.
pub fn make_key(to: &Path) -> Result<()> {
    backup::make_key(to)?;
    println!("backup key written to {}", to.display());
    println!("Keep a copy somewhere other than the server: without it no backup can be restored.");
    Ok(())
}
