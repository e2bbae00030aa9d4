//! The case list as the store reads it whole: an organisation's cases, newest first, optionally of
//! one status or one referrer (the paged, filtered list is `crate::case_list`).

use super::{CaseRow, CaseSummary};
use crate::{Result, Store, with_pool};
use familytime_domain::ids::{OrganisationId, UserId};
use familytime_domain::referrals::CaseStatus;

impl Store {
    /// Cases of the organisation, newest first, optionally of one status.
    pub async fn cases(
        &self,
        organisation: OrganisationId,
        status: Option<CaseStatus>,
        referred_by: Option<UserId>,
    ) -> Result<Vec<CaseSummary>> {
        // Each filter asked for is its own bound condition (an optional `($n = '' OR …)` keeps the
        // planner from the indexes that lead with it; decision 0033).
        let mut filters = String::new();
        let mut values = Vec::new();
        if let Some(status) = status {
            values.push(status.as_str().to_owned());
            filters.push_str(&format!(" AND status = ${}", values.len() + 1));
        }
        if let Some(referrer) = referred_by {
            values.push(referrer.to_string());
            filters.push_str(&format!(" AND referrer_user_id = ${}", values.len() + 1));
        }
        let sql = format!(
            "SELECT id, centre_id, reference, source, status, service, received_at, status_since, referrer_user_id, version,
                    referrer_name, referrer_organisation, outcome, missing, child_lives_with, risk_background, consent_to_share,
                    orders_described, service_asked
             FROM cases WHERE organisation_id = $1{filters}
             ORDER BY received_at DESC, id DESC"
        );
        let rows: Vec<CaseRow> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organisation.to_string());
            for value in &values {
                query = query.bind(value.as_str());
            }
            query.fetch_all(p).await
        })?;
        let mut names = self
            .children_names(organisation, rows.iter().map(|r| r.id.as_str()))
            .await?;
        rows.iter()
            .map(|r| r.summary(names.remove(&r.id).unwrap_or_default()))
            .collect()
    }
}
