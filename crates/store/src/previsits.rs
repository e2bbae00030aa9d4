//! Pre-visits: the record of each adult's visit. The visit itself is a booking of kind pre-visit
//! (written with its record by `Store::book`, moved and cancelled as bookings are); its outcome is
//! recorded here, and only once the visit's time has come (decision 0030).

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ids::{CaseId, OrganisationId, PartyId};
use familytime_domain::intake::PartyRole;
use familytime_domain::previsits::{Visit, VisitStatus};

#[derive(Debug, Clone)]
pub struct PreVisit {
    pub id: String,
    pub case_id: CaseId,
    pub party_id: PartyId,
    pub party_name: String,
    pub role: PartyRole,
    /// The booking that holds its room and staff (none for a pre-visit booked before they did).
    pub booking_id: Option<String>,
    pub at: Timestamp,
    pub status: VisitStatus,
    pub rules_agreed: bool,
    pub checklist: Vec<String>,
    pub notes: Option<String>,
    pub version: i64,
}

impl PreVisit {
    pub fn as_visit(&self) -> Visit<PartyId> {
        Visit {
            party: self.party_id,
            role: self.role,
            at: self.at,
            status: self.status,
            rules_agreed: self.rules_agreed,
        }
    }
}

/// What a pre-visit record says, already checked.
pub struct VisitRecord<'a> {
    pub status: VisitStatus,
    pub rules_agreed: bool,
    pub checklist: &'a [&'a str],
    pub notes: Option<&'a str>,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct VisitRow {
    id: String,
    case_id: String,
    party_id: String,
    name: String,
    role: String,
    booking_id: Option<String>,
    scheduled_at: i64,
    status: String,
    rules_agreed: bool,
    checklist: String,
    notes: Option<String>,
    version: i64,
}

impl TryFrom<VisitRow> for PreVisit {
    type Error = StoreError;
    fn try_from(r: VisitRow) -> Result<Self> {
        let bad = || StoreError::Database("unreadable pre-visit row".into());
        Ok(PreVisit {
            id: r.id,
            case_id: CaseId::parse(&r.case_id).map_err(|_| bad())?,
            party_id: PartyId::parse(&r.party_id).map_err(|_| bad())?,
            party_name: r.name,
            role: PartyRole::parse(&r.role).ok_or_else(bad)?,
            booking_id: r.booking_id,
            at: ts(r.scheduled_at),
            status: VisitStatus::parse(&r.status).ok_or_else(bad)?,
            rules_agreed: r.rules_agreed,
            checklist: r
                .checklist
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            notes: r.notes,
            version: r.version,
        })
    }
}

impl Store {
    /// The case's pre-visits, in time order.
    pub async fn pre_visits(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<PreVisit>> {
        let rows: Vec<VisitRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT v.id, v.case_id, v.party_id, p.name, p.role, v.booking_id, v.scheduled_at, v.status, v.rules_agreed, v.checklist, v.notes, v.version
             FROM pre_visits v JOIN case_parties p ON p.organisation_id = v.organisation_id AND p.id = v.party_id
             WHERE v.organisation_id = $1 AND v.case_id = $2 ORDER BY v.scheduled_at, v.id"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await
        })?;
        rows.into_iter().map(PreVisit::try_from).collect()
    }

    /// One pre-visit of the organisation.
    pub async fn pre_visit(&self, organisation: OrganisationId, id: &str) -> Result<PreVisit> {
        let row: VisitRow = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT v.id, v.case_id, v.party_id, p.name, p.role, v.booking_id, v.scheduled_at, v.status, v.rules_agreed, v.checklist, v.notes, v.version
             FROM pre_visits v JOIN case_parties p ON p.organisation_id = v.organisation_id AND p.id = v.party_id
             WHERE v.organisation_id = $1 AND v.id = $2"
        )
        .bind(organisation.to_string())
        .bind(id)
        .fetch_one(p)
        .await
        })?;
        row.try_into()
    }

    /// Records how a pre-visit went; refused as stale if it changed since `record.version`, and
    /// (whatever the caller checked) refused while the visit's time has not come by the audit
    /// scope's clock: only an old pre-visit with no booking can be called off before then. The
    /// database refuses an outcome recorded before the visit too.
    pub async fn record_pre_visit(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: &str,
        record: &VisitRecord<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE pre_visits SET status = $1, rules_agreed = $2, checklist = $3, notes = $4, recorded_by = $5, recorded_at = $6, version = version + 1
             WHERE organisation_id = $7 AND id = $8 AND version = $9
               AND (scheduled_at <= $6 OR ($1 = 'cancelled' AND booking_id IS NULL))"
        )
        .bind(record.status.as_str())
        .bind(record.rules_agreed)
        .bind(record.checklist.join(","))
        .bind(record.notes)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id)
        .bind(record.version)
        .execute(c)
        .await
        })?;
        if changed == 0 {
            drop(tx);
            let visit = self.pre_visit(organisation, id).await?;
            if visit.at > scope.at {
                return Err(StoreError::Conflict(
                    "This pre-visit has not happened yet: record how it went once its time has come".into(),
                ));
            }
            return Err(StoreError::Stale);
        }
        if record.rules_agreed {
            // The tick is an agreement to the current version of the rules, in person on the day
            // of the visit (decision 0046), written with the record.
            let (case, party, at): (String, String, i64) = with_tx!(tx, |c| sqlx::query_as(
                "SELECT case_id, party_id, scheduled_at FROM pre_visits WHERE organisation_id = $1 AND id = $2"
            )
            .bind(organisation.to_string())
            .bind(id)
            .fetch_one(c)
            .await)?;
            let case = CaseId::parse(&case).map_err(|_| StoreError::Database("unreadable case id".into()))?;
            let on = ts(at).to_zoned(jiff::tz::TimeZone::UTC).date();
            match Self::insert_agreement(
                &mut tx,
                scope,
                organisation,
                case,
                &party,
                on,
                crate::agreements::How::InPerson,
            )
            .await
            {
                // An adult who is not a parent agrees to nothing the rules ask for.
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        tx.audit(scope, AuditEvent::ok("pre_visit.record", "pre_visit", id))
            .await?;
        tx.commit().await
    }

    /// Writes a pre-visit that already happened, with no booking (a demo's or an imported
    /// history; the pages book pre-visits and record them through their bookings).
    pub async fn seed_pre_visit(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        party: PartyId,
        at: Timestamp,
        rules_agreed: bool,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO pre_visits (organisation_id, id, case_id, party_id, scheduled_at, status, rules_agreed,
                recorded_by, recorded_at, created_at)
             VALUES ($1, $2, $3, $4, $5, 'done', $6, $7, $8, $8)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(case.to_string())
        .bind(party.to_string())
        .bind(ms(at))
        .bind(rules_agreed)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)?;
        if rules_agreed {
            let on = at.to_zoned(jiff::tz::TimeZone::UTC).date();
            match Self::insert_agreement(
                &mut tx,
                scope,
                organisation,
                case,
                &party.to_string(),
                on,
                crate::agreements::How::InPerson,
            )
            .await
            {
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        tx.audit(scope, AuditEvent::ok("pre_visit.record", "pre_visit", &id))
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}
