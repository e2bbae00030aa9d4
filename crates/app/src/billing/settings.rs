//! The organisation's details for invoices, receipts and statements: reading and saving them, and
//! the letterhead and footer every money paper is typeset with.

use crate::case_files::file_org;
use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::OrganisationId;
use familytime_domain::language::Lang;
use familytime_domain::text::FieldErrors;
use familytime_store::billing::BillingSettings;

pub(super) async fn letterhead(state: &AppState, org: OrganisationId) -> Result<(String, BillingSettings), AppError> {
    let settings = state.store.billing_settings(org).await?;
    let name = if settings.charity_name.trim().is_empty() {
        state.store.organisation(org).await?.name
    } else {
        settings.charity_name.clone()
    };
    Ok((name, settings))
}

pub(super) fn footer(lang: Lang, name: &str, settings: &BillingSettings) -> Option<String> {
    let mut lines = vec![name.to_owned()];
    if !settings.charity_number.trim().is_empty() {
        lines.push(crate::paper::wv(
            lang,
            "pdf-charity-number",
            &[("number", settings.charity_number.trim())],
        ));
    }
    if !settings.postal_address.trim().is_empty() {
        lines.push(settings.postal_address.trim().to_owned());
    }
    Some(lines.join("\n"))
}

pub async fn settings(state: &AppState, caller: &Caller) -> Result<BillingSettings, AppError> {
    let org = file_org(caller)?;
    authorize(state, caller, Action::SetPrices, Object::Organisation(org)).await?;
    Ok(state.store.billing_settings(org).await?)
}

pub async fn save_settings(state: &AppState, caller: &Caller, input: &BillingSettings) -> Result<(), AppError> {
    let org = file_org(caller)?;
    authorize(state, caller, Action::SetPrices, Object::Organisation(org)).await?;
    let mut errors = FieldErrors::new();
    for (field, value, max) in [
        ("charity_name", &input.charity_name, 200),
        ("charity_number", &input.charity_number, 40),
        ("postal_address", &input.postal_address, 500),
        ("payment_details", &input.payment_details, 1_000),
    ] {
        if value.chars().count() > max {
            errors.add(field, format!("Keep this to {max} characters or fewer"));
        }
    }
    if !(0..=365).contains(&input.payment_terms_days) {
        errors.add("payment_terms_days", "Enter the days to pay, 0 to 365");
    }
    if input.release_unpaid_hours.is_some_and(|h| !(1..=2160).contains(&h)) {
        errors.add(
            "release_unpaid_hours",
            "Enter the hours after which unpaid bookings are released, 1 to 2,160, or leave it empty",
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let clean = BillingSettings {
        charity_name: input.charity_name.trim().to_owned(),
        charity_number: input.charity_number.trim().to_owned(),
        postal_address: input.postal_address.trim().to_owned(),
        payment_details: input.payment_details.trim().to_owned(),
        ..input.clone()
    };
    Ok(state
        .store
        .save_billing_settings(&caller.scope(state.clock.now()), org, &clean)
        .await?)
}
