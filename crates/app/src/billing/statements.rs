//! An account's papers besides invoices: a receipt for a payment or a deposit, and the account's
//! statement on a case, each as a PDF, for staff or the parent whose account it is, in the reader's
//! language (issue 22).

use super::access::authorize_own_or_staff;
use super::case_money::{CaseMoney, load_money};
use super::settings::{footer, letterhead};
use crate::case_files::file_org;
use crate::paper::{account_paper, balance, day, entry, method, money, render, w};
use crate::{AppError, AppState, Caller, found, parse_id};
use familytime_domain::Timestamp;
use familytime_domain::billing::{Account, Entry, Pence};
use familytime_domain::ids::CaseId;
use familytime_domain::language::Lang;
use familytime_reports::{Block, Document, DocumentKind};
use familytime_store::AuditEvent;
use familytime_store::billing::{BillingSettings, LedgerRow};
use jiff::tz::TimeZone;

/// A receipt for a payment or a deposit, as a PDF, in the reader's language (`page`: the language
/// of the page it was asked from; see `paper::account_paper`). The download is audited.
pub async fn receipt_pdf(
    state: &AppState,
    caller: &Caller,
    case: &str,
    entry: &str,
    page: Lang,
) -> Result<(Vec<u8>, String), AppError> {
    let case_id = parse_id(case, CaseId::parse)?;
    let org = file_org(caller)?;
    let people = found(
        state,
        caller,
        state.store.case_people(org, case_id).await,
        "case",
        case_id,
    )
    .await?;
    let rows = state.store.ledger(org, case_id).await?;
    let row = rows
        .into_iter()
        .find(|r| r.id == entry.trim() && matches!(r.entry, Entry::Payment { .. } | Entry::DepositHeld { .. }))
        .ok_or(AppError::NotFound)?;
    authorize_own_or_staff(state, caller, &people, row.entry.account()).await?;
    let money = load_money(state, org, people).await?;
    let (name, settings) = letterhead(state, org).await?;
    let langs = account_paper(state, org, caller, row.entry.account(), page).await?;
    let parts = langs
        .into_iter()
        .map(|lang| receipt(lang, &row, &money.zone, &name, &settings))
        .collect();
    let bytes = render(parts, "the receipt could not be rendered").await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.receipt_download", "ledger_entry", &row.id),
        )
        .await?;
    Ok((bytes, format!("receipt-{}.pdf", row.recorded_at.strftime("%Y%m%d"))))
}

/// An account's statement on a case as a PDF: every entry with the balance after it, for the staff
/// or for the parent whose account it is, in the reader's language (as a receipt). The download is
/// audited.
pub async fn statement_pdf(
    state: &AppState,
    caller: &Caller,
    case: &str,
    account: &str,
    page: Lang,
) -> Result<(Vec<u8>, String), AppError> {
    let case_id = parse_id(case, CaseId::parse)?;
    let org = file_org(caller)?;
    let people = found(
        state,
        caller,
        state.store.case_people(org, case_id).await,
        "case",
        case_id,
    )
    .await?;
    let money = load_money(state, org, people).await?;
    let account = money.account(account).ok_or(AppError::NotFound)?;
    authorize_own_or_staff(state, caller, &money.people, &account).await?;
    let rows: Vec<LedgerRow> = state
        .store
        .ledger(org, case_id)
        .await?
        .into_iter()
        .filter(|r| *r.entry.account() == account)
        .collect();
    let (name, settings) = letterhead(state, org).await?;
    let langs = account_paper(state, org, caller, &account, page).await?;
    let now = state.clock.now();
    let parts = langs
        .into_iter()
        .map(|lang| statement(lang, &money, &account, &rows, now, &name, &settings))
        .collect();
    let bytes = render(parts, "the statement could not be rendered").await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.statement_download", "case", case_id),
        )
        .await?;
    Ok((bytes, format!("statement-{}.pdf", money.people.summary.reference)))
}

/// A receipt in one language.
fn receipt(lang: Lang, row: &LedgerRow, zone: &TimeZone, name: &str, settings: &BillingSettings) -> Document {
    let thanks = if matches!(row.entry, Entry::DepositHeld { .. }) {
        "pdf-receipt-deposit-thanks"
    } else {
        "pdf-receipt-payment-thanks"
    };
    let mut meta = vec![
        (w(lang, "pdf-date"), day(lang, zone, row.recorded_at)),
        (w(lang, "pdf-receipt-from"), row.account_name.clone()),
        (w(lang, "pdf-amount"), money(row.entry.amount())),
        (
            w(lang, "pdf-receipt-paid-by"),
            row.method.as_deref().map(|m| method(lang, m)).unwrap_or_default(),
        ),
    ];
    if let Some(reference) = &row.reference {
        meta.push((w(lang, "pdf-reference"), reference.clone()));
    }
    Document {
        kind: DocumentKind::Account,
        lang,
        organisation: name.to_owned(),
        title: w(lang, "pdf-receipt-title"),
        reference: Some(row.case_reference.clone()),
        meta,
        caveat: None,
        blocks: vec![Block::Paragraph(w(lang, thanks))],
        footer_note: footer(lang, name, settings),
    }
}

/// A statement in one language: every entry on the account with the balance after it.
fn statement(
    lang: Lang,
    money_on_case: &CaseMoney,
    account: &Account,
    rows: &[LedgerRow],
    now: Timestamp,
    name: &str,
    settings: &BillingSettings,
) -> Document {
    let zone = &money_on_case.zone;
    let mut owed = 0i64;
    let mut held = 0i64;
    let mut table = Vec::new();
    for r in rows {
        owed += r.entry.owed_change();
        held += r.entry.deposit_change();
        // The price item in the reader's language; reasons and references as typed.
        let detail = [
            r.item.map(|i| w(lang, &format!("price-{}", i.as_str()))),
            r.reason.clone(),
            r.reference.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(". ");
        table.push(vec![
            day(lang, zone, r.recorded_at),
            entry(lang, &r.entry),
            detail,
            money(r.entry.amount()),
            money(Pence(owed)),
        ]);
    }
    let mut meta = vec![
        (w(lang, "pdf-statement-for"), money_on_case.name(account)),
        (w(lang, "pdf-date"), day(lang, zone, now)),
        (w(lang, "pdf-statement-balance"), balance(lang, Pence(owed))),
    ];
    if held > 0 {
        meta.push((w(lang, "pdf-statement-deposit-held"), money(Pence(held))));
    }
    Document {
        kind: DocumentKind::Account,
        lang,
        organisation: name.to_owned(),
        title: w(lang, "pdf-statement-title"),
        reference: Some(money_on_case.people.summary.reference.clone()),
        meta,
        caveat: None,
        blocks: vec![Block::Table {
            header: vec![
                w(lang, "pdf-date"),
                w(lang, "pdf-statement-entry"),
                w(lang, "pdf-statement-detail"),
                w(lang, "pdf-amount"),
                w(lang, "pdf-statement-balance"),
            ],
            rows: table,
        }],
        footer_note: footer(lang, name, settings),
    }
}
