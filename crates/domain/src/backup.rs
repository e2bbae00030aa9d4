//! A backup's manifest, and what a restore checks against it before it writes anything (issue 18,
//! decision 0049): the format and the database it came from, a schema this program knows, every
//! file's checksum, and afterwards the row counts and the audit head it promised.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The backup file's layout: an age-encrypted tar of the database, the documents and this manifest.
pub const FORMAT: u32 = 1;
/// The manifest's name inside the backup, written last (it carries the other files' checksums).
pub const MANIFEST: &str = "manifest.json";

/// The audit chain's head when the backup was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

/// What a backup holds and promises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    /// `sqlite` or `postgres`: a backup restores into the same kind of database.
    pub backend: String,
    /// The newest migration applied to the database backed up.
    pub schema_version: i64,
    /// When it was made (RFC 3339).
    pub made_at: String,
    pub audit_head: AuditHead,
    /// Rows in each table, counted in the same snapshot as the database was copied.
    pub tables: BTreeMap<String, i64>,
    /// Each file in the backup but this manifest, with its SHA-256 (hex).
    pub files: BTreeMap<String, String>,
}

/// Why a backup cannot be restored here; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    UnknownFormat(u32),
    OtherBackend { backup: String, target: String },
    NewerSchema { backup: i64, known: i64 },
    Missing(String),
    Changed(String),
    Unexpected(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::UnknownFormat(n) => write!(f, "the backup's format ({n}) is not one this familytime reads"),
            Refusal::OtherBackend { backup, target } => write!(
                f,
                "the backup is of a {backup} database and cannot be restored into {target}: restore it into the same kind of database"
            ),
            Refusal::NewerSchema { backup, known } => write!(
                f,
                "the backup was made by a newer familytime (schema {backup}; this one knows up to {known}): restore it with that version or later"
            ),
            Refusal::Missing(name) => write!(f, "the backup is incomplete: {name} is missing"),
            Refusal::Changed(name) => write!(f, "the backup is damaged: {name} does not match its checksum"),
            Refusal::Unexpected(name) => write!(f, "the backup holds {name}, which its manifest does not list"),
        }
    }
}

/// Checks, before anything is written, that the backup is whole and can be restored by this program
/// into this kind of database. `found` is each file read from the backup with its SHA-256.
pub fn check_restorable(
    manifest: &Manifest,
    found: &BTreeMap<String, String>,
    target_backend: &str,
    known_schema: i64,
) -> Result<(), Refusal> {
    if manifest.format != FORMAT {
        return Err(Refusal::UnknownFormat(manifest.format));
    }
    if manifest.backend != target_backend {
        return Err(Refusal::OtherBackend {
            backup: manifest.backend.clone(),
            target: target_backend.to_owned(),
        });
    }
    if manifest.schema_version > known_schema {
        return Err(Refusal::NewerSchema {
            backup: manifest.schema_version,
            known: known_schema,
        });
    }
    for (name, sum) in &manifest.files {
        match found.get(name) {
            None => return Err(Refusal::Missing(name.clone())),
            Some(actual) if actual != sum => return Err(Refusal::Changed(name.clone())),
            Some(_) => {}
        }
    }
    if let Some(extra) = found.keys().find(|name| !manifest.files.contains_key(*name)) {
        return Err(Refusal::Unexpected(extra.clone()));
    }
    Ok(())
}

/// The differences between the row counts a backup promised and those of the restored database
/// (empty when they match), each as "table: expected N, found M".
pub fn count_differences(promised: &BTreeMap<String, i64>, restored: &BTreeMap<String, i64>) -> Vec<String> {
    let mut tables: Vec<&String> = promised.keys().chain(restored.keys()).collect();
    tables.sort();
    tables.dedup();
    tables
        .into_iter()
        .filter_map(|table| {
            let (want, got) = (promised.get(table), restored.get(table));
            (want != got).then(|| {
                let show = |n: Option<&i64>| n.map_or_else(|| "no table".to_owned(), i64::to_string);
                format!("{table}: expected {}, found {}", show(want), show(got))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT,
            backend: "sqlite".into(),
            schema_version: 42,
            made_at: "2026-12-07T18:00:00Z".into(),
            audit_head: AuditHead {
                seq: 7,
                hash: "ab".into(),
            },
            tables: BTreeMap::from([("cases".to_owned(), 3)]),
            files: BTreeMap::from([("database.sqlite".to_owned(), "11".to_owned())]),
        }
    }

    fn found(sum: &str) -> BTreeMap<String, String> {
        BTreeMap::from([("database.sqlite".to_owned(), sum.to_owned())])
    }

    #[test]
    fn backup_a_whole_backup_of_a_known_schema_restores() {
        assert_eq!(check_restorable(&manifest(), &found("11"), "sqlite", 42), Ok(()));
        assert_eq!(check_restorable(&manifest(), &found("11"), "sqlite", 50), Ok(()));
    }

    #[test]
    fn backup_a_newer_schema_another_backend_or_a_damaged_file_is_refused() {
        assert_eq!(
            check_restorable(&manifest(), &found("11"), "sqlite", 41),
            Err(Refusal::NewerSchema { backup: 42, known: 41 })
        );
        assert!(matches!(
            check_restorable(&manifest(), &found("11"), "postgres", 42),
            Err(Refusal::OtherBackend { .. })
        ));
        assert_eq!(
            check_restorable(&manifest(), &found("12"), "sqlite", 42),
            Err(Refusal::Changed("database.sqlite".into()))
        );
        assert_eq!(
            check_restorable(&manifest(), &BTreeMap::new(), "sqlite", 42),
            Err(Refusal::Missing("database.sqlite".into()))
        );
        let mut more = found("11");
        more.insert("documents/x".into(), "00".into());
        assert_eq!(
            check_restorable(&manifest(), &more, "sqlite", 42),
            Err(Refusal::Unexpected("documents/x".into()))
        );
        let mut old = manifest();
        old.format = 9;
        assert_eq!(
            check_restorable(&old, &found("11"), "sqlite", 42),
            Err(Refusal::UnknownFormat(9))
        );
    }

    #[test]
    fn backup_counts_that_differ_are_named() {
        let promised = BTreeMap::from([("cases".to_owned(), 3), ("users".to_owned(), 2)]);
        let restored = BTreeMap::from([("cases".to_owned(), 2), ("users".to_owned(), 2)]);
        assert_eq!(count_differences(&promised, &promised), Vec::<String>::new());
        assert_eq!(
            count_differences(&promised, &restored),
            vec!["cases: expected 3, found 2"]
        );
        let fewer = BTreeMap::from([("cases".to_owned(), 3)]);
        assert_eq!(
            count_differences(&promised, &fewer),
            vec!["users: expected 2, found no table"]
        );
    }
}
