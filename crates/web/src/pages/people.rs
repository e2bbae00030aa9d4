//! People pages: the organisation's accounts (administrators).

use super::paging::Pager;
use super::{FormData, PageResult, Shell, form_status, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::people::{self, NewUserInput, UserChangeInput};
use familytime_app::tenancy::list_centres;
use familytime_domain::people::Role;
use familytime_domain::text::FieldErrors;
use familytime_store::people::User;
use familytime_store::tenancy::Centre;

/// The centres ticked on a form.
pub struct Chosen(pub Vec<String>);

impl Chosen {
    pub fn has(&self, id: impl std::fmt::Display) -> bool {
        let id = id.to_string();
        self.0.contains(&id)
    }
}

#[derive(askama::Template)]
#[template(path = "users.html")]
struct UsersPage {
    shell: Shell,
    users: Vec<User>,
    pager: Pager,
}

pub async fn list(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let param = |name: &str| {
        form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let (after, before) = (param("after"), param("before"));
    // A page that is not known (an old link, a hand-typed address) shows the first page instead.
    let users = match people::list_users(&state, &caller, after.as_deref(), before.as_deref()).await {
        Err(AppError::BadRequest(_)) => people::list_users(&state, &caller, None, None).await?,
        other => other?,
    };
    let pager = Pager::new("people", "/users", &[], &users, |u| u.id.to_string());
    Ok(render(&UsersPage {
        shell: Shell::for_caller(&state, &caller, "/users").await?,
        users: users.items,
        pager,
    }))
}

#[derive(askama::Template)]
#[template(path = "user_new.html")]
struct NewUserPage {
    shell: Shell,
    errors: FieldErrors,
    name: String,
    email: String,
    role: String,
    roles: [Role; 7],
    centres: Vec<Centre>,
    chosen_centres: Chosen,
    /// How they get their first password: `invite` (an e-mail with a link, decision 0051) or
    /// `password` (set here and given to them privately).
    how: String,
}

async fn new_user_page(
    state: &AppState,
    caller: &Caller,
    errors: FieldErrors,
    input: NewUserInput,
    how: String,
) -> PageResult {
    let status = form_status(&errors);
    let page = NewUserPage {
        shell: Shell::for_caller(state, caller, "/users").await?,
        errors,
        name: input.name,
        email: input.email,
        role: input.role,
        roles: Role::ALL,
        centres: list_centres(state, caller).await?,
        chosen_centres: Chosen(input.centre_ids),
        how,
    };
    Ok(render_with(status, &page))
}

pub async fn new_form(State(state): State<AppState>, caller: Caller) -> PageResult {
    new_user_page(
        &state,
        &caller,
        FieldErrors::new(),
        NewUserInput::default(),
        "invite".into(),
    )
    .await
}

pub async fn create(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let input = NewUserInput {
        email: form.get("email"),
        name: form.get("name"),
        role: form.get("role"),
        password: form.get("password"),
        centre_ids: form.all("centre_ids"),
    };
    let how = form.get("how");
    let created = match how.as_str() {
        "password" => people::create_user(&state, &caller, &input).await,
        "invite" => familytime_app::account_links::invite_user(&state, &caller, &input).await,
        _ => Err(AppError::Invalid(FieldErrors::single(
            "how",
            "Choose how they get their first password",
        ))),
    };
    match created {
        Ok(user) => {
            let done = if how == "invite" { "?done=invited" } else { "" };
            Ok(Redirect::to(&format!("/users/{}{done}", user.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => new_user_page(&state, &caller, errors, input, how).await,
        Err(other) => Err(other.into()),
    }
}

/// POST /users/{id}/invitation: sends a new invitation (the earlier link stops working).
pub async fn resend_invitation(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    match familytime_app::account_links::resend_invitation(&state, &caller, &id).await {
        Ok(user) => {
            let notice = Some("Invitation sent again: the link in any earlier invitation no longer works.");
            user_page(&state, &caller, user, FieldErrors::new(), notice, None, StatusCode::OK).await
        }
        Err(AppError::Conflict(message)) => {
            let user = people::get_user(&state, &caller, &id).await?;
            let errors = FieldErrors::single("invitation", message);
            user_page(&state, &caller, user, errors, None, None, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "user.html")]
struct UserPage {
    shell: Shell,
    errors: FieldErrors,
    notice: Option<&'static str>,
    user: User,
    can_manage: bool,
    is_self: bool,
    name: String,
    role: String,
    roles: [Role; 7],
    centres: Vec<Centre>,
    chosen_centres: Chosen,
    /// The person signs in with a second factor (decision 0052).
    two_factor: bool,
    can_reset_two_factor: bool,
}

async fn user_page(
    state: &AppState,
    caller: &Caller,
    user: User,
    errors: FieldErrors,
    notice: Option<&'static str>,
    typed: Option<UserChangeInput>,
    status: StatusCode,
) -> PageResult {
    let (name, role, chosen_centres) = match typed {
        Some(t) => (t.name, t.role, t.centre_ids.unwrap_or_default()),
        None => (
            user.name.clone(),
            user.role.as_str().to_owned(),
            user.centres.iter().map(ToString::to_string).collect(),
        ),
    };
    let two_factor = familytime_app::two_factor::enrolled(state, &user).await?;
    let page = UserPage {
        two_factor,
        can_reset_two_factor: super::may(caller, familytime_domain::authz::Action::ResetTwoFactor),
        shell: Shell::for_caller(state, caller, "/users").await?,
        errors,
        notice,
        is_self: caller.user.as_ref().is_some_and(|u| u.id == user.id),
        can_manage: true,
        user,
        name,
        role,
        roles: Role::ALL,
        centres: list_centres(state, caller).await?,
        chosen_centres: Chosen(chosen_centres),
    };
    Ok(render_with(status, &page))
}

/// GET /users/{id} (`?done=invited` after an account was added by invitation, `?done=two-factor-reset`
/// after an administrator reset their second factor).
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let user = people::get_user(&state, &caller, &id).await?;
    let done = query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "done"))
        .map(|(_, v)| v.into_owned());
    let notice = match done.as_deref() {
        Some("invited") => Some(
            "Account added: an invitation to choose their password is on its way to their email address. The link works once, for 72 hours.",
        ),
        Some("two-factor-reset") => {
            Some("Two-factor sign-in reset. They are signed out and set it up again when they next sign in.")
        }
        Some("two-factor-none") => Some("They had no two-factor sign-in to reset."),
        _ => None,
    };
    user_page(&state, &caller, user, FieldErrors::new(), notice, None, StatusCode::OK).await
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = UserChangeInput {
        name: form.get("name"),
        role: form.get("role"),
        centre_ids: Some(form.all("centre_ids")),
        version: form.version(),
    };
    let (errors, status) = match people::update_user(&state, &caller, &id, &input).await {
        Ok(user) => {
            return user_page(
                &state,
                &caller,
                user,
                FieldErrors::new(),
                Some("Changes saved."),
                None,
                StatusCode::OK,
            )
            .await;
        }
        Err(AppError::Invalid(errors)) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Stale) => (
            FieldErrors::single("name", AppError::Stale.message()),
            StatusCode::CONFLICT,
        ),
        Err(other) => return Err(other.into()),
    };
    let mut user = people::get_user(&state, &caller, &id).await?;
    user.version = input.version;
    user_page(&state, &caller, user, errors, None, Some(input), status).await
}

pub async fn disable(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    set_disabled(state, caller, id, true).await
}

pub async fn enable(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    set_disabled(state, caller, id, false).await
}

async fn set_disabled(state: AppState, caller: Caller, id: String, disabled: bool) -> PageResult {
    match people::set_disabled(&state, &caller, &id, disabled).await {
        Ok(user) => {
            let notice = if disabled {
                "Account disabled: they have been signed out everywhere."
            } else {
                "Account enabled."
            };
            user_page(
                &state,
                &caller,
                user,
                FieldErrors::new(),
                Some(notice),
                None,
                StatusCode::OK,
            )
            .await
        }
        Err(AppError::Conflict(message)) => {
            let user = people::get_user(&state, &caller, &id).await?;
            user_page(
                &state,
                &caller,
                user,
                FieldErrors::single("name", message),
                None,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match people::reset_password(&state, &caller, &id, &form.get("password")).await {
        Ok(user) => {
            let notice = Some("New password set: they have been signed out everywhere.");
            user_page(&state, &caller, user, FieldErrors::new(), notice, None, StatusCode::OK).await
        }
        Err(AppError::Invalid(errors)) => {
            let user = people::get_user(&state, &caller, &id).await?;
            user_page(
                &state,
                &caller,
                user,
                errors,
                None,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
