//! Versions of list-shaped records (a case's workers, named staff and distribution list, a centre's
//! cancellation policy, an adult's linked account), which have no row of their own to carry one. A write moves the
//! version on inside its own transaction, from the version the writer read: the check is the
//! statement's `WHERE`, so two writers from the same version cannot both win.

use crate::{Result, Store, StoreError, Tx, exec_tx, with_pool};
use familytime_domain::ids::OrganisationId;

/// Which list a version belongs to (the `kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    CaseWorkers,
    ReportDistribution,
    CancellationPolicy,
    PartyAccount,
    CaseNamedStaff,
}

impl ListKind {
    fn as_str(self) -> &'static str {
        match self {
            ListKind::CaseWorkers => "case_workers",
            ListKind::ReportDistribution => "report_distribution",
            ListKind::CancellationPolicy => "cancellation_policy",
            ListKind::PartyAccount => "party_account",
            ListKind::CaseNamedStaff => "case_named_staff",
        }
    }
}

impl Store {
    /// The list's version: 0 before it was ever changed.
    pub async fn list_version(&self, organisation: OrganisationId, kind: ListKind, owner: &str) -> Result<i64> {
        let version: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT version FROM list_versions WHERE organisation_id = $1 AND kind = $2 AND owner_id = $3"
        )
        .bind(organisation.to_string())
        .bind(kind.as_str())
        .bind(owner)
        .fetch_optional(p)
        .await)?;
        Ok(version.unwrap_or(0))
    }
}

impl Tx {
    /// Moves the list's version on from `read` (what the writer saw); `Stale` when it has moved since.
    pub async fn advance_list_version(
        &mut self,
        organisation: OrganisationId,
        kind: ListKind,
        owner: &str,
        read: i64,
    ) -> Result<()> {
        let written = if read == 0 {
            exec_tx!(self, |c| sqlx::query(
                "INSERT INTO list_versions (organisation_id, kind, owner_id, version) VALUES ($1, $2, $3, 1)
                 ON CONFLICT (organisation_id, kind, owner_id) DO NOTHING"
            )
            .bind(organisation.to_string())
            .bind(kind.as_str())
            .bind(owner)
            .execute(c)
            .await)?
        } else {
            exec_tx!(self, |c| sqlx::query(
                "UPDATE list_versions SET version = version + 1
                 WHERE organisation_id = $1 AND kind = $2 AND owner_id = $3 AND version = $4"
            )
            .bind(organisation.to_string())
            .bind(kind.as_str())
            .bind(owner)
            .bind(read)
            .execute(c)
            .await)?
        };
        if written == 1 { Ok(()) } else { Err(StoreError::Stale) }
    }
}
