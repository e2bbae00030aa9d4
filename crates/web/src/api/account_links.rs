//! API: accounts by e-mail and preferences (decision 0051): an account made by invitation and the
//! invitation sent again; "forgot password" (always 202, whether or not the address has an
//! account) and the link's use; one's own reminders, a party's, and a centre's reminder times.

use super::accounts::UserView;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::people::NewUserInput;
use familytime_app::{account_links, mail_prefs};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    pub email: String,
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub centre_ids: Vec<String>,
}

/// Adds a person by invitation: they are sent a link to choose their own password (it works once,
/// for 72 hours).
#[utoipa::path(post, path = "/api/v1/users/invitations", operation_id = "invite_user", tag = "people", request_body = InvitationRequest,
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn invite_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<InvitationRequest>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let input = NewUserInput {
        email: body.email,
        name: body.name,
        role: body.role,
        password: String::new(),
        centre_ids: body.centre_ids,
    };
    let user = account_links::invite_user(&state, &caller, &input).await?;
    Ok((StatusCode::CREATED, Json((&user).into())))
}

/// Sends a person a new invitation; the link in any earlier one stops working.
#[utoipa::path(post, path = "/api/v1/users/{id}/invitation", operation_id = "resend_invitation", tag = "people", params(("id" = String, Path)),
    responses((status = 202, body = UserView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resend_invitation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let user = account_links::resend_invitation(&state, &caller, &id).await?;
    Ok((StatusCode::ACCEPTED, Json((&user).into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordResetAnswer {
    pub message: String,
}

/// Asks for a link to choose a new password. The answer is the same whether or not the address
/// has an account; only an account's address is sent a link (it works once, for 1 hour). Throttled
/// like signing in.
#[utoipa::path(post, path = "/api/v1/password-reset", operation_id = "request_password_reset", tag = "accounts", security(()), request_body = PasswordResetRequest,
    responses((status = 202, body = PasswordResetAnswer), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<PasswordResetRequest>,
) -> ApiResult<(StatusCode, Json<PasswordResetAnswer>)> {
    account_links::forgot_password(&state, &caller, &body.email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(PasswordResetAnswer {
            message: "If the address belongs to an account, a link to choose a new password is on its way to it."
                .into(),
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPasswordRequest {
    /// The secret from the link (`/set-password/{token}`).
    pub token: String,
    pub password: String,
    pub password_confirmation: String,
}

/// Uses an invitation's or reset's link: sets the password, and ends every session of the account.
/// A link used, expired or replaced is 410 and changes nothing.
#[utoipa::path(post, path = "/api/v1/password-reset/complete", operation_id = "complete_password_reset", tag = "accounts", security(()), request_body = SetPasswordRequest,
    responses((status = 204), (status = 410, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complete_password_reset(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<SetPasswordRequest>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    match account_links::set_password_by_link(
        &state,
        &caller,
        &body.token,
        &body.password,
        &body.password_confirmation,
    )
    .await
    {
        Ok(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(familytime_app::AppError::NotFound) => Ok((
            StatusCode::GONE,
            Json(ErrorBody {
                error: super::ErrorDetail {
                    code: "gone".into(),
                    message: "This link has been used, has expired or was replaced by a newer one. Ask for a new link."
                        .into(),
                    fields: None,
                },
            }),
        )
            .into_response()),
        Err(other) => Err(other.into()),
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reminders {
    /// `on` or `off`: reminders before a session. Nothing else can be turned off.
    pub reminders: String,
}

fn reminders(off: bool) -> Json<Reminders> {
    Json(Reminders {
        reminders: if off { "off" } else { "on" }.into(),
    })
}

/// Whether you get reminders before a session.
#[utoipa::path(get, path = "/api/v1/me/reminders", operation_id = "get_my_reminders", tag = "accounts",
    responses((status = 200, body = Reminders), (status = 401, body = ErrorBody)))]
pub async fn get_my_reminders(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Reminders>> {
    Ok(reminders(mail_prefs::own_reminders_off(&state, &caller).await?))
}

/// Turns your reminders before a session on or off (never messages about a change, a cancellation,
/// money or safety).
#[utoipa::path(put, path = "/api/v1/me/reminders", operation_id = "set_my_reminders", tag = "accounts", request_body = Reminders,
    responses((status = 200, body = Reminders), (status = 422, body = ErrorBody)))]
pub async fn set_my_reminders(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Reminders>,
) -> ApiResult<Json<Reminders>> {
    Ok(reminders(
        mail_prefs::set_own_reminders(&state, &caller, &body.reminders).await?,
    ))
}

/// Turns a party's reminders on or off, when the parent asks.
#[utoipa::path(put, path = "/api/v1/cases/{id}/parties/{party}/reminders", operation_id = "set_party_reminders", tag = "referrals",
    params(("id" = String, Path), ("party" = String, Path)), request_body = Reminders,
    responses((status = 200, body = Reminders), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_party_reminders(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, party)): Path<(String, String)>,
    ApiJson(body): ApiJson<Reminders>,
) -> ApiResult<Json<Reminders>> {
    Ok(reminders(
        mail_prefs::set_party_reminders(&state, &caller, &id, &party, &body.reminders).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ReminderTimes {
    /// Hours before a session the first reminder is sent.
    pub first_hours: i64,
    /// Hours before a session the second reminder is sent (fewer than the first).
    pub second_hours: i64,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderTimesRequest {
    pub first_hours: i64,
    pub second_hours: i64,
    /// The version you read.
    pub version: i64,
}

/// A centre's reminder times.
#[utoipa::path(get, path = "/api/v1/centres/{id}/reminder-times", operation_id = "get_reminder_times", tag = "centres", params(("id" = String, Path)),
    responses((status = 200, body = ReminderTimes), (status = 404, body = ErrorBody)))]
pub async fn get_reminder_times(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ReminderTimes>> {
    let (_, hours, version) = mail_prefs::centre_reminder_times(&state, &caller, &id).await?;
    Ok(Json(ReminderTimes {
        first_hours: hours.first(),
        second_hours: hours.second(),
        version,
    }))
}

/// Sets a centre's reminder times; send the version you read.
#[utoipa::path(put, path = "/api/v1/centres/{id}/reminder-times", operation_id = "set_reminder_times", tag = "centres", params(("id" = String, Path)), request_body = ReminderTimesRequest,
    responses((status = 200, body = ReminderTimes), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_reminder_times(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReminderTimesRequest>,
) -> ApiResult<Json<ReminderTimes>> {
    mail_prefs::set_centre_reminder_times(
        &state,
        &caller,
        &id,
        &body.first_hours.to_string(),
        &body.second_hours.to_string(),
        body.version,
    )
    .await?;
    get_reminder_times(State(state), caller, Path(id)).await
}
