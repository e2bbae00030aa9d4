//! A case's adults: their details edited from the case page, and a parent's account linked to their
//! place on the case.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, with_tx};
use familytime_domain::ids::{CaseId, OrganisationId, PartyId, UserId};
use familytime_domain::intake::NewContact;

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
