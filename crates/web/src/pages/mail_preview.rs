//! Two e-mail pages for coordinators (decision 0051): the preview of what each adult of a booking
//! would be sent (nothing is sent), and the print queue of letters to people with no e-mail
//! address, each a PDF, marked posted when it has gone.

use super::paging::Pager;
use super::reports::pdf_response;
use super::{PageResult, Shell, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use familytime_app::mail::preview::{self, PREVIEW_KINDS, PreviewItem};
use familytime_app::mail::print_queue::{self, LetterItem};
use familytime_domain::mail::MailKind;

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[derive(askama::Template)]
#[template(path = "mail_preview.html")]
struct PreviewPage {
    shell: Shell,
    booking_id: String,
    kind: MailKind,
    kinds: [MailKind; 5],
    items: Vec<PreviewItem>,
}

/// GET /bookings/{id}/messages (`?kind=` one of the preview's kinds).
pub async fn booking_preview(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let asked = query_param(query.as_deref(), "kind");
    let (kind, items) = preview::booking_preview(&state, &caller, &id, asked.as_deref()).await?;
    Ok(render(&PreviewPage {
        shell: Shell::for_caller(&state, &caller, "/calendar").await?,
        booking_id: id,
        kind,
        kinds: PREVIEW_KINDS,
        items,
    }))
}

#[derive(askama::Template)]
#[template(path = "print_queue.html")]
struct PrintQueuePage {
    shell: Shell,
    notice: Option<String>,
    errors: familytime_domain::text::FieldErrors,
    letters: Vec<(LetterItem, String)>,
    pager: Pager,
}

async fn queue_page(
    state: &AppState,
    caller: &Caller,
    query: Option<&str>,
    notice: Option<String>,
    errors: familytime_domain::text::FieldErrors,
    status: StatusCode,
) -> PageResult {
    let (after, before) = (query_param(query, "after"), query_param(query, "before"));
    let page = match print_queue::letters(state, caller, after.as_deref(), before.as_deref()).await {
        Err(AppError::BadRequest(_)) => print_queue::letters(state, caller, None, None).await?,
        other => other?,
    };
    let pager = Pager::new("print-queue", "/print-queue", &[], &page, |l| l.id.clone());
    let letters = page
        .items
        .into_iter()
        .map(|l| {
            let when = l.created_at.strftime("%Y-%m-%d %H:%M").to_string();
            (l, when)
        })
        .collect();
    Ok(render_with(
        status,
        &PrintQueuePage {
            shell: Shell::for_caller(state, caller, "/print-queue").await?,
            notice,
            errors,
            letters,
            pager,
        },
    ))
}

/// GET /print-queue
pub async fn print_queue(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let notice = (query_param(query.as_deref(), "done").as_deref() == Some("posted"))
        .then(|| "Letter marked as posted: it has left the queue.".to_owned());
    queue_page(
        &state,
        &caller,
        query.as_deref(),
        notice,
        familytime_domain::text::FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// GET /print-queue/{id}/pdf
pub async fn letter_pdf(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let bytes = print_queue::letter_pdf(&state, &caller, &id).await?;
    Ok(pdf_response(bytes, "letter.pdf"))
}

/// POST /print-queue/{id}/posted: the queue then says so; a letter already posted is said to be.
pub async fn mark_posted(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    use axum::response::{IntoResponse, Redirect};
    match print_queue::mark_posted(&state, &caller, &id).await {
        Ok(()) => Ok(Redirect::to("/print-queue?done=posted").into_response()),
        Err(AppError::Conflict(message)) => {
            let errors = familytime_domain::text::FieldErrors::single("letters", message);
            queue_page(&state, &caller, None, None, errors, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}
