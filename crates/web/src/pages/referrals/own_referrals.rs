//! A referrer's own referrals: the list, and where one stands (with "Referral sent" after the form).

use super::{CaseRow, date, query_param, row};
use crate::pages::{PageResult, Shell, render};
use crate::{AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use familytime_app::referrals;

#[derive(askama::Template)]
#[template(path = "referrals_list.html")]
struct OwnReferralsPage {
    shell: Shell,
    referrals: Vec<CaseRow>,
}

pub async fn own(State(state): State<AppState>, caller: Caller) -> PageResult {
    let list = referrals::own_referrals(&state, &caller).await?;
    let referrals = list.iter().map(|c| row(&state, c)).collect();
    Ok(render(&OwnReferralsPage {
        shell: Shell::for_caller(&state, &caller, "/referrals").await?,
        referrals,
    }))
}

#[derive(askama::Template)]
#[template(path = "referral_status.html")]
struct ReferralStatusPage {
    shell: Shell,
    notice: Option<String>,
    reference: String,
    status: &'static str,
    history: Vec<(&'static str, String)>,
}

pub async fn own_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    own_page(&state, &caller, &id, sent_notice(query.as_deref())).await
}

/// "Referral sent", on the page a referral lands on after the form (`?done=sent`).
fn sent_notice(query: Option<&str>) -> Option<String> {
    (query_param(query, "done") == "sent").then(|| "Referral sent".to_owned())
}

async fn own_page(state: &AppState, caller: &Caller, id: &str, notice: Option<String>) -> PageResult {
    let r = referrals::own_referral(state, caller, id).await?;
    let page = ReferralStatusPage {
        shell: Shell::for_caller(state, caller, "/referrals").await?,
        notice,
        reference: r.summary.reference.clone(),
        status: r.summary.status.label(),
        history: r.history.iter().map(|(s, at)| (s.label(), date(*at))).collect(),
    };
    Ok(render(&page))
}
