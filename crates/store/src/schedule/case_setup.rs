//! A case's scheduling set-up: its usual workers, each party's availability, its own stagger, and
//! the people who must never meet (the case's own adults, and pairs a coordinator adds).

use super::rows::{hhmm, parse_hhmm};
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ids::{CaseId, CentreId, OrganisationId, UserId};
use familytime_domain::schedule::StaggerDirection;
use jiff::civil::Time;

/// An adult of an open case at a centre, with the case's reference.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CentreAdult {
    pub party_id: String,
    pub name: String,
    pub role: String,
    pub case_id: String,
    pub reference: String,
}

/// A pair of people who must never meet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NeverMeetPair {
    pub id: String,
    pub party_a: String,
    pub name_a: String,
    pub case_a: String,
    pub party_b: String,
    pub name_b: String,
    pub case_b: String,
    pub separation: String,
    pub reason: String,
}

impl Store {
    /// The family's usual workers.
    pub async fn case_workers(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<UserId>> {
        let ids: Vec<String> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT user_id FROM case_workers WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        Ok(ids.iter().filter_map(|i| UserId::parse(i).ok()).collect())
    }

    pub async fn set_case_workers(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        workers: &[UserId],
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.advance_list_version(
            organisation,
            crate::versions::ListKind::CaseWorkers,
            &case.to_string(),
            version,
        )
        .await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM case_workers WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .execute(c)
        .await)?;
        for w in workers {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO case_workers (organisation_id, case_id, user_id) VALUES ($1, $2, $3)"
            )
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(w.to_string())
            .execute(c)
            .await)?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.case_workers", "case", case))
            .await?;
        tx.commit().await
    }

    /// A party's weekly availability (weekday, start, end); empty means any time.
    pub async fn party_availability(&self, organisation: OrganisationId, party: &str) -> Result<Vec<(i8, Time, Time)>> {
        let rows: Vec<(i64, String, String)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT weekday, starts, ends FROM party_availability WHERE organisation_id = $1 AND party_id = $2 ORDER BY weekday, starts"
        )
        .bind(organisation.to_string())
        .bind(party)
        .fetch_all(p)
        .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(d, s, e)| Some((i8::try_from(d).ok()?, parse_hhmm(&s)?, parse_hhmm(&e)?)))
            .collect())
    }

    pub async fn set_party_availability(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        party: &str,
        hours: &[(i8, Time, Time)],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM party_availability WHERE organisation_id = $1 AND party_id = $2"
        )
        .bind(organisation.to_string())
        .bind(party)
        .execute(c)
        .await)?;
        for (day, starts, ends) in hours {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO party_availability (organisation_id, id, party_id, weekday, starts, ends) VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(organisation.to_string())
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(party)
            .bind(i64::from(*day))
            .bind(hhmm(*starts))
            .bind(hhmm(*ends))
            .execute(c)
            .await
            })?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.party_availability", "party", party))
            .await?;
        tx.commit().await
    }

    /// The pairs a case's adults belong to, given those read with the rest of the planning
    /// (`Store::planning`), after making sure the resident adult and each other adult of the case
    /// are a same-case pair (written only when one is missing, so planning a booking usually costs
    /// no write and no further read).
    pub async fn case_pairs(
        &self,
        organisation: OrganisationId,
        case: CaseId,
        parties: &[(String, bool)],
        pairs: Vec<NeverMeetPair>,
        at: Timestamp,
    ) -> Result<Vec<NeverMeetPair>> {
        let missing = parties.iter().filter(|(_, resident)| *resident).any(|(r, _)| {
            parties.iter().filter(|(_, resident)| !*resident).any(|(o, _)| {
                let (a, b) = if r < o { (r, o) } else { (o, r) };
                !pairs.iter().any(|p| &p.party_a == a && &p.party_b == b)
            })
        });
        if !missing {
            return Ok(pairs);
        }
        let mut tx = self.begin().await?;
        Self::insert_case_pairs(&mut tx, organisation, case, at).await?;
        tx.commit().await?;
        let ids: Vec<String> = parties.iter().map(|(id, _)| id.clone()).collect();
        self.never_meet_pairs(organisation, &ids).await
    }

    async fn insert_case_pairs(tx: &mut Tx, organisation: OrganisationId, case: CaseId, at: Timestamp) -> Result<()> {
        let parties: Vec<(String, String)> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT id, role FROM case_parties WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(c)
        .await)?;
        // The resident parent (or carer) is kept apart from every other adult of the case.
        for (a, role_a) in &parties {
            for (b, role_b) in &parties {
                if a >= b || (role_a == "resident") == (role_b == "resident") {
                    continue;
                }
                exec_tx!(tx, |c| sqlx::query(
                    "INSERT INTO never_meet (organisation_id, id, party_a, party_b, separation, reason, created_at)
                     VALUES ($1, $2, $3, $4, 'same_case', 'Adults of the same case', $5)
                     ON CONFLICT (organisation_id, party_a, party_b) DO NOTHING"
                )
                .bind(organisation.to_string())
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(a)
                .bind(b)
                .bind(ms(at))
                .execute(c)
                .await)?;
            }
        }
        Ok(())
    }

    /// Adds a pair who must never meet (across cases too). Refused, naming the dates, when their
    /// booked sessions already overlap at the same site.
    pub async fn add_never_meet(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        first: &str,
        second: &str,
        reason: &str,
    ) -> Result<String> {
        let (a, b) = if first < second {
            (first, second)
        } else {
            (second, first)
        };
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO never_meet (organisation_id, id, party_a, party_b, separation, reason, created_by, created_at)
             VALUES ($1, $2, $3, $4, 'added', $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(a)
        .bind(b)
        .bind(reason)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "These two people are already kept apart"))?;
        // Their live bookings from now on: the windows are their whole time on site.
        let windows: Vec<(String, String, String, i64, i64)> = with_tx!(tx, |c| {
            sqlx::query_as(
            "SELECT bp.booking_id, bp.party_id, COALESCE('venue:' || v.room_id, 'centre:' || b.centre_id), bp.arrives_at, bp.leaves_at
             FROM booking_parties bp
             JOIN bookings b ON b.organisation_id = bp.organisation_id AND b.id = bp.booking_id
             LEFT JOIN venue_approvals v ON v.organisation_id = b.organisation_id AND v.room_id = b.room_id
             WHERE bp.organisation_id = $1 AND bp.party_id IN ($2, $3) AND b.status IN ('provisional', 'confirmed')
               AND b.ends_at > $4 AND b.kind NOT IN ('virtual_supported', 'virtual_supervised')"
        )
        .bind(organisation.to_string())
        .bind(a)
        .bind(b)
        .bind(ms(scope.at))
        .fetch_all(c)
        .await
        })?;
        for (i, x) in windows.iter().enumerate() {
            for y in &windows[i + 1..] {
                if x.1 != y.1 && x.2 == y.2 && x.3 < y.4 && y.3 < x.4 {
                    return Err(StoreError::Conflict(format!(
                        "They are already booked at the same site at the same time (session starting {}); move one of those sessions first",
                        ts(x.3.min(y.3))
                    )));
                }
            }
        }
        for (booking, party, site, from, to) in &windows {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO pair_claims (organisation_id, pair_id, booking_id, party_id, site, starts_at, ends_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(organisation.to_string())
            .bind(&id)
            .bind(booking)
            .bind(party)
            .bind(site)
            .bind(from)
            .bind(to)
            .execute(c)
            .await)?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.never_meet.add", "never_meet", &id))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A case's own stagger (direction, arrival lead, departure delay), where it has one.
    pub async fn case_stagger(
        &self,
        organisation: OrganisationId,
        case: CaseId,
    ) -> Result<Option<(StaggerDirection, i64, i64)>> {
        let row: Option<(String, i64, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT direction, arrival_lead_minutes, departure_delay_minutes FROM case_stagger WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_optional(p)
        .await
        })?;
        Ok(row.and_then(|(d, a, l)| Some((StaggerDirection::parse(&d)?, a, l))))
    }

    /// Sets (or with `None` removes) a case's own stagger.
    pub async fn set_case_stagger(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        stagger: Option<(StaggerDirection, i64, i64)>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM case_stagger WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .execute(c)
        .await)?;
        if let Some((direction, lead, delay)) = stagger {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO case_stagger (organisation_id, case_id, direction, arrival_lead_minutes, departure_delay_minutes) VALUES ($1, $2, $3, $4, $5)"
            )
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(direction.as_str())
            .bind(lead)
            .bind(delay)
            .execute(c)
            .await
            })?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.case_stagger", "case", case))
            .await?;
        tx.commit().await
    }

    /// The adults of the open cases at a centre (not closed, declined or signposted), by case
    /// reference then name: the people a never-meet rule may name. One indexed read.
    pub async fn centre_adults(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<CentreAdult>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT p.id AS party_id, p.name, p.role, c.id AS case_id, c.reference FROM case_parties p \
             JOIN cases c ON c.organisation_id = p.organisation_id AND c.id = p.case_id \
             WHERE p.organisation_id = $1 AND c.centre_id = $2 AND c.status NOT IN ('closed', 'declined', 'signposted') \
             ORDER BY c.reference, p.name"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await
        })?)
    }

    /// The case an adult belongs to.
    pub async fn party_case(
        &self,
        organisation: OrganisationId,
        party: familytime_domain::ids::PartyId,
    ) -> Result<CaseId> {
        let id: String = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT case_id FROM case_parties WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(party.to_string())
        .fetch_one(p)
        .await)?;
        CaseId::parse(&id).map_err(|_| StoreError::NotFound)
    }
}
