//! API: money. A centre's prices and cancellation policy, the organisation's invoice details, each
//! case's funding and account (ledger, balances, what each booking waits for), recording money,
//! invoices (JSON and PDF), the cancellation outcome before cancelling, who owes what, the ledger
//! as CSV, and a parent's own account.

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use familytime_app::billing::{self as app, FundingInput, MoneyInput, PriceInput, TierInput, account_key};
use familytime_domain::billing::{Canceller, Entry, Forfeit, Pence};
use familytime_store::billing::{BillingSettings, LedgerRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn at(t: familytime_domain::Timestamp) -> String {
    t.to_string()
}

/// An amount: pence, and as people write it.
#[derive(Serialize, ToSchema)]
pub struct Money {
    pub pence: i64,
    /// For example "£147.00".
    pub text: String,
}

fn money(p: Pence) -> Money {
    Money {
        pence: p.0,
        text: p.display(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct PriceView {
    /// referral_fee, pre_visit, supervised_session, supported_session, handover_session, deposit,
    /// written_report, incident_report, mileage, supported_donation
    pub item: String,
    pub amount: Money,
    /// The date it applies from.
    pub applies_from: String,
}

/// A centre's prices, each with the date it applies from.
#[utoipa::path(get, path = "/api/v1/centres/{id}/prices", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, body = Vec<PriceView>), (status = 404, body = ErrorBody)))]
pub async fn prices(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<PriceView>>> {
    let view = app::centre_money(&state, &caller, &id).await?;
    Ok(Json(
        view.prices
            .iter()
            .map(|p| PriceView {
                item: p.price.item.as_str().into(),
                amount: money(p.price.amount),
                applies_from: p.price.from.to_string(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceBody {
    pub item: String,
    /// In pounds, like "147" or "61.50"; never negative.
    pub amount: String,
    /// Like 2027-01-01.
    pub applies_from: String,
}

/// Adds a price from a date (a later price replaces it from then; charges keep their own amounts).
#[utoipa::path(post, path = "/api/v1/centres/{id}/prices", tag = "billing", params(("id" = String, Path)),
    request_body = PriceBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_price(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PriceBody>,
) -> ApiResult<StatusCode> {
    let input = PriceInput {
        item: b.item,
        amount: b.amount,
        applies_from: b.applies_from,
    };
    app::add_price(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierBody {
    /// Cancelling with less notice than this, in hours.
    pub under_hours: i64,
    /// resident or visiting
    pub canceller: String,
    /// session_fee or deposit
    pub forfeit: String,
    /// For session_fee: the share forfeited, 1 to 100 per cent; null for a deposit.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub percent: Option<i64>,
}

/// A centre's whole cancellation policy and its version.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    pub tiers: Vec<TierBody>,
    /// As read (0 when never set); a change since is refused with 409.
    pub version: i64,
}

/// A centre's cancellation policy: the tightest tier that applies wins; none means nothing is
/// forfeited; the centre cancelling never forfeits anything.
#[utoipa::path(get, path = "/api/v1/centres/{id}/cancellation-policy", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, body = PolicyBody), (status = 404, body = ErrorBody)))]
pub async fn policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PolicyBody>> {
    let view = app::centre_money(&state, &caller, &id).await?;
    Ok(Json(PolicyBody {
        version: view.policy_version,
        tiers: view
            .policy
            .tiers()
            .iter()
            .map(|t| TierBody {
                under_hours: t.under_hours,
                canceller: if t.by == Canceller::Resident {
                    "resident"
                } else {
                    "visiting"
                }
                .into(),
                forfeit: if t.forfeit == Forfeit::Deposit {
                    "deposit"
                } else {
                    "session_fee"
                }
                .into(),
                percent: match t.forfeit {
                    Forfeit::SessionFee { basis_points } => Some(basis_points / 100),
                    _ => None,
                },
            })
            .collect(),
    }))
}

/// Replaces a centre's whole cancellation policy. A stale version is 409 and changes nothing.
#[utoipa::path(put, path = "/api/v1/centres/{id}/cancellation-policy", tag = "billing", params(("id" = String, Path)),
    request_body = PolicyBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PolicyBody>,
) -> ApiResult<StatusCode> {
    let tiers: Vec<TierInput> = b
        .tiers
        .into_iter()
        .map(|t| TierInput {
            under_hours: t.under_hours.to_string(),
            canceller: t.canceller,
            forfeit: t.forfeit,
            percent: t.percent.map(|p| p.to_string()).unwrap_or_default(),
        })
        .collect();
    app::set_policy(&state, &caller, &id, &tiers, b.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = BillingSettings)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    pub charity_name: String,
    pub charity_number: String,
    pub postal_address: String,
    pub payment_details: String,
    pub payment_terms_days: i64,
    /// Provisional bookings still unpaid this many hours after they were made are released
    /// (cancelled by the centre); null keeps them.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub release_unpaid_hours: Option<i64>,
    /// As read; 0 when never saved. A change since is refused with 409.
    pub version: i64,
}

/// The details printed on invoices and receipts.
#[utoipa::path(get, path = "/api/v1/settings/billing", tag = "billing", responses((status = 200, body = SettingsBody)))]
pub async fn settings(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<SettingsBody>> {
    let s = app::settings(&state, &caller).await?;
    Ok(Json(SettingsBody {
        charity_name: s.charity_name,
        charity_number: s.charity_number,
        postal_address: s.postal_address,
        payment_details: s.payment_details,
        payment_terms_days: s.payment_terms_days,
        release_unpaid_hours: s.release_unpaid_hours,
        version: s.version,
    }))
}

#[utoipa::path(put, path = "/api/v1/settings/billing", tag = "billing", request_body = SettingsBody,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_settings(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<SettingsBody>,
) -> ApiResult<StatusCode> {
    let input = BillingSettings {
        charity_name: b.charity_name,
        charity_number: b.charity_number,
        postal_address: b.postal_address,
        payment_details: b.payment_details,
        payment_terms_days: b.payment_terms_days,
        release_unpaid_hours: b.release_unpaid_hours,
        version: b.version,
    };
    app::save_settings(&state, &caller, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- a case's account ---------------------------------------------------------------------------

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
pub struct EntryView {
    pub id: String,
    /// charge, payment, refund, waiver, credit, deposit_held, deposit_returned, deposit_forfeited
    pub kind: String,
    pub account: String,
    pub account_name: String,
    pub amount: Money,
    pub item: Option<String>,
    pub booking_id: Option<String>,
    /// For credits and waivers: the charge they reduce.
    pub against: Option<String>,
    /// For charges: what is still owed on it.
    pub outstanding: Option<Money>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub invoice_number: Option<i64>,
    pub recorded_at: String,
}

fn entry_view(r: &LedgerRow, outstanding: Option<Pence>) -> EntryView {
    EntryView {
        id: r.id.clone(),
        kind: r.kind().into(),
        account: account_key(r.entry.account()),
        account_name: r.account_name.clone(),
        amount: money(r.entry.amount()),
        item: r.item.map(|i| i.as_str().into()),
        booking_id: r.booking_id.clone(),
        against: r.against.clone(),
        outstanding: matches!(r.entry, Entry::Charge { .. })
            .then(|| outstanding.map(money))
            .flatten(),
        method: r.method.clone(),
        reference: r.reference.clone(),
        reason: r.reason.clone(),
        invoice_number: r.invoice_number,
        recorded_at: at(r.recorded_at),
    }
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
pub struct InvoiceView {
    pub id: String,
    pub number: i64,
    pub account: String,
    pub issued_to: String,
    pub issued_at: String,
    pub due_on: String,
    /// What the invoice billed when it was issued (its lines added up).
    pub total: Money,
    /// Description and amount of each line (credits and waivers are negative).
    pub lines: Vec<(String, i64)>,
    /// Taken back from its charges since it was issued (sessions cancelled, charges waived).
    pub taken_back: Money,
    /// Paid against its charges so far (payments pay the account's oldest charges first).
    pub paid: Money,
    /// What its charges still owe: total less taken back less paid.
    pub balance_due: Money,
}

fn invoice_view(invoice: &app::Invoice) -> InvoiceView {
    let (i, s) = (&invoice.record, &invoice.standing);
    InvoiceView {
        taken_back: money(s.taken_back),
        paid: money(s.paid),
        balance_due: money(s.due),
        id: i.id.clone(),
        number: i.number,
        account: account_key(&i.account),
        issued_to: i.issued_to.clone(),
        issued_at: at(i.issued_at),
        due_on: i.due_on.to_string(),
        total: money(i.total),
        lines: i.lines.iter().map(|(d, a)| (d.clone(), a.0)).collect(),
    }
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
#[utoipa::path(get, path = "/api/v1/cases/{id}/account", tag = "billing", params(("id" = String, Path)),
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingBody {
    pub payer: String,
    pub funder_name: String,
    /// null when not limited.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub funded_sessions: Option<i64>,
    /// null when not limited.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub funded_hours: Option<i64>,
    /// The visiting parent's share of what the parents pay, per cent (null: 100).
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub visiting_percent: Option<i64>,
    /// As read (0 when never set); a change since is refused with 409.
    pub version: i64,
}

/// Sets who pays for a case.
#[utoipa::path(put, path = "/api/v1/cases/{id}/funding", tag = "billing", params(("id" = String, Path)),
    request_body = FundingBody, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_funding(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FundingBody>,
) -> ApiResult<StatusCode> {
    let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let input = FundingInput {
        payer: b.payer,
        funder_name: b.funder_name,
        funded_sessions: num(b.funded_sessions),
        funded_hours: num(b.funded_hours),
        visiting_percent: num(b.visiting_percent),
        version: b.version,
    };
    app::set_funding(&state, &caller, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyBody {
    /// payment, deposit, refund, deposit_return, waiver or charge
    pub kind: String,
    /// "party:ID" or "funder"; for a charge, omitted means "as the funding says".
    #[serde(default)]
    pub account: String,
    /// In pounds, like "147" or "61.50"; for a charge, omitted means the price list's price.
    #[serde(default)]
    pub amount: String,
    /// cash, card, bank_transfer or cheque (payments, deposits and refunds).
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub reference: String,
    /// Needed for waivers and refunds.
    #[serde(default)]
    pub reason: String,
    /// For a charge: what it is for.
    #[serde(default)]
    pub item: String,
    /// For a charge: how many (miles for mileage).
    #[serde(default)]
    pub quantity: Option<i64>,
    /// For a waiver: the charge it reduces.
    #[serde(default)]
    pub against: String,
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    pub ids: Vec<String>,
}

/// Records money on a case. A payment larger than what is owed stays as credit; bookings the money
/// now pays for are confirmed in the same transaction.
#[utoipa::path(post, path = "/api/v1/cases/{id}/ledger", tag = "billing", params(("id" = String, Path)),
    request_body = MoneyBody, responses((status = 201, body = Recorded), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MoneyBody>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    let input = MoneyInput {
        kind: b.kind,
        account: b.account,
        amount: b.amount,
        method: b.method,
        reference: b.reference,
        reason: b.reason,
        item: b.item,
        quantity: b.quantity.map(|q| q.to_string()).unwrap_or_default(),
        against: b.against,
    };
    let ids = app::record(&state, &caller, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(Recorded { ids })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceBody {
    /// "party:ID" or "funder".
    pub account: String,
    /// Only these charges; omitted means every charge of the account not yet invoiced.
    #[serde(default)]
    pub entries: Vec<String>,
}

/// Issues an invoice, numbered without gaps across the organisation.
#[utoipa::path(post, path = "/api/v1/cases/{id}/invoices", tag = "billing", params(("id" = String, Path)),
    request_body = InvoiceBody, responses((status = 201, body = InvoiceView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn issue_invoice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<InvoiceBody>,
) -> ApiResult<(StatusCode, Json<InvoiceView>)> {
    let invoice = app::issue_invoice(&state, &caller, &id, &b.account, &b.entries).await?;
    Ok((StatusCode::CREATED, Json(invoice_view(&invoice))))
}

#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, body = InvoiceView), (status = 404, body = ErrorBody)))]
pub async fn invoice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InvoiceView>> {
    Ok(Json(invoice_view(&app::invoice(&state, &caller, &id).await?)))
}

/// The invoice as a PDF (staff).
#[utoipa::path(get, path = "/api/v1/invoices/{id}/pdf", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn invoice_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let (bytes, name) = app::invoice_pdf(&state, &caller, &id).await?;
    Ok(crate::pages::reports::pdf_response(bytes, &name))
}

/// An account's statement on a case as a PDF: every entry with the balance after it.
#[utoipa::path(get, path = "/api/v1/cases/{id}/statements/{account}", tag = "billing",
    params(("id" = String, Path), ("account" = String, Path, description = "party:ID or funder")),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn statement_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, account)): Path<(String, String)>,
) -> ApiResult<axum::response::Response> {
    let (bytes, name) = app::statement_pdf(&state, &caller, &id, &account).await?;
    Ok(crate::pages::reports::pdf_response(bytes, &name))
}

/// One of the parent's own invoices as a PDF.
#[utoipa::path(get, path = "/api/v1/my-account/invoices/{id}/pdf", tag = "billing", params(("id" = String, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
pub async fn own_invoice_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let (bytes, name) = app::invoice_pdf(&state, &caller, &id).await?;
    Ok(crate::pages::reports::pdf_response(bytes, &name))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeBody {
    /// centre, resident, visiting or other
    pub cancelled_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct OutcomeView {
    /// Whole minutes of notice, were it cancelled now.
    pub notice_minutes: i64,
    /// What is forfeited, in words; send it back as `expected_outcome` when cancelling.
    pub description: String,
    /// Each account that forfeits something, and how much.
    pub forfeits: Vec<(String, Money)>,
}

/// What cancelling the booking now would forfeit, under the centre's policy (nothing changes).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancellation-outcome", tag = "billing", params(("id" = String, Path)),
    request_body = OutcomeBody, responses((status = 200, body = OutcomeView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancellation_outcome(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OutcomeBody>,
) -> ApiResult<Json<OutcomeView>> {
    let p = app::cancellation_preview(&state, &caller, &id, &b.cancelled_by).await?;
    Ok(Json(OutcomeView {
        notice_minutes: p.outcome.notice_minutes,
        forfeits: p
            .outcome
            .kept
            .iter()
            .map(|(a, m, _)| (account_key(a), money(*m)))
            .collect(),
        description: p.description,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct OwedView {
    pub case_id: String,
    pub case_reference: String,
    pub name: String,
    pub owed: Money,
    /// The due date of the oldest invoice past due, when the account still owes money.
    pub overdue_since: Option<String>,
}

/// Who owes what across the organisation, largest first, with overdue invoices.
#[utoipa::path(get, path = "/api/v1/billing/outstanding", tag = "billing", responses((status = 200, body = Vec<OwedView>)))]
pub async fn outstanding(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<OwedView>>> {
    Ok(Json(
        app::outstanding(&state, &caller)
            .await?
            .into_iter()
            .map(|l| OwedView {
                case_id: l.case_id.to_string(),
                case_reference: l.case_reference,
                name: l.name,
                owed: money(l.owed),
                overdue_since: l.overdue_since.map(|d| d.to_string()),
            })
            .collect(),
    ))
}

/// The organisation's whole ledger as CSV, for its accounts. Audited.
#[utoipa::path(get, path = "/api/v1/billing/ledger.csv", tag = "billing",
    responses((status = 200, description = "CSV", content_type = "text/csv")))]
pub async fn ledger_csv(State(state): State<AppState>, caller: Caller) -> ApiResult<axum::response::Response> {
    let csv = app::ledger_csv(&state, &caller).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
}

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
#[utoipa::path(get, path = "/api/v1/my-account", tag = "billing", responses((status = 200, body = Vec<OwnCaseView>)))]
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

#[derive(Serialize, ToSchema)]
pub struct GrantView {
    pub amount: Money,
    pub source: String,
    pub received_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct BursaryView {
    /// What is left: grants less what the fund was charged (net of what was taken back).
    pub left: Money,
    pub grants: Vec<GrantView>,
}

/// The centre's bursary fund.
#[utoipa::path(get, path = "/api/v1/billing/bursary", tag = "billing", responses((status = 200, body = BursaryView)))]
pub async fn bursary(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BursaryView>> {
    let b = app::bursary(&state, &caller).await?;
    Ok(Json(BursaryView {
        left: money(b.left),
        grants: b
            .grants
            .into_iter()
            .map(|(amount, source, on, _)| GrantView {
                amount: money(amount),
                source,
                received_on: on.to_string(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    /// In pounds.
    pub amount: String,
    pub source: String,
    /// Like 2026-11-25.
    pub received_on: String,
}

/// Records money given to the bursary fund.
#[utoipa::path(post, path = "/api/v1/billing/bursary", tag = "billing", request_body = GrantBody,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn add_grant(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<GrantBody>,
) -> ApiResult<StatusCode> {
    app::add_bursary_grant(&state, &caller, &b.amount, &b.source, &b.received_on).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Released {
    pub released: usize,
}

/// Releases now the provisional bookings still unpaid after the organisation's set time (the
/// server also does this every ten minutes): each is cancelled by the centre, forfeiting nothing.
#[utoipa::path(post, path = "/api/v1/billing/release-unpaid", tag = "billing", responses((status = 200, body = Released)))]
pub async fn release_unpaid(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Released>> {
    let released = app::release_unpaid_now(&state, &caller).await?;
    Ok(Json(Released { released }))
}
