//! The ledger in the database: a case's or the organisation's entries read with the names a person
//! reads, and writes planned from the ledger as it stands, in one transaction that also confirms
//! the bookings now paid for. Rows are never changed or deleted (triggers on both backends).

use crate::ledger::kind_of;
use crate::ledger::{LedgerRow, LedgerWrite, NewEntry};
use crate::schedule::{Booking, BookingStatus};
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, TxInner, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::billing::{Account, Entry, Item, Pence};
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId};

#[derive(sqlx::FromRow)]
struct LedgerDbRow {
    id: String,
    case_id: String,
    reference: String,
    centre_id: String,
    kind: String,
    party_id: Option<String>,
    party_name: Option<String>,
    funder_name: Option<String>,
    item: Option<String>,
    booking_id: Option<String>,
    against: Option<String>,
    minutes: Option<i64>,
    amount_pence: i64,
    method: Option<String>,
    reference_text: Option<String>,
    reason: Option<String>,
    recorded_by_name: Option<String>,
    recorded_at: i64,
    invoice_number: Option<i64>,
}

const LEDGER_SELECT: &str =
    "SELECT e.id, e.case_id, k.reference, k.centre_id, e.kind, e.party_id, p.name AS party_name, e.funder_name,
        e.item, e.booking_id, e.against, e.minutes, e.amount_pence, e.method, e.reference AS reference_text, e.reason,
        u.name AS recorded_by_name, e.recorded_at, i.number AS invoice_number
     FROM ledger_entries e
     JOIN cases k ON k.organisation_id = e.organisation_id AND k.id = e.case_id
     LEFT JOIN case_parties p ON p.organisation_id = e.organisation_id AND p.id = e.party_id
     LEFT JOIN users u ON u.organisation_id = e.organisation_id AND u.id = e.recorded_by
     LEFT JOIN invoice_lines l ON l.organisation_id = e.organisation_id AND l.entry_id = e.id
     LEFT JOIN invoices i ON i.organisation_id = l.organisation_id AND i.id = l.invoice_id";

const LEDGER_ORDER: &str = " ORDER BY e.recorded_at, e.id";

fn entry_of(kind: &str, account: Account, amount: Pence) -> Option<Entry> {
    Some(match kind {
        "charge" => Entry::Charge { account, amount },
        "payment" => Entry::Payment { account, amount },
        "refund" => Entry::Refund { account, amount },
        "waiver" => Entry::Waiver { account, amount },
        "credit" => Entry::Credit { account, amount },
        "deposit_held" => Entry::DepositHeld { account, amount },
        "deposit_returned" => Entry::DepositReturned { account, amount },
        "deposit_forfeited" => Entry::DepositForfeited { account, amount },
        _ => return None,
    })
}

impl TryFrom<LedgerDbRow> for LedgerRow {
    type Error = StoreError;
    fn try_from(r: LedgerDbRow) -> Result<Self> {
        let bad = || StoreError::Database("unreadable ledger row".into());
        let (account, account_name) = match (r.party_id, r.funder_name) {
            (Some(party), None) => (Account::Party(party), r.party_name.unwrap_or_default()),
            (None, Some(funder)) => (Account::Funder(funder.clone()), funder),
            _ => return Err(bad()),
        };
        Ok(LedgerRow {
            id: r.id,
            case_id: CaseId::parse(&r.case_id).map_err(|_| bad())?,
            case_reference: r.reference,
            centre_id: CentreId::parse(&r.centre_id).map_err(|_| bad())?,
            entry: entry_of(&r.kind, account, Pence(r.amount_pence)).ok_or_else(bad)?,
            account_name,
            item: r.item.as_deref().and_then(Item::parse),
            booking_id: r.booking_id,
            against: r.against,
            minutes: r.minutes,
            method: r.method,
            reference: r.reference_text,
            reason: r.reason,
            recorded_by_name: r.recorded_by_name,
            recorded_at: ts(r.recorded_at),
            invoice_number: r.invoice_number,
        })
    }
}

/// Binds an account as its two columns: the party, or the funder's name.
pub(super) fn account_columns(account: &Account) -> (Option<String>, Option<String>) {
    match account {
        Account::Party(p) => (Some(p.clone()), None),
        Account::Funder(f) => (None, Some(f.clone())),
    }
}

impl Store {
    /// A case's ledger, oldest first.
    pub async fn ledger(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<LedgerRow>> {
        let sql = format!("{LEDGER_SELECT} WHERE e.organisation_id = $1 AND e.case_id = $2{LEDGER_ORDER}");
        let rows: Vec<LedgerDbRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(case.to_string())
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(LedgerRow::try_from).collect()
    }

    /// The whole organisation's ledger, oldest first (for balances across cases and the export).
    pub async fn organisation_ledger(&self, organisation: OrganisationId) -> Result<Vec<LedgerRow>> {
        let sql = format!("{LEDGER_SELECT} WHERE e.organisation_id = $1{LEDGER_ORDER}");
        let rows: Vec<LedgerDbRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(LedgerRow::try_from).collect()
    }

    pub(crate) async fn ledger_in(tx: &mut Tx, organisation: OrganisationId, case: CaseId) -> Result<Vec<LedgerRow>> {
        let sql = format!("{LEDGER_SELECT} WHERE e.organisation_id = $1 AND e.case_id = $2{LEDGER_ORDER}");
        let rows: Vec<LedgerDbRow> = with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(case.to_string())
            .fetch_all(c)
            .await)?;
        rows.into_iter().map(LedgerRow::try_from).collect()
    }

    /// Holds the case's row until the transaction ends, so ledger writes for one case take turns on
    /// PostgreSQL (SQLite's one writer already does).
    pub(crate) async fn lock_case(tx: &mut Tx, organisation: OrganisationId, case: CaseId) -> Result<()> {
        if let TxInner::Postgres(t) = &mut tx.inner {
            sqlx::query("SELECT id FROM cases WHERE organisation_id = $1 AND id = $2 FOR UPDATE")
                .bind(organisation.to_string())
                .bind(case.to_string())
                .fetch_one(&mut **t)
                .await?;
        }
        Ok(())
    }

    /// Writes the entries the plan makes from the ledger as it stands, inside one transaction; the
    /// plan may refuse with a message, and then nothing is written. Bookings the plan names as now
    /// paid move from provisional to confirmed in the same transaction.
    pub async fn write_ledger<F>(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        plan: F,
    ) -> Result<std::result::Result<Vec<String>, String>>
    where
        F: FnOnce(&[LedgerRow], &[Booking]) -> std::result::Result<LedgerWrite, String>,
    {
        let mut tx = self.begin().await?;
        Self::lock_case(&mut tx, organisation, case).await?;
        let ledger = Self::ledger_in(&mut tx, organisation, case).await?;
        let provisional = self.provisional_bookings(organisation, case).await?;
        let write = match plan(&ledger, &provisional) {
            Ok(w) => w,
            Err(message) => return Ok(Err(message)),
        };
        let ids = Self::insert_entries(&mut tx, scope, organisation, case, &write.entries).await?;
        Self::confirm_paid(
            &mut tx,
            scope,
            organisation,
            &provisional,
            &write.confirm,
            &write.messages,
        )
        .await?;
        for event in write.audit {
            tx.audit(scope, event).await?;
        }
        tx.commit().await?;
        Ok(Ok(ids))
    }

    async fn provisional_bookings(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<Booking>> {
        Ok(self
            .case_bookings(organisation, case)
            .await?
            .into_iter()
            .filter(|b| b.status == BookingStatus::Provisional)
            .collect())
    }

    /// Confirms bookings the ledger now pays for; a booking that changed meanwhile is left as it is
    /// (the coordinator sees it still provisional and what is owed).
    pub(crate) async fn confirm_paid(
        tx: &mut Tx,
        scope: &AuditScope,
        organisation: OrganisationId,
        provisional: &[Booking],
        confirm: &[BookingId],
        messages: &[crate::mail::NewMessage],
    ) -> Result<()> {
        for booking in provisional.iter().filter(|b| confirm.contains(&b.id)) {
            let changed = exec_tx!(tx, |c| sqlx::query(
                "UPDATE bookings SET status = 'confirmed', updated_at = $1, version = version + 1,
                    sequence = sequence + 1
                 WHERE organisation_id = $2 AND id = $3 AND version = $4 AND status = 'provisional'"
            )
            .bind(ms(scope.at))
            .bind(organisation.to_string())
            .bind(booking.id.to_string())
            .bind(booking.version)
            .execute(c)
            .await)?;
            if changed == 1 {
                Self::record_event(
                    tx,
                    scope,
                    organisation,
                    &booking.id.to_string(),
                    "status",
                    Some("provisional"),
                    Some("confirmed"),
                    Some("Paid or funded"),
                )
                .await?;
                tx.audit(scope, AuditEvent::ok("booking.confirm_paid", "booking", booking.id))
                    .await?;
                let id = booking.id.to_string();
                let told: Vec<crate::mail::NewMessage> = messages
                    .iter()
                    .filter(|m| m.booking_id.as_deref() == Some(id.as_str()))
                    .cloned()
                    .collect();
                tx.enqueue(organisation, &told, scope.at).await?;
            }
        }
        Ok(())
    }

    /// Inserts ledger entries for a case; returns their ids.
    pub(crate) async fn insert_entries(
        tx: &mut Tx,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        entries: &[NewEntry],
    ) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for e in entries {
            // UUIDv7 from one process rise within a millisecond, so entries written together keep
            // their order (the ledger is read by time, then id).
            let id = uuid::Uuid::now_v7().to_string();
            let (party, funder) = account_columns(e.entry.account());
            let at = ms(scope.at);
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO ledger_entries (organisation_id, id, case_id, kind, party_id, funder_name, item, booking_id,
                    against, minutes, amount_pence, method, reference, reason, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
            )
            .bind(organisation.to_string())
            .bind(&id)
            .bind(case.to_string())
            .bind(kind_of(&e.entry))
            .bind(&party)
            .bind(&funder)
            .bind(e.item.map(|i| i.as_str()))
            .bind(e.booking.map(|b| b.to_string()))
            .bind(&e.against)
            .bind(e.minutes)
            .bind(e.entry.amount().0)
            .bind(&e.method)
            .bind(&e.reference)
            .bind(&e.reason)
            .bind(scope.actor_user_id.map(|u| u.to_string()))
            .bind(at)
            .execute(c)
            .await
            })?;
            ids.push(id);
        }
        Ok(ids)
    }
}
