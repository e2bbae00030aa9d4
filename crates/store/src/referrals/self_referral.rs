//! The self-referral's second half: one-time links for an adult to give their own part, and that
//! part stored (a link works once).

use super::bad;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ids::{CaseId, OrganisationId, PartyId};

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
