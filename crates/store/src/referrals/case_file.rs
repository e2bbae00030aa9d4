//! Reading a case: the whole case file (its children, adults, contact details, court orders,
//! history and risk assessments), or only the people planning a session needs.

use super::{CaseRow, CaseSummary, Child, Party, bad};
use crate::{Result, Store, StoreError, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::confidential::Confidential;
use familytime_domain::ids::{CaseId, ChildId, OrganisationId, PartyId, UserId};
use familytime_domain::intake::{ContactKind, PartyRole};
use familytime_domain::referrals::{CaseStatus, ClosureOutcome, Service};
use familytime_domain::triage::Concern;

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

impl Store {
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
