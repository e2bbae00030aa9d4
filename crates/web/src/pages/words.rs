//! The words of what the domain names by a stable name (a booking's kind and status, a ledger
//! entry, a case's status, a report's kind, who referred, who asked for a move, what is owed), in
//! the page's language. The domain keeps its English labels as the source; each has a key here
//! (`portal-…`, `mine-…`), and the unit tests below check the English catalogue says what the
//! domain says, so the two cannot drift apart.

use crate::i18n::{self, FluentValue};
use familytime_domain::billing::{Entry, Pence};
use familytime_domain::referrals::{CaseStatus, ReferralSource, Service};
use familytime_domain::reports::ReportKind;
use familytime_domain::schedule::{BookingKind, MoveAsker};
use familytime_store::schedule::BookingStatus;

fn key(prefix: &str, name: &str) -> String {
    format!("{prefix}-{name}")
}

/// The catalogue key of a booking's kind.
pub fn booking_kind_key(kind: BookingKind) -> String {
    match kind {
        BookingKind::Contact(service) => key("portal-service", service.as_str()),
        other => key("portal-booking-kind", other.as_str()),
    }
}

pub fn booking_kind(kind: BookingKind) -> String {
    i18n::t(&booking_kind_key(kind))
}

pub fn booking_status(status: BookingStatus) -> String {
    i18n::t(&key("portal-booking-status", status.as_str()))
}

/// A ledger entry's stable name.
pub fn entry_name(entry: &Entry) -> &'static str {
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

pub fn entry(entry: &Entry) -> String {
    i18n::t(&key("portal-entry", entry_name(entry)))
}

pub fn case_status(status: CaseStatus) -> String {
    i18n::t(&key("portal-case-status", status.as_str()))
}

pub fn report_kind(kind: ReportKind) -> String {
    i18n::t(&key("portal-report-kind", kind.as_str()))
}

/// The catalogue key of who is referring (the referral form's choices).
pub fn source_key(source: ReferralSource) -> String {
    key("portal-source", source.as_str())
}

/// "at the request of the resident parent", from who asked for a move as stored.
pub fn asked_by(code: Option<&str>) -> String {
    let name = code.and_then(MoveAsker::parse).map_or("unknown", |a| a.as_str());
    i18n::t(&key("mine-asked-by", name))
}

/// What a parent owes, or has in credit.
pub fn balance(owed: Pence) -> String {
    let amount = |p: Pence| i18n::args([("amount", FluentValue::from(p.display()))]);
    match owed.0 {
        0 => i18n::t("mine-nothing-owed"),
        n if n > 0 => i18n::t_args("mine-owed", &amount(owed)),
        n => i18n::t_args("mine-in-credit", &amount(Pence(-n))),
    }
}

/// Every key this module makes (checked by the `welsh` tests to be in every catalogue).
pub fn catalogue_keys() -> Vec<String> {
    let mut keys: Vec<String> = Service::ALL
        .iter()
        .map(|s| booking_kind_key(BookingKind::Contact(*s)))
        .collect();
    keys.extend([BookingKind::PreVisit, BookingKind::Review].map(booking_kind_key));
    keys.extend(
        BookingStatus::ALL
            .iter()
            .map(|s| key("portal-booking-status", s.as_str())),
    );
    keys.extend(ENTRY_NAMES.iter().map(|n| key("portal-entry", n)));
    keys.extend(CaseStatus::ALL.iter().map(|s| key("portal-case-status", s.as_str())));
    keys.extend(ReportKind::ALL.iter().map(|k| key("portal-report-kind", k.as_str())));
    keys.extend(ReferralSource::ALL.iter().map(|s| source_key(*s)));
    keys.extend(MoveAsker::ALL.iter().map(|a| key("mine-asked-by", a.as_str())));
    keys.push(key("mine-asked-by", "unknown"));
    keys
}

const ENTRY_NAMES: [&str; 8] = [
    "charge",
    "payment",
    "refund",
    "waiver",
    "credit",
    "deposit_held",
    "deposit_returned",
    "deposit_forfeited",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn english(key: &str) -> String {
        i18n::plain(Lang::En, key).unwrap_or_else(|| panic!("{key} is not in the English catalogue"))
    }

    #[test]
    fn welsh_the_english_catalogue_says_what_the_domain_says() {
        for s in Service::ALL {
            let kind = BookingKind::Contact(*s);
            assert_eq!(english(&booking_kind_key(kind)), kind.label());
        }
        for kind in [BookingKind::PreVisit, BookingKind::Review] {
            assert_eq!(english(&booking_kind_key(kind)), kind.label());
        }
        for s in BookingStatus::ALL {
            assert_eq!(english(&key("portal-booking-status", s.as_str())), s.label());
        }
        for s in CaseStatus::ALL {
            assert_eq!(english(&key("portal-case-status", s.as_str())), s.label());
        }
        for k in ReportKind::ALL {
            assert_eq!(english(&key("portal-report-kind", k.as_str())), k.label());
        }
        for s in ReferralSource::ALL {
            assert_eq!(english(&source_key(*s)), s.label());
        }
        let (account, amount) = (familytime_domain::billing::Account::Party("p".into()), Pence(100));
        let entries = [
            Entry::Charge {
                account: account.clone(),
                amount,
            },
            Entry::Payment {
                account: account.clone(),
                amount,
            },
            Entry::Refund {
                account: account.clone(),
                amount,
            },
            Entry::Waiver {
                account: account.clone(),
                amount,
            },
            Entry::Credit {
                account: account.clone(),
                amount,
            },
            Entry::DepositHeld {
                account: account.clone(),
                amount,
            },
            Entry::DepositReturned {
                account: account.clone(),
                amount,
            },
            Entry::DepositForfeited { account, amount },
        ];
        assert_eq!(entries.len(), ENTRY_NAMES.len());
        for e in &entries {
            assert!(ENTRY_NAMES.contains(&entry_name(e)));
            assert_eq!(
                english(&key("portal-entry", entry_name(e))),
                familytime_app::billing::entry_words(e)
            );
        }
    }

    #[test]
    fn welsh_balances_read_as_the_domain_writes_them_in_english() {
        for owed in [0, 1250, -700] {
            assert_eq!(
                balance(Pence(owed)),
                familytime_domain::billing::describe_balance(Pence(owed))
            );
        }
    }
}
