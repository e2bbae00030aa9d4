//! API: each parent's agreement to the centre's rules, and the organisation's versions of its
//! rules (decision 0046).

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::agreements;
use familytime_domain::agreements::{AgreementInput, VersionInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What was created.
#[derive(Serialize, ToSchema)]
pub struct CreatedAgreement {
    pub id: String,
}

/// A parent and whether they agreed to the current version.
#[derive(Serialize, ToSchema)]
pub struct ParentAgreed {
    pub party_id: String,
    pub name: String,
    pub agreed: bool,
}

/// An agreement recorded.
#[derive(Serialize, ToSchema)]
pub struct AgreementView {
    pub id: String,
    pub party_id: String,
    pub name: String,
    /// The version's label.
    pub version: String,
    pub agreed_on: String,
    /// "paper", "in_person" or "portal"
    pub how: String,
    /// Who recorded it (null: recorded by the system, as the pre-visit ticks before versions).
    pub recorded_by: Option<String>,
}

/// The case's agreements to the centre's rules.
#[derive(Serialize, ToSchema)]
pub struct AgreementsView {
    /// The current version's label.
    pub current_version: String,
    pub parents: Vec<ParentAgreed>,
    /// Every agreement recorded, newest first.
    pub agreements: Vec<AgreementView>,
}

/// A parent's agreement to the current version of the rules.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementBody {
    /// The parent's party id on the case (resident or visiting).
    pub parent_id: String,
    /// "paper" or "in_person"
    pub how: String,
    /// YYYY-MM-DD, not in the future
    pub agreed_on: String,
}

/// The case's parents, whether each agreed to the current version of the rules, and every
/// agreement recorded (a read of the case: audited).
#[utoipa::path(get, path = "/api/v1/cases/{id}/rules-agreements", operation_id = "list_rules_agreements", tag = "referrals", params(("id" = String, Path)),
    responses((status = 200, body = AgreementsView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AgreementsView>> {
    let view = agreements::case_agreements(&state, &caller, &id).await?;
    Ok(Json(AgreementsView {
        current_version: view.current,
        parents: view
            .parents
            .into_iter()
            .map(|(party_id, name, agreed)| ParentAgreed { party_id, name, agreed })
            .collect(),
        agreements: view
            .agreements
            .into_iter()
            .map(|a| AgreementView {
                id: a.id,
                party_id: a.party_id,
                name: a.party_name,
                version: a.version,
                agreed_on: a.agreed_on.to_string(),
                how: a.how.as_str().into(),
                recorded_by: a.recorded_by,
            })
            .collect(),
    }))
}

/// Records a parent's agreement to the current version of the rules (audited; agreements are only
/// ever added). 409 when they agreed to it already.
#[utoipa::path(post, path = "/api/v1/cases/{id}/rules-agreements", operation_id = "record_rules_agreement", tag = "referrals", params(("id" = String, Path)),
    request_body = AgreementBody,
    responses((status = 201, body = CreatedAgreement), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AgreementBody>,
) -> ApiResult<(StatusCode, Json<CreatedAgreement>)> {
    let input = AgreementInput {
        parent_id: b.parent_id,
        how: b.how,
        agreed_on: b.agreed_on,
    };
    let id = agreements::record(&state, &caller, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedAgreement { id })))
}

/// A version of the centre's rules.
#[derive(Serialize, ToSchema)]
pub struct RulesVersionView {
    pub id: String,
    pub label: String,
    pub issued_on: String,
    pub summary: Option<String>,
}

/// A new version of the centre's rules.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesVersionBody {
    /// Its own label ("2", "2027-1" …), up to 40 characters.
    pub label: String,
    /// YYYY-MM-DD
    pub issued_on: String,
    /// What changed (optional).
    #[serde(default)]
    pub summary: String,
}

/// The organisation's versions of its rules, newest (the current one) first.
#[utoipa::path(get, path = "/api/v1/rules-versions", operation_id = "list_rules_versions", tag = "centres",
    responses((status = 200, body = [RulesVersionView]), (status = 403, body = ErrorBody)))]
pub async fn versions(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<RulesVersionView>>> {
    Ok(Json(
        agreements::versions(&state, &caller)
            .await?
            .into_iter()
            .map(|v| RulesVersionView {
                id: v.id,
                label: v.label,
                issued_on: v.issued_on.to_string(),
                summary: v.summary,
            })
            .collect(),
    ))
}

/// Issues a new version of the rules (audited): from then on each parent is asked to agree to it
/// before contact is booked. 409 when the label was used before.
#[utoipa::path(post, path = "/api/v1/rules-versions", operation_id = "add_rules_version", tag = "centres",
    request_body = RulesVersionBody,
    responses((status = 201, body = CreatedAgreement), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_version(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<RulesVersionBody>,
) -> ApiResult<(StatusCode, Json<CreatedAgreement>)> {
    let input = VersionInput {
        label: b.label,
        issued_on: b.issued_on,
        summary: b.summary,
    };
    let id = agreements::add_version(&state, &caller, &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedAgreement { id })))
}
