//! Safeguarding concerns: raising one (audited in the same transaction), the lead's decision (refused
//! as stale when the concern changed since it was opened, never overwritten), the lists the lead and
//! the case page read, and whether an incident on a case is newer than its latest risk assessment.

use crate::paging::{Keyset, Page, PageRequest, placeholders};
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId, UserId};
use familytime_domain::incidents::{Agency, ConcernDecision, ConcernKind, ConcernStatus, NewConcern, reassessment_due};

/// A concern as stored, with the names a page shows beside it.
#[derive(Debug, Clone)]
pub struct Concern {
    pub id: String,
    pub centre_id: CentreId,
    pub centre_name: String,
    pub case_id: Option<CaseId>,
    pub case_reference: Option<String>,
    pub booking_id: Option<BookingId>,
    pub kind: ConcernKind,
    pub about: String,
    pub exact_words: String,
    pub occurred_at: Timestamp,
    pub action_taken: String,
    pub carers_told: bool,
    pub carers_not_told_reason: Option<String>,
    pub raised_by: UserId,
    pub raised_by_name: String,
    pub raised_at: Timestamp,
    pub status: ConcernStatus,
    pub decision: Option<String>,
    pub referred_to: Option<Agency>,
    pub agency_reference: Option<String>,
    pub agency_contact: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub version: i64,
}

/// Where a concern was raised: always a centre, perhaps a case, perhaps one session of it.
#[derive(Debug, Clone, Copy)]
pub struct ConcernPlace {
    pub centre: CentreId,
    pub case: Option<CaseId>,
    pub booking: Option<BookingId>,
}

#[derive(sqlx::FromRow)]
struct ConcernRow {
    id: String,
    centre_id: String,
    centre_name: String,
    case_id: Option<String>,
    reference: Option<String>,
    booking_id: Option<String>,
    kind: String,
    about: String,
    exact_words: String,
    occurred_at: i64,
    action_taken: String,
    carers_told: bool,
    carers_not_told_reason: Option<String>,
    raised_by: String,
    raised_by_name: String,
    raised_at: i64,
    status: String,
    decision: Option<String>,
    referred_to: Option<String>,
    agency_reference: Option<String>,
    agency_contact: Option<String>,
    decided_by_name: Option<String>,
    decided_at: Option<i64>,
    version: i64,
}

impl TryFrom<ConcernRow> for Concern {
    type Error = StoreError;
    fn try_from(r: ConcernRow) -> Result<Self> {
        let bad = || StoreError::Database("unreadable concern row".into());
        Ok(Concern {
            id: r.id,
            centre_id: CentreId::parse(&r.centre_id).map_err(|_| bad())?,
            centre_name: r.centre_name,
            case_id: r.case_id.as_deref().map(CaseId::parse).transpose().map_err(|_| bad())?,
            case_reference: r.reference,
            booking_id: r
                .booking_id
                .as_deref()
                .map(BookingId::parse)
                .transpose()
                .map_err(|_| bad())?,
            kind: ConcernKind::parse(&r.kind).ok_or_else(bad)?,
            about: r.about,
            exact_words: r.exact_words,
            occurred_at: ts(r.occurred_at),
            action_taken: r.action_taken,
            carers_told: r.carers_told,
            carers_not_told_reason: r.carers_not_told_reason,
            raised_by: UserId::parse(&r.raised_by).map_err(|_| bad())?,
            raised_by_name: r.raised_by_name,
            raised_at: ts(r.raised_at),
            status: ConcernStatus::parse(&r.status).ok_or_else(bad)?,
            decision: r.decision,
            referred_to: match r.referred_to.as_deref() {
                Some(a) => Some(Agency::parse(a).ok_or_else(bad)?),
                None => None,
            },
            agency_reference: r.agency_reference,
            agency_contact: r.agency_contact,
            decided_by_name: r.decided_by_name,
            decided_at: r.decided_at.map(ts),
            version: r.version,
        })
    }
}

/// The one SELECT every read shares; callers add the WHERE and ORDER BY. The centre and the person
/// who raised it always exist (foreign keys); they are left joins so that the concerns are the outer
/// loop: SQLite would otherwise start from the few centres and sort every concern of the
/// organisation, where a page (decision 0036) reads the concerns in their index's order and stops.
const CONCERN_SELECT: &str = "SELECT s.id, s.centre_id, ce.name AS centre_name, s.case_id, ca.reference, s.booking_id, s.kind, s.about,
        s.exact_words, s.occurred_at, s.action_taken, s.carers_told, s.carers_not_told_reason, s.raised_by, r.name AS raised_by_name,
        s.raised_at, s.status, s.decision, s.referred_to, s.agency_reference, s.agency_contact, d.name AS decided_by_name,
        s.decided_at, s.version
     FROM safeguarding_concerns s
     LEFT JOIN centres ce ON ce.organisation_id = s.organisation_id AND ce.id = s.centre_id
     LEFT JOIN users r ON r.organisation_id = s.organisation_id AND r.id = s.raised_by
     LEFT JOIN users d ON d.organisation_id = s.organisation_id AND d.id = s.decided_by
     LEFT JOIN cases ca ON ca.organisation_id = s.organisation_id AND ca.id = s.case_id";

/// Open concerns first, then the newest.
const CONCERN_ORDER: &str = "ORDER BY CASE WHEN s.status = 'open' THEN 0 ELSE 1 END, s.raised_at DESC, s.id";

/// One decision on a concern, as recorded.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRecord {
    pub decision: String,
    pub referred_to: String,
    pub agency_reference: Option<String>,
    pub agency_contact: Option<String>,
    pub closed: bool,
    pub decided_by_name: Option<String>,
    pub decided_at: i64,
}

impl Store {
    /// Records a concern raised by the scope's actor; returns its id.
    pub async fn raise_concern(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        place: ConcernPlace,
        concern: &NewConcern,
    ) -> Result<String> {
        let raised_by = scope
            .actor_user_id
            .ok_or_else(|| StoreError::Database("a concern needs the person raising it".into()))?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO safeguarding_concerns (organisation_id, id, centre_id, case_id, booking_id, kind, about, exact_words,
                 occurred_at, action_taken, carers_told, carers_not_told_reason, raised_by, raised_at, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open')"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(place.centre.to_string())
        .bind(place.case.map(|c| c.to_string()))
        .bind(place.booking.map(|b| b.to_string()))
        .bind(concern.kind.as_str())
        .bind(&concern.about)
        .bind(&concern.exact_words)
        .bind(ms(concern.occurred_at))
        .bind(&concern.action_taken)
        .bind(concern.carers_told)
        .bind(concern.carers_not_told_reason.as_deref())
        .bind(raised_by.to_string())
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("concern.raise", "concern", &id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records the lead's decision on an open concern, closing it if the decision says so. Refused
    /// as `Stale` when the concern changed since `version` was read, and as a conflict once closed.
    pub async fn decide_concern(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: &str,
        decision: &ConcernDecision,
        version: i64,
    ) -> Result<()> {
        let status = if decision.close {
            ConcernStatus::Closed
        } else {
            ConcernStatus::Open
        };
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE safeguarding_concerns SET status = $1, decision = $2, referred_to = $3, agency_reference = $4,
                 agency_contact = $5, decided_by = $6, decided_at = $7, version = version + 1
             WHERE organisation_id = $8 AND id = $9 AND version = $10 AND status = 'open'"
        )
        .bind(status.as_str())
        .bind(&decision.decision)
        .bind(decision.referred_to.as_str())
        .bind(decision.agency_reference.as_deref())
        .bind(decision.agency_contact.as_deref())
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id)
        .bind(version)
        .execute(c)
        .await)?;
        if changed == 0 {
            drop(tx);
            // Say why: gone (not found), closed by someone else, or changed since it was read.
            let now = self.concern(organisation, id).await?;
            if now.status == ConcernStatus::Closed {
                return Err(StoreError::Conflict(
                    "This concern has been closed: its decision can no longer be changed".into(),
                ));
            }
            return Err(StoreError::Stale);
        }
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO concern_decisions (organisation_id, id, concern_id, decision, referred_to, agency_reference,
                agency_contact, closed, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(id)
        .bind(&decision.decision)
        .bind(decision.referred_to.as_str())
        .bind(decision.agency_reference.as_deref())
        .bind(decision.agency_contact.as_deref())
        .bind(decision.close)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)?;
        let action = if decision.close {
            "concern.close"
        } else {
            "concern.decide"
        };
        tx.audit(scope, AuditEvent::ok(action, "concern", id)).await?;
        tx.commit().await
    }

    /// Every decision recorded on a concern, oldest first.
    pub async fn concern_decisions(&self, organisation: OrganisationId, id: &str) -> Result<Vec<DecisionRecord>> {
        with_pool!(self, |p| sqlx::query_as(
            "SELECT d.decision, d.referred_to, d.agency_reference, d.agency_contact, d.closed, u.name AS decided_by_name,
                d.decided_at
             FROM concern_decisions d
             LEFT JOIN users u ON u.organisation_id = d.organisation_id AND u.id = d.decided_by
             WHERE d.organisation_id = $1 AND d.concern_id = $2 ORDER BY d.decided_at, d.id"
        )
        .bind(organisation.to_string())
        .bind(id)
        .fetch_all(p)
        .await)
        .map_err(StoreError::from)
    }

    /// One concern of the organisation.
    pub async fn concern(&self, organisation: OrganisationId, id: &str) -> Result<Concern> {
        let sql = format!("{CONCERN_SELECT} WHERE s.organisation_id = $1 AND s.id = $2");
        let row: ConcernRow = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(id)
            .fetch_one(p)
            .await)?;
        row.try_into()
    }

    /// The organisation's concerns (only the open ones, if asked), optionally at one centre: open
    /// first, then the newest.
    pub async fn concerns(
        &self,
        organisation: OrganisationId,
        centre: Option<CentreId>,
        open_only: bool,
    ) -> Result<Vec<Concern>> {
        // Each filter asked for is its own bound condition (an optional `($n = '' OR …)` keeps the
        // planner from the indexes that lead with it; decision 0033).
        let mut filters = String::new();
        let mut values = Vec::new();
        if let Some(centre) = centre {
            values.push(centre.to_string());
            filters.push_str(&format!(" AND s.centre_id = ${}", values.len() + 1));
        }
        if open_only {
            values.push(ConcernStatus::Open.as_str().to_owned());
            filters.push_str(&format!(" AND s.status = ${}", values.len() + 1));
        }
        let sql = format!("{CONCERN_SELECT} WHERE s.organisation_id = $1{filters} {CONCERN_ORDER}");
        let rows: Vec<ConcernRow> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organisation.to_string());
            for value in &values {
                query = query.bind(value.as_str());
            }
            query.fetch_all(p).await
        })?;
        rows.into_iter().map(Concern::try_from).collect()
    }

    /// One page of the organisation's concerns, newest first (decision 0036), of one status or any,
    /// at the centres given (`None`: every centre). A cursor naming no concern of the organisation
    /// is `NotFound`.
    pub async fn concern_page(
        &self,
        organisation: OrganisationId,
        status: Option<ConcernStatus>,
        centres: Option<&[CentreId]>,
        request: &PageRequest,
    ) -> Result<Page<Concern>> {
        let org = organisation.to_string();
        let after = self
            .cursor_key::<i64>(request, "safeguarding_concerns", "raised_at", &org)
            .await?;
        if centres.is_some_and(<[CentreId]>::is_empty) {
            return Ok(Keyset::new(request, "s.raised_at", "s.id", true, 2).finish(Vec::new()));
        }
        // Each filter asked for is its own bound condition (decision 0033).
        let mut filters = String::new();
        let mut values: Vec<String> = Vec::new();
        if let Some(status) = status {
            values.push(status.as_str().to_owned());
            filters.push_str(&format!(" AND s.status = ${}", values.len() + 1));
        }
        if let Some(centres) = centres {
            let first = values.len() + 2;
            values.extend(centres.iter().map(ToString::to_string));
            filters.push_str(&format!(" AND s.centre_id IN ({})", placeholders(first, centres.len())));
        }
        let keyset = Keyset::new(request, "s.raised_at", "s.id", true, values.len() + 2);
        let sql = format!(
            "{CONCERN_SELECT} WHERE s.organisation_id = $1{filters}{} {}",
            keyset.condition, keyset.order
        );
        let rows: Vec<ConcernRow> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&org);
            for value in &values {
                query = query.bind(value.as_str());
            }
            if let Some((key, id)) = &after {
                query = query.bind(*key).bind(id.as_str());
            }
            query.fetch_all(p).await
        })?;
        let page = keyset.finish(rows);
        Ok(Page {
            items: page.items.into_iter().map(Concern::try_from).collect::<Result<_>>()?,
            more_before: page.more_before,
            more_after: page.more_after,
        })
    }

    /// The concerns raised on one case: open first, then the newest.
    pub async fn case_concerns(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<Concern>> {
        let sql = format!("{CONCERN_SELECT} WHERE s.organisation_id = $1 AND s.case_id = $2 {CONCERN_ORDER}");
        let rows: Vec<ConcernRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(case.to_string())
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Concern::try_from).collect()
    }

    /// When a concern that prompts a risk reassessment was raised on the case after its latest risk
    /// assessment (the latest such concern), or `None` when risk has been assessed since.
    pub async fn risk_reassessment_due(&self, organisation: OrganisationId, case: CaseId) -> Result<Option<Timestamp>> {
        let raised: Vec<(String, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT kind, raised_at FROM safeguarding_concerns WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        if raised.is_empty() {
            return Ok(None);
        }
        let assessed: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT MAX(assessed_at) FROM risk_assessments WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_one(p)
        .await)?;
        let concerns: Vec<(ConcernKind, Timestamp)> = raised
            .into_iter()
            .filter_map(|(kind, at)| ConcernKind::parse(&kind).map(|k| (k, ts(at))))
            .collect();
        Ok(reassessment_due(&concerns, assessed.map(ts)))
    }
}
