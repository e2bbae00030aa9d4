//! Invoices in the database: issued for an account's charges not yet invoiced, numbered without gaps
//! per organisation (a counter row taken first in the transaction), and read back with their lines.

use super::ledger::account_columns;
use crate::ledger::LedgerRow;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::billing::{Account, Entry, Pence};
use familytime_domain::ids::{CaseId, CentreId, OrganisationId};
use jiff::civil::Date;

/// An invoice as stored.
#[derive(Debug, Clone)]
pub struct InvoiceRecord {
    pub id: String,
    pub number: i64,
    pub case_id: CaseId,
    pub case_reference: String,
    /// The case's centre: lists across cases show only what the reader's centres reach.
    pub centre_id: CentreId,
    pub account: Account,
    pub issued_to: String,
    pub issued_at: Timestamp,
    pub due_on: Date,
    pub total: Pence,
    /// Each line's words as written when it was issued (in English, the source language) and its
    /// amount.
    pub lines: Vec<(String, Pence)>,
    /// The ledger entry each line is for, in the order of `lines`: a paper in another language
    /// describes the line afresh from its entry.
    pub line_entries: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    id: String,
    number: i64,
    case_id: String,
    reference: String,
    centre_id: String,
    party_id: Option<String>,
    funder_name: Option<String>,
    issued_to: String,
    issued_at: i64,
    due_on: String,
    total_pence: i64,
}

const INVOICE_SELECT: &str =
    "SELECT i.id, i.number, i.case_id, k.reference, k.centre_id, i.party_id, i.funder_name, i.issued_to,
        i.issued_at, i.due_on, i.total_pence
     FROM invoices i JOIN cases k ON k.organisation_id = i.organisation_id AND k.id = i.case_id";

impl Store {
    /// Issues an invoice to `account` for its charges on the case not yet invoiced (or only those
    /// in `only`), with the credits and waivers against them. Numbers come from a counter row taken
    /// first in the transaction, so concurrent issues take turns and a failed one leaves no gap.
    #[allow(clippy::too_many_arguments)]
    pub async fn issue_invoice(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        account: &Account,
        only: Option<&[String]>,
        issued_to: &str,
        due_on: Date,
        describe: impl Fn(&LedgerRow) -> String,
    ) -> Result<InvoiceRecord> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO invoice_numbers (organisation_id, last_number) VALUES ($1, 0) ON CONFLICT DO NOTHING"
        )
        .bind(organisation.to_string())
        .execute(c)
        .await)?;
        let number: i64 = with_tx!(tx, |c| {
            sqlx::query_scalar(
            "UPDATE invoice_numbers SET last_number = last_number + 1 WHERE organisation_id = $1 RETURNING last_number"
        )
        .bind(organisation.to_string())
        .fetch_one(c)
        .await
        })?;
        let ledger = Self::ledger_in(&mut tx, organisation, case).await?;
        let charges: Vec<&LedgerRow> = ledger
            .iter()
            .filter(|r| matches!(r.entry, Entry::Charge { .. }) && r.entry.account() == account)
            .filter(|r| r.invoice_number.is_none())
            .filter(|r| only.is_none_or(|ids| ids.contains(&r.id)))
            .collect();
        if let Some(ids) = only
            && ids.len() != charges.len()
        {
            return Err(StoreError::Conflict(
                "Some of those charges are not this account's, or are already on an invoice".into(),
            ));
        }
        let mut lines: Vec<(&LedgerRow, i64)> = Vec::new();
        for charge in &charges {
            lines.push((charge, charge.entry.amount().0));
            for taken in ledger.iter().filter(|r| {
                r.against.as_deref() == Some(charge.id.as_str())
                    && r.invoice_number.is_none()
                    && matches!(r.entry, Entry::Credit { .. } | Entry::Waiver { .. })
            }) {
                lines.push((taken, -taken.entry.amount().0));
            }
        }
        let total: i64 = lines.iter().map(|(_, a)| a).sum();
        if charges.is_empty() || total <= 0 {
            return Err(StoreError::Conflict(
                "There is nothing to invoice for this account".into(),
            ));
        }
        let id = uuid::Uuid::now_v7().to_string();
        let (party, funder) = account_columns(account);
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO invoices (organisation_id, id, number, case_id, party_id, funder_name, issued_to, issued_at,
                due_on, total_pence, issued_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(number)
        .bind(case.to_string())
        .bind(&party)
        .bind(&funder)
        .bind(issued_to)
        .bind(ms(scope.at))
        .bind(due_on.to_string())
        .bind(total)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .execute(c)
        .await)?;
        for (row, amount) in &lines {
            let description = describe(row);
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO invoice_lines (organisation_id, invoice_id, entry_id, description, amount_pence)
                 VALUES ($1, $2, $3, $4, $5)"
            )
            .bind(organisation.to_string())
            .bind(&id)
            .bind(&row.id)
            .bind(&description)
            .bind(*amount)
            .execute(c)
            .await)
            .map_err(|e| StoreError::unique(e, "Those charges were put on another invoice at the same moment"))?;
        }
        tx.audit(scope, AuditEvent::ok("billing.invoice", "case", case)).await?;
        tx.commit().await?;
        self.invoice(organisation, &id).await
    }

    pub async fn invoice(&self, organisation: OrganisationId, id: &str) -> Result<InvoiceRecord> {
        let sql = format!("{INVOICE_SELECT} WHERE i.organisation_id = $1 AND i.id = $2");
        let row: InvoiceRow = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(id)
            .fetch_one(p)
            .await)?;
        let lines: Vec<(String, i64, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT l.description, l.amount_pence, l.entry_id FROM invoice_lines l
             JOIN ledger_entries e ON e.organisation_id = l.organisation_id AND e.id = l.entry_id
             WHERE l.organisation_id = $1 AND l.invoice_id = $2 ORDER BY e.recorded_at, e.id"
        )
        .bind(organisation.to_string())
        .bind(id)
        .fetch_all(p)
        .await)?;
        let mut invoice = invoice_from(row)?;
        invoice.line_entries = lines.iter().map(|(_, _, e)| e.clone()).collect();
        invoice.lines = lines.into_iter().map(|(d, a, _)| (d, Pence(a))).collect();
        Ok(invoice)
    }

    /// A case's invoices (or the whole organisation's), newest first, without their lines.
    pub async fn invoices(&self, organisation: OrganisationId, case: Option<CaseId>) -> Result<Vec<InvoiceRecord>> {
        // The case, when asked for, is its own bound condition: an optional `($2 IS NULL OR …)`
        // keeps the planner from `invoices_by_case` (decisions 0033, 0036).
        let (filter, values) = match case {
            Some(case) => (" AND i.case_id = $2", vec![case.to_string()]),
            None => ("", Vec::new()),
        };
        let sql = format!("{INVOICE_SELECT} WHERE i.organisation_id = $1{filter} ORDER BY i.number DESC");
        let rows: Vec<InvoiceRow> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organisation.to_string());
            for value in &values {
                query = query.bind(value.as_str());
            }
            query.fetch_all(p).await
        })?;
        rows.into_iter().map(invoice_from).collect()
    }
}

fn invoice_from(r: InvoiceRow) -> Result<InvoiceRecord> {
    let bad = || StoreError::Database("unreadable invoice row".into());
    Ok(InvoiceRecord {
        id: r.id,
        number: r.number,
        case_id: CaseId::parse(&r.case_id).map_err(|_| bad())?,
        case_reference: r.reference,
        centre_id: CentreId::parse(&r.centre_id).map_err(|_| bad())?,
        account: match (r.party_id, r.funder_name) {
            (Some(p), None) => Account::Party(p),
            (None, Some(f)) => Account::Funder(f),
            _ => return Err(bad()),
        },
        issued_to: r.issued_to,
        issued_at: ts(r.issued_at),
        due_on: r.due_on.parse().map_err(|_| bad())?,
        total: Pence(r.total_pence),
        lines: Vec::new(),
        line_entries: Vec::new(),
    })
}
