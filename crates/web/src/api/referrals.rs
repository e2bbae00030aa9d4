//! API: referrals (sent by referrers and staff; followed by referrers) and case files (staff).

use super::paging::{links, query_params};
use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use familytime_app::referrals::{self, AssessmentInput, CaseView, TransitionInput};
use familytime_domain::intake::ReferralInput;
use familytime_store::referrals::CaseSummary;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A referral as sent: the centre, and the referral itself (see the fields' descriptions).
#[derive(ToSchema)]
pub struct ReferralRequest {
    pub centre_id: String,
    /// source (cafcass, court, solicitor, social_worker, mediator, other_centre, self_referral, other),
    /// referrer_name, referrer_organisation, children [{name, date_of_birth (YYYY-MM-DD), needs,
    /// contacts}], adults [{role (resident, visiting, other_adult), name, relationship,
    /// parental_responsibility (true, false, or null or left out for not known), may_attend,
    /// language, interpreter, accessibility_needs, availability,
    /// contacts [{kind (address, phone, email, school), value, hidden_from: [positions in adults]}]}],
    /// court_orders [{kind, made_on, court, terms, sessions, reports_ordered, report_recipients}],
    /// child_lives_with, risk_background, consent_to_share, orders_described (court orders as the
    /// family described them, before the centre has seen a copy), service_asked (a service, if the
    /// family asked for one).
    #[schema(value_type = Object)]
    pub referral: ReferralInput,
}

/// The centre beside the referral's own fields, each struct refusing fields it does not know
/// (serde's `flatten` cannot be combined with `deny_unknown_fields`, so the centre is taken out by hand).
impl<'de> Deserialize<'de> for ReferralRequest {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let centre_id = match map.remove("centre_id") {
            Some(serde_json::Value::String(c)) => c,
            Some(_) => {
                return Err(D::Error::invalid_type(
                    serde::de::Unexpected::Other("a non-string"),
                    &"centre_id as a string",
                ));
            }
            None => return Err(D::Error::missing_field("centre_id")),
        };
        let referral = ReferralInput::deserialize(serde_json::Value::Object(map)).map_err(D::Error::custom)?;
        Ok(ReferralRequest { centre_id, referral })
    }
}

/// A referral or case as listed.
#[derive(Serialize, ToSchema)]
pub struct CaseSummaryView {
    pub id: String,
    pub reference: String,
    pub centre_id: String,
    pub source: String,
    pub status: String,
    pub status_label: String,
    pub service: Option<String>,
    pub received_at: String,
    pub status_since: String,
    /// Days since the referral was received (the wait, on the waiting list).
    pub days_waiting: i64,
    pub children: Vec<String>,
    /// Send this back when changing the case.
    pub version: i64,
}

fn summary_view(state: &AppState, c: &CaseSummary) -> CaseSummaryView {
    CaseSummaryView {
        id: c.id.to_string(),
        reference: c.reference.clone(),
        centre_id: c.centre_id.to_string(),
        source: c.source.as_str().into(),
        status: c.status.as_str().into(),
        status_label: c.status.label().into(),
        service: c.service.map(|s| s.as_str().into()),
        received_at: c.received_at.to_string(),
        status_since: c.status_since.to_string(),
        days_waiting: state.clock.now().duration_since(c.received_at).as_hours() / 24,
        children: c.children.clone(),
        version: c.version,
    }
}

/// Sends a referral. A referrer follows it under GET /api/v1/referrals.
#[utoipa::path(post, path = "/api/v1/referrals", operation_id = "submit_referral", tag = "referrals", request_body = ReferralRequest,
    responses((status = 201, body = CaseSummaryView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ReferralRequest>,
) -> ApiResult<(StatusCode, Json<CaseSummaryView>)> {
    let summary = referrals::submit(&state, &caller, &body.centre_id, &body.referral).await?;
    Ok((StatusCode::CREATED, Json(summary_view(&state, &summary))))
}

/// The referrals you made, and where each stands.
#[utoipa::path(get, path = "/api/v1/referrals", operation_id = "list_own_referrals", tag = "referrals", responses((status = 200, body = [CaseSummaryView]), (status = 403, body = ErrorBody)))]
pub async fn own(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<CaseSummaryView>>> {
    let list = referrals::own_referrals(&state, &caller).await?;
    Ok(Json(list.iter().map(|c| summary_view(&state, c)).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct ReferralStatusView {
    pub referral: CaseSummaryView,
    /// Each status the referral has had, with when (not the reasons: those are in the case file).
    pub history: Vec<StatusEntry>,
}

#[derive(Serialize, ToSchema)]
pub struct StatusEntry {
    pub status: String,
    pub at: String,
}

/// Where one of your referrals stands.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", operation_id = "get_own_referral", tag = "referrals", params(("id" = String, Path)),
    responses((status = 200, body = ReferralStatusView), (status = 404, body = ErrorBody)))]
pub async fn own_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ReferralStatusView>> {
    let r = referrals::own_referral(&state, &caller, &id).await?;
    let history = r
        .history
        .iter()
        .map(|(s, at)| StatusEntry {
            status: s.as_str().into(),
            at: at.to_string(),
        })
        .collect();
    Ok(Json(ReferralStatusView {
        referral: summary_view(&state, &r.summary),
        history,
    }))
}

/// The cases at your centres, newest first (the waiting list: longest wait first), a page of 50 at
/// a time: the `Link` header gives the next and previous pages. `?status=` and `?centre=` filter;
/// `?q=` searches references and children's names. An unknown query parameter, or a cursor
/// (`after`, `before`) this server did not give, is refused.
#[utoipa::path(get, path = "/api/v1/cases", operation_id = "list_cases", tag = "referrals",
    params(("status" = Option<String>, Query), ("q" = Option<String>, Query), ("centre" = Option<String>, Query),
           ("after" = Option<String>, Query, description = "Read the page after this case (from the `Link` header's rel=\"next\")"),
           ("before" = Option<String>, Query, description = "Read the page before this case (from the `Link` header's rel=\"prev\")")),
    responses((status = 200, body = [CaseSummaryView], headers(("Link" = String, description = "The pages either side, when there are any: `<URL>; rel=\"next\"` and `<URL>; rel=\"prev\"` (RFC 8288). Follow the URL as given: it keeps the filters and carries the cursor. A page holds 50 items."))),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<(HeaderMap, Json<Vec<CaseSummaryView>>)> {
    let params = query_params(query.as_deref(), &["status", "q", "centre"])?;
    let get = |name: &str| params.get(name).map(String::as_str);
    let filter = referrals::CaseFilter {
        status: get("status"),
        search: get("q"),
        centre: get("centre"),
        after: get("after"),
        before: get("before"),
    };
    let cases = referrals::list_cases(&state, &caller, filter).await?;
    let links = links("/api/v1/cases", &params, &cases, |c| c.id.to_string());
    Ok((
        links,
        Json(cases.items.iter().map(|c| summary_view(&state, c)).collect()),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CaseFileView {
    pub case: CaseSummaryView,
    pub referrer_name: Option<String>,
    pub referrer_organisation: Option<String>,
    pub outcome: Option<String>,
    pub missing: Option<String>,
    pub child_lives_with: Option<String>,
    pub risk_background: Option<String>,
    pub consent_to_share: bool,
    /// Court orders as the family described them (the centre has not yet seen a copy).
    pub orders_described: Option<String>,
    /// The service the family asked for, if they said.
    pub service_asked: Option<String>,
    pub children: Vec<ChildView>,
    pub adults: Vec<AdultView>,
    /// Contact details; `value` is null where it is hidden from you, and `withheld` says why.
    pub contacts: Vec<ContactView>,
    pub court_orders: Vec<CourtOrderView>,
    pub history: Vec<StatusChangeView>,
    pub risk_assessments: Vec<RiskAssessmentView>,
    pub pre_visits: Vec<PreVisitView>,
    /// What must happen before sessions can be booked (empty: ready to book).
    pub still_needed: Vec<String>,
    /// When an incident was raised that no risk assessment has followed yet (null: none due).
    pub risk_reassessment_due: Option<String>,
    /// Cafcass-funded hours used against the allowance (null unless the case came from Cafcass).
    pub funded_hours: Option<super::reviews::FundedHoursView>,
    /// When a review is due: the start of the first contact session, about three months ago (null: not due).
    pub review_due_since: Option<String>,
    /// The family's usual workers (user ids) and that list's version, sent back when changing it.
    pub workers: Vec<String>,
    pub workers_version: i64,
}

/// A child on a case.
#[derive(Serialize, ToSchema)]
pub struct ChildView {
    pub id: String,
    pub name: String,
    /// YYYY-MM-DD
    pub date_of_birth: String,
    pub needs: Option<String>,
}

/// An adult on a case.
#[derive(Serialize, ToSchema)]
pub struct AdultView {
    pub id: String,
    /// resident, visiting or other_adult
    pub role: String,
    pub name: String,
    pub relationship: Option<String>,
    /// null: not known.
    pub parental_responsibility: Option<bool>,
    pub may_attend: bool,
    pub language: Option<String>,
    pub interpreter: bool,
    pub accessibility_needs: Option<String>,
    pub availability: Option<String>,
    /// The parent account linked to this adult (null: none).
    pub account: Option<String>,
    /// The link's version, sent back when changing it.
    pub account_version: i64,
}

/// A contact detail on a case.
#[derive(Serialize, ToSchema)]
pub struct ContactView {
    pub owner: String,
    /// address, phone, email or school
    pub kind: String,
    /// null where it is hidden from you.
    pub value: Option<String>,
    /// Why it is hidden: `reason_needed` (give a reason with POST /api/v1/cases/{id}/break-glass
    /// to see it for an hour) or `never`.
    pub withheld: Option<String>,
    /// The adults it is hidden from (names).
    pub hidden_from: Vec<String>,
}

/// A court order on a case.
#[derive(Serialize, ToSchema)]
pub struct CourtOrderView {
    pub kind: String,
    pub made_on: String,
    pub court: Option<String>,
    pub terms: Option<String>,
    pub sessions: Option<i32>,
    pub reports_ordered: bool,
    pub report_recipients: Option<String>,
}

/// One move of a case's status.
#[derive(Serialize, ToSchema)]
pub struct StatusChangeView {
    pub from: Option<String>,
    pub to: String,
    pub reason: String,
    /// The account that made the change (null: the system).
    pub by: Option<String>,
    /// RFC 3339, UTC.
    pub at: String,
}

/// A risk assessment on a case.
#[derive(Serialize, ToSchema)]
pub struct RiskAssessmentView {
    pub concerns: Vec<String>,
    pub notes: Option<String>,
    pub suggestion: String,
    pub decision: String,
    pub decision_reason: String,
    pub by: String,
    /// RFC 3339, UTC.
    pub at: String,
}

/// An adult's pre-visit: when (UTC), its booking (null for one booked before pre-visits were
/// bookings), status, whether the ground rules were agreed.
#[derive(Serialize, ToSchema)]
pub struct PreVisitView {
    pub id: String,
    pub party_id: String,
    pub adult: String,
    pub role: String,
    pub booking_id: Option<String>,
    pub at: String,
    pub status: String,
    pub rules_agreed: bool,
    pub checklist: Vec<String>,
    pub notes: Option<String>,
    pub version: i64,
}

fn file_view(state: &AppState, v: &CaseView, pre: &referrals::PreVisitsView) -> CaseFileView {
    let f = &v.file;
    CaseFileView {
        case: summary_view(state, &f.summary),
        referrer_name: f.referrer_name.clone(),
        referrer_organisation: f.referrer_organisation.clone(),
        outcome: f.outcome.map(|o| o.as_str().into()),
        missing: f.missing.clone(),
        child_lives_with: f.child_lives_with.clone(),
        risk_background: f.risk_background.clone(),
        consent_to_share: f.consent_to_share,
        orders_described: f.orders_described.clone(),
        service_asked: f.service_asked.map(|s| s.as_str().into()),
        children: f
            .children
            .iter()
            .map(|c| ChildView {
                id: c.id.to_string(),
                name: c.name.clone(),
                date_of_birth: c.date_of_birth.clone(),
                needs: c.needs.clone(),
            })
            .collect(),
        adults: f
            .parties
            .iter()
            .map(|p| AdultView {
                id: p.id.to_string(),
                role: p.role.as_str().into(),
                name: p.name.clone(),
                relationship: p.relationship.clone(),
                parental_responsibility: p.parental_responsibility,
                may_attend: p.may_attend,
                language: p.language.clone(),
                interpreter: p.interpreter,
                accessibility_needs: p.accessibility_needs.clone(),
                availability: p.availability.clone(),
                account: p.user_id.map(|u| u.to_string()),
                account_version: 0,
            })
            .collect(),
        contacts: v
            .contacts
            .iter()
            .map(|c| ContactView {
                owner: c.owner.clone(),
                kind: c.kind.into(),
                value: c.value.clone(),
                withheld: c.withheld.map(|w| w.as_str().into()),
                hidden_from: c.hidden_from.clone(),
            })
            .collect(),
        court_orders: f
            .orders
            .iter()
            .map(|o| CourtOrderView {
                kind: o.kind.clone(),
                made_on: o.made_on.clone(),
                court: o.court.clone(),
                terms: o.terms.clone(),
                sessions: o.sessions,
                reports_ordered: o.reports_ordered,
                report_recipients: o.report_recipients.clone(),
            })
            .collect(),
        history: f
            .history
            .iter()
            .map(|h| StatusChangeView {
                from: h.from.map(|s| s.as_str().into()),
                to: h.to.as_str().into(),
                reason: h.reason.clone(),
                by: h.actor_user_id.clone(),
                at: h.at.to_string(),
            })
            .collect(),
        risk_assessments: f
            .assessments
            .iter()
            .map(|a| RiskAssessmentView {
                concerns: a.concerns.iter().map(|c| c.as_str().into()).collect(),
                notes: a.notes.clone(),
                suggestion: a.suggestion.clone(),
                decision: a.decision.clone(),
                decision_reason: a.decision_reason.clone(),
                by: a.assessed_by.clone(),
                at: a.assessed_at.to_string(),
            })
            .collect(),
        pre_visits: pre
            .visits
            .iter()
            .map(|p| PreVisitView {
                id: p.id.clone(),
                party_id: p.party_id.to_string(),
                adult: p.party_name.clone(),
                role: p.role.as_str().into(),
                booking_id: p.booking_id.clone(),
                at: p.at.to_string(),
                status: p.status.as_str().into(),
                rules_agreed: p.rules_agreed,
                checklist: p.checklist.clone(),
                notes: p.notes.clone(),
                version: p.version,
            })
            .collect(),
        still_needed: pre.still_needed.iter().map(|s| (*s).to_owned()).collect(),
        risk_reassessment_due: v.reassessment_due.map(|t| t.to_string()),
        funded_hours: super::reviews::funded_view(&v.service),
        review_due_since: v.service.review_due.map(|t| t.to_string()),
        workers: Vec::new(),
        workers_version: 0,
    }
}

/// A case file (every read is audited).
#[utoipa::path(get, path = "/api/v1/cases/{id}", operation_id = "get_case", tag = "referrals", params(("id" = String, Path)),
    responses((status = 200, body = CaseFileView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseFileView>> {
    let view = referrals::get_case(&state, &caller, &id).await?;
    let pre = referrals::pre_visits(&state, &caller, &id).await?;
    let lists = familytime_app::schedule::case_lists(&state, &caller, &id).await?;
    let mut file = file_view(&state, &view, &pre);
    // Each adult's link to a parent account has its own version, sent back when changing it.
    for adult in &mut file.adults {
        adult.account_version = lists
            .party_account_versions
            .iter()
            .find(|(p, _)| *p == adult.id)
            .map_or(0, |(_, v)| *v);
    }
    file.workers = lists.workers.iter().map(ToString::to_string).collect();
    file.workers_version = lists.workers_version;
    Ok(Json(file))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// The new status (see the case's `status` values).
    pub to: String,
    /// Why: always required.
    pub reason: String,
    /// For `accepted`: the service.
    pub service: Option<String>,
    /// For `closed`: the outcome.
    pub outcome: Option<String>,
    /// For `incomplete`: what is missing.
    pub missing: Option<String>,
    /// The case's version as you read it.
    pub version: i64,
}

/// Moves a case to its next status. Illegal moves (422) and stale versions (409) change nothing.
#[utoipa::path(post, path = "/api/v1/cases/{id}/transitions", operation_id = "transition_case", tag = "referrals", params(("id" = String, Path)), request_body = TransitionRequest,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TransitionRequest>,
) -> ApiResult<StatusCode> {
    let input = TransitionInput {
        to: body.to,
        reason: body.reason,
        service: body.service.unwrap_or_default(),
        outcome: body.outcome.unwrap_or_default(),
        missing: body.missing.unwrap_or_default(),
        version: body.version,
    };
    referrals::transition(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentRequest {
    /// domestic_abuse, risk_of_harm, substances, mental_health, abduction, pending_allegations,
    /// long_gap, parenting_capacity, hostility, court_requires_supervision
    #[serde(default)]
    pub concerns: Vec<String>,
    #[serde(default)]
    pub notes: String,
    /// The service decided on.
    pub decision: String,
    pub decision_reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct AdviceView {
    /// What the rules suggested: supported or supervised.
    pub suggestion: String,
    pub reasons: Vec<String>,
}

/// Records a risk assessment; answers with what the rules suggested.
#[utoipa::path(post, path = "/api/v1/cases/{id}/risk-assessments", operation_id = "record_risk_assessment", tag = "referrals", params(("id" = String, Path)), request_body = AssessmentRequest,
    responses((status = 201, body = AdviceView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assess(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssessmentRequest>,
) -> ApiResult<(StatusCode, Json<AdviceView>)> {
    let input = AssessmentInput {
        concerns: body.concerns,
        notes: body.notes,
        decision: body.decision,
        decision_reason: body.decision_reason,
    };
    let advice = referrals::assess(&state, &caller, &id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(AdviceView {
            suggestion: advice.suggestion.as_str().into(),
            reasons: advice.reasons,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreVisitRequest {
    /// The adult (an id from the case's `adults`).
    pub party_id: String,
    /// The centre's local date, YYYY-MM-DD.
    pub date: String,
    /// The centre's local time, HH:MM.
    pub time: String,
    /// The family room it takes (a pre-visit shows the rooms, so it has one).
    pub room_id: String,
    /// The member of staff who meets the adult (user ids; one is needed).
    pub staff: Vec<String>,
}

/// Books a pre-visit for one adult: a booking of kind `pre_visit` (an hour, the room and staff
/// given) with the pre-visit's record pointing at it. Answered as a booking is: 201 with the
/// booking, 409 naming what clashes with the nearest free times, 422 when it would bring two adults
/// together, the adult already has one booked, or the centre is not open then.
#[utoipa::path(post, path = "/api/v1/cases/{id}/pre-visits", operation_id = "book_pre_visit", tag = "referrals", params(("id" = String, Path)), request_body = PreVisitRequest,
    responses((status = 201, body = [super::schedule::BookingView]), (status = 404, body = ErrorBody), (status = 409, body = super::schedule::Refused), (status = 422, body = ErrorBody)))]
pub async fn schedule_pre_visit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PreVisitRequest>,
) -> ApiResult<axum::response::Response> {
    let input = referrals::PreVisitInput {
        party_id: body.party_id,
        date: body.date,
        time: body.time,
        room_id: body.room_id,
        staff: body.staff,
    };
    let outcome = referrals::schedule_pre_visit(&state, &caller, &id, &input).await?;
    Ok(super::schedule::booking_answer(outcome))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreVisitRecordRequest {
    /// done, missed or cancelled
    pub status: String,
    pub rules_agreed: bool,
    /// Keys from the pre-visit checklist.
    pub checklist: Vec<String>,
    pub notes: String,
    pub version: i64,
}

/// Records how a pre-visit went.
#[utoipa::path(post, path = "/api/v1/pre-visits/{id}", operation_id = "record_pre_visit", tag = "referrals", params(("id" = String, Path)), request_body = PreVisitRecordRequest,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_pre_visit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PreVisitRecordRequest>,
) -> ApiResult<StatusCode> {
    let input = referrals::VisitRecordInput {
        status: body.status,
        rules_agreed: body.rules_agreed,
        checklist: body.checklist,
        notes: body.notes,
        version: body.version,
    };
    referrals::record_pre_visit(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An upload: the file and what it is.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the multipart form for the OpenAPI document
pub struct DocumentUpload {
    /// A PDF, a Word document (.docx), or a JPEG or PNG image, up to 10 MB. The kind is decided by
    /// reading the file: PDFs with scripts, launch actions or attached files, Word documents that
    /// unpack to more than 50 MB or have macros, and images over 64 megapixels are refused (422).
    #[schema(value_type = String, format = Binary)]
    document: Vec<u8>,
    description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentCreated {
    pub id: String,
}

/// Uploads a document to a case (with a bearer token: cookie-authenticated API calls take JSON only).
/// The kind is decided by the content; images are kept without their metadata.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents", operation_id = "upload_document", tag = "referrals", params(("id" = String, Path)),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = DocumentCreated), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_document(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<DocumentCreated>)> {
    // axum answers a body that is not multipart in plain text; the API answers in its own format.
    let multipart = multipart
        .map_err(|_| crate::AppError::UnsupportedMediaType("Send the document as multipart/form-data".into()))?;
    let (name, bytes, description) = crate::pages::referrals::read_upload(multipart).await?;
    let doc = referrals::upload_document(&state, &caller, &id, &name, &bytes, &description).await?;
    Ok((StatusCode::CREATED, Json(DocumentCreated { id: doc })))
}

/// Downloads a document (audited), always as an attachment.
#[utoipa::path(get, path = "/api/v1/documents/{id}", operation_id = "download_document", tag = "referrals", params(("id" = String, Path)),
    responses((status = 200, description = "The document's bytes"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn download_document(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let (doc, bytes) = referrals::download_document(&state, &caller, &id).await?;
    Ok(crate::pages::referrals::document_response(&doc, bytes))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountBody {
    /// A parent account of the organisation, or null to unlink.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub user_id: Option<String>,
    /// The adult's `account_version` as read in the case file.
    pub version: i64,
}

/// Links a parent's account to their place on the case (reports released to them then reach their portal).
#[utoipa::path(put, path = "/api/v1/cases/{id}/parties/{party}/account", operation_id = "link_party_account", tag = "referrals",
    params(("id" = String, Path), ("party" = String, Path)), request_body = AccountBody,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn link_account(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, party)): Path<(String, String)>,
    ApiJson(b): ApiJson<AccountBody>,
) -> ApiResult<StatusCode> {
    referrals::link_party_account(
        &state,
        &caller,
        &id,
        &party,
        b.user_id.as_deref().unwrap_or(""),
        b.version,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
