//! Referral and case pages: the referral form (referrers and staff), a referrer's own referrals, the
//! staff case list and the case page where a coordinator works a case. This module holds what several
//! pages share; one submodule per thing a user does:
//! - `refer`: the referral form;
//! - `own_referrals`: a referrer's own referrals and where one stands;
//! - `case_list`: the staff case list;
//! - `case_file`: the case page, and the way back to it after an action;
//! - `status`: moving a case on;
//! - `triage`: recording a risk assessment;
//! - `pre_visits`: booking a pre-visit and recording how it went;
//! - `self_referral`: the public self-referral form, the other adult's own part, and the one-time
//!   link staff make for it;
//! - `documents`: uploading and downloading a case's papers;
//! - `parties`: editing an adult's details and linking a parent's account.

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

pub use case_file::show;
pub use case_list::list;
pub use documents::{document_response, download_document, read_upload, upload_document};
pub use own_referrals::{own, own_one};
pub use parties::{link_account, party_form, save_party};
pub use pre_visits::{pre_visit, record_pre_visit, schedule_pre_visit};
pub use refer::{new_form, submit};
pub use self_referral::{create_invite, own_part, own_part_form, self_referral, self_referral_form};
pub use status::transition;
pub use triage::assess;

use super::FormData;
use crate::{AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::{self, Action, Decision, Object};
use familytime_store::referrals::CaseSummary;

fn date(at: Timestamp) -> String {
    at.strftime("%-d %b %Y").to_string()
}

fn may(caller: &Caller, action: Action) -> bool {
    caller.user.as_ref().is_some_and(|u| {
        authz::authorize(Some(&u.actor()), action, &Object::Organisation(u.organisation_id)) == Decision::Allow
    })
}

/// The referral form's fields, read back for showing again.
pub struct Fields(FormData);

impl Fields {
    pub fn get(&self, name: &str) -> String {
        self.0.get(name)
    }
    pub fn get_n(&self, prefix: &str, n: &u8, suffix: &str) -> String {
        self.0.get(&format!("{prefix}{n}{suffix}"))
    }
    pub fn get2(&self, prefix: &str, suffix: &str) -> String {
        self.0.get(&format!("{prefix}{suffix}"))
    }
    pub fn checked(&self, name: &str) -> bool {
        self.0.checked(name)
    }
    pub fn checked2(&self, prefix: &str, suffix: &str) -> bool {
        self.0.checked(&format!("{prefix}{suffix}"))
    }
}

/// A line of a list of referrals or cases.
pub struct CaseRow {
    pub id: String,
    pub reference: String,
    pub children: String,
    pub status: String,
    pub service: Option<&'static str>,
    pub received: String,
    pub waiting: String,
}

fn row(state: &AppState, c: &CaseSummary) -> CaseRow {
    let days = state.clock.now().duration_since(c.received_at).as_hours() / 24;
    CaseRow {
        id: c.id.to_string(),
        reference: c.reference.clone(),
        children: c.children.join(", "),
        status: c.status.label().to_owned(),
        service: c.service.map(|s| s.label()),
        received: date(c.received_at),
        waiting: if c.status.is_open_referral() {
            format!("{days} days")
        } else {
            "—".into()
        },
    }
}

fn query_param(query: Option<&str>, name: &str) -> String {
    query
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default()
}
