//! Referrals and cases: referrers send referrals and follow their status; coordinators enter
//! referrals received by e-mail or phone, read case files, move cases through their statuses and
//! assess risk. Confidential contact details are disclosed here, and only here, per viewer. One
//! submodule per thing a user does:
//! - `refer`: a referral sent in (by a referrer, or entered by staff);
//! - `own_referrals`: a referrer following the referrals they made;
//! - `case_list`: the staff's list of cases (and the waiting list);
//! - `case_file`: a case file read by staff, each hidden detail disclosed per viewer;
//! - `status`: a case moved through its statuses;
//! - `triage`: risk assessed, the service decided;
//! - `pre_visits`: pre-visits booked and recorded;
//! - `self_referral`: the public self-referral, and the other adult's own part through a link;
//! - `documents`: papers kept on a case, and downloaded;
//! - `parties`: an adult's details edited, a parent's account linked.

pub mod case_file;
pub mod case_list;
pub mod documents;
pub mod own_referrals;
pub mod parties;
pub mod pre_visits;
pub mod refer;
pub mod self_referral;
pub mod status;
pub mod triage;

pub use case_file::{CaseView, ShownContact, get_case};
pub use case_list::{CaseFilter, list_cases};
pub use documents::{documents, download_document, upload_document};
pub use own_referrals::{ReferralStatus, own_referral, own_referrals};
pub use parties::{PartyEditInput, PartyEditView, link_party_account, parent_accounts, party_for_edit, update_party};
pub use pre_visits::{
    PreVisitInput, PreVisitsView, VisitRecordInput, pre_visit, pre_visits, record_pre_visit, schedule_pre_visit,
};
pub use refer::submit;
pub use self_referral::{create_invite, give_own_part, invite, public_centres, self_refer};
pub use status::{TransitionInput, transition};
pub use triage::{AssessmentInput, assess, assessed_service};
