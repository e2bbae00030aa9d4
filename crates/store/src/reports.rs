//! Reports to referrers in the database: each case's distribution list, reports composed from signed
//! records (with the fee asking for one charged), their quality check (a trigger keeps approved
//! reports unchanged) and their releases.

use crate::ledger::NewEntry;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::billing::Pence;
use familytime_domain::ids::{CaseId, CentreId, OrganisationId, UserId};
use familytime_domain::language::Lang;
use familytime_domain::reports::{Recipient, ReportDraft, ReportKind, ReportRequester, ReportStatus};

#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    pub case_id: CaseId,
    /// The case's reference, centre and referrer: what a page names the report by, and what the
    /// authorisation of each step on it is decided on.
    pub case_reference: String,
    pub centre_id: CentreId,
    pub referrer_user_id: Option<UserId>,
    pub kind: ReportKind,
    /// The language it was written in: its cover page and headings are printed in it, whoever
    /// reads it.
    pub language: Lang,
    pub title: String,
    pub summary: String,
    pub status: ReportStatus,
    pub author_id: UserId,
    pub author_name: String,
    pub checker_id: Option<UserId>,
    pub checker_name: Option<String>,
    pub check_notes: Option<String>,
    pub content_hash: Option<String>,
    /// Who asked for it; none for the centre's own report.
    pub requested_by: Option<ReportRequester>,
    /// What asking for it charged (the sum of the case's charges that name it).
    pub fee: Pence,
    /// A fee was charged, or (for a report released before fees were charged on asking) was due.
    pub fee_due: bool,
    pub created_at: Timestamp,
    pub approved_at: Option<Timestamp>,
    pub released_at: Option<Timestamp>,
    pub version: i64,
    /// The signed records it was composed from.
    pub record_ids: Vec<String>,
}

/// A report being started: its kind and language, who asked for it, and the fee that charged.
pub struct NewReport {
    pub kind: ReportKind,
    pub language: Lang,
    pub requested_by: Option<ReportRequester>,
    pub fee: Vec<NewEntry>,
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: String,
    case_id: String,
    case_reference: String,
    centre_id: String,
    referrer_user_id: Option<String>,
    kind: String,
    language: String,
    title: String,
    summary: String,
    status: String,
    author_id: String,
    author_name: String,
    checker_id: Option<String>,
    checker_name: Option<String>,
    check_notes: Option<String>,
    content_hash: Option<String>,
    fee_due: bool,
    requested_by: Option<String>,
    fee_pence: i64,
    created_at: i64,
    approved_at: Option<i64>,
    released_at: Option<i64>,
    version: i64,
}

const REPORT_SELECT: &str =
    "SELECT r.id, r.case_id, ca.reference AS case_reference, ca.centre_id, ca.referrer_user_id, r.kind, r.language, r.title, r.summary, r.status, r.author_id, a.name AS author_name,
        r.checker_id, c.name AS checker_name, r.check_notes, r.content_hash, r.fee_due, r.requested_by,
        (SELECT CAST(COALESCE(SUM(l.amount_pence), 0) AS BIGINT) FROM ledger_entries l
         WHERE l.organisation_id = r.organisation_id AND l.case_id = r.case_id AND l.reference = r.id
           AND l.kind = 'charge') AS fee_pence,
        r.created_at, r.approved_at, r.released_at, r.version
    FROM reports r
    JOIN cases ca ON ca.organisation_id = r.organisation_id AND ca.id = r.case_id
    JOIN users a ON a.organisation_id = r.organisation_id AND a.id = r.author_id
    LEFT JOIN users c ON c.organisation_id = r.organisation_id AND c.id = r.checker_id";

impl TryFrom<ReportRow> for Report {
    type Error = StoreError;
    fn try_from(r: ReportRow) -> Result<Self> {
        let bad = || StoreError::Database("unreadable report row".into());
        Ok(Report {
            id: r.id,
            case_id: CaseId::parse(&r.case_id).map_err(|_| bad())?,
            case_reference: r.case_reference,
            centre_id: CentreId::parse(&r.centre_id).map_err(|_| bad())?,
            referrer_user_id: r
                .referrer_user_id
                .as_deref()
                .map(UserId::parse)
                .transpose()
                .map_err(|_| bad())?,
            kind: ReportKind::parse(&r.kind).ok_or_else(bad)?,
            language: crate::languages::stored_language(Some(&r.language))?.unwrap_or_default(),
            title: r.title,
            summary: r.summary,
            status: ReportStatus::parse(&r.status).ok_or_else(bad)?,
            author_id: UserId::parse(&r.author_id).map_err(|_| bad())?,
            author_name: r.author_name,
            checker_id: r
                .checker_id
                .as_deref()
                .map(UserId::parse)
                .transpose()
                .map_err(|_| bad())?,
            checker_name: r.checker_name,
            check_notes: r.check_notes,
            content_hash: r.content_hash,
            fee_due: r.fee_due || r.fee_pence > 0,
            requested_by: r
                .requested_by
                .as_deref()
                .map(|asked| ReportRequester::parse(asked).ok_or_else(bad))
                .transpose()?,
            fee: Pence(r.fee_pence),
            created_at: ts(r.created_at),
            approved_at: r.approved_at.map(ts),
            released_at: r.released_at.map(ts),
            version: r.version,
            record_ids: Vec::new(),
        })
    }
}

/// One release of a report.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Release {
    pub recipient: String,
    pub user_id: Option<String>,
    pub released_by_name: String,
    pub released_at: i64,
}

/// A status change of a report, already allowed by the domain's workflow.
pub struct ReportChange<'a> {
    pub from: ReportStatus,
    pub to: ReportStatus,
    pub version: i64,
    pub checker: Option<UserId>,
    pub check_notes: Option<&'a str>,
    pub content_hash: Option<&'a str>,
}

impl Store {
    /// The case's distribution list.
    pub async fn distribution(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<Recipient>> {
        let names: Vec<String> = with_pool!(self, |p| {
            sqlx::query_scalar(
            "SELECT recipient FROM report_distribution WHERE organisation_id = $1 AND case_id = $2 ORDER BY recipient"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await
        })?;
        let mut list: Vec<Recipient> = names.iter().filter_map(|n| Recipient::parse(n)).collect();
        list.sort();
        Ok(list)
    }

    /// Replaces the case's distribution list.
    pub async fn set_distribution(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        list: &[Recipient],
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.advance_list_version(
            organisation,
            crate::versions::ListKind::ReportDistribution,
            &case.to_string(),
            version,
        )
        .await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM report_distribution WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .execute(c)
        .await)?;
        for recipient in list {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO report_distribution (organisation_id, case_id, recipient) VALUES ($1, $2, $3)"
            )
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(recipient.as_str())
            .execute(c)
            .await)?;
        }
        tx.audit(scope, AuditEvent::ok("report.distribution", "case", case))
            .await?;
        tx.commit().await
    }

    /// Starts a report from signed records, in the language it is written in, with the fee asking
    /// for it charged (each entry names the report) in the same transaction.
    pub async fn create_report(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        report: NewReport,
        draft: &ReportDraft,
        records: &[String],
    ) -> Result<String> {
        let author = scope
            .actor_user_id
            .ok_or_else(|| StoreError::Conflict("only a signed-in person writes a report".into()))?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO reports (organisation_id, id, case_id, kind, title, summary, status, author_id, created_at, updated_at,
                language, requested_by)
             VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $8, $9, $10)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(case.to_string())
        .bind(report.kind.as_str())
        .bind(&draft.title)
        .bind(&draft.summary)
        .bind(author.to_string())
        .bind(ms(scope.at))
        .bind(report.language.code())
        .bind(report.requested_by.map(|r| r.as_str()))
        .execute(c)
        .await
        })?;
        for record in records {
            // Only the case's own signed records: anything else inserts nothing and is refused below.
            let added = exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO report_records (organisation_id, report_id, record_id)
                 SELECT organisation_id, $2, id FROM observation_records
                 WHERE organisation_id = $1 AND id = $3 AND case_id = $4 AND status = 'signed'"
            )
            .bind(organisation.to_string())
            .bind(&id)
            .bind(record)
            .bind(case.to_string())
            .execute(c)
            .await)?;
            if added == 0 {
                return Err(StoreError::Conflict(
                    "A report is composed only from this case's signed observation records".into(),
                ));
            }
        }
        let fee: Vec<NewEntry> = report
            .fee
            .into_iter()
            .map(|entry| NewEntry {
                reference: Some(id.clone()),
                ..entry
            })
            .collect();
        Store::insert_entries(&mut tx, scope, organisation, case, &fee).await?;
        tx.audit(scope, AuditEvent::ok("report.create", "report", &id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn report(&self, organisation: OrganisationId, id: &str) -> Result<Report> {
        let row: ReportRow = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REPORT_SELECT} WHERE r.organisation_id = $1 AND r.id = $2"
        )))
        .bind(organisation.to_string())
        .bind(id)
        .fetch_one(p)
        .await)?;
        let mut report = Report::try_from(row)?;
        report.record_ids = self.report_record_ids(organisation, id).await?;
        Ok(report)
    }

    /// The signed records a report was composed from, in the order of their sessions.
    async fn report_record_ids(&self, organisation: OrganisationId, report: &str) -> Result<Vec<String>> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT rr.record_id FROM report_records rr
             JOIN observation_records o ON o.organisation_id = rr.organisation_id AND o.id = rr.record_id
             JOIN bookings b ON b.organisation_id = o.organisation_id AND b.id = o.booking_id
             WHERE rr.organisation_id = $1 AND rr.report_id = $2 ORDER BY b.starts_at, o.id"
        )
        .bind(organisation.to_string())
        .bind(report)
        .fetch_all(p)
        .await)?)
    }

    /// Reports as listed, each with the records it was composed from (a case has a handful).
    async fn with_record_ids(&self, organisation: OrganisationId, rows: Vec<ReportRow>) -> Result<Vec<Report>> {
        let mut reports = Vec::with_capacity(rows.len());
        for row in rows {
            let mut report = Report::try_from(row)?;
            report.record_ids = self.report_record_ids(organisation, &report.id).await?;
            reports.push(report);
        }
        Ok(reports)
    }

    pub async fn case_reports(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<Report>> {
        let rows: Vec<ReportRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REPORT_SELECT} WHERE r.organisation_id = $1 AND r.case_id = $2 ORDER BY r.created_at DESC, r.id"
        )))
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        self.with_record_ids(organisation, rows).await
    }

    /// Reports waiting for a quality check across the organisation.
    pub async fn reports_in_check(&self, organisation: OrganisationId) -> Result<Vec<Report>> {
        let rows: Vec<ReportRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REPORT_SELECT} WHERE r.organisation_id = $1 AND r.status = 'in_check' ORDER BY r.updated_at, r.id"
        )))
        .bind(organisation.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(Report::try_from).collect()
    }

    /// Changes a draft's text at `version`.
    pub async fn edit_report(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: &str,
        version: i64,
        draft: &ReportDraft,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE reports SET title = $1, summary = $2, updated_at = $3, version = version + 1
             WHERE organisation_id = $4 AND id = $5 AND version = $6 AND status = 'draft'"
        )
        .bind(&draft.title)
        .bind(&draft.summary)
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id)
        .bind(version)
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("report.edit", "report", id)).await?;
        tx.commit().await
    }

    /// Moves a report along its workflow at `version` (sent for check, sent back, approved).
    pub async fn change_report(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: &str,
        change: &ReportChange<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let approving = change.to == ReportStatus::Approved;
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE reports SET status = $1, checker_id = COALESCE($2, checker_id), check_notes = COALESCE($3, check_notes),
                content_hash = COALESCE($4, content_hash), approved_at = CASE WHEN $5 THEN $6 ELSE approved_at END,
                updated_at = $6, version = version + 1
             WHERE organisation_id = $7 AND id = $8 AND version = $9 AND status = $10"
        )
        .bind(change.to.as_str())
        .bind(change.checker.map(|u| u.to_string()))
        .bind(change.check_notes)
        .bind(change.content_hash)
        .bind(approving)
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id)
        .bind(change.version)
        .bind(change.from.as_str())
        .execute(c)
        .await
        })?;
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        let action = match change.to {
            ReportStatus::InCheck => "report.send_for_check",
            ReportStatus::Draft => "report.send_back",
            ReportStatus::Approved => "report.approve",
            ReportStatus::Released => "report.release",
        };
        let object = match change.content_hash {
            Some(hash) => format!("{id} sha256:{hash}"),
            None => id.to_owned(),
        };
        tx.audit(scope, AuditEvent::ok(action, "report", object)).await?;
        tx.commit().await
    }

    /// Releases an approved report to recipients (each with their account, where they have one).
    pub async fn release_report(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: &str,
        version: i64,
        recipients: &[(Recipient, Option<UserId>)],
    ) -> Result<()> {
        self.release_report_with_messages(scope, organisation, id, version, recipients, &[])
            .await
    }

    /// As `release_report`, writing the messages it causes (the link to each recipient, decision
    /// 0050) with it.
    pub async fn release_report_with_messages(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: &str,
        version: i64,
        recipients: &[(Recipient, Option<UserId>)],
        messages: &[crate::mail::NewMessage],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
                "UPDATE reports SET status = 'released', released_at = COALESCE(released_at, $1),
                updated_at = $1, version = version + 1
             WHERE organisation_id = $2 AND id = $3 AND version = $4 AND status IN ('approved', 'released')",
            )
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
        for (recipient, user) in recipients {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO report_releases (organisation_id, id, report_id, recipient, user_id, released_by, released_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"
            )
            .bind(organisation.to_string())
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(id)
            .bind(recipient.as_str())
            .bind(user.map(|u| u.to_string()))
            .bind(scope.actor_user_id.map(|u| u.to_string()))
            .bind(ms(scope.at))
            .execute(c)
            .await
            })?;
        }
        tx.audit(scope, AuditEvent::ok("report.release", "report", id)).await?;
        tx.enqueue(organisation, messages, scope.at).await?;
        tx.commit().await
    }

    pub async fn releases(&self, organisation: OrganisationId, report: &str) -> Result<Vec<Release>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT r.recipient, r.user_id, u.name AS released_by_name, r.released_at FROM report_releases r
             JOIN users u ON u.organisation_id = r.organisation_id AND u.id = r.released_by
             WHERE r.organisation_id = $1 AND r.report_id = $2 ORDER BY r.released_at, r.recipient"
        )
        .bind(organisation.to_string())
        .bind(report)
        .fetch_all(p)
        .await)?)
    }

    /// The reports released to one person (a referrer or parent), newest first. Found from the
    /// release side (`report_releases_by_user`), so the read grows with that person's reports, not
    /// with the organisation's.
    pub async fn reports_released_to(&self, organisation: OrganisationId, user: UserId) -> Result<Vec<Report>> {
        let rows: Vec<ReportRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REPORT_SELECT} WHERE r.organisation_id = $1 AND r.status = 'released'
               AND r.id IN (SELECT x.report_id FROM report_releases x WHERE x.organisation_id = $1 AND x.user_id = $2)
             ORDER BY r.released_at DESC, r.id"
        )))
        .bind(organisation.to_string())
        .bind(user.to_string())
        .fetch_all(p)
        .await)?;
        self.with_record_ids(organisation, rows).await
    }

    /// The accounts a report was released to (for the portal's access check).
    pub async fn report_recipient_users(&self, organisation: OrganisationId, report: &str) -> Result<Vec<UserId>> {
        let ids: Vec<String> = with_pool!(self, |p| {
            sqlx::query_scalar(
            "SELECT user_id FROM report_releases WHERE organisation_id = $1 AND report_id = $2 AND user_id IS NOT NULL"
        )
        .bind(organisation.to_string())
        .bind(report)
        .fetch_all(p)
        .await
        })?;
        Ok(ids.iter().filter_map(|i| UserId::parse(i).ok()).collect())
    }
}
