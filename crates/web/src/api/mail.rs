//! API: the e-mail outbox (issue 17, decision 0044). Administrators read every message, newest
//! first a page at a time; those who manage a case read its messages, failed ones among them.
//! Neither shows an address: the person a message is to is named by their id.

use super::paging::{links, query_params};
use super::{ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use familytime_app::mail::outbox::{self, OutboxItem};
use serde::Serialize;
use utoipa::ToSchema;

/// One message in the outbox.
#[derive(Serialize, ToSchema)]
pub struct OutboxMessageView {
    pub id: String,
    /// booking_confirmed, booking_moved, booking_cancelled, reminder_48h, reminder_24h, test,
    /// referral_received, referral_accepted, referral_declined, session_missed, session_stopped,
    /// report_released or self_referral_received
    pub kind: String,
    pub subject: String,
    /// The id of the person it is to (a case's adult, or an account).
    pub recipient_id: Option<String>,
    /// queued, sending, sent or failed
    pub state: String,
    pub attempts: i64,
    /// Why the last attempt did not send it (no address: the server's words are not kept).
    pub last_error: Option<String>,
    /// What the mail server answered when it accepted it.
    pub server_reply: Option<String>,
    pub booking_id: Option<String>,
    pub case_id: Option<String>,
    /// Whether a calendar invitation (.ics) is attached.
    pub has_calendar: bool,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// When it must be sent by, for a notice with a deadline (the referrer's notice of a missed or
    /// stopped session: 10:00 the next working day).
    pub due_by: Option<String>,
}

fn view(m: &OutboxItem) -> OutboxMessageView {
    OutboxMessageView {
        id: m.id.clone(),
        kind: m.kind.into(),
        subject: m.subject.clone(),
        recipient_id: m.recipient.clone(),
        state: m.state.clone(),
        attempts: m.attempts,
        last_error: m.last_error.clone(),
        server_reply: m.server_reply.clone(),
        booking_id: m.booking_id.clone(),
        case_id: m.case_id.clone(),
        has_calendar: m.has_calendar,
        created_at: m.created_at.to_string(),
        sent_at: m.sent_at.map(|t| t.to_string()),
        due_by: m.due_by.map(|t| t.to_string()),
    }
}

/// The organisation's outbox, newest first, 50 at a time (the `Link` header gives the next and
/// previous pages): `?state=` queued, sending, sent or failed. Administrators only.
#[utoipa::path(get, path = "/api/v1/outbox", operation_id = "list_outbox", tag = "mail",
    params(("state" = Option<String>, Query, description = "queued, sending, sent or failed"),
           ("after" = Option<String>, Query, description = "Read the page after this message (from the `Link` header's rel=\"next\")"),
           ("before" = Option<String>, Query, description = "Read the page before this message (from the `Link` header's rel=\"prev\")")),
    responses((status = 200, body = [OutboxMessageView], headers(("Link" = String, description = "The pages either side, when there are any (RFC 8288). A page holds 50 items."))),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_outbox(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<(HeaderMap, Json<Vec<OutboxMessageView>>)> {
    let params = query_params(query.as_deref(), &["state"])?;
    let get = |name: &str| params.get(name).map(String::as_str);
    let request = familytime_app::paging::page_request(get("after"), get("before"))?;
    let page = outbox::outbox(&state, &caller, get("state"), &request).await?;
    let links = links("/api/v1/outbox", &params, &page, |m| m.id.clone());
    Ok((links, Json(page.items.iter().map(view).collect())))
}

/// A case's messages, newest first (the latest 200), failed ones among them: for those who manage
/// the case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/messages", operation_id = "list_case_messages", tag = "mail",
    params(("id" = String, Path)),
    responses((status = 200, body = [OutboxMessageView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn case_messages(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<OutboxMessageView>>> {
    let messages = outbox::case_messages(&state, &caller, &id).await?;
    Ok(Json(messages.iter().map(view).collect()))
}
