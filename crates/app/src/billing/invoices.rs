//! Invoices: issuing one for an account's charges, where it stands now, reading it and its PDF.

use super::access::{authorize_own_or_staff, billing_case};
use super::case_money::{CaseMoney, load_money};
use super::settings::{footer, letterhead, render};
use crate::case_files::file_org;
use crate::{AppError, AppState, Caller, found, parse_id};
use familytime_domain::Timestamp;
use familytime_domain::billing::{self, Entry, InvoiceStanding, Posted};
use familytime_domain::text::FieldErrors;
use familytime_reports::{Block, Document, DocumentKind};
use familytime_store::AuditEvent;
use familytime_store::billing::{InvoiceRecord, LedgerRow};
use familytime_store::schedule::Booking;
use jiff::ToSpan;
use std::collections::BTreeMap;

/// Issues an invoice to an account for its charges on the case not yet invoiced (or only `only`).
pub async fn issue_invoice(
    state: &AppState,
    caller: &Caller,
    case: &str,
    account: &str,
    only: &[String],
) -> Result<Invoice, AppError> {
    let people = billing_case(state, caller, case).await?;
    let org = file_org(caller)?;
    let case_id = people.summary.id;
    let money = load_money(state, org, people).await?;
    let account = money
        .account(account)
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("account", "Choose whose account to invoice")))?;
    let settings = state.store.billing_settings(org).await?;
    let now = state.clock.now();
    let due_on = money
        .day(now)
        .checked_add(settings.payment_terms_days.days())
        .map_err(|_| AppError::Internal("due date"))?;
    let bookings: BTreeMap<String, Booking> = state
        .store
        .case_bookings(org, case_id)
        .await?
        .into_iter()
        .map(|b| (b.id.to_string(), b))
        .collect();
    let zone = money.zone.clone();
    let describe = |row: &LedgerRow| {
        let when = row
            .booking_id
            .as_ref()
            .and_then(|b| bookings.get(b))
            .map(|b| {
                format!(
                    ", {}",
                    b.span.start.to_zoned(zone.clone()).strftime("%A %-d %B %Y, %H:%M")
                )
            })
            .unwrap_or_default();
        match (&row.entry, row.item) {
            (Entry::Charge { .. }, Some(item)) => format!("{}{when}", item.label()),
            (Entry::Waiver { .. }, _) => format!("Waived{when}: {}", row.reason.clone().unwrap_or_default()),
            _ => format!("Taken back{when}: {}", row.reason.clone().unwrap_or_default()),
        }
    };
    let only = (!only.is_empty()).then_some(only);
    let issued_to = money.name(&account);
    let scope = caller.scope(now);
    match state
        .store
        .issue_invoice(&scope, org, case_id, &account, only, &issued_to, due_on, describe)
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Conflict(m)),
        Err(e) => Err(e.into()),
        Ok(record) => {
            let rows = state.store.ledger(org, case_id).await?;
            Ok(Invoice::of(record, &rows))
        }
    }
}

/// An invoice and where it stands now: what it billed, what was taken back since, what has been
/// paid against it and the balance due (see `billing::invoice_standing`). The page, the API and the
/// PDF all show this one reading.
#[derive(Debug, Clone)]
pub struct Invoice {
    pub record: InvoiceRecord,
    pub standing: InvoiceStanding,
}

impl Invoice {
    /// `rows` is the case's ledger (or at least the invoice's account's part of it).
    pub fn of(record: InvoiceRecord, rows: &[LedgerRow]) -> Invoice {
        let posted: Vec<Posted> = rows.iter().map(LedgerRow::posted).collect();
        let on: Vec<String> = rows
            .iter()
            .filter(|r| r.invoice_number == Some(record.number))
            .map(|r| r.id.clone())
            .collect();
        Invoice {
            standing: billing::invoice_standing(&posted, &on),
            record,
        }
    }
}

pub(super) fn with_standing(records: Vec<InvoiceRecord>, rows: &[LedgerRow]) -> Vec<Invoice> {
    records.into_iter().map(|r| Invoice::of(r, rows)).collect()
}

/// An invoice for the people allowed to see it: staff who manage billing at the case's centre, and
/// the parent it is addressed to.
async fn invoice_for(state: &AppState, caller: &Caller, id: &str) -> Result<(Invoice, CaseMoney), AppError> {
    let org = file_org(caller)?;
    let key = parse_id(id, |t| {
        uuid::Uuid::try_parse(t.trim())
            .map(|u| u.to_string())
            .map_err(|_| familytime_domain::ids::InvalidId)
    })?;
    let invoice = found(state, caller, state.store.invoice(org, &key).await, "invoice", &key).await?;
    let people = state.store.case_people(org, invoice.case_id).await?;
    authorize_own_or_staff(state, caller, &people, &invoice.account).await?;
    let rows = state.store.ledger(org, invoice.case_id).await?;
    let money = load_money(state, org, people).await?;
    Ok((Invoice::of(invoice, &rows), money))
}

/// An invoice as data; the read is audited like the PDF's download.
pub async fn invoice(state: &AppState, caller: &Caller, id: &str) -> Result<Invoice, AppError> {
    let invoice = invoice_for(state, caller, id).await?.0;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.invoice_read", "invoice", &invoice.record.id),
        )
        .await?;
    Ok(invoice)
}

/// The invoice as a PDF: the organisation's details, the payer's name (never an address), the
/// lines and the total. The download is audited.
pub async fn invoice_pdf(state: &AppState, caller: &Caller, id: &str) -> Result<(Vec<u8>, String), AppError> {
    let (
        Invoice {
            record: invoice,
            standing,
        },
        money,
    ) = invoice_for(state, caller, id).await?;
    let org = file_org(caller)?;
    let (name, settings) = letterhead(state, org).await?;
    let day = |t: Timestamp| t.to_zoned(money.zone.clone()).strftime("%-d %B %Y").to_string();
    let mut rows: Vec<Vec<String>> = invoice
        .lines
        .iter()
        .map(|(d, a)| vec![d.clone(), a.display()])
        .collect();
    rows.push(vec!["Total".into(), invoice.total.display()]);
    let today = day(state.clock.now());
    let mut summary = vec![vec!["Total billed".to_owned(), standing.billed.display()]];
    if standing.taken_back.0 > 0 {
        summary.push(vec![
            "Taken back since (sessions cancelled, charges waived)".to_owned(),
            format!("-{}", standing.taken_back.display()),
        ]);
    }
    summary.push(vec![
        format!("Paid by {today}"),
        format!("-{}", standing.paid.display()),
    ]);
    summary.push(vec!["Balance due".to_owned(), standing.due.display()]);
    let mut blocks = vec![
        Block::Table {
            header: vec!["Description".into(), "Amount".into()],
            rows,
        },
        Block::Heading("Payments and balance".into()),
        Block::Paragraph(
            "Payments pay the oldest charges first; the balance due is what this invoice's charges still owe.".into(),
        ),
        Block::Table {
            header: vec!["".into(), "Amount".into()],
            rows: summary,
        },
    ];
    if !settings.payment_details.trim().is_empty() {
        blocks.push(Block::Heading("How to pay".into()));
        blocks.push(Block::Paragraph(settings.payment_details.trim().to_owned()));
    }
    blocks.push(Block::Paragraph(format!(
        "Please quote invoice number {} with your payment.",
        invoice.number
    )));
    let doc = Document {
        kind: DocumentKind::Invoice,
        organisation: name.clone(),
        title: format!("Invoice {}", invoice.number),
        reference: Some(invoice.case_reference.clone()),
        meta: vec![
            ("Invoice number".into(), invoice.number.to_string()),
            ("Date".into(), day(invoice.issued_at)),
            ("To".into(), invoice.issued_to.clone()),
            (
                "Payment due by".into(),
                invoice.due_on.strftime("%-d %B %Y").to_string(),
            ),
            (format!("Balance due at {today}"), standing.due.display()),
        ],
        caveat: None,
        blocks,
        footer_note: footer(&name, &settings),
    };
    let bytes = render(doc).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.invoice_download", "invoice", &invoice.id),
        )
        .await?;
    Ok((bytes, format!("invoice-{}.pdf", invoice.number)))
}
