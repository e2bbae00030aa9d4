//! Calendar views: bookings between two instants (a centre's, a room's or a worker's), a case's
//! bookings, who is coming and who is working at each, and what a case's arrival plan weighs.

use super::rows::{BOOKING_SELECT, Booking, BookingRow};
use crate::paging::placeholders;
use crate::{Result, Store, ms, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId, UserId};

/// A party's part in a booking, for plans and feeds.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookedParty {
    pub booking_id: String,
    pub party_id: String,
    pub name: String,
    pub role: String,
    pub attendance: String,
    pub arrives_at: i64,
    pub leaves_at: i64,
    pub entrance: Option<String>,
    pub waits_in: Option<String>,
    /// The ids of the entrance and waiting room named above (for a form that changes them).
    pub entrance_id: Option<String>,
    pub waits_in_id: Option<String>,
    /// When they leave the premises after the drop-off and come back for the pick-up (both
    /// `None`: on the premises throughout), and how long staff talk with them on arriving and on
    /// leaving (decision 0047; 0 for a booking made before the day plan).
    pub departs_at: Option<i64>,
    pub returns_at: Option<i64>,
    pub talk_minutes: i64,
    /// Whether their record says they need an interpreter, and the language they speak.
    pub needs_interpreter: bool,
    pub language: Option<String>,
    /// The interpreter booked for them at this session, and for which language.
    pub interpreter: Option<String>,
    pub interpreter_language: Option<String>,
}

impl BookedParty {
    /// Whether they bring the child and were let stay on the premises through the session (a
    /// booking's exception, decision 0047): planned with talks and no time away.
    pub fn stays_through(&self) -> bool {
        self.attendance == "brings_child" && self.departs_at.is_none() && self.talk_minutes > 0
    }
}

/// A staff member on a booking.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookedStaff {
    pub booking_id: String,
    pub user_id: String,
    pub name: String,
}

impl Store {
    /// What a case's arrival plan weighs: the kinds of its restraining orders (non-molestation,
    /// injunction) and the concerns of its latest risk assessment, in one statement.
    pub async fn separation_risk(
        &self,
        organisation: OrganisationId,
        case: CaseId,
    ) -> Result<(Vec<String>, Vec<familytime_domain::triage::Concern>)> {
        // Row kinds: 'order' (value: the order's kind), 'concerns' (value: the latest assessment's
        // concerns, comma-separated).
        let rows: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT 'order' AS what, kind AS value FROM court_orders
             WHERE organisation_id = $1 AND case_id = $2 AND kind IN ('non_molestation', 'injunction')
             UNION ALL
             SELECT 'concerns', concerns FROM (SELECT concerns FROM risk_assessments
                WHERE organisation_id = $1 AND case_id = $2 ORDER BY assessed_at DESC LIMIT 1) latest"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        let mut orders = Vec::new();
        let mut concerns = Vec::new();
        for (what, value) in rows {
            if what == "order" {
                orders.push(value);
            } else {
                concerns.extend(value.split(',').filter_map(familytime_domain::triage::Concern::parse));
            }
        }
        Ok((orders, concerns))
    }

    /// Bookings at a centre starting in `[from, to)`, optionally one room's or one person's.
    pub async fn bookings_between(
        &self,
        organisation: OrganisationId,
        centre: Option<CentreId>,
        from: Timestamp,
        to: Timestamp,
        room: Option<&str>,
        staff: Option<UserId>,
    ) -> Result<Vec<Booking>> {
        // Each filter asked for is its own bound condition, and one not asked for is left out: an
        // optional filter written `($n = '' OR b.centre_id = $n)` keeps the planner from the
        // (organisation, centre, start) index, and the calendar read every booking the organisation
        // ever had (issue 27, decision 0033).
        let mut filters = Vec::new();
        let mut values = Vec::new();
        for (value, condition) in [
            (centre.map(|c| c.to_string()), "b.centre_id = $"),
            (room.map(str::to_owned), "b.room_id = $"),
            (
                staff.map(|s| s.to_string()),
                "EXISTS (SELECT 1 FROM booking_staff s WHERE s.organisation_id = b.organisation_id AND s.booking_id = b.id AND s.user_id = $",
            ),
        ] {
            if let Some(value) = value {
                values.push(value);
                let close = if condition.starts_with("EXISTS") { ")" } else { "" };
                filters.push(format!(" AND {condition}{}{close}", values.len() + 3));
            }
        }
        let sql = format!(
            "{BOOKING_SELECT} WHERE b.organisation_id = $1 AND b.starts_at >= $2 AND b.starts_at < $3{}
             ORDER BY b.starts_at, b.id",
            filters.concat()
        );
        let rows: Vec<BookingRow> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(organisation.to_string())
                .bind(ms(from))
                .bind(ms(to));
            for value in &values {
                query = query.bind(value.as_str());
            }
            query.fetch_all(p).await
        })?;
        rows.into_iter().map(Booking::try_from).collect()
    }

    /// A case's bookings, newest last.
    pub async fn case_bookings(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<Booking>> {
        let sql =
            format!("{BOOKING_SELECT} WHERE b.organisation_id = $1 AND b.case_id = $2 ORDER BY b.starts_at, b.id");
        let rows: Vec<BookingRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(case.to_string())
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Booking::try_from).collect()
    }

    /// The parties' plans of the given bookings, in the order the bookings are given (each
    /// booking's by arrival).
    ///
    /// A few statements for the whole list, not one a booking: a week's calendar shows hundreds of
    /// sessions, and on SQLite each statement is a hand-over to the connection's thread and back
    /// (issue 27).
    pub async fn booked_parties(
        &self,
        organisation: OrganisationId,
        bookings: &[BookingId],
    ) -> Result<Vec<BookedParty>> {
        let mut out = Vec::new();
        for chunk in bookings.chunks(BOOKINGS_PER_STATEMENT) {
            let ids: Vec<String> = chunk.iter().map(ToString::to_string).collect();
            let filter = format!("bp.booking_id IN ({})", placeholders(2, ids.len()));
            out.extend(self.booked_parties_where(organisation, &filter, &ids).await?);
        }
        in_order_of(bookings, &mut out, |p| &p.booking_id);
        Ok(out)
    }

    /// The parties' plans matching `filter`, whose placeholders start at `$2` and take `values`.
    pub(super) async fn booked_parties_where(
        &self,
        organisation: OrganisationId,
        filter: &str,
        values: &[String],
    ) -> Result<Vec<BookedParty>> {
        let sql = format!(
            "SELECT bp.booking_id, bp.party_id, p.name, p.role, bp.attendance, bp.arrives_at, bp.leaves_at,
                    e.name AS entrance, w.name AS waits_in, bp.entrance_id, bp.waits_in AS waits_in_id,
                    bp.departs_at, bp.returns_at, bp.talk_minutes, p.interpreter AS needs_interpreter, p.language,
                    i.name AS interpreter, bi.language AS interpreter_language
             FROM booking_parties bp
             JOIN case_parties p ON p.organisation_id = bp.organisation_id AND p.id = bp.party_id
             LEFT JOIN entrances e ON e.organisation_id = bp.organisation_id AND e.id = bp.entrance_id
             LEFT JOIN rooms w ON w.organisation_id = bp.organisation_id AND w.id = bp.waits_in
             LEFT JOIN booking_interpreters bi ON bi.organisation_id = bp.organisation_id
                  AND bi.booking_id = bp.booking_id AND bi.party_id = bp.party_id
             LEFT JOIN interpreters i ON i.organisation_id = bi.organisation_id AND i.id = bi.interpreter_id
             WHERE bp.organisation_id = $1 AND {filter} ORDER BY bp.arrives_at"
        );
        Ok(with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organisation.to_string());
            for value in values {
                query = query.bind(value.as_str());
            }
            query.fetch_all(p).await
        })?)
    }

    /// The staff on the given bookings, in the order the bookings are given (each booking's by
    /// name, compared as text); a few statements for the whole list, as `booked_parties`.
    pub async fn booked_staff(&self, organisation: OrganisationId, bookings: &[BookingId]) -> Result<Vec<BookedStaff>> {
        let mut worked: Vec<(String, String)> = Vec::new();
        for chunk in bookings.chunks(BOOKINGS_PER_STATEMENT) {
            let ids: Vec<String> = chunk.iter().map(ToString::to_string).collect();
            let sql = format!(
                "SELECT booking_id, user_id FROM booking_staff WHERE organisation_id = $1 AND booking_id IN ({})",
                placeholders(2, ids.len())
            );
            let rows: Vec<(String, String)> = with_pool!(self, |p| {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organisation.to_string());
                for id in &ids {
                    query = query.bind(id.as_str());
                }
                query.fetch_all(p).await
            })?;
            worked.extend(rows);
        }
        // The names in a read of their own. Joined to the users in the same statement, SQLite's
        // planner took the users as the outer loop and probed every booking asked about for each
        // member of staff (25 ms for a week of a centre at 2,000 sessions), with or without an
        // ORDER BY; both reads here go by their primary keys.
        let mut people: Vec<String> = worked.iter().map(|(_, user)| user.clone()).collect();
        people.sort_unstable();
        people.dedup();
        let names = self.user_names(organisation, &people).await?;
        let mut out: Vec<BookedStaff> = worked
            .into_iter()
            .filter_map(|(booking_id, user_id)| {
                let name = names.get(&user_id)?.clone();
                Some(BookedStaff {
                    booking_id,
                    user_id,
                    name,
                })
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        in_order_of(bookings, &mut out, |s| &s.booking_id);
        Ok(out)
    }
}

/// How many bookings one statement asks about: far below either database's limit on bound values,
/// and more than a week's calendar of a busy centre usually shows.
const BOOKINGS_PER_STATEMENT: usize = 500;

/// Orders rows by where their booking stands in `bookings`, keeping each booking's rows in the
/// order the statement gave them (the sort is stable).
fn in_order_of<T>(bookings: &[BookingId], rows: &mut [T], booking_of: impl Fn(&T) -> &String) {
    let position: std::collections::HashMap<String, usize> =
        bookings.iter().enumerate().map(|(i, b)| (b.to_string(), i)).collect();
    rows.sort_by_key(|row| position.get(booking_of(row)).copied().unwrap_or(usize::MAX));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_bookings_order_and_keep_their_own() {
        let bookings: Vec<BookingId> = ["01a0", "01a1", "01a2"]
            .map(|p| BookingId::parse(&format!("{p}0000-0000-7000-8000-000000000000")))
            .into_iter()
            .collect::<std::result::Result<_, _>>()
            .unwrap_or_default();
        assert_eq!(bookings.len(), 3);
        let [a, b, c] = [0, 1, 2].map(|i| bookings[i].to_string());
        // As a statement ordered by arrival might give them: the bookings interleaved.
        let mut rows = vec![
            (c.clone(), 1),
            (a.clone(), 1),
            (c.clone(), 2),
            (b.clone(), 1),
            (a.clone(), 2),
        ];
        in_order_of(&bookings, &mut rows, |r| &r.0);
        assert_eq!(rows, vec![(a.clone(), 1), (a, 2), (b, 1), (c.clone(), 1), (c, 2)]);
    }
}
