//! API: reports to referrers — a case's reports and distribution list, composing a report from signed
//! records, the quality check, release, the PDF, and the reports released to a referrer or parent.

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::reports::{self, CheckInput, NewReportInput};
use familytime_store::reports::Report;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ReportView {
    pub id: String,
    pub case_id: String,
    /// session or summary
    pub kind: String,
    pub title: String,
    pub summary: String,
    /// draft, in_check, approved or released
    pub status: String,
    pub author: String,
    pub checker: Option<String>,
    pub check_notes: Option<String>,
    pub content_hash: Option<String>,
    /// A report fee was charged when it was asked for (or, for an older report, was due).
    pub fee_due: bool,
    /// Who asked for it (referrer, visiting, resident), or null for the centre's own report.
    pub requested_by: Option<String>,
    /// What asking for it charged, in pence.
    pub fee_pence: i64,
    pub record_ids: Vec<String>,
    pub released_at: Option<String>,
    pub version: i64,
}

fn view(r: &Report) -> ReportView {
    ReportView {
        id: r.id.clone(),
        case_id: r.case_id.to_string(),
        kind: r.kind.as_str().into(),
        title: r.title.clone(),
        summary: r.summary.clone(),
        status: r.status.as_str().into(),
        author: r.author_name.clone(),
        checker: r.checker_name.clone(),
        check_notes: r.check_notes.clone(),
        content_hash: r.content_hash.clone(),
        fee_due: r.fee_due,
        requested_by: r.requested_by.map(|asked| asked.as_str().to_owned()),
        fee_pence: r.fee.0,
        record_ids: r.record_ids.clone(),
        released_at: r.released_at.map(|t| t.to_string()),
        version: r.version,
    }
}

#[derive(Serialize, ToSchema)]
pub struct CaseReportsView {
    pub reports: Vec<ReportView>,
    /// Who the case's reports may go to: referrer, resident, visiting, court, cafcass, solicitors, social_worker.
    pub distribution: Vec<String>,
    /// The distribution list's version: send it back when changing the list.
    pub distribution_version: i64,
    /// The signed observation records a report can be composed from.
    pub signed_records: Vec<String>,
}

/// A case's reports, its distribution list and its signed records.
#[utoipa::path(get, path = "/api/v1/cases/{id}/reports", operation_id = "list_case_reports", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = CaseReportsView), (status = 404, body = ErrorBody)))]
pub async fn case_reports(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseReportsView>> {
    let v = reports::case_reports(&state, &caller, &id).await?;
    Ok(Json(CaseReportsView {
        reports: v.reports.iter().map(view).collect(),
        distribution: v.distribution.iter().map(|r| r.as_str().to_owned()).collect(),
        distribution_version: v.distribution_version,
        signed_records: v.signed.iter().map(|r| r.id.clone()).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReportBody {
    /// session or summary
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Signed observation records of this case.
    pub records: Vec<String>,
    /// The language the report is written in, `en` or `cy`: its cover page and headings are
    /// printed in it, whoever reads it. Left out: the language of the request.
    #[serde(default)]
    pub language: String,
    /// Who asked for it: referrer, visiting or resident. Asking charges the report fee to whoever
    /// the case's funding says. Left out: nobody (the centre's own report, no fee).
    #[serde(default)]
    pub requested_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// Starts a report from the case's signed observation records.
#[utoipa::path(post, path = "/api/v1/cases/{id}/reports", operation_id = "create_report", tag = "reports", params(("id" = String, Path)),
    request_body = NewReportBody, responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewReportBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let input = NewReportInput {
        kind: b.kind,
        title: b.title,
        summary: b.summary,
        records: b.records,
        language: b.language,
        requested_by: b.requested_by,
    };
    let id = reports::create_report(&state, &caller, &id, &input, crate::i18n::current()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DistributionBody {
    /// referrer, resident, visiting, court, cafcass, solicitors, social_worker
    pub recipients: Vec<String>,
    /// `distribution_version` as read from GET /api/v1/cases/{id}/reports.
    pub version: i64,
}

/// Sets who the case's reports may go to. A stale version is 409 and changes nothing.
#[utoipa::path(put, path = "/api/v1/cases/{id}/distribution", operation_id = "set_distribution", tag = "reports", params(("id" = String, Path)),
    request_body = DistributionBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_distribution(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DistributionBody>,
) -> ApiResult<StatusCode> {
    reports::set_distribution(&state, &caller, &id, &b.recipients, b.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One report (reading it is audited).
#[utoipa::path(get, path = "/api/v1/reports/{id}", operation_id = "get_report", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = ReportView), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<ReportView>> {
    let v = reports::report(&state, &caller, &id).await?;
    Ok(Json(view(&v.report)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    pub title: String,
    pub summary: String,
    pub version: i64,
}

/// Changes a draft report's title and summary (refused once it is sent for a check or approved).
#[utoipa::path(put, path = "/api/v1/reports/{id}", operation_id = "edit_report", tag = "reports", params(("id" = String, Path)),
    request_body = EditBody, responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EditBody>,
) -> ApiResult<StatusCode> {
    reports::edit_report(&state, &caller, &id, &b.title, &b.summary, b.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckBody {
    /// send_for_check (the writer), send_back or approve (a second person, never the author)
    pub step: String,
    #[serde(default)]
    pub notes: String,
    pub version: i64,
}

/// Moves a report through its quality check.
#[utoipa::path(post, path = "/api/v1/reports/{id}/check", operation_id = "check_report", tag = "reports", params(("id" = String, Path)),
    request_body = CheckBody, responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CheckBody>,
) -> ApiResult<StatusCode> {
    let input = CheckInput {
        step: b.step,
        notes: b.notes,
        version: b.version,
    };
    reports::check(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseBody {
    /// Recipients from the case's distribution list.
    pub recipients: Vec<String>,
    pub version: i64,
}

/// Releases an approved report to recipients on the distribution list.
#[utoipa::path(post, path = "/api/v1/reports/{id}/release", operation_id = "release_report", tag = "reports", params(("id" = String, Path)),
    request_body = ReleaseBody, responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn release(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReleaseBody>,
) -> ApiResult<StatusCode> {
    reports::release(&state, &caller, &id, &b.recipients, b.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The report as a PDF (staff). Downloads are audited.
#[utoipa::path(get, path = "/api/v1/reports/{id}/pdf", operation_id = "get_report_pdf", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let (bytes, name) = reports::report_pdf(&state, &caller, &id).await?;
    Ok(crate::pages::reports::pdf_response(bytes, &name))
}

/// The reports released to the signed-in referrer or parent.
#[utoipa::path(get, path = "/api/v1/my-reports", operation_id = "list_my_reports", tag = "reports",
    responses((status = 200, body = Vec<ReportView>)))]
pub async fn mine(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<ReportView>>> {
    Ok(Json(
        reports::released_to_me(&state, &caller)
            .await?
            .iter()
            .map(view)
            .collect(),
    ))
}

/// A report released to the signed-in referrer or parent, as a PDF. Downloads are audited.
#[utoipa::path(get, path = "/api/v1/my-reports/{id}/pdf", operation_id = "get_my_report_pdf", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn my_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let (bytes, name) = reports::report_pdf(&state, &caller, &id).await?;
    Ok(crate::pages::reports::pdf_response(bytes, &name))
}
