//! The centre's rules, version by version, and each parent's agreement to a version (issue 19
//! item 2, decision 0046): which version, on what day, how it was recorded, by whom. Agreements are
//! only ever added. The latest version issued is the current one; the booking rules ask each parent
//! for theirs to it (`booking_rules`). An organisation that never issued a version has an implicit
//! first one ("1"), written the first time someone agrees to it.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::Timestamp;
pub use familytime_domain::agreements::How;
use familytime_domain::ids::{CaseId, OrganisationId};
use jiff::civil::Date;

/// The id and label of the first version, which every organisation has (the migration wrote it
/// for the organisations there were, and the first agreement writes it for a newer one).
pub const FIRST_ID: &str = "rules-v1";
pub const FIRST_LABEL: &str = "1";

/// A version of the centre's rules.
#[derive(Debug, Clone)]
pub struct RulesVersion {
    pub id: String,
    pub label: String,
    pub issued_on: Date,
    pub summary: Option<String>,
}

/// An agreement as the case page and the API show it.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub id: String,
    pub party_id: String,
    pub party_name: String,
    pub version: String,
    pub agreed_on: Date,
    pub how: How,
    pub recorded_by: Option<String>,
    pub recorded_at: Timestamp,
}

fn date_of(text: &str) -> Result<Date> {
    text.parse()
        .map_err(|_| StoreError::Database("a date that does not read back".into()))
}

impl Store {
    /// The organisation's versions of its rules, newest first.
    pub async fn rules_versions(&self, organisation: OrganisationId) -> Result<Vec<RulesVersion>> {
        let rows: Vec<(String, String, String, Option<String>)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, label, issued_on, summary FROM rules_versions WHERE organisation_id = $1
             ORDER BY issued_on DESC, recorded_at DESC LIMIT 50"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|(id, label, issued_on, summary)| {
                Ok(RulesVersion {
                    id,
                    label,
                    issued_on: date_of(&issued_on)?,
                    summary,
                })
            })
            .collect()
    }

    /// Issues a new version of the rules (it becomes the current one from its date on, and every
    /// parent is asked to agree to it before contact). A label used before is a `Conflict`.
    pub async fn add_rules_version(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        label: &str,
        issued_on: Date,
        summary: Option<&str>,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        Self::first_version(&mut tx, organisation).await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO rules_versions (organisation_id, id, label, issued_on, summary, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(label)
        .bind(issued_on.to_string())
        .bind(summary)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "A version with that label was issued already: give this one its own"))?;
        tx.audit(scope, AuditEvent::ok("rules.version", "organisation", organisation))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Writes the implicit first version if the organisation has none yet.
    async fn first_version(tx: &mut Tx, organisation: OrganisationId) -> Result<()> {
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO rules_versions (organisation_id, id, label, issued_on, summary, recorded_by, recorded_at)
             VALUES ($1, $2, $3, '2020-01-01', NULL, NULL, 0) ON CONFLICT DO NOTHING"
        )
        .bind(organisation.to_string())
        .bind(FIRST_ID)
        .bind(FIRST_LABEL)
        .execute(c)
        .await)?;
        Ok(())
    }

    /// The current version's id and label (the first one written if there was none).
    async fn current_version_in(tx: &mut Tx, organisation: OrganisationId) -> Result<(String, String)> {
        Self::first_version(tx, organisation).await?;
        Ok(with_tx!(tx, |c| sqlx::query_as(
            "SELECT id, label FROM rules_versions WHERE organisation_id = $1
             ORDER BY issued_on DESC, recorded_at DESC LIMIT 1"
        )
        .bind(organisation.to_string())
        .fetch_one(c)
        .await)?)
    }

    /// Records a parent's agreement to the current version of the rules, inside `tx`, with the
    /// case's row locked as a booking locks it. `Ok(None)` when they had agreed to it already.
    /// A party not of the case, or not a parent, is `NotFound`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn insert_agreement(
        tx: &mut Tx,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        party: &str,
        agreed_on: Date,
        how: How,
    ) -> Result<Option<String>> {
        Self::lock_case(tx, organisation, case).await?;
        let (org, case_id) = (organisation.to_string(), case.to_string());
        let parent: Option<(String,)> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT id FROM case_parties WHERE organisation_id = $1 AND case_id = $2 AND id = $3
               AND role IN ('resident', 'visiting')"
        )
        .bind(&org)
        .bind(&case_id)
        .bind(party)
        .fetch_optional(c)
        .await)?;
        if parent.is_none() {
            return Err(StoreError::NotFound);
        }
        let (version, _) = Self::current_version_in(tx, organisation).await?;
        let already: Option<(String,)> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT id FROM rules_agreements WHERE organisation_id = $1 AND case_id = $2 AND rules_version_id = $3
               AND party_id = $4"
        )
        .bind(&org)
        .bind(&case_id)
        .bind(&version)
        .bind(party)
        .fetch_optional(c)
        .await)?;
        if already.is_some() {
            return Ok(None);
        }
        let id = uuid::Uuid::now_v7().to_string();
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO rules_agreements (organisation_id, id, case_id, party_id, rules_version_id, agreed_on, how,
                recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(&org)
        .bind(&id)
        .bind(&case_id)
        .bind(party)
        .bind(&version)
        .bind(agreed_on.to_string())
        .bind(how.as_str())
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("rules.agreement", "case", case)).await?;
        Ok(Some(id))
    }

    /// Records a parent's agreement to the current version; refused (`Conflict`, nothing written)
    /// when they had agreed to it already.
    pub async fn record_agreement(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        party: &str,
        agreed_on: Date,
        how: How,
    ) -> Result<String> {
        let mut tx = self.begin().await?;
        let id = Self::insert_agreement(&mut tx, scope, organisation, case, party, agreed_on, how).await?;
        let Some(id) = id else {
            return Err(StoreError::Conflict(
                "This parent has agreed to the current version of the rules already".into(),
            ));
        };
        tx.commit().await?;
        Ok(id)
    }

    /// The case's agreements, newest first (a case has a handful: one per parent per version).
    pub async fn case_agreements(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<Agreement>> {
        type Row = (String, String, String, String, String, String, Option<String>, i64);
        let rows: Vec<Row> = with_pool!(self, |p| sqlx::query_as(
            "SELECT a.id, a.party_id, p.name, v.label, a.agreed_on, a.how, u.name, a.recorded_at
             FROM rules_agreements a
             JOIN case_parties p ON p.organisation_id = a.organisation_id AND p.id = a.party_id
             JOIN rules_versions v ON v.organisation_id = a.organisation_id AND v.id = a.rules_version_id
             LEFT JOIN users u ON u.organisation_id = a.organisation_id AND u.id = a.recorded_by
             WHERE a.organisation_id = $1 AND a.case_id = $2
             ORDER BY a.recorded_at DESC, a.id DESC"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|(id, party_id, party_name, version, agreed_on, how, recorded_by, at)| {
                Ok(Agreement {
                    id,
                    party_id,
                    party_name,
                    version,
                    agreed_on: date_of(&agreed_on)?,
                    how: How::parse(&how).ok_or_else(|| StoreError::Database("an unknown way of agreeing".into()))?,
                    recorded_by,
                    recorded_at: ts(at),
                })
            })
            .collect()
    }
}
