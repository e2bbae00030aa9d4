//! A centre's money page: its prices and cancellation policy, and adding a price from a date.

use super::choice;
use crate::context::Caller;
use crate::pages::reports::Choice;
use crate::pages::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::billing::{self as app, PriceInput};
use familytime_domain::billing::{Forfeit, Item};
use familytime_domain::text::FieldErrors;

pub struct PriceLine {
    pub item: String,
    pub amount: String,
    pub from: String,
}

pub struct TierLine {
    pub text: String,
}

#[derive(Template)]
#[template(path = "centre_money.html")]
struct CentreMoneyPage {
    shell: Shell,
    errors: FieldErrors,
    centre_id: String,
    centre_name: String,
    prices: Vec<PriceLine>,
    tiers: Vec<TierLine>,
    /// The policy's version the form is opened at.
    policy_version: i64,
    items: Vec<Choice>,
    form: FormData,
}

pub(super) async fn centre_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    form: FormData,
) -> PageResult {
    let view = app::centre_money(state, caller, id).await?;
    let template = CentreMoneyPage {
        shell: Shell::for_caller(state, caller, "/centres").await?,
        errors,
        centre_id: view.centre.id.to_string(),
        centre_name: view.centre.name.clone(),
        policy_version: view.policy_version,
        prices: view
            .prices
            .iter()
            .map(|p| PriceLine {
                item: p.price.item.label().to_owned(),
                amount: p.price.amount.display(),
                from: p.price.from.strftime("%-d %B %Y").to_string(),
            })
            .collect(),
        tiers: view
            .policy
            .tiers()
            .iter()
            .map(|t| TierLine {
                text: format!(
                    "Cancelled by the {} parent with under {} hours' notice: {}",
                    match t.by {
                        familytime_domain::billing::Canceller::Resident => "resident",
                        _ => "visiting",
                    },
                    t.under_hours,
                    match t.forfeit {
                        Forfeit::Deposit => "the deposit is forfeited".to_owned(),
                        Forfeit::SessionFee { basis_points } =>
                            format!("{}% of the session fee is forfeited", basis_points / 100),
                        Forfeit::Nothing => "nothing".to_owned(),
                    }
                ),
            })
            .collect(),
        items: Item::ALL
            .iter()
            .map(|i| choice(i.as_str(), i.label(), &form.get("item")))
            .collect(),
        form,
    };
    Ok(render_with(status, &template))
}

/// GET /centres/{id}/money
pub async fn centre(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    centre_page(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        StatusCode::OK,
        FormData::empty(),
    )
    .await
}

/// POST /centres/{id}/prices
pub async fn add_price(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = PriceInput {
        item: form.get("item"),
        amount: form.get("amount"),
        applies_from: form.get("applies_from"),
    };
    match app::add_price(&state, &caller, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/centres/{id}/money#prices")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            centre_page(&state, &caller, &id, errors, status, form).await
        }
        Err(e) => Err(e.into()),
    }
}
