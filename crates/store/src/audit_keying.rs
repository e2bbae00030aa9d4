//! The audit chain's key and its signed checkpoints outside the database (decision 0053). The key
//! (HMAC-SHA-256) lives in a file, never in the database, so someone who can write to the database
//! alone cannot recompute the chain after changing an entry; the checkpoints, written as new files
//! in a directory on another disk and never rewritten, record how far the chain had reached, so
//! removing the newest entries and moving the head back is caught as well.

use crate::{Result, StoreError};
use familytime_domain::audit::{AuditKey, ChainBreak, Checkpoint};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Where checkpoints go and how often.
#[derive(Debug, Clone)]
pub struct CheckpointSettings {
    pub dir: PathBuf,
    /// A checkpoint after every seal once this many entries were sealed since the last one.
    pub every_entries: i64,
    /// …or once this long has passed since the last one (and something was sealed since).
    pub every: Duration,
}

impl CheckpointSettings {
    /// Production defaults: every 1,000 entries or every minute, whichever comes first.
    pub fn in_dir(dir: PathBuf) -> CheckpointSettings {
        CheckpointSettings {
            dir,
            every_entries: 1_000,
            every: Duration::from_secs(60),
        }
    }
}

/// What the last checkpoint this process wrote covered.
#[derive(Debug)]
struct Last {
    seq: i64,
    at: Instant,
}

/// Debug names the settings, never the key.
#[derive(Debug)]
pub(crate) struct AuditKeying {
    pub(crate) key: AuditKey,
    checkpoints: Option<CheckpointSettings>,
    last: std::sync::Mutex<Option<Last>>,
    /// Whether the newest keyed entry was found signed with this key (checked once per process,
    /// so a wrong key file stops sealing instead of forking the chain under two keys).
    pub(crate) key_confirmed: AtomicBool,
}

/// The head as a seal left it.
pub(crate) struct SealedHead {
    pub seq: i64,
    pub hash: String,
    pub keyed_from: i64,
}

impl AuditKeying {
    pub(crate) fn new(key: AuditKey, checkpoints: Option<CheckpointSettings>) -> Result<AuditKeying> {
        if let Some(c) = &checkpoints {
            std::fs::create_dir_all(&c.dir).map_err(|e| {
                StoreError::Config(format!(
                    "cannot make the audit checkpoint directory {}: {e}",
                    c.dir.display()
                ))
            })?;
        }
        Ok(AuditKeying {
            key,
            checkpoints,
            last: std::sync::Mutex::new(None),
            key_confirmed: AtomicBool::new(false),
        })
    }

    /// The checkpoint directory, when one is configured.
    pub(crate) fn checkpoint_dir(&self) -> Option<&Path> {
        self.checkpoints.as_ref().map(|c| c.dir.as_path())
    }

    /// Writes a checkpoint of `head` if one is due (`sealed` entries were just sealed), or
    /// whenever the head moved past the last one when `force` (the chain just keyed).
    pub(crate) fn checkpoint_after_seal(&self, head: &SealedHead, sealed: usize, force: bool) -> Result<()> {
        let Some(settings) = &self.checkpoints else {
            return Ok(());
        };
        let mut last = self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let due = match &*last {
            None => true,
            Some(l) if l.seq >= head.seq => false,
            Some(l) => {
                force
                    || head.seq - l.seq >= settings.every_entries
                    || l.at.elapsed() >= settings.every
                    || sealed as i64 >= settings.every_entries
            }
        };
        if !due {
            return Ok(());
        }
        let at_ms = familytime_domain::Timestamp::now().as_millisecond();
        let checkpoint = Checkpoint::signed(&self.key, head.seq, &head.hash, at_ms, head.keyed_from);
        write_new_file(&settings.dir.join(checkpoint.file_name()), &checkpoint.to_text())?;
        *last = Some(Last {
            seq: head.seq,
            at: Instant::now(),
        });
        Ok(())
    }

    /// Every checkpoint in the directory, in sequence order, each one's signature checked with
    /// the key. `Ok(Err(..))` names the first that is unreadable or not signed with the key.
    pub(crate) fn read_checkpoints(&self) -> Result<std::result::Result<Vec<Checkpoint>, ChainBreak>> {
        let Some(dir) = self.checkpoint_dir() else {
            return Ok(Ok(Vec::new()));
        };
        let unreadable = |e: std::io::Error| {
            StoreError::Config(format!(
                "cannot read the audit checkpoint directory {}: {e}",
                dir.display()
            ))
        };
        let mut found = Vec::new();
        for item in std::fs::read_dir(dir).map_err(unreadable)? {
            let item = item.map_err(unreadable)?;
            let name = item.file_name().to_string_lossy().into_owned();
            if !name.starts_with("checkpoint-") {
                continue;
            }
            let text = std::fs::read_to_string(item.path()).unwrap_or_default();
            match Checkpoint::parse(&text) {
                Ok(c) if c.is_signed_by(&self.key) => found.push(c),
                _ => return Ok(Err(ChainBreak::BadCheckpoint { file: name })),
            }
        }
        found.sort_by_key(|c| c.seq);
        Ok(Ok(found))
    }

    pub(crate) fn confirm_key(&self) {
        self.key_confirmed.store(true, Ordering::Relaxed);
    }

    pub(crate) fn key_is_confirmed(&self) -> bool {
        self.key_confirmed.load(Ordering::Relaxed)
    }
}

/// Writes a file that must not exist yet, and makes it durable with its directory entry: a
/// checkpoint is never rewritten, and one with the same name (the same entry at the same
/// millisecond, from another server) is the same record.
fn write_new_file(path: &Path, text: &str) -> Result<()> {
    let failed =
        |e: std::io::Error| StoreError::Config(format!("cannot write the audit checkpoint {}: {e}", path.display()));
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(failed(e)),
    };
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}
