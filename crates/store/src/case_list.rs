//! The case list a page at a time (decision 0036): newest first (the waiting list oldest first, in
//! order of arrival), narrowed by status, centres and a search, each its own bound condition, read
//! through `cases_by_received` or `cases_by_status` from where the last page ended.

use crate::paging::{Keyset, Page, PageRequest, placeholders};
use crate::referrals::{CaseRow, CaseSummary};
use crate::{Result, Store, with_pool};
use familytime_domain::ids::{CentreId, OrganisationId};
use familytime_domain::referrals::CaseStatus;
use std::collections::HashMap;

/// What a case list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct CaseListFilter {
    pub status: Option<CaseStatus>,
    /// Only the cases at these centres (the reader's, or the one asked for); `None`: every centre.
    pub centres: Option<Vec<CentreId>>,
    /// Text found (ignoring case) in the reference or a child's name.
    pub search: Option<String>,
}

impl CaseListFilter {
    /// The waiting list is served in order of arrival: the longest wait first.
    pub fn oldest_first(&self) -> bool {
        self.status == Some(CaseStatus::WaitingList)
    }
}

/// `text` for a `LIKE … ESCAPE '\'` pattern that finds it anywhere, lower-cased.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl Store {
    /// One page of the organisation's cases. A cursor naming no case of the organisation is
    /// `NotFound`.
    pub async fn case_page(
        &self,
        organisation: OrganisationId,
        filter: &CaseListFilter,
        request: &PageRequest,
    ) -> Result<Page<CaseSummary>> {
        let org = organisation.to_string();
        let after = self.cursor_key::<i64>(request, "cases", "received_at", &org).await?;
        if filter.centres.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Keyset::new(request, "received_at", "id", true, 2).finish(Vec::new()));
        }
        let mut filters = String::new();
        let mut values: Vec<String> = Vec::new();
        if let Some(status) = filter.status {
            values.push(status.as_str().to_owned());
            filters.push_str(&format!(" AND status = ${}", values.len() + 1));
        }
        if let Some(centres) = &filter.centres {
            let first = values.len() + 2;
            values.extend(centres.iter().map(ToString::to_string));
            filters.push_str(&format!(" AND centre_id IN ({})", placeholders(first, centres.len())));
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.is_empty()) {
            values.push(contains_pattern(search));
            let n = values.len() + 1;
            filters.push_str(&format!(
                " AND (lower(reference) LIKE ${n} ESCAPE '\\' OR EXISTS (SELECT 1 FROM case_children k
                   WHERE k.organisation_id = cases.organisation_id AND k.case_id = cases.id AND lower(k.name) LIKE ${n} ESCAPE '\\'))"
            ));
        }
        let keyset = Keyset::new(request, "received_at", "id", !filter.oldest_first(), values.len() + 2);
        let sql = format!(
            "SELECT id, centre_id, reference, source, status, service, received_at, status_since, referrer_user_id, version,
                    referrer_name, referrer_organisation, outcome, missing, child_lives_with, risk_background, consent_to_share,
                    orders_described, service_asked
             FROM cases WHERE organisation_id = $1{filters}{} {}",
            keyset.condition, keyset.order
        );
        let rows: Vec<CaseRow> = with_pool!(self, |p| {
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
        let mut names = self
            .children_names(organisation, page.items.iter().map(|r| r.id.as_str()))
            .await?;
        let items = page
            .items
            .iter()
            .map(|r| r.summary(names.remove(&r.id).unwrap_or_default()))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            more_before: page.more_before,
            more_after: page.more_after,
        })
    }

    /// The children's names of these cases (youngest last), by case id: read for the cases shown
    /// only, a page's worth of keys at a time.
    pub(crate) async fn children_names(
        &self,
        organisation: OrganisationId,
        cases: impl Iterator<Item = &str>,
    ) -> Result<HashMap<String, Vec<String>>> {
        let cases: Vec<&str> = cases.collect();
        let mut names: HashMap<String, Vec<String>> = HashMap::new();
        for chunk in cases.chunks(crate::paging::PAGE_SIZE) {
            let sql = format!(
                "SELECT case_id, name FROM case_children WHERE organisation_id = $1 AND case_id IN ({})
                 ORDER BY date_of_birth, name",
                placeholders(2, chunk.len())
            );
            let rows: Vec<(String, String)> = with_pool!(self, |p| {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organisation.to_string());
                for case in chunk {
                    query = query.bind(*case);
                }
                query.fetch_all(p).await
            })?;
            for (case, name) in rows {
                names.entry(case).or_default().push(name);
            }
        }
        Ok(names)
    }
}
