//! API: safeguarding concerns. Anyone on duty raises one; the lead, coordinators and administrators
//! read them; the safeguarding lead decides (with the version read, so a stale decision is refused).

use super::paging::{links, query_params};
use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use familytime_app::incidents::{self, RaiseInput};
use familytime_domain::authz::Action;
use familytime_domain::incidents::{ConcernInput, DecisionInput};
use familytime_store::incidents::Concern;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConcernRequest {
    /// The session it happened at (its case and centre follow from it)…
    pub booking_id: Option<String>,
    /// …or the case it is about…
    pub case_id: Option<String>,
    /// …or, for a concern tied to neither, the centre.
    pub centre_id: Option<String>,
    /// concern, disclosure, allegation, incident or staff_incident
    pub kind: String,
    /// Who the concern is about (usually the child).
    pub about: String,
    /// The exact words used, or what was seen.
    pub exact_words: String,
    /// When it happened: the centre's local date (YYYY-MM-DD) and time (HH:MM); not in the future.
    pub date: String,
    pub time: String,
    /// What was done straight away.
    pub action_taken: String,
    /// Whether the child's parents or carers were told.
    pub carers_told: Option<bool>,
    /// Required when they were not told.
    #[serde(default)]
    pub carers_not_told_reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConcernCreated {
    pub id: String,
    /// Whether the case's risk should now be assessed again (incidents, allegations, disclosures).
    pub prompts_risk_reassessment: bool,
}

/// Raises a safeguarding concern (anyone on duty, volunteers too). Nothing is written unless every
/// field is acceptable.
#[utoipa::path(post, path = "/api/v1/concerns", operation_id = "raise_concern", tag = "safeguarding", request_body = ConcernRequest,
    responses((status = 201, body = ConcernCreated), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn raise(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ConcernRequest>,
) -> ApiResult<(StatusCode, Json<ConcernCreated>)> {
    let input = RaiseInput {
        booking_id: body.booking_id.unwrap_or_default(),
        case_id: body.case_id.unwrap_or_default(),
        centre_id: body.centre_id.unwrap_or_default(),
        date: body.date,
        time: body.time,
        concern: ConcernInput {
            kind: body.kind,
            about: body.about,
            exact_words: body.exact_words,
            action_taken: body.action_taken,
            carers_told: body.carers_told,
            carers_not_told_reason: body.carers_not_told_reason,
        },
    };
    let raised = incidents::raise(&state, &caller, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ConcernCreated {
            id: raised.id,
            prompts_risk_reassessment: raised.prompts_reassessment,
        }),
    ))
}

/// A concern as listed.
#[derive(Serialize, ToSchema)]
pub struct ConcernSummaryView {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub centre_id: String,
    pub case_id: Option<String>,
    pub case_reference: Option<String>,
    pub booking_id: Option<String>,
    pub about: String,
    pub occurred_at: String,
    pub raised_at: String,
    pub version: i64,
}

fn summary_view(c: &Concern) -> ConcernSummaryView {
    ConcernSummaryView {
        id: c.id.clone(),
        kind: c.kind.as_str().into(),
        status: c.status.as_str().into(),
        centre_id: c.centre_id.to_string(),
        case_id: c.case_id.map(|x| x.to_string()),
        case_reference: c.case_reference.clone(),
        booking_id: c.booking_id.map(|x| x.to_string()),
        about: c.about.clone(),
        occurred_at: c.occurred_at.to_string(),
        raised_at: c.raised_at.to_string(),
        version: c.version,
    }
}

/// The concerns at your centres, newest first, a page of 50 at a time: the `Link` header gives the
/// next and previous pages (the read is audited). `?status=` (open or closed) and `?centre=` filter.
/// An unknown query parameter, or a cursor this server did not give, is refused.
#[utoipa::path(get, path = "/api/v1/concerns", operation_id = "list_concerns", tag = "safeguarding",
    params(("status" = Option<String>, Query, description = "open or closed"), ("centre" = Option<String>, Query),
           ("after" = Option<String>, Query, description = "Read the page after this concern (from the `Link` header's rel=\"next\")"),
           ("before" = Option<String>, Query, description = "Read the page before this concern (from the `Link` header's rel=\"prev\")")),
    responses((status = 200, body = [ConcernSummaryView], headers(("Link" = String, description = "The pages either side, when there are any: `<URL>; rel=\"next\"` and `<URL>; rel=\"prev\"` (RFC 8288). Follow the URL as given: it keeps the filters and carries the cursor. A page holds 50 items."))),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<(HeaderMap, Json<Vec<ConcernSummaryView>>)> {
    let params = query_params(query.as_deref(), &["status", "centre"])?;
    let get = |name: &str| params.get(name).map(String::as_str);
    let concerns = incidents::page(
        &state,
        &caller,
        get("status"),
        get("centre"),
        get("after"),
        get("before"),
    )
    .await?;
    let links = links("/api/v1/concerns", &params, &concerns, |c| c.id.clone());
    Ok((links, Json(concerns.items.iter().map(summary_view).collect())))
}

/// A concern in full, with the lead's decision.
#[derive(Serialize, ToSchema)]
pub struct ConcernView {
    #[serde(flatten)]
    pub summary: ConcernSummaryView,
    pub exact_words: String,
    pub action_taken: String,
    pub carers_told: bool,
    pub carers_not_told_reason: Option<String>,
    pub raised_by: String,
    pub decision: Option<String>,
    /// none, childrens_social_care, police, lado or mash
    pub referred_to: Option<String>,
    pub agency_reference: Option<String>,
    pub agency_contact: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// Every decision recorded, oldest first (the fields above repeat the latest).
    pub decisions: Vec<DecisionView>,
}

/// One decision on a concern, as recorded.
#[derive(Serialize, ToSchema)]
pub struct DecisionView {
    pub decision: String,
    pub referred_to: String,
    pub agency_reference: Option<String>,
    pub agency_contact: Option<String>,
    /// Whether this decision closed the concern.
    pub closed: bool,
    pub decided_by: Option<String>,
    pub decided_at: String,
}

fn full_view(c: &Concern, decisions: &[familytime_store::incidents::DecisionRecord]) -> ConcernView {
    ConcernView {
        summary: summary_view(c),
        exact_words: c.exact_words.clone(),
        action_taken: c.action_taken.clone(),
        carers_told: c.carers_told,
        carers_not_told_reason: c.carers_not_told_reason.clone(),
        raised_by: c.raised_by_name.clone(),
        decision: c.decision.clone(),
        referred_to: c.referred_to.map(|a| a.as_str().into()),
        agency_reference: c.agency_reference.clone(),
        agency_contact: c.agency_contact.clone(),
        decided_by: c.decided_by_name.clone(),
        decided_at: c.decided_at.map(|t| t.to_string()),
        decisions: decisions
            .iter()
            .map(|d| DecisionView {
                decision: d.decision.clone(),
                referred_to: d.referred_to.clone(),
                agency_reference: d.agency_reference.clone(),
                agency_contact: d.agency_contact.clone(),
                closed: d.closed,
                decided_by: d.decided_by_name.clone(),
                decided_at: familytime_store::schedule::ts_of(d.decided_at).to_string(),
            })
            .collect(),
    }
}

/// One concern (every read is audited).
#[utoipa::path(get, path = "/api/v1/concerns/{id}", operation_id = "get_concern", tag = "safeguarding", params(("id" = String, Path)),
    responses((status = 200, body = ConcernView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ConcernView>> {
    let concern = incidents::get(&state, &caller, &id, Action::ViewConcerns).await?;
    let decisions = incidents::decisions(&state, &caller, &concern).await?;
    Ok(Json(full_view(&concern, &decisions)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// The decision and the reasons for it.
    pub decision: String,
    /// none, childrens_social_care, police, lado or mash
    pub referred_to: String,
    /// Required when referred: the agency's reference number…
    #[serde(default)]
    pub agency_reference: String,
    /// …and the name of the person contacted there.
    #[serde(default)]
    pub agency_contact: String,
    /// Close the concern with this decision (it then leaves the lead's list of open concerns).
    #[serde(default)]
    pub close: bool,
    /// The concern's version as you read it.
    pub version: i64,
}

/// Records the safeguarding lead's decision. A stale version (409) or bad input (422) changes nothing.
#[utoipa::path(post, path = "/api/v1/concerns/{id}/decision", operation_id = "decide_concern", tag = "safeguarding", params(("id" = String, Path)), request_body = DecisionRequest,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionRequest>,
) -> ApiResult<StatusCode> {
    let input = DecisionInput {
        decision: body.decision,
        referred_to: body.referred_to,
        agency_reference: body.agency_reference,
        agency_contact: body.agency_contact,
        close: body.close,
    };
    incidents::decide(&state, &caller, &id, &input, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}
