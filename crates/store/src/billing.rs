//! Money in the database: price lists, the cancellation policy, each case's funding, the ledger (its
//! rows are never changed or deleted, triggers on both backends), invoices numbered without gaps per
//! organisation, and the organisation's details printed on invoices.
//!
//! Every write that depends on the ledger reads it inside its own transaction (the case's row locked
//! on PostgreSQL; SQLite's writer is alone), so two refunds of the same deposit cannot both pass.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use crate::ledger::kind_of;
pub use crate::ledger::{LedgerRow, LedgerWrite, NewEntry};
use crate::schedule::{Booking, BookingStatus};
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, TxInner, exec_tx, ms, ts, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::billing::{
    Account, CancellationPolicy, Canceller, Entry, Forfeit, Funding, Item, Payer, Pence, Price, PriceList, Tier,
};
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId};
use jiff::civil::Date;

/// A price as stored.
#[derive(Debug, Clone)]
pub struct StoredPrice {
    pub id: String,
    pub price: Price,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct PriceRow {
    id: String,
    item: String,
    amount_pence: i64,
    applies_from: String,
    created_at: i64,
}

impl PriceRow {
    fn stored(self) -> Result<StoredPrice> {
        let bad = || StoreError::Database("unreadable price row".into());
        Ok(StoredPrice {
            price: Price {
                item: Item::parse(&self.item).ok_or_else(bad)?,
                amount: Pence(self.amount_pence),
                from: self.applies_from.parse().map_err(|_| bad())?,
            },
            id: self.id,
            created_at: ts(self.created_at),
        })
    }
}

/// A price read from its columns some other way (`Store::planning`).
pub(crate) fn price_of(
    id: String,
    item: String,
    amount_pence: i64,
    applies_from: String,
    created_at: i64,
) -> Result<Price> {
    let row = PriceRow {
        id,
        item,
        amount_pence,
        applies_from,
        created_at,
    };
    Ok(row.stored()?.price)
}

/// The organisation's details for invoices and receipts.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct BillingSettings {
    pub charity_name: String,
    pub charity_number: String,
    pub postal_address: String,
    pub payment_details: String,
    pub payment_terms_days: i64,
    /// Provisional bookings still unpaid this many hours after they were made are released
    /// (cancelled by the centre); `None` keeps them until someone acts.
    pub release_unpaid_hours: Option<i64>,
    pub version: i64,
}

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
    pub lines: Vec<(String, Pence)>,
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

/// payer, funder_name, funded_sessions, funded_minutes, visiting_share, version.
pub(crate) type FundingRow = (String, String, Option<i64>, Option<i64>, i64, i64);

pub(crate) fn funding_of(
    (payer, funder_name, sessions, minutes, share, version): FundingRow,
) -> Result<(Funding, i64)> {
    let bad = || StoreError::Database("unreadable funding row".into());
    Ok((
        Funding {
            payer: Payer::parse(&payer).ok_or_else(bad)?,
            funder_name,
            funded_sessions: sessions.map(|n| u32::try_from(n).unwrap_or(0)),
            funded_minutes: minutes,
            visiting_share: share,
        },
        version,
    ))
}

/// Binds an account as its two columns: the party, or the funder's name.
fn account_columns(account: &Account) -> (Option<String>, Option<String>) {
    match account {
        Account::Party(p) => (Some(p.clone()), None),
        Account::Funder(f) => (None, Some(f.clone())),
    }
}

impl Store {
    // ---- prices -------------------------------------------------------------------------------

    pub async fn prices(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<StoredPrice>> {
        let rows: Vec<PriceRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, item, amount_pence, applies_from, created_at FROM prices
             WHERE organisation_id = $1 AND centre_id = $2 ORDER BY item, applies_from"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(PriceRow::stored).collect()
    }

    pub async fn price_list(&self, organisation: OrganisationId, centre: CentreId) -> Result<PriceList> {
        Ok(PriceList::new(
            self.prices(organisation, centre)
                .await?
                .into_iter()
                .map(|p| p.price)
                .collect(),
        ))
    }

    /// Adds a price from a date. Prices are never changed: a new price from a later date replaces it.
    pub async fn add_price(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        price: &Price,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO prices (organisation_id, id, centre_id, item, amount_pence, applies_from, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(centre.to_string())
        .bind(price.item.as_str())
        .bind(price.amount.0)
        .bind(price.from.to_string())
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| {
            StoreError::unique(
                e,
                &format!("{} already has a price from that day", price.item.label()),
            )
        })?;
        tx.audit(scope, AuditEvent::ok("billing.price", "centre", centre))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    // ---- the cancellation policy ------------------------------------------------------------

    /// The centre's policy; a centre that has set none forfeits nothing.
    pub async fn cancellation_policy(
        &self,
        organisation: OrganisationId,
        centre: CentreId,
    ) -> Result<CancellationPolicy> {
        let rows: Vec<(String, String, i64, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT canceller, forfeit, basis_points, under_hours FROM cancellation_tiers
             WHERE organisation_id = $1 AND centre_id = $2 ORDER BY position"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?;
        let tiers = rows
            .into_iter()
            .map(|(by, forfeit, basis_points, under_hours)| {
                let bad = || StoreError::Database("unreadable cancellation tier".into());
                Ok(Tier {
                    under_hours,
                    by: match Canceller::parse(&by) {
                        Some(c @ (Canceller::Resident | Canceller::Visiting)) => c,
                        _ => return Err(bad()),
                    },
                    forfeit: match forfeit.as_str() {
                        "session_fee" => Forfeit::SessionFee { basis_points },
                        "deposit" => Forfeit::Deposit,
                        _ => return Err(bad()),
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(CancellationPolicy::new(tiers))
    }

    /// Replaces the centre's policy with these tiers.
    pub async fn set_cancellation_policy(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        policy: &CancellationPolicy,
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.advance_list_version(
            organisation,
            crate::versions::ListKind::CancellationPolicy,
            &centre.to_string(),
            version,
        )
        .await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM cancellation_tiers WHERE organisation_id = $1 AND centre_id = $2"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .execute(c)
        .await)?;
        for (position, tier) in policy.tiers().iter().enumerate() {
            let (forfeit, basis_points) = match tier.forfeit {
                Forfeit::SessionFee { basis_points } => ("session_fee", basis_points),
                Forfeit::Deposit => ("deposit", 10_000),
                Forfeit::Nothing => continue,
            };
            let by = match tier.by {
                Canceller::Resident => "resident",
                Canceller::Visiting => "visiting",
                Canceller::Centre => continue,
            };
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO cancellation_tiers (organisation_id, centre_id, position, under_hours, canceller, forfeit, basis_points)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(organisation.to_string())
            .bind(centre.to_string())
            .bind(position as i64)
            .bind(tier.under_hours)
            .bind(by)
            .bind(forfeit)
            .bind(basis_points)
            .execute(c)
            .await
            })?;
        }
        tx.audit(scope, AuditEvent::ok("billing.cancellation_policy", "centre", centre))
            .await?;
        tx.commit().await
    }

    // ---- the organisation's details ---------------------------------------------------------

    pub async fn billing_settings(&self, organisation: OrganisationId) -> Result<BillingSettings> {
        let row: Option<BillingSettings> = with_pool!(self, |p| sqlx::query_as(
            "SELECT charity_name, charity_number, postal_address, payment_details, payment_terms_days,
                release_unpaid_hours, version
             FROM billing_settings WHERE organisation_id = $1"
        )
        .bind(organisation.to_string())
        .fetch_optional(p)
        .await)?;
        Ok(row.unwrap_or(BillingSettings {
            payment_terms_days: 14,
            version: 0,
            ..BillingSettings::default()
        }))
    }

    /// Saves the details; refused as stale when they changed since `settings.version` (0: never saved).
    pub async fn save_billing_settings(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        settings: &BillingSettings,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = if settings.version == 0 {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO billing_settings (organisation_id, charity_name, charity_number, postal_address,
                    payment_details, payment_terms_days, release_unpaid_hours) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(organisation.to_string())
            .bind(&settings.charity_name)
            .bind(&settings.charity_number)
            .bind(&settings.postal_address)
            .bind(&settings.payment_details)
            .bind(settings.payment_terms_days)
            .bind(settings.release_unpaid_hours)
            .execute(c)
            .await)
            .map_err(|e| StoreError::unique(e, "Someone saved these details at the same moment"))
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Stale,
                other => other,
            })?
        } else {
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE billing_settings SET charity_name = $1, charity_number = $2, postal_address = $3,
                    payment_details = $4, payment_terms_days = $5, release_unpaid_hours = $6, version = version + 1
                 WHERE organisation_id = $7 AND version = $8"
            )
            .bind(&settings.charity_name)
            .bind(&settings.charity_number)
            .bind(&settings.postal_address)
            .bind(&settings.payment_details)
            .bind(settings.payment_terms_days)
            .bind(settings.release_unpaid_hours)
            .bind(organisation.to_string())
            .bind(settings.version)
            .execute(c)
            .await)?
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("billing.settings", "organisation", organisation))
            .await?;
        tx.commit().await
    }

    // ---- funding ------------------------------------------------------------------------------

    /// Sets who pays for a case. `version` is the funding's version as read (0: never set); a
    /// change since is refused as stale.
    pub async fn set_case_funding(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        funding: &Funding,
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let values = (
            funding.payer.as_str(),
            funding.funder_name.clone(),
            funding.funded_sessions.map(i64::from),
            funding.funded_minutes,
            funding.visiting_share,
        );
        let changed = if version == 0 {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO case_funding (organisation_id, case_id, payer, funder_name, funded_sessions, funded_minutes,
                    visiting_share, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            )
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(values.0)
            .bind(&values.1)
            .bind(values.2)
            .bind(values.3)
            .bind(values.4)
            .bind(scope.actor_user_id.map(|u| u.to_string()))
            .bind(ms(scope.at))
            .execute(c)
            .await)
            .map_err(|e| match StoreError::unique(e, "") {
                StoreError::Conflict(_) => StoreError::Stale,
                other => other,
            })?
        } else {
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE case_funding SET payer = $1, funder_name = $2, funded_sessions = $3, funded_minutes = $4,
                    visiting_share = $5, updated_by = $6, updated_at = $7, version = version + 1
                 WHERE organisation_id = $8 AND case_id = $9 AND version = $10"
            )
            .bind(values.0)
            .bind(&values.1)
            .bind(values.2)
            .bind(values.3)
            .bind(values.4)
            .bind(scope.actor_user_id.map(|u| u.to_string()))
            .bind(ms(scope.at))
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(version)
            .execute(c)
            .await)?
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("billing.funding", "case", case)).await?;
        tx.commit().await
    }

    // ---- the ledger ---------------------------------------------------------------------------

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
        Self::confirm_paid(&mut tx, scope, organisation, &provisional, &write.confirm).await?;
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
    ) -> Result<()> {
        for booking in provisional.iter().filter(|b| confirm.contains(&b.id)) {
            let changed = exec_tx!(tx, |c| sqlx::query(
                "UPDATE bookings SET status = 'confirmed', updated_at = $1, version = version + 1
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

    // ---- the bursary fund ---------------------------------------------------------------------

    /// Grants to the bursary fund, newest first: (amount, where it came from, received on, recorded at).
    pub async fn bursary_grants(&self, organisation: OrganisationId) -> Result<Vec<(Pence, String, Date, Timestamp)>> {
        let rows: Vec<(i64, String, String, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT amount_pence, source, received_on, recorded_at FROM bursary_grants
             WHERE organisation_id = $1 ORDER BY received_on DESC, recorded_at DESC"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|(amount, source, on, at)| {
                let on = on
                    .parse()
                    .map_err(|_| StoreError::Database("unreadable bursary grant".into()))?;
                Ok((Pence(amount), source, on, ts(at)))
            })
            .collect()
    }

    pub async fn add_bursary_grant(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        amount: Pence,
        source: &str,
        received_on: Date,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO bursary_grants (organisation_id, id, amount_pence, source, received_on, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(amount.0)
        .bind(source)
        .bind(received_on.to_string())
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await
        })?;
        tx.audit(
            scope,
            AuditEvent::ok("billing.bursary_grant", "organisation", organisation),
        )
        .await?;
        tx.commit().await
    }

    /// What is left in the bursary fund: grants, less what the ledger charged to it (net of what
    /// was taken back or waived).
    pub async fn bursary_left(&self, organisation: OrganisationId) -> Result<Pence> {
        let granted: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT CAST(SUM(amount_pence) AS BIGINT) FROM bursary_grants WHERE organisation_id = $1"
        )
        .bind(organisation.to_string())
        .fetch_one(p)
        .await)?;
        let spent: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT CAST(SUM(CASE WHEN kind = 'charge' THEN amount_pence
                                  WHEN kind IN ('credit', 'waiver') THEN -amount_pence ELSE 0 END) AS BIGINT)
             FROM ledger_entries WHERE organisation_id = $1 AND funder_name = $2"
        )
        .bind(organisation.to_string())
        .bind(familytime_domain::billing::BURSARY_FUND)
        .fetch_one(p)
        .await)?;
        Ok(Pence(granted.unwrap_or(0) - spent.unwrap_or(0)))
    }

    // ---- invoices -----------------------------------------------------------------------------

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
        let lines: Vec<(String, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT l.description, l.amount_pence FROM invoice_lines l
             JOIN ledger_entries e ON e.organisation_id = l.organisation_id AND e.id = l.entry_id
             WHERE l.organisation_id = $1 AND l.invoice_id = $2 ORDER BY e.recorded_at, e.id"
        )
        .bind(organisation.to_string())
        .bind(id)
        .fetch_all(p)
        .await)?;
        let mut invoice = invoice_from(row)?;
        invoice.lines = lines.into_iter().map(|(d, a)| (d, Pence(a))).collect();
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

    /// Which party accounts a signed-in parent holds (their places on cases).
    pub async fn parties_of_user(
        &self,
        organisation: OrganisationId,
        user: familytime_domain::ids::UserId,
    ) -> Result<Vec<(String, CaseId)>> {
        let rows: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, case_id FROM case_parties WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|(party, case)| {
                Ok((
                    party,
                    CaseId::parse(&case).map_err(|_| StoreError::Database("unreadable party row".into()))?,
                ))
            })
            .collect()
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
    })
}
