//! API: signing in and out, who am I, personal API tokens.

use super::{ApiJson, ApiResult, ErrorBody};
use crate::cookies::{SESSION_COOKIE, cookie, set_cookie};
use crate::devices::device_cookie;
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use familytime_app::accounts::{self, SignInStep};
use familytime_app::devices::DEVICE_COOKIE;
use familytime_app::{AppError, two_factor};
use familytime_domain::text::FieldErrors;
use familytime_store::people::User;
use familytime_store::two_factor::PendingStep;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The current code from the person's authenticator app (or a recovery code), when their
    /// account has two-factor sign-in (decision 0052).
    #[serde(default)]
    pub code: Option<String>,
}

/// A person's account as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    /// organisation_admin, coordinator, supervisor, volunteer, safeguarding_lead, referrer or parent.
    pub role: String,
    pub disabled: bool,
    /// The centres the person works at; empty means all.
    pub centre_ids: Vec<String>,
    /// Send this back when changing the account: a stale version is refused.
    pub version: i64,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id.to_string(),
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.as_str().into(),
            disabled: u.disabled,
            centre_ids: u.centres.iter().map(ToString::to_string).collect(),
            version: u.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationView {
    pub id: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    pub organisation: OrganisationView,
}

async fn me_of(state: &AppState, user: &User) -> ApiResult<Me> {
    let org = state.store.organisation(user.organisation_id).await?;
    Ok(Me {
        user: user.into(),
        organisation: OrganisationView {
            id: org.id.to_string(),
            name: org.name,
        },
    })
}

/// Signs in and sets the session cookie. Wrong password and unknown account get the same answer.
#[utoipa::path(post, path = "/api/v1/login", operation_id = "login", tag = "accounts", security(()), request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let device = cookie(&headers, DEVICE_COOKIE);
    let (signed_in, device_cookie_value) =
        match accounts::sign_in(&state, &caller, &body.email, &body.password, device).await? {
            SignInStep::Done(signed_in) => {
                let device = signed_in.device_cookie.clone();
                (signed_in, device)
            }
            // With two-factor sign-in the code comes in the same request; enrolment happens in the
            // browser only (it shows a QR code and the recovery codes).
            SignInStep::SecondStep {
                pending,
                step: PendingStep::Code,
                device_cookie,
            } => {
                let Some(code) = body.code.as_deref() else {
                    return Err(AppError::Invalid(FieldErrors::single(
                        "code",
                        "Enter the 6-digit code from your authenticator app",
                    ))
                    .into());
                };
                let signed_in = two_factor::sign_in_with_code(&state, &caller, &pending, code).await?;
                (signed_in, Some(device_cookie))
            }
            SignInStep::SecondStep {
                step: PendingStep::Enrol,
                ..
            } => {
                return Err(AppError::Conflict(
                    "Your organisation requires two-factor sign-in: sign in with a browser to set it up first".into(),
                )
                .into());
            }
        };
    let me = me_of(&state, &signed_in.user).await?;
    let session = set_cookie(
        &state,
        SESSION_COOKIE,
        &signed_in.token,
        state.config.session_policy.absolute.as_secs(),
    );
    let mut response = ([(header::SET_COOKIE, session)], Json(me)).into_response();
    if let Some(device) = &device_cookie_value {
        response
            .headers_mut()
            .append(header::SET_COOKIE, device_cookie(&state, device));
    }
    Ok(response)
}

/// Ends the current session.
#[utoipa::path(post, path = "/api/v1/logout", operation_id = "logout", tag = "accounts", responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    accounts::sign_out(&state, &caller).await?;
    Ok((
        [(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", 0))],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

/// The signed-in person and their organisation.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "get_me", tag = "accounts", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Me>> {
    Ok(Json(me_of(&state, caller.user()?).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for.
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    pub id: String,
    pub name: String,
    /// The secret: shown this once, never again.
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// Your unrevoked API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", operation_id = "list_tokens", tag = "accounts", responses((status = 200, body = [TokenView]), (status = 401, body = ErrorBody)))]
pub async fn list_tokens(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<TokenView>>> {
    let tokens = accounts::list_api_tokens(&state, &caller).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|t| TokenView {
                id: t.id.to_string(),
                name: t.name,
                created_at: t.created_at.to_string(),
                last_used_at: t.last_used_at.map(|t| t.to_string()),
            })
            .collect(),
    ))
}

/// Makes a personal API token.
#[utoipa::path(post, path = "/api/v1/tokens", operation_id = "create_token", tag = "accounts", request_body = TokenRequest,
    responses((status = 201, body = TokenCreated), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<TokenRequest>,
) -> ApiResult<Response> {
    let (id, token) = accounts::create_api_token(&state, &caller, &body.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenCreated {
            id: id.to_string(),
            name: body.name.trim().to_owned(),
            token,
        }),
    )
        .into_response())
}

/// Revokes one of your API tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", operation_id = "revoke_token", tag = "accounts", params(("id" = String, Path, description = "The token's id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    accounts::revoke_api_token(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
