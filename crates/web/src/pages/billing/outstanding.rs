//! The billing overview: who owes what, what is overdue, and the bursary fund.

use crate::AppState;
use crate::context::Caller;
use crate::pages::{FormData, PageResult, Shell, render_with};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use familytime_app::billing as app;
use familytime_domain::text::FieldErrors;

pub struct OwedRow {
    pub case_id: String,
    pub reference: String,
    pub name: String,
    pub owed: String,
    pub overdue: String,
}

pub struct GrantRow {
    pub amount: String,
    pub source: String,
    pub received: String,
}

#[derive(Template)]
#[template(path = "billing.html")]
struct BillingPage {
    shell: Shell,
    errors: FieldErrors,
    owed: Vec<OwedRow>,
    overdue: usize,
    bursary_left: String,
    grants: Vec<GrantRow>,
    form: FormData,
}

pub(super) async fn overview_page(
    state: &AppState,
    caller: &Caller,
    errors: FieldErrors,
    status: StatusCode,
    form: FormData,
) -> PageResult {
    let lines = app::outstanding(state, caller).await?;
    let bursary = app::bursary(state, caller).await?;
    let template = BillingPage {
        shell: Shell::for_caller(state, caller, "/billing").await?,
        errors,
        overdue: lines.iter().filter(|l| l.overdue_since.is_some()).count(),
        owed: lines
            .into_iter()
            .map(|l| OwedRow {
                case_id: l.case_id.to_string(),
                reference: l.case_reference,
                name: l.name,
                owed: l.owed.display(),
                overdue: l
                    .overdue_since
                    .map(|d| format!("Overdue since {}", d.strftime("%-d %b %Y")))
                    .unwrap_or_default(),
            })
            .collect(),
        bursary_left: bursary.left.display(),
        grants: bursary
            .grants
            .into_iter()
            .map(|(amount, source, on, _)| GrantRow {
                amount: amount.display(),
                source,
                received: on.strftime("%-d %b %Y").to_string(),
            })
            .collect(),
        form,
    };
    Ok(render_with(status, &template))
}

/// GET /billing: who owes what, what is overdue, and the bursary fund.
pub async fn overview(State(state): State<AppState>, caller: Caller) -> PageResult {
    overview_page(&state, &caller, FieldErrors::new(), StatusCode::OK, FormData::empty()).await
}
