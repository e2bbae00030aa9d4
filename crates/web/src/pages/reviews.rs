//! The service page of a case (a coordinator's): ending or suspending the service with a notice,
//! the letters to both parents and the referrer (downloaded as PDF, recorded as sent or printed),
//! the bookings still to come, review meetings, and the funded hours used.

use super::reports::{Choice, pdf_response};
use super::{FormData, PageResult, Shell, form_status, render_with};
use crate::context::Caller;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::reviews::{self as app, NoticeInput, ReviewForm};
use familytime_domain::Timestamp;
use familytime_domain::reviews::{Delivery, LetterRecipient, NoticeKind, ReviewOutcome};
use familytime_domain::schedule::BookingKind;
use familytime_domain::text::FieldErrors;
use jiff::tz::TimeZone;

fn when(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%-d %B %Y, %H:%M").to_string()
}

pub struct LetterLine {
    pub recipient: String,
    pub label: String,
    pub sent: Vec<String>,
}

pub struct NoticeLine {
    pub id: String,
    pub kind: String,
    pub reason: String,
    pub effective: String,
    pub issued: String,
    pub letters: Vec<LetterLine>,
}

pub struct ComingLine {
    pub id: String,
    pub label: String,
    /// On hold since the service was suspended.
    pub held: bool,
}

pub struct ReviewLine {
    pub held_on: String,
    pub attendees: String,
    pub resident_view: String,
    pub visiting_view: String,
    pub child_view: Option<String>,
    pub outcome: String,
    pub risk_notes: String,
    pub recorded: String,
}

#[derive(Template)]
#[template(path = "case_service.html")]
struct ServicePage {
    shell: Shell,
    errors: FieldErrors,
    case_id: String,
    reference: String,
    funded: Option<String>,
    funded_reached: bool,
    review_due: Option<String>,
    notices: Vec<NoticeLine>,
    coming: Vec<ComingLine>,
    /// Whether the service is suspended (then it can be resumed here).
    suspended: bool,
    reviews: Vec<ReviewLine>,
    kinds: Vec<Choice>,
    outcomes: Vec<Choice>,
    recipients: Vec<Choice>,
    deliveries: Vec<Choice>,
    /// The notice whose letter form was sent with errors (they are shown beside that form only).
    letter_notice: String,
    form: FormData,
}

fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    chosen: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: value(*v).into(),
            label: label(*v).into(),
            checked: chosen == value(*v),
        })
        .collect()
}

async fn page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    form: FormData,
    letter_notice: &str,
) -> PageResult {
    let view = app::service(state, caller, id).await?;
    let zone = &view.zone;
    let names = |r: LetterRecipient| -> String {
        let party = |role| {
            view.file
                .parties
                .iter()
                .find(|p| p.role == role)
                .map(|p| p.name.clone())
        };
        let name = match r {
            LetterRecipient::Resident => party(familytime_domain::intake::PartyRole::Resident),
            LetterRecipient::Visiting => party(familytime_domain::intake::PartyRole::Visiting),
            LetterRecipient::Referrer => view.file.referrer_name.clone(),
        };
        match name {
            Some(n) => format!("{} ({n})", r.label()),
            None => r.label().to_owned(),
        }
    };
    let template = ServicePage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        case_id: view.file.summary.id.to_string(),
        reference: view.file.summary.reference.clone(),
        funded: view.facts.funded.map(|f| f.describe()),
        funded_reached: view.facts.funded.is_some_and(|f| f.reached()),
        review_due: view.facts.review_due.map(|t| when(zone, t)),
        notices: view
            .notices
            .iter()
            .map(|n| NoticeLine {
                id: n.notice.id.clone(),
                kind: n.notice.kind.label().to_owned(),
                reason: n.notice.reason.clone(),
                effective: n.notice.effective_on.strftime("%-d %B %Y").to_string(),
                issued: format!("{} by {}", when(zone, n.notice.issued_at), n.notice.issued_by_name),
                letters: LetterRecipient::ALL
                    .iter()
                    .map(|r| LetterLine {
                        recipient: r.as_str().to_owned(),
                        label: names(*r),
                        sent: n
                            .letters
                            .iter()
                            .filter(|l| l.recipient == *r)
                            .map(|l| {
                                format!(
                                    "{}: {} by {}",
                                    l.delivery.label(),
                                    when(zone, l.sent_at),
                                    l.sent_by_name
                                )
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        coming: view
            .coming
            .iter()
            .map(|b| ComingLine {
                id: b.id.clone(),
                label: format!(
                    "{} on {} ({})",
                    BookingKind::parse(&b.kind).map(|k| k.label()).unwrap_or("Booking"),
                    when(zone, familytime_store::schedule::ts_of(b.starts_at)),
                    b.status.replace('_', " ")
                ),
                held: b.held_since.is_some(),
            })
            .collect(),
        suspended: view.service_state == familytime_domain::booking_rules::ServiceState::Suspended,
        reviews: view
            .reviews
            .iter()
            .map(|r| ReviewLine {
                held_on: r.review.held_on.strftime("%-d %B %Y").to_string(),
                attendees: r.review.attendees.clone(),
                resident_view: r.review.resident_view.clone(),
                visiting_view: r.review.visiting_view.clone(),
                child_view: r.review.child_view.clone(),
                outcome: r.review.outcome.label().to_owned(),
                risk_notes: r.review.risk_notes.clone(),
                recorded: format!("{} by {}", when(zone, r.recorded_at), r.recorded_by_name),
            })
            .collect(),
        kinds: choices(
            NoticeKind::ALL,
            NoticeKind::as_str,
            NoticeKind::label,
            &form.get("kind"),
        ),
        outcomes: choices(
            ReviewOutcome::ALL,
            ReviewOutcome::as_str,
            ReviewOutcome::label,
            &form.get("outcome"),
        ),
        recipients: choices(
            LetterRecipient::ALL,
            LetterRecipient::as_str,
            LetterRecipient::label,
            &form.get("recipient"),
        ),
        deliveries: choices(Delivery::ALL, Delivery::as_str, Delivery::label, &form.get("delivery")),
        letter_notice: letter_notice.to_owned(),
        form,
    };
    Ok(render_with(status, &template))
}

/// GET /cases/{id}/service
pub async fn show(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    page(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        StatusCode::OK,
        FormData::empty(),
        "",
    )
    .await
}

/// POST /cases/{id}/notices
pub async fn notice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = NoticeInput {
        kind: form.get("kind"),
        reason: form.get("reason"),
        effective_on: form.get("effective_on"),
    };
    match app::issue_notice(&state, &caller, &id, &input).await {
        Ok(notice) => Ok(Redirect::to(&format!("/cases/{id}/service#notice-{notice}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            page(&state, &caller, &id, errors, status, form, "").await
        }
        Err(err) => Err(err.into()),
    }
}

/// POST /cases/{id}/service/resume
pub async fn resume(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    app::resume_service(&state, &caller, &id).await?;
    Ok(Redirect::to(&format!("/cases/{id}/service#coming")).into_response())
}

/// GET /notices/{id}/letters/{recipient}
pub async fn letter(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, recipient)): Path<(String, String)>,
) -> PageResult {
    let (bytes, name) = app::letter_pdf(&state, &caller, &id, &recipient).await?;
    Ok(pdf_response(bytes, &name))
}

/// POST /notices/{id}/letters
pub async fn record_letter(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let case = app::notice_case(&state, &caller, &id).await?;
    match app::record_letter(&state, &caller, &id, &form.get("recipient"), &form.get("delivery")).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{case}/service#notice-{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            page(&state, &caller, &case, errors, status, form, &id).await
        }
        Err(err) => Err(err.into()),
    }
}

/// POST /cases/{id}/reviews
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = ReviewForm {
        held_on: form.get("held_on"),
        attendees: form.get("attendees"),
        resident_view: form.get("resident_view"),
        visiting_view: form.get("visiting_view"),
        child_view: form.get("child_view"),
        outcome: form.get("outcome"),
        risk_notes: form.get("risk_notes"),
    };
    match app::record_review(&state, &caller, &id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}/service#reviews")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            page(&state, &caller, &id, errors, status, form, "").await
        }
        Err(err) => Err(err.into()),
    }
}
