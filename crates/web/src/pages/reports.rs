//! The report pages: a case's reports and its distribution list, one report through its quality
//! check and release, the PDF, and the portal where referrers and parents find reports released to
//! them.

use super::{FormData, PageResult, Shell, render_with};
use crate::context::Caller;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use familytime_app::reports::{self as app, CheckInput, NewReportInput};
use familytime_domain::Timestamp;
use familytime_domain::reports::{Recipient, ReportKind, ReportRequester, ReportStatus};
use familytime_domain::text::FieldErrors;
use jiff::tz::TimeZone;

fn when(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%-d %B %Y, %H:%M").to_string()
}

pub struct ReportLine {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub author: String,
    pub created: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "case_reports.html")]
struct CaseReportsPage {
    shell: Shell,
    errors: FieldErrors,
    case_id: String,
    reference: String,
    reports: Vec<ReportLine>,
    records: Vec<Choice>,
    kinds: Vec<Choice>,
    /// Who asked for the report (the fee's payer follows), or nobody.
    requesters: Vec<Choice>,
    recipients: Vec<Choice>,
    distribution_text: String,
    /// The list's version the form is opened at.
    distribution_version: i64,
    may_set_distribution: bool,
    /// Whether the viewer may start a report (readers such as the safeguarding lead may not).
    may_write: bool,
    reports_ordered: bool,
    form: FormData,
}

fn report_line(zone: &TimeZone, r: &familytime_store::reports::Report) -> ReportLine {
    ReportLine {
        id: r.id.clone(),
        title: r.title.clone(),
        kind: r.kind.label().to_owned(),
        status: r.status.label().to_owned(),
        author: r.author_name.clone(),
        created: when(zone, r.created_at),
    }
}

async fn case_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    form: FormData,
) -> PageResult {
    let view = app::case_reports(state, caller, id).await?;
    let zone = &view.zone;
    let chosen = form.all("records");
    let template = CaseReportsPage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        case_id: view.file.summary.id.to_string(),
        reference: view.file.summary.reference.clone(),
        reports: view.reports.iter().map(|r| report_line(zone, r)).collect(),
        records: view
            .signed
            .iter()
            .map(|r| Choice {
                value: r.id.clone(),
                label: format!(
                    "Session on {}, recorded by {}",
                    when(zone, r.session_start),
                    r.author_name
                ),
                checked: chosen.contains(&r.id),
            })
            .collect(),
        kinds: ReportKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().into(),
                label: k.label().into(),
                checked: form.get("kind") == k.as_str(),
            })
            .collect(),
        requesters: ReportRequester::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .chain([("", "Nobody: the centre's own report, no fee")])
            .map(|(value, label)| Choice {
                value: value.into(),
                label: label.into(),
                checked: form.all("requested_by").iter().any(|chosen| chosen == value),
            })
            .collect(),
        recipients: Recipient::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str().into(),
                label: r.label().into(),
                checked: view.distribution.contains(r),
            })
            .collect(),
        distribution_text: if view.distribution.is_empty() {
            "Nobody yet: a report cannot be released until the list is set.".into()
        } else {
            view.distribution
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", ")
        },
        distribution_version: view.distribution_version,
        may_set_distribution: view.may_set_distribution,
        may_write: view.may_write,
        reports_ordered: view.file.orders.iter().any(|o| o.reports_ordered),
        form,
    };
    Ok(render_with(status, &template))
}

/// GET /cases/{id}/reports
pub async fn case_reports(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    case_page(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        StatusCode::OK,
        FormData::empty(),
    )
    .await
}

/// POST /cases/{id}/reports
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = NewReportInput {
        kind: form.get("kind"),
        title: form.get("title"),
        summary: form.get("summary"),
        records: form.all("records"),
        // The page offers no choice: a report is written in the language of the writer's page.
        language: String::new(),
        requested_by: form.get("requested_by"),
    };
    match app::create_report(&state, &caller, &id, &input, crate::i18n::current()).await {
        Ok(report) => Ok(Redirect::to(&format!("/reports/{report}")).into_response()),
        Err(err) => {
            let (errors, status, keep) = super::refusal(err, "records")?;
            case_page(
                &state,
                &caller,
                &id,
                errors,
                status,
                if keep { form } else { FormData::empty() },
            )
            .await
        }
    }
}

/// POST /cases/{id}/distribution
pub async fn set_distribution(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::set_distribution(&state, &caller, &id, &form.all("recipients"), form.version()).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}/reports#distribution")).into_response()),
        Err(AppError::Invalid(errors)) => {
            case_page(&state, &caller, &id, errors, StatusCode::UNPROCESSABLE_ENTITY, form).await
        }
        // Changed meanwhile: nothing saved; the list is shown as it is now, with its new version.
        Err(err @ AppError::Stale) => {
            let errors = FieldErrors::single(
                "recipients",
                format!("{} The list below is as it is now.", err.message()),
            );
            case_page(&state, &caller, &id, errors, StatusCode::CONFLICT, form).await
        }
        Err(err) => Err(err.into()),
    }
}

pub struct RecordView {
    pub heading: String,
    pub author: String,
    pub hash: String,
    pub sections: Vec<(&'static str, String)>,
    pub addenda: Vec<(String, String, String)>,
}

/// Who asked for the report and what it charged, as the report's page says it.
fn fee_words(r: &familytime_store::reports::Report) -> String {
    match r.requested_by {
        Some(asked) if r.fee.0 > 0 => format!(
            "Asked for by {}: a report fee of {} was charged (see the case's money)",
            asked.label().to_lowercase(),
            r.fee.display()
        ),
        Some(asked) => format!(
            "Asked for by {}: no fee (the price list has none)",
            asked.label().to_lowercase()
        ),
        None if r.fee_due => "A report fee is due (the case is not funded)".to_owned(),
        None => String::new(),
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    shell: Shell,
    errors: FieldErrors,
    id: String,
    case_id: String,
    reference: String,
    title: String,
    summary: String,
    kind: String,
    status: String,
    author: String,
    checker: String,
    check_notes: String,
    hash: String,
    /// Who asked for it and what that charged; empty for the centre's own report.
    fee: String,
    version: i64,
    is_draft: bool,
    in_check: bool,
    releasable: bool,
    /// What the viewer may do now (see `app::reports::offers`).
    offers: app::Offers,
    /// Who can check it (named while it is a draft or waiting for its check).
    checkers: Vec<String>,
    records: Vec<RecordView>,
    releases: Vec<(String, String, String)>,
    recipients: Vec<Choice>,
    caveat: &'static str,
    form: FormData,
    /// Confirms what the viewer's last action did.
    notice: Option<&'static str>,
}

/// The confirmation for `?done=…` after an action on the report.
fn notice_for(done: &str) -> Option<&'static str> {
    match done {
        "saved" => Some("Draft saved."),
        "send_for_check" => Some("Sent for a quality check."),
        "approve" => Some("Report approved. It can now be released to people on the distribution list."),
        "send_back" => Some("Sent back to the author with your notes."),
        "released" => Some("Report released."),
        _ => None,
    }
}

async fn report_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    form: FormData,
    notice: Option<&'static str>,
) -> PageResult {
    let view = app::report(state, caller, id).await?;
    let zone = &view.zone;
    let r = &view.report;
    let records = view
        .records
        .iter()
        .map(|rec| RecordView {
            heading: format!("Session on {}", when(zone, rec.session_start)),
            author: rec.author_name.clone(),
            hash: rec.content_hash.clone().unwrap_or_default(),
            sections: familytime_domain::records::SECTIONS
                .iter()
                .map(|s| (s.heading, rec.content.section(s.field).to_owned()))
                .filter(|(_, text)| !text.is_empty())
                .collect(),
            addenda: view
                .addenda
                .iter()
                .filter(|a| a.record_id == rec.id)
                .map(|a| {
                    (
                        format!(
                            "{}, {}",
                            when(zone, familytime_store::schedule::ts_of(a.at)),
                            a.author_name
                        ),
                        a.reason.clone(),
                        a.text.clone(),
                    )
                })
                .collect(),
        })
        .collect();
    let typed_title = form.get("title");
    let checkers = if matches!(r.status, ReportStatus::Draft | ReportStatus::InCheck) {
        app::checkers(state, caller, r).await?
    } else {
        Vec::new()
    };
    let template = ReportPage {
        offers: app::offers(caller, r),
        checkers,
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        id: r.id.clone(),
        case_id: r.case_id.to_string(),
        reference: view.file.summary.reference.clone(),
        title: if typed_title.is_empty() {
            r.title.clone()
        } else {
            typed_title
        },
        summary: if form.get("summary").is_empty() {
            r.summary.clone()
        } else {
            form.get("summary")
        },
        kind: r.kind.label().to_owned(),
        status: r.status.label().to_owned(),
        author: r.author_name.clone(),
        checker: r.checker_name.clone().unwrap_or_default(),
        check_notes: r.check_notes.clone().unwrap_or_default(),
        hash: r.content_hash.clone().unwrap_or_default(),
        fee: fee_words(r),
        version: r.version,
        is_draft: r.status == ReportStatus::Draft,
        in_check: r.status == ReportStatus::InCheck,
        releasable: matches!(r.status, ReportStatus::Approved | ReportStatus::Released),
        records,
        releases: view
            .releases
            .iter()
            .map(|x| {
                (
                    Recipient::parse(&x.recipient)
                        .map(|r| r.label().to_owned())
                        .unwrap_or_else(|| x.recipient.clone()),
                    x.released_by_name.clone(),
                    when(zone, familytime_store::schedule::ts_of(x.released_at)),
                )
            })
            .collect(),
        recipients: view
            .distribution
            .iter()
            .map(|d| Choice {
                value: d.as_str().into(),
                label: d.label().into(),
                checked: false,
            })
            .collect(),
        caveat: familytime_domain::reports::CAVEAT,
        form,
        notice,
    };
    Ok(render_with(status, &template))
}

/// Shows the report again after a refusal (see `super::refusal`).
async fn report_failed(
    state: &AppState,
    caller: &Caller,
    id: &str,
    err: AppError,
    field: &'static str,
    form: FormData,
) -> PageResult {
    let (errors, status, keep) = super::refusal(err, field)?;
    let form = if keep { form } else { FormData::empty() };
    report_page(state, caller, id, errors, status, form, None).await
}

/// GET /reports/{id} (`?done=…` after an action, to confirm it)
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> PageResult {
    let notice = query.get("done").and_then(|d| notice_for(d));
    report_page(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        StatusCode::OK,
        FormData::empty(),
        notice,
    )
    .await
}

/// POST /reports/{id}: the writer edits the draft.
pub async fn edit(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, form: FormData) -> PageResult {
    match app::edit_report(
        &state,
        &caller,
        &id,
        &form.get("title"),
        &form.get("summary"),
        form.version(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{id}?done=saved")).into_response()),
        Err(err) => report_failed(&state, &caller, &id, err, "title", form).await,
    }
}

/// POST /reports/{id}/check: send for a check, send back, or approve.
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = CheckInput {
        step: form.get("step"),
        notes: form.get("notes"),
        version: form.version(),
    };
    match app::check(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{id}?done={}", input.step.trim())).into_response()),
        Err(err) => report_failed(&state, &caller, &id, err, "step", form).await,
    }
}

/// POST /reports/{id}/release
pub async fn release(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::release(&state, &caller, &id, &form.all("recipients"), form.version()).await {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{id}?done=released#releases")).into_response()),
        Err(err) => report_failed(&state, &caller, &id, err, "recipients", form).await,
    }
}

/// The PDF as a download (never shown inline).
pub fn pdf_response(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// GET /reports/{id}/pdf (staff)
pub async fn pdf(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let (bytes, name) = app::report_pdf(&state, &caller, &id).await?;
    Ok(pdf_response(bytes, &name))
}

/// A released report as its recipient's list shows it, in the page's language: which case and
/// child it is about, and when it was released.
pub struct MyReportLine {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub released: String,
    pub reference: String,
    pub children: String,
    /// The download link's words, naming the report and its case.
    pub download: String,
}

#[derive(Template)]
#[template(path = "my_reports.html")]
struct MyReportsPage {
    shell: Shell,
    reports: Vec<MyReportLine>,
}

/// GET /my-reports: the reports released to a referrer or parent.
pub async fn mine(State(state): State<AppState>, caller: Caller) -> PageResult {
    let lines = app::released_lines(&state, &caller).await?;
    let zone = TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC);
    let lang = crate::i18n::current();
    let released =
        |t: familytime_domain::Timestamp| crate::i18n::dates::date_time(lang, t.to_zoned(zone.clone()).datetime());
    let reports = lines
        .iter()
        .map(|l| {
            let r = &l.report;
            let download = crate::i18n::args([
                ("title", r.title.as_str().into()),
                ("reference", r.case_reference.as_str().into()),
            ]);
            MyReportLine {
                id: r.id.clone(),
                title: r.title.clone(),
                kind: super::words::report_kind(r.kind),
                released: r.released_at.map(released).unwrap_or_default(),
                reference: r.case_reference.clone(),
                children: l.children.join(", "),
                download: crate::i18n::t_args("myreports-download-link", &download),
            }
        })
        .collect();
    Ok(render_with(
        StatusCode::OK,
        &MyReportsPage {
            shell: Shell::for_caller(&state, &caller, "/my-reports").await?,
            reports,
        },
    ))
}

/// GET /my-reports/{id}/pdf
pub async fn my_pdf(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let (bytes, name) = app::report_pdf(&state, &caller, &id).await?;
    Ok(pdf_response(bytes, &name))
}
