//! Referrals and cases: storing a new referral whole (children, adults, contact details with the
//! parties each is hidden from, court orders), reading a case file, listing cases, moving a case
//! through its statuses and recording risk assessments. History rows are append-only.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::confidential::Confidential;
use familytime_domain::ids::{CaseId, CentreId, ChildId, OrganisationId, PartyId, UserId};
use familytime_domain::intake::{ContactKind, NewContact, NewReferral, PartyRole};
use familytime_domain::referrals::{CaseStatus, ClosureOutcome, ReferralSource, Service, Transition, check_transition};
use familytime_domain::triage::Concern;

/// One line of a case list.
#[derive(Debug, Clone)]
pub struct CaseSummary {
    pub id: CaseId,
    pub centre_id: CentreId,
    pub reference: String,
    pub source: ReferralSource,
    pub status: CaseStatus,
    pub service: Option<Service>,
    pub received_at: Timestamp,
    pub status_since: Timestamp,
    pub referrer_user_id: Option<UserId>,
    /// The children's names, for finding a family in the list.
    pub children: Vec<String>,
    pub version: i64,
}

/// What planning a session needs of a case (see `Store::case_people`).
#[derive(Debug, Clone)]
pub struct CasePeople {
    pub summary: CaseSummary,
    pub children: Vec<Child>,
    pub parties: Vec<Party>,
}

/// A whole case file.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub summary: CaseSummary,
    pub referrer_name: Option<String>,
    pub referrer_organisation: Option<String>,
    pub outcome: Option<ClosureOutcome>,
    pub missing: Option<String>,
    pub child_lives_with: Option<String>,
    pub risk_background: Option<String>,
    pub consent_to_share: bool,
    /// Court orders as the family described them (before the centre has seen them), in words.
    pub orders_described: Option<String>,
    /// The service the family asked for, if they said.
    pub service_asked: Option<Service>,
    pub children: Vec<Child>,
    pub parties: Vec<Party>,
    pub contacts: Vec<ContactDetail>,
    pub orders: Vec<CourtOrder>,
    pub history: Vec<StatusChange>,
    pub assessments: Vec<RiskAssessment>,
}

#[derive(Debug, Clone)]
pub struct Child {
    pub id: ChildId,
    pub name: String,
    pub date_of_birth: String,
    pub needs: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Party {
    pub id: PartyId,
    pub role: PartyRole,
    pub name: String,
    pub relationship: Option<String>,
    /// `None`: not known.
    pub parental_responsibility: Option<bool>,
    pub may_attend: bool,
    pub language: Option<String>,
    pub interpreter: bool,
    pub accessibility_needs: Option<String>,
    pub availability: Option<String>,
    pub user_id: Option<UserId>,
    /// Moves on with each edit of the adult's details (a stale edit is refused).
    pub version: i64,
    /// What the adult said themself (their own part of a self-referral), and when.
    pub own_statement: Option<String>,
    pub part_given_at: Option<Timestamp>,
}

/// A contact detail; its value is `Confidential` even when hidden from nobody, so that every route
/// to its text goes through a disclosure decision.
#[derive(Debug, Clone)]
pub struct ContactDetail {
    pub id: String,
    pub party_id: Option<PartyId>,
    pub child_id: Option<ChildId>,
    pub kind: ContactKind,
    pub value: Confidential<String>,
    pub hidden_from: Vec<PartyId>,
}

#[derive(Debug, Clone)]
pub struct CourtOrder {
    pub kind: String,
    pub made_on: String,
    pub court: Option<String>,
    pub terms: Option<String>,
    pub sessions: Option<i32>,
    pub reports_ordered: bool,
    pub report_recipients: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StatusChange {
    pub from: Option<CaseStatus>,
    pub to: CaseStatus,
    pub reason: String,
    pub actor_user_id: Option<String>,
    /// The name of the person who made the change (their account's name), if a person did.
    pub actor_name: Option<String>,
    pub at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct RiskAssessment {
    pub concerns: Vec<Concern>,
    pub notes: Option<String>,
    pub suggestion: String,
    pub decision: String,
    pub decision_reason: String,
    pub assessed_by: String,
    pub assessed_at: Timestamp,
}

/// A risk assessment to record, already checked.
pub struct NewAssessment<'a> {
    pub concerns: &'a [Concern],
    pub notes: Option<&'a str>,
    pub suggestion: &'a str,
    pub decision: Service,
    pub decision_reason: &'a str,
}

fn bad(what: &str) -> StoreError {
    StoreError::Database(format!("unreadable {what} row"))
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    pub(crate) id: String,
    centre_id: String,
    reference: String,
    source: String,
    status: String,
    service: Option<String>,
    received_at: i64,
    status_since: i64,
    referrer_user_id: Option<String>,
    version: i64,
    referrer_name: Option<String>,
    referrer_organisation: Option<String>,
    outcome: Option<String>,
    missing: Option<String>,
    child_lives_with: Option<String>,
    risk_background: Option<String>,
    consent_to_share: bool,
    orders_described: Option<String>,
    service_asked: Option<String>,
}

impl CaseRow {
    pub(crate) fn summary(&self, children: Vec<String>) -> Result<CaseSummary> {
        Ok(CaseSummary {
            id: CaseId::parse(&self.id).map_err(|_| bad("case"))?,
            centre_id: CentreId::parse(&self.centre_id).map_err(|_| bad("case"))?,
            reference: self.reference.clone(),
            source: ReferralSource::parse(&self.source).ok_or_else(|| bad("case"))?,
            status: CaseStatus::parse(&self.status).ok_or_else(|| bad("case"))?,
            service: self.service.as_deref().and_then(Service::parse),
            received_at: ts(self.received_at),
            status_since: ts(self.status_since),
            referrer_user_id: self.referrer_user_id.as_deref().and_then(|u| UserId::parse(u).ok()),
            children,
            version: self.version,
        })
    }
}

impl Store {
    /// Stores a new referral whole, with status `received`; returns its id.
    pub async fn create_case(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        referrer: Option<UserId>,
        referral: &NewReferral,
    ) -> Result<CaseId> {
        let mut tx = self.begin().await?;
        let id = tx.insert_case(scope, organisation, centre, referrer, referral).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// What planning a session needs of a case: its summary, children and adults, read in one
    /// statement instead of the whole file's eight. Another organisation's case is `NotFound`.
    pub async fn case_people(&self, organisation: OrganisationId, id: CaseId) -> Result<CasePeople> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            case: CaseRow,
            child_id: Option<String>,
            child_name: Option<String>,
            child_born: Option<String>,
            child_needs: Option<String>,
            p_id: Option<String>,
            p_role: Option<String>,
            p_name: Option<String>,
            p_relationship: Option<String>,
            p_parental_responsibility: Option<bool>,
            p_responsibility_known: Option<bool>,
            p_version: Option<i64>,
            p_may_attend: Option<bool>,
            p_language: Option<String>,
            p_interpreter: Option<bool>,
            p_accessibility_needs: Option<String>,
            p_availability: Option<String>,
            p_user_id: Option<String>,
            p_own_statement: Option<String>,
            p_part_given_at: Option<i64>,
        }
        let org = organisation.to_string();
        let case_id = id.to_string();
        // The case with each pairing of a child and an adult (a family has a few of each; a row
        // with NULLs stands for none), each found by its index. Children come in their order, and
        // within the first child's rows the adults in theirs, so the first sight of each keeps it.
        let rows: Vec<Row> = with_pool!(self, |p| {
            sqlx::query_as(
                "SELECT c.id, c.centre_id, c.reference, c.source, c.status, c.service, c.received_at, c.status_since,
                    c.referrer_user_id, c.version, c.referrer_name, c.referrer_organisation, c.outcome, c.missing,
                    c.child_lives_with, c.risk_background, c.consent_to_share, c.orders_described, c.service_asked,
                    k.id AS child_id, k.name AS child_name, k.date_of_birth AS child_born, k.needs AS child_needs,
                    a.id AS p_id, a.role AS p_role, a.name AS p_name, a.relationship AS p_relationship,
                    a.parental_responsibility AS p_parental_responsibility, a.may_attend AS p_may_attend,
                    a.responsibility_known AS p_responsibility_known, a.version AS p_version,
                    a.language AS p_language, a.interpreter AS p_interpreter,
                    a.accessibility_needs AS p_accessibility_needs, a.availability AS p_availability,
                    a.user_id AS p_user_id, a.own_statement AS p_own_statement, a.part_given_at AS p_part_given_at
             FROM cases c
             LEFT JOIN case_children k ON k.organisation_id = c.organisation_id AND k.case_id = c.id
             LEFT JOIN case_parties a ON a.organisation_id = c.organisation_id AND a.case_id = c.id
             WHERE c.organisation_id = $1 AND c.id = $2
             ORDER BY k.date_of_birth, k.name, k.id, a.role DESC, a.name, a.id",
            )
            .bind(&org)
            .bind(&case_id)
            .fetch_all(p)
            .await
        })?;
        let Some(first) = rows.first() else {
            return Err(StoreError::NotFound);
        };
        let mut children: Vec<Child> = Vec::new();
        let mut parties: Vec<Party> = Vec::new();
        for r in &rows {
            if let (Some(cid), Some(name), Some(born)) = (&r.child_id, &r.child_name, &r.child_born) {
                let id = ChildId::parse(cid).map_err(|_| bad("child"))?;
                if !children.iter().any(|c| c.id == id) {
                    children.push(Child {
                        id,
                        name: name.clone(),
                        date_of_birth: born.clone(),
                        needs: r.child_needs.clone(),
                    });
                }
            }
            if let (
                Some(pid),
                Some(role),
                Some(name),
                Some(pr),
                Some(known),
                Some(version),
                Some(may_attend),
                Some(interpreter),
            ) = (
                &r.p_id,
                &r.p_role,
                &r.p_name,
                r.p_parental_responsibility,
                r.p_responsibility_known,
                r.p_version,
                r.p_may_attend,
                r.p_interpreter,
            ) && !parties.iter().any(|p| p.id.to_string() == *pid)
            {
                parties.push(Party::try_from(PartyRow {
                    id: pid.clone(),
                    role: role.clone(),
                    name: name.clone(),
                    relationship: r.p_relationship.clone(),
                    parental_responsibility: pr,
                    responsibility_known: known,
                    version,
                    may_attend,
                    language: r.p_language.clone(),
                    interpreter,
                    accessibility_needs: r.p_accessibility_needs.clone(),
                    availability: r.p_availability.clone(),
                    user_id: r.p_user_id.clone(),
                    own_statement: r.p_own_statement.clone(),
                    part_given_at: r.p_part_given_at,
                })?);
            }
        }
        let names = children.iter().map(|c| c.name.clone()).collect();
        Ok(CasePeople {
            summary: first.case.summary(names)?,
            children,
            parties,
        })
    }

    async fn case_row(&self, org: &str, case_id: &str) -> Result<CaseRow> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, centre_id, reference, source, status, service, received_at, status_since, referrer_user_id, version,
                    referrer_name, referrer_organisation, outcome, missing, child_lives_with, risk_background, consent_to_share,
                    orders_described, service_asked
             FROM cases WHERE organisation_id = $1 AND id = $2"
        )
        .bind(org)
        .bind(case_id)
        .fetch_one(p)
        .await
        })?)
    }

    async fn case_children(&self, org: &str, case_id: &str) -> Result<Vec<Child>> {
        let children: Vec<(String, String, String, Option<String>)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, name, date_of_birth, needs FROM case_children WHERE organisation_id = $1 AND case_id = $2 ORDER BY date_of_birth, name"
        )
        .bind(org)
        .bind(case_id)
        .fetch_all(p)
        .await
        })?;
        children
            .into_iter()
            .map(|(cid, name, date_of_birth, needs)| {
                Ok(Child {
                    id: ChildId::parse(&cid).map_err(|_| bad("child"))?,
                    name,
                    date_of_birth,
                    needs,
                })
            })
            .collect()
    }

    async fn case_parties(&self, org: &str, case_id: &str) -> Result<Vec<Party>> {
        let parties: Vec<PartyRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, role, name, relationship, parental_responsibility, responsibility_known, version, may_attend, language, interpreter,
                    accessibility_needs, availability, user_id, own_statement, part_given_at
             FROM case_parties WHERE organisation_id = $1 AND case_id = $2 ORDER BY role DESC, name"
        )
        .bind(org)
        .bind(case_id)
        .fetch_all(p)
        .await
        })?;
        parties.into_iter().map(Party::try_from).collect()
    }

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

    /// The whole case file; another organisation's case is `NotFound`.
    pub async fn case(&self, organisation: OrganisationId, id: CaseId) -> Result<CaseFile> {
        let org = organisation.to_string();
        let case_id = id.to_string();
        let row = self.case_row(&org, &case_id).await?;
        let children = self.case_children(&org, &case_id).await?;
        let parties = self.case_parties(&org, &case_id).await?;
        let contacts: Vec<ContactRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, party_id, child_id, kind, value FROM contact_details WHERE organisation_id = $1 AND case_id = $2 ORDER BY id"
        )
        .bind(&org)
        .bind(&case_id)
        .fetch_all(p)
        .await
        })?;
        let hidden: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT h.contact_id, h.party_id FROM contact_hidden_from h
             JOIN contact_details d ON d.organisation_id = h.organisation_id AND d.id = h.contact_id
             WHERE h.organisation_id = $1 AND d.case_id = $2"
        )
        .bind(&org)
        .bind(&case_id)
        .fetch_all(p)
        .await)?;
        let contacts = contacts
            .into_iter()
            .map(
                |ContactRow {
                     id: cid,
                     party_id: party,
                     child_id: child,
                     kind,
                     value,
                 }| {
                    Ok(ContactDetail {
                        hidden_from: hidden
                            .iter()
                            .filter(|(c, _)| *c == cid)
                            .filter_map(|(_, p)| PartyId::parse(p).ok())
                            .collect(),
                        id: cid,
                        party_id: party.as_deref().and_then(|p| PartyId::parse(p).ok()),
                        child_id: child.as_deref().and_then(|c| ChildId::parse(c).ok()),
                        kind: ContactKind::parse(&kind).ok_or_else(|| bad("contact"))?,
                        value: Confidential::new(value),
                    })
                },
            )
            .collect::<Result<_>>()?;
        let orders: Vec<OrderRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT kind, made_on, court, terms, sessions, reports_ordered, report_recipients FROM court_orders
             WHERE organisation_id = $1 AND case_id = $2 ORDER BY made_on"
        )
        .bind(&org)
        .bind(&case_id)
        .fetch_all(p)
        .await)?;
        let orders = orders
            .into_iter()
            .map(
                |OrderRow {
                     kind,
                     made_on,
                     court,
                     terms,
                     sessions,
                     reports_ordered,
                     report_recipients,
                 }| CourtOrder {
                    kind,
                    made_on,
                    court,
                    terms,
                    sessions,
                    reports_ordered,
                    report_recipients,
                },
            )
            .collect();
        let history: Vec<TransitionRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT t.from_status, t.to_status, t.reason, t.actor_user_id, u.name AS actor_name, t.at FROM case_transitions t
             LEFT JOIN users u ON u.organisation_id = t.organisation_id AND u.id = t.actor_user_id
             WHERE t.organisation_id = $1 AND t.case_id = $2 ORDER BY t.at, t.id"
        )
        .bind(&org)
        .bind(&case_id)
        .fetch_all(p)
        .await
        })?;
        let history = history
            .into_iter()
            .map(
                |TransitionRow {
                     from_status: from,
                     to_status: to,
                     reason,
                     actor_user_id,
                     actor_name,
                     at,
                 }| {
                    Ok(StatusChange {
                        from: from.as_deref().and_then(CaseStatus::parse),
                        to: CaseStatus::parse(&to).ok_or_else(|| bad("transition"))?,
                        reason,
                        actor_user_id,
                        actor_name,
                        at: ts(at),
                    })
                },
            )
            .collect::<Result<_>>()?;
        let assessments: Vec<AssessmentRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT concerns, notes, suggestion, decision, decision_reason, assessed_by, assessed_at FROM risk_assessments
             WHERE organisation_id = $1 AND case_id = $2 ORDER BY assessed_at DESC, id DESC"
        )
        .bind(&org)
        .bind(&case_id)
        .fetch_all(p)
        .await
        })?;
        let assessments = assessments
            .into_iter()
            .map(
                |AssessmentRow {
                     concerns,
                     notes,
                     suggestion,
                     decision,
                     decision_reason,
                     assessed_by,
                     assessed_at: at,
                 }| RiskAssessment {
                    concerns: concerns.split(',').filter_map(Concern::parse).collect(),
                    notes,
                    suggestion,
                    decision,
                    decision_reason,
                    assessed_by,
                    assessed_at: ts(at),
                },
            )
            .collect();
        let names = children.iter().map(|c| c.name.clone()).collect();
        Ok(CaseFile {
            summary: row.summary(names)?,
            referrer_name: row.referrer_name,
            referrer_organisation: row.referrer_organisation,
            outcome: row.outcome.as_deref().and_then(ClosureOutcome::parse),
            missing: row.missing,
            child_lives_with: row.child_lives_with,
            risk_background: row.risk_background,
            consent_to_share: row.consent_to_share,
            orders_described: row.orders_described,
            service_asked: row.service_asked.as_deref().and_then(Service::parse),
            children,
            parties,
            contacts,
            orders,
            history,
            assessments,
        })
    }

    /// Moves a case to a new status if the move is allowed and nobody changed the case since
    /// `version`; records the change (who, why) and audits it, all in one transaction.
    pub async fn transition_case(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: CaseId,
        version: i64,
        t: &Transition,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.transition_case(scope, organisation, id, version, t).await?;
        tx.commit().await
    }

    /// Records a risk assessment (they are kept, never changed).
    pub async fn add_risk_assessment(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: CaseId,
        a: &NewAssessment<'_>,
    ) -> Result<()> {
        let assessor = scope
            .actor_user_id
            .ok_or_else(|| StoreError::Conflict("an assessment needs an assessor".into()))?;
        let mut tx = self.begin().await?;
        let concerns: Vec<&str> = a.concerns.iter().map(|c| c.as_str()).collect();
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO risk_assessments (organisation_id, id, case_id, concerns, notes, suggestion, decision, decision_reason, assessed_by, assessed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(id.to_string())
        .bind(concerns.join(","))
        .bind(a.notes)
        .bind(a.suggestion)
        .bind(a.decision.as_str())
        .bind(a.decision_reason)
        .bind(assessor.to_string())
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            _ => StoreError::from(e),
        })?;
        tx.audit(scope, AuditEvent::ok("case.risk_assessment", "case", id))
            .await?;
        tx.commit().await
    }
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: String,
    party_id: Option<String>,
    child_id: Option<String>,
    kind: String,
    value: String,
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    kind: String,
    made_on: String,
    court: Option<String>,
    terms: Option<String>,
    sessions: Option<i32>,
    reports_ordered: bool,
    report_recipients: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TransitionRow {
    from_status: Option<String>,
    to_status: String,
    reason: String,
    actor_user_id: Option<String>,
    actor_name: Option<String>,
    at: i64,
}

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    concerns: String,
    notes: Option<String>,
    suggestion: String,
    decision: String,
    decision_reason: String,
    assessed_by: String,
    assessed_at: i64,
}

#[derive(sqlx::FromRow)]
struct PartyRow {
    id: String,
    role: String,
    name: String,
    relationship: Option<String>,
    parental_responsibility: bool,
    responsibility_known: bool,
    version: i64,
    may_attend: bool,
    language: Option<String>,
    interpreter: bool,
    accessibility_needs: Option<String>,
    availability: Option<String>,
    user_id: Option<String>,
    own_statement: Option<String>,
    part_given_at: Option<i64>,
}

impl TryFrom<PartyRow> for Party {
    type Error = StoreError;
    fn try_from(r: PartyRow) -> Result<Self> {
        Ok(Party {
            id: PartyId::parse(&r.id).map_err(|_| bad("party"))?,
            role: PartyRole::parse(&r.role).ok_or_else(|| bad("party"))?,
            name: r.name,
            relationship: r.relationship,
            parental_responsibility: r.responsibility_known.then_some(r.parental_responsibility),
            version: r.version,
            may_attend: r.may_attend,
            language: r.language,
            interpreter: r.interpreter,
            accessibility_needs: r.accessibility_needs,
            availability: r.availability,
            user_id: r.user_id.as_deref().and_then(|u| UserId::parse(u).ok()),
            own_statement: r.own_statement,
            part_given_at: r.part_given_at.map(ts),
        })
    }
}

impl Tx {
    async fn next_reference(&mut self, organisation: OrganisationId, at: Timestamp) -> Result<String> {
        let n: i64 = with_tx!(self, |c| sqlx::query_scalar(
            "INSERT INTO case_counters (organisation_id, last_number) VALUES ($1, 1)
             ON CONFLICT (organisation_id) DO UPDATE SET last_number = case_counters.last_number + 1
             RETURNING last_number"
        )
        .bind(organisation.to_string())
        .fetch_one(c)
        .await)?;
        Ok(format!("{}-{n:04}", at.to_zoned(jiff::tz::TimeZone::UTC).year()))
    }

    pub async fn insert_case(
        &mut self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        referrer: Option<UserId>,
        r: &NewReferral,
    ) -> Result<CaseId> {
        let id = CaseId::new_v7(scope.at);
        let org = organisation.to_string();
        let reference = self.next_reference(organisation, scope.at).await?;
        exec_tx!(self, |c| sqlx::query(
            "INSERT INTO cases (organisation_id, id, centre_id, reference, source, referrer_user_id, referrer_name, referrer_organisation,
                                status, child_lives_with, risk_background, consent_to_share, received_at, status_since, created_at, updated_at,
                                orders_described, service_asked)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'received', $9, $10, $11, $12, $12, $12, $12, $13, $14)"
        )
        .bind(&org)
        .bind(id.to_string())
        .bind(centre.to_string())
        .bind(&reference)
        .bind(r.source.as_str())
        .bind(referrer.map(|u| u.to_string()))
        .bind(&r.referrer_name)
        .bind(&r.referrer_organisation)
        .bind(&r.child_lives_with)
        .bind(&r.risk_background)
        .bind(r.consent_to_share)
        .bind(ms(scope.at))
        .bind(&r.orders_described)
        .bind(r.service_asked.map(|s| s.as_str()))
        .execute(c)
        .await)
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::Conflict("That centre does not exist".into()),
            _ => StoreError::from(e),
        })?;
        let mut party_ids = Vec::new();
        for adult in &r.adults {
            let pid = PartyId::new_v7(scope.at);
            exec_tx!(self, |c| {
                sqlx::query(
                "INSERT INTO case_parties (organisation_id, id, case_id, role, name, relationship, parental_responsibility, may_attend,
                                           language, interpreter, accessibility_needs, availability, responsibility_known)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
            )
            .bind(&org)
            .bind(pid.to_string())
            .bind(id.to_string())
            .bind(adult.role.as_str())
            .bind(&adult.name)
            .bind(&adult.relationship)
            .bind(adult.parental_responsibility.unwrap_or(false))
            .bind(adult.may_attend)
            .bind(&adult.language)
            .bind(adult.interpreter)
            .bind(&adult.accessibility_needs)
            .bind(&adult.availability)
            .bind(adult.parental_responsibility.is_some())
            .execute(c)
            .await
            })?;
            party_ids.push(pid);
        }
        for (adult, pid) in r.adults.iter().zip(&party_ids) {
            for contact in &adult.contacts {
                self.insert_contact(&org, id, Some(*pid), None, contact, &party_ids)
                    .await?;
            }
        }
        for child in &r.children {
            let cid = ChildId::new_v7(scope.at);
            exec_tx!(self, |c| {
                sqlx::query(
                "INSERT INTO case_children (organisation_id, id, case_id, name, date_of_birth, needs) VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(&org)
            .bind(cid.to_string())
            .bind(id.to_string())
            .bind(&child.name)
            .bind(child.date_of_birth.to_string())
            .bind(&child.needs)
            .execute(c)
            .await
            })?;
            for contact in &child.contacts {
                self.insert_contact(&org, id, None, Some(cid), contact, &party_ids)
                    .await?;
            }
        }
        for order in &r.court_orders {
            exec_tx!(self, |c| {
                sqlx::query(
                "INSERT INTO court_orders (organisation_id, id, case_id, kind, made_on, court, terms, sessions, reports_ordered, report_recipients)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            )
            .bind(&org)
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(id.to_string())
            .bind(order.kind)
            .bind(order.made_on.to_string())
            .bind(&order.court)
            .bind(&order.terms)
            .bind(order.sessions)
            .bind(order.reports_ordered)
            .bind(&order.report_recipients)
            .execute(c)
            .await
            })?;
        }
        let received = Transition {
            to: CaseStatus::Received,
            reason: "Referral received".into(),
            service: None,
            outcome: None,
            missing: None,
        };
        self.insert_transition(scope, organisation, id, None, &received).await?;
        self.audit(scope, AuditEvent::ok("case.create", "case", id)).await?;
        Ok(id)
    }

    async fn insert_contact(
        &mut self,
        org: &str,
        case: CaseId,
        party: Option<PartyId>,
        child: Option<ChildId>,
        contact: &NewContact,
        party_ids: &[PartyId],
    ) -> Result<()> {
        let contact_id = uuid::Uuid::now_v7().to_string();
        exec_tx!(self, |c| {
            sqlx::query(
            "INSERT INTO contact_details (organisation_id, id, case_id, party_id, child_id, kind, value) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(org)
        .bind(&contact_id)
        .bind(case.to_string())
        .bind(party.map(|p| p.to_string()))
        .bind(child.map(|c| c.to_string()))
        .bind(contact.kind.as_str())
        .bind(contact.value.for_storage())
        .execute(c)
        .await
        })?;
        for index in &contact.hidden_from {
            let Some(hidden) = party_ids.get(*index) else {
                return Err(StoreError::Conflict("hidden from an unknown adult".into()));
            };
            exec_tx!(self, |c| {
                sqlx::query(
                "INSERT INTO contact_hidden_from (organisation_id, contact_id, party_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
            )
            .bind(org)
            .bind(&contact_id)
            .bind(hidden.to_string())
            .execute(c)
            .await
            })?;
        }
        Ok(())
    }

    async fn insert_transition(
        &mut self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        from: Option<CaseStatus>,
        t: &Transition,
    ) -> Result<()> {
        exec_tx!(self, |c| {
            sqlx::query(
            "INSERT INTO case_transitions (organisation_id, id, case_id, from_status, to_status, reason, service, outcome, missing, actor_user_id, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(case.to_string())
        .bind(from.map(|f| f.as_str()))
        .bind(t.to.as_str())
        .bind(&t.reason)
        .bind(t.service.map(|s| s.as_str()))
        .bind(t.outcome.map(|o| o.as_str()))
        .bind(&t.missing)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        Ok(())
    }
}

/// A one-time link for an adult to give their own part of a self-referral.
#[derive(Debug, Clone)]
pub struct Invite {
    pub organisation_id: OrganisationId,
    pub case_id: CaseId,
    pub party_id: PartyId,
    pub party_name: String,
    pub reference: String,
}

#[derive(sqlx::FromRow)]
struct InviteRow {
    organisation_id: String,
    case_id: String,
    party_id: String,
    name: String,
    reference: String,
}

impl Store {
    /// Makes a one-time link (stored as its hash) for one adult of the case; earlier unused links
    /// for the same adult stop working.
    pub async fn create_party_invite(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        party: PartyId,
        token_hash: &str,
        expires_at: Timestamp,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "UPDATE party_invites SET used_at = $1 WHERE organisation_id = $2 AND party_id = $3 AND used_at IS NULL"
        )
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(party.to_string())
        .execute(c)
        .await)?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO party_invites (token_hash, organisation_id, case_id, party_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(token_hash)
        .bind(organisation.to_string())
        .bind(case.to_string())
        .bind(party.to_string())
        .bind(ms(scope.at))
        .bind(ms(expires_at))
        .execute(c)
        .await)
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            _ => StoreError::from(e),
        })?;
        tx.audit(scope, AuditEvent::ok("invite.create", "case", case)).await?;
        tx.commit().await
    }

    /// The invite a link stands for, if it is unused and not expired.
    pub async fn party_invite(&self, token_hash: &str, now: Timestamp) -> Result<Option<Invite>> {
        let row: Option<InviteRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT i.organisation_id, i.case_id, i.party_id, p.name, c.reference FROM party_invites i
             JOIN case_parties p ON p.organisation_id = i.organisation_id AND p.id = i.party_id
             JOIN cases c ON c.organisation_id = i.organisation_id AND c.id = i.case_id
             WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2"
        )
        .bind(token_hash)
        .bind(ms(now))
        .fetch_optional(p)
        .await)?;
        row.map(|r| {
            Ok(Invite {
                organisation_id: OrganisationId::parse(&r.organisation_id).map_err(|_| bad("invite"))?,
                case_id: CaseId::parse(&r.case_id).map_err(|_| bad("invite"))?,
                party_id: PartyId::parse(&r.party_id).map_err(|_| bad("invite"))?,
                party_name: r.name,
                reference: r.reference,
            })
        })
        .transpose()
    }

    /// Stores an adult's own part and uses up their link, in one transaction (a link works once,
    /// even when sent twice at once). Their contact details are hidden from `hide_from` as asked.
    pub async fn give_own_part(
        &self,
        scope: &AuditScope,
        token_hash: &str,
        part: &familytime_domain::intake::OwnPart,
        hide_from: &[PartyId],
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let invite: Option<(String, String, String)> = with_tx!(tx, |c| sqlx::query_as(
            "UPDATE party_invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING organisation_id, case_id, party_id"
        )
        .bind(ms(scope.at))
        .bind(token_hash)
        .fetch_optional(c)
        .await)?;
        let Some((org, case, party)) = invite else {
            return Ok(false);
        };
        exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE case_parties SET language = COALESCE($1, language), accessibility_needs = COALESCE($2, accessibility_needs),
                    availability = COALESCE($3, availability), own_statement = $4, part_given_at = $5
             WHERE organisation_id = $6 AND id = $7"
        )
        .bind(&part.language)
        .bind(&part.accessibility_needs)
        .bind(&part.availability)
        .bind(&part.safety)
        .bind(ms(scope.at))
        .bind(&org)
        .bind(&party)
        .execute(c)
        .await
        })?;
        let case_id = CaseId::parse(&case).map_err(|_| bad("invite"))?;
        let party_id = PartyId::parse(&party).map_err(|_| bad("invite"))?;
        for contact in &part.contacts {
            tx.insert_contact(&org, case_id, Some(party_id), None, contact, hide_from)
                .await?;
        }
        let scope = AuditScope {
            organisation_id: OrganisationId::parse(&org).ok(),
            ..scope.clone()
        };
        tx.audit(&scope, AuditEvent::ok("case.own_part", "case", case_id))
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}

impl Store {
    /// Links (or, with `None`, unlinks) a parent's account to their place on a case, so what is
    /// released to them reaches their portal. Only a parent account of the organisation, and never
    /// one already linked to another adult on the same case.
    pub async fn link_party_account(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        party: PartyId,
        user: Option<UserId>,
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        if let Some(user) = user {
            let role: Option<String> = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT role FROM users WHERE organisation_id = $1 AND id = $2"
            )
            .bind(organisation.to_string())
            .bind(user.to_string())
            .fetch_optional(c)
            .await)?;
            if role.as_deref() != Some("parent") {
                return Err(StoreError::Conflict("Choose a parent's account".into()));
            }
            let elsewhere: Option<String> = with_tx!(tx, |c| {
                sqlx::query_scalar(
                "SELECT id FROM case_parties WHERE organisation_id = $1 AND case_id = $2 AND user_id = $3 AND id <> $4"
            )
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(user.to_string())
            .bind(party.to_string())
            .fetch_optional(c)
            .await
            })?;
            if elsewhere.is_some() {
                return Err(StoreError::Conflict(
                    "That account is already linked to another adult on this case".into(),
                ));
            }
        }
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE case_parties SET user_id = $1 WHERE organisation_id = $2 AND case_id = $3 AND id = $4"
        )
        .bind(user.map(|u| u.to_string()))
        .bind(organisation.to_string())
        .bind(case.to_string())
        .bind(party.to_string())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.advance_list_version(
            organisation,
            crate::versions::ListKind::PartyAccount,
            &party.to_string(),
            version,
        )
        .await?;
        tx.audit(scope, AuditEvent::ok("case.party_account", "case", case))
            .await?;
        tx.commit().await
    }
}

impl Tx {
    /// Moves a case through its status machine inside this transaction (the case row locked, the
    /// version checked, the move recorded and audited), so it can be one step of a larger change.
    pub async fn transition_case(
        &mut self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: CaseId,
        version: i64,
        t: &Transition,
    ) -> Result<()> {
        let current: Option<(String, i64)> = with_tx!(self, |c| sqlx::query_as(
            "UPDATE cases SET version = version WHERE organisation_id = $1 AND id = $2 RETURNING status, version"
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .fetch_optional(c)
        .await)?;
        let Some((status, current_version)) = current else {
            return Err(StoreError::NotFound);
        };
        if current_version != version {
            return Err(StoreError::Stale);
        }
        let from = CaseStatus::parse(&status).ok_or_else(|| bad("case"))?;
        check_transition(from, t).map_err(|e| StoreError::Conflict(e.to_string()))?;
        exec_tx!(self, |c| {
            sqlx::query(
            "UPDATE cases SET status = $1, service = COALESCE($2, service), outcome = $3, missing = $4, status_since = $5,
                    updated_at = $5, version = version + 1
             WHERE organisation_id = $6 AND id = $7"
        )
        .bind(t.to.as_str())
        .bind(t.service.map(|s| s.as_str()))
        .bind(t.outcome.map(|o| o.as_str()))
        .bind(t.missing.as_deref().filter(|_| t.to == CaseStatus::Incomplete))
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id.to_string())
        .execute(c)
        .await
        })?;
        self.insert_transition(scope, organisation, id, Some(from), t).await?;
        self.audit(scope, AuditEvent::ok("case.transition", "case", id)).await
    }
}

/// An adult's details as edited from the case page, already checked.
pub struct PartyUpdate<'a> {
    pub name: &'a str,
    pub relationship: Option<&'a str>,
    /// `None`: not known.
    pub parental_responsibility: Option<bool>,
    pub language: Option<&'a str>,
    pub interpreter: bool,
    pub accessibility_needs: Option<&'a str>,
    pub availability: Option<&'a str>,
    /// The adult's address, phone and e-mail, replacing the ones they had; `None` leaves them as
    /// they are (the editor could not see them all). `hidden_from` positions index `hidden_from`.
    pub contacts: Option<&'a [NewContact]>,
    pub hidden_from: &'a [PartyId],
}

impl Store {
    /// Changes an adult's details if nobody changed them since `version` (else `Stale`), replacing
    /// their address, phone and e-mail when given, in one transaction, audited.
    pub async fn update_party(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        party: PartyId,
        version: i64,
        u: &PartyUpdate<'_>,
    ) -> Result<()> {
        let org = organisation.to_string();
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE case_parties SET name = $1, relationship = $2, parental_responsibility = $3, responsibility_known = $4,
                    language = $5, interpreter = $6, accessibility_needs = $7, availability = $8, version = version + 1
             WHERE organisation_id = $9 AND case_id = $10 AND id = $11 AND version = $12"
        )
        .bind(u.name)
        .bind(u.relationship)
        .bind(u.parental_responsibility.unwrap_or(false))
        .bind(u.parental_responsibility.is_some())
        .bind(u.language)
        .bind(u.interpreter)
        .bind(u.accessibility_needs)
        .bind(u.availability)
        .bind(&org)
        .bind(case.to_string())
        .bind(party.to_string())
        .bind(version)
        .execute(c)
        .await
        })?;
        if changed == 0 {
            let exists: Option<i64> = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT version FROM case_parties WHERE organisation_id = $1 AND case_id = $2 AND id = $3"
            )
            .bind(&org)
            .bind(case.to_string())
            .bind(party.to_string())
            .fetch_optional(c)
            .await)?;
            return Err(if exists.is_some() {
                StoreError::Stale
            } else {
                StoreError::NotFound
            });
        }
        if let Some(contacts) = u.contacts {
            exec_tx!(tx, |c| {
                sqlx::query(
                "DELETE FROM contact_hidden_from WHERE organisation_id = $1 AND contact_id IN
                   (SELECT id FROM contact_details WHERE organisation_id = $1 AND party_id = $2 AND kind IN ('address', 'phone', 'email'))"
            )
            .bind(&org)
            .bind(party.to_string())
            .execute(c)
            .await
            })?;
            exec_tx!(tx, |c| {
                sqlx::query(
                "DELETE FROM contact_details WHERE organisation_id = $1 AND party_id = $2 AND kind IN ('address', 'phone', 'email')"
            )
            .bind(&org)
            .bind(party.to_string())
            .execute(c)
            .await
            })?;
            for contact in contacts {
                tx.insert_contact(&org, case, Some(party), None, contact, u.hidden_from)
                    .await?;
            }
        }
        tx.audit(scope, AuditEvent::ok("case.party_update", "case", case))
            .await?;
        tx.commit().await
    }
}
