//! The money pages: a case's account (funding, balances, what each booking waits for, recording
//! money, invoices and receipts), the cancellation check before a booking is cancelled, a centre's
//! prices and cancellation policy, the organisation's invoice details, the outstanding and overdue
//! list with the ledger export, and a parent's own account.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use super::reports::{Choice, pdf_response};
use super::{FormData, PageResult, Shell, form_status, refusal, render_with};
use crate::context::Caller;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use familytime_app::billing::{self as app, FundingInput, MoneyInput, PriceInput, TierInput};
use familytime_app::schedule::StatusInput;
use familytime_domain::Timestamp;
use familytime_domain::billing::{Entry, Forfeit, Item, Payer, describe_balance};
use familytime_domain::schedule::BookingKind;
use familytime_domain::text::FieldErrors;
use familytime_store::billing::BillingSettings;
use jiff::tz::TimeZone;

fn when(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%a %-d %b %Y, %H:%M").to_string()
}

fn choice(value: &str, label: &str, chosen: &str) -> Choice {
    Choice {
        value: value.to_owned(),
        label: label.to_owned(),
        checked: chosen == value,
    }
}

pub struct AccountRow {
    pub key: String,
    pub name: String,
    pub standing: String,
    pub deposit: String,
}

pub struct LedgerLine {
    pub id: String,
    pub when: String,
    pub account: String,
    pub kind: String,
    pub detail: String,
    pub amount: String,
    pub left: String,
    pub invoice: String,
    pub receipt: bool,
}

pub struct BookingLine {
    pub id: String,
    pub label: String,
    pub status: String,
    pub owing: String,
}

pub struct InvoiceLine {
    pub id: String,
    pub number: i64,
    pub to: String,
    pub issued: String,
    pub due: String,
    /// What it billed when issued.
    pub total: String,
    /// What was taken back since (empty when nothing was).
    pub taken_back: String,
    pub paid: String,
    pub balance: String,
}

impl InvoiceLine {
    fn of(zone: &TimeZone, invoice: &app::Invoice) -> InvoiceLine {
        let (i, s) = (&invoice.record, &invoice.standing);
        InvoiceLine {
            id: i.id.clone(),
            number: i.number,
            to: i.issued_to.clone(),
            issued: when(zone, i.issued_at),
            due: i.due_on.strftime("%-d %b %Y").to_string(),
            total: s.billed.display(),
            taken_back: if s.taken_back.0 > 0 {
                s.taken_back.display()
            } else {
                String::new()
            },
            paid: s.paid.display(),
            balance: s.due.display(),
        }
    }
}

/// What the last action on the money page did, read back from the ledger or the invoices by the id
/// the redirect carries (so the banner says what was really recorded, never what a link claims).
fn notice_of(view: &app::CaseAccount, query: &std::collections::HashMap<String, String>) -> Option<String> {
    if let Some(ids) = query.get("recorded") {
        let said: Vec<String> = ids
            .split(',')
            .filter_map(|id| view.rows.iter().find(|r| r.id == id.trim()))
            .map(|r| {
                let (amount, name) = (r.entry.amount().display(), &r.account_name);
                match r.entry {
                    Entry::Payment { .. } => format!("Payment of {amount} recorded for {name}"),
                    Entry::DepositHeld { .. } => format!("Deposit of {amount} recorded for {name}"),
                    Entry::Refund { .. } => format!("Refund of {amount} to {name} recorded"),
                    Entry::DepositReturned { .. } => format!("Deposit of {amount} returned to {name}"),
                    Entry::Waiver { .. } => format!("{amount} waived for {name}"),
                    Entry::Charge { .. } => format!("Charge of {amount} recorded for {name}"),
                    Entry::Credit { .. } | Entry::DepositForfeited { .. } => {
                        format!("{} of {amount} recorded", app::entry_words(&r.entry))
                    }
                }
            })
            .collect();
        return (!said.is_empty()).then(|| format!("{}.", said.join("; ")));
    }
    if let Some(id) = query.get("invoiced") {
        let invoice = view.invoices.iter().find(|i| i.record.id == id.trim())?;
        let (i, s) = (&invoice.record, &invoice.standing);
        return Some(format!(
            "Invoice {} created for {}: {} billed, {} paid, {} due by {}.",
            i.number,
            i.issued_to,
            s.billed.display(),
            s.paid.display(),
            s.due.display(),
            i.due_on.strftime("%-d %B %Y")
        ));
    }
    (query.get("saved").map(String::as_str) == Some("funding")).then(|| "Who pays was saved.".to_owned())
}

#[derive(Template)]
#[template(path = "case_money.html")]
struct CaseMoneyPage {
    shell: Shell,
    errors: FieldErrors,
    /// What the last action did (a notification banner).
    notice: Option<String>,
    case_id: String,
    reference: String,
    payer: String,
    funded_use: Option<String>,
    deposit: Option<String>,
    accounts: Vec<AccountRow>,
    bookings: Vec<BookingLine>,
    rows: Vec<LedgerLine>,
    invoices: Vec<InvoiceLine>,
    payers: Vec<Choice>,
    account_choices: Vec<Choice>,
    invoice_choices: Vec<Choice>,
    kinds: Vec<Choice>,
    methods: Vec<Choice>,
    items: Vec<Choice>,
    charges: Vec<Choice>,
    funding_version: i64,
    funding: FormData,
    form: FormData,
}

async fn case_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    form: FormData,
) -> PageResult {
    case_page_with(state, caller, id, errors, status, form, &Default::default()).await
}

async fn case_page_with(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    form: FormData,
    query: &std::collections::HashMap<String, String>,
) -> PageResult {
    let view = app::account(state, caller, id).await?;
    let notice = if errors.is_empty() {
        notice_of(&view, query)
    } else {
        None
    };
    let money = &view.money;
    let zone = &money.zone;
    let funding = &money.funding;
    let funding_form = FormData::from_pairs(vec![
        ("payer", funding.payer.as_str().to_owned()),
        ("funder_name", funding.funder_name.clone()),
        (
            "funded_sessions",
            funding.funded_sessions.map(|n| n.to_string()).unwrap_or_default(),
        ),
        (
            "funded_hours",
            funding.funded_minutes.map(|m| (m / 60).to_string()).unwrap_or_default(),
        ),
        ("visiting_percent", (funding.visiting_share / 100).to_string()),
    ]);
    let funding_form = if form.get("form") == "funding" {
        form.clone()
    } else {
        funding_form
    };
    let label = |b: &familytime_store::schedule::Booking| {
        format!(
            "{}, {}",
            BookingKind::parse(&b.kind).map(|k| k.label()).unwrap_or("Booking"),
            when(zone, b.span.start)
        )
    };
    let charges: Vec<Choice> = view
        .rows
        .iter()
        .filter(|r| matches!(r.entry, Entry::Charge { .. }))
        .filter(|r| view.outstanding.get(&r.id).is_some_and(|p| p.0 > 0))
        .map(|r| {
            choice(
                &r.id,
                &format!(
                    "{}: {} ({} still owed)",
                    r.account_name,
                    r.item.map(|i| i.label()).unwrap_or("Charge"),
                    view.outstanding.get(&r.id).copied().unwrap_or_default().display()
                ),
                &form.get("against"),
            )
        })
        .collect();
    let template = CaseMoneyPage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        notice,
        case_id: money.people.summary.id.to_string(),
        reference: money.people.summary.reference.clone(),
        payer: match funding.payer {
            Payer::Private => format!(
                "The parents pay: the visiting parent {}%, the resident parent {}%",
                funding.visiting_share / 100,
                100 - funding.visiting_share / 100
            ),
            _ => format!("{} ({})", funding.funder_name, funding.payer.label()),
        },
        funded_use: (funding.payer != Payer::Private).then(|| funding.describe_use(view.used)),
        deposit: view.deposit_price.map(|p| p.display()),
        accounts: view
            .accounts
            .iter()
            .map(|a| AccountRow {
                key: a.key.clone(),
                name: a.name.clone(),
                standing: describe_balance(a.owed),
                deposit: if a.deposit_held.0 > 0 {
                    a.deposit_held.display()
                } else {
                    String::new()
                },
            })
            .collect(),
        bookings: view
            .bookings
            .iter()
            .filter(|b| b.booking.status.is_live())
            .map(|b| BookingLine {
                id: b.booking.id.to_string(),
                label: label(&b.booking),
                status: b.booking.status.label().to_owned(),
                owing: if b.owing.is_settled() {
                    "Paid or funded".into()
                } else {
                    b.description.clone()
                },
            })
            .collect(),
        rows: view
            .rows
            .iter()
            .rev()
            .map(|r| LedgerLine {
                id: r.id.clone(),
                when: when(zone, r.recorded_at),
                account: r.account_name.clone(),
                kind: app::entry_words(&r.entry).to_owned(),
                detail: [
                    r.item.map(|i| i.label().to_owned()),
                    r.method.clone().map(|m| m.replace('_', " ")),
                    r.reference.clone(),
                    r.reason.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(". "),
                amount: r.entry.amount().display(),
                left: match r.entry {
                    Entry::Charge { .. } => view
                        .outstanding
                        .get(&r.id)
                        .map(|p| {
                            if p.0 == 0 {
                                "Paid".into()
                            } else {
                                format!("{} owed", p.display())
                            }
                        })
                        .unwrap_or_default(),
                    _ => String::new(),
                },
                invoice: r.invoice_number.map(|n| n.to_string()).unwrap_or_default(),
                receipt: matches!(r.entry, Entry::Payment { .. } | Entry::DepositHeld { .. }),
            })
            .collect(),
        invoices: view.invoices.iter().map(|i| InvoiceLine::of(zone, i)).collect(),
        payers: Payer::ALL
            .iter()
            .map(|p| choice(p.as_str(), p.label(), &funding_form.get("payer")))
            .collect(),
        account_choices: view
            .accounts
            .iter()
            .map(|a| choice(&a.key, &a.name, &form.get("account")))
            .collect(),
        invoice_choices: view
            .accounts
            .iter()
            .map(|a| choice(&a.key, &a.name, &form.get("invoice_account")))
            .collect(),
        kinds: [
            ("payment", "A payment"),
            ("deposit", "The resident parent's deposit, paid"),
            ("charge", "A charge (a report, mileage, a fee)"),
            ("waiver", "A waiver of a charge"),
            ("refund", "A refund"),
            ("deposit_return", "The deposit, returned"),
        ]
        .iter()
        .map(|(v, l)| choice(v, l, &form.get("kind")))
        .collect(),
        methods: [
            ("card", "Card"),
            ("bank_transfer", "Bank transfer"),
            ("cash", "Cash"),
            ("cheque", "Cheque"),
        ]
        .iter()
        .map(|(v, l)| choice(v, l, &form.get("method")))
        .collect(),
        items: Item::ALL
            .iter()
            .filter(|i| !matches!(i, Item::Deposit))
            .map(|i| choice(i.as_str(), i.label(), &form.get("item")))
            .collect(),
        charges,
        funding_version: money.funding_version,
        funding: funding_form,
        form: if form.get("form") == "funding" {
            FormData::empty()
        } else {
            form
        },
    };
    Ok(render_with(status, &template))
}

/// GET /cases/{id}/money (`?recorded=ID,…`, `?invoiced=ID` or `?saved=funding` after an action,
/// to confirm it)
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> PageResult {
    case_page_with(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        StatusCode::OK,
        FormData::empty(),
        &query,
    )
    .await
}

async fn after(
    state: &AppState,
    caller: &Caller,
    id: &str,
    result: Result<String, AppError>,
    form: FormData,
    field: &'static str,
    anchor: &str,
) -> PageResult {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/cases/{id}/money?{done}#{anchor}")).into_response()),
        Err(err) => {
            let (errors, status, keep) = refusal(err, field)?;
            let form = if keep { form } else { FormData::empty() };
            case_page(state, caller, id, errors, status, form).await
        }
    }
}

/// POST /cases/{id}/funding
pub async fn set_funding(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = FundingInput {
        payer: form.get("payer"),
        funder_name: form.get("funder_name"),
        funded_sessions: form.get("funded_sessions"),
        funded_hours: form.get("funded_hours"),
        visiting_percent: form.get("visiting_percent"),
        version: form.version(),
    };
    let result = app::set_funding(&state, &caller, &id, &input)
        .await
        .map(|()| "saved=funding".to_owned());
    after(&state, &caller, &id, result, form, "payer", "funding").await
}

/// POST /cases/{id}/money: a payment, deposit, charge, waiver or refund.
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = MoneyInput {
        kind: form.get("kind"),
        account: form.get("account"),
        amount: form.get("amount"),
        method: form.get("method"),
        reference: form.get("reference"),
        reason: form.get("reason"),
        item: form.get("item"),
        quantity: form.get("quantity"),
        against: form.get("against"),
    };
    let result = app::record(&state, &caller, &id, &input)
        .await
        .map(|ids| format!("recorded={}", ids.join(",")));
    after(&state, &caller, &id, result, form, "amount", "ledger").await
}

/// POST /cases/{id}/invoices
pub async fn issue_invoice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    match app::issue_invoice(&state, &caller, &id, &form.get("invoice_account"), &[]).await {
        Ok(invoice) => Ok(Redirect::to(&format!(
            "/cases/{id}/money?invoiced={}#invoice-{}",
            invoice.record.id, invoice.record.number
        ))
        .into_response()),
        // The choice is kept, so the person sees whose invoice was refused.
        Err(AppError::Invalid(e)) => {
            let errors = FieldErrors::single("invoice_account", e.messages().join(" "));
            case_page(&state, &caller, &id, errors, StatusCode::UNPROCESSABLE_ENTITY, form).await
        }
        Err(AppError::Conflict(m)) => {
            case_page(
                &state,
                &caller,
                &id,
                FieldErrors::single("invoice_account", m),
                StatusCode::CONFLICT,
                form,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// GET /invoices/{id}/pdf: staff, and the parent it is addressed to.
pub async fn invoice_pdf(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let (bytes, name) = app::invoice_pdf(&state, &caller, &id).await?;
    Ok(pdf_response(bytes, &name))
}

/// GET /cases/{id}/statements/{account}: staff, and the parent whose account it is.
pub async fn statement_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, account)): Path<(String, String)>,
) -> PageResult {
    let (bytes, name) = app::statement_pdf(&state, &caller, &id, &account).await?;
    Ok(pdf_response(bytes, &name))
}

/// GET /cases/{id}/receipts/{entry}: staff, and the parent who paid.
pub async fn receipt_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, entry)): Path<(String, String)>,
) -> PageResult {
    let (bytes, name) = app::receipt_pdf(&state, &caller, &id, &entry).await?;
    Ok(pdf_response(bytes, &name))
}

// ---- cancelling a booking -------------------------------------------------------------------------

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

// ---- a centre's prices and policy ------------------------------------------------------------------

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

async fn centre_page(
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

// ---- the organisation's details, lists and export -------------------------------------------------

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

async fn overview_page(
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

/// POST /billing/bursary: money given to the bursary fund.
pub async fn add_grant(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    match app::add_bursary_grant(
        &state,
        &caller,
        &form.get("grant_amount"),
        &form.get("grant_source"),
        &form.get("grant_received_on"),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/billing#bursary").into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            overview_page(&state, &caller, errors, status, form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// GET /billing/ledger.csv
pub async fn ledger_csv(State(state): State<AppState>, caller: Caller) -> PageResult {
    let csv = app::ledger_csv(&state, &caller).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"ledger.csv\""),
        ],
        csv,
    )
        .into_response())
}

// ---- a parent's own account ------------------------------------------------------------------------

pub struct OwnBooking {
    pub label: String,
    pub arrive: String,
    pub leave: String,
    pub status: String,
}

pub struct OwnCaseView {
    pub case_id: String,
    pub account: String,
    pub reference: String,
    pub centre: String,
    pub standing: String,
    pub deposit: String,
    pub bookings: Vec<OwnBooking>,
    /// Whether any of them is provisional (then what that means is explained).
    pub any_provisional: bool,
    pub rows: Vec<LedgerLine>,
    pub invoices: Vec<InvoiceLine>,
}

#[derive(Template)]
#[template(path = "my_account.html")]
struct OwnPage {
    shell: Shell,
    cases: Vec<OwnCaseView>,
}

/// A parent's booking's status, saying where a moved session went (or came from) and who asked.
fn own_status(
    all: &[(
        familytime_store::schedule::Booking,
        familytime_store::schedule::BookedParty,
    )],
    b: &familytime_store::schedule::Booking,
    zone: &TimeZone,
) -> String {
    let at = |x: &familytime_store::schedule::Booking| {
        x.span
            .start
            .to_zoned(zone.clone())
            .strftime("%A %-d %B %Y, %H:%M")
            .to_string()
    };
    let id = b.id.to_string();
    let mut others = all.iter().map(|(x, _)| x);
    if let Some(new) = others
        .clone()
        .find(|x| x.rescheduled_from.as_deref() == Some(id.as_str()))
    {
        return format!(
            "Moved to {}, {}",
            at(new),
            super::schedule::move_asked_by(b.cancelled_by.as_deref())
        );
    }
    if let Some(old) = b
        .rescheduled_from
        .as_deref()
        .and_then(|from| others.find(|x| x.id.to_string() == from))
    {
        return format!(
            "{}, moved from {}, {}",
            b.status.label(),
            at(old),
            super::schedule::move_asked_by(old.cancelled_by.as_deref())
        );
    }
    b.status.label().to_owned()
}

/// GET /my-account
pub async fn own(State(state): State<AppState>, caller: Caller) -> PageResult {
    let cases = app::own_account(&state, &caller).await?;
    let hm = |zone: &TimeZone, ms: i64| {
        familytime_store::schedule::ts_of(ms)
            .to_zoned(zone.clone())
            .strftime("%H:%M")
            .to_string()
    };
    let template = OwnPage {
        shell: Shell::for_caller(&state, &caller, "/my-account").await?,
        cases: cases
            .iter()
            .map(|c| OwnCaseView {
                case_id: c.case_id.to_string(),
                account: c.account.clone(),
                reference: c.case_reference.clone(),
                centre: c.centre_name.clone(),
                standing: describe_balance(c.owed),
                deposit: if c.deposit_held.0 > 0 {
                    c.deposit_held.display()
                } else {
                    String::new()
                },
                any_provisional: c
                    .bookings
                    .iter()
                    .any(|(b, _)| b.status == familytime_store::schedule::BookingStatus::Provisional),
                bookings: c
                    .bookings
                    .iter()
                    .map(|(b, plan)| OwnBooking {
                        label: format!(
                            "{}, {}",
                            BookingKind::parse(&b.kind).map(|k| k.label()).unwrap_or("Booking"),
                            b.span.start.to_zoned(c.zone.clone()).strftime("%A %-d %B %Y")
                        ),
                        arrive: hm(&c.zone, plan.arrives_at),
                        leave: hm(&c.zone, plan.leaves_at),
                        status: own_status(&c.bookings, b, &c.zone),
                    })
                    .collect(),
                rows: c
                    .rows
                    .iter()
                    .rev()
                    .map(|r| LedgerLine {
                        id: r.id.clone(),
                        when: when(&c.zone, r.recorded_at),
                        account: String::new(),
                        kind: app::entry_words(&r.entry).to_owned(),
                        detail: r.item.map(|i| i.label().to_owned()).unwrap_or_default(),
                        amount: r.entry.amount().display(),
                        left: String::new(),
                        invoice: r.invoice_number.map(|n| n.to_string()).unwrap_or_default(),
                        receipt: matches!(r.entry, Entry::Payment { .. } | Entry::DepositHeld { .. }),
                    })
                    .collect(),
                invoices: c.invoices.iter().map(|i| InvoiceLine::of(&c.zone, i)).collect(),
            })
            .collect(),
    };
    Ok(render_with(StatusCode::OK, &template))
}
