//! Links that let a person set their own password (decision 0051): an invitation to a new account,
//! or a "forgot password" link. Only the secret's hash is kept; a link is used once, which the
//! statement that uses it enforces (it sets `used_at` only where it is unset and unexpired, and a
//! trigger refuses to change it again), and a new link of the same purpose ends the earlier ones.

use crate::mail::NewMessage;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ids::{OrganisationId, UserId};

/// What a link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    Invitation,
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::Reset => "reset",
        }
    }

    fn parse(text: &str) -> Option<LinkPurpose> {
        match text {
            "invitation" => Some(LinkPurpose::Invitation),
            "reset" => Some(LinkPurpose::Reset),
            _ => None,
        }
    }
}

/// A usable link: whose it is and what for.
#[derive(Clone, Debug)]
pub struct AccountLink {
    pub organisation_id: OrganisationId,
    pub user_id: UserId,
    pub purpose: LinkPurpose,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    organisation_id: String,
    user_id: String,
    purpose: String,
}

impl TryFrom<LinkRow> for AccountLink {
    type Error = StoreError;
    fn try_from(r: LinkRow) -> Result<AccountLink> {
        let bad = || StoreError::Database("an account link row does not parse".into());
        Ok(AccountLink {
            organisation_id: OrganisationId::parse(&r.organisation_id).map_err(|_| bad())?,
            user_id: UserId::parse(&r.user_id).map_err(|_| bad())?,
            purpose: LinkPurpose::parse(&r.purpose).ok_or_else(bad)?,
        })
    }
}

/// A new link and the message that carries it, written together.
pub struct NewLink<'a> {
    pub organisation_id: OrganisationId,
    pub user_id: UserId,
    pub purpose: LinkPurpose,
    pub token_hash: &'a str,
    pub expires_at: Timestamp,
    pub message: &'a NewMessage,
}

impl Tx {
    /// Writes a link (ending the person's earlier unused links of the same purpose) and its message
    /// to the outbox, in this transaction, audited as `account_link.issue` on the person.
    pub async fn issue_account_link(&mut self, scope: &AuditScope, link: &NewLink<'_>) -> Result<()> {
        let org = link.organisation_id.to_string();
        let user = link.user_id.to_string();
        exec_tx!(self, |c| sqlx::query(
            "UPDATE account_links SET used_at = $1
             WHERE organisation_id = $2 AND user_id = $3 AND purpose = $4 AND used_at IS NULL"
        )
        .bind(ms(scope.at))
        .bind(&org)
        .bind(&user)
        .bind(link.purpose.as_str())
        .execute(c)
        .await)?;
        exec_tx!(self, |c| sqlx::query(
            "INSERT INTO account_links (token_hash, organisation_id, user_id, purpose, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(link.token_hash)
        .bind(&org)
        .bind(&user)
        .bind(link.purpose.as_str())
        .bind(ms(scope.at))
        .bind(ms(link.expires_at))
        .execute(c)
        .await)?;
        self.enqueue(link.organisation_id, std::slice::from_ref(link.message), scope.at)
            .await?;
        let action = match link.purpose {
            LinkPurpose::Invitation => "account_link.invite",
            LinkPurpose::Reset => "account_link.reset",
        };
        self.audit(scope, AuditEvent::ok(action, "user", link.user_id)).await
    }
}

impl Store {
    /// Writes a link and its message in a transaction of their own.
    pub async fn issue_account_link(&self, scope: &AuditScope, link: &NewLink<'_>) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.issue_account_link(scope, link).await?;
        tx.commit().await
    }

    /// The link with this hash, if it can still be used at `now` (unused, unexpired, its account
    /// not disabled).
    pub async fn usable_account_link(&self, token_hash: &str, now: Timestamp) -> Result<Option<AccountLink>> {
        let row: Option<LinkRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT l.organisation_id, l.user_id, l.purpose FROM account_links l
             JOIN users u ON u.organisation_id = l.organisation_id AND u.id = l.user_id
             WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2 AND u.disabled_at IS NULL"
        )
        .bind(token_hash)
        .bind(ms(now))
        .fetch_optional(p)
        .await)?;
        row.map(AccountLink::try_from).transpose()
    }

    /// Uses a link: sets the person's password hash, ends all their sessions and revokes their API
    /// tokens, audited. `None` when the link cannot be used (used already, by a racing request too,
    /// expired, unknown, or its account disabled): nothing changes.
    pub async fn use_account_link(
        &self,
        scope: &AuditScope,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<Option<AccountLink>> {
        let now = ms(scope.at);
        let mut tx = self.begin().await?;
        let row: Option<LinkRow> = with_tx!(tx, |c| sqlx::query_as(
            "UPDATE account_links SET used_at = $1
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
               AND EXISTS (SELECT 1 FROM users u WHERE u.organisation_id = account_links.organisation_id
                           AND u.id = account_links.user_id AND u.disabled_at IS NULL)
             RETURNING organisation_id, user_id, purpose"
        )
        .bind(now)
        .bind(token_hash)
        .fetch_optional(c)
        .await)?;
        let Some(link) = row.map(AccountLink::try_from).transpose()? else {
            return Ok(None);
        };
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE users SET password_hash = $1, updated_at = $2 WHERE organisation_id = $3 AND id = $4"
        )
        .bind(password_hash)
        .bind(now)
        .bind(link.organisation_id.to_string())
        .bind(link.user_id.to_string())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.end_sessions_of(scope.at, link.organisation_id, link.user_id, None)
            .await?;
        tx.revoke_api_tokens_of(scope.at, link.organisation_id, link.user_id)
            .await?;
        let scope = AuditScope {
            organisation_id: Some(link.organisation_id),
            actor_user_id: Some(link.user_id),
            ..scope.clone()
        };
        let action = match link.purpose {
            LinkPurpose::Invitation => "account_link.accept_invitation",
            LinkPurpose::Reset => "account_link.reset_password",
        };
        tx.audit(&scope, AuditEvent::ok(action, "user", link.user_id)).await?;
        tx.commit().await?;
        Ok(Some(link))
    }
}
