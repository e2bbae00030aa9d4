//! People's accounts: administrators add, change and disable them; the command line adds them too
//! (through `add_user`, so the rules are the same).

use super::{authorize, found, parse_id};
use crate::secrets::hash_password_blocking;
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{CentreId, OrganisationId, UserId};
use familytime_domain::people::{Email, NewPassword, PersonName, Role};
use familytime_domain::text::FieldErrors;
use familytime_store::paging::Page;
use familytime_store::people::{NewUser, User, UserChange};
use familytime_store::{AuditEvent, AuditScope, Store, Tx};

/// A new account as typed into a form, sent to the API or given on the command line.
#[derive(Debug, Default, Clone)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    pub role: String,
    pub password: String,
    pub centre_ids: Vec<String>,
}

/// Changes to an account. `centre_ids: None` keeps the person's centres as they are (so a client that
/// leaves the field out never widens someone's access by accident).
#[derive(Debug, Default, Clone)]
pub struct UserChangeInput {
    pub name: String,
    pub role: String,
    pub centre_ids: Option<Vec<String>>,
    pub version: i64,
}

fn parse_centres(errors: &mut FieldErrors, ids: &[String]) -> Vec<CentreId> {
    let parsed: Result<Vec<CentreId>, _> = ids
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| CentreId::parse(s))
        .collect();
    errors
        .take(
            "centre_ids",
            parsed.map_err(|_| "Choose centres from the list".to_string()),
        )
        .unwrap_or_default()
}

/// A new account that has passed every check, with its password already hashed.
pub struct PreparedUser {
    email: Email,
    name: PersonName,
    role: Role,
    password_hash: String,
    centres: Vec<CentreId>,
}

impl PreparedUser {
    pub fn as_new_user(&self) -> NewUser<'_> {
        NewUser {
            email: &self.email,
            name: &self.name,
            role: self.role,
            password_hash: &self.password_hash,
            centres: &self.centres,
        }
    }
}

/// Checks a new account (every problem at once) and hashes its password.
pub async fn prepare_user(input: &NewUserInput, mut errors: FieldErrors) -> Result<PreparedUser, AppError> {
    let email = errors.take("email", Email::parse(&input.email));
    let name = errors.take("name", PersonName::parse(&input.name));
    let role = errors.take("role", Role::parse(&input.role));
    let password = errors.take(
        "password",
        NewPassword::parse(&input.password, &[&input.email, &input.name]),
    );
    let centres = parse_centres(&mut errors, &input.centre_ids);
    let (Some(email), Some(name), Some(role), Some(password)) = (email, name, role, password) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let password_hash = hash_password_blocking(password.expose().to_owned()).await?;
    Ok(PreparedUser {
        email,
        name,
        role,
        password_hash,
        centres,
    })
}

/// Checks a new account made by invitation (every problem at once; there is no password yet) and
/// gives it a password nobody knows, hashed like any other, until the person chooses their own
/// through the invitation's link (decision 0051).
pub async fn prepare_invited(input: &NewUserInput) -> Result<PreparedUser, AppError> {
    let mut errors = FieldErrors::new();
    let email = errors.take("email", Email::parse(&input.email));
    let name = errors.take("name", PersonName::parse(&input.name));
    let role = errors.take("role", Role::parse(&input.role));
    let centres = parse_centres(&mut errors, &input.centre_ids);
    let (Some(email), Some(name), Some(role)) = (email, name, role) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let password_hash = hash_password_blocking(crate::secrets::random_token()).await?;
    Ok(PreparedUser {
        email,
        name,
        role,
        password_hash,
        centres,
    })
}

impl PreparedUser {
    pub fn email(&self) -> &Email {
        &self.email
    }
}

/// Turns a store conflict on a new or changed account into the field it concerns.
fn conflict_as_field(err: familytime_store::StoreError) -> AppError {
    match AppError::from(err) {
        AppError::Conflict(m) => AppError::Invalid(FieldErrors::single(
            if m.contains("centre") { "centre_ids" } else { "email" },
            m,
        )),
        other => other,
    }
}

/// Checks a new account, hashes its password and stores it (audited in `scope`).
pub async fn add_user(
    store: &Store,
    scope: &AuditScope,
    organisation: OrganisationId,
    input: &NewUserInput,
) -> Result<User, AppError> {
    let prepared = prepare_user(input, FieldErrors::new()).await?;
    store
        .create_user(scope, organisation, &prepared.as_new_user())
        .await
        .map_err(conflict_as_field)
}

/// Inside a transaction (the first-run setup), for an account prepared earlier.
pub async fn insert_prepared(
    tx: &mut Tx,
    scope: &AuditScope,
    organisation: OrganisationId,
    prepared: &PreparedUser,
) -> Result<UserId, AppError> {
    tx.insert_user(scope, organisation, &prepared.as_new_user())
        .await
        .map_err(conflict_as_field)
}

fn user_object(caller: &Caller, user: UserId) -> Result<Object, AppError> {
    Ok(Object::User {
        organisation: caller.user()?.organisation_id,
        user,
    })
}

/// A page of everyone in the organisation, by name, from the page after (or before) the person
/// with the id given (a read of personal data: audited).
pub async fn list_users(
    state: &AppState,
    caller: &Caller,
    after: Option<&str>,
    before: Option<&str>,
) -> Result<Page<User>, AppError> {
    let request = crate::paging::page_request(after, before)?;
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ViewUsers, Object::Organisation(org)).await?;
    let users = crate::paging::page_read(state.store.user_page(actor.organisation_id, &request).await)?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("user.list", "organisation", org),
        )
        .await?;
    Ok(users)
}

/// One person (a read of personal data: audited).
pub async fn get_user(state: &AppState, caller: &Caller, id: &str) -> Result<User, AppError> {
    let id = parse_id(id, UserId::parse)?;
    let actor = authorize(state, caller, Action::ViewUsers, user_object(caller, id)?).await?;
    let user = found(
        state,
        caller,
        state.store.user(actor.organisation_id, id).await,
        "user",
        id,
    )
    .await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("user.read", "user", id),
        )
        .await?;
    Ok(user)
}

pub async fn create_user(state: &AppState, caller: &Caller, input: &NewUserInput) -> Result<User, AppError> {
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ManageUsers, Object::Organisation(org)).await?;
    add_user(
        &state.store,
        &caller.scope(state.clock.now()),
        actor.organisation_id,
        input,
    )
    .await
}

pub async fn update_user(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &UserChangeInput,
) -> Result<User, AppError> {
    let id = parse_id(id, UserId::parse)?;
    let actor = authorize(state, caller, Action::ManageUsers, user_object(caller, id)?).await?;
    let mut errors = FieldErrors::new();
    let name = errors.take("name", PersonName::parse(&input.name));
    let role = errors.take("role", Role::parse(&input.role));
    let centres = match &input.centre_ids {
        Some(ids) => parse_centres(&mut errors, ids),
        None => {
            found(
                state,
                caller,
                state.store.user(actor.organisation_id, id).await,
                "user",
                id,
            )
            .await?
            .centres
        }
    };
    if id == actor.user_id && role.is_some_and(|r| r != actor.role) {
        errors.add("role", "You cannot change your own role: ask another administrator");
    }
    let (Some(name), Some(role)) = (name, role) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let change = UserChange {
        name: &name,
        role,
        centres: &centres,
        version: input.version,
    };
    let answer = state
        .store
        .update_user(&caller.scope(state.clock.now()), actor.organisation_id, id, &change)
        .await;
    match answer {
        Err(e @ familytime_store::StoreError::Conflict(_)) => Err(conflict_as_field(e)),
        other => found(state, caller, other, "user", id).await,
    }
}

/// Disables (ending their sessions and tokens at once) or re-enables an account.
pub async fn set_disabled(state: &AppState, caller: &Caller, id: &str, disabled: bool) -> Result<User, AppError> {
    let id = parse_id(id, UserId::parse)?;
    let actor = authorize(state, caller, Action::ManageUsers, user_object(caller, id)?).await?;
    if disabled && id == actor.user_id {
        return Err(AppError::Conflict(
            "You cannot disable your own account: ask another administrator".into(),
        ));
    }
    let answer = state
        .store
        .set_user_disabled(&caller.scope(state.clock.now()), actor.organisation_id, id, disabled)
        .await;
    found(state, caller, answer, "user", id).await
}

/// An administrator sets a new password for someone who has forgotten theirs; the person's sessions
/// end, so whoever held them is signed out.
pub async fn reset_password(state: &AppState, caller: &Caller, id: &str, password: &str) -> Result<User, AppError> {
    let id = parse_id(id, UserId::parse)?;
    let actor = authorize(state, caller, Action::ManageUsers, user_object(caller, id)?).await?;
    let user = found(
        state,
        caller,
        state.store.user(actor.organisation_id, id).await,
        "user",
        id,
    )
    .await?;
    let password = NewPassword::parse(password, &[&user.email, &user.name])
        .map_err(|m| AppError::Invalid(FieldErrors::single("password", m)))?;
    let hash = hash_password_blocking(password.expose().to_owned()).await?;
    state
        .store
        .set_password(&caller.scope(state.clock.now()), actor.organisation_id, id, &hash, None)
        .await?;
    Ok(user)
}
