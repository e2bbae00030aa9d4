//! The court order's contact pattern (issue 19 item 5, decision 0046): one per case, on one of its
//! court orders, changed at a version and audited; the contact sessions booked in a window, for the
//! comparison; and the coordinator's list, a page of the cases that have a pattern at a time.

use crate::paging::placeholders;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ids::{CaseId, CentreId, OrganisationId};
use familytime_domain::orders::Pattern;
use jiff::civil::Date;

/// A case's pattern as stored, with the order it belongs to and its version.
#[derive(Debug, Clone)]
pub struct StoredPattern {
    pub case_id: String,
    pub order_id: String,
    pub pattern: Pattern,
    pub version: i64,
    /// The day the order was made (the pattern's periods count from its week unless it has a start).
    pub made_on: Date,
}

/// One row of the coordinator's list before the comparison: the case, where it is, its pattern.
#[derive(Debug, Clone)]
pub struct PatternedCase {
    pub stored: StoredPattern,
    pub reference: String,
    pub centre_id: String,
}

/// The statuses of a session that counts as booked against the order: to come, or held (a no-show
/// was offered and counts); cancelled and held ones do not.
pub const COUNTED: &str = "('provisional', 'confirmed', 'completed', 'stopped_early', 'no_show')";

type Row = (
    String,
    String,
    String,
    i64,
    String,
    i64,
    Option<String>,
    Option<String>,
    i64,
    String,
);

const COLUMNS: &str = "p.case_id, p.order_id, p.every, p.interval_weeks, p.weekdays, p.minutes, p.applies_from,
     p.applies_until, p.version, o.made_on";

fn stored(row: Row) -> Result<StoredPattern> {
    let (case_id, order_id, every, interval, weekdays, minutes, from, until, version, made_on) = row;
    let pattern = Pattern::stored(&every, interval, &weekdays, minutes, from.as_deref(), until.as_deref())
        .ok_or_else(|| StoreError::Database("an order pattern that does not read back".into()))?;
    Ok(StoredPattern {
        case_id,
        order_id,
        pattern,
        version,
        made_on: made_on
            .parse()
            .map_err(|_| StoreError::Database("an order date that does not read back".into()))?,
    })
}

impl Store {
    /// The case's pattern, if one was recorded.
    pub async fn order_pattern(&self, organisation: OrganisationId, case: CaseId) -> Result<Option<StoredPattern>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM order_patterns p
             JOIN court_orders o ON o.organisation_id = p.organisation_id AND o.id = p.order_id
             WHERE p.organisation_id = $1 AND p.case_id = $2"
        );
        let row: Option<Row> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(case.to_string())
            .fetch_optional(p)
            .await)?;
        row.map(stored).transpose()
    }

    /// The case's court orders a pattern may be recorded on: (id, kind, made on), oldest first.
    pub async fn case_orders(
        &self,
        organisation: OrganisationId,
        case: CaseId,
    ) -> Result<Vec<(String, String, String)>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, kind, made_on FROM court_orders WHERE organisation_id = $1 AND case_id = $2 ORDER BY made_on, id"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await
        })?)
    }

    /// Records the case's pattern on one of its orders: a first one at version 0 (the form had
    /// none), a change at the version the form was opened at; otherwise `Stale`, nothing changed.
    /// An order of another case is `NotFound`. Audited as `order.pattern` on the case.
    pub async fn save_order_pattern(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        order: &str,
        pattern: &Pattern,
        version: i64,
    ) -> Result<i64> {
        let (org, id) = (organisation.to_string(), case.to_string());
        let mut tx = self.begin().await?;
        let owned: Option<(String,)> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT id FROM court_orders WHERE organisation_id = $1 AND case_id = $2 AND id = $3"
        )
        .bind(&org)
        .bind(&id)
        .bind(order)
        .fetch_optional(c)
        .await)?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
        let from = pattern.from().map(|d| d.to_string());
        let until = pattern.until().map(|d| d.to_string());
        let actor = scope.actor_user_id.map(|u| u.to_string());
        let changed = if version == 0 {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO order_patterns (organisation_id, case_id, order_id, every, interval_weeks, weekdays, minutes,
                    applies_from, applies_until, version, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11) ON CONFLICT DO NOTHING"
            )
            .bind(&org)
            .bind(&id)
            .bind(order)
            .bind(pattern.every_code())
            .bind(pattern.interval())
            .bind(pattern.weekday_codes())
            .bind(i64::from(pattern.minutes()))
            .bind(&from)
            .bind(&until)
            .bind(&actor)
            .bind(ms(scope.at))
            .execute(c)
            .await
            })?
        } else {
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE order_patterns SET order_id = $3, every = $4, interval_weeks = $5, weekdays = $6, minutes = $7,
                    applies_from = $8, applies_until = $9, version = version + 1, recorded_by = $10, recorded_at = $11
                 WHERE organisation_id = $1 AND case_id = $2 AND version = $12"
            )
            .bind(&org)
            .bind(&id)
            .bind(order)
            .bind(pattern.every_code())
            .bind(pattern.interval())
            .bind(pattern.weekday_codes())
            .bind(i64::from(pattern.minutes()))
            .bind(&from)
            .bind(&until)
            .bind(&actor)
            .bind(ms(scope.at))
            .bind(version)
            .execute(c)
            .await)?
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("order.pattern", "case", case)).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// When the contact sessions of these cases that count against their orders start, between
    /// two instants: (case, start), read through `bookings_by_case`.
    pub async fn counted_sessions(
        &self,
        organisation: OrganisationId,
        cases: &[String],
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<(String, Timestamp)>> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT case_id, starts_at FROM bookings
             WHERE organisation_id = $1 AND case_id IN ({}) AND starts_at >= $2 AND starts_at < $3
               AND status IN {COUNTED} AND held_since IS NULL AND kind NOT IN ('pre_visit', 'review')",
            placeholders(4, cases.len())
        );
        let rows: Vec<(String, i64)> = with_pool!(self, |p| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(organisation.to_string())
                .bind(ms(from))
                .bind(ms(until));
            for case in cases {
                q = q.bind(case);
            }
            q.fetch_all(p).await
        })?;
        Ok(rows.into_iter().map(|(case, at)| (case, ts(at))).collect())
    }

    /// Up to `limit` cases with a pattern, after the case `after` (in the order of their ids), on
    /// cases that are not closed, at the given centres (`None`: every centre). A page read in the
    /// order of `order_patterns`' key.
    pub async fn patterned_cases(
        &self,
        organisation: OrganisationId,
        centres: Option<&[CentreId]>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<PatternedCase>> {
        if centres.is_some_and(<[CentreId]>::is_empty) {
            return Ok(Vec::new());
        }
        let centre_filter = centres.map_or(String::new(), |c| {
            format!(" AND c.centre_id IN ({})", placeholders(4, c.len()))
        });
        let sql = format!(
            "SELECT {COLUMNS}, c.reference, c.centre_id FROM order_patterns p
             JOIN court_orders o ON o.organisation_id = p.organisation_id AND o.id = p.order_id
             JOIN cases c ON c.organisation_id = p.organisation_id AND c.id = p.case_id
             WHERE p.organisation_id = $1 AND p.case_id > $2 AND c.status NOT IN ('closed', 'declined', 'signposted')
{centre_filter}
             ORDER BY p.case_id LIMIT $3"
        );
        type Listed = (
            String,
            String,
            String,
            i64,
            String,
            i64,
            Option<String>,
            Option<String>,
            i64,
            String,
            String,
            String,
        );
        let rows: Vec<Listed> = with_pool!(self, |p| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(organisation.to_string())
                .bind(after.unwrap_or(""))
                .bind(limit);
            for centre in centres.unwrap_or(&[]) {
                q = q.bind(centre.to_string());
            }
            q.fetch_all(p).await
        })?;
        rows.into_iter()
            .map(|r| {
                let (a, b, c, d, e, f, g, h, i, j, reference, centre_id) = r;
                Ok(PatternedCase {
                    stored: stored((a, b, c, d, e, f, g, h, i, j))?,
                    reference,
                    centre_id,
                })
            })
            .collect()
    }
}
