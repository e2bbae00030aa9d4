//! API: running a session — the session record (register, rule breaches, observation record and
//! addenda), saving drafts, signing off, addenda and stopping a session early.

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::records::{self, BreachInput, ObservationInput, RegisterInput, StopInput};
use familytime_domain::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

fn at(t: Timestamp) -> String {
    t.to_string()
}

#[derive(Serialize, ToSchema)]
pub struct RegisterLineView {
    pub party_id: Option<String>,
    pub child_id: Option<String>,
    pub visitor_name: Option<String>,
    pub admission_reason: Option<String>,
    /// arrived, left or no_show
    pub attendance: String,
    pub arrived_at: Option<String>,
    pub left_at: Option<String>,
    pub brought_by: Option<String>,
    pub collected_by: Option<String>,
    pub late_minutes: Option<i64>,
    pub late_reason: Option<String>,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct BreachView {
    pub kind: String,
    pub party_id: Option<String>,
    pub detail: String,
    pub recorded_by: String,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AddendumView {
    pub author: String,
    pub at: String,
    pub reason: String,
    pub text: String,
    pub content_hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct ObservationView {
    pub id: String,
    pub author: String,
    /// Each section of the form by its name (arrival, mood, interaction, care, boundaries, language,
    /// interventions, ending, concerns, notes).
    pub sections: BTreeMap<String, String>,
    pub checklist: Vec<String>,
    pub signed: bool,
    pub signed_at: Option<String>,
    pub content_hash: Option<String>,
    pub version: i64,
    pub addenda: Vec<AddendumView>,
}

/// A session's record. `observation` is absent for volunteers and for sessions that keep
/// attendance and safeguarding concerns only.
#[derive(Serialize, ToSchema)]
pub struct SessionRecordView {
    pub booking_id: String,
    pub case_id: String,
    pub kind: String,
    pub starts_at: String,
    pub status: String,
    pub booking_version: i64,
    pub register_open: bool,
    pub register: Vec<RegisterLineView>,
    pub breaches: Vec<BreachView>,
    pub keeps_observations: bool,
    pub observation: Option<ObservationView>,
}

/// The session's record: register, rule breaches and (for those who may see it) the observation record.
#[utoipa::path(get, path = "/api/v1/bookings/{id}/record", operation_id = "get_session_record", tag = "records", params(("id" = String, Path)),
    responses((status = 200, body = SessionRecordView), (status = 404, body = ErrorBody)))]
pub async fn get_record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionRecordView>> {
    let v = records::session_record(&state, &caller, &id).await?;
    let observation = v.observation.as_ref().and_then(|part| {
        part.record.as_ref().map(|r| ObservationView {
            id: r.id.clone(),
            author: r.author_name.clone(),
            sections: familytime_domain::records::SECTIONS
                .iter()
                .map(|s| (s.field.to_owned(), r.content.section(s.field).to_owned()))
                .collect(),
            checklist: r.content.checklist.clone(),
            signed: r.signed,
            signed_at: r.signed_at.map(at),
            content_hash: r.content_hash.clone(),
            version: r.version,
            addenda: part
                .addenda
                .iter()
                .map(|a| AddendumView {
                    author: a.author_name.clone(),
                    at: at(familytime_store::schedule::ts_of(a.at)),
                    reason: a.reason.clone(),
                    text: a.text.clone(),
                    content_hash: a.content_hash.clone(),
                })
                .collect(),
        })
    });
    Ok(Json(SessionRecordView {
        booking_id: v.session.booking.id.to_string(),
        case_id: v.session.file.summary.id.to_string(),
        kind: v.session.booking.kind.clone(),
        starts_at: at(v.session.booking.span.start),
        status: v.session.booking.status.as_str().into(),
        booking_version: v.session.booking.version,
        register_open: v.register_open,
        register: v
            .register
            .iter()
            .map(|e| RegisterLineView {
                party_id: e.party_id.clone(),
                child_id: e.child_id.clone(),
                visitor_name: e.visitor_name.clone(),
                admission_reason: e.admission_reason.clone(),
                attendance: e.attendance.as_str().into(),
                arrived_at: e.arrived_at.map(at),
                left_at: e.left_at.map(at),
                brought_by: e.brought_by.clone(),
                collected_by: e.collected_by.clone(),
                late_minutes: e.late_minutes,
                late_reason: e.late_reason.clone(),
                version: e.version,
            })
            .collect(),
        breaches: v
            .events
            .iter()
            .map(|e| BreachView {
                kind: e.kind.clone(),
                party_id: e.party_id.clone(),
                detail: e.detail.clone(),
                recorded_by: e.recorded_by_name.clone(),
                at: at(familytime_store::schedule::ts_of(e.at)),
            })
            .collect(),
        keeps_observations: v.observation.is_some(),
        observation,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// `party:ID`, `child:ID`, or `visitor` (an adult not named on the case).
    pub who: String,
    #[serde(default)]
    pub visitor_name: String,
    /// Needed for a visitor: the written agreement of both parties, or a court order.
    #[serde(default)]
    pub admission_reason: String,
    /// arrived, left or no_show
    pub attendance: String,
    /// The centre's clock, like 14:05.
    #[serde(default)]
    pub arrived: String,
    #[serde(default)]
    pub left: String,
    #[serde(default)]
    pub brought_by: String,
    #[serde(default)]
    pub collected_by: String,
    #[serde(default)]
    pub late_minutes: Option<i64>,
    #[serde(default)]
    pub late_reason: String,
    /// The resident parent: when they left the premises after the drop-off (the centre's clock).
    #[serde(default)]
    pub departed: String,
    /// The resident parent: when they came back for the pick-up.
    #[serde(default)]
    pub returned: String,
    /// The line's version as read; 0 for a person not yet on the register.
    pub version: i64,
}

/// Records one person on the register (a stale change is refused with 409).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/register", operation_id = "record_register", tag = "records", params(("id" = String, Path)),
    request_body = RegisterBody, responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RegisterBody>,
) -> ApiResult<StatusCode> {
    let input = RegisterInput {
        who: b.who,
        visitor_name: b.visitor_name,
        admission_reason: b.admission_reason,
        attendance: b.attendance,
        arrived: b.arrived,
        left: b.left,
        brought_by: b.brought_by,
        collected_by: b.collected_by,
        late_minutes: b.late_minutes.map(|m| m.to_string()).unwrap_or_default(),
        late_reason: b.late_reason,
        departed: b.departed,
        returned: b.returned,
        version: b.version,
    };
    records::write_register(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreachBody {
    /// under_influence, photos, tried_to_leave_with_child, abusive_to_staff, unnamed_adult, other_rule
    pub kind: String,
    /// The adult on the case who broke the rule, if one did.
    #[serde(default)]
    pub party_id: String,
    pub detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// Records a rule breach at the session as an event on the case.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/breaches", operation_id = "record_breach", tag = "records", params(("id" = String, Path)),
    request_body = BreachBody, responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn breach(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BreachBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let input = BreachInput {
        kind: b.kind,
        party: b.party_id,
        detail: b.detail,
    };
    let id = records::record_breach(&state, &caller, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationBody {
    /// Section name → text (arrival, mood, interaction, care, boundaries, language, interventions,
    /// ending, concerns, notes). The whole record is sent each time: a section left out of the map
    /// is saved empty.
    pub sections: BTreeMap<String, String>,
    pub checklist: Vec<String>,
    /// The record's version as read: 0 to start the record.
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Saved {
    pub id: String,
    /// Send this with the next save.
    pub version: i64,
}

/// Saves the session's observation record as a draft. Refused for supported sessions and volunteers,
/// for a session not yet started, for a signed record (409) and for a stale version (409).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/observation", operation_id = "save_observation", tag = "records", params(("id" = String, Path)),
    request_body = ObservationBody, responses((status = 200, body = Saved), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_observation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ObservationBody>,
) -> ApiResult<Json<Saved>> {
    let unknown: Vec<&String> = b
        .sections
        .keys()
        .filter(|k| {
            !familytime_domain::records::SECTIONS
                .iter()
                .any(|s| s.field == k.as_str())
        })
        .collect();
    if let Some(k) = unknown.first() {
        return Err(crate::AppError::InvalidBody {
            field: format!("sections.{k}"),
            message: "There is no section of that name".into(),
        }
        .into());
    }
    let input = ObservationInput {
        sections: b.sections.into_iter().collect(),
        checklist: b.checklist,
        version: b.version,
    };
    let (id, version) = records::save_observation(&state, &caller, &id, &input).await?;
    Ok(Json(Saved { id, version }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignBody {
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Signed {
    /// SHA-256 of the signed record, also written to the audit log.
    pub content_hash: String,
}

/// The author signs the record off; it never changes afterwards.
#[utoipa::path(post, path = "/api/v1/observations/{id}/sign", operation_id = "sign_observation", tag = "records", params(("id" = String, Path)),
    request_body = SignBody, responses((status = 200, body = Signed), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SignBody>,
) -> ApiResult<Json<Signed>> {
    let content_hash = records::sign_observation(&state, &caller, &id, b.version).await?;
    Ok(Json(Signed { content_hash }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddendumBody {
    pub text: String,
    pub reason: String,
}

/// Adds an addendum (who, when, why) to a signed record.
#[utoipa::path(post, path = "/api/v1/observations/{id}/addenda", operation_id = "add_addendum", tag = "records", params(("id" = String, Path)),
    request_body = AddendumBody, responses((status = 201, body = Signed), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn addendum(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AddendumBody>,
) -> ApiResult<(StatusCode, Json<Signed>)> {
    let content_hash = records::add_addendum(&state, &caller, &id, &b.text, &b.reason).await?;
    Ok((StatusCode::CREATED, Json(Signed { content_hash })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StopBody {
    /// child_distressed, rule_broken, risk_of_harm, parent_unwell, other
    pub reason: String,
    pub detail: String,
    /// The booking's version as read.
    pub version: i64,
}

/// Stops a confirmed session early (this does not end the service).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/stop", operation_id = "stop_session", tag = "records", params(("id" = String, Path)),
    request_body = StopBody, responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stop(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StopBody>,
) -> ApiResult<StatusCode> {
    let input = StopInput {
        reason: b.reason,
        detail: b.detail,
        version: b.version,
    };
    records::stop_session(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistBody {
    /// The statements supervisors tick, in order (at most 30, each one line of up to 200 characters).
    pub items: Vec<String>,
    /// The version read (0 while the organisation uses the default list); a stale change is refused.
    pub version: i64,
}

/// The organisation's observation checklist.
#[utoipa::path(get, path = "/api/v1/observation-checklist", operation_id = "get_observation_checklist", tag = "records",
    responses((status = 200, body = ChecklistBody)))]
pub async fn get_checklist(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<ChecklistBody>> {
    let (list, version) = records::checklist(&state, &caller).await?;
    Ok(Json(ChecklistBody {
        items: list.items().to_vec(),
        version,
    }))
}

/// Sets the organisation's observation checklist (administrators).
#[utoipa::path(put, path = "/api/v1/observation-checklist", operation_id = "set_observation_checklist", tag = "records",
    request_body = ChecklistBody, responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_checklist(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<ChecklistBody>,
) -> ApiResult<StatusCode> {
    if b.items.iter().any(|i| i.contains('\n') || i.contains('\r')) {
        return Err(crate::AppError::Invalid(familytime_domain::text::FieldErrors::single(
            "checklist",
            "Each checklist item is one line",
        ))
        .into());
    }
    records::set_checklist(&state, &caller, &b.items.join("\n"), b.version).await?;
    Ok(StatusCode::NO_CONTENT)
}
