//! The session record pages: one page per session with the briefing, the register, rule breaches
//! and, for supervised kinds of session, the observation record (made for a tablet: large controls,
//! drafts saved as you go by a small script, and a stale save shown beside what is saved).

use super::{FormData, PageResult, Shell, render_with};
use crate::context::Caller;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::records::{
    self as app, BreachInput, ObservationInput, RegisterInput, SessionRecordView, StopInput,
};
use familytime_domain::Timestamp;
use familytime_domain::records::{Attendance, Breach, Checklist, Observation, SECTIONS, StopReason};
use familytime_domain::text::FieldErrors;
use jiff::tz::TimeZone;

/// A register row on the page: a person expected (or admitted) and what is recorded for them.
pub struct RegisterRow {
    pub who: String,
    pub name: String,
    pub role: String,
    pub attendance: String,
    pub arrived: String,
    pub left: String,
    pub brought_by: String,
    pub collected_by: String,
    pub late_minutes: String,
    pub late_reason: String,
    /// The resident parent's departure after the drop-off and return for the pick-up.
    pub departed: String,
    pub returned: String,
    pub resident: bool,
    pub version: i64,
    pub key: String,
}

pub struct SectionView {
    pub field: &'static str,
    pub heading: &'static str,
    pub hint: &'static str,
    pub text: String,
}

pub struct TickView {
    pub id: String,
    pub label: String,
    pub ticked: bool,
}

pub struct AddendumView {
    pub who: String,
    pub when: String,
    pub reason: String,
    pub text: String,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "session_record.html")]
struct SessionRecordPage {
    shell: Shell,
    errors: FieldErrors,
    id: String,
    case_id: String,
    reference: String,
    kind: String,
    when: String,
    status: String,
    booking_version: i64,
    staff: String,
    register_open: bool,
    /// Why the session is closed (its record is signed off): shown instead of the register's forms.
    closed: String,
    /// The register as recorded, one line a person, for a closed session.
    recorded: Vec<String>,
    /// What the last action did (a notification banner), when the page is shown after it.
    notice: Option<&'static str>,
    rows: Vec<RegisterRow>,
    attendance: Vec<(&'static str, &'static str)>,
    breaches: Vec<(&'static str, &'static str)>,
    stop_reasons: Vec<(&'static str, &'static str)>,
    adults: Vec<(String, String)>,
    events: Vec<(String, String, String)>,
    may_stop: bool,
    briefing: Option<app::Briefing>,
    plan: Vec<(String, String, String, String)>,
    has_record_part: bool,
    not_yet: String,
    record_id: String,
    record_version: i64,
    signed: bool,
    signed_note: String,
    author: String,
    sections: Vec<SectionView>,
    checklist: Vec<TickView>,
    addenda: Vec<AddendumView>,
    /// After a stale save: the text as saved by the other tab, shown above the person's own text.
    stale_saved: Vec<SectionView>,
    form: FormData,
}

fn local_time(zone: &TimeZone, at: Option<Timestamp>) -> String {
    at.map(|t| t.to_zoned(zone.clone()).strftime("%H:%M").to_string())
        .unwrap_or_default()
}

fn when(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%A %-d %B %Y, %H:%M").to_string()
}

fn rows(view: &SessionRecordView) -> Vec<RegisterRow> {
    let zone = &view.session.zone;
    let file = &view.session.file;
    let entry_row =
        |who: String, key: String, name: String, role: String, e: Option<&familytime_store::records::RegisterEntry>| {
            RegisterRow {
                who,
                key,
                name,
                role,
                attendance: e.map(|e| e.attendance.as_str().to_owned()).unwrap_or_default(),
                arrived: local_time(zone, e.and_then(|e| e.arrived_at)),
                left: local_time(zone, e.and_then(|e| e.left_at)),
                brought_by: e.and_then(|e| e.brought_by.clone()).unwrap_or_default(),
                collected_by: e.and_then(|e| e.collected_by.clone()).unwrap_or_default(),
                late_minutes: e
                    .and_then(|e| e.late_minutes)
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                late_reason: e.and_then(|e| e.late_reason.clone()).unwrap_or_default(),
                departed: local_time(zone, e.and_then(|e| e.departed_at)),
                returned: local_time(zone, e.and_then(|e| e.returned_at)),
                resident: false,
                version: e.map(|e| e.version).unwrap_or(0),
            }
        };
    let mut out = Vec::new();
    for p in file.parties.iter().filter(|p| p.may_attend) {
        let id = p.id.to_string();
        let e = view
            .register
            .iter()
            .find(|e| e.party_id.as_deref() == Some(id.as_str()));
        let mut row = entry_row(
            format!("party:{id}"),
            format!("p{}", out.len()),
            p.name.clone(),
            p.role.label().to_owned(),
            e,
        );
        row.resident = p.role == familytime_domain::intake::PartyRole::Resident;
        out.push(row);
    }
    for c in &file.children {
        let id = c.id.to_string();
        let e = view
            .register
            .iter()
            .find(|e| e.child_id.as_deref() == Some(id.as_str()));
        out.push(entry_row(
            format!("child:{id}"),
            format!("c{}", out.len()),
            c.name.clone(),
            "Child".into(),
            e,
        ));
    }
    for e in view.register.iter().filter(|e| e.visitor_name.is_some()) {
        out.push(entry_row(
            "visitor".into(),
            format!("v{}", out.len()),
            e.visitor_name.clone().unwrap_or_default(),
            format!("Admitted: {}", e.admission_reason.clone().unwrap_or_default()),
            Some(e),
        ));
    }
    out
}

fn sections_of(content: &Observation) -> Vec<SectionView> {
    SECTIONS
        .iter()
        .map(|s| SectionView {
            field: s.field,
            heading: s.heading,
            hint: s.hint,
            text: content.section(s.field).to_owned(),
        })
        .collect()
}

/// Builds the page. `typed` is what the person sent when their save was refused, so it is shown
/// again instead of what is stored; `notice` confirms what the last action did.
#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    form: FormData,
    typed: Option<Observation>,
    notice: Option<&'static str>,
) -> PageResult {
    let view = app::session_record(state, caller, id).await?;
    let zone = view.session.zone.clone();
    let booking = &view.session.booking;
    let (has_record_part, not_yet, record) = match &view.observation {
        Some(part) => (true, part.not_yet.clone().unwrap_or_default(), part.record.as_ref()),
        None => (false, String::new(), None),
    };
    let stored = record.map(|r| r.content.clone()).unwrap_or_default();
    let stale_saved = if typed.is_some() && record.is_some() {
        sections_of(&stored)
            .into_iter()
            .filter(|s| !s.text.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    let shown = typed.unwrap_or(stored);
    let addenda = view
        .observation
        .as_ref()
        .map(|p| {
            p.addenda
                .iter()
                .map(|a| AddendumView {
                    who: a.author_name.clone(),
                    when: when(&zone, familytime_store::schedule::ts_of(a.at)),
                    reason: a.reason.clone(),
                    text: a.text.clone(),
                    hash: a.content_hash.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let plan = view
        .parties
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                local_time(&zone, Some(familytime_store::schedule::ts_of(p.arrives_at))),
                local_time(&zone, Some(familytime_store::schedule::ts_of(p.leaves_at))),
                p.waits_in.clone().unwrap_or_else(|| "—".into()),
            )
        })
        .collect();
    let template = SessionRecordPage {
        shell: Shell::for_caller(state, caller, "/today").await?,
        errors,
        id: booking.id.to_string(),
        case_id: view.session.file.summary.id.to_string(),
        reference: view.session.file.summary.reference.clone(),
        kind: view.session.kind.label().to_owned(),
        when: when(&zone, booking.span.start),
        status: booking.status.label().to_owned(),
        booking_version: booking.version,
        staff: view.staff.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", "),
        register_open: view.register_open,
        closed: view.closed.unwrap_or_default().to_owned(),
        notice,
        recorded: rows(&view)
            .into_iter()
            .filter(|r| !r.attendance.is_empty())
            .map(|r| {
                let mut line = format!(
                    "{}: {}",
                    r.name,
                    Attendance::parse(&r.attendance).map_or(r.attendance.as_str(), |a| a.label())
                );
                if !r.arrived.is_empty() {
                    line.push_str(&format!(", arrived {}", r.arrived));
                }
                if !r.departed.is_empty() {
                    line.push_str(&format!(", left the premises {}", r.departed));
                }
                if !r.returned.is_empty() {
                    line.push_str(&format!(", came back {}", r.returned));
                }
                if !r.left.is_empty() {
                    line.push_str(&format!(", left {}", r.left));
                }
                line
            })
            .collect(),
        rows: rows(&view).into_iter().map(|row| typed_line(row, &form)).collect(),
        attendance: Attendance::ALL.iter().map(|a| (a.as_str(), a.label())).collect(),
        breaches: Breach::ALL.iter().map(|b| (b.as_str(), b.label())).collect(),
        stop_reasons: StopReason::ALL.iter().map(|b| (b.as_str(), b.label())).collect(),
        adults: view
            .session
            .file
            .parties
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
        events: view
            .events
            .iter()
            .map(|e| {
                (
                    when(&zone, familytime_store::schedule::ts_of(e.at)),
                    Breach::parse(&e.kind)
                        .map(|b| b.label().to_owned())
                        .unwrap_or_else(|| e.kind.clone()),
                    e.detail.clone(),
                )
            })
            .collect(),
        may_stop: view.may_observe
            && view.closed.is_none()
            && booking.status == familytime_store::schedule::BookingStatus::Confirmed,
        briefing: view.briefing,
        plan,
        has_record_part,
        not_yet,
        record_id: record.map(|r| r.id.clone()).unwrap_or_default(),
        record_version: record.map(|r| r.version).unwrap_or(0),
        signed: record.is_some_and(|r| r.signed),
        signed_note: record
            .filter(|r| r.signed)
            .map(|r| {
                format!(
                    "Signed off by {} on {}. Content hash (SHA-256): {}",
                    r.author_name,
                    r.signed_at.map(|t| when(&zone, t)).unwrap_or_default(),
                    r.content_hash.clone().unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        author: record.map(|r| r.author_name.clone()).unwrap_or_default(),
        // The organisation's checklist now, then anything a record ticked that has since left it.
        checklist: view
            .checklist
            .items()
            .iter()
            .chain(shown.checklist.iter().filter(|t| !view.checklist.items().contains(t)))
            .enumerate()
            .map(|(n, label)| TickView {
                id: format!("checklist-{n}"),
                label: label.clone(),
                ticked: shown.checklist.contains(label),
            })
            .collect(),
        sections: sections_of(&shown),
        addenda,
        stale_saved,
        form,
    };
    Ok(render_with(status, &template))
}

/// The form as sent, marked with which of the page's forms it was, so only that form is filled in
/// again with what was typed (the breach and stop forms share field names).
fn posted(mut form: FormData, which: &str) -> FormData {
    form.0.push(("_posted".to_owned(), which.to_owned()));
    form
}

/// A register line as the person typed it, when it was their line that was refused.
fn typed_line(mut row: RegisterRow, form: &FormData) -> RegisterRow {
    if form.get("_posted") == "register" && form.get("who") == row.who {
        row.attendance = form.get("attendance");
        row.arrived = form.get("arrived");
        row.left = form.get("left");
        row.late_minutes = form.get("late_minutes");
        row.late_reason = form.get("late_reason");
        row.brought_by = form.get("brought_by");
        row.collected_by = form.get("collected_by");
        row.departed = form.get("departed");
        row.returned = form.get("returned");
    }
    row
}

fn back(id: &str, anchor: &str) -> PageResult {
    Ok(Redirect::to(&format!("/bookings/{id}/record#{anchor}")).into_response())
}

/// Shows the page again after a refusal (see `super::refusal`).
async fn failed(
    state: &AppState,
    caller: &Caller,
    id: &str,
    err: AppError,
    field: &'static str,
    form: FormData,
) -> PageResult {
    let (errors, status, keep) = super::refusal(err, field)?;
    let form = if keep { form } else { FormData::empty() };
    page(state, caller, id, errors, status, form, None, None).await
}

/// GET /bookings/{id}/record (`?added=addendum`, `register`, `breach` or `stop` after one is saved, to confirm it)
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> PageResult {
    let notice = match query.get("added").map(String::as_str) {
        Some("addendum") => {
            Some("Addendum added. It is listed under the signed record, with who added it, when and why.")
        }
        Some("register") => Some("Register saved."),
        Some("breach") => Some("Rule breach recorded."),
        Some("stop") => Some("The session is recorded as stopped early."),
        _ => None,
    };
    page(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        StatusCode::OK,
        FormData::empty(),
        None,
        notice,
    )
    .await
}

/// POST /bookings/{id}/register: one person's line.
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = RegisterInput {
        who: form.get("who"),
        visitor_name: form.get("visitor_name"),
        admission_reason: form.get("admission_reason"),
        attendance: form.get("attendance"),
        arrived: match form.get("arrived") {
            a if a.is_empty() => form.get("visitor_arrived"),
            a => a,
        },
        left: form.get("left"),
        brought_by: form.get("brought_by"),
        collected_by: form.get("collected_by"),
        late_minutes: form.get("late_minutes"),
        late_reason: form.get("late_reason"),
        departed: form.get("departed"),
        returned: form.get("returned"),
        version: form.get("version").trim().parse().unwrap_or(0),
    };
    match app::write_register(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/bookings/{id}/record?added=register#register")).into_response()),
        // The register has a form per person, so its problems are listed together at the register.
        Err(AppError::Invalid(errors)) => {
            let mut together = FieldErrors::new();
            for e in errors.0 {
                together.add("register", e.message);
            }
            failed(
                &state,
                &caller,
                &id,
                AppError::Invalid(together),
                "register",
                posted(form, "register"),
            )
            .await
        }
        Err(err) => failed(&state, &caller, &id, err, "register", posted(form, "register")).await,
    }
}

/// POST /bookings/{id}/breaches
pub async fn breach(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = BreachInput {
        kind: form.get("kind"),
        party: form.get("party"),
        detail: form.get("detail"),
    };
    match app::record_breach(&state, &caller, &id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/bookings/{id}/record?added=breach#breaches")).into_response()),
        Err(err) => failed(&state, &caller, &id, err, "breach_kind", posted(form, "breach")).await,
    }
}

fn observation_input(form: &FormData) -> ObservationInput {
    ObservationInput {
        sections: SECTIONS
            .iter()
            .map(|s| (s.field.to_owned(), form.get(s.field)))
            .collect(),
        checklist: form.all("checklist"),
        version: form.get("version").trim().parse().unwrap_or(-1),
    }
}

/// POST /bookings/{id}/observation: saves the draft. A stale save keeps what the person typed on the
/// page, with the saved version shown above it, so nothing is lost or silently overwritten.
pub async fn save(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, form: FormData) -> PageResult {
    let input = observation_input(&form);
    match app::save_observation(&state, &caller, &id, &input).await {
        Ok(_) => back(&id, "observation"),
        Err(AppError::Stale) => {
            let fields: Vec<(&str, &str)> = input.sections.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let checklist = Checklist::from_stored(input.checklist.clone());
            let typed = Observation::parse(&fields, &input.checklist, &checklist).unwrap_or_default();
            let message = "This record was saved from another tab or device since you opened it, so your text was not saved. \
                           What is saved is shown first; your text is still in the form below: copy what you need and save again.";
            page(
                &state,
                &caller,
                &id,
                FieldErrors::single("arrival", message),
                StatusCode::CONFLICT,
                FormData::empty(),
                Some(typed),
                None,
            )
            .await
        }
        Err(err) => failed(&state, &caller, &id, err, "arrival", form).await,
    }
}

/// POST /observations/{id}/sign
pub async fn sign(
    State(state): State<AppState>,
    caller: Caller,
    Path(record): Path<String>,
    form: FormData,
) -> PageResult {
    let booking = form.get("booking");
    match app::sign_observation(&state, &caller, &record, form.version()).await {
        Ok(_) => back(&booking, "observation"),
        Err(err) if !booking.is_empty() => failed(&state, &caller, &booking, err, "arrival", form).await,
        Err(err) => Err(err.into()),
    }
}

/// POST /observations/{id}/addenda
pub async fn addendum(
    State(state): State<AppState>,
    caller: Caller,
    Path(record): Path<String>,
    form: FormData,
) -> PageResult {
    let booking = form.get("booking");
    match app::add_addendum(
        &state,
        &caller,
        &record,
        &form.get("addendum_text"),
        &form.get("addendum_reason"),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/bookings/{booking}/record?added=addendum#addenda")).into_response()),
        Err(err) if !booking.is_empty() => failed(&state, &caller, &booking, err, "addendum_text", form).await,
        Err(err) => Err(err.into()),
    }
}

/// POST /bookings/{id}/stop
pub async fn stop(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, form: FormData) -> PageResult {
    let input = StopInput {
        reason: form.get("reason"),
        detail: form.get("detail"),
        version: form.version(),
    };
    match app::stop_session(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/bookings/{id}/record?added=stop")).into_response()),
        Err(err) => failed(&state, &caller, &id, err, "stop_reason", posted(form, "stop")).await,
    }
}

#[derive(Template)]
#[template(path = "observation_checklist.html")]
struct ChecklistPage {
    shell: Shell,
    errors: FieldErrors,
    text: String,
    version: i64,
}

/// GET /settings/observation-checklist
pub async fn checklist(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (list, version) = app::checklist(&state, &caller).await?;
    let page = ChecklistPage {
        shell: Shell::for_caller(&state, &caller, "/centres").await?,
        errors: FieldErrors::new(),
        text: list.items().join("\n"),
        version,
    };
    Ok(render_with(StatusCode::OK, &page))
}

/// POST /settings/observation-checklist
pub async fn save_checklist(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    match app::set_checklist(
        &state,
        &caller,
        &form.get("checklist"),
        form.get("version").trim().parse().unwrap_or(-1),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/settings/observation-checklist").into_response()),
        Err(err) => {
            let (errors, status, keep) = super::refusal(err, "checklist")?;
            let (list, version) = app::checklist(&state, &caller).await?;
            let page = ChecklistPage {
                shell: Shell::for_caller(&state, &caller, "/centres").await?,
                errors,
                text: if keep {
                    form.get("checklist")
                } else {
                    list.items().join("\n")
                },
                version,
            };
            Ok(render_with(status, &page))
        }
    }
}
