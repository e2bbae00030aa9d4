//! API: ending or suspending a service (notices, the letters as PDF, letters recorded as sent or
//! printed) and review meetings, with the case's funded hours and whether a review is due.

use super::reports::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::reviews::{self, CaseFacts, NoticeInput, ReviewForm};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Cafcass-funded hours used against the allowance.
#[derive(Serialize, ToSchema)]
pub struct FundedHoursView {
    pub used_minutes: i64,
    pub allowance_minutes: i64,
    /// For example "8 of 12 funded hours used".
    pub text: String,
    /// Whether the whole allowance is used.
    pub reached: bool,
}

/// The funded hours of a case (null unless the case came from Cafcass).
pub fn funded_view(facts: &CaseFacts) -> Option<FundedHoursView> {
    facts.funded.map(|f| FundedHoursView {
        used_minutes: f.used_minutes,
        allowance_minutes: f.allowance_minutes,
        text: f.describe(),
        reached: f.reached(),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeBody {
    /// ended or suspended
    pub kind: String,
    pub reason: String,
    /// The date it takes effect, like 2026-12-01.
    pub effective_on: String,
}

/// Ends or suspends the case's service. Ending it closes an accepted, active or under-review case
/// with the outcome `service_ended` and cancels its contact sessions still to come by the centre
/// (no forfeit); suspending puts them on hold (see `coming_bookings`). Either way no new contact
/// can be booked.
#[utoipa::path(post, path = "/api/v1/cases/{id}/notices", operation_id = "issue_notice", tag = "reviews", params(("id" = String, Path)),
    request_body = NoticeBody, responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue_notice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NoticeBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let input = NoticeInput {
        kind: b.kind,
        reason: b.reason,
        effective_on: b.effective_on,
    };
    let id = reviews::issue_notice(&state, &caller, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize, ToSchema)]
pub struct LetterView {
    /// resident, visiting or referrer
    pub recipient: String,
    /// post, email, by_hand or printed
    pub delivery: String,
    pub sent_by: String,
    pub sent_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct NoticeView {
    pub id: String,
    /// ended or suspended
    pub kind: String,
    pub reason: String,
    pub effective_on: String,
    pub issued_by: String,
    pub issued_at: String,
    /// The letters recorded as sent or printed.
    pub letters: Vec<LetterView>,
}

#[derive(Serialize, ToSchema)]
pub struct ComingBookingView {
    pub id: String,
    pub kind: String,
    pub starts_at: String,
    pub status: String,
    /// On hold since the service was suspended: cancel it (by the centre) or keep it held.
    pub held: bool,
}

#[derive(Serialize, ToSchema)]
pub struct NoticesView {
    pub notices: Vec<NoticeView>,
    /// Bookings still to come (provisional or confirmed): cancel each through its status.
    pub coming_bookings: Vec<ComingBookingView>,
    /// running, suspended or ended
    pub service_state: String,
}

/// The case's notices with their letters, and its bookings still to come. The read is audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}/notices", operation_id = "list_notices", tag = "reviews", params(("id" = String, Path)),
    responses((status = 200, body = NoticesView), (status = 404, body = ErrorBody)))]
pub async fn notices(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<NoticesView>> {
    let v = reviews::service(&state, &caller, &id).await?;
    Ok(Json(NoticesView {
        notices: v
            .notices
            .iter()
            .map(|n| NoticeView {
                id: n.notice.id.clone(),
                kind: n.notice.kind.as_str().into(),
                reason: n.notice.reason.clone(),
                effective_on: n.notice.effective_on.to_string(),
                issued_by: n.notice.issued_by_name.clone(),
                issued_at: n.notice.issued_at.to_string(),
                letters: n
                    .letters
                    .iter()
                    .map(|l| LetterView {
                        recipient: l.recipient.as_str().into(),
                        delivery: l.delivery.as_str().into(),
                        sent_by: l.sent_by_name.clone(),
                        sent_at: l.sent_at.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        coming_bookings: v
            .coming
            .iter()
            .map(|b| ComingBookingView {
                id: b.id.clone(),
                kind: b.kind.clone(),
                starts_at: familytime_store::schedule::ts_of(b.starts_at).to_string(),
                status: b.status.clone(),
                held: b.held_since.is_some(),
            })
            .collect(),
        service_state: v.service_state.as_str().into(),
    }))
}

/// Resumes a suspended service: contact can be booked again and the sessions on hold are live
/// again. 409 when the service is not suspended.
#[utoipa::path(post, path = "/api/v1/cases/{id}/service/resume", operation_id = "resume_service", tag = "reviews", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resume_service(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    reviews::resume_service(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A notice's letter to one recipient (resident, visiting or referrer) as a PDF. Downloads are audited.
#[utoipa::path(get, path = "/api/v1/notices/{id}/letters/{recipient}", operation_id = "get_notice_letter", tag = "reviews",
    params(("id" = String, Path), ("recipient" = String, Path, description = "resident, visiting or referrer")),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn letter(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, recipient)): Path<(String, String)>,
) -> ApiResult<axum::response::Response> {
    let (bytes, name) = reviews::letter_pdf(&state, &caller, &id, &recipient).await?;
    Ok(crate::pages::reports::pdf_response(bytes, &name))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterBody {
    /// resident, visiting or referrer
    pub recipient: String,
    /// post, email, by_hand or printed
    pub delivery: String,
}

/// Records that a notice's letter was sent or printed.
#[utoipa::path(post, path = "/api/v1/notices/{id}/letters", operation_id = "record_letter", tag = "reviews", params(("id" = String, Path)),
    request_body = LetterBody, responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_letter(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<LetterBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = reviews::record_letter(&state, &caller, &id, &b.recipient, &b.delivery).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    pub id: String,
    pub held_on: String,
    pub attendees: String,
    pub resident_view: String,
    pub visiting_view: String,
    pub child_view: Option<String>,
    /// continue, step_down_supported, step_down_handover, step_up_supervised, self_arranged or end
    pub outcome: String,
    pub risk_notes: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewsView {
    pub reviews: Vec<ReviewView>,
    /// Cafcass-funded hours used (null unless the case came from Cafcass).
    pub funded_hours: Option<FundedHoursView>,
    /// When a review is due: the start of the first contact session, about three months ago.
    pub review_due_since: Option<String>,
}

/// The case's review meetings, its funded hours and whether a review is due. The read is audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}/reviews", operation_id = "list_reviews", tag = "reviews", params(("id" = String, Path)),
    responses((status = 200, body = ReviewsView), (status = 404, body = ErrorBody)))]
pub async fn list_reviews(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ReviewsView>> {
    let v = reviews::service(&state, &caller, &id).await?;
    Ok(Json(ReviewsView {
        reviews: v
            .reviews
            .iter()
            .map(|r| ReviewView {
                id: r.id.clone(),
                held_on: r.review.held_on.to_string(),
                attendees: r.review.attendees.clone(),
                resident_view: r.review.resident_view.clone(),
                visiting_view: r.review.visiting_view.clone(),
                child_view: r.review.child_view.clone(),
                outcome: r.review.outcome.as_str().into(),
                risk_notes: r.review.risk_notes.clone(),
                recorded_by: r.recorded_by_name.clone(),
                recorded_at: r.recorded_at.to_string(),
            })
            .collect(),
        funded_hours: funded_view(&v.facts),
        review_due_since: v.facts.review_due.map(|t| t.to_string()),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// The date it was held, like 2026-11-25 (not in the future).
    pub held_on: String,
    pub attendees: String,
    pub resident_view: String,
    pub visiting_view: String,
    #[serde(default)]
    pub child_view: Option<String>,
    /// continue, step_down_supported, step_down_handover, step_up_supervised, self_arranged or end
    pub outcome: String,
    /// The risk reassessment.
    pub risk_notes: String,
}

/// Records a review meeting: each party's view separately, the outcome and the risk reassessment.
#[utoipa::path(post, path = "/api/v1/cases/{id}/reviews", operation_id = "record_review", tag = "reviews", params(("id" = String, Path)),
    request_body = ReviewBody, responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReviewBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let form = ReviewForm {
        held_on: b.held_on,
        attendees: b.attendees,
        resident_view: b.resident_view,
        visiting_view: b.visiting_view,
        child_view: b.child_view.unwrap_or_default(),
        outcome: b.outcome,
        risk_notes: b.risk_notes,
    };
    let id = reviews::record_review(&state, &caller, &id, &form).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
