//! The check before a booking is cancelled (what it forfeits, to confirm or waive), and setting a
//! centre's cancellation policy from its money page.

use super::prices::centre_page;
use super::when;
use crate::context::Caller;
use crate::pages::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::billing::{self as app, TierInput};
use familytime_app::schedule::StatusInput;
use familytime_domain::billing::Forfeit;
use familytime_domain::schedule::BookingKind;
use familytime_domain::text::FieldErrors;

#[derive(Template)]
#[template(path = "cancel_booking.html")]
struct CancelPage {
    shell: Shell,
    errors: FieldErrors,
    booking_id: String,
    label: String,
    outcome: String,
    forfeits: bool,
    deposit: bool,
    reason: String,
    cancelled_by: String,
    version: i64,
    waive: bool,
    waiver_reason: String,
}

/// The check before a cancellation: what it forfeits, to confirm (or waive, with a reason).
pub async fn cancellation_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &StatusInput,
    shown: FieldErrors,
) -> Result<axum::response::Response, AppError> {
    let mut errors = FieldErrors::new();
    if input.reason.trim().is_empty() {
        errors.add("reason", "Say why");
    }
    if familytime_domain::billing::Canceller::parse(&input.cancelled_by).is_none() {
        errors.add("cancelled_by", "Say who cancelled");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let preview = app::cancellation_preview(state, caller, id, &input.cancelled_by).await?;
    let template = CancelPage {
        shell: Shell::for_caller(state, caller, "/today").await?,
        errors: shown,
        booking_id: preview.booking.id.to_string(),
        label: format!(
            "{}, {}",
            BookingKind::parse(&preview.booking.kind)
                .map(|k| k.label())
                .unwrap_or("Booking"),
            when(&preview.zone, preview.booking.span.start)
        ),
        forfeits: !preview.outcome.kept.is_empty(),
        deposit: preview.outcome.forfeit == Forfeit::Deposit,
        outcome: preview.description,
        reason: input.reason.trim().to_owned(),
        cancelled_by: input.cancelled_by.trim().to_owned(),
        version: input.version,
        waive: input.waive,
        waiver_reason: input.waiver_reason.clone(),
    };
    let status = if template.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_with(status, &template))
}

/// POST /centres/{id}/cancellation-policy: the tiers as parallel lists (one row per tier; empty rows
/// are left out), or `preset` = seed, tiered or none.
pub async fn set_policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let tiers = match form.get("preset").as_str() {
        "seed" => vec![
            tier("48", "visiting", "session_fee", "100"),
            tier("48", "resident", "deposit", ""),
        ],
        "tiered" => ["resident", "visiting"]
            .iter()
            .flat_map(|by| {
                [
                    tier("24", by, "session_fee", "100"),
                    tier("48", by, "session_fee", "50"),
                ]
            })
            .collect(),
        _ => Vec::new(),
    };
    match app::set_policy(&state, &caller, &id, &tiers, form.version()).await {
        Ok(()) => Ok(Redirect::to(&format!("/centres/{id}/money#policy")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            centre_page(&state, &caller, &id, errors, status, form).await
        }
        // Changed meanwhile: nothing saved; the page shows the policy as it is now.
        Err(err @ AppError::Stale) => {
            let errors = FieldErrors::single("preset", format!("{} The policy shown is as it is now.", err.message()));
            centre_page(&state, &caller, &id, errors, StatusCode::CONFLICT, form).await
        }
        Err(e) => Err(e.into()),
    }
}

fn tier(hours: &str, by: &str, forfeit: &str, percent: &str) -> TierInput {
    TierInput {
        under_hours: hours.into(),
        canceller: by.into(),
        forfeit: forfeit.into(),
        percent: percent.into(),
    }
}
