//! A centre's scheduling settings and opening calendar: the settings, opening hours, closures,
//! entrances and approved off-site venues.

use super::rows::{hhmm, parse_date, parse_hhmm, weekday_from, weekday_number};
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, with_pool};
use familytime_domain::ids::{CentreId, OrganisationId};
use familytime_domain::schedule::{Calendar, Closure, OpeningRule, Settings, StaggerDirection, WeekRepeat};

/// A centre's rules for planning sessions (part of `Store::planning`).
#[derive(Debug, Clone)]
pub struct PlanningRules {
    /// The centre's settings with the case's own stagger applied where it has one.
    pub settings: Settings,
    pub calendar: Calendar,
    pub centre_name: String,
}

/// An opening rule as stored, with its id.
#[derive(Debug, Clone)]
pub struct StoredOpening {
    pub id: String,
    pub rule: OpeningRule,
}

#[derive(Debug, Clone)]
pub struct StoredClosure {
    pub id: String,
    pub closure: Closure,
}

/// A row of `schedule_settings`: the settings, then the version.
pub(crate) type SettingsRow = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

pub(crate) fn settings_from(r: &SettingsRow) -> Settings {
    let small = |v: i64| u8::try_from(v).unwrap_or(1);
    Settings {
        direction: StaggerDirection::parse(&r.0).unwrap_or(StaggerDirection::VisitingFirst),
        arrival_lead_minutes: r.1,
        handover_minutes: r.2,
        departure_delay_minutes: r.3,
        room_buffer_minutes: r.4,
        supervisors_required: small(r.5),
        families_per_worker: small(r.6),
        community_staff_required: small(r.7),
        travel_minutes: r.8,
        longest_session_minutes: r.9,
    }
}

impl Store {
    /// The centre's scheduling settings, or the defaults when none were saved; with the version.
    pub async fn schedule_settings(&self, organisation: OrganisationId, centre: CentreId) -> Result<(Settings, i64)> {
        let row: Option<SettingsRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT direction, arrival_lead_minutes, handover_minutes, departure_delay_minutes, room_buffer_minutes,
                    supervisors_required, families_per_worker, community_staff_required, travel_minutes,
                    longest_session_minutes, version
             FROM schedule_settings WHERE organisation_id = $1 AND centre_id = $2"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_optional(p)
        .await
        })?;
        Ok(row.map_or((Settings::default(), 0), |r| (settings_from(&r), r.10)))
    }

    /// Saves the centre's settings (already validated); refused as stale unless `version` is the
    /// one read (0 when none were saved yet).
    pub async fn save_schedule_settings(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        s: &Settings,
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = if version == 0 {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO schedule_settings (organisation_id, centre_id, direction, arrival_lead_minutes, handover_minutes,
                    departure_delay_minutes, room_buffer_minutes, supervisors_required, families_per_worker,
                    community_staff_required, travel_minutes, longest_session_minutes, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING"
            )
            .bind(organisation.to_string())
            .bind(centre.to_string())
            .bind(s.direction.as_str())
            .bind(s.arrival_lead_minutes)
            .bind(s.handover_minutes)
            .bind(s.departure_delay_minutes)
            .bind(s.room_buffer_minutes)
            .bind(i64::from(s.supervisors_required))
            .bind(i64::from(s.families_per_worker))
            .bind(i64::from(s.community_staff_required))
            .bind(s.travel_minutes)
            .bind(s.longest_session_minutes)
            .bind(ms(scope.at))
            .execute(c)
            .await
            })?
        } else {
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE schedule_settings SET direction = $3, arrival_lead_minutes = $4, handover_minutes = $5,
                    departure_delay_minutes = $6, room_buffer_minutes = $7, supervisors_required = $8,
                    families_per_worker = $9, community_staff_required = $10, travel_minutes = $11,
                    longest_session_minutes = $12, updated_at = $13, version = version + 1
                 WHERE organisation_id = $1 AND centre_id = $2 AND version = $14"
            )
            .bind(organisation.to_string())
            .bind(centre.to_string())
            .bind(s.direction.as_str())
            .bind(s.arrival_lead_minutes)
            .bind(s.handover_minutes)
            .bind(s.departure_delay_minutes)
            .bind(s.room_buffer_minutes)
            .bind(i64::from(s.supervisors_required))
            .bind(i64::from(s.families_per_worker))
            .bind(i64::from(s.community_staff_required))
            .bind(s.travel_minutes)
            .bind(s.longest_session_minutes)
            .bind(ms(scope.at))
            .bind(version)
            .execute(c)
            .await)?
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("schedule.settings", "centre", centre))
            .await?;
        tx.commit().await
    }

    /// The centre's calendar: its zone, opening rules and closures, read in one statement.
    pub async fn calendar(&self, organisation: OrganisationId, centre: CentreId) -> Result<Calendar> {
        Ok(self.centre_rules(organisation, centre, None).await?.calendar)
    }

    pub async fn opening_hours(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<StoredOpening>> {
        let rows: Vec<(String, i64, String, String, Option<String>)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, weekday, opens, closes, alternate_from FROM opening_hours
             WHERE organisation_id = $1 AND centre_id = $2 ORDER BY weekday, opens"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, day, opens, closes, alternate)| {
                Some(StoredOpening {
                    id,
                    rule: OpeningRule {
                        weekday: weekday_from(day)?,
                        opens: parse_hhmm(&opens)?,
                        closes: parse_hhmm(&closes)?,
                        repeat: match alternate.as_deref().and_then(parse_date) {
                            Some(from) => WeekRepeat::Alternate { from },
                            None => WeekRepeat::Every,
                        },
                    },
                })
            })
            .collect())
    }

    pub async fn add_opening(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        rule: &OpeningRule,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO opening_hours (organisation_id, id, centre_id, weekday, opens, closes, alternate_from)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(centre.to_string())
        .bind(i64::from(weekday_number(rule.weekday)))
        .bind(hhmm(rule.opens))
        .bind(hhmm(rule.closes))
        .bind(match rule.repeat {
            WeekRepeat::Every => None,
            WeekRepeat::Alternate { from } => Some(from.to_string()),
        })
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("schedule.opening.add", "centre", centre))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn remove_opening(&self, scope: &AuditScope, organisation: OrganisationId, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let n = exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM opening_hours WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(id)
        .execute(c)
        .await)?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(scope, AuditEvent::ok("schedule.opening.remove", "opening", id))
            .await?;
        tx.commit().await
    }

    pub async fn closures(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<StoredClosure>> {
        let rows: Vec<(String, String, String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, first_day, last_day, reason FROM closures
             WHERE organisation_id = $1 AND centre_id = $2 ORDER BY first_day"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, first, last, reason)| {
                Some(StoredClosure {
                    id,
                    closure: Closure {
                        first_day: parse_date(&first)?,
                        last_day: parse_date(&last)?,
                        reason,
                    },
                })
            })
            .collect())
    }

    pub async fn add_closure(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        closure: &Closure,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO closures (organisation_id, id, centre_id, first_day, last_day, reason) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(centre.to_string())
        .bind(closure.first_day.to_string())
        .bind(closure.last_day.to_string())
        .bind(&closure.reason)
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("schedule.closure.add", "centre", centre))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn remove_closure(&self, scope: &AuditScope, organisation: OrganisationId, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let n = exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM closures WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(id)
        .execute(c)
        .await)?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(scope, AuditEvent::ok("schedule.closure.remove", "closure", id))
            .await?;
        tx.commit().await
    }

    /// The centre's entrances (id, name).
    pub async fn entrances(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<(String, String)>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name FROM entrances WHERE organisation_id = $1 AND centre_id = $2 ORDER BY name"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?)
    }

    pub async fn add_entrance(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        name: &str,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO entrances (organisation_id, id, centre_id, name) VALUES ($1, $2, $3, $4)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(centre.to_string())
        .bind(name)
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "This centre already has an entrance with that name"))?;
        tx.audit(scope, AuditEvent::ok("schedule.entrance.add", "centre", centre))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records that an off-site venue is approved for contact (kind: community, hospital, home).
    pub async fn approve_venue(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        room: &str,
        kind: &str,
        notes: &str,
    ) -> Result<()> {
        let by = scope.actor_user_id.map(|u| u.to_string()).ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO venue_approvals (organisation_id, room_id, venue_kind, approved_by, approved_at, notes)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (organisation_id, room_id) DO UPDATE SET venue_kind = $3, approved_by = $4, approved_at = $5, notes = $6"
        )
        .bind(organisation.to_string())
        .bind(room)
        .bind(kind)
        .bind(by)
        .bind(ms(scope.at))
        .bind(notes)
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("schedule.venue.approve", "room", room))
            .await?;
        tx.commit().await
    }

    /// Approved venues: room id → (kind, notes).
    pub async fn venue_approvals(&self, organisation: OrganisationId) -> Result<Vec<(String, String, String)>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT room_id, venue_kind, notes FROM venue_approvals WHERE organisation_id = $1"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await)?)
    }
}
