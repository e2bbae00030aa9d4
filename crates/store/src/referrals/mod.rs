//! Referrals and cases in the store: the rows every part reads (a case's summary, its children and
//! adults), and one submodule per thing done with a case. History rows are append-only.
//! - `refer`: storing a new referral whole (children, adults, contact details with the parties each
//!   is hidden from, court orders);
//! - `case_file`: reading a whole case file, or the people a session needs;
//! - `case_list`: the cases of an organisation, optionally of one status or referrer;
//! - `status`: moving a case through its statuses;
//! - `triage`: recording risk assessments;
//! - `self_referral`: the one-time links through which an adult gives their own part;
//! - `parties`: an adult's details edited, and a parent's account linked to their place.

pub mod case_file;
pub mod case_list;
pub mod parties;
pub mod refer;
pub mod self_referral;
pub mod status;
pub mod triage;

pub use case_file::{CaseFile, CasePeople, ContactDetail, CourtOrder, RiskAssessment, StatusChange};
pub use parties::PartyUpdate;
pub use self_referral::Invite;
pub use triage::NewAssessment;

use crate::{Result, StoreError, ts};
use familytime_domain::Timestamp;
use familytime_domain::ids::{CaseId, CentreId, ChildId, PartyId, UserId};
use familytime_domain::intake::PartyRole;
use familytime_domain::referrals::{CaseStatus, ReferralSource, Service};

/// One line of a case list.
#[derive(Debug, Clone)]
pub struct CaseSummary {
    pub id: CaseId,
    pub centre_id: CentreId,
    pub reference: String,
    pub source: ReferralSource,
    pub status: CaseStatus,
    pub service: Option<Service>,
    pub received_at: Timestamp,
    pub status_since: Timestamp,
    pub referrer_user_id: Option<UserId>,
    /// The children's names, for finding a family in the list.
    pub children: Vec<String>,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct Child {
    pub id: ChildId,
    pub name: String,
    pub date_of_birth: String,
    pub needs: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Party {
    pub id: PartyId,
    pub role: PartyRole,
    pub name: String,
    pub relationship: Option<String>,
    /// `None`: not known.
    pub parental_responsibility: Option<bool>,
    pub may_attend: bool,
    pub language: Option<String>,
    pub interpreter: bool,
    pub accessibility_needs: Option<String>,
    pub availability: Option<String>,
    pub user_id: Option<UserId>,
    /// Moves on with each edit of the adult's details (a stale edit is refused).
    pub version: i64,
    /// What the adult said themself (their own part of a self-referral), and when.
    pub own_statement: Option<String>,
    pub part_given_at: Option<Timestamp>,
}

fn bad(what: &str) -> StoreError {
    StoreError::Database(format!("unreadable {what} row"))
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    pub(crate) id: String,
    centre_id: String,
    reference: String,
    source: String,
    status: String,
    service: Option<String>,
    received_at: i64,
    status_since: i64,
    referrer_user_id: Option<String>,
    version: i64,
    referrer_name: Option<String>,
    referrer_organisation: Option<String>,
    outcome: Option<String>,
    missing: Option<String>,
    child_lives_with: Option<String>,
    risk_background: Option<String>,
    consent_to_share: bool,
    orders_described: Option<String>,
    service_asked: Option<String>,
}

impl CaseRow {
    pub(crate) fn summary(&self, children: Vec<String>) -> Result<CaseSummary> {
        Ok(CaseSummary {
            id: CaseId::parse(&self.id).map_err(|_| bad("case"))?,
            centre_id: CentreId::parse(&self.centre_id).map_err(|_| bad("case"))?,
            reference: self.reference.clone(),
            source: ReferralSource::parse(&self.source).ok_or_else(|| bad("case"))?,
            status: CaseStatus::parse(&self.status).ok_or_else(|| bad("case"))?,
            service: self.service.as_deref().and_then(Service::parse),
            received_at: ts(self.received_at),
            status_since: ts(self.status_since),
            referrer_user_id: self.referrer_user_id.as_deref().and_then(|u| UserId::parse(u).ok()),
            children,
            version: self.version,
        })
    }
}
