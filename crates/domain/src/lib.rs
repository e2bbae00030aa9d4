//! familytime's rules: the types and decisions of a child contact organisation, with no IO, no
//! database and no clock (the current time is always a parameter), so every rule is testable alone.

pub mod agreements;
pub mod audit;
pub mod authz;
pub mod backup;
pub mod billing;
pub mod booking_rules;
pub mod checklist;
pub mod confidential;
pub mod dates;
pub mod documents;
pub mod ids;
pub mod incidents;
pub mod intake;
pub mod interpreters;
pub mod language;
pub mod mail;
pub mod orders;
pub mod people;
pub mod previsits;
pub mod ratelimit;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod reviews;
pub mod schedule;
pub mod scheduled_backups;
pub mod sessions;
pub mod tenancy;
pub mod text;
pub mod triage;
pub mod two_factor;

/// An instant in UTC. Re-exported so every layer speaks of time the same way.
pub use jiff::Timestamp;
