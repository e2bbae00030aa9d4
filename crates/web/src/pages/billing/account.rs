//! A case's account page: its funding, the balance of each account, what each booking waits for,
//! the ledger and the invoices, with the forms that record money; and the page again after an
//! action, saying what was done.

use super::rows::{InvoiceLine, LedgerLine};
use super::{choice, when};
use crate::context::Caller;
use crate::pages::reports::Choice;
use crate::pages::{FormData, PageResult, Shell, refusal, render_with};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::billing as app;
use familytime_domain::billing::{Entry, Item, Payer, describe_balance};
use familytime_domain::schedule::BookingKind;
use familytime_domain::text::FieldErrors;

pub struct AccountRow {
    pub key: String,
    pub name: String,
    pub standing: String,
    pub deposit: String,
}

pub struct BookingLine {
    pub id: String,
    pub label: String,
    pub status: String,
    pub owing: String,
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

pub(super) async fn case_page(
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

pub(super) async fn after(
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
