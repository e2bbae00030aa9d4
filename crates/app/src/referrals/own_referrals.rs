//! A referrer's own referrals: the list, and where one stands (never the file).

use crate::{AppError, AppState, Caller, authorize, found, parse_id};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::CaseId;
use familytime_domain::referrals::CaseStatus;
use familytime_store::referrals::{CaseSummary, StatusChange};

/// What a referrer sees of a referral they made: where it stands, never the file.
pub struct ReferralStatus {
    pub summary: CaseSummary,
    pub history: Vec<(CaseStatus, familytime_domain::Timestamp)>,
}

/// The referrer's own referrals, newest first.
pub async fn own_referrals(state: &AppState, caller: &Caller) -> Result<Vec<CaseSummary>, AppError> {
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ViewOwnReferrals, Object::Organisation(org)).await?;
    Ok(state.store.cases(org, None, Some(actor.user_id)).await?)
}

/// Where one of the referrer's own referrals stands.
pub async fn own_referral(state: &AppState, caller: &Caller, id: &str) -> Result<ReferralStatus, AppError> {
    let id = parse_id(id, CaseId::parse)?;
    let org = caller.user()?.organisation_id;
    let file = found(state, caller, state.store.case(org, id).await, "case", id).await?;
    let object = Object::Case {
        organisation: org,
        centre: file.summary.centre_id,
        referred_by: file.summary.referrer_user_id,
    };
    authorize(state, caller, Action::ViewOwnReferrals, object).await?;
    let history = file.history.iter().map(|h: &StatusChange| (h.to, h.at)).collect();
    Ok(ReferralStatus {
        summary: file.summary,
        history,
    })
}
