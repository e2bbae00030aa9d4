//! The ledger's rows and writes, shared by billing (which owns the ledger) and scheduling (a booking
//! moved by the centre credits back its charges): one module both use, so neither imports the other.

use crate::AuditEvent;
use familytime_domain::Timestamp;
use familytime_domain::billing::{Entry, Item, Posted, charges_left};
use familytime_domain::ids::{BookingId, CaseId, CentreId};

/// A ledger entry as stored, with the names a person reads.
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub id: String,
    pub case_id: CaseId,
    pub case_reference: String,
    /// The case's centre: lists across cases show only what the reader's centres reach.
    pub centre_id: CentreId,
    pub entry: Entry,
    /// The account's name: the party's name or the funder's.
    pub account_name: String,
    pub item: Option<Item>,
    pub booking_id: Option<String>,
    pub against: Option<String>,
    pub minutes: Option<i64>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub recorded_by_name: Option<String>,
    pub recorded_at: Timestamp,
    pub invoice_number: Option<i64>,
}

impl LedgerRow {
    /// The entry as the rules read it.
    pub fn posted(&self) -> Posted {
        Posted {
            id: self.id.clone(),
            entry: self.entry.clone(),
            against: self.against.clone(),
            booking: self.booking_id.clone(),
        }
    }

    /// The kind as stored: "charge", "payment", ….
    pub fn kind(&self) -> &'static str {
        kind_of(&self.entry)
    }
}

pub(crate) fn kind_of(entry: &Entry) -> &'static str {
    match entry {
        Entry::Charge { .. } => "charge",
        Entry::Payment { .. } => "payment",
        Entry::Refund { .. } => "refund",
        Entry::Waiver { .. } => "waiver",
        Entry::Credit { .. } => "credit",
        Entry::DepositHeld { .. } => "deposit_held",
        Entry::DepositReturned { .. } => "deposit_returned",
        Entry::DepositForfeited { .. } => "deposit_forfeited",
    }
}

/// An entry to write.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub entry: Entry,
    pub item: Option<Item>,
    pub booking: Option<BookingId>,
    pub against: Option<String>,
    pub minutes: Option<i64>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
}

impl NewEntry {
    pub fn of(entry: Entry) -> NewEntry {
        NewEntry {
            entry,
            item: None,
            booking: None,
            against: None,
            minutes: None,
            method: None,
            reference: None,
            reason: None,
        }
    }
}

/// What a ledger write does: entries to add, provisional bookings that are now paid and so become
/// confirmed, and what the audit log says.
#[derive(Debug, Default)]
pub struct LedgerWrite {
    pub entries: Vec<NewEntry>,
    pub confirm: Vec<BookingId>,
    pub audit: Vec<AuditEvent>,
    /// The messages telling the adults that a booking is confirmed, by booking: those of the
    /// bookings this write confirms are written with it (decision 0044).
    pub messages: Vec<crate::mail::NewMessage>,
}

/// Credits taking back what is left of each charge for a booking (a booking moved by the centre).
pub(crate) fn credits_for_booking(ledger: &[LedgerRow], booking: &str) -> Vec<NewEntry> {
    let posted: Vec<Posted> = ledger.iter().map(LedgerRow::posted).collect();
    charges_left(&posted, booking)
        .into_iter()
        .map(|c| NewEntry {
            against: Some(c.id),
            reason: Some("Moved to another time".into()),
            ..NewEntry::of(Entry::Credit {
                account: c.account,
                amount: c.amount,
            })
        })
        .collect()
}
