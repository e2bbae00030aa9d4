//! API: a case's account: funding, balances per account, what each booking waits for, the ledger
//! and invoices.

use super::invoices::{InvoiceView, invoice_view};
use super::ledger::{EntryView, entry_view};
use super::{Money, money};
use crate::api::{ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use familytime_app::billing as app;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct FundingView {
    /// private, cafcass, local_authority, legal_aid, charity_grant or bursary
    pub payer: String,
    pub funder_name: String,
    pub funded_sessions: Option<u32>,
    pub funded_minutes: Option<i64>,
    /// The visiting parent's share of what the parents pay, per cent.
    pub visiting_percent: i64,
    /// For example "3 of 6 sessions, 6 of 12 hours used" (null when the parents pay).
    pub used: Option<String>,
    /// 0 when never set (the default for the referral's source applies).
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct AccountView {
    /// "party:ID" or "funder".
    pub account: String,
    pub name: String,
    /// Positive: owed; negative: in credit.
    pub owed: Money,
    pub deposit_held: Money,
}

#[derive(Serialize, ToSchema)]
pub struct BookingMoneyView {
    pub booking_id: String,
    pub status: String,
    /// Whether the booking's money is settled (paid, funded or waived, and the deposit held).
    pub settled: bool,
    /// Who owes what for it, for example "Sam Jones owes £147.00".
    pub owing: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseAccountView {
    pub funding: FundingView,
    pub accounts: Vec<AccountView>,
    pub bookings: Vec<BookingMoneyView>,
    pub entries: Vec<EntryView>,
    pub invoices: Vec<InvoiceView>,
}

/// A case's money: funding, balances per account, what each booking waits for, the ledger (oldest
/// first) and invoices. Audited as a read of the case file.
#[utoipa::path(get, path = "/api/v1/cases/{id}/account", operation_id = "get_case_account", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, body = CaseAccountView), (status = 404, body = ErrorBody)))]
pub async fn account(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseAccountView>> {
    let v = app::account(&state, &caller, &id).await?;
    let f = &v.money.funding;
    Ok(Json(CaseAccountView {
        funding: FundingView {
            payer: f.payer.as_str().into(),
            funder_name: f.funder_name.clone(),
            funded_sessions: f.funded_sessions,
            funded_minutes: f.funded_minutes,
            visiting_percent: f.visiting_share / 100,
            used: f.funder().map(|_| f.describe_use(v.used)),
            version: v.money.funding_version,
        },
        accounts: v
            .accounts
            .iter()
            .map(|a| AccountView {
                account: a.key.clone(),
                name: a.name.clone(),
                owed: money(a.owed),
                deposit_held: money(a.deposit_held),
            })
            .collect(),
        bookings: v
            .bookings
            .iter()
            .map(|b| BookingMoneyView {
                booking_id: b.booking.id.to_string(),
                status: b.booking.status.as_str().into(),
                settled: b.owing.is_settled(),
                owing: b.description.clone(),
            })
            .collect(),
        entries: v
            .rows
            .iter()
            .map(|r| entry_view(r, v.outstanding.get(&r.id).copied()))
            .collect(),
        invoices: v.invoices.iter().map(invoice_view).collect(),
    }))
}
