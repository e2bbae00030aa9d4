//! The organisation's details printed on invoices and receipts, and when unpaid bookings are released.

use crate::context::Caller;
use crate::pages::{FormData, PageResult, Shell, refusal, render_with};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::billing as app;
use familytime_domain::text::FieldErrors;
use familytime_store::billing::BillingSettings;

#[derive(Template)]
#[template(path = "billing_settings.html")]
struct SettingsPage {
    shell: Shell,
    errors: FieldErrors,
    form: FormData,
    version: i64,
}

/// GET /settings/billing
pub async fn settings(State(state): State<AppState>, caller: Caller) -> PageResult {
    let s = app::settings(&state, &caller).await?;
    let form = FormData::from_pairs(vec![
        ("charity_name", s.charity_name),
        ("charity_number", s.charity_number),
        ("postal_address", s.postal_address),
        ("payment_details", s.payment_details),
        ("payment_terms_days", s.payment_terms_days.to_string()),
        (
            "release_unpaid_hours",
            s.release_unpaid_hours.map(|h| h.to_string()).unwrap_or_default(),
        ),
    ]);
    let template = SettingsPage {
        shell: Shell::for_caller(&state, &caller, "/home").await?,
        errors: FieldErrors::new(),
        form,
        version: s.version,
    };
    Ok(render_with(StatusCode::OK, &template))
}

/// POST /settings/billing
pub async fn save_settings(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let days = form.get("payment_terms_days").trim().parse::<i64>();
    let release = match form.get("release_unpaid_hours").trim() {
        "" => Ok(None),
        h => h.parse::<i64>().map(Some),
    };
    let input = BillingSettings {
        charity_name: form.get("charity_name"),
        charity_number: form.get("charity_number"),
        postal_address: form.get("postal_address"),
        payment_details: form.get("payment_details"),
        payment_terms_days: days.clone().unwrap_or(-1),
        release_unpaid_hours: release.clone().unwrap_or(Some(-1)),
        version: form.version(),
    };
    let result = if days.is_err() {
        Err(AppError::Invalid(FieldErrors::single(
            "payment_terms_days",
            "Enter the days to pay, 0 to 365",
        )))
    } else if release.is_err() {
        Err(AppError::Invalid(FieldErrors::single(
            "release_unpaid_hours",
            "Enter a whole number of hours, or leave it empty",
        )))
    } else {
        app::save_settings(&state, &caller, &input).await
    };
    match result {
        Ok(()) => Ok(Redirect::to("/settings/billing").into_response()),
        Err(err) => {
            let (errors, status, _) = refusal(err, "charity_name")?;
            let template = SettingsPage {
                shell: Shell::for_caller(&state, &caller, "/home").await?,
                errors,
                version: input.version,
                form,
            };
            Ok(render_with(status, &template))
        }
    }
}
