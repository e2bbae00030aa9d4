//! The facts the booking rules decide from (issue 19, decision 0043), read for a page and read
//! again inside a booking's own transaction with the case's row locked, so a suspension and a
//! booking for the same case at the same moment cannot both stand; and the writes that change
//! them: a change of service from a date (with a review's step-down), the organisation's setting on
//! pre-visits (audited).

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, with_pool, with_tx};
use familytime_domain::booking_rules::{CaseRules, ServiceChange, ServiceState};
use familytime_domain::ids::{CaseId, OrganisationId};
use familytime_domain::intake::PartyRole;
use familytime_domain::previsits::{self, Visit, VisitStatus};
use familytime_domain::referrals::Service;
use familytime_domain::reviews::NoticeKind;

const HEAD: &str = "SELECT c.service, c.service_state, o.previsits_before_contact FROM cases c
     JOIN organisations o ON o.id = c.organisation_id
     WHERE c.organisation_id = $1 AND c.id = $2";
// In the order they apply and were recorded: of two changes from one day, the later decision stands.
const CHANGES: &str = "SELECT service, applies_from FROM service_changes WHERE organisation_id = $1 AND case_id = $2
     ORDER BY applies_from, recorded_at, id";
const VISITS: &str = "SELECT v.party_id, p.role, v.scheduled_at, v.status, v.rules_agreed FROM pre_visits v
     JOIN case_parties p ON p.organisation_id = v.organisation_id AND p.id = v.party_id
     WHERE v.organisation_id = $1 AND v.case_id = $2";

const CURRENT_RULES: &str = "SELECT id, label FROM rules_versions WHERE organisation_id = $1
     ORDER BY issued_on DESC, recorded_at DESC LIMIT 1";
const PARENTS: &str = "SELECT id, name FROM case_parties
     WHERE organisation_id = $1 AND case_id = $2 AND role IN ('resident', 'visiting') ORDER BY role, name";
const AGREED: &str =
    "SELECT party_id FROM rules_agreements WHERE organisation_id = $1 AND case_id = $2 AND rules_version_id = $3";

type Head = (Option<String>, String, bool);
type VisitRow = (String, String, i64, String, bool);

/// Reads the three row sets through `$wrap` (`with_tx` or `with_pool`) on `$on`.
macro_rules! read_rules {
    ($wrap:ident, $on:expr, $org:expr, $case:expr) => {{
        let head: Option<Head> = $wrap!($on, |c| sqlx::query_as(HEAD)
            .bind($org)
            .bind($case)
            .fetch_optional(c)
            .await)?;
        let changes: Vec<(String, String)> = $wrap!($on, |c| sqlx::query_as(CHANGES)
            .bind($org)
            .bind($case)
            .fetch_all(c)
            .await)?;
        let visits: Vec<VisitRow> = $wrap!($on, |c| sqlx::query_as(VISITS)
            .bind($org)
            .bind($case)
            .fetch_all(c)
            .await)?;
        let current: Option<(String, String)> = $wrap!($on, |c| sqlx::query_as(CURRENT_RULES)
            .bind($org)
            .fetch_optional(c)
            .await)?;
        let parents: Vec<(String, String)> = $wrap!($on, |c| sqlx::query_as(PARENTS)
            .bind($org)
            .bind($case)
            .fetch_all(c)
            .await)?;
        let agreed: Vec<(String,)> = match &current {
            Some((version, _)) => $wrap!($on, |c| sqlx::query_as(AGREED)
                .bind($org)
                .bind($case)
                .bind(version)
                .fetch_all(c)
                .await)?,
            None => Vec::new(),
        };
        let agreements = Agreements {
            version: current.map_or_else(|| crate::agreements::FIRST_LABEL.to_owned(), |(_, label)| label),
            missing: parents
                .into_iter()
                .filter(|(party, _)| !agreed.iter().any(|(a,)| a == party))
                .map(|(_, name)| name)
                .collect(),
        };
        (head, changes, visits, agreements)
    }};
}

/// The current version of the centre's rules and the parents who have not agreed to it.
struct Agreements {
    version: String,
    missing: Vec<String>,
}

fn case_rules(
    head: Option<Head>,
    changes: Vec<(String, String)>,
    visits: Vec<VisitRow>,
    agreements: Agreements,
) -> Result<CaseRules> {
    let (service, state, previsits_required) = head.ok_or(StoreError::NotFound)?;
    let state =
        ServiceState::parse(&state).ok_or_else(|| StoreError::Database(format!("unknown service state {state}")))?;
    let changes = changes
        .into_iter()
        .filter_map(|(service, from)| {
            Some(ServiceChange {
                service: Service::parse(&service)?,
                from: from.parse().ok()?,
            })
        })
        .collect();
    let visits: Vec<Visit<usize>> = visits
        .into_iter()
        .enumerate()
        .filter_map(|(n, (_, role, at, status, rules_agreed))| {
            Some(Visit {
                party: n,
                role: PartyRole::parse(&role)?,
                at: crate::ts(at),
                status: VisitStatus::parse(&status)?,
                rules_agreed,
            })
        })
        .collect();
    Ok(CaseRules {
        accepted: service.as_deref().and_then(Service::parse),
        changes,
        state,
        previsits_required,
        previsits_missing: previsits::visits_still_needed(&visits),
        agreements_missing: agreements.missing,
        rules_version: agreements.version,
    })
}

impl Store {
    /// The facts the booking rules need about a case, for showing what is missing before a
    /// coordinator tries.
    pub async fn case_rules(&self, organisation: OrganisationId, case: CaseId) -> Result<CaseRules> {
        let (org, id) = (organisation.to_string(), case.to_string());
        let (head, changes, visits, agreements) = read_rules!(with_pool, self, &org, &id);
        case_rules(head, changes, visits, agreements)
    }

    /// The same facts inside a transaction, after locking the case's row (on PostgreSQL; SQLite's
    /// writers take turns): whatever changes them (a suspension, a change of service) waits for the
    /// booking, or the booking waits for it and then reads what it wrote.
    pub(crate) async fn case_rules_in(tx: &mut Tx, organisation: OrganisationId, case: CaseId) -> Result<CaseRules> {
        Self::lock_case(tx, organisation, case).await?;
        let (org, id) = (organisation.to_string(), case.to_string());
        let (head, changes, visits, agreements) = read_rules!(with_tx, tx, &org, &id);
        case_rules(head, changes, visits, agreements)
    }

    /// The change of service inside a transaction (a review's, written with it), the case's row
    /// locked first as a booking locks it.
    pub(crate) async fn insert_service_change(
        tx: &mut Tx,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        change: ServiceChange,
        reason: &str,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        Self::lock_case(tx, organisation, case).await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO service_changes (organisation_id, id, case_id, service, applies_from, reason, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(case.to_string())
        .bind(change.service.as_str())
        .bind(change.from.to_string())
        .bind(reason)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("service.change", "case", case)).await?;
        Ok(id)
    }

    /// Whether the organisation makes contact wait for every adult's pre-visit and the rules
    /// agreed.
    /// Whether contact waits for the pre-visits, and the organisation's version (for a change).
    pub async fn previsits_before_contact(&self, organisation: OrganisationId) -> Result<(bool, i64)> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT previsits_before_contact, version FROM organisations WHERE id = $1"
        )
        .bind(organisation.to_string())
        .fetch_one(p)
        .await)?)
    }

    /// Switches the rule on or off for the organisation; audited either way ("rules.previsits.off"
    /// says a rule was switched off, and by whom). With `version`, a change made since it was read
    /// is refused as stale.
    pub async fn set_previsits_before_contact(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        required: bool,
        version: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        // One statement per case: the change from a page or the API names the version it read; the
        // harness and the tests set the rule outright.
        let changed = match version {
            Some(read) => exec_tx!(tx, |c| sqlx::query(
                "UPDATE organisations SET previsits_before_contact = $1, version = version + 1
                 WHERE id = $2 AND version = $3"
            )
            .bind(required)
            .bind(organisation.to_string())
            .bind(read)
            .execute(c)
            .await)?,
            None => exec_tx!(tx, |c| sqlx::query(
                "UPDATE organisations SET previsits_before_contact = $1, version = version + 1 WHERE id = $2"
            )
            .bind(required)
            .bind(organisation.to_string())
            .execute(c)
            .await)?,
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        let event = if required {
            "rules.previsits.on"
        } else {
            "rules.previsits.off"
        };
        tx.audit(scope, AuditEvent::ok(event, "organisation", organisation))
            .await?;
        tx.commit().await
    }

    /// What a notice does to the case's service and its contact sessions still to come, inside the
    /// notice's transaction with the case's row locked (as a booking locks it, so a booking racing
    /// the notice is either refused or caught here): a suspension puts them on hold for the
    /// coordinator to decide one by one (cancel by the centre, or keep held); an ending cancels
    /// them by the centre, taking back what they charged (no forfeit).
    pub(crate) async fn apply_notice(
        tx: &mut Tx,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        kind: NoticeKind,
    ) -> Result<()> {
        Self::lock_case(tx, organisation, case).await?;
        let (org, id) = (organisation.to_string(), case.to_string());
        let state = match kind {
            NoticeKind::Suspended => ServiceState::Suspended,
            NoticeKind::Ended => ServiceState::Ended,
        };
        exec_tx!(tx, |c| sqlx::query(
            "UPDATE cases SET service_state = $1 WHERE organisation_id = $2 AND id = $3"
        )
        .bind(state.as_str())
        .bind(&org)
        .bind(&id)
        .execute(c)
        .await)?;
        match kind {
            NoticeKind::Suspended => {
                let held: Vec<(String,)> = with_tx!(tx, |c| sqlx::query_as(
                    "UPDATE bookings SET held_since = $1, updated_at = $1, version = version + 1
                     WHERE organisation_id = $2 AND case_id = $3 AND starts_at > $1
                       AND status IN ('provisional', 'confirmed') AND held_since IS NULL
                       AND kind NOT IN ('pre_visit', 'review')
                     RETURNING id"
                )
                .bind(ms(scope.at))
                .bind(&org)
                .bind(&id)
                .fetch_all(c)
                .await)?;
                for (booking,) in held {
                    // A session on hold is not reminded of; resuming lets the reminder job write
                    // its reminders again.
                    exec_tx!(tx, |c| sqlx::query(crate::mail::WITHDRAW_REMINDERS)
                        .bind(&org)
                        .bind(&booking)
                        .execute(c)
                        .await)?;
                    exec_tx!(tx, |c| sqlx::query(crate::letters::WITHDRAW_REMINDER_LETTERS)
                        .bind(&org)
                        .bind(&booking)
                        .execute(c)
                        .await)?;
                    Self::record_event(
                        tx,
                        scope,
                        organisation,
                        &booking,
                        "held",
                        None,
                        None,
                        Some("The service is suspended"),
                    )
                    .await?;
                }
            }
            NoticeKind::Ended => {
                let cancelled: Vec<(String, String)> = with_tx!(tx, |c| {
                    sqlx::query_as(
                    "UPDATE bookings SET status = 'cancelled', status_reason = 'The service ended', cancelled_by = 'centre',
                        cancelled_at = $1, notice_minutes = (starts_at - $1) / 60000, updated_at = $1, version = version + 1,
                        sequence = sequence + 1
                     WHERE organisation_id = $2 AND case_id = $3 AND starts_at > $1
                       AND status IN ('provisional', 'confirmed') AND kind NOT IN ('pre_visit', 'review')
                     RETURNING id, status"
                )
                .bind(ms(scope.at))
                .bind(&org)
                .bind(&id)
                .fetch_all(c)
                .await
                })?;
                let ledger = Self::ledger_in(tx, organisation, case).await?;
                for (booking, _) in cancelled {
                    let booking_id = familytime_domain::ids::BookingId::parse(&booking)
                        .map_err(|_| StoreError::Database("unreadable booking id".into()))?;
                    Self::release_claims(tx, organisation, booking_id).await?;
                    let credits = crate::ledger::credits_for_booking(&ledger, &booking);
                    Self::insert_entries(tx, scope, organisation, case, &credits).await?;
                    Self::record_event(
                        tx,
                        scope,
                        organisation,
                        &booking,
                        "status",
                        None,
                        Some("cancelled"),
                        Some("The service ended"),
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }

    /// Resumes a suspended service: contact can be booked again, and the sessions kept on hold
    /// are live again. Refused when the service is not suspended.
    pub async fn resume_service(&self, scope: &AuditScope, organisation: OrganisationId, case: CaseId) -> Result<()> {
        let mut tx = self.begin().await?;
        Self::lock_case(&mut tx, organisation, case).await?;
        let (org, id) = (organisation.to_string(), case.to_string());
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE cases SET service_state = 'running' WHERE organisation_id = $1 AND id = $2 AND service_state = 'suspended'"
        )
        .bind(&org)
        .bind(&id)
        .execute(c)
        .await
        })?;
        if changed == 0 {
            return Err(StoreError::Conflict("The service is not suspended".into()));
        }
        exec_tx!(tx, |c| sqlx::query(
            "UPDATE bookings SET held_since = NULL, updated_at = $1, version = version + 1
             WHERE organisation_id = $2 AND case_id = $3 AND held_since IS NOT NULL"
        )
        .bind(ms(scope.at))
        .bind(&org)
        .bind(&id)
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("service.resume", "case", case)).await?;
        tx.commit().await
    }
}
