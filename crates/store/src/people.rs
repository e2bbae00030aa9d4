//! People's accounts: who they are, their role, the centres they work at, and whether they may sign in.

use crate::languages::stored_language;
use crate::paging::{Keyset, Page, PageRequest, placeholders};
use crate::tenancy::convert;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Actor, CentreScope};
use familytime_domain::ids::{CentreId, OrganisationId, UserId};
use familytime_domain::language::Lang;
use familytime_domain::people::{Email, PersonName, Role};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub organisation_id: OrganisationId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    /// Empty means every centre of the organisation.
    pub centres: Vec<CentreId>,
    pub version: i64,
    pub created_at: Timestamp,
    /// The language they chose to read familytime in; none: their organisation's default.
    pub preferred_language: Option<Lang>,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            organisation_id: self.organisation_id,
            role: self.role,
            centres: if self.centres.is_empty() {
                CentreScope::All
            } else {
                CentreScope::Only(self.centres.clone())
            },
        }
    }
}

/// A new account, already checked.
pub struct NewUser<'a> {
    pub email: &'a Email,
    pub name: &'a PersonName,
    pub role: Role,
    pub password_hash: &'a str,
    pub centres: &'a [CentreId],
}

/// A change to an account, already checked; `version` is the one the change was made from.
#[derive(Clone, Copy)]
pub struct UserChange<'a> {
    pub name: &'a PersonName,
    pub role: Role,
    pub centres: &'a [CentreId],
    pub version: i64,
}

/// What sign-in needs to check a password.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub password_hash: String,
    pub disabled: bool,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    organisation_id: String,
    email: String,
    name: String,
    role: String,
    disabled_at: Option<i64>,
    version: i64,
    created_at: i64,
    preferred_language: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CredentialsRow {
    id: String,
    organisation_id: String,
    password_hash: String,
    disabled_at: Option<i64>,
}

fn bad_user() -> StoreError {
    StoreError::Database("unreadable user row".into())
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self> {
        Ok(User {
            id: UserId::parse(&r.id).map_err(|_| bad_user())?,
            organisation_id: OrganisationId::parse(&r.organisation_id).map_err(|_| bad_user())?,
            email: r.email,
            name: r.name,
            role: Role::parse(&r.role).map_err(|_| bad_user())?,
            disabled: r.disabled_at.is_some(),
            centres: Vec::new(),
            version: r.version,
            created_at: ts(r.created_at),
            preferred_language: stored_language(r.preferred_language.as_deref()).map_err(|_| bad_user())?,
        })
    }
}

const UNKNOWN_CENTRE: &str = "One of the chosen centres does not exist";

impl Store {
    pub async fn create_user(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        new: &NewUser<'_>,
    ) -> Result<User> {
        let mut tx = self.begin().await?;
        let id = tx.insert_user(scope, organisation, new).await?;
        tx.commit().await?;
        self.user(organisation, id).await
    }

    /// The password hash and state of the account with this e-mail address, if there is one.
    pub async fn credentials(&self, email: &Email) -> Result<Option<Credentials>> {
        let row: Option<CredentialsRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, organisation_id, password_hash, disabled_at FROM users WHERE email = $1"
        )
        .bind(email.as_str())
        .fetch_optional(p)
        .await)?;
        row.map(|r| {
            Ok(Credentials {
                user_id: UserId::parse(&r.id).map_err(|_| bad_user())?,
                organisation_id: OrganisationId::parse(&r.organisation_id).map_err(|_| bad_user())?,
                password_hash: r.password_hash,
                disabled: r.disabled_at.is_some(),
            })
        })
        .transpose()
    }

    /// One person of the organisation; another organisation's person is `NotFound`.
    pub async fn user(&self, organisation: OrganisationId, id: UserId) -> Result<User> {
        let row: UserRow = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, organisation_id, email, name, role, disabled_at, version, created_at, preferred_language FROM users
             WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .fetch_one(p)
        .await
        })?;
        let mut user = User::try_from(row)?;
        user.centres = self
            .centres_of(organisation, Some(id))
            .await?
            .remove(&id)
            .unwrap_or_default();
        Ok(user)
    }

    /// The person with this e-mail address, in whichever organisation (for the command line).
    pub async fn user_by_email(&self, email: &Email) -> Result<Option<User>> {
        match self.credentials(email).await? {
            Some(c) => Ok(Some(self.user(c.organisation_id, c.user_id).await?)),
            None => Ok(None),
        }
    }

    /// Everyone in the organisation, by name.
    pub async fn users(&self, organisation: OrganisationId) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, organisation_id, email, name, role, disabled_at, version, created_at, preferred_language FROM users
             WHERE organisation_id = $1 ORDER BY name, email"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await
        })?;
        let mut users: Vec<User> = convert(rows)?;
        let mut centres = self.centres_of(organisation, None).await?;
        for user in &mut users {
            user.centres = centres.remove(&user.id).unwrap_or_default();
        }
        Ok(users)
    }

    /// The organisation's accounts in these roles, by name, each with their centres: the staff for a
    /// list to choose from (bounded by the staff, not by the families; `users_by_role`), or the
    /// parents' accounts.
    pub async fn users_in_roles(&self, organisation: OrganisationId, roles: &[Role]) -> Result<Vec<User>> {
        if roles.is_empty() {
            return Ok(Vec::new());
        }
        let org = organisation.to_string();
        let sql = format!(
            "SELECT id, organisation_id, email, name, role, disabled_at, version, created_at, preferred_language FROM users
             WHERE organisation_id = $1 AND role IN ({}) ORDER BY name, id",
            placeholders(2, roles.len())
        );
        let rows: Vec<UserRow> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&org);
            for role in roles {
                query = query.bind(role.as_str());
            }
            query.fetch_all(p).await
        })?;
        let mut users: Vec<User> = convert(rows)?;
        self.add_centres(&org, &mut users).await?;
        Ok(users)
    }

    /// The names of these accounts, by id (for a page naming who did what).
    pub async fn user_names(&self, organisation: OrganisationId, ids: &[String]) -> Result<HashMap<String, String>> {
        let mut names = HashMap::new();
        for chunk in ids.chunks(crate::paging::PAGE_SIZE) {
            let sql = format!(
                "SELECT id, name FROM users WHERE organisation_id = $1 AND id IN ({})",
                placeholders(2, chunk.len())
            );
            let rows: Vec<(String, String)> = with_pool!(self, |p| {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organisation.to_string());
                for id in chunk {
                    query = query.bind(id.as_str());
                }
                query.fetch_all(p).await
            })?;
            names.extend(rows);
        }
        Ok(names)
    }

    /// Fills in the centres of these people, reading theirs only.
    async fn add_centres(&self, org: &str, users: &mut [User]) -> Result<()> {
        let ids: Vec<String> = users.iter().map(|u| u.id.to_string()).collect();
        for chunk in ids.chunks(crate::paging::PAGE_SIZE) {
            let sql = format!(
                "SELECT user_id, centre_id FROM user_centres WHERE organisation_id = $1 AND user_id IN ({})
                 ORDER BY user_id, centre_id",
                placeholders(2, chunk.len())
            );
            let rows: Vec<(String, String)> = with_pool!(self, |p| {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org);
                for id in chunk {
                    query = query.bind(id.as_str());
                }
                query.fetch_all(p).await
            })?;
            for (user_id, centre_id) in rows {
                let centre_id = CentreId::parse(&centre_id).map_err(|_| bad_user())?;
                if let Some(user) = users.iter_mut().find(|u| u.id.to_string() == user_id) {
                    user.centres.push(centre_id);
                }
            }
        }
        Ok(())
    }

    /// One page of the organisation's people, by name (decision 0036), each with their centres. A
    /// cursor naming nobody in the organisation is `NotFound`.
    pub async fn user_page(&self, organisation: OrganisationId, request: &PageRequest) -> Result<Page<User>> {
        let org = organisation.to_string();
        let after = self.cursor_key::<String>(request, "users", "name", &org).await?;
        let keyset = Keyset::new(request, "name", "id", false, 2);
        let sql = format!(
            "SELECT id, organisation_id, email, name, role, disabled_at, version, created_at, preferred_language FROM users
             WHERE organisation_id = $1{} {}",
            keyset.condition, keyset.order
        );
        let rows: Vec<UserRow> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&org);
            if let Some((name, id)) = &after {
                query = query.bind(name.as_str()).bind(id.as_str());
            }
            query.fetch_all(p).await
        })?;
        let page = keyset.finish(rows);
        let mut users: Vec<User> = convert(page.items)?;
        // The centres of this page's people only.
        self.add_centres(&org, &mut users).await?;
        Ok(Page {
            items: users,
            more_before: page.more_before,
            more_after: page.more_after,
        })
    }

    async fn centres_of(
        &self,
        organisation: OrganisationId,
        user: Option<UserId>,
    ) -> Result<HashMap<UserId, Vec<CentreId>>> {
        // One person's centres, or everyone's: two statements, since an optional filter written
        // `($2 = '' OR user_id = $2)` keeps the planner from the index on it (decision 0033).
        let rows: Vec<(String, String)> = match user {
            Some(user) => with_pool!(self, |p| sqlx::query_as(
                "SELECT user_id, centre_id FROM user_centres WHERE organisation_id = $1 AND user_id = $2
                 ORDER BY user_id, centre_id"
            )
            .bind(organisation.to_string())
            .bind(user.to_string())
            .fetch_all(p)
            .await)?,
            None => with_pool!(self, |p| sqlx::query_as(
                "SELECT user_id, centre_id FROM user_centres WHERE organisation_id = $1 ORDER BY user_id, centre_id"
            )
            .bind(organisation.to_string())
            .fetch_all(p)
            .await)?,
        };
        let mut map: HashMap<UserId, Vec<CentreId>> = HashMap::new();
        for (user_id, centre_id) in rows {
            let user_id = UserId::parse(&user_id).map_err(|_| bad_user())?;
            let centre_id = CentreId::parse(&centre_id).map_err(|_| bad_user())?;
            map.entry(user_id).or_default().push(centre_id);
        }
        Ok(map)
    }

    /// Changes a person's name, role and centres if nobody else has since `change.version`.
    pub async fn update_user(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: UserId,
        change: &UserChange<'_>,
    ) -> Result<User> {
        let UserChange {
            name,
            role,
            centres,
            version,
        } = *change;
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE users SET name = $1, role = $2, updated_at = $3, version = version + 1
             WHERE organisation_id = $4 AND id = $5 AND version = $6"
        )
        .bind(name.as_str())
        .bind(role.as_str())
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id.to_string())
        .bind(version)
        .execute(c)
        .await)?;
        if changed == 0 {
            drop(tx);
            self.user(organisation, id).await?;
            return Err(StoreError::Stale);
        }
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM user_centres WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .execute(c)
        .await)?;
        tx.insert_user_centres(organisation, id, centres).await?;
        tx.audit(scope, AuditEvent::ok("user.update", "user", id)).await?;
        tx.commit().await?;
        self.user(organisation, id).await
    }

    /// Disables or re-enables an account. Disabling ends its sessions and revokes its API tokens in
    /// the same transaction, so nothing signed in as that person works a moment later.
    pub async fn set_user_disabled(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: UserId,
        disabled: bool,
    ) -> Result<User> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE users SET disabled_at = $1, updated_at = $2, version = version + 1 WHERE organisation_id = $3 AND id = $4"
        )
        .bind(disabled.then_some(ms(scope.at)))
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id.to_string())
        .execute(c)
        .await
        })?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        if disabled {
            tx.end_sessions_of(scope.at, organisation, id, None).await?;
            tx.revoke_api_tokens_of(scope.at, organisation, id).await?;
        }
        let action = if disabled { "user.disable" } else { "user.enable" };
        tx.audit(scope, AuditEvent::ok(action, "user", id)).await?;
        tx.commit().await?;
        self.user(organisation, id).await
    }

    /// Sets a new password hash, ends every other session of the person (keeping `keep`, the session
    /// that made the change, if any) and revokes their API tokens: whoever held the old password may
    /// have made one.
    pub async fn set_password(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: UserId,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE users SET password_hash = $1, updated_at = $2 WHERE organisation_id = $3 AND id = $4"
        )
        .bind(password_hash)
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id.to_string())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.end_sessions_of(scope.at, organisation, id, keep).await?;
        tx.revoke_api_tokens_of(scope.at, organisation, id).await?;
        tx.audit(scope, AuditEvent::ok("user.password_change", "user", id))
            .await?;
        tx.commit().await
    }
}

impl Tx {
    pub async fn insert_user(
        &mut self,
        scope: &AuditScope,
        organisation: OrganisationId,
        new: &NewUser<'_>,
    ) -> Result<UserId> {
        let id = UserId::new_v7(scope.at);
        exec_tx!(self, |c| sqlx::query(
            "INSERT INTO users (organisation_id, id, email, name, role, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .bind(new.email.as_str())
        .bind(new.name.as_str())
        .bind(new.role.as_str())
        .bind(new.password_hash)
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "Someone already has an account with this email address"))?;
        self.insert_user_centres(organisation, id, new.centres).await?;
        self.audit(scope, AuditEvent::ok("user.create", "user", id)).await?;
        Ok(id)
    }

    async fn insert_user_centres(
        &mut self,
        organisation: OrganisationId,
        user: UserId,
        centres: &[CentreId],
    ) -> Result<()> {
        for centre in centres {
            exec_tx!(self, |c| sqlx::query(
                "INSERT INTO user_centres (organisation_id, user_id, centre_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
            )
            .bind(organisation.to_string())
            .bind(user.to_string())
            .bind(centre.to_string())
            .execute(c)
            .await)
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::Conflict(UNKNOWN_CENTRE.into()),
                _ => StoreError::from(e),
            })?;
        }
        Ok(())
    }
}
