//! Schema migrations, embedded in the binary and run at every start (and by `familytime migrate`).
//! Each backend has its own SQL files with the same numbers; a migration and its record are applied
//! in one transaction, so a crash leaves either both or neither.

use crate::{Pool, Result, Store, StoreError, ms};
use jiff::Timestamp;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "platform",
        sqlite: include_str!("../migrations/sqlite/0001_platform.sql"),
        postgres: include_str!("../migrations/postgres/0001_platform.sql"),
    },
    Migration {
        version: 2,
        name: "referrals",
        sqlite: include_str!("../migrations/sqlite/0002_referrals.sql"),
        postgres: include_str!("../migrations/postgres/0002_referrals.sql"),
    },
    Migration {
        version: 3,
        name: "pre-visits",
        sqlite: include_str!("../migrations/sqlite/0003_previsits.sql"),
        postgres: include_str!("../migrations/postgres/0003_previsits.sql"),
    },
    Migration {
        version: 4,
        name: "self-referral",
        sqlite: include_str!("../migrations/sqlite/0004_self_referral.sql"),
        postgres: include_str!("../migrations/postgres/0004_self_referral.sql"),
    },
    Migration {
        version: 5,
        name: "documents",
        sqlite: include_str!("../migrations/sqlite/0005_documents.sql"),
        postgres: include_str!("../migrations/postgres/0005_documents.sql"),
    },
    Migration {
        version: 6,
        name: "schedule",
        sqlite: include_str!("../migrations/sqlite/0006_schedule.sql"),
        postgres: include_str!("../migrations/postgres/0006_schedule.sql"),
    },
    Migration {
        version: 7,
        name: "records",
        sqlite: include_str!("../migrations/sqlite/0007_records.sql"),
        postgres: include_str!("../migrations/postgres/0007_records.sql"),
    },
    Migration {
        version: 8,
        name: "observation checklist",
        sqlite: include_str!("../migrations/sqlite/0008_observation_checklist.sql"),
        postgres: include_str!("../migrations/postgres/0008_observation_checklist.sql"),
    },
    Migration {
        version: 9,
        name: "billing",
        sqlite: include_str!("../migrations/sqlite/0009_billing.sql"),
        postgres: include_str!("../migrations/postgres/0009_billing.sql"),
    },
    Migration {
        version: 10,
        name: "concern decisions kept",
        sqlite: include_str!("../migrations/sqlite/0010_concern_decisions.sql"),
        postgres: include_str!("../migrations/postgres/0010_concern_decisions.sql"),
    },
    Migration {
        version: 11,
        name: "audit queue",
        sqlite: include_str!("../migrations/sqlite/0011_audit_queue.sql"),
        postgres: include_str!("../migrations/postgres/0011_audit_queue.sql"),
    },
    Migration {
        version: 12,
        name: "exclusive claims alone",
        sqlite: include_str!("../migrations/sqlite/0012_exclusive_claims_alone.sql"),
        postgres: include_str!("../migrations/postgres/0012_exclusive_claims_alone.sql"),
    },
    Migration {
        version: 13,
        name: "one claims constraint",
        sqlite: include_str!("../migrations/sqlite/0013_one_claims_constraint.sql"),
        postgres: include_str!("../migrations/postgres/0013_one_claims_constraint.sql"),
    },
    Migration {
        version: 14,
        name: "case people by case",
        sqlite: include_str!("../migrations/sqlite/0014_case_people_by_case.sql"),
        postgres: include_str!("../migrations/postgres/0014_case_people_by_case.sql"),
    },
    Migration {
        version: 15,
        name: "claims by key",
        sqlite: include_str!("../migrations/sqlite/0015_claims_by_key.sql"),
        postgres: include_str!("../migrations/postgres/0015_claims_by_key.sql"),
    },
    Migration {
        version: 16,
        name: "list versions",
        sqlite: include_str!("../migrations/sqlite/0016_list_versions.sql"),
        postgres: include_str!("../migrations/postgres/0016_list_versions.sql"),
    },
    Migration {
        version: 17,
        name: "hidden details",
        sqlite: include_str!("../migrations/sqlite/0017_hidden_details.sql"),
        postgres: include_str!("../migrations/postgres/0017_hidden_details.sql"),
    },
    Migration {
        version: 18,
        name: "sign-in throttle",
        sqlite: include_str!("../migrations/sqlite/0018_sign_in_throttle.sql"),
        postgres: include_str!("../migrations/postgres/0018_sign_in_throttle.sql"),
    },
    Migration {
        version: 21,
        name: "pre-visit bookings",
        sqlite: include_str!("../migrations/sqlite/0021_previsit_bookings.sql"),
        postgres: include_str!("../migrations/postgres/0021_previsit_bookings.sql"),
    },
    Migration {
        version: 22,
        name: "what the family said",
        sqlite: include_str!("../migrations/sqlite/0022_what_the_family_said.sql"),
        postgres: include_str!("../migrations/postgres/0022_what_the_family_said.sql"),
    },
    Migration {
        version: 24,
        name: "indexes for reads",
        sqlite: include_str!("../migrations/sqlite/0024_indexes_for_reads.sql"),
        postgres: include_str!("../migrations/postgres/0024_indexes_for_reads.sql"),
    },
    Migration {
        version: 26,
        name: "paged lists",
        sqlite: include_str!("../migrations/sqlite/0026_paged_lists.sql"),
        postgres: include_str!("../migrations/postgres/0026_paged_lists.sql"),
    },
    Migration {
        version: 28,
        name: "referrers' own cases",
        sqlite: include_str!("../migrations/sqlite/0028_referrers_own_cases.sql"),
        postgres: include_str!("../migrations/postgres/0028_referrers_own_cases.sql"),
    },
    Migration {
        version: 29,
        name: "languages",
        sqlite: include_str!("../migrations/sqlite/0029_languages.sql"),
        postgres: include_str!("../migrations/postgres/0029_languages.sql"),
    },
    Migration {
        version: 30,
        name: "calendar sequence",
        sqlite: include_str!("../migrations/sqlite/0030_calendar_sequence.sql"),
        postgres: include_str!("../migrations/postgres/0030_calendar_sequence.sql"),
    },
    Migration {
        version: 31,
        name: "booking rules",
        sqlite: include_str!("../migrations/sqlite/0031_booking_rules.sql"),
        postgres: include_str!("../migrations/postgres/0031_booking_rules.sql"),
    },
    Migration {
        version: 36,
        name: "report language",
        sqlite: include_str!("../migrations/sqlite/0036_report_language.sql"),
        postgres: include_str!("../migrations/postgres/0036_report_language.sql"),
    },
    Migration {
        version: 37,
        name: "outbox",
        sqlite: include_str!("../migrations/sqlite/0037_outbox.sql"),
        postgres: include_str!("../migrations/postgres/0037_outbox.sql"),
    },
    Migration {
        version: 39,
        name: "court order patterns and rules agreements",
        sqlite: include_str!("../migrations/sqlite/0039_court_order_patterns.sql"),
        postgres: include_str!("../migrations/postgres/0039_court_order_patterns.sql"),
    },
    Migration {
        version: 40,
        name: "day plan",
        sqlite: include_str!("../migrations/sqlite/0040_day_plan.sql"),
        postgres: include_str!("../migrations/postgres/0040_day_plan.sql"),
    },
    Migration {
        version: 41,
        name: "interpreters",
        sqlite: include_str!("../migrations/sqlite/0041_interpreters.sql"),
        postgres: include_str!("../migrations/postgres/0041_interpreters.sql"),
    },
    Migration {
        version: 42,
        name: "step-up and the report fee",
        sqlite: include_str!("../migrations/sqlite/0042_step_up_and_report_fee.sql"),
        postgres: include_str!("../migrations/postgres/0042_step_up_and_report_fee.sql"),
    },
    Migration {
        version: 43,
        name: "notices to referrers and the kinds of message",
        sqlite: include_str!("../migrations/sqlite/0043_notices.sql"),
        postgres: include_str!("../migrations/postgres/0043_notices.sql"),
    },
    Migration {
        version: 44,
        name: "accounts by e-mail and preferences",
        sqlite: include_str!("../migrations/sqlite/0044_accounts_by_email_and_preferences.sql"),
        postgres: include_str!("../migrations/postgres/0044_accounts_by_email_and_preferences.sql"),
    },
    Migration {
        version: 45,
        name: "two-factor sign-in",
        sqlite: include_str!("../migrations/sqlite/0045_two_factor.sql"),
        postgres: include_str!("../migrations/postgres/0045_two_factor.sql"),
    },
    Migration {
        version: 46,
        name: "audit key",
        sqlite: include_str!("../migrations/sqlite/0046_audit_key.sql"),
        postgres: include_str!("../migrations/postgres/0046_audit_key.sql"),
    },
    Migration {
        version: 47,
        name: "scheduled backups",
        sqlite: include_str!("../migrations/sqlite/0047_backup_runs.sql"),
        postgres: include_str!("../migrations/postgres/0047_backup_runs.sql"),
    },
];

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

/// Applies the migrations not yet recorded, inside the open transaction `$tx`.
macro_rules! apply_pending {
    ($tx:ident, $dialect:ident, $applied:ident) => {
        for m in MIGRATIONS {
            let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(m.version)
                .fetch_optional(&mut *$tx)
                .await?;
            if done.is_none() {
                sqlx::raw_sql(m.$dialect)
                    .execute(&mut *$tx)
                    .await
                    .map_err(|e| failed(m, e))?;
                sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                    .bind(m.version)
                    .bind(m.name)
                    .bind(ms(Timestamp::now()))
                    .execute(&mut *$tx)
                    .await?;
                $applied += 1;
            }
        }
    };
}

/// The newest schema this program knows (a backup of a newer one is not restored by it).
pub fn newest_schema_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

impl Store {
    /// Applies every migration not yet applied; returns how many were.
    pub async fn migrate(&self) -> Result<usize> {
        let mut applied = 0;
        match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::raw_sql(CREATE_TABLE).execute(p).await?;
                let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
                apply_pending!(tx, sqlite, applied);
                tx.commit().await?;
            }
            Pool::Postgres(p) => {
                let mut tx = p.begin().await?;
                // Two servers starting at once must not both migrate.
                sqlx::query("SELECT pg_advisory_xact_lock(746679)")
                    .execute(&mut *tx)
                    .await?;
                sqlx::raw_sql(CREATE_TABLE).execute(&mut *tx).await?;
                apply_pending!(tx, postgres, applied);
                tx.commit().await?;
            }
        }
        Ok(applied)
    }
}

fn failed(m: &Migration, err: sqlx::Error) -> StoreError {
    StoreError::Database(format!(
        "migration {} ({}) failed: {}",
        m.version,
        m.name,
        StoreError::from(err)
    ))
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    /// Every migration file of each backend is in the list, under the version its name starts
    /// with: a file left out would never run (and a new index would silently be missing).
    #[test]
    fn every_migration_file_is_listed() {
        for backend in ["sqlite", "postgres"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(backend);
            let mut on_disk: Vec<i64> = std::fs::read_dir(&dir)
                .map(|entries| {
                    entries
                        .filter_map(|e| e.ok()?.file_name().to_str()?.get(..4)?.parse().ok())
                        .collect()
                })
                .unwrap_or_default();
            on_disk.sort_unstable();
            let listed: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
            assert!(!on_disk.is_empty(), "no migrations found in {}", dir.display());
            assert_eq!(
                on_disk, listed,
                "{backend}: the files in migrations/ and the list differ"
            );
        }
    }
}
