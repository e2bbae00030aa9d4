//! Who may see a case's hidden contact details: the staff named for a case (its key worker and the
//! coordinators and managers named for it), the sessions a person supervises, and the reasons given
//! to see a case's details without being named ("break glass"). The store gathers the facts; the
//! decision is `familytime_domain::confidential::may_disclose`.

use crate::versions::ListKind;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::confidential::CaseRelation;
use familytime_domain::ids::{CaseId, CentreId, OrganisationId, UserId};
use familytime_domain::people::Role;

/// A member of staff named for a case.
#[derive(Debug, Clone)]
pub struct NamedStaff {
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
    pub key_worker: bool,
}

/// A reason someone gave to see a case's hidden details, for the safeguarding lead.
#[derive(Debug, Clone)]
pub struct BreakGlass {
    pub id: String,
    pub case_id: CaseId,
    pub case_reference: String,
    pub centre_id: CentreId,
    pub user_id: UserId,
    pub user_name: String,
    pub reason: String,
    pub given_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct NamedRow {
    user_id: String,
    name: String,
    role: String,
    key_worker: bool,
}

#[derive(sqlx::FromRow)]
struct BreakGlassRow {
    id: String,
    case_id: String,
    reference: String,
    centre_id: String,
    user_id: String,
    name: String,
    reason: String,
    given_at: i64,
    expires_at: i64,
}

fn unreadable() -> StoreError {
    StoreError::Database("unreadable row".into())
}

impl Store {
    /// The staff named for a case, the key worker first.
    pub async fn named_staff(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<NamedStaff>> {
        let rows: Vec<NamedRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT n.user_id, u.name, u.role, n.key_worker FROM case_named_staff n
             JOIN users u ON u.organisation_id = n.organisation_id AND u.id = n.user_id
             WHERE n.organisation_id = $1 AND n.case_id = $2 ORDER BY n.key_worker DESC, u.name, u.id"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|r| {
                Ok(NamedStaff {
                    user_id: UserId::parse(&r.user_id).map_err(|_| unreadable())?,
                    role: Role::parse(&r.role).map_err(|_| unreadable())?,
                    name: r.name,
                    key_worker: r.key_worker,
                })
            })
            .collect()
    }

    /// The version of the case's list of named staff (0: never changed).
    pub async fn named_staff_version(&self, organisation: OrganisationId, case: CaseId) -> Result<i64> {
        self.list_version(organisation, ListKind::CaseNamedStaff, &case.to_string())
            .await
    }

    /// Names the case's key worker (or none) and the other staff named for it, replacing who was
    /// named before, if the list is still at `version` (`Stale` otherwise, nothing changed); audited
    /// in the same transaction. The people are already checked by the caller.
    pub async fn set_named_staff(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        version: i64,
        key_worker: Option<UserId>,
        named: &[UserId],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        // The version moves on first, so of two changes from the same version exactly one goes through.
        tx.advance_list_version(organisation, ListKind::CaseNamedStaff, &case.to_string(), version)
            .await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM case_named_staff WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .execute(c)
        .await)?;
        let everyone = key_worker
            .iter()
            .map(|k| (*k, true))
            .chain(named.iter().filter(|n| Some(**n) != key_worker).map(|n| (*n, false)));
        for (user, is_key) in everyone {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO case_named_staff (organisation_id, case_id, user_id, key_worker, named_by, named_at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"
            )
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(user.to_string())
            .bind(is_key)
            .bind(scope.actor_user_id.map(|u| u.to_string()))
            .bind(ms(scope.at))
            .execute(c)
            .await)?;
        }
        tx.audit(scope, AuditEvent::ok("case.named_staff", "case", case))
            .await?;
        tx.commit().await
    }

    /// What the store knows about one person and one case: whether they are named for it, the
    /// starts of the case's sessions they supervise between `from` and `to` (not cancelled ones), and
    /// until when their latest reason to see its hidden details counts.
    pub async fn case_relation(
        &self,
        organisation: OrganisationId,
        case: CaseId,
        user: UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<CaseRelation> {
        let (org, case, user) = (organisation.to_string(), case.to_string(), user.to_string());
        let named: Option<bool> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT key_worker FROM case_named_staff WHERE organisation_id = $1 AND case_id = $2 AND user_id = $3"
        )
        .bind(&org)
        .bind(&case)
        .bind(&user)
        .fetch_optional(p)
        .await)?;
        let starts: Vec<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT b.starts_at FROM bookings b
             JOIN booking_staff s ON s.organisation_id = b.organisation_id AND s.booking_id = b.id
             WHERE b.organisation_id = $1 AND b.case_id = $2 AND s.user_id = $3 AND b.status <> 'cancelled'
               AND b.starts_at >= $4 AND b.starts_at < $5
             ORDER BY b.starts_at"
        )
        .bind(&org)
        .bind(&case)
        .bind(&user)
        .bind(ms(from))
        .bind(ms(to))
        .fetch_all(p)
        .await)?;
        let until: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT max(expires_at) FROM break_glass WHERE organisation_id = $1 AND case_id = $2 AND user_id = $3"
        )
        .bind(&org)
        .bind(&case)
        .bind(&user)
        .fetch_one(p)
        .await)?;
        Ok(CaseRelation {
            key_worker: named == Some(true),
            named: named.is_some(),
            supervising: starts.into_iter().map(ts).collect(),
            break_glass_until: until.map(ts),
        })
    }

    /// Keeps a reason given to see a case's hidden details, with the audit entry that names the
    /// case (never the reason: the audit log is read more widely than this table).
    pub async fn give_break_glass(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        user: UserId,
        reason: &str,
        expires_at: Timestamp,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO break_glass (organisation_id, id, case_id, user_id, reason, given_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(case.to_string())
        .bind(user.to_string())
        .bind(reason)
        .bind(ms(scope.at))
        .bind(ms(expires_at))
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("contact.break_glass", "case", case))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The reasons given in the organisation, newest first, at most `limit`.
    pub async fn break_glass_list(&self, organisation: OrganisationId, limit: i64) -> Result<Vec<BreakGlass>> {
        let rows: Vec<BreakGlassRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT g.id, g.case_id, c.reference, c.centre_id, g.user_id, u.name, g.reason, g.given_at, g.expires_at
             FROM break_glass g
             JOIN cases c ON c.organisation_id = g.organisation_id AND c.id = g.case_id
             JOIN users u ON u.organisation_id = g.organisation_id AND u.id = g.user_id
             WHERE g.organisation_id = $1 ORDER BY g.given_at DESC, g.id DESC LIMIT $2"
        )
        .bind(organisation.to_string())
        .bind(limit)
        .fetch_all(p)
        .await
        })?;
        rows.into_iter()
            .map(|r| {
                Ok(BreakGlass {
                    case_id: CaseId::parse(&r.case_id).map_err(|_| unreadable())?,
                    centre_id: CentreId::parse(&r.centre_id).map_err(|_| unreadable())?,
                    user_id: UserId::parse(&r.user_id).map_err(|_| unreadable())?,
                    id: r.id,
                    case_reference: r.reference,
                    user_name: r.name,
                    reason: r.reason,
                    given_at: ts(r.given_at),
                    expires_at: ts(r.expires_at),
                })
            })
            .collect()
    }
}
