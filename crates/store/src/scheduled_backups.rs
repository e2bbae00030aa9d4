//! The scheduled backups' record (issue 18, decision 0054): a period is claimed by inserting its
//! row (unique per schedule and period, so two servers on one database make one backup between
//! them), finished as verified or failed with the reason, and read newest first for the backups page
//! and the administrators' home page.

use crate::paging::{Keyset, Page, PageRequest, cursor};
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_pool, exec_tx, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::ids::BackupRunId;

/// How a run ended (or that it has not yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupOutcome {
    Running,
    /// Written and read back: its file, size and the audit head it holds.
    Verified {
        file_name: String,
        bytes: i64,
        audit_seq: i64,
    },
    /// Stopped, with why (in words, never personal data).
    Failed(String),
}

/// One scheduled backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupRun {
    pub id: BackupRunId,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub outcome: BackupOutcome,
}

#[derive(sqlx::FromRow)]
struct RunRow {
    id: String,
    started_at: i64,
    finished_at: Option<i64>,
    outcome: String,
    file_name: Option<String>,
    bytes: Option<i64>,
    audit_seq: Option<i64>,
    error: Option<String>,
}

/// How long a run's row is kept: a year and a day.
const KEPT_FOR_MS: i64 = 366 * 24 * 3600 * 1000;

const COLUMNS: &str = "id, started_at, finished_at, outcome, file_name, bytes, audit_seq, error";

impl TryFrom<RunRow> for BackupRun {
    type Error = StoreError;

    fn try_from(r: RunRow) -> Result<Self> {
        let unreadable = || StoreError::Database("unreadable backup run".into());
        let outcome = match r.outcome.as_str() {
            "running" => BackupOutcome::Running,
            "verified" => BackupOutcome::Verified {
                file_name: r.file_name.ok_or_else(unreadable)?,
                bytes: r.bytes.unwrap_or(0),
                audit_seq: r.audit_seq.unwrap_or(0),
            },
            "failed" => BackupOutcome::Failed(r.error.unwrap_or_default()),
            _ => return Err(unreadable()),
        };
        Ok(BackupRun {
            id: BackupRunId::parse(&r.id).map_err(|_| unreadable())?,
            started_at: ts(r.started_at),
            finished_at: r.finished_at.map(ts),
            outcome,
        })
    }
}

fn runs(rows: Vec<RunRow>) -> Result<Vec<BackupRun>> {
    rows.into_iter().map(BackupRun::try_from).collect()
}

impl Store {
    /// Claims `period` of a schedule of `every_seconds` for this server: the run's id when it is
    /// this server's to make, `None` when the period already has one (made, running or failed).
    pub async fn claim_backup_run(
        &self,
        every_seconds: i64,
        period: i64,
        now: Timestamp,
    ) -> Result<Option<BackupRunId>> {
        let id = BackupRunId::new_v7(now);
        let inserted = exec_pool!(self, |p| sqlx::query(
            "INSERT INTO backup_runs (id, every_seconds, period, started_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (every_seconds, period) DO NOTHING"
        )
        .bind(id.to_string())
        .bind(every_seconds)
        .bind(period)
        .bind(ms(now))
        .execute(p)
        .await)?;
        if inserted == 0 {
            return Ok(None);
        }
        // The runs are kept a year (the audit log keeps every one for good), so the table stays
        // the size of a year of runs.
        exec_pool!(self, |p| sqlx::query("DELETE FROM backup_runs WHERE started_at < $1")
            .bind(ms(now) - KEPT_FOR_MS)
            .execute(p)
            .await)?;
        Ok(Some(id))
    }

    /// Records how a claimed run ended, audited as the system's own act (`backup.verified` or
    /// `backup.failed`, naming the run).
    pub async fn finish_backup_run(&self, scope: &AuditScope, id: BackupRunId, outcome: &BackupOutcome) -> Result<()> {
        let (state, file_name, bytes, audit_seq, error, action) = match outcome {
            BackupOutcome::Running => return Err(StoreError::Database("a run finishes verified or failed".into())),
            BackupOutcome::Verified {
                file_name,
                bytes,
                audit_seq,
            } => (
                "verified",
                Some(file_name.as_str()),
                Some(*bytes),
                Some(*audit_seq),
                None,
                "backup.verified",
            ),
            BackupOutcome::Failed(why) => ("failed", None, None, None, Some(why.as_str()), "backup.failed"),
        };
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE backup_runs SET outcome = $1, file_name = $2, bytes = $3, audit_seq = $4, error = $5,
                    finished_at = $6
             WHERE id = $7 AND outcome = 'running'"
        )
        .bind(state)
        .bind(file_name)
        .bind(bytes)
        .bind(audit_seq)
        .bind(error)
        .bind(ms(scope.at))
        .bind(id.to_string())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent {
            outcome: if state == "verified" { "ok" } else { "failed" },
            ..AuditEvent::ok(action, "backup_run", id)
        };
        tx.audit(scope, event).await?;
        tx.commit().await
    }

    /// The newest run of the year before `now`, if any (what the administrators' home page warns
    /// about).
    pub async fn last_backup_run(&self, now: Timestamp) -> Result<Option<BackupRun>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM backup_runs WHERE started_at >= $1 ORDER BY started_at DESC, id DESC LIMIT 1"
        );
        let row: Option<RunRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(ms(now) - KEPT_FOR_MS)
            .fetch_optional(p)
            .await)?;
        row.map(BackupRun::try_from).transpose()
    }

    /// The runs of the year before `now` (all that are kept), newest first, a page at a time.
    pub async fn backup_runs(&self, request: &PageRequest, now: Timestamp) -> Result<Page<BackupRun>> {
        let after = match cursor(request) {
            None => None,
            Some(id) => {
                let key: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
                    "SELECT started_at FROM backup_runs WHERE id = $1"
                )
                .bind(id)
                .fetch_optional(p)
                .await)?;
                Some((key.ok_or(StoreError::NotFound)?, id.to_owned()))
            }
        };
        let keyset = Keyset::new(request, "started_at", "id", true, 2);
        let sql = format!(
            "SELECT {COLUMNS} FROM backup_runs WHERE started_at >= $1{} {}",
            keyset.condition, keyset.order
        );
        let rows: Vec<RunRow> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(ms(now) - KEPT_FOR_MS);
            if let Some((key, id)) = &after {
                query = query.bind(*key).bind(id.as_str());
            }
            query.fetch_all(p).await
        })?;
        let page = keyset.finish(rows);
        Ok(Page {
            items: runs(page.items)?,
            more_before: page.more_before,
            more_after: page.more_after,
        })
    }
}
