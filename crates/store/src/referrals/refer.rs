//! Referring a family: a new referral stored whole, with status `received` (children, adults,
//! contact details with the adults each is hidden from, court orders), in one transaction.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ids::{CaseId, CentreId, ChildId, OrganisationId, PartyId, UserId};
use familytime_domain::intake::{NewContact, NewReferral};
use familytime_domain::referrals::{CaseStatus, Transition};

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

    pub(super) async fn insert_contact(
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
}
