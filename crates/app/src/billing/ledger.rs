//! Recording money on a case's ledger (payments, deposits, refunds, waivers and one-off charges),
//! an entry's kind in words, and the organisation's ledger as CSV.

use super::access::{billing_case, ledger_in_reach, money_reader};
use super::case_money::{CaseMoney, load_money};
use crate::case_files::file_org;
use crate::{AppError, AppState, Caller};
use familytime_domain::billing::{self, Account, Coverage, Entry, Item, Pence, Posted};
use familytime_domain::text::FieldErrors;
use familytime_store::AuditEvent;
use familytime_store::billing::{LedgerRow, LedgerWrite, NewEntry};
use jiff::civil::Date;

/// Money recorded by staff, as the form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct MoneyInput {
    /// payment, deposit, refund, deposit_return, waiver or charge.
    pub kind: String,
    /// "party:ID" or "funder"; for a charge, empty means "whoever the funding says".
    pub account: String,
    pub amount: String,
    pub method: String,
    pub reference: String,
    pub reason: String,
    /// For a charge: what it is for.
    pub item: String,
    /// For a charge: how many (miles, for mileage); 1 when empty.
    pub quantity: String,
    /// For a waiver: the charge it reduces.
    pub against: String,
}

pub(crate) const METHODS: [&str; 4] = ["cash", "card", "bank_transfer", "cheque"];

/// Records money on a case. Payments over what is owed stay as credit on the account; a refund
/// is never more than was paid; a deposit is returned only while held; a waiver needs a reason.
/// Bookings the money now pays for are confirmed in the same transaction. Returns the entries' ids.
pub async fn record(
    state: &AppState,
    caller: &Caller,
    case: &str,
    input: &MoneyInput,
) -> Result<Vec<String>, AppError> {
    let people = billing_case(state, caller, case).await?;
    let org = file_org(caller)?;
    let case_id = people.summary.id;
    let money = load_money(state, org, people).await?;
    let now = state.clock.now();
    let entries = money_entries(&money, input, money.day(now))?;
    let scope = caller.scope(now);
    // Money that pays for a provisional booking confirms it, and its adults are told as when a
    // coordinator confirms it: the messages of each provisional booking are made now, and those of
    // the bookings this payment confirms are written with it.
    let mut messages = Vec::new();
    for booking in state.store.case_bookings(org, case_id).await? {
        if booking.status == familytime_store::schedule::BookingStatus::Provisional && booking.span.start > now {
            messages.extend(
                crate::mail::compose::booking_messages(
                    state,
                    org,
                    &booking,
                    familytime_domain::mail::MailKind::BookingConfirmed,
                    booking.sequence + 1,
                )
                .await?,
            );
        }
    }
    let answer = state
        .store
        .write_ledger(&scope, org, case_id, |ledger, provisional| {
            let mut posted: Vec<Posted> = ledger.iter().map(LedgerRow::posted).collect();
            for e in &entries {
                let plain: Vec<Entry> = posted.iter().map(|p| p.entry.clone()).collect();
                billing::check_entry(&plain, &e.entry)?;
                if let (Entry::Waiver { amount, account }, Some(charge)) = (&e.entry, &e.against) {
                    let on_account = posted.iter().any(|p| {
                        p.id == *charge && matches!(&p.entry, Entry::Charge { account: a, .. } if a == account)
                    });
                    if !on_account {
                        return Err("Choose a charge on this account to waive".into());
                    }
                    let left = billing::outstanding(&posted).get(charge).copied();
                    match left {
                        None => return Err("Choose a charge on this case to waive".into()),
                        Some(left) if *amount > left => {
                            return Err(format!("Only {} of that charge is still owed", left.display()));
                        }
                        Some(_) => {}
                    }
                }
                posted.push(Posted {
                    id: format!("new-{}", posted.len()),
                    entry: e.entry.clone(),
                    against: e.against.clone(),
                    booking: e.booking.map(|b| b.to_string()),
                });
            }
            let action = match input.kind.trim() {
                "waiver" => "billing.waive",
                "charge" => "billing.charge",
                "refund" | "deposit_return" => "billing.refund",
                _ => "billing.payment",
            };
            Ok(LedgerWrite {
                confirm: money.now_paid(&posted, provisional),
                audit: vec![AuditEvent::ok(action, "case", case_id)],
                entries: entries.clone(),
                messages,
            })
        })
        .await?;
    answer.map_err(|m| AppError::Invalid(FieldErrors::single("amount", m)))
}

/// Reads a money form into the entries it records, before the ledger is consulted.
fn money_entries(money: &CaseMoney, input: &MoneyInput, today: Date) -> Result<Vec<NewEntry>, AppError> {
    let mut errors = FieldErrors::new();
    let kind = input.kind.trim();
    if !["payment", "deposit", "refund", "deposit_return", "waiver", "charge"].contains(&kind) {
        errors.add("kind", "Choose what to record");
    }
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let reason = text(&input.reason);
    let reference = text(&input.reference);
    let method = text(&input.method);
    if matches!(kind, "payment" | "deposit" | "refund" | "deposit_return")
        && !method.as_deref().is_some_and(|m| METHODS.contains(&m))
    {
        errors.add(
            "method",
            "Choose how the money was paid: cash, card, bank transfer or cheque",
        );
    }
    if matches!(kind, "refund" | "deposit_return" | "waiver") && reason.is_none() {
        errors.add("reason", "Say why");
    }
    if reason.as_deref().is_some_and(|r| r.chars().count() > 500)
        || reference.as_deref().is_some_and(|r| r.chars().count() > 120)
    {
        errors.add(
            "reason",
            "Keep the reason under 500 characters and the reference under 120",
        );
    }
    let account = if input.account.trim().is_empty() && kind == "charge" {
        None
    } else {
        let a = money.account(&input.account);
        if a.is_none() {
            errors.add("account", "Choose whose account this is");
        }
        a
    };
    if kind == "deposit"
        && account
            .as_ref()
            .is_some_and(|a| Some(a) != money.parents.resident.clone().map(Account::Party).as_ref())
    {
        errors.add("account", "The deposit is the resident parent's");
    }
    let amount = if input.amount.trim().is_empty() && kind == "charge" {
        None
    } else {
        errors.take("amount", Pence::parse_pounds(&input.amount))
    };
    if amount.is_some_and(|a| a.0 == 0) {
        errors.add("amount", "Enter an amount of more than nothing");
    }
    let against = text(&input.against);
    if kind == "waiver" && against.is_none() {
        errors.add("against", "Choose the charge to waive");
    }
    if kind == "charge" {
        return charge_entries(money, input, today, account, amount, reason, errors);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (Some(account), Some(amount)) = (account, amount) else {
        return Err(AppError::Invalid(FieldErrors::single("amount", "Enter the amount")));
    };
    let entry = match kind {
        "payment" => Entry::Payment { account, amount },
        "deposit" => Entry::DepositHeld { account, amount },
        "refund" => Entry::Refund { account, amount },
        "deposit_return" => Entry::DepositReturned { account, amount },
        _ => Entry::Waiver { account, amount },
    };
    Ok(vec![NewEntry {
        method,
        reference,
        reason,
        against,
        ..NewEntry::of(entry)
    }])
}

/// A charge for something other than a session (a report, mileage, a referral fee): at the price
/// list's price unless an amount is given, to the account given or as the funding says.
fn charge_entries(
    money: &CaseMoney,
    input: &MoneyInput,
    today: Date,
    account: Option<Account>,
    amount: Option<Pence>,
    reason: Option<String>,
    mut errors: FieldErrors,
) -> Result<Vec<NewEntry>, AppError> {
    let item = Item::parse(&input.item);
    let Some(item) = item.filter(|i| !matches!(i, Item::Deposit)) else {
        errors.add("item", "Choose what the charge is for");
        return Err(AppError::Invalid(errors));
    };
    let quantity = match input.quantity.trim() {
        "" => 1,
        q => match q.parse::<i64>() {
            Ok(n) if (1..=1_000).contains(&n) => n,
            _ => {
                errors.add("quantity", "Enter how many, a whole number from 1 to 1,000");
                1
            }
        },
    };
    let price = amount.or_else(|| money.prices.price_on(item, today).map(|p| Pence(p.0 * quantity)));
    if price.is_none() {
        errors.add(
            "amount",
            format!(
                "There is no price for {}: enter the amount",
                item.label().to_lowercase()
            ),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let parts = match (account, price) {
        (Some(account), Some(price)) => vec![(account, price)],
        (None, price) => match money.funding.cover_item(price, None, &money.parents, money.fund(0, 0)) {
            Coverage::Charged(parts) => parts,
            Coverage::Free => Vec::new(),
            Coverage::NotFunded(why) => return Err(AppError::Invalid(FieldErrors::single("account", why))),
        },
        (Some(_), None) => Vec::new(),
    };
    if parts.is_empty() {
        return Err(AppError::Invalid(FieldErrors::single(
            "amount",
            "Enter an amount of more than nothing",
        )));
    }
    Ok(parts
        .into_iter()
        .map(|(account, amount)| NewEntry {
            item: Some(item),
            reason: reason.clone(),
            ..NewEntry::of(Entry::Charge { account, amount })
        })
        .collect())
}

/// An entry's kind in words, for statements and pages.
pub fn entry_words(entry: &Entry) -> &'static str {
    match entry {
        Entry::Charge { .. } => "Charge",
        Entry::Payment { .. } => "Payment",
        Entry::Refund { .. } => "Refund",
        Entry::Waiver { .. } => "Waiver",
        Entry::Credit { .. } => "Taken back",
        Entry::DepositHeld { .. } => "Deposit paid",
        Entry::DepositReturned { .. } => "Deposit returned",
        Entry::DepositForfeited { .. } => "Deposit forfeited",
    }
}

/// The header of the ledger export.
const LEDGER_COLUMNS: [&str; 11] = [
    "date",
    "case",
    "account",
    "entry",
    "item",
    "amount",
    "method",
    "reference",
    "reason",
    "invoice",
    "recorded_by",
];

/// The organisation's ledger as CSV for its accounts (the cases at the reader's centres), written
/// with the `csv` crate: UTF-8 with a byte order mark, so a spreadsheet opens accented names
/// right, and CRLF line ends. Cells that a spreadsheet would run as a formula get a leading
/// apostrophe. The export is audited.
pub async fn ledger_csv(state: &AppState, caller: &Caller) -> Result<String, AppError> {
    let (org, actor) = money_reader(state, caller).await?;
    let rows = ledger_in_reach(state, org, &actor).await?;
    let text = ledger_text(&rows).map_err(|_| AppError::Internal("the ledger export could not be written"))?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("billing.export", "organisation", org),
        )
        .await?;
    Ok(text)
}

fn ledger_text(rows: &[LedgerRow]) -> Result<String, Box<dyn std::error::Error>> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{FEFF}".as_bytes().to_vec());
    out.write_record(LEDGER_COLUMNS)?;
    for r in rows {
        let cells = [
            r.recorded_at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            r.case_reference.clone(),
            r.account_name.clone(),
            r.kind().to_owned(),
            r.item.map(|i| i.as_str().to_owned()).unwrap_or_default(),
            pounds(r.entry.amount()),
            r.method.clone().unwrap_or_default(),
            r.reference.clone().unwrap_or_default(),
            r.reason.clone().unwrap_or_default(),
            r.invoice_number.map(|n| n.to_string()).unwrap_or_default(),
            r.recorded_by_name.clone().unwrap_or_default(),
        ];
        out.write_record(cells.iter().map(|c| formula_safe(c)))?;
    }
    Ok(String::from_utf8(out.into_inner().map_err(|e| e.into_error())?)?)
}

/// `12.50` for 1,250 pence.
fn pounds(amount: Pence) -> String {
    let sign = if amount.0 < 0 { "-" } else { "" };
    let pence = amount.0.unsigned_abs();
    format!("{sign}{}.{:02}", pence / 100, pence % 100)
}

/// A cell a spreadsheet would run as a formula (or whose first character it would drop and then
/// run) starts with an apostrophe instead, which spreadsheets show as text.
fn formula_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
