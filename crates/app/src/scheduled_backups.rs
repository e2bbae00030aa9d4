//! The backups `serve` makes on its own (issue 18, decision 0054): once a period (`--backup-every`)
//! a server claims the period in the database, writes a backup into `--backup-dir`, reads it back
//! to verify it, records how it went (a failure is shown to administrators), and deletes the oldest
//! beyond `--backup-keep`. Shown on the backups page, a page at a time.

use crate::backup::{self, BackupKey, Target};
use crate::paging::page_read;
use crate::{AppError, AppState, Caller, authorize, may};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, Object};
use familytime_domain::scheduled_backups::{self as rules, BackupSchedule};
use familytime_store::paging::{Page, PageRequest};
use familytime_store::scheduled_backups::{BackupOutcome, BackupRun};
use familytime_store::{AuditScope, Location};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What `serve` was told to do.
pub struct BackupPlan {
    pub dir: PathBuf,
    pub schedule: BackupSchedule,
    pub key: BackupKey,
    pub location: Location,
}

impl BackupPlan {
    /// Checks, before `serve` starts, that the folder can be written and the key read, so a wrong
    /// flag stops the start in words rather than failing every night.
    pub fn check(&self) -> Result<(), String> {
        let probe = tempfile::Builder::new()
            .prefix(".familytime-backup-check-")
            .tempfile_in(&self.dir)
            .map_err(|e| format!("cannot write backups into {}: {e}", self.dir.display()))?;
        drop(probe);
        self.key.check().map_err(|e| e.to_string())
    }
}

/// How the backups stand, for the administrators' home page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupHealth {
    /// The last backup was made and verified.
    Good,
    /// The last one failed, with why.
    Failed { at: Timestamp, why: String },
    /// One started more than a period ago and never finished (its server stopped).
    Unfinished { since: Timestamp },
    /// None has been made (or none is scheduled).
    NoneMade,
}

/// Makes the backup of the period `now` falls in, if no server has claimed it yet; returns how it
/// went (`None`: not this server's to make).
pub async fn make_due(state: &AppState, plan: &BackupPlan) -> Result<Option<BackupOutcome>, AppError> {
    let now = state.clock.now();
    let every = plan.schedule.every_seconds();
    let Some(id) = state
        .store
        .claim_backup_run(every, plan.schedule.period(now), now)
        .await?
    else {
        return Ok(None);
    };
    let outcome = match make_and_verify(state, plan, now).await {
        Ok(outcome) => outcome,
        Err(e) => BackupOutcome::Failed(e.to_string()),
    };
    let scope = AuditScope {
        at: state.clock.now(),
        request_id: "scheduled-backup".into(),
        actor_user_id: None,
        organisation_id: None,
    };
    state.store.finish_backup_run(&scope, id, &outcome).await?;
    if matches!(outcome, BackupOutcome::Verified { .. }) {
        // Only after a verified backup: a failing night never deletes the good ones before it.
        if let Err(e) = delete_oldest(&plan.dir, plan.schedule.keep()) {
            tracing::warn!(error = %e, "deleting old backups failed");
        }
    }
    Ok(Some(outcome))
}

async fn make_and_verify(
    state: &AppState,
    plan: &BackupPlan,
    now: Timestamp,
) -> Result<BackupOutcome, backup::BackupError> {
    let name = rules::file_name(now);
    let path = plan.dir.join(&name);
    let target = Target {
        location: &plan.location,
        documents: &state.config.documents_dir,
        // Used only by a restore, to verify the log it restored.
        audit_key: None,
    };
    let made = backup::backup(&state.store, target, &path, &plan.key, now).await?;
    let read = backup::verify(&path, &plan.key, &plan.location).await?;
    if read != made {
        return Err(backup::BackupError::Damaged(
            "the file read back does not hold what was written".into(),
        ));
    }
    let bytes = std::fs::metadata(&path).map_or(0, |m| i64::try_from(m.len()).unwrap_or(i64::MAX));
    Ok(BackupOutcome::Verified {
        file_name: name,
        bytes,
        audit_seq: made.audit_head.seq,
    })
}

/// Deletes the scheduled backups beyond the newest `keep` (nothing else in the folder).
fn delete_oldest(dir: &Path, keep: usize) -> std::io::Result<()> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        if let Some(name) = entry?.file_name().to_str() {
            names.push(name.to_owned());
        }
    }
    for name in rules::to_delete(&names, keep) {
        std::fs::remove_file(dir.join(name))?;
    }
    Ok(())
}

/// The job in `serve`: looks every minute whether this period's backup is made.
pub async fn back_up_forever(state: AppState, plan: BackupPlan) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match make_due(&state, &plan).await {
            Ok(Some(BackupOutcome::Failed(why))) => tracing::error!(%why, "the scheduled backup failed"),
            Ok(Some(BackupOutcome::Verified { file_name, .. })) => {
                tracing::info!(file = %file_name, "scheduled backup made and checked");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = e.message(), "the scheduled backup could not be recorded"),
        }
    }
}

/// The runs, newest first, for those who may see them.
pub async fn runs(state: &AppState, caller: &Caller, request: &PageRequest) -> Result<Page<BackupRun>, AppError> {
    authorize(state, caller, Action::ViewBackups, Object::Nothing).await?;
    page_read(state.store.backup_runs(request, state.clock.now()).await)
}

/// How the backups stand, for those who may see them (`None` for everyone else).
pub async fn health(state: &AppState, caller: &Caller) -> Result<Option<BackupHealth>, AppError> {
    if !may(caller, Action::ViewBackups, &Object::Nothing) {
        return Ok(None);
    }
    let last = state.store.last_backup_run(state.clock.now()).await?;
    Ok(Some(judge(last.as_ref(), state.clock.now())))
}

fn judge(last: Option<&BackupRun>, now: Timestamp) -> BackupHealth {
    let Some(run) = last else {
        return BackupHealth::NoneMade;
    };
    match &run.outcome {
        BackupOutcome::Verified { .. } => BackupHealth::Good,
        BackupOutcome::Failed(why) => BackupHealth::Failed {
            at: run.finished_at.unwrap_or(run.started_at),
            why: why.clone(),
        },
        BackupOutcome::Running if now.duration_since(run.started_at) > jiff::SignedDuration::from_hours(1) => {
            BackupHealth::Unfinished { since: run.started_at }
        }
        BackupOutcome::Running => BackupHealth::Good,
    }
}
