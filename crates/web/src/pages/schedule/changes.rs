//! A booking's own page and its changes: the status (confirming, cancelling with what it forfeits,
//! attending), where each adult arrives and waits, and moving it to another time.

use super::{Opt, SessionRow, may_manage, move_asked_by, opt, query_form, session_row, when, with_warnings};
use crate::pages::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::schedule::{self as app, StatusInput};
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::{BookingStatus, ts_of};
use jiff::tz::TimeZone;

fn cancelled_by_label(who: &str) -> &'static str {
    match who {
        "centre" => "The centre",
        "resident" => "The resident parent",
        "visiting" => "The visiting parent",
        _ => "Someone else",
    }
}

pub struct EventRow {
    pub when: String,
    pub who: String,
    pub what: String,
}

#[derive(askama::Template)]
#[template(path = "schedule_booking.html")]
struct BookingPage {
    shell: Shell,
    errors: FieldErrors,
    s: SessionRow,
    centre_id: String,
    cancelled_by: String,
    reason: String,
    moved_from: String,
    moved_to: String,
    /// "Fri 4 Dec 2026 10:00, at the request of the visiting parent" for each end of a move.
    moved_from_note: String,
    moved_to_note: String,
    askers: Vec<Opt>,
    events: Vec<EventRow>,
    can_manage: bool,
    can_move: bool,
    /// Whether to link to the case's money page.
    can_bill: bool,
    /// For a pre-visit's booking, to those who keep pre-visit records: the pre-visit's id.
    pre_visit: String,
    /// Where each adult arrives and waits, to those who may set it (empty for anyone else).
    arrival_forms: Vec<ArrivalForm>,
    /// An interpreter for each adult who needs one, to those who may book one (decision 0047).
    interpreter_forms: Vec<InterpreterForm>,
    version: i64,
    next: Vec<Opt>,
    cancellers: Vec<Opt>,
    f: FormData,
}

/// One adult's form on the booking page: the entrance and waiting room chosen (or typed, when the
/// form was refused), and the refusal's messages for this adult's form only.
pub struct ArrivalForm {
    pub party_id: String,
    pub name: String,
    pub entrances: Vec<Opt>,
    pub rooms: Vec<Opt>,
    pub entrance_error: String,
    pub room_error: String,
    /// The selects' ids: plain `entrance` and `waits_in` on the refused form, so the error summary
    /// leads to them; otherwise followed by the adult's id.
    pub entrance_key: String,
    pub room_key: String,
}

/// One adult's interpreter form: the organisation's interpreters, the one booked (or chosen, when
/// the form was refused) and the refusal's message for this adult's form only.
pub struct InterpreterForm {
    pub party_id: String,
    pub name: String,
    pub language: String,
    pub interpreters: Vec<Opt>,
    pub error: String,
    /// The select's id: plain `interpreter` on the refused form (the error summary leads to it).
    pub key: String,
}

fn interpreter_forms(
    options: Option<Vec<familytime_app::interpreters::Interpreter>>,
    booked: &[familytime_app::interpreters::BookedInterpreter],
    parties: &[familytime_store::schedule::BookedParty],
    errors: &FieldErrors,
    typed: &FormData,
) -> Vec<InterpreterForm> {
    let Some(options) = options else {
        return Vec::new();
    };
    parties
        .iter()
        .filter_map(|p| {
            let (language, _) = familytime_app::interpreters::need(p)?;
            let posted = typed.get("_posted") == "interpreter" && typed.get("party") == p.party_id;
            let chosen = if posted {
                typed.get("interpreter")
            } else {
                booked
                    .iter()
                    .find(|b| b.party_id == p.party_id)
                    .map(|b| b.interpreter_id.clone())
                    .unwrap_or_default()
            };
            Some(InterpreterForm {
                party_id: p.party_id.clone(),
                name: p.name.clone(),
                language,
                interpreters: options
                    .iter()
                    .map(|i| opt(i.id.as_str(), format!("{} ({})", i.name, i.languages), &chosen))
                    .collect(),
                error: if posted {
                    errors.message_for("interpreter").unwrap_or_default().to_owned()
                } else {
                    String::new()
                },
                key: if posted {
                    "interpreter".to_owned()
                } else {
                    format!("interpreter-{}", p.party_id)
                },
            })
        })
        .collect()
}

/// The booking's adults' arrival forms, each showing what is set, or for the adult whose form was
/// just refused, what was chosen and why it was refused.
fn arrival_forms(
    options: Option<familytime_app::arrivals::ArrivalOptions>,
    parties: &[familytime_store::schedule::BookedParty],
    errors: &FieldErrors,
    typed: &FormData,
) -> Vec<ArrivalForm> {
    let Some(options) = options else {
        return Vec::new();
    };
    parties
        .iter()
        .map(|p| {
            let posted = typed.get("party") == p.party_id && typed.get("_posted") != "interpreter";
            let (entrance, room) = if posted {
                (typed.get("entrance"), typed.get("waits_in"))
            } else {
                (
                    p.entrance_id.clone().unwrap_or_default(),
                    p.waits_in_id.clone().unwrap_or_default(),
                )
            };
            let message = |field: &str| {
                if posted {
                    errors.message_for(field).unwrap_or_default().to_owned()
                } else {
                    String::new()
                }
            };
            ArrivalForm {
                party_id: p.party_id.clone(),
                name: p.name.clone(),
                entrances: options
                    .entrances
                    .iter()
                    .map(|(id, name)| opt(id.as_str(), name.as_str(), &entrance))
                    .collect(),
                rooms: options
                    .waiting_rooms
                    .iter()
                    .map(|(id, name)| opt(id.as_str(), name.as_str(), &room))
                    .collect(),
                entrance_error: message("entrance"),
                room_error: message("waits_in"),
                entrance_key: if posted {
                    "entrance".to_owned()
                } else {
                    format!("entrance-{}", p.party_id)
                },
                room_key: if posted {
                    "waits_in".to_owned()
                } else {
                    format!("waits_in-{}", p.party_id)
                },
            }
        })
        .collect()
}

fn event_row(zone: &TimeZone, e: &familytime_store::schedule::BookingEvent) -> EventRow {
    let status = |s: &Option<String>| {
        s.as_deref()
            .map(|s| BookingStatus::parse(s).map_or(s, |b| b.label()).to_owned())
    };
    let what = match (e.event.as_str(), status(&e.from_status), status(&e.to_status)) {
        ("booked", _, Some(to)) => format!("Booked ({})", to.to_lowercase()),
        ("moved", _, _) => "Moved to another time".to_owned(),
        (_, Some(from), Some(to)) => format!("{from} → {to}"),
        (other, _, _) => other.replace('_', " "),
    };
    let what = match (&e.detail, e.event.as_str()) {
        (Some(detail), "status") if !detail.is_empty() => format!("{what}: {detail}"),
        _ => what,
    };
    EventRow {
        when: when(zone, ts_of(e.at)),
        who: e.actor_name.clone().unwrap_or_else(|| "familytime".into()),
        what,
    }
}

async fn booking_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    typed: FormData,
) -> PageResult {
    let view = app::booking(state, caller, id).await?;
    let b = &view.booking;
    let can_manage = may_manage(caller);
    let chosen_status = typed.get("status");
    let chosen_by = typed.get("cancelled_by");
    let moved_to = view.moved_to.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
    let chosen_asker = typed.get("asked_by");
    let moved_to_note = view
        .moved_to
        .as_ref()
        .map(|m| {
            format!(
                "{}, {}",
                when(&view.zone, m.span.start),
                move_asked_by(b.cancelled_by.as_deref())
            )
        })
        .unwrap_or_default();
    let moved_from_note = view
        .moved_from
        .as_ref()
        .map(|m| {
            format!(
                "{}, {}",
                when(&view.zone, m.span.start),
                move_asked_by(m.cancelled_by.as_deref())
            )
        })
        .unwrap_or_default();
    let arrival_forms = arrival_forms(
        familytime_app::arrivals::options(state, caller, b).await?,
        &view.parties,
        &errors,
        &typed,
    );
    let interpreter_forms = interpreter_forms(
        familytime_app::interpreters::options(state, caller, b).await?,
        &familytime_app::interpreters::booked(state, caller, b).await?,
        &view.parties,
        &errors,
        &typed,
    );
    let page = BookingPage {
        shell: Shell::for_caller(state, caller, "/today").await?,
        interpreter_forms,
        errors,
        s: with_warnings(
            vec![session_row(&view.zone, b, &view.parties, &view.staff)],
            app::arrival_warnings(state, caller, std::slice::from_ref(b), &view.parties).await?,
        )
        .pop()
        .ok_or(AppError::Internal("session"))?,
        centre_id: b.centre_id.to_string(),
        cancelled_by: b
            .cancelled_by
            .as_deref()
            .map(cancelled_by_label)
            .unwrap_or_default()
            .to_owned(),
        reason: b.status_reason.clone().unwrap_or_default(),
        moved_from: view.moved_from.as_ref().map(|m| m.id.to_string()).unwrap_or_default(),
        moved_from_note,
        moved_to_note,
        askers: familytime_domain::schedule::MoveAsker::ALL
            .iter()
            .map(|a| opt(a.as_str(), a.label(), &chosen_asker))
            .collect(),
        events: view.events.iter().map(|e| event_row(&view.zone, e)).collect(),
        can_manage,
        can_move: can_manage && b.status.is_live() && b.case_id.is_some(),
        can_bill: crate::pages::may(caller, familytime_domain::authz::Action::ManageBilling),
        // The pre-visit's page is for those who manage cases (as its route asks).
        arrival_forms,
        pre_visit: view
            .pre_visit
            .clone()
            .filter(|_| crate::pages::may(caller, familytime_domain::authz::Action::ManageCases))
            .unwrap_or_default(),
        moved_to,
        version: b.version,
        next: BookingStatus::ALL
            .into_iter()
            .filter(|s| b.status.may_become(*s))
            .map(|s| opt(s.as_str(), s.label(), &chosen_status))
            .collect(),
        cancellers: ["centre", "resident", "visiting", "other"]
            .into_iter()
            .map(|w| opt(w, cancelled_by_label(w), &chosen_by))
            .collect(),
        f: typed,
    };
    Ok(render_with(status, &page))
}

/// GET /bookings/{id}
pub async fn booking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    // Only `?interpreter=1` (an interpreter saved) is read from the address: no form field.
    let mut saved = FormData::empty();
    if query_form(query.as_deref()).get("interpreter") == "1" {
        saved = query_form(Some("interpreter=1"));
    }
    booking_page(&state, &caller, &id, FieldErrors::new(), StatusCode::OK, saved).await
}

/// Shows the booking again after a refused change: a stale write shows the booking as it is now.
async fn booking_failed(
    state: &AppState,
    caller: &Caller,
    id: &str,
    err: AppError,
    field: &'static str,
    form: FormData,
) -> PageResult {
    match err {
        AppError::Invalid(errors) => {
            let status = form_status(&errors);
            booking_page(state, caller, id, errors, status, form).await
        }
        err @ AppError::Stale => {
            booking_page(
                state,
                caller,
                id,
                FieldErrors::single(field, format!("{} The booking below is as it is now.", err.message())),
                StatusCode::CONFLICT,
                FormData::empty(),
            )
            .await
        }
        AppError::Conflict(message) => {
            booking_page(
                state,
                caller,
                id,
                FieldErrors::single(field, message),
                StatusCode::CONFLICT,
                form,
            )
            .await
        }
        other => Err(other.into()),
    }
}

/// POST /bookings/{id}/status
pub async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = StatusInput {
        status: form.get("status"),
        reason: form.get("reason"),
        cancelled_by: form.get("cancelled_by"),
        version: form.version(),
        waive: form.get("waive") == "yes",
        waiver_reason: form.get("waiver_reason"),
        expected: Some(form.get("expected")).filter(|e| !e.is_empty()),
    };
    let confirming_cancel = input.status == "cancelled" && input.expected.is_some();
    if input.status == "cancelled" && !confirming_cancel {
        // First show what the cancellation forfeits; the person confirms it on the next page.
        return match crate::pages::billing::cancellation_page(&state, &caller, &id, &input, FieldErrors::new()).await {
            Ok(page) => Ok(page),
            Err(err) => booking_failed(&state, &caller, &id, err, "status", form).await,
        };
    }
    match app::set_status(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/bookings/{id}")).into_response()),
        // A refused confirmation is shown on the check page again, with the outcome as it is now.
        Err(AppError::Invalid(errors)) if confirming_cancel => {
            Ok(crate::pages::billing::cancellation_page(&state, &caller, &id, &input, errors).await?)
        }
        Err(AppError::Conflict(message)) if confirming_cancel => {
            let errors = FieldErrors::single("cancellation-outcome", message);
            Ok(crate::pages::billing::cancellation_page(&state, &caller, &id, &input, errors).await?)
        }
        Err(err) => booking_failed(&state, &caller, &id, err, "status", form).await,
    }
}

/// POST /bookings/{id}/arrival: where one adult arrives and waits for the session.
pub async fn set_arrival(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = familytime_app::arrivals::ArrivalInput {
        party: form.get("party"),
        entrance: form.get("entrance"),
        waits_in: form.get("waits_in"),
        version: form.version(),
    };
    match familytime_app::arrivals::set_arrival(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/bookings/{id}#arrival-plan")).into_response()),
        Err(err) => booking_failed(&state, &caller, &id, err, "entrance", form).await,
    }
}

/// POST /bookings/{id}/interpreter: the interpreter booked for one adult of the session.
pub async fn set_interpreter(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = familytime_app::interpreters::InterpreterInput {
        party: form.get("party"),
        interpreter: form.get("interpreter"),
        version: form.version(),
    };
    match familytime_app::interpreters::set_for_booking(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/bookings/{id}?interpreter=1#interpreters")).into_response()),
        Err(err) => booking_failed(&state, &caller, &id, err, "interpreter", form).await,
    }
}

/// POST /bookings/{id}/move: the same session at a new date and time.
pub async fn move_booking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::reschedule(
        &state,
        &caller,
        &id,
        &form.get("date"),
        &form.get("time"),
        &form.get("asked_by"),
        form.version(),
    )
    .await
    {
        Ok((moved, _)) => Ok(Redirect::to(&format!("/bookings/{}", moved.id)).into_response()),
        Err(AppError::BadRequest(message)) => {
            booking_failed(
                &state,
                &caller,
                &id,
                AppError::Invalid(FieldErrors::single("date", message)),
                "date",
                form,
            )
            .await
        }
        Err(err) => booking_failed(&state, &caller, &id, err, "date", form).await,
    }
}
