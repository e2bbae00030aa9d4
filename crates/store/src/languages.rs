//! The language each person reads (issue 22, decision 0039): an account's own choice, the choice
//! recorded for an adult of a case, and the organisation's policy (its default language, and
//! whether its letters are bilingual). Which language a page, a message or a letter is written in
//! follows from these by `familytime_domain::language::LanguagePolicy`.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, with_pool};
use familytime_domain::ids::{OrganisationId, UserId};
use familytime_domain::language::{Lang, LanguagePolicy};

/// A language column as stored: NULL is no choice; anything else must be a code we write in.
pub(crate) fn stored_language(code: Option<&str>) -> std::result::Result<Option<Lang>, StoreError> {
    code.map(|c| Lang::parse(c).ok_or_else(|| StoreError::Database("unreadable language".into())))
        .transpose()
}

#[derive(sqlx::FromRow)]
struct PolicyRow {
    default_language: String,
    bilingual_letters: bool,
}

impl Store {
    /// How an organisation writes to the people it serves.
    pub async fn language_policy(&self, organisation: OrganisationId) -> Result<LanguagePolicy> {
        let row: Option<PolicyRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT default_language, bilingual_letters FROM organisations WHERE id = $1"
        )
        .bind(organisation.to_string())
        .fetch_optional(p)
        .await)?;
        let row = row.ok_or(StoreError::NotFound)?;
        Ok(LanguagePolicy {
            default: stored_language(Some(&row.default_language))?.unwrap_or_default(),
            bilingual_letters: row.bilingual_letters,
        })
    }

    /// Sets an organisation's language policy.
    pub async fn set_language_policy(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        policy: LanguagePolicy,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE organisations SET default_language = $1, bilingual_letters = $2 WHERE id = $3"
        )
        .bind(policy.default.code())
        .bind(policy.bilingual_letters)
        .bind(organisation.to_string())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(
            scope,
            AuditEvent::ok("organisation.languages", "organisation", organisation),
        )
        .await?;
        tx.commit().await
    }

    /// Records the language an account reads familytime in (`None`: the organisation's default).
    /// A preference, not a record others edit, so it does not take part in the account's version.
    pub async fn set_user_language(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: UserId,
        language: Option<Lang>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE users SET preferred_language = $1 WHERE organisation_id = $2 AND id = $3"
        )
        .bind(language.map(Lang::code))
        .bind(organisation.to_string())
        .bind(user.to_string())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(scope, AuditEvent::ok("user.language", "user", user)).await?;
        tx.commit().await
    }

    /// The language recorded for an adult of a case (`None`: the organisation's default).
    pub async fn party_language(&self, organisation: OrganisationId, party: &str) -> Result<Option<Lang>> {
        let row: Option<(Option<String>,)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT preferred_language FROM case_parties WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(party)
        .fetch_optional(p)
        .await)?;
        let (code,) = row.ok_or(StoreError::NotFound)?;
        stored_language(code.as_deref())
    }

    /// Records the language an adult of a case reads letters and messages in.
    pub async fn set_party_language(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        party: &str,
        language: Option<Lang>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE case_parties SET preferred_language = $1 WHERE organisation_id = $2 AND id = $3"
        )
        .bind(language.map(Lang::code))
        .bind(organisation.to_string())
        .bind(party)
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(scope, AuditEvent::ok("party.language", "party", party))
            .await?;
        tx.commit().await
    }
}
