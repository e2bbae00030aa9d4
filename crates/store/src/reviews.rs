//! Ending or suspending a service and review meetings in the database: notices, the letters
//! recorded as sent or printed, review meetings (all append-only, each insert audited in the same
//! transaction), and the sessions a case has held, for the funded-hours sum and the review reminder.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::ids::{CaseId, OrganisationId};
use familytime_domain::reviews::{Delivery, HeldSession, LetterRecipient, Notice, NoticeKind, Review, ReviewOutcome};
use familytime_domain::schedule::BookingKind;

/// A notice as stored, with who issued it.
#[derive(Debug, Clone)]
pub struct NoticeRecord {
    pub id: String,
    pub case_id: CaseId,
    pub kind: NoticeKind,
    pub reason: String,
    pub effective_on: jiff::civil::Date,
    pub issued_by_name: String,
    pub issued_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: String,
    case_id: String,
    kind: String,
    reason: String,
    effective_on: String,
    issued_by_name: String,
    issued_at: i64,
}

impl TryFrom<NoticeRow> for NoticeRecord {
    type Error = StoreError;
    fn try_from(r: NoticeRow) -> Result<Self> {
        let bad = || StoreError::Database("unreadable service notice row".into());
        Ok(NoticeRecord {
            id: r.id,
            case_id: CaseId::parse(&r.case_id).map_err(|_| bad())?,
            kind: NoticeKind::parse(&r.kind).ok_or_else(bad)?,
            reason: r.reason,
            effective_on: r.effective_on.parse().map_err(|_| bad())?,
            issued_by_name: r.issued_by_name,
            issued_at: ts(r.issued_at),
        })
    }
}

const NOTICE_SELECT: &str =
    "SELECT n.id, n.case_id, n.kind, n.reason, n.effective_on, u.name AS issued_by_name, n.issued_at
     FROM service_notices n JOIN users u ON u.organisation_id = n.organisation_id AND u.id = n.issued_by";

/// A letter recorded as sent or printed.
#[derive(Debug, Clone)]
pub struct LetterRecord {
    pub recipient: LetterRecipient,
    pub delivery: Delivery,
    pub sent_by_name: String,
    pub sent_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct LetterRow {
    recipient: String,
    delivery: String,
    sent_by_name: String,
    sent_at: i64,
}

/// A review meeting as stored.
#[derive(Debug, Clone)]
pub struct ReviewRecord {
    pub id: String,
    pub review: Review,
    pub recorded_by_name: String,
    pub recorded_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: String,
    held_on: String,
    attendees: String,
    resident_view: String,
    visiting_view: String,
    child_view: Option<String>,
    outcome: String,
    risk_notes: String,
    recorded_by_name: String,
    recorded_at: i64,
}

/// A booking of the case still to come, for the notice page's list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ComingBooking {
    pub id: String,
    pub kind: String,
    pub starts_at: i64,
    pub status: String,
    /// When a suspension put it on hold (the coordinator cancels it or keeps it held).
    pub held_since: Option<i64>,
}

impl Store {
    /// Records a notice ending or suspending a case's service; returns its id.
    /// Records a notice and, when ending the service closes the case, the case's move to closed at
    /// `version`, in one transaction: either both happen or neither does.
    pub async fn issue_notice(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        notice: &Notice,
        closing: Option<(i64, &familytime_domain::referrals::Transition)>,
    ) -> Result<String> {
        self.issue_notice_with_messages(scope, organisation, case, notice, closing, &[])
            .await
    }

    /// As `issue_notice`, writing the messages it causes with it: ending a service tells each adult
    /// of each session it cancels (decision 0050).
    pub async fn issue_notice_with_messages(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        notice: &Notice,
        closing: Option<(i64, &familytime_domain::referrals::Transition)>,
        messages: &[crate::mail::NewMessage],
    ) -> Result<String> {
        let by = scope
            .actor_user_id
            .ok_or_else(|| StoreError::Conflict("only a signed-in person issues a notice".into()))?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        Self::apply_notice(&mut tx, scope, organisation, case, notice.kind).await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO service_notices (organisation_id, id, case_id, kind, reason, effective_on, issued_by, issued_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(case.to_string())
        .bind(notice.kind.as_str())
        .bind(&notice.reason)
        .bind(notice.effective_on.to_string())
        .bind(by.to_string())
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("service.notice", "case", case)).await?;
        if let Some((version, transition)) = closing {
            tx.transition_case(scope, organisation, case, version, transition)
                .await?;
        }
        tx.enqueue(organisation, messages, scope.at).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn notice(&self, organisation: OrganisationId, id: &str) -> Result<NoticeRecord> {
        let sql = format!("{NOTICE_SELECT} WHERE n.organisation_id = $1 AND n.id = $2");
        let row: NoticeRow = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(id)
            .fetch_one(p)
            .await)?;
        row.try_into()
    }

    /// A case's notices, the newest first.
    pub async fn case_notices(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<NoticeRecord>> {
        let sql =
            format!("{NOTICE_SELECT} WHERE n.organisation_id = $1 AND n.case_id = $2 ORDER BY n.issued_at DESC, n.id");
        let rows: Vec<NoticeRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(case.to_string())
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(NoticeRecord::try_from).collect()
    }

    /// Records that a notice's letter was sent or printed.
    pub async fn record_letter(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        notice: &str,
        recipient: LetterRecipient,
        delivery: Delivery,
    ) -> Result<String> {
        let by = scope
            .actor_user_id
            .ok_or_else(|| StoreError::Conflict("only a signed-in person records a letter".into()))?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO service_letters (organisation_id, id, notice_id, recipient, delivery, sent_by, sent_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(notice)
        .bind(recipient.as_str())
        .bind(delivery.as_str())
        .bind(by.to_string())
        .bind(ms(scope.at))
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("service.letter", "notice", notice))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The letters recorded for a notice, in the order they were recorded.
    pub async fn letters(&self, organisation: OrganisationId, notice: &str) -> Result<Vec<LetterRecord>> {
        let rows: Vec<LetterRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT l.recipient, l.delivery, u.name AS sent_by_name, l.sent_at
             FROM service_letters l JOIN users u ON u.organisation_id = l.organisation_id AND u.id = l.sent_by
             WHERE l.organisation_id = $1 AND l.notice_id = $2 ORDER BY l.sent_at, l.id"
        )
        .bind(organisation.to_string())
        .bind(notice)
        .fetch_all(p)
        .await)?;
        let bad = || StoreError::Database("unreadable service letter row".into());
        rows.into_iter()
            .map(|r| {
                Ok(LetterRecord {
                    recipient: LetterRecipient::parse(&r.recipient).ok_or_else(bad)?,
                    delivery: Delivery::parse(&r.delivery).ok_or_else(bad)?,
                    sent_by_name: r.sent_by_name,
                    sent_at: ts(r.sent_at),
                })
            })
            .collect()
    }

    /// Records a review meeting; returns its id.
    pub async fn record_review(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        review: &Review,
        change: Option<familytime_domain::booking_rules::ServiceChange>,
    ) -> Result<String> {
        let by = scope
            .actor_user_id
            .ok_or_else(|| StoreError::Conflict("only a signed-in person records a review".into()))?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO review_meetings (organisation_id, id, case_id, held_on, attendees, resident_view, visiting_view,
                 child_view, outcome, risk_notes, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(case.to_string())
        .bind(review.held_on.to_string())
        .bind(&review.attendees)
        .bind(&review.resident_view)
        .bind(&review.visiting_view)
        .bind(review.child_view.as_deref())
        .bind(review.outcome.as_str())
        .bind(&review.risk_notes)
        .bind(by.to_string())
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("review.record", "case", case)).await?;
        if let Some(change) = change {
            // A step-down changes the service from the review's date, in the same transaction.
            Self::insert_service_change(&mut tx, scope, organisation, case, change, review.outcome.label()).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// A case's review meetings, the most recently held first.
    pub async fn case_reviews(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<ReviewRecord>> {
        let rows: Vec<ReviewRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT r.id, r.held_on, r.attendees, r.resident_view, r.visiting_view, r.child_view, r.outcome, r.risk_notes,
                 u.name AS recorded_by_name, r.recorded_at
             FROM review_meetings r JOIN users u ON u.organisation_id = r.organisation_id AND u.id = r.recorded_by
             WHERE r.organisation_id = $1 AND r.case_id = $2 ORDER BY r.held_on DESC, r.recorded_at DESC, r.id"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await
        })?;
        let bad = || StoreError::Database("unreadable review meeting row".into());
        rows.into_iter()
            .map(|r| {
                Ok(ReviewRecord {
                    id: r.id,
                    review: Review {
                        held_on: r.held_on.parse().map_err(|_| bad())?,
                        attendees: r.attendees,
                        resident_view: r.resident_view,
                        visiting_view: r.visiting_view,
                        child_view: r.child_view,
                        outcome: ReviewOutcome::parse(&r.outcome).ok_or_else(bad)?,
                        risk_notes: r.risk_notes,
                    },
                    recorded_by_name: r.recorded_by_name,
                    recorded_at: ts(r.recorded_at),
                })
            })
            .collect()
    }

    /// The case's sessions that took place (completed or stopped early), any kind; the domain
    /// decides which count.
    pub async fn held_sessions(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<HeldSession>> {
        let rows: Vec<(String, i64, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT kind, starts_at, ends_at FROM bookings
             WHERE organisation_id = $1 AND case_id = $2 AND status IN ('completed', 'stopped_early')
             ORDER BY starts_at"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(kind, starts, ends)| {
                BookingKind::parse(&kind).map(|kind| HeldSession {
                    kind,
                    starts_at: ts(starts),
                    minutes: (ends - starts) / 60_000,
                })
            })
            .collect())
    }

    /// The case's bookings still to come and still live (provisional or confirmed).
    pub async fn coming_bookings(
        &self,
        organisation: OrganisationId,
        case: CaseId,
        now: Timestamp,
    ) -> Result<Vec<ComingBooking>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, kind, starts_at, status, held_since FROM bookings
             WHERE organisation_id = $1 AND case_id = $2 AND starts_at > $3 AND status IN ('provisional', 'confirmed')
             ORDER BY starts_at, id"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .bind(ms(now))
        .fetch_all(p)
        .await)?)
    }
}
