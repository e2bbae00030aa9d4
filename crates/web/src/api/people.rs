//! API: the organisation's accounts (administrators).

use super::accounts::UserView;
use super::paging::{links, query_params};
use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use familytime_app::people::{self, NewUserInput, UserChangeInput};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreateRequest {
    pub email: String,
    pub name: String,
    pub role: String,
    /// The first password: at least 12 characters and not a common one.
    pub password: String,
    #[serde(default)]
    pub centre_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdateRequest {
    pub name: String,
    pub role: String,
    /// The centres the person works at; an empty list means all.
    pub centre_ids: Vec<String>,
    /// The version you read.
    pub version: i64,
}

/// Everyone in your organisation, by name, a page of 50 at a time: the `Link` header gives the next
/// and previous pages. An unknown query parameter, or a cursor this server did not give, is refused.
#[utoipa::path(get, path = "/api/v1/users", operation_id = "list_users", tag = "people",
    params(("after" = Option<String>, Query, description = "Read the page after this person (from the `Link` header's rel=\"next\")"),
           ("before" = Option<String>, Query, description = "Read the page before this person (from the `Link` header's rel=\"prev\")")),
    responses((status = 200, body = [UserView], headers(("Link" = String, description = "The pages either side, when there are any: `<URL>; rel=\"next\"` and `<URL>; rel=\"prev\"` (RFC 8288). Follow the URL as given: it keeps the filters and carries the cursor. A page holds 50 items."))),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<(HeaderMap, Json<Vec<UserView>>)> {
    let params = query_params(query.as_deref(), &[])?;
    let get = |name: &str| params.get(name).map(String::as_str);
    let users = people::list_users(&state, &caller, get("after"), get("before")).await?;
    let links = links("/api/v1/users", &params, &users, |u| u.id.to_string());
    Ok((links, Json(users.items.iter().map(UserView::from).collect())))
}

/// Adds a person.
#[utoipa::path(post, path = "/api/v1/users", operation_id = "create_user", tag = "people", request_body = UserCreateRequest,
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<UserCreateRequest>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let input = NewUserInput {
        email: body.email,
        name: body.name,
        role: body.role,
        password: body.password,
        centre_ids: body.centre_ids,
    };
    let user = people::create_user(&state, &caller, &input).await?;
    Ok((StatusCode::CREATED, Json((&user).into())))
}

/// One person.
#[utoipa::path(get, path = "/api/v1/users/{id}", operation_id = "get_user", tag = "people", params(("id" = String, Path)),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<UserView>> {
    Ok(Json((&people::get_user(&state, &caller, &id).await?).into()))
}

/// Changes a person's name, role and centres; send the version you read.
#[utoipa::path(put, path = "/api/v1/users/{id}", operation_id = "update_user", tag = "people", params(("id" = String, Path)), request_body = UserUpdateRequest,
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UserUpdateRequest>,
) -> ApiResult<Json<UserView>> {
    let input = UserChangeInput {
        name: body.name,
        role: body.role,
        centre_ids: Some(body.centre_ids),
        version: body.version,
    };
    Ok(Json((&people::update_user(&state, &caller, &id, &input).await?).into()))
}

/// Disables an account: its sessions end and its API tokens stop working at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", operation_id = "disable_user", tag = "people", params(("id" = String, Path)),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn disable_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<UserView>> {
    Ok(Json((&people::set_disabled(&state, &caller, &id, true).await?).into()))
}

/// Enables a disabled account again.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", operation_id = "enable_user", tag = "people", params(("id" = String, Path)),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody)))]
pub async fn enable_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<UserView>> {
    Ok(Json((&people::set_disabled(&state, &caller, &id, false).await?).into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The new password: at least 12 characters and not a common one.
    pub password: String,
}

/// Sets a new password for someone who has forgotten theirs; their sessions end.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", operation_id = "reset_user_password", tag = "people", params(("id" = String, Path)), request_body = PasswordResetRequest,
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PasswordResetRequest>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(
        (&people::reset_password(&state, &caller, &id, &body.password).await?).into(),
    ))
}
