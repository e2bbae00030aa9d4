//! API: a parent's own account: their bookings with their own times, their money and invoices.

use super::invoices::{InvoiceView, invoice_view};
use super::ledger::{EntryView, entry_view};
use super::{Money, at, money};
use crate::api::ApiResult;
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::State;
use familytime_app::billing as app;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct OwnBookingView {
    pub booking_id: String,
    pub kind: String,
    pub status: String,
    /// When the session starts and ends.
    pub starts_at: String,
    pub ends_at: String,
    /// When *you* arrive and leave (the stagger keeps the parties apart).
    pub arrive_at: String,
    pub leave_at: String,
    /// The entrance *you* use (null: the usual way in).
    pub entrance: Option<String>,
    /// When you leave the premises after the drop-off and come back for the pick-up (null: you
    /// stay, or do not bring the child).
    pub depart_at: Option<String>,
    pub return_at: Option<String>,
    /// The interpreter booked for you at this session, if one is.
    pub interpreter: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OwnCaseView {
    pub case_reference: String,
    pub centre: String,
    /// Positive: owed; negative: in credit.
    pub owed: Money,
    pub deposit_held: Money,
    pub bookings: Vec<OwnBookingView>,
    pub entries: Vec<EntryView>,
    pub invoices: Vec<InvoiceView>,
}

/// The signed-in parent's own bookings (with their own arrival and leaving times), money and
/// invoices. Nothing about the other party.
#[utoipa::path(get, path = "/api/v1/my-account", operation_id = "get_my_account", tag = "billing", responses((status = 200, body = Vec<OwnCaseView>)))]
pub async fn own(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<OwnCaseView>>> {
    let cases = app::own_account(&state, &caller).await?;
    let ts = familytime_store::schedule::ts_of;
    Ok(Json(
        cases
            .iter()
            .map(|c| OwnCaseView {
                case_reference: c.case_reference.clone(),
                centre: c.centre_name.clone(),
                owed: money(c.owed),
                deposit_held: money(c.deposit_held),
                bookings: c
                    .bookings
                    .iter()
                    .map(|(b, plan)| OwnBookingView {
                        booking_id: b.id.to_string(),
                        kind: b.kind.clone(),
                        status: b.status.as_str().into(),
                        starts_at: at(b.span.start),
                        ends_at: at(b.span.end),
                        arrive_at: at(ts(plan.arrives_at)),
                        leave_at: at(ts(plan.leaves_at)),
                        entrance: plan.entrance.clone(),
                        depart_at: plan.departs_at.map(|d| at(ts(d))),
                        return_at: plan.returns_at.map(|r| at(ts(r))),
                        interpreter: plan.interpreter.clone(),
                    })
                    .collect(),
                entries: c
                    .rows
                    .iter()
                    .map(|r| EntryView {
                        account_name: String::new(),
                        ..entry_view(r, None)
                    })
                    .collect(),
                invoices: c.invoices.iter().map(invoice_view).collect(),
            })
            .collect(),
    ))
}
