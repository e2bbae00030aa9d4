//! API: iCalendar feeds: making and revoking a feed address, and the feed behind it (no sign-in;
//! the address is the key).

use crate::api::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use familytime_app::schedule;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A calendar feed for a staff member (user_id) or an adult of a case (case_id and party_id).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedBody {
    #[serde(deserialize_with = "crate::api::present")]
    #[schema(required = true)]
    pub user_id: Option<String>,
    #[serde(deserialize_with = "crate::api::present")]
    #[schema(required = true)]
    pub case_id: Option<String>,
    #[serde(deserialize_with = "crate::api::present")]
    #[schema(required = true)]
    pub party_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedCreated {
    /// The feed's absolute address (from the server's configured public address), shown once:
    /// keep it private; revoke it if it leaks.
    pub url: String,
    /// The same address as a `webcal://` link, which calendar apps open as a subscription.
    pub webcal_url: String,
}

/// Makes an iCalendar feed address (unguessable, revocable).
#[utoipa::path(post, path = "/api/v1/calendar-feeds", operation_id = "create_calendar_feed", tag = "schedule", request_body = FeedBody,
    responses((status = 201, body = FeedCreated), (status = 422, body = ErrorBody)))]
pub async fn create_feed(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<FeedBody>,
) -> ApiResult<(StatusCode, Json<FeedCreated>)> {
    let party = match (&b.case_id, &b.party_id) {
        (Some(c), Some(p)) => Some((c.as_str(), p.as_str())),
        _ => None,
    };
    let address = schedule::create_feed(&state, &caller, b.user_id.as_deref(), party).await?;
    Ok((
        StatusCode::CREATED,
        Json(FeedCreated {
            url: address.url,
            webcal_url: address.webcal,
        }),
    ))
}

/// Revokes a calendar feed.
#[utoipa::path(delete, path = "/api/v1/calendar-feeds/{id}", operation_id = "revoke_calendar_feed", tag = "schedule", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_feed(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    schedule::revoke_feed(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The iCalendar feed behind an unguessable address (no sign-in; the address is the key).
pub async fn feed(State(state): State<AppState>, caller: Caller, Path(token): Path<String>) -> Response {
    match schedule::feed(&state, &caller, &token).await {
        Ok(text) => ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], text).into_response(),
        Err(e) => crate::middleware::respond(false, e),
    }
}
