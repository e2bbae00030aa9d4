//! Session records in the database: the register, rule breaches, observation records (every saved
//! draft kept as a revision, frozen at sign-off by a trigger) and their addenda. Stale saves are
//! refused by version, never overwritten.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ids::{BookingId, CaseId, OrganisationId, UserId};
use familytime_domain::records::{Attendance, Breach, Checklist, Observation};

/// Who a register line is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendee {
    Party(String),
    Child(String),
    /// An adult not named on the case, admitted for a recorded reason.
    Visitor {
        name: String,
        reason: String,
    },
}

/// A register line as stored (times are instants; the pages show them in the centre's zone).
#[derive(Debug, Clone)]
pub struct RegisterEntry {
    pub id: String,
    pub party_id: Option<String>,
    pub child_id: Option<String>,
    pub visitor_name: Option<String>,
    pub admission_reason: Option<String>,
    pub attendance: Attendance,
    pub arrived_at: Option<Timestamp>,
    pub left_at: Option<Timestamp>,
    pub brought_by: Option<String>,
    pub collected_by: Option<String>,
    pub late_minutes: Option<i64>,
    pub late_reason: Option<String>,
    /// When the resident parent left the premises after the drop-off and came back for the pick-up.
    pub departed_at: Option<Timestamp>,
    pub returned_at: Option<Timestamp>,
    pub version: i64,
}

/// A register line to write, already checked.
pub struct RegisterWrite<'a> {
    pub attendee: &'a Attendee,
    pub attendance: Attendance,
    pub arrived_at: Option<Timestamp>,
    pub left_at: Option<Timestamp>,
    pub brought_by: Option<&'a str>,
    pub collected_by: Option<&'a str>,
    pub late_minutes: Option<i64>,
    pub late_reason: Option<&'a str>,
    pub departed_at: Option<Timestamp>,
    pub returned_at: Option<Timestamp>,
    /// The version the form was opened at; `None` for a person not yet on the register.
    pub version: Option<i64>,
    /// The messages the line causes (the referrer's notice that someone did not attend, decision
    /// 0050) and when they must be sent by: written with the line, or not at all.
    pub messages: &'a [crate::mail::NewMessage],
    pub messages_due_by: Option<Timestamp>,
    /// The dedupe key of a referrer's notice this line takes back while it is still waiting (the
    /// adult was recorded as not having come, and the line now says they did).
    pub withdraw: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RegisterRow {
    id: String,
    party_id: Option<String>,
    child_id: Option<String>,
    visitor_name: Option<String>,
    admission_reason: Option<String>,
    attendance: String,
    arrived_at: Option<i64>,
    left_at: Option<i64>,
    brought_by: Option<String>,
    collected_by: Option<String>,
    late_minutes: Option<i64>,
    late_reason: Option<String>,
    departed_at: Option<i64>,
    returned_at: Option<i64>,
    version: i64,
}

impl TryFrom<RegisterRow> for RegisterEntry {
    type Error = StoreError;
    fn try_from(r: RegisterRow) -> Result<Self> {
        Ok(RegisterEntry {
            id: r.id,
            party_id: r.party_id,
            child_id: r.child_id,
            visitor_name: r.visitor_name,
            admission_reason: r.admission_reason,
            attendance: Attendance::parse(&r.attendance)
                .ok_or_else(|| StoreError::Database("unreadable register row".into()))?,
            arrived_at: r.arrived_at.map(ts),
            left_at: r.left_at.map(ts),
            brought_by: r.brought_by,
            collected_by: r.collected_by,
            late_minutes: r.late_minutes,
            late_reason: r.late_reason,
            departed_at: r.departed_at.map(ts),
            returned_at: r.returned_at.map(ts),
            version: r.version,
        })
    }
}

/// A rule breach or other event on a case.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseEvent {
    pub id: String,
    pub booking_id: Option<String>,
    pub party_id: Option<String>,
    pub kind: String,
    pub detail: String,
    pub recorded_by_name: String,
    pub at: i64,
}

/// An observation record: a draft, or signed and frozen.
#[derive(Debug, Clone)]
pub struct ObservationRecord {
    pub id: String,
    pub booking_id: BookingId,
    pub case_id: CaseId,
    pub author_id: UserId,
    pub author_name: String,
    pub content: Observation,
    pub signed: bool,
    pub content_hash: Option<String>,
    pub signed_at: Option<Timestamp>,
    pub updated_at: Timestamp,
    pub version: i64,
    /// When the session took place (for reports).
    pub session_start: Timestamp,
    pub session_kind: String,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: String,
    booking_id: String,
    case_id: String,
    author_id: String,
    author_name: String,
    content: String,
    status: String,
    content_hash: Option<String>,
    signed_at: Option<i64>,
    updated_at: i64,
    version: i64,
    starts_at: i64,
    kind: String,
}

const RECORD_SELECT: &str = "SELECT o.id, o.booking_id, o.case_id, o.author_id, u.name AS author_name, o.content,
        o.status, o.content_hash, o.signed_at, o.updated_at, o.version, b.starts_at, b.kind
    FROM observation_records o
    JOIN users u ON u.organisation_id = o.organisation_id AND u.id = o.author_id
    JOIN bookings b ON b.organisation_id = o.organisation_id AND b.id = o.booking_id";

impl TryFrom<RecordRow> for ObservationRecord {
    type Error = StoreError;
    fn try_from(r: RecordRow) -> Result<Self> {
        let bad = || StoreError::Database("unreadable observation record".into());
        Ok(ObservationRecord {
            id: r.id,
            booking_id: BookingId::parse(&r.booking_id).map_err(|_| bad())?,
            case_id: CaseId::parse(&r.case_id).map_err(|_| bad())?,
            author_id: UserId::parse(&r.author_id).map_err(|_| bad())?,
            author_name: r.author_name,
            content: Observation::from_json(&r.content).ok_or_else(bad)?,
            signed: r.status == "signed",
            content_hash: r.content_hash,
            signed_at: r.signed_at.map(ts),
            updated_at: ts(r.updated_at),
            version: r.version,
            session_start: ts(r.starts_at),
            session_kind: r.kind,
        })
    }
}

/// A correction or addition to a signed record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AddendumRow {
    pub id: String,
    pub record_id: String,
    pub text: String,
    pub reason: String,
    pub author_name: String,
    pub at: i64,
    pub content_hash: String,
}

impl Store {
    /// The register of one session.
    pub async fn register(&self, organisation: OrganisationId, booking: BookingId) -> Result<Vec<RegisterEntry>> {
        let rows: Vec<RegisterRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, party_id, child_id, visitor_name, admission_reason, attendance, arrived_at, left_at, brought_by,
                    collected_by, late_minutes, late_reason, departed_at, returned_at, version
             FROM register_entries WHERE organisation_id = $1 AND booking_id = $2 ORDER BY recorded_at, id"
        )
        .bind(organisation.to_string())
        .bind(booking.to_string())
        .fetch_all(p)
        .await
        })?;
        rows.into_iter().map(RegisterEntry::try_from).collect()
    }

    /// Writes one person's register line: a new line, or a change to the line at `version`.
    pub async fn write_register(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: BookingId,
        case: CaseId,
        line: &RegisterWrite<'_>,
    ) -> Result<()> {
        let (party, child, visitor, reason) = match line.attendee {
            Attendee::Party(p) => (Some(p.as_str()), None, None, None),
            Attendee::Child(c) => (None, Some(c.as_str()), None, None),
            Attendee::Visitor { name, reason } => (None, None, Some(name.as_str()), Some(reason.as_str())),
        };
        let mut tx = self.begin().await?;
        let written = match line.version {
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                let inserted = exec_tx!(tx, |c| {
                    sqlx::query(
                    "INSERT INTO register_entries (organisation_id, id, booking_id, case_id, party_id, child_id, visitor_name,
                        admission_reason, attendance, arrived_at, left_at, brought_by, collected_by, late_minutes, late_reason,
                        recorded_by, recorded_at, departed_at, returned_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
                )
                .bind(organisation.to_string())
                .bind(&id)
                .bind(booking.to_string())
                .bind(case.to_string())
                .bind(party)
                .bind(child)
                .bind(visitor)
                .bind(reason)
                .bind(line.attendance.as_str())
                .bind(line.arrived_at.map(ms))
                .bind(line.left_at.map(ms))
                .bind(line.brought_by)
                .bind(line.collected_by)
                .bind(line.late_minutes)
                .bind(line.late_reason)
                .bind(scope.actor_user_id.map(|u| u.to_string()))
                .bind(ms(scope.at))
                .bind(line.departed_at.map(ms))
                .bind(line.returned_at.map(ms))
                .execute(c)
                .await
                });
                match inserted {
                    // Someone else put this person on the register first: show them what is there.
                    Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Err(StoreError::Stale),
                    other => other?,
                };
                id
            }
            Some(version) => {
                let id: Option<String> = with_tx!(tx, |c| {
                    sqlx::query_scalar(
                    "SELECT id FROM register_entries WHERE organisation_id = $1 AND booking_id = $2
                       AND (party_id = $3 OR child_id = $4 OR (visitor_name = $5 AND party_id IS NULL AND child_id IS NULL))"
                )
                .bind(organisation.to_string())
                .bind(booking.to_string())
                .bind(party)
                .bind(child)
                .bind(visitor)
                .fetch_optional(c)
                .await
                })?;
                let id = id.ok_or(StoreError::Stale)?;
                let changed = exec_tx!(tx, |c| sqlx::query(
                    "UPDATE register_entries SET attendance = $1, arrived_at = $2, left_at = $3, brought_by = $4,
                        collected_by = $5, late_minutes = $6, late_reason = $7, recorded_by = $8, recorded_at = $9,
                        departed_at = $13, returned_at = $14, version = version + 1
                     WHERE organisation_id = $10 AND id = $11 AND version = $12"
                )
                .bind(line.attendance.as_str())
                .bind(line.arrived_at.map(ms))
                .bind(line.left_at.map(ms))
                .bind(line.brought_by)
                .bind(line.collected_by)
                .bind(line.late_minutes)
                .bind(line.late_reason)
                .bind(scope.actor_user_id.map(|u| u.to_string()))
                .bind(ms(scope.at))
                .bind(organisation.to_string())
                .bind(&id)
                .bind(version)
                .bind(line.departed_at.map(ms))
                .bind(line.returned_at.map(ms))
                .execute(c)
                .await)?;
                if changed == 0 {
                    return Err(StoreError::Stale);
                }
                id
            }
        };
        tx.audit(scope, AuditEvent::ok("register.write", "register_entry", written))
            .await?;
        if let Some(key) = &line.withdraw {
            // Through `outbox_by_booking`.
            exec_tx!(tx, |c| sqlx::query(
                "DELETE FROM outbox WHERE organisation_id = $1 AND booking_id = $2 AND kind = 'session_missed'
                   AND dedupe_key = $3 AND state = 'queued'"
            )
            .bind(organisation.to_string())
            .bind(booking.to_string())
            .bind(key)
            .execute(c)
            .await)?;
        }
        tx.enqueue_due_by(organisation, line.messages, scope.at, line.messages_due_by)
            .await?;
        tx.commit().await
    }

    /// Records a rule breach (or another event) on the case; never changed afterwards.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_case_event(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        booking: Option<BookingId>,
        party: Option<&str>,
        breach: Breach,
        detail: &str,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO case_events (organisation_id, id, case_id, booking_id, party_id, kind, detail, recorded_by, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(case.to_string())
        .bind(booking.map(|b| b.to_string()))
        .bind(party)
        .bind(breach.as_str())
        .bind(detail)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("case_event.record", "case", case))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The rule breaches and other events on a case, newest first.
    pub async fn case_events(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<CaseEvent>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT e.id, e.booking_id, e.party_id, e.kind, e.detail, u.name AS recorded_by_name, e.at
             FROM case_events e JOIN users u ON u.organisation_id = e.organisation_id AND u.id = e.recorded_by
             WHERE e.organisation_id = $1 AND e.case_id = $2 ORDER BY e.at DESC, e.id DESC"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?)
    }

    /// The observation record of a session, if one has been started.
    pub async fn observation_for_booking(
        &self,
        organisation: OrganisationId,
        booking: BookingId,
    ) -> Result<Option<ObservationRecord>> {
        let row: Option<RecordRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RECORD_SELECT} WHERE o.organisation_id = $1 AND o.booking_id = $2"
        )))
        .bind(organisation.to_string())
        .bind(booking.to_string())
        .fetch_optional(p)
        .await)?;
        row.map(ObservationRecord::try_from).transpose()
    }

    /// One observation record of the organisation.
    pub async fn observation(&self, organisation: OrganisationId, id: &str) -> Result<ObservationRecord> {
        let row: RecordRow = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RECORD_SELECT} WHERE o.organisation_id = $1 AND o.id = $2"
        )))
        .bind(organisation.to_string())
        .bind(id)
        .fetch_one(p)
        .await)?;
        row.try_into()
    }

    /// A case's observation records, in the order of the sessions.
    pub async fn case_observations(
        &self,
        organisation: OrganisationId,
        case: CaseId,
    ) -> Result<Vec<ObservationRecord>> {
        let rows: Vec<RecordRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RECORD_SELECT} WHERE o.organisation_id = $1 AND o.case_id = $2 ORDER BY b.starts_at, o.id"
        )))
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(ObservationRecord::try_from).collect()
    }

    /// Saves a draft: starts the record (`version` 0) or changes it at `version`. Every save is kept
    /// as a revision. A signed record is refused with `Conflict`; a stale save with `Stale`.
    pub async fn save_observation(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: BookingId,
        case: CaseId,
        content: &Observation,
        version: i64,
    ) -> Result<(String, i64)> {
        let author = scope
            .actor_user_id
            .ok_or_else(|| StoreError::Conflict("only a signed-in person writes a record".into()))?;
        let json = content.to_json();
        let mut tx = self.begin().await?;
        let current: Option<(String, String, i64)> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT id, status, version FROM observation_records WHERE organisation_id = $1 AND booking_id = $2"
        )
        .bind(organisation.to_string())
        .bind(booking.to_string())
        .fetch_optional(c)
        .await)?;
        let (id, new_version) = match current {
            Some((_, status, _)) if status == "signed" => {
                return Err(StoreError::Conflict(
                    "This record has been signed off and cannot be changed. Add an addendum instead.".into(),
                ));
            }
            Some((id, _, stored)) => {
                if stored != version {
                    return Err(StoreError::Stale);
                }
                exec_tx!(tx, |c| sqlx::query(
                    "UPDATE observation_records SET content = $1, updated_at = $2, version = version + 1
                     WHERE organisation_id = $3 AND id = $4 AND version = $5 AND status = 'draft'"
                )
                .bind(&json)
                .bind(ms(scope.at))
                .bind(organisation.to_string())
                .bind(&id)
                .bind(version)
                .execute(c)
                .await)?;
                (id, version + 1)
            }
            None => {
                if version != 0 {
                    return Err(StoreError::Stale);
                }
                let id = uuid::Uuid::now_v7().to_string();
                exec_tx!(tx, |c| sqlx::query(
                    "INSERT INTO observation_records (organisation_id, id, booking_id, case_id, author_id, content, status,
                        created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $7)"
                )
                .bind(organisation.to_string())
                .bind(&id)
                .bind(booking.to_string())
                .bind(case.to_string())
                .bind(author.to_string())
                .bind(&json)
                .bind(ms(scope.at))
                .execute(c)
                .await)
                .map_err(|e| StoreError::unique(e, "A record for this session was started a moment ago"))?;
                (id, 1)
            }
        };
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO observation_revisions (organisation_id, record_id, version, content, saved_by, saved_at)
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(new_version)
        .bind(&json)
        .bind(author.to_string())
        .bind(ms(scope.at))
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("observation.save", "observation_record", &id))
            .await?;
        tx.commit().await?;
        Ok((id, new_version))
    }

    /// Signs a draft off at `version` with its content hash; the hash goes into the audit chain.
    pub async fn sign_observation(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: &str,
        version: i64,
        content_hash: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE observation_records SET status = 'signed', content_hash = $1, signed_at = $2, version = version + 1
             WHERE organisation_id = $3 AND id = $4 AND version = $5 AND status = 'draft'"
        )
        .bind(content_hash)
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id)
        .bind(version)
        .execute(c)
        .await
        })?;
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(
            scope,
            AuditEvent::ok(
                "observation.sign",
                "observation_record",
                format!("{id} sha256:{content_hash}"),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Adds an addendum to a signed record.
    pub async fn add_addendum(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        record: &str,
        text: &str,
        reason: &str,
        content_hash: &str,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO observation_addenda (organisation_id, id, record_id, text, reason, author_id, at, content_hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(record)
        .bind(text)
        .bind(reason)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .bind(content_hash)
        .execute(c)
        .await
        })?;
        tx.audit(
            scope,
            AuditEvent::ok(
                "observation.addendum",
                "observation_record",
                format!("{record} sha256:{content_hash}"),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The addenda to a case's records, oldest first.
    pub async fn case_addenda(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<AddendumRow>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT a.id, a.record_id, a.text, a.reason, u.name AS author_name, a.at, a.content_hash
             FROM observation_addenda a
             JOIN observation_records o ON o.organisation_id = a.organisation_id AND o.id = a.record_id
             JOIN users u ON u.organisation_id = a.organisation_id AND u.id = a.author_id
             WHERE a.organisation_id = $1 AND o.case_id = $2
             ORDER BY a.at, a.id"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?)
    }

    /// The organisation's observation checklist and its version (0 while it is the default).
    pub async fn observation_checklist(&self, organisation: OrganisationId) -> Result<(Checklist, i64)> {
        let row: Option<(String, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT items, version FROM observation_checklists WHERE organisation_id = $1"
        )
        .bind(organisation.to_string())
        .fetch_optional(p)
        .await)?;
        Ok(match row {
            Some((items, version)) => {
                let items = items.lines().map(str::to_owned).collect();
                (Checklist::from_stored(items), version)
            }
            None => (Checklist::default(), 0),
        })
    }

    /// Replaces the organisation's checklist at `version` (0 the first time); stale writes are refused.
    pub async fn set_observation_checklist(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        checklist: &Checklist,
        version: i64,
    ) -> Result<()> {
        // Items are single lines (the checklist is parsed one item a line), so a newline separates them.
        let items = checklist.items().join("\n");
        let mut tx = self.begin().await?;
        let written = if version == 0 {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO observation_checklists (organisation_id, items, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (organisation_id) DO NOTHING"
            )
            .bind(organisation.to_string())
            .bind(&items)
            .bind(ms(scope.at))
            .execute(c)
            .await)?
        } else {
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE observation_checklists SET items = $1, updated_at = $2, version = version + 1
                 WHERE organisation_id = $3 AND version = $4"
            )
            .bind(&items)
            .bind(ms(scope.at))
            .bind(organisation.to_string())
            .bind(version)
            .execute(c)
            .await)?
        };
        if written == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(
            scope,
            AuditEvent::ok("observation_checklist.set", "organisation", organisation),
        )
        .await?;
        tx.commit().await
    }
}
