//! An account's papers besides invoices: a receipt for a payment or a deposit, and the account's
//! statement on a case, each as a PDF, for staff or the parent whose account it is.

use super::access::authorize_own_or_staff;
use super::case_money::load_money;
use super::ledger::entry_words;
use super::settings::{footer, letterhead, render};
use crate::case_files::file_org;
use crate::{AppError, AppState, Caller, found, parse_id};
use familytime_domain::Timestamp;
use familytime_domain::billing::{self, Entry, Pence};
use familytime_domain::ids::CaseId;
use familytime_reports::{Block, Document, DocumentKind};
use familytime_store::AuditEvent;
use familytime_store::billing::LedgerRow;

/// A receipt for a payment or a deposit, as a PDF. The download is audited.
pub async fn receipt_pdf(
    state: &AppState,
    caller: &Caller,
    case: &str,
    entry: &str,
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
    let what = if matches!(row.entry, Entry::DepositHeld { .. }) {
        "Deposit received"
    } else {
        "Payment received"
    };
    let mut meta = vec![
        (
            "Date".into(),
            row.recorded_at
                .to_zoned(money.zone.clone())
                .strftime("%-d %B %Y")
                .to_string(),
        ),
        ("Received from".into(), row.account_name.clone()),
        ("Amount".into(), row.entry.amount().display()),
        (
            "Paid by".into(),
            row.method.clone().unwrap_or_default().replace('_', " "),
        ),
    ];
    if let Some(reference) = &row.reference {
        meta.push(("Reference".into(), reference.clone()));
    }
    let doc = Document {
        kind: DocumentKind::Invoice,
        organisation: name.clone(),
        title: "Receipt".into(),
        reference: Some(row.case_reference.clone()),
        meta,
        caveat: None,
        blocks: vec![Block::Paragraph(format!("{what} with thanks."))],
        footer_note: footer(&name, &settings),
    };
    let bytes = render(doc).await?;
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
/// or for the parent whose account it is. The download is audited.
pub async fn statement_pdf(
    state: &AppState,
    caller: &Caller,
    case: &str,
    account: &str,
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
    let day = |t: Timestamp| t.to_zoned(money.zone.clone()).strftime("%-d %b %Y").to_string();
    let mut owed = 0i64;
    let mut held = 0i64;
    let mut table = Vec::new();
    for r in &rows {
        owed += r.entry.owed_change();
        held += r.entry.deposit_change();
        let detail = [
            r.item.map(|i| i.label().to_owned()),
            r.reason.clone(),
            r.reference.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(". ");
        table.push(vec![
            day(r.recorded_at),
            entry_words(&r.entry).to_owned(),
            detail,
            r.entry.amount().display(),
            Pence(owed).display(),
        ]);
    }
    let standing = billing::describe_balance(Pence(owed));
    let mut meta = vec![
        ("For".to_owned(), money.name(&account)),
        ("Date".to_owned(), day(state.clock.now())),
        ("Balance".to_owned(), standing),
    ];
    if held > 0 {
        meta.push(("Deposit held".to_owned(), Pence(held).display()));
    }
    let doc = Document {
        kind: DocumentKind::Invoice,
        organisation: name.clone(),
        title: "Statement".into(),
        reference: Some(money.people.summary.reference.clone()),
        meta,
        caveat: None,
        blocks: vec![Block::Table {
            header: vec![
                "Date".into(),
                "Entry".into(),
                "Detail".into(),
                "Amount".into(),
                "Balance".into(),
            ],
            rows: table,
        }],
        footer_note: footer(&name, &settings),
    };
    let bytes = render(doc).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.statement_download", "case", case_id),
        )
        .await?;
    Ok((bytes, format!("statement-{}.pdf", money.people.summary.reference)))
}
