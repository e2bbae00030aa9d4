//! Invoices: issuing one for an account's charges, where it stands now, reading it and its PDF.

use super::access::{authorize_own_or_staff, billing_case};
use super::case_money::{CaseMoney, load_money};
use super::settings::{footer, letterhead};
use crate::case_files::file_org;
use crate::paper::{account_paper, day, moment, money, render, w, wv};
use crate::{AppError, AppState, Caller, found, parse_id};
use familytime_domain::Timestamp;
use familytime_domain::billing::{self, Entry, InvoiceStanding, Posted};
use familytime_domain::ids::{CaseId, OrganisationId};
use familytime_domain::language::Lang;
use familytime_domain::text::FieldErrors;
use familytime_i18n::dates;
use familytime_reports::{Block, Document, DocumentKind};
use familytime_store::AuditEvent;
use familytime_store::billing::{BillingSettings, InvoiceRecord, LedgerRow};
use familytime_store::schedule::Booking;
use jiff::ToSpan;
use jiff::tz::TimeZone;
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
    let bookings = case_bookings(state, org, case_id).await?;
    // Stored in English, the source language; each paper describes its lines afresh in its reader's.
    let describe = |row: &LedgerRow| describe_line(Lang::En, row, &bookings, &money.zone);
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
/// lines and the total, in the reader's language (`page`: the language of the page it was asked
/// from; see `paper::account_paper`). The download is audited.
pub async fn invoice_pdf(
    state: &AppState,
    caller: &Caller,
    id: &str,
    page: Lang,
) -> Result<(Vec<u8>, String), AppError> {
    let (
        Invoice {
            record: invoice,
            standing,
        },
        money,
    ) = invoice_for(state, caller, id).await?;
    let org = file_org(caller)?;
    let (name, settings) = letterhead(state, org).await?;
    let langs = account_paper(state, org, caller, &invoice.account, page).await?;
    let ledger: BTreeMap<String, LedgerRow> = state
        .store
        .ledger(org, invoice.case_id)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let bookings = case_bookings(state, org, invoice.case_id).await?;
    let paper = InvoicePaper {
        invoice: &invoice,
        standing: &standing,
        ledger: &ledger,
        bookings: &bookings,
        zone: &money.zone,
        now: state.clock.now(),
        name: &name,
        settings: &settings,
    };
    let parts = langs.into_iter().map(|lang| paper.document(lang)).collect();
    let bytes = render(parts, "the invoice could not be rendered").await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.invoice_download", "invoice", &invoice.id),
        )
        .await?;
    Ok((bytes, format!("invoice-{}.pdf", invoice.number)))
}

/// A case's bookings by id: an invoice line names the session it was for.
async fn case_bookings(
    state: &AppState,
    org: OrganisationId,
    case: CaseId,
) -> Result<BTreeMap<String, Booking>, AppError> {
    Ok(state
        .store
        .case_bookings(org, case)
        .await?
        .into_iter()
        .map(|b| (b.id.to_string(), b))
        .collect())
}

/// An invoice line's words: what was charged, waived or taken back, and the session it was for.
/// Reasons are as typed.
fn describe_line(lang: Lang, row: &LedgerRow, bookings: &BTreeMap<String, Booking>, zone: &TimeZone) -> String {
    let when = row
        .booking_id
        .as_ref()
        .and_then(|b| bookings.get(b))
        .map(|b| moment(lang, zone, b.span.start));
    let reason = row.reason.clone().unwrap_or_default();
    let (key, vars): (&str, Vec<(&str, String)>) = match (&row.entry, row.item) {
        (Entry::Charge { .. }, Some(item)) => (
            "pdf-invoice-line-charge",
            vec![("item", w(lang, &format!("price-{}", item.as_str())))],
        ),
        (Entry::Waiver { .. }, _) => ("pdf-invoice-line-waived", vec![("reason", reason)]),
        _ => ("pdf-invoice-line-taken-back", vec![("reason", reason)]),
    };
    let mut vars = vars;
    let key = match when {
        Some(when) => {
            vars.push(("when", when));
            format!("{key}-on")
        }
        None => key.to_owned(),
    };
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    wv(lang, &key, &vars)
}

/// Everything an invoice's paper is written from, in any language.
struct InvoicePaper<'a> {
    invoice: &'a InvoiceRecord,
    standing: &'a InvoiceStanding,
    ledger: &'a BTreeMap<String, LedgerRow>,
    bookings: &'a BTreeMap<String, Booking>,
    zone: &'a TimeZone,
    now: Timestamp,
    name: &'a str,
    settings: &'a BillingSettings,
}

impl InvoicePaper<'_> {
    /// Its lines in `lang`: each described afresh from its ledger entry (the stored words are the
    /// English written at issue, kept for a line whose entry cannot be read).
    fn lines(&self, lang: Lang) -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = self
            .invoice
            .lines
            .iter()
            .enumerate()
            .map(|(i, (stored, amount))| {
                let words = self
                    .invoice
                    .line_entries
                    .get(i)
                    .and_then(|e| self.ledger.get(e))
                    .map(|row| describe_line(lang, row, self.bookings, self.zone))
                    .unwrap_or_else(|| stored.clone());
                vec![words, money(*amount)]
            })
            .collect();
        rows.push(vec![w(lang, "pdf-invoice-total"), money(self.invoice.total)]);
        rows
    }

    /// The paper in one language.
    fn document(&self, lang: Lang) -> Document {
        let (invoice, standing) = (self.invoice, self.standing);
        let today = day(lang, self.zone, self.now);
        let mut summary = vec![vec![w(lang, "pdf-invoice-billed"), money(standing.billed)]];
        if standing.taken_back.0 > 0 {
            summary.push(vec![
                w(lang, "pdf-invoice-taken-back"),
                format!("-{}", money(standing.taken_back)),
            ]);
        }
        summary.push(vec![
            wv(lang, "pdf-invoice-paid-by", &[("date", &today)]),
            format!("-{}", money(standing.paid)),
        ]);
        summary.push(vec![w(lang, "pdf-invoice-balance-due"), money(standing.due)]);
        let number = invoice.number.to_string();
        let mut blocks = vec![
            Block::Table {
                header: vec![w(lang, "pdf-invoice-description"), w(lang, "pdf-amount")],
                rows: self.lines(lang),
            },
            Block::Heading(w(lang, "pdf-invoice-payments-heading")),
            Block::Paragraph(w(lang, "pdf-invoice-payments-rule")),
            Block::Table {
                header: vec![String::new(), w(lang, "pdf-amount")],
                rows: summary,
            },
        ];
        if !self.settings.payment_details.trim().is_empty() {
            blocks.push(Block::Heading(w(lang, "pdf-invoice-how-to-pay")));
            blocks.push(Block::Paragraph(self.settings.payment_details.trim().to_owned()));
        }
        blocks.push(Block::Paragraph(wv(lang, "pdf-invoice-quote", &[("number", &number)])));
        Document {
            kind: DocumentKind::Invoice,
            lang,
            organisation: self.name.to_owned(),
            title: wv(lang, "pdf-invoice-title", &[("number", &number)]),
            reference: Some(invoice.case_reference.clone()),
            meta: vec![
                (w(lang, "pdf-invoice-number"), number.clone()),
                (w(lang, "pdf-date"), day(lang, self.zone, invoice.issued_at)),
                (w(lang, "pdf-to"), invoice.issued_to.clone()),
                (w(lang, "pdf-invoice-due-by"), dates::date(lang, invoice.due_on)),
                (
                    wv(lang, "pdf-invoice-balance-at", &[("date", &today)]),
                    money(standing.due),
                ),
            ],
            caveat: None,
            blocks,
            footer_note: footer(lang, self.name, self.settings),
        }
    }
}
