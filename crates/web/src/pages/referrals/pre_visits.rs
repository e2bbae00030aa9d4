//! Pre-visits: booking one from the case page, and the page that records how it went.

use super::case_file::{case_page_kept, done};
use crate::pages::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use familytime_app::referrals;
use familytime_domain::text::FieldErrors;

pub async fn schedule_pre_visit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = referrals::PreVisitInput {
        party_id: form.get("party_id"),
        date: form.get("date"),
        time: form.get("time"),
        room_id: form.get("room_id"),
        staff: form.all("staff"),
    };
    match referrals::schedule_pre_visit(&state, &caller, &id, &input).await {
        Ok(familytime_app::schedule::BookingOutcome::Booked(..)) => Ok(done(&id, "pre_visit")),
        Ok(familytime_app::schedule::BookingOutcome::Refused(r)) => {
            case_page_kept(&state, &caller, &id, FieldErrors::single("time", r.message()), form).await
        }
        Err(AppError::Invalid(errors)) => case_page_kept(&state, &caller, &id, errors, form).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "pre_visit.html")]
struct PreVisitPage {
    shell: Shell,
    errors: FieldErrors,
    id: String,
    case_id: String,
    reference: String,
    adult: String,
    role: &'static str,
    when: String,
    version: i64,
    checklist: &'static [(&'static str, &'static str)],
    ticked: crate::pages::people::Chosen,
    notes: String,
    rules_agreed: bool,
    /// Whether its time has come, so how it went can be recorded.
    due: bool,
    /// Its booking (empty for one booked before pre-visits were bookings).
    booking_id: String,
}

async fn visit_page(
    state: &AppState,
    caller: &Caller,
    visit: &str,
    errors: FieldErrors,
    typed: Option<&FormData>,
) -> PageResult {
    let (v, summary, zone) = referrals::pre_visit(state, caller, visit).await?;
    let status = form_status(&errors);
    let page = PreVisitPage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        id: v.id.clone(),
        case_id: summary.id.to_string(),
        reference: summary.reference,
        adult: v.party_name.clone(),
        role: v.role.label(),
        when: v.at.to_zoned(zone).strftime("%A %-d %B %Y at %H:%M").to_string(),
        version: typed.map(FormData::version).unwrap_or(v.version),
        checklist: &familytime_domain::previsits::CHECKLIST,
        ticked: crate::pages::people::Chosen(typed.map(|f| f.all("checklist")).unwrap_or(v.checklist.clone())),
        notes: typed
            .map(|f| f.get("notes"))
            .unwrap_or_else(|| v.notes.clone().unwrap_or_default()),
        rules_agreed: typed.map(|f| f.checked("rules_agreed")).unwrap_or(v.rules_agreed),
        due: familytime_domain::previsits::may_record(v.at, state.clock.now()).is_ok(),
        booking_id: v.booking_id.clone().unwrap_or_default(),
    };
    Ok(render_with(status, &page))
}

pub async fn pre_visit(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    visit_page(&state, &caller, &id, FieldErrors::new(), None).await
}

pub async fn record_pre_visit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = referrals::VisitRecordInput {
        status: form.get("status"),
        rules_agreed: form.checked("rules_agreed"),
        checklist: form.all("checklist"),
        notes: form.get("notes"),
        version: form.version(),
    };
    match referrals::record_pre_visit(&state, &caller, &id, &input).await {
        Ok(case) => Ok(Redirect::to(&format!("/cases/{case}")).into_response()),
        Err(AppError::Invalid(errors)) => visit_page(&state, &caller, &id, errors, Some(&form)).await,
        Err(err @ AppError::Stale) => {
            visit_page(
                &state,
                &caller,
                &id,
                FieldErrors::single("status", err.message()),
                Some(&form),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
