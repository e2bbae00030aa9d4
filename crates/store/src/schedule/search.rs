//! The free-time search's read of what is busy: the claims held on resources and the never-meet
//! windows of others, overlapping a window, looking back only as far as the longest claim.

use super::rows::LONGEST_CLAIM_MS;
use crate::{Result, Store, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::ids::OrganisationId;
use familytime_domain::schedule::Interval;
use std::collections::HashMap;

impl Store {
    /// The claims held on these resources that overlap `[from, to)`, by resource. The search looks
    /// back only as far as the longest claim, so its cost follows the window, not the history.
    ///
    /// Each resource's claims come back as one row, their instants joined into one text
    /// (`start,end;start,end…`, in no order): a month of a busy centre is thousands of claims, and
    /// a row costs far more to hand from the database to the application than a few bytes of text
    /// do (on SQLite each row is a hand-over between the connection's thread and the request's;
    /// decision 0038). `string_agg` is the same aggregate on both databases.
    pub async fn claims_between(
        &self,
        organisation: OrganisationId,
        resources: &[String],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<HashMap<String, Vec<Interval>>> {
        if resources.is_empty() {
            return Ok(HashMap::new());
        }
        // One round trip for all the resources; each is still an index range scan. Only numbered
        // placeholders are formatted into the text; the values are bound.
        let list: Vec<String> = (0..resources.len()).map(|i| format!("${}", i + 5)).collect();
        let sql = format!(
            "SELECT resource, string_agg(CAST(starts_at AS TEXT) || ',' || CAST(ends_at AS TEXT), ';') AS spans
             FROM booking_claims
             WHERE organisation_id = $1 AND starts_at < $2 AND starts_at > $3 AND ends_at > $4
               AND resource IN ({})
             GROUP BY resource",
            list.join(", ")
        );
        let rows: Vec<(String, String)> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(organisation.to_string())
                .bind(ms(to))
                .bind(ms(from) - LONGEST_CLAIM_MS)
                .bind(ms(from));
            for resource in resources {
                query = query.bind(resource);
            }
            query.fetch_all(p).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(resource, spans)| (resource, spans_of(&spans)))
            .collect())
    }

    /// The windows held in a pair by people other than `party`, overlapping `[from, to)`.
    pub async fn pair_windows_between(
        &self,
        organisation: OrganisationId,
        pair: &str,
        party: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, Interval)>> {
        let rows: Vec<(String, i64, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT site, starts_at, ends_at FROM pair_claims
             WHERE organisation_id = $1 AND pair_id = $2 AND party_id <> $3 AND starts_at < $4 AND starts_at > $5 AND ends_at > $6"
        )
        .bind(organisation.to_string())
        .bind(pair)
        .bind(party)
        .bind(ms(to))
        .bind(ms(from) - LONGEST_CLAIM_MS)
        .bind(ms(from))
        .fetch_all(p)
        .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(site, s, e)| Some((site, Interval::new(ts(s), ts(e))?)))
            .collect())
    }
}

/// `start,end;start,end…` (milliseconds) as intervals; a piece that does not read is left out, as
/// a row that did not read always was.
fn spans_of(text: &str) -> Vec<Interval> {
    text.split(';')
        .filter_map(|piece| {
            let (start, end) = piece.split_once(',')?;
            Interval::new(ts(start.parse().ok()?), ts(end.parse().ok()?))
        })
        .collect()
}
