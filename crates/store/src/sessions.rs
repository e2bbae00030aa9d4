//! Signing in: browser sessions, personal API tokens, failed-attempt counts and the one-time setup
//! link. Secrets are never stored, only their SHA-256 hashes (the web layer makes and hashes them).

use crate::people::User;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_pool, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ids::{ApiTokenId, CentreId, OrganisationId, UserId};
use familytime_domain::people::Role;

/// A live (not ended) browser session and the person it belongs to.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub user: User,
}

/// A personal API token as listed to its owner (never the secret).
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: String,
    organisation_id: String,
    user_id: String,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    email: String,
    name: String,
    role: String,
    version: i64,
    user_created_at: i64,
    preferred_language: Option<String>,
    centre_id: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TokenOwnerRow {
    id: String,
    organisation_id: String,
    user_id: String,
}

#[derive(sqlx::FromRow)]
struct ApiTokenRow {
    id: String,
    name: String,
    created_at: i64,
    last_used_at: Option<i64>,
}

fn bad_row() -> StoreError {
    StoreError::Database("unreadable session row".into())
}

impl Store {
    /// Starts a session for a person who has just proved who they are.
    pub async fn create_session(
        &self,
        scope: &AuditScope,
        user: &User,
        token_hash: &str,
        csrf_token: &str,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO sessions (organisation_id, id, token_hash, user_id, csrf_token, created_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)"
        )
        .bind(user.organisation_id.to_string())
        .bind(&id)
        .bind(token_hash)
        .bind(user.id.to_string())
        .bind(csrf_token)
        .bind(ms(scope.at))
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("sign_in", "user", user.id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The session with this token hash, if it has not ended and its person is not disabled.
    /// (Whether it has timed out is the caller's rule, with the caller's clock.)
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        // One statement: the session, its person and their centres (one row per centre, or one row
        // with no centre), read together so every request's sign-in check costs one round trip.
        let rows: Vec<SessionRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT s.id, s.organisation_id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at,
                    u.email, u.name, u.role, u.version, u.created_at AS user_created_at, u.preferred_language, c.centre_id
             FROM sessions s
             JOIN users u ON u.organisation_id = s.organisation_id AND u.id = s.user_id
             LEFT JOIN user_centres c ON c.organisation_id = u.organisation_id AND c.user_id = u.id
             WHERE s.token_hash = $1 AND s.ended_at IS NULL AND u.disabled_at IS NULL
             ORDER BY c.centre_id"
        )
        .bind(token_hash)
        .fetch_all(p)
        .await
        })?;
        let Some(first) = rows.first() else { return Ok(None) };
        let user = User {
            id: UserId::parse(&first.user_id).map_err(|_| bad_row())?,
            organisation_id: OrganisationId::parse(&first.organisation_id).map_err(|_| bad_row())?,
            email: first.email.clone(),
            name: first.name.clone(),
            role: Role::parse(&first.role).map_err(|_| bad_row())?,
            disabled: false,
            centres: rows
                .iter()
                .filter_map(|r| r.centre_id.as_deref())
                .map(|c| CentreId::parse(c).map_err(|_| bad_row()))
                .collect::<Result<_>>()?,
            version: first.version,
            created_at: ts(first.user_created_at),
            preferred_language: crate::languages::stored_language(first.preferred_language.as_deref())?,
        };
        Ok(Some(Session {
            id: first.id.clone(),
            csrf_token: first.csrf_token.clone(),
            created_at: ts(first.created_at),
            last_seen_at: ts(first.last_seen_at),
            user,
        }))
    }

    pub async fn touch_session(&self, organisation: OrganisationId, id: &str, at: Timestamp) -> Result<()> {
        exec_pool!(self, |p| sqlx::query(
            "UPDATE sessions SET last_seen_at = $1 WHERE organisation_id = $2 AND id = $3"
        )
        .bind(ms(at))
        .bind(organisation.to_string())
        .bind(id)
        .execute(p)
        .await)?;
        Ok(())
    }

    /// Ends one session: at sign-out (audited), or when found timed out (`scope` is `None`).
    pub async fn end_session(
        &self,
        at: Timestamp,
        organisation: OrganisationId,
        id: &str,
        scope: Option<&AuditScope>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let user: Option<String> = with_tx!(tx, |c| {
            sqlx::query_scalar(
            "UPDATE sessions SET ended_at = $1 WHERE organisation_id = $2 AND id = $3 AND ended_at IS NULL RETURNING user_id"
        )
        .bind(ms(at))
        .bind(organisation.to_string())
        .bind(id)
        .fetch_optional(c)
        .await
        })?;
        if let (Some(scope), Some(user)) = (scope, user) {
            tx.audit(
                scope,
                AuditEvent {
                    action: "sign_out",
                    object_type: "user",
                    object_id: Some(user),
                    outcome: "ok",
                },
            )
            .await?;
        }
        tx.commit().await
    }

    /// Makes a personal API token for the person; returns its id.
    pub async fn create_api_token(
        &self,
        scope: &AuditScope,
        user: &User,
        name: &str,
        token_hash: &str,
    ) -> Result<ApiTokenId> {
        let id = ApiTokenId::new_v7(scope.at);
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO api_tokens (organisation_id, id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(user.organisation_id.to_string())
        .bind(id.to_string())
        .bind(user.id.to_string())
        .bind(name)
        .bind(token_hash)
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("api_token.create", "api_token", id))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The person an unrevoked API token belongs to, if they are not disabled; notes its use.
    pub async fn api_token_user(&self, token_hash: &str, at: Timestamp) -> Result<Option<(ApiTokenId, User)>> {
        let row: Option<TokenOwnerRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT t.id, t.organisation_id, t.user_id FROM api_tokens t
             JOIN users u ON u.organisation_id = t.organisation_id AND u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
        )
        .bind(token_hash)
        .fetch_optional(p)
        .await)?;
        let Some(row) = row else { return Ok(None) };
        let organisation = OrganisationId::parse(&row.organisation_id).map_err(|_| bad_row())?;
        let id = ApiTokenId::parse(&row.id).map_err(|_| bad_row())?;
        let user = self
            .user(organisation, UserId::parse(&row.user_id).map_err(|_| bad_row())?)
            .await?;
        exec_pool!(self, |p| sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1 WHERE organisation_id = $2 AND id = $3"
        )
        .bind(ms(at))
        .bind(organisation.to_string())
        .bind(id.to_string())
        .execute(p)
        .await)?;
        Ok(Some((id, user)))
    }

    /// The person's own unrevoked tokens, newest first.
    pub async fn api_tokens(&self, user: &User) -> Result<Vec<ApiToken>> {
        let rows: Vec<ApiTokenRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name, created_at, last_used_at FROM api_tokens
             WHERE organisation_id = $1 AND user_id = $2 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC"
        )
        .bind(user.organisation_id.to_string())
        .bind(user.id.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|r| {
                Ok(ApiToken {
                    id: ApiTokenId::parse(&r.id).map_err(|_| bad_row())?,
                    name: r.name,
                    created_at: ts(r.created_at),
                    last_used_at: r.last_used_at.map(ts),
                })
            })
            .collect()
    }

    /// Revokes one of the person's own tokens; someone else's is `NotFound`.
    pub async fn revoke_api_token(&self, scope: &AuditScope, user: &User, id: ApiTokenId) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE organisation_id = $2 AND user_id = $3 AND id = $4 AND revoked_at IS NULL"
        )
        .bind(ms(scope.at))
        .bind(user.organisation_id.to_string())
        .bind(user.id.to_string())
        .bind(id.to_string())
        .execute(c)
        .await
        })?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(scope, AuditEvent::ok("api_token.revoke", "api_token", id))
            .await?;
        tx.commit().await
    }

    /// Reserves a sign-in attempt against each key, unless one of them already has `max` attempts
    /// since `since`: returns the reserved attempts' ids, or `None` when refused. Each key's row is
    /// locked while it is counted, so concurrent attempts cannot all slip under the limit. (Sign-in
    /// has its own counting in `throttle`; this simple limit serves the self-referral form.)
    pub async fn reserve_login_attempt(
        &self,
        key_hashes: &[String],
        at: Timestamp,
        since: Timestamp,
        max: u32,
    ) -> Result<Option<Vec<i64>>> {
        let mut tx = self.begin().await?;
        for key in key_hashes {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO login_throttle_keys (key_hash) VALUES ($1)
                 ON CONFLICT (key_hash) DO UPDATE SET key_hash = excluded.key_hash"
            )
            .bind(key)
            .execute(c)
            .await)?;
            exec_tx!(tx, |c| sqlx::query(
                "DELETE FROM login_failures WHERE key_hash = $1 AND at < $2"
            )
            .bind(key)
            .bind(ms(since))
            .execute(c)
            .await)?;
            let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT COUNT(*) FROM login_failures WHERE key_hash = $1"
            )
            .bind(key)
            .fetch_one(c)
            .await)?;
            if n >= i64::from(max) {
                return Ok(None);
            }
        }
        let mut ids = Vec::new();
        for key in key_hashes {
            let id: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "INSERT INTO login_failures (key_hash, at) VALUES ($1, $2) RETURNING id"
            )
            .bind(key)
            .bind(ms(at))
            .fetch_one(c)
            .await)?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(Some(ids))
    }

    /// Replaces any unused setup link with a new one (each start of an empty server prints a fresh
    /// link, and the old one stops working).
    pub async fn replace_setup_token(&self, token_hash: &str, at: Timestamp) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query("DELETE FROM setup_tokens WHERE used_at IS NULL")
            .execute(c)
            .await)?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)"
        )
        .bind(token_hash)
        .bind(ms(at))
        .execute(c)
        .await)?;
        tx.commit().await
    }

    /// Whether this setup link may still be used: unused, and no organisation exists yet.
    pub async fn setup_token_usable(&self, token_hash: &str) -> Result<bool> {
        let n: i64 = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM organisations)"
        )
        .bind(token_hash)
        .fetch_one(p)
        .await)?;
        Ok(n > 0)
    }
}

impl Tx {
    /// Uses up the setup link; false when it was already used (by a racing request, say).
    pub async fn consume_setup_token(&mut self, token_hash: &str, at: Timestamp) -> Result<bool> {
        let changed = exec_tx!(self, |c| sqlx::query(
            "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM organisations)"
        )
        .bind(ms(at))
        .bind(token_hash)
        .execute(c)
        .await)?;
        Ok(changed == 1)
    }

    /// Revokes all the person's API tokens.
    pub(crate) async fn revoke_api_tokens_of(
        &mut self,
        at: Timestamp,
        organisation: OrganisationId,
        user: UserId,
    ) -> Result<()> {
        exec_tx!(self, |c| sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE organisation_id = $2 AND user_id = $3 AND revoked_at IS NULL"
        )
        .bind(ms(at))
        .bind(organisation.to_string())
        .bind(user.to_string())
        .execute(c)
        .await)?;
        Ok(())
    }

    /// Ends the person's sessions except `keep`.
    pub(crate) async fn end_sessions_of(
        &mut self,
        at: Timestamp,
        organisation: OrganisationId,
        user: UserId,
        keep: Option<&str>,
    ) -> Result<()> {
        exec_tx!(self, |c| {
            sqlx::query(
            "UPDATE sessions SET ended_at = $1 WHERE organisation_id = $2 AND user_id = $3 AND ended_at IS NULL AND id <> $4"
        )
        .bind(ms(at))
        .bind(organisation.to_string())
        .bind(user.to_string())
        .bind(keep.unwrap_or(""))
        .execute(c)
        .await
        })?;
        Ok(())
    }
}
